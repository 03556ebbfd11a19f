"""Bad edits against a running `build.py serve`: each is reported in one message, the preview
keeps serving the last good site without hanging, and the next good save recovers."""

from __future__ import annotations

import html
import queue
import re
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import copy_code, small_project

pytestmark = pytest.mark.slow  # a preview server with its builds: `make test`, not the quick `make check`

STEP = 240  # seconds a (re)build may take on a busy two-core machine


@dataclass
class Preview:
    """A running preview: its address, and its stderr as a queue of lines."""

    process: subprocess.Popen
    url: str
    lines: queue.Queue
    seen: list[str]  # every line so far

    def next_outcome(self) -> list[str]:
        """Wait for the next build's outcome: ['Built ...'] or the lines of its error message."""
        message: list[str] = []
        while True:
            line = self.lines.get(timeout=STEP)
            if line is None:
                pytest.fail(f"the preview stopped: {message}")
            if "Built " in line:
                return [line]
            if line.startswith("error:") or message:
                message.append(line)
                if line.startswith("The previous site was left as it was."):
                    return message

    def next_error(self) -> list[str]:
        """Wait for the next failed build's message. A bad edit never builds, so a 'Built' seen
        first is a late rebuild for the previous test's undo (the watcher can see one save as
        two changes) and is passed over; a bad edit that did build fails the wait."""
        while "Built " in (outcome := self.next_outcome())[0]:
            pass
        return outcome

    def page(self, path: str) -> str:
        """A served page, without the reload script the preview adds (it differs per request) and
        without the overlay of a failed build."""
        html = self.served(path)
        html = re.sub(
            r'<link rel="stylesheet" href="/\.explainer-preview/overlay\.css">.*?</pre></div>', "", html, flags=re.S
        )
        return re.sub(r" 'sha256-[^']+'", "", re.sub(r"<script>.*?</script>(\s*</body>)", r"\1", html, flags=re.S))

    def served(self, path: str) -> str:
        """A page as the preview serves it."""
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, vega_cache: Path) -> Path:
    """One small project for the module's preview: each test undoes its edit and waits for the
    good rebuild, so the next finds it as it was."""
    return small_project(tmp_path_factory.mktemp("preview"), vega_cache)


@pytest.fixture(scope="module")
def preview(project: Path) -> Iterator[Preview]:
    """One running preview for the module (starting one is a build and two chart workers)."""
    script = copy_code(project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("extra:\n", "extra:\n  chart_timeout: 1\n", 1))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, str(script), "serve", "--config", str(config), "--site-dir", str(project / "site")]
    # run from the project, as an editor would: messages name files relative to it
    process = subprocess.Popen([*command, "--port", str(port)], stderr=subprocess.PIPE, text=True, cwd=project)
    lines: queue.Queue = queue.Queue()
    seen: list[str] = []

    def read() -> None:
        for line in process.stderr:
            seen.append(line.rstrip("\n"))
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    running = Preview(process, f"http://127.0.0.1:{port}", lines, seen)
    try:
        assert "Built " in running.next_outcome()[0]
        while (line := lines.get(timeout=STEP)) is not None and "Serving on" not in line:
            pass
        assert line is not None, "the preview stopped before it listened"
        yield running
    finally:
        process.terminate()
        process.wait(timeout=30)


def append(path: Path, text: str) -> Callable[[], None]:
    original = path.read_text(encoding="utf-8")
    path.write_text(original + text, encoding="utf-8")
    return lambda: path.write_text(original, encoding="utf-8")


def replace(path: Path, old: str, new: str) -> Callable[[], None]:
    original = path.read_text(encoding="utf-8")
    assert old in original
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    return lambda: path.write_text(original, encoding="utf-8")


def hanging_chart(project: Path) -> Callable[[], None]:
    (project / "charts" / "bad.py").write_text(
        '"""Never returns."""\n\n\ndef chart(facts, lang, layout):\n    while True: pass\n', encoding="utf-8"
    )
    undo = [append(project / "content" / lang / "index.md", "\n{{ chart bad }}\n") for lang in ("zh", "en")]
    return lambda: [step() for step in undo]


BAD_EDITS = {
    "a template with a syntax error": (
        lambda project: replace(project / "templates/main.html", "{% block content %}", "{% block content %"),
        "error: templates/main.html:4: expected token 'end of statement block', got '%'",
    ),
    "a chart that never returns": (
        hanging_chart,
        "error: charts/bad.py:5: did not finish in 1 s",
    ),
    "a value of .nan": (
        lambda project: replace(project / "content/facts.yaml", "value: 14000000000", "value: .nan"),
        "error: content/facts.yaml:11: facts[ferry_loss_2026].value: expected a finite number",
    ),
    "a script in a page": (
        lambda project: append(project / "content/en/index.md", "\n<script>alert(1)</script>\n"),
        "error: content/en/index.md:10: <script> is not allowed in a page",
    ),
}


@pytest.mark.parametrize("name", list(BAD_EDITS))
def test_the_preview_reports_a_bad_edit_keeps_serving_and_recovers(preview, project, name):
    make, expected = BAD_EDITS[name]
    good = preview.page("/en/")
    assert "$5 billion" in good
    undo = make(project)
    try:
        message = preview.next_error()
        assert message[0].startswith(expected), message
        assert len(message) == 3 and message[1].startswith("Aborted: 1 problem"), message
        assert not any("Traceback" in line for line in message)
        assert preview.page("/en/") == good, "the preview stopped serving the last good site"
        assert html.escape(message[0].removeprefix("error: ")) in preview.served("/en/"), "no overlay"
    finally:  # even after a failure: the next test shares the preview and needs it good again
        undo()
        recovered = preview.next_outcome()
    assert "Built " in recovered[0], "the next good save did not rebuild"
    assert "$5 billion" in preview.page("/en/")


def test_the_preview_says_a_standing_note_once_not_on_every_save(preview, project):
    assert 'site_url: ""' in (project / "mkdocs.yml").read_text(encoding="utf-8")
    undo = append(project / "content/en/index.md", "\nOne more line.\n")
    assert "Built " in preview.next_outcome()[0]
    undo()
    assert "Built " in preview.next_outcome()[0]
    said = [line for line in preview.seen if "site_url is not set" in line]
    assert len(said) == 1, said


def test_a_failed_build_shows_over_the_page_in_the_browser_until_fixed(preview, project, browser):
    """Hugo's and Vite's way: the editor sees the message where they look, not only in the terminal."""
    page = browser.new_page()
    try:
        page.goto(preview.url + "/en/")
        assert page.locator(".explainer-build-error").count() == 0
        undo = replace(project / "content/facts.yaml", "value: 14000000000", "value: .nan")
        try:
            expected = "content/facts.yaml:11: facts[ferry_loss_2026].value: expected a finite number"
            assert preview.next_error()[0].startswith(f"error: {expected}")
            # the preview reloads the page once the build is done: the overlay is then on it
            overlay = page.locator(".explainer-build-error")
            overlay.wait_for(state="visible", timeout=STEP * 1000)
            assert expected in overlay.inner_text()
            assert overlay.get_attribute("role") == "alert"
            assert (
                page.evaluate("getComputedStyle(document.querySelector('.explainer-build-error')).position") == "fixed"
            )
            assert "$5 billion" in page.content(), "the last good page stays under the overlay"
        finally:
            undo()
            assert "Built " in preview.next_outcome()[0]
        overlay.wait_for(state="detached", timeout=STEP * 1000)
        assert "$5 billion" in page.content()
    finally:
        page.close()
