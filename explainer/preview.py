"""The live preview: its one exception to the pages' Content-Security-Policy, and how it hears a save.

MkDocs' preview server adds an inline script to every page it serves (it polls for rebuilds
and reloads the page). Our pages forbid inline scripts, so, in the preview only, each served
page's policy also allows that exact script by its hash. The files in site/ keep the strict
policy; nothing else is allowed.

A failed build is shown where the editor looks: every page served until a build succeeds
carries an overlay with the same `file:line` messages as the terminal (as Hugo's server and Vite
do); the reload after the next good build clears it. It is plain HTML and a stylesheet served by
the preview itself, so the pages' policy needs no other exception.

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
import html
import re
from collections.abc import Callable, Iterable
from typing import Any

INJECTED = re.compile(rb"<script>(.*?)</script>\s*</body>", re.DOTALL)
SCRIPT_SRC = re.compile(rb"(<meta http-equiv=\"Content-Security-Policy\" content=\"[^\"]*?script-src 'self')")

App = Callable[[dict, Callable[..., Any]], Iterable[bytes]]
OVERLAY_CSS = "/.explainer-preview/overlay.css"  # served by the preview, never written to site/
BODY = re.compile(rb"<body\b[^>]*>")
OVERLAY_STYLE = b"""\
.explainer-build-error{position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:70vh;overflow:auto;
margin:0;padding:1rem 1.25rem;background:#2b0b0e;color:#ffe4e6;border-bottom:4px solid #f43f5e;
font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 4px 24px #0008}
.explainer-build-error p{margin:0 0 .5rem;font-weight:700;color:#fff}
.explainer-build-error pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font:inherit}
"""


class BuildOutcome:
    """The last preview build's failure (its messages, as the terminal showed them), or None."""

    def __init__(self) -> None:
        self.failure: str | None = None


def with_overlay(page: bytes, failure: str) -> bytes:
    """The page with the failure's messages over it, at the top of its body."""
    overlay = (
        f'<link rel="stylesheet" href="{OVERLAY_CSS}">'
        '<div class="explainer-build-error" role="alert"><p>The build failed: this is the last good '
        "version of the page. Fix what it says and save; this goes away when the build succeeds.</p>"
        f"<pre>{html.escape(failure)}</pre></div>"
    ).encode()
    return BODY.sub(lambda match: match.group(0) + overlay, page, count=1)


def show_build_failure(app: App, outcome: BuildOutcome) -> App:
    """Wrap the preview server's WSGI app: while the last build failed, every page it serves
    shows the failure's messages; it also serves the overlay's stylesheet."""

    def wrapped(environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").endswith(OVERLAY_CSS):
            start_response("200 OK", [("Content-Type", "text/css"), ("Content-Length", str(len(OVERLAY_STYLE)))])
            return [OVERLAY_STYLE]
        failure = outcome.failure
        if failure is None:
            return app(environ, start_response)
        return _rewrite_html(app, environ, start_response, lambda page: with_overlay(page, failure))

    return wrapped


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
        return _rewrite_html(app, environ, start_response, allow_script)

    return wrapped


def _rewrite_html(
    app: App, environ: dict, start_response: Callable[..., Any], rewrite: Callable[[bytes], bytes]
) -> Iterable[bytes]:
    """Serve the app's response, its body rewritten when it is an HTML page."""
    captured: list[Any] = []
    body = b"".join(app(environ, lambda status, headers, exc_info=None: captured.extend((status, headers))))
    status, headers = captured
    if any(name.lower() == "content-type" and value.startswith("text/html") for name, value in headers):
        body = rewrite(body)
        headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
    start_response(status, headers)
    return [body]
