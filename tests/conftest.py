"""Shared fixtures: the real site built once into a temp dir, and small throwaway projects."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import build

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = (ROOT / ".." / "shared" / "source" / "000_92055ca1eefd094b.txt").resolve()
LANGS = ("zh", "en")
PAGES = ("index", "rally", "huang", "loop", "circular", "losses", "bets", "about")


def article_text() -> str:
    """The article's own lines (1-131), as the build reads them."""
    return "\n".join(ARTICLE.read_text(encoding="utf-8").splitlines()[:131])


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the real content once per test session, into a temp dir (never the real site/)."""
    site = tmp_path_factory.mktemp("built") / "site"
    build.build(ROOT / "mkdocs.yml", site)
    return site


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content built with a public address (site_url), as it would be published."""
    site = tmp_path_factory.mktemp("published") / "site"
    build.build(ROOT / "mkdocs.yml", site, site_url="https://ono.example/explainer/")
    return site


def page_path(site: Path, lang: str, page: str) -> Path:
    """Where a page's HTML lands: zh at the root, en under /en/."""
    prefix = site if lang == "zh" else site / lang
    return prefix / "index.html" if page == "index" else prefix / page / "index.html"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small project in a temp dir: the real theme, two short pages per language, three facts."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "content" / "ui", tmp_path / "content" / "ui")
    (tmp_path / ".cache").symlink_to(ROOT / ".cache", target_is_directory=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("path: ../shared/source/000_92055ca1eefd094b.txt", f"path: {ARTICLE}")
    config = (
        config.split("nav:")[0]
        + "nav:\n  - index.md\n  - about.md\n\n"
        + "markdown_extensions:"
        + config.split("markdown_extensions:")[1]
    )
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    (tmp_path / "content" / "facts.yaml").write_text(
        textwrap.dedent(
            """\
            openai_loss_2025:
              value: 5000000000
              unit: usd
              period: "2025"
              qualifier: expected
              label: {zh: OpenAI 2025年预计亏损, en: OpenAI's expected loss in 2025}
              quote: "财务文件显示,OpenAI 在2025年预计亏损50亿美元"
            openai_loss_2026:
              value: 14000000000
              unit: usd
              period: "2026"
              label: {zh: OpenAI 2026年预计亏损, en: OpenAI's expected loss in 2026}
              quote: "2026年扩大到140亿美元"
            oracle_nvidia_gpu_spend:
              value: null
              unit: usd
              period: not stated
              label: {zh: 甲骨文向英伟达采购 GPU 的金额, en: Oracle's spending on Nvidia GPUs}
              quote: "甲骨文向英伟达购买 GPU 来搭建 AI 基础设施"
            """
        ),
        encoding="utf-8",
    )
    pages = {
        "zh": ("首页", "亏损:{{ fact openai_loss_2025 }}。", "关于", "{{ fact_table }}"),
        "en": ("Home", "Loss: {{ fact openai_loss_2025 }}.", "About", "{{ fact_table }}"),
    }
    for lang, (home, body, about, table) in pages.items():
        folder = tmp_path / "content" / lang
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(
            f"---\ntitle: {home}\ndescription: {home}.\n---\n\n# {home}\n\n{body}\n", encoding="utf-8"
        )
        (folder / "about.md").write_text(
            f"---\ntitle: {about}\ndescription: {about}.\n---\n\n# {about}\n\n{table}\n", encoding="utf-8"
        )
    monkeypatch.chdir(tmp_path)
    return tmp_path


# The browser tests' shared pieces: one Chromium and one server per session, whichever test files run.
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        """Keep the test output clean."""


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a port of its own, so an origin of its own) while in use."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="session")
def server(built_site: Path) -> Iterator[str]:
    """Serve the built site for the browser."""
    with serving(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test of the session."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()
