"""The live preview: its one exception to the pages' Content-Security-Policy, and how it hears a save.

MkDocs' preview server adds an inline script to every page it serves (it polls for rebuilds
and reloads the page). Our pages forbid inline scripts, so, in the preview only, each served
page's policy also allows that exact script by its hash. The files in site/ keep the strict
policy; nothing else is allowed.

MkDocs' preview polls every watched file for changes; a poll every 0.1 s took on average 0.05 s
to notice a save, and each poll (a stat of every file under content/, templates/, charts/ and
explainer/) competed with the rebuild for the interpreter. Where the system tells of changes
(inotify on Linux, FSEvents on macOS) the preview is told at once instead. It still waits for
0.1 s of quiet before rebuilding (MkDocs' own settle time): a save can be several writes, and a
rebuild started between the truncation and the write of a file builds an empty one.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any

INJECTED = re.compile(rb"<script>(.*?)</script>\s*</body>", re.DOTALL)
SCRIPT_SRC = re.compile(rb"(<meta http-equiv=\"Content-Security-Policy\" content=\"[^\"]*?script-src 'self')")

App = Callable[[dict, Callable[..., Any]], Iterable[bytes]]


def listen_for_changes(server: Any) -> None:
    """Have MkDocs' preview server be told of changes by the system instead of polling for them
    (before any watch() call: they schedule on the server's observer). Where the system has no
    such notifications, MkDocs' polling is kept as it is."""
    from watchdog.events import FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    if Observer is PollingObserver:
        return
    observer = Observer()
    schedule = observer.schedule
    # only writes: MkDocs rebuilds on any event, and the system also tells of a file opened or
    # read, which every build does (each build would start the next, for ever)
    changes = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent]

    def schedule_changes(handler: Any, path: str, *, recursive: bool = False, **options: Any) -> Any:
        return schedule(handler, path, recursive=recursive, event_filter=changes)

    observer.schedule = schedule_changes  # type: ignore[method-assign]
    server.observer = observer


def allow_script(page: bytes) -> bytes:
    """Allow the page's trailing inline script (the preview's) by its hash in the page's CSP."""
    scripts = INJECTED.findall(page)
    if not scripts:
        return page
    digest = base64.b64encode(hashlib.sha256(scripts[-1]).digest())
    return SCRIPT_SRC.sub(lambda m: m.group(1) + b" 'sha256-" + digest + b"'", page, count=1)


def allow_livereload(app: App) -> App:
    """Wrap the preview server's WSGI app so the pages it serves may run its reload script."""

    def wrapped(environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        captured: list[Any] = []
        body = b"".join(app(environ, lambda status, headers, exc_info=None: captured.extend((status, headers))))
        status, headers = captured
        if any(name.lower() == "content-type" and value.startswith("text/html") for name, value in headers):
            body = allow_script(body)
            headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        return [body]

    return wrapped
