"""Shared fixtures: the real site built once into a temp dir, and small throwaway projects.

Nothing here writes into the working tree: every build gets a site folder and a chart cache
under pytest's temp dir. The one cold build of the real content (`cold_build`) is shared by the
site, budget, embed and incremental tests; the incremental tests edit copies of it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import http.server
import json
import os
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from explainer import builder
from explainer.load.chart_folder import ChartFolder
from explainer.load.quotes import ENV_VAR, LOCK_NAME, QuoteChecker, QuoteLock, quote_checker
from explainer.load.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
# The article is at hand in our checkouts and CI (../shared), or wherever $EXPLAINER_ARTICLE says;
# a user's clone has neither, and the tests that need its text skip.
ARTICLE = Path(os.environ.get(ENV_VAR) or ROOT / ".." / "shared" / "source" / "000_92055ca1eefd094b.txt").resolve()
ARTICLE_PATH_IN_CONFIG = "path: ../shared/source/000_92055ca1eefd094b.txt"
_SETTINGS = load_settings(ROOT / "mkdocs.yml")
CHARTS = ChartFolder(_SETTINGS.charts_dir)  # this explainer's charts, as the engine loads them
LANGS = tuple(_SETTINGS.codes)  # read from the site's settings, so a new page or language edits no test
PAGES = tuple(Path(entry).stem for entry in _SETTINGS.nav)
FIXTURES = ROOT / "tests" / "fixtures"  # small invented projects (tests/fixtures/README.md)
SMALL = FIXTURES / "small"  # the one most engine tests build (small_project)
needs_article = pytest.mark.skipif(
    not ARTICLE.is_file(), reason=f"the article is not at hand ({ARTICLE}); set {ENV_VAR} to run this test"
)


# Tests that use any of these need the real site built, a browser or a server: `make test` runs
# them, `make check` (quick, no browser, no sudo) leaves them out with -m "not slow".
SLOW_FIXTURES = frozenset({"cold_build", "built_site", "published_build", "published_site", "browser", "nginx"})


# Module-scoped fixtures that are slow to make (every chart rendered, every page opened in
# Chromium, a running preview): under `--dist loadgroup` (`make test`) the
# tests that use one go to one xdist worker together, so each is made once per run, not once per
# worker (and again whenever a worker comes back to the module).
ONE_WORKER_FIXTURES = frozenset({"rendered", "live_pages", "preview"})
# Session fixtures shared by tests of several files, slow to make: those tests go to one worker
# together, whatever their file (the group is the fixture's name), so it is made once per run.
# (WordPress with MariaDB depends on local_site too, so it goes with it.)
ONE_WORKER_SESSION_FIXTURES = ("local_site",)  # the site at its own address: WordPress, oEmbed consumers
SCHEDULE_FILE = "xdist-schedule.json"  # what the workers tell the controller's scheduler
# A slow test costs about ten quick ones; the scheduler hands out the heaviest work first, and a
# slow test that needs no shared build weighs a little more, so one worker runs those while the
# other makes the cold build that most of the rest wait for.
SLOW_WEIGHT, SLOW_WITHOUT_BUILD_WEIGHT = 10, 11
SHARED_BUILDS = frozenset({"cold_build", "published_build"})


def schedule_weight(item: pytest.Item, names: set[str]) -> int:
    """How much work a test is, for the scheduler (tests/scheduling.py)."""
    if not item.get_closest_marker("slow"):
        return 1
    return SLOW_WEIGHT if SHARED_BUILDS & names else SLOW_WITHOUT_BUILD_WEIGHT


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark a test slow by what it uses, so no test file has to keep a list up to date; under
    xdist, tell the scheduler (WeightedGroupScheduling) each test's group and weight."""
    schedule = {}
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if SLOW_FIXTURES & names:
            item.add_marker(pytest.mark.slow)
        shared = [name for name in ONE_WORKER_SESSION_FIXTURES if name in names]
        group = shared[0] if shared else Path(item.path).stem if ONE_WORKER_FIXTURES & names else None
        schedule[item.nodeid] = [group, schedule_weight(item, names)]
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # every worker collects the same tests and writes the same plan; the controller reads it
        # once all have finished collecting (pytest 9 ignores xdist's own nodeid@group suffix)
        target = run_temp(config._tmp_path_factory) / SCHEDULE_FILE
        partial = target.with_name(f"{target.name}.{os.environ['PYTEST_XDIST_WORKER']}")
        partial.write_text(json.dumps(schedule), encoding="utf-8")
        partial.replace(target)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """`--dist loadgroup`: WeightedGroupScheduling instead of xdist's own."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from tests.scheduling import WeightedGroupScheduling

    return WeightedGroupScheduling(config, log, config._tmp_path_factory.getbasetemp() / SCHEDULE_FILE)


def article_text() -> str:
    """The article's own lines (1-131), as the build reads them."""
    return "\n".join(ARTICLE.read_text(encoding="utf-8").splitlines()[:131])


def article_checker() -> QuoteChecker:
    """Quotes checked against the article itself (for the tests that need its text)."""
    return QuoteChecker(ARTICLE, article_text(), QuoteLock(Path(LOCK_NAME)))


def real_quotes() -> QuoteChecker:
    """Quotes checked as the build checks them: in the article if at hand, else against the lock."""
    return quote_checker(ARTICLE, 131, ROOT / "content" / LOCK_NAME)


def with_article(config: str) -> str:
    """Point a copy of mkdocs.yml at the article wherever it is (a copied project has no ../shared)."""
    return config.replace(ARTICLE_PATH_IN_CONFIG, f"path: {ARTICLE}")


# Debian's headless shell: the same Blink and V8 as its chromium without the desktop browser around
# them (Playwright's own headless mode is this shell): a third less CPU for the same pages; the
# full /usr/bin/chromium when the shell is not installed
CHROMIUM_BINARIES = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
CHROMIUM = next((b for b in CHROMIUM_BINARIES if Path(b).exists()), CHROMIUM_BINARIES[-1])
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


# The page's readiness mark: the last part of site.js (explainer/theme/assets/ready.js) sets
# <html data-ready="1"> once the page's scripts have done their startup work; nothing the page
# does on its own starts a request after it (docs/testing.md).
PAGE_READY = "() => document.documentElement.dataset.ready === '1'"
# Two animation frames in the page: input already sent has been handled, scroll events and
# intersection observers included (they run in a frame's rendering steps), so whatever it made
# the page fetch has been asked for.
TWO_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"


class Network:
    """A tab's requests as Playwright reports them (started, and ended: finished or failed), for
    waiting on what the page asked for instead of on half a second of network quiet."""

    def __init__(self, page) -> None:
        self.page = page
        self.started: list = []
        self.ended: set = set()
        self.listeners = {
            "request": lambda request: self.started.append(request),
            "requestfinished": lambda request: self.ended.add(request),
            "requestfailed": lambda request: self.ended.add(request),
        }
        for event, listener in self.listeners.items():
            page.on(event, listener)

    def in_flight(self) -> list:
        return [request for request in self.started if request not in self.ended]

    def settle(self, frame=None) -> list[str]:
        """Wait until the page (or our page in this `frame` of a host's page) is ready, its
        scripts' startup done, and every request the tab has started, by itself or for what the
        reader did, has ended; return the addresses started after the readiness mark was seen
        (once a page is ready, only the reader's acts start a request: a page that fetches on its
        own afterwards shows here)."""
        ours = frame or self.page
        ours.wait_for_function(PAGE_READY)
        seen = len(self.started)
        while True:
            ours.evaluate(TWO_FRAMES)
            pending = self.in_flight()
            if not pending:
                return [request.url for request in self.started[seen:]]
            for request in pending:
                response = request.response()  # None when it failed
                if response is not None:
                    response.finished()
                self.ended.add(request)

    def detach(self) -> None:
        for event, listener in self.listeners.items():
            self.page.remove_listener(event, listener)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) for every browser test of the session: Playwright's sync
    API allows one instance at a time."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the builds of the real content in a session (never the working tree's .cache)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def vega_cache(session_cache: Path) -> Path:
    """The bundled Vega runtime, made once per session and shared by test projects."""
    folder = session_cache / "vega"
    folder.mkdir(exist_ok=True)
    return folder


def own_cache(project: Path, vega_cache: Path) -> Path:
    """Give a test project its own chart cache, sharing only the (slow to bundle) Vega runtime."""
    cache = project / ".cache"
    cache.mkdir()
    (cache / "vega").symlink_to(vega_cache, target_is_directory=True)
    return cache


def copy_code(project: Path) -> Path:
    """Give a test project its own copy of the engine (build.py, explainer/), so a test can break
    the engine's code without touching the repository; run it as `project/build.py`. (A project's
    charts are its own already: copy_project and small_project copy them.)"""
    shutil.copytree(ROOT / "explainer", project / "explainer", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "build.py", project / "build.py")
    return project / "build.py"


def copy_project(into: Path) -> Path:
    """A copy of the real content, theme and settings (the article read from wherever it is)."""
    for name in ("content", "templates", "charts"):
        shutil.copytree(ROOT / name, into / name, ignore=shutil.ignore_patterns("__pycache__"))
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (into / "mkdocs.yml").write_text(with_article(config), encoding="utf-8")
    return into


def link_copy(source: Path, target: Path) -> None:
    """Copy a cache folder by hard links: fast, and safe because cache files are only ever replaced."""
    shutil.copytree(source, target, copy_function=os.link)


@dataclass(frozen=True)
class ColdBuild:
    """The real content built once from nothing: its project copy, chart cache, site and report."""

    project: Path
    cache: Path
    site: Path
    report: builder.BuildReport


def run_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's temp dir: under pytest-xdist the one above each worker's own, shared by all."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def build_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], builder.BuildReport]
) -> Path:
    """Run a build once per test run, whichever xdist worker asks first: the others wait for it
    and reuse its folder (nobody writes into it afterwards: tests that edit work on copies).
    `make` builds into the folder it is given; returns that folder."""
    base = run_temp(tmp_path_factory)
    folder, done = base / name, base / f"{name}.json"
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker's build that failed
            folder.mkdir()
            report = make(folder)
            done.write_text(json.dumps(dataclasses.asdict(report)), encoding="utf-8")
    return folder


def saved_report(folder: Path) -> builder.BuildReport:
    """The report a build_once build left beside its folder."""
    saved = json.loads(folder.with_name(f"{folder.name}.json").read_text(encoding="utf-8"))
    return builder.BuildReport(
        timings=saved["timings"],
        rendered=[tuple(chart) for chart in saved["rendered"]],
        reused=[tuple(chart) for chart in saved["reused"]],
    )


@pytest.fixture(scope="session")
def cold_build(tmp_path_factory: pytest.TempPathFactory) -> ColdBuild:
    """Build the real content once per run, with an empty chart cache, into a temp dir (shared by
    the xdist workers)."""

    def make(project: Path) -> builder.BuildReport:
        copy_project(project)
        return builder.build(project / "mkdocs.yml", project / "site", cache_dir=project / ".cache")

    project = build_once(tmp_path_factory, "cold-build", make)
    return ColdBuild(project, project / ".cache", project / "site", saved_report(project))


@pytest.fixture(scope="session")
def built_site(cold_build: ColdBuild) -> Path:
    """The real content's site (built once per session, never the real site/)."""
    return cold_build.site


PUBLIC_URL = "https://ono.example/explainer/"


@pytest.fixture(scope="session")
def published_build(tmp_path_factory: pytest.TempPathFactory, cold_build: ColdBuild) -> ColdBuild:
    """The real content built with a public address (site_url), as it would be published: once
    per run, from a copy of the cold build's cache (charts do not depend on the address, so they
    are reused, not rendered; the share images and PNG downloads are made here)."""

    def make(folder: Path) -> builder.BuildReport:
        copy_project(folder)  # a copy: a build with the article at hand refreshes content/quotes.lock
        link_copy(cold_build.cache, folder / ".cache")
        return builder.build(folder / "mkdocs.yml", folder / "site", site_url=PUBLIC_URL, cache_dir=folder / ".cache")

    folder = build_once(tmp_path_factory, "published", make)
    return ColdBuild(folder, folder / ".cache", folder / "site", saved_report(folder))


@pytest.fixture(scope="session")
def published_site(published_build: ColdBuild) -> Path:
    """The published build's site."""
    return published_build.site


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A chart cache for the small projects of one session, under pytest's temp dir."""
    return tmp_path_factory.mktemp("cache")


def page_path(site: Path, lang: str, page: str) -> Path:
    """Where a page's HTML lands: zh at the root, en under /en/."""
    prefix = site if lang == "zh" else site / lang
    return prefix / "index.html" if page == "index" else prefix / page / "index.html"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vega_cache: Path) -> Path:
    """The small invented project in a temp dir (see small_project), the test's working directory."""
    small_project(tmp_path, vega_cache)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def small_project(tmp_path: Path, vega_cache: Path) -> Path:
    """A small invented project (tests/fixtures/small: its own source, speakers, units, three facts
    and one chart; two short pages per language), with the engine's theme copied as its own
    templates, so a test may break any of them. It never touches the real article."""
    shutil.copytree(SMALL, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "explainer" / "theme", tmp_path / "templates")
    own_cache(tmp_path, vega_cache)
    return tmp_path


def small_source() -> QuoteChecker:
    """The small fixture's quotes checked against its own invented source, as its build checks them."""
    settings = load_settings(SMALL / "mkdocs.yml")
    return quote_checker(settings.article_path, settings.article_last_line, SMALL / "content" / LOCK_NAME)


# The browser tests' shared pieces: one Chromium and one server per session, whichever test files run.


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        """Keep the test output clean."""


@contextlib.contextmanager
def serving(folder: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] | None = None) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a port of its own, so an origin of its own) while in use;
    `handler_class` (a QuietHandler by default) may add the headers a kind of host sends."""
    handler = functools.partial(handler_class or QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@contextlib.contextmanager
def published_locally(folder: Path, published: ColdBuild) -> Iterator[str]:
    """The real site built for, and served at, its own public address on 127.0.0.1 (oEmbed
    consumers need an absolute one), from a copy of the published build's cache: only what names
    the address is made again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    copy_project(folder)
    link_copy(published.cache, folder / "cache")
    builder.build(folder / "mkdocs.yml", folder / "site", site_url=url, cache_dir=folder / "cache")
    handler = functools.partial(QuietHandler, directory=str(folder / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield url
    finally:
        httpd.shutdown()


@pytest.fixture(scope="session")
def local_site(tmp_path_factory: pytest.TempPathFactory, published_build: ColdBuild) -> Iterator[str]:
    """The real site built for, and served at, its own address on 127.0.0.1 (published_locally),
    once per run for the WordPress and oEmbed consumer tests (one worker runs them all: see
    ONE_WORKER_SESSION_FIXTURES); neither writes into it."""
    with published_locally(tmp_path_factory.mktemp("local-site"), published_build) as url:
        yield url


@pytest.fixture(scope="session")
def server(built_site: Path) -> Iterator[str]:
    """Serve the built site for the browser."""
    with serving(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def reused_tab(browser) -> Iterator[Callable[..., object]]:
    """One tab per set of context options for the worker's session (`slot` gives a test a second
    one with the same options), for checks that load a page and read it: opening a tab starts a
    renderer process, which compiles the chart runtime again (a sweep of every page with its
    charts live took three times the CPU time in a tab per page). A kept tab comes back at its
    options' viewport with the pointer in the top left corner, off every chart (a chart under the
    pointer would turn interactive by itself on the next page). Listeners added to it stay for
    later tests, so a check that listens removes its listeners (see watch_reused)."""
    tabs: dict[str, object] = {}

    def get(slot: int = 0, **options):
        key = json.dumps([slot, options], sort_keys=True)
        if key not in tabs or tabs[key].is_closed():
            tabs[key] = browser.new_context(**options).new_page()
        tab = tabs[key]
        if "viewport" in options and tab.viewport_size != options["viewport"]:
            tab.set_viewport_size(options["viewport"])
        tab.mouse.move(0, 0)
        return tab

    yield get
    for tab in tabs.values():
        tab.context.close()


@pytest.fixture
def context_factory(browser) -> Iterator:
    """Make browser contexts (window size, colour scheme, JavaScript on or off) closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
