"""How long an editor waits, from the command line: cold build, no-op, text edit, fact edit.

Every figure is a fresh process, as an editor runs it: `python build.py` on a scratch copy of
the project, against `mkdocs build` of the same Markdown (MkDocs' built-in theme, both languages
in one build, no plugins). The two are measured in interleaved rounds (plain, ours, plain), so
the noise of a shared machine hits both; each ratio is the median over rounds of ours divided
by that round's plain build. Then the live preview's latency (save -> the browser shows it), and
the scaling table: generated sites of 8, 80 and 400 pages per language.

Usage: python benchmarks/rebuild.py [--runs 5] [--sizes 8 80 400]. Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
ARTICLE_LINE = "path: ../shared/source/000_92055ca1eefd094b.txt"
TARGETS = {
    "cold": 6.0,
    "text": 1.2,
    "fact": 4.0,
}  # issue 25 (cold: with vl-convert 2.0): at most this many plain builds
PREVIEW_FACT_TARGET = 2.0  # issue 25: a fact edit in the preview, save -> the browser shows it
FACT_OLD, FACT_NEW = "en: Share of ChatGPT users who pay", "en: Share of ChatGPT users paying"


def copy_project(into: Path) -> Path:
    """A scratch copy of the content, theme and settings, so edits never touch the real files."""
    into.mkdir(parents=True)
    for name in ("content", "templates", "charts"):
        shutil.copytree(ROOT / name, into / name, ignore=shutil.ignore_patterns("__pycache__"))
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # the copy has no ../shared beside it: point it at the article's absolute path (if absent, the
    # quotes are checked against content/quotes.lock, copied with the content)
    article = (ROOT / ARTICLE_LINE.removeprefix("path: ")).resolve()
    (into / "mkdocs.yml").write_text(config.replace(ARTICLE_LINE, f"path: {article}"), encoding="utf-8")
    return into


def plain_project(project: Path, into: Path) -> Path:
    """The same Markdown for a plain MkDocs: both languages' folders in one docs folder."""
    for lang_dir in (project / "content").iterdir():
        if lang_dir.is_dir() and any(lang_dir.glob("*.md")):
            shutil.copytree(lang_dir, into / "docs" / lang_dir.name, ignore=shutil.ignore_patterns("*.yaml"))
    (into / "mkdocs.yml").write_text("site_name: plain\ntheme:\n  name: mkdocs\n", encoding="utf-8")
    return into


class Timing(NamedTuple):
    wall: float  # seconds on the clock
    cpu: float  # CPU seconds of the process and its children (the chart workers): less noisy on a busy machine


def run(command: list[str], env: dict[str, str]) -> Timing:
    """How long a command takes as a fresh process; a failure stops the benchmark."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        msg = f"{' '.join(command)} failed:\n{done.stderr}"
        raise RuntimeError(msg)
    return Timing(seconds, after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)


class Bench:
    """One scratch project and the two commands that build it."""

    def __init__(self, project: Path, env: dict[str, str]) -> None:
        self.project = project
        self.env = env
        self.site = project / "site"
        self.plain = plain_project(project, project.parent / f"{project.name}-plain")

    def ours(self) -> Timing:
        config, site = self.project / "mkdocs.yml", self.site
        return run(
            [sys.executable, str(ROOT / "build.py"), "-q", "--config", str(config), "--site-dir", str(site)], self.env
        )

    def mkdocs(self) -> Timing:
        config = self.plain / "mkdocs.yml"
        return run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], self.env)

    def clear_cache(self) -> None:
        shutil.rmtree(self.project / ".cache", ignore_errors=True)


def marker() -> str:
    """A fresh word for each edit, in letters: a number such as 17641762029… holds '2029', a hedged
    figure, and the typed-figure guard finds figures inside longer numbers too (the edit failed)."""
    return "".join("abcdefghij"[int(digit)] for digit in str(time.time_ns()))


def edit_text(page: Path, marker: str) -> None:
    """Append one line to a page (ours and the plain copy see the same kind of edit)."""
    page.write_text(page.read_text(encoding="utf-8") + f"\nOne more line, {marker}.\n", encoding="utf-8")


def edit_fact(project: Path) -> None:
    """Change one fact's English label, back and forth (the charts that use it re-render)."""
    facts = project / "content" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    changed = text.replace(FACT_OLD, FACT_NEW) if FACT_OLD in text else text.replace(FACT_NEW, FACT_OLD)
    facts.write_text(changed, encoding="utf-8")


KINDS = ("cold", "noop", "text", "fact")


def rounds(bench: Bench, runs: int, only: tuple[str, ...] = KINDS) -> dict[str, list[tuple[Timing, Timing]]]:
    """Per kind of build, (ours, plain) per round; plain is the mean of the builds either side."""
    every: dict[str, Callable[[], object]] = {
        "cold": bench.clear_cache,
        "noop": lambda: None,
        "text": lambda: edit_text(bench.project / "content" / "en" / "loop.md", f"edit {marker()}"),
        "fact": lambda: edit_fact(bench.project),
    }
    kinds = {kind: before for kind, before in every.items() if kind in only}
    samples: dict[str, list[tuple[Timing, Timing]]] = {kind: [] for kind in kinds}
    for _ in range(runs):
        for kind, before in kinds.items():
            before()
            plain_before = bench.mkdocs()
            ours = bench.ours()
            plain_after = bench.mkdocs()
            plain = Timing(*((a + b) / 2 for a, b in zip(plain_before, plain_after, strict=True)))
            samples[kind].append((ours, plain))
    return samples


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float = 120) -> None:
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


def live_preview_latency(bench: Bench, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from saving an edit to the browser showing it, through `build.py serve`: a Markdown
    edit, and a fact's label changed in facts.yaml (shown in the about page's fact table)."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--config", str(bench.project / "mkdocs.yml")]
    command += ["--site-dir", str(bench.project / "serve-site"), "--port", str(port), "-q"]
    server = subprocess.Popen(command, env=bench.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples: list[float] = []
    fact_samples: list[float] = []
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
            source = bench.project / "content" / "en" / "rally.md"
            for run_number in range(runs):
                edit_line = f"Edit marker {run_number} {time.time_ns()}"
                text = source.read_text(encoding="utf-8")
                start = time.perf_counter()
                source.write_text(text + f"\n{edit_line}\n", encoding="utf-8")
                page.wait_for_function(f"() => document.body.textContent.includes({edit_line!r})", timeout=30000)
                samples.append(time.perf_counter() - start)
            # a fact's English label with a fresh word in it: the about page's fact table shows it
            # (and the chart drawn from the fact is drawn again in the same build)
            page.goto(f"http://127.0.0.1:{port}/en/about/")
            page.wait_for_function("() => document.body && document.body.textContent.length > 100", timeout=60000)
            facts_file = bench.project / "content" / "facts.yaml"
            original = facts_file.read_text(encoding="utf-8")
            label = FACT_OLD if FACT_OLD in original else FACT_NEW
            try:
                for _ in range(runs):
                    word = marker()
                    start = time.perf_counter()
                    facts_file.write_text(original.replace(label, f"{label} {word}", 1), encoding="utf-8")
                    page.wait_for_function(f"() => document.body.textContent.includes({word!r})", timeout=60000)
                    fact_samples.append(time.perf_counter() - start)
            finally:
                facts_file.write_text(original, encoding="utf-8")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return samples, fact_samples


# -- scaling: generated sites ---------------------------------------------------------------

PAGE = {
    "zh": "---\ntitle: 示例第{n}页\ndescription: 生成的示例页面，第{n}页。\n---\n\n# 示例第{n}页\n\n{body}",
    "en": "---\ntitle: Sample page {n}\ndescription: A generated sample page, number {n}.\n---\n\n# Sample page {n}\n\n{body}",
}
SECTION = {
    "zh": "## 第{s}节\n\n这是生成页面{n}的第{s}节，用来测量构建时间。科技股的涨幅是 {{{{ fact mag7_market_cap_gain }}}}。"
    "下一页见[这里]({next})。\n\n",
    "en": "## Part {s}\n\nThis is part {s} of generated page {n}, there to time the build. Tech stocks gained "
    "{{{{ fact mag7_market_cap_gain }}}}. The next page is [here]({next}).\n\n",
}


def generated_project(into: Path, pages: int) -> Path:
    """A project with the real theme, facts and interface strings and `pages` generated pages per
    language (three sections each, a fact and a link to the next page), all in the nav."""
    copy_project(into)
    names = ["index.md"] + [f"page-{n:04d}.md" for n in range(1, pages)]
    for lang in ("zh", "en"):
        folder = into / "content" / lang
        shutil.rmtree(folder)
        folder.mkdir()
        for n, name in enumerate(names):
            body = "".join(SECTION[lang].format(s=s, n=n, next=names[(n + 1) % pages]) for s in (1, 2, 3))
            (folder / name).write_text(PAGE[lang].format(n=n, body=body), encoding="utf-8")
    (into / "content" / "corrections.yaml").unlink(missing_ok=True)  # it names the real site's pages
    config = into / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    nav = "nav:\n" + "".join(f"  - {name}\n" for name in names)
    text = re.sub(r"^nav:\n(?:  - .*\n)+", nav, text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^  sources_page: .*\n", "", text, flags=re.MULTILINE)  # about.md is gone: the nav's last
    config.write_text(text, encoding="utf-8")
    return into


def file_hashes(site: Path) -> dict[str, str]:
    """Every published file's content hash (without the compressed copies, which follow their file)."""
    return {
        str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in site.rglob("*")
        if path.is_file() and path.suffix not in (".gz", ".br")
    }


def scaling_row(base: Path, pages: int, env: dict[str, str], runs: int) -> tuple[Timing, float, list[str]]:
    """(cold build, text-edit rebuild seconds, files a one-line text edit changed)."""
    bench = Bench(generated_project(base / f"gen-{pages}", pages), env)
    cold = []
    for _ in range(runs):
        bench.clear_cache()
        cold.append(bench.ours())
    page = bench.project / "content" / "en" / "page-0001.md"
    text, changed = [], []
    for run_number in range(runs):
        before = file_hashes(bench.site)
        edit_text(page, f"edit {run_number}")
        text.append(bench.ours().wall)
        after = file_hashes(bench.site)
        changed = sorted(name for name in after.keys() | before.keys() if before.get(name) != after.get(name))
    median = Timing(statistics.median(t.wall for t in cold), statistics.median(t.cpu for t in cold))
    return median, statistics.median(text), changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=[8, 80, 400])
    parser.add_argument("--no-preview", action="store_true", help="skip the live preview's latency")
    parser.add_argument("--scaling-only", action="store_true", help="print only the scaling table")
    parser.add_argument(
        "--no-bytecode", action="store_true", help="compile our modules on every run (PYTHONDONTWRITEBYTECODE=1)"
    )
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS), help="which rebuilds to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # the per-user cache (explainer/write/assets.py: the runtime bundle, the charts' font copy) in a
        # scratch folder, so that a user's first build is measured without emptying the user's own
        # Python's compiled modules kept (in a scratch folder), as on an editor's machine: with
        # PYTHONDONTWRITEBYTECODE set (as in some sandboxes) our ~40 modules were compiled from source
        # on every run (0.3 s) while MkDocs' came precompiled from its install
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env |= {"XDG_CACHE_HOME": str(Path(tmp) / "user-cache"), "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}
        if args.no_bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        bench = Bench(copy_project(Path(tmp) / "project"), env)
        first = (bench.ours(), bench.mkdocs())  # also makes the runtime bundle the scaling sites use
        if not args.scaling_only:
            bench.ours()  # the OS file cache warm for both sides
            samples = rounds(bench, args.runs, tuple(args.kinds))
            latency = ([], []) if args.no_preview else live_preview_latency(bench, args.runs)
        scaling = [(pages, *scaling_row(Path(tmp), pages, env, 3)) for pages in args.sizes]
    if not args.scaling_only:
        print_rounds(args.runs, first, samples, latency)
    print_scaling(scaling)
    return 0


def print_rounds(
    runs: int,
    first: tuple[Timing, Timing],
    samples: dict[str, list[tuple[Timing, Timing]]],
    latency: tuple[list[float], list[float]],
) -> None:
    plain = statistics.median(p.wall for kind in samples.values() for _, p in kind)
    plain_cpu = statistics.median(p.cpu for kind in samples.values() for _, p in kind)
    print(f"Fresh processes from the command line; median of {runs} interleaved rounds on this machine.")
    print(f"{'':42} {'seconds':>8} {'x plain mkdocs':>15} {'target':>8} {'CPU s':>7} {'CPU x plain':>12}")
    print(
        f"{'plain `mkdocs build` (same Markdown, zh+en)':42} {plain:8.2f} {1:15.2f} {'':8} {plain_cpu:7.2f} {1:12.2f}"
    )
    names = {
        "cold": "cold build (no .cache/)",
        "noop": "no-op rebuild",
        "text": "rebuild after a one-line text edit",
        "fact": "rebuild after a change of one fact",
    }
    ours, plain_first = first
    print(
        f"{'first build for a user (Vega bundle, font)':42} {ours.wall:8.2f} {ours.wall / plain_first.wall:15.2f} "
        f"{'':8} {ours.cpu:7.2f} {ours.cpu / plain_first.cpu:12.2f}"
    )
    for kind, name in names.items():
        if kind not in samples:
            continue
        wall = statistics.median(o.wall for o, _ in samples[kind])
        ratio = statistics.median(o.wall / p.wall for o, p in samples[kind])
        cpu = statistics.median(o.cpu for o, _ in samples[kind])
        cpu_ratio = statistics.median(o.cpu / p.cpu for o, p in samples[kind])
        target = f"<= {TARGETS[kind]:g}" if kind in TARGETS else ""
        print(f"{name:42} {wall:8.2f} {ratio:15.2f} {target:>8} {cpu:7.2f} {cpu_ratio:12.2f}")
    text_latency, fact_latency = latency
    if text_latency:
        runs_text = ", ".join(f"{s:.2f}" for s in text_latency)
        print(
            f"{'live preview: text edit -> browser shows it':42} {statistics.median(text_latency):8.2f} "
            f"{statistics.median(text_latency) / plain:15.2f}          (runs: {runs_text})"
        )
    if fact_latency:
        runs_fact = ", ".join(f"{s:.2f}" for s in fact_latency)
        print(
            f"{'live preview: fact edit -> browser shows it':42} {statistics.median(fact_latency):8.2f} "
            f"{statistics.median(fact_latency) / plain:15.2f} {'<= ' + format(PREVIEW_FACT_TARGET, 'g'):>8} "
            f"(runs: {runs_fact})"
        )
    print()


def print_scaling(scaling: list[tuple[int, Timing, float, list[str]]]) -> None:
    print("Scaling: generated sites (3 sections, a fact and a link per page), median of 3 fresh processes.")
    print(
        f"{'pages/lang':>10} {'cold build s':>13} {'ms/page':>8} {'CPU ms/page':>12} {'CPU ms/added page':>18} "
        f"{'text edit s':>12}  files a one-line text edit changed"
    )
    previous = None
    for pages, timing, text, changed in scaling:
        per_page = timing.wall / (2 * pages) * 1000
        cpu_page = timing.cpu / (2 * pages) * 1000
        added = f"{(timing.cpu - previous[1]) / (2 * (pages - previous[0])) * 1000:18.1f}" if previous else f"{'':18}"
        html = [name for name in changed if name.endswith(".html")]
        summary = f"{len(html)} page{'s' * (len(html) != 1)} + {', '.join(n for n in changed if n not in html) or '-'}"
        print(f"{pages:10} {timing.wall:13.2f} {per_page:8.1f} {cpu_page:12.1f} {added} {text:12.2f}  {summary}")
        previous = (pages, timing.cpu)


if __name__ == "__main__":
    sys.exit(main())
