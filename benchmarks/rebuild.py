"""How long an editor waits: cold build, no-op rebuild, text edit, fact edit, live preview.

Each figure is the median of several runs, measured in this process side by side with a plain
`mkdocs build` of the same Markdown (built-in theme, both languages, no charts), and printed
as a ratio to it. Usage: python benchmarks/rebuild.py [--runs 5]. Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mkdocs.commands.build import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

import build  # noqa: E402


def copy_project(into: Path) -> Path:
    """A scratch copy of the content and theme, so edits never touch the real files."""
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, into / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # the copy has no ../shared beside it: point it at the article's absolute path (if at hand;
    # without it the quotes are checked against content/quotes.lock, copied with the content)
    article = build.load_settings(ROOT / "mkdocs.yml").article_path
    (into / "mkdocs.yml").write_text(
        config.replace("path: ../shared/source/000_92055ca1eefd094b.txt", f"path: {article}"), encoding="utf-8"
    )
    return into


def timed(action: Callable[[], object], runs: int, before: Callable[[], object] | None = None) -> float:
    """Median seconds of an action over runs, with an untimed step before each."""
    samples = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def plain_mkdocs(project: Path, out: Path) -> None:
    """MkDocs alone on the same Markdown: built-in theme, no plugins, one build per language."""
    for lang in ("zh", "en"):
        config = load_config(
            config_file=None,
            site_name="plain",
            docs_dir=str(project / "content" / lang),
            site_dir=str(out / lang),
            theme={"name": "mkdocs"},
            plugins=[],
        )
        mkdocs_build(config)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float = 60) -> None:
    """Wait until the preview server accepts connections (it builds the site first)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    msg = f"the preview server did not start on port {port}"
    raise RuntimeError(msg)


def live_preview_latency(project: Path, runs: int) -> list[float]:
    """Seconds from saving a Markdown edit to the browser showing it, through `build.py serve`."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    site = project / "serve-site"
    server = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "serve",
            "--config",
            str(project / "mkdocs.yml"),
            "--site-dir",
            str(site),
            "--port",
            str(port),
            "-q",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    samples = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            wait_for_port(port)
            page.goto(f"http://127.0.0.1:{port}/en/rally/")
            page.wait_for_function("() => document.body && document.body.textContent.length > 100", timeout=60000)
            source = project / "content" / "en" / "rally.md"
            for run in range(runs):
                marker = f"Edit marker {run} {time.time_ns()}"
                text = source.read_text(encoding="utf-8")
                start = time.perf_counter()
                source.write_text(text + f"\n{marker}\n", encoding="utf-8")
                page.wait_for_function(f"() => document.body.textContent.includes({marker!r})", timeout=30000)
                samples.append(time.perf_counter() - start)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        # the per-user runtime bundle cache (explainer/assets.py) in a scratch folder, so that the
        # first build of a vl-convert version can be measured without emptying the user's own
        user_cache = Path(tmp) / "user-cache"
        os.environ["XDG_CACHE_HOME"] = str(user_cache)
        project = copy_project(Path(tmp) / "project")
        cache = project / ".cache"
        site = project / "site"

        def ours() -> build.BuildReport:
            return build.build(project / "mkdocs.yml", site, cache_dir=cache)

        def clear_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        def clear_all_caches() -> None:
            clear_cache()
            shutil.rmtree(user_cache, ignore_errors=True)

        loop = project / "content" / "en" / "loop.md"
        facts = project / "content" / "facts.yaml"
        edits = iter(range(10_000))

        def edit_text() -> None:
            loop.write_text(loop.read_text(encoding="utf-8") + f"\nOne more line {next(edits)}.\n", encoding="utf-8")

        def edit_fact() -> None:
            text = facts.read_text(encoding="utf-8")
            old = "en: Share of ChatGPT users who pay"
            new = "en: Share of ChatGPT users paying"
            facts.write_text(text.replace(old, new) if old in text else text.replace(new, old), encoding="utf-8")

        ours()  # warm the imports, the Vega bundle cache and the OS file cache for both sides
        plain_mkdocs(project, Path(tmp) / "plain")
        plain = timed(lambda: plain_mkdocs(project, Path(tmp) / "plain"), args.runs)
        rows = [
            ("first build of a vl-convert version", timed(ours, 3, before=clear_all_caches)),
            ("cold build (no .cache/)", timed(ours, 3, before=clear_cache)),
            ("warm no-op rebuild", timed(ours, args.runs)),
            ("rebuild after a one-line text edit", timed(ours, args.runs, before=edit_text)),
            ("rebuild after a change of one fact", timed(ours, args.runs, before=edit_fact)),
        ]
        latency = live_preview_latency(project, args.runs)
    print(f"Median of {args.runs} runs each, in one process, on this machine.")
    print(f"{'':40} {'seconds':>8} {'x plain mkdocs':>15}")
    print(f"{'plain mkdocs build (same Markdown)':40} {plain:8.3f} {1:15.2f}")
    for name, seconds in rows:
        print(f"{name:40} {seconds:8.3f} {seconds / plain:15.2f}")
    print(
        f"{'live preview: save -> browser shows it':40} {statistics.median(latency):8.3f}"
        f"   (runs: {', '.join(f'{s:.2f}' for s in latency)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
