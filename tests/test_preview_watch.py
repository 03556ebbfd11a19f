"""The live preview hears a save at once (explainer/preview.py) and rebuilds on writes only: every
build reads the watched files, and a preview that rebuilt on a read would rebuild for ever."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer

from explainer.preview import listen_for_changes


@pytest.fixture
def server(tmp_path: Path):
    """MkDocs' preview server as `build.py serve` sets it up, watching tmp_path (not serving)."""
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    listen_for_changes(server)
    server.watch(str(tmp_path))
    server.observer.start()
    yield server
    server.observer.stop()
    server.observer.join(timeout=10)
    server.server_close()


def heard(caplog: pytest.LogCaptureFixture, name: str, kind: str) -> bool:
    """Whether the preview logged an event of this kind for this file (MkDocs logs each one it
    acts on, then wakes its rebuild loop)."""
    return any(name in r.getMessage() and f"event_type='{kind}'" in r.getMessage() for r in caplog.records)


def wait_until_heard(server: LiveReloadServer, caplog: pytest.LogCaptureFixture, name: str, kind: str) -> None:
    """Wait for one event: a write's events come one by one, and waiting for the first would let
    the rest arrive during the next step of the test."""
    with server._rebuild_cond:
        assert server._rebuild_cond.wait_for(lambda: heard(caplog, name, kind), timeout=30), f"{name} not heard"
        server._want_rebuild = False


def test_a_read_is_not_a_change_and_a_save_is(server, tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="mkdocs.livereload")
    page = tmp_path / "page.md"
    page.write_text("# A page\n", encoding="utf-8")
    wait_until_heard(server, caplog, "page.md", "closed")  # a write's last event: closed after writing
    caplog.clear()
    assert page.read_text(encoding="utf-8") == "# A page\n"  # what every build does
    (tmp_path / "other.md").write_text("# Saved\n", encoding="utf-8")
    wait_until_heard(server, caplog, "other.md", "closed")  # the system tells of events in order
    messages = [record.getMessage() for record in caplog.records]
    assert all("other.md" in message for message in messages), messages


def test_a_save_by_rename_is_heard(server, tmp_path, caplog):
    """Many editors save to a temporary file and rename it over the page."""
    caplog.set_level(logging.DEBUG, logger="mkdocs.livereload")
    (tmp_path / "page.md").write_text("# A page\n", encoding="utf-8")
    temporary = tmp_path / ".page.md.swp"
    temporary.write_text("# Edited\n", encoding="utf-8")
    wait_until_heard(server, caplog, ".page.md.swp", "closed")
    caplog.clear()
    temporary.rename(tmp_path / "page.md")
    wait_until_heard(server, caplog, "page.md", "moved")
