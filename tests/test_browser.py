"""What only a browser shows: charts visible with JavaScript off, interactive with it on,
no request off the machine, no console error, a counterpart behind the language switch,
nothing wider than a phone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import LANGS, PAGES, ROOT, Network, copy_project, link_copy, serving

playwright_api = pytest.importorskip("playwright.sync_api")

CHART_PAGES = (
    "index",
    "loop",
    "losses",
    "bets",
    *(f"embed/{c}" for c in ("ono_loop", "openai_losses", "nvidia_tranches", "chatgpt_paying", "dollar_scale")),
)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# git-ignored; SCREENSHOTS=/some/folder keeps them elsewhere (a read-only clone, CI artifacts)
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS") or ROOT / "screenshots")
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


# JPEG: a full page at a phone's 2x took Chromium 1-4 s to encode as PNG, about half that as JPEG
SHOT = {"type": "jpeg", "quality": 90, "full_page": True}


def screenshot(tab, lang: str, page: str, size: str) -> None:
    """Keep a full-page picture of what the reader sees, in the git-ignored screenshots/ folder."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.evaluate("window.scrollTo(0, 0)")
    tab.screenshot(path=str(SCREENSHOTS / f"{lang}-{page}-{size}.jpg"), **SHOT)


def url_path(lang: str, page: str) -> str:
    prefix = "/" if lang == "zh" else "/en/"
    return prefix if page == "index" else f"{prefix}{page}/"


class Watched:
    """A page with its console errors, failed requests and every host it asked for, and its
    requests in flight (`network.settle()`: ready, and nothing it asked for still loading)."""

    def __init__(self, page, origin: str) -> None:
        self.page = page
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.off_host: list[str] = []
        self.requests: list[str] = []
        host = urlparse(origin).netloc

        def on_request(request) -> None:
            self.requests.append(request.url)
            if urlparse(request.url).netloc not in (host, "") and not request.url.startswith("data:"):
                self.off_host.append(request.url)

        self.listeners = {
            "console": lambda m: m.type == "error" and self.errors.append(m.text),
            "pageerror": lambda e: self.errors.append(str(e)),
            "requestfailed": lambda r: self.failed.append(r.url),
            "response": lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"),
            "request": on_request,
        }
        for event, listener in self.listeners.items():
            page.on(event, listener)
        self.network = Network(page)

    def detach(self) -> None:
        """Stop listening: the tab goes on to another test (see watch_reused)."""
        for event, listener in self.listeners.items():
            self.page.remove_listener(event, listener)
        self.network.detach()


def open_page(context_factory, server: str, lang: str, page: str, **options) -> Watched:
    context = context_factory(**options)
    tab = context.new_page()
    watched = Watched(tab, server)
    tab.goto(server + url_path(lang, page), wait_until="load")
    return watched


def reuse_page(reused_tab, server: str, lang: str, page: str, **options):
    """A page loaded in the worker's kept tab for these options (a fresh page, the same renderer)."""
    tab = reused_tab(**options)
    tab.goto(server + url_path(lang, page), wait_until="load")
    return tab


@pytest.fixture
def watch_reused(reused_tab) -> Iterator:
    """Open a page, watched, in the worker's kept tab for these options; stop watching after the
    test. The tab goes to about:blank first, so nothing the last page had in flight is counted."""
    watching: list[Watched] = []

    def open_watched(server: str, lang: str, page: str, **options) -> Watched:
        tab = reused_tab(**options)
        tab.goto("about:blank")
        watching.append(Watched(tab, server))
        tab.goto(server + url_path(lang, page), wait_until="load")
        return watching[-1]

    yield open_watched
    for watched in watching:
        watched.detach()


def make_charts_live(tab) -> int:
    """Reach for each chart as a reader would (scroll to it, point at it); wait until all are live."""
    figures = tab.locator(".chart").count()
    for i in range(figures):
        chart = tab.locator(".chart").nth(i)
        chart.scroll_into_view_if_needed()
        chart.locator(".chart-canvas").hover(force=True)
    if figures:
        tab.wait_for_function(
            "n => document.querySelectorAll('.chart.is-live').length === n", arg=figures, timeout=15000
        )
    return figures


@dataclass
class LivePage:
    """A page as the reader left it after reaching every chart: what it had logged by then, and
    then axe-core's violations in it (None when axe-core is missing)."""

    errors: list[str]
    failed: list[str]
    off_host: list[str]
    axe: list[str] | None


@pytest.fixture(scope="module")
def live_pages(browser, server) -> Iterator:
    """Open each page once at desktop size with its charts made live, for the checks that only
    read it (a clean load, accessibility): what it logged while loading, kept apart from what
    axe-core's script adds after, its screenshot, and axe's findings. One tab goes from page to
    page: the chart runtime is fetched and compiled once, and no renderer is started per page."""
    opened: dict[tuple[str, str], LivePage] = {}
    tabs = []

    def get(lang: str, page: str) -> LivePage:
        if (lang, page) not in opened:
            if not tabs:
                tabs.append(browser.new_context(**DESKTOP).new_page())
            tab = tabs[0]
            tab.goto("about:blank")  # nothing the last page had in flight is counted
            watched = Watched(tab, server)
            tab.goto(server + url_path(lang, page), wait_until="load")
            make_charts_live(tab)
            # the picture first, still listening; then whatever is still loading is waited for
            screenshot(tab, lang, page, "desktop")
            watched.network.settle()
            watched.detach()
            axe = axe_violations(tab) if AXE.exists() else None
            opened[(lang, page)] = LivePage([*watched.errors], [*watched.failed], [*watched.off_host], axe)
        return opened[(lang, page)]

    yield get
    for tab in tabs:
        tab.context.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_page_loads_cleanly_and_stays_on_the_machine(live_pages, lang, page):
    loaded = live_pages(lang, page)  # its desktop screenshot is saved too
    # off-host requests first: a CDN script also logs a console error, but its URL is the news
    assert not loaded.off_host, f"requests off the machine: {loaded.off_host}"
    assert not loaded.failed, f"failed requests: {loaded.failed}"
    assert not loaded.errors, f"console errors: {loaded.errors}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_axe_finds_no_accessibility_violation(live_pages, lang, page):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs it with npm ci")
    assert live_pages(lang, page).axe == []


def axe_violations(tab) -> list[str]:
    """Run axe-core in the page and list its violations, one line each."""
    # evaluated through DevTools, not injected as a <script>: the pages' CSP refuses injected scripts
    tab.evaluate(AXE.read_text(encoding="utf-8"))
    return tab.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)"""
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", CHART_PAGES)
def test_charts_show_with_javascript_off(reused_tab, server, lang, page):
    figures = reuse_page(reused_tab, server, lang, page, java_script_enabled=False).locator(".chart")
    assert figures.count() >= 1
    for i in range(figures.count()):
        svg = figures.nth(i).locator(".chart-view:visible > svg")
        box = svg.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100
        title = svg.locator(".role-title-text text").first.text_content()
        assert title
        is_chinese = any("\u4e00" <= ch <= "\u9fff" for ch in title)
        assert is_chinese == (lang == "zh"), title


@pytest.mark.parametrize(("lang", "expected"), [("zh", "3000亿美元"), ("en", "$300 billion")])
def test_hovering_a_chart_shows_its_value_in_the_page_language(watch_reused, server, lang, expected):
    watched = watch_reused(server, lang, "loop", **DESKTOP)
    tab = watched.page
    figure = tab.locator("#chart-ono_loop")
    figure.scroll_into_view_if_needed()
    figure.hover(force=True)
    tab.wait_for_selector("#chart-ono_loop.is-live")
    label = figure.locator(".chart-live svg text", has_text=expected).first
    box = label.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    tab.mouse.move(x, y)
    tab.mouse.move(x + 1, y + 1)
    tooltip = figure.locator(".chart-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert expected in tooltip.text_content()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_the_language_switch_leads_to_the_counterpart_and_back(reused_tab, server, lang, page):
    other = "en" if lang == "zh" else "zh"
    tab = reuse_page(reused_tab, server, lang, page, java_script_enabled=False)
    tab.locator("nav.languages a").click()
    assert urlparse(tab.url).path == url_path(other, page)
    assert tab.locator("html").get_attribute("lang") == ("en" if other == "en" else "zh-Hans")
    tab.locator("nav.languages a").click()
    assert urlparse(tab.url).path == url_path(lang, page)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_nothing_overflows_a_phone_screen(reused_tab, server, lang, page):
    tab = reuse_page(reused_tab, server, lang, page, **PHONE)
    make_charts_live(tab)
    screenshot(tab, lang, page, "phone")
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    for i in range(tab.locator(".chart-view:visible > *").count()):
        box = tab.locator(".chart-view:visible > *").nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390


# One mark per chart that carries a tooltip, and the value it must show in each language.
TOOLTIPS = {
    "ono_loop": ("loop", 'text >> text="$300 billion"', 'text >> text="3000亿美元"', "$300 billion", "3000亿美元"),
    "nvidia_tranches": ("loop", 'path[fill="#4f7a0b"]', 'path[fill="#4f7a0b"]', "$10 billion", "100亿美元"),
    "openai_losses": ("losses", 'path[fill="#d1402f"]', 'path[fill="#d1402f"]', "$5 billion", "50亿美元"),
    "chatgpt_paying": ("losses", 'path[stroke="#3b74d6"]', 'path[stroke="#3b74d6"]', "less than 3%", "不到3%"),
    "dollar_scale": ("bets", 'text >> text="$800B"', 'text >> text="8000亿美元"', "$800 billion", "8000亿美元"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart_id", sorted(TOOLTIPS))
def test_every_chart_shows_tooltips_in_the_page_language(watch_reused, server, chart_id, lang):
    page, en_mark, zh_mark, en_value, zh_value = TOOLTIPS[chart_id]
    watched = watch_reused(server, lang, page, **DESKTOP)
    tab = watched.page
    figure = tab.locator(f"#chart-{chart_id}")
    figure.scroll_into_view_if_needed()
    figure.locator(".chart-canvas").hover(force=True)
    tab.wait_for_selector(f"#chart-{chart_id}.is-live")
    mark = figure.locator(".chart-live svg").locator(en_mark if lang == "en" else zh_mark).first
    box = mark.bounding_box()
    # a quarter of the way in: clear of labels drawn on a mark's centre
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 4
    tab.mouse.move(x, y)
    tab.mouse.move(x + 1, y + 1)
    tooltip = figure.locator(".chart-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert (en_value if lang == "en" else zh_value) in tooltip.text_content()


def luminance(css_color: str) -> float:
    """Relative brightness (0 black .. 1 white) of an rgb() colour."""
    r, g, b = (int(part) / 255 for part in css_color[css_color.index("(") + 1 : -1].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_charts_follow_the_colour_scheme_static_and_live(watch_reused, server, lang, scheme):
    watched = watch_reused(server, lang, "loop", color_scheme=scheme, **DESKTOP)
    tab = watched.page
    title = "#chart-ono_loop svg .role-title-text text"
    background = luminance(tab.evaluate("getComputedStyle(document.body).backgroundColor"))
    static = luminance(tab.locator(title).first.evaluate("e => getComputedStyle(e).fill"))
    make_charts_live(tab)
    live = luminance(tab.locator(title).first.evaluate("e => getComputedStyle(e).fill"))
    for text in (static, live):
        assert abs(text - background) > 0.6, (scheme, text, background)
    if scheme == "dark":
        screenshot(tab, lang, "loop", "desktop-dark")


def runtime_requests(watched: Watched) -> list[str]:
    return [url for url in watched.requests if "/assets/vega." in url]


@pytest.mark.parametrize("lang", LANGS)
def test_the_chart_runtime_loads_once_after_scrolling_and_never_without_charts(context_factory, server, lang):
    plain = open_page(context_factory, server, lang, "rally", **DESKTOP)
    assert plain.network.settle() == [], "the page fetched something on its own once it was ready"
    plain.page.mouse.wheel(0, 3000)
    plain.network.settle()  # the scroll handled, and anything it asked for loaded
    assert runtime_requests(plain) == []

    charts = open_page(context_factory, server, lang, "losses", **PHONE)
    tab = charts.page
    assert charts.network.settle() == [], "the page fetched something on its own once it was ready"
    assert runtime_requests(charts) == [], "the runtime loaded before the reader did anything"
    count = tab.locator(".chart").count()
    assert count >= 2
    for i in range(count):
        tab.locator(".chart").nth(i).scroll_into_view_if_needed()
        tab.mouse.wheel(0, 50)
    tab.wait_for_function("n => document.querySelectorAll('.chart.is-live').length === n", arg=count)
    assert len(runtime_requests(charts)) == 1


@pytest.mark.parametrize(
    ("lang", "query", "expected_page"), [("zh", "甲骨文", "/loop/"), ("en", "Bain", "/en/losses/")]
)
def test_search_finds_words_and_links_to_the_section_in_the_readers_language(
    context_factory, server, lang, query, expected_page
):
    watched = open_page(context_factory, server, lang, "rally", **DESKTOP)
    tab = watched.page
    assert watched.network.settle() == [], "the page fetched something on its own once it was ready"
    assert not [url for url in watched.requests if "search" in url], "search loaded before it was opened"
    tab.locator("button.search-open").click()
    tab.wait_for_selector("dialog.search[data-ready]")
    tab.keyboard.type(query)
    results = tab.locator(".search-results a")
    results.first.wait_for()
    hrefs = [urlparse(results.nth(i).get_attribute("href")) for i in range(results.count())]
    resolved = [urlparse(tab.evaluate("h => new URL(h, location.href).href", h.geturl())) for h in hrefs]
    assert all(r.path.startswith("/en/") == (lang == "en") for r in resolved)
    assert any(r.path == expected_page and r.fragment for r in resolved)
    assert tab.locator(".search-results mark").first.text_content().lower() == query.lower()
    assert axe_violations(tab) == []
    results.first.click()
    tab.wait_for_load_state("load")
    assert urlparse(tab.url).path.startswith("/en/" if lang == "en" else "/")


def test_search_is_hidden_without_javascript(reused_tab, server):
    assert (
        reuse_page(reused_tab, server, "zh", "index", java_script_enabled=False)
        .locator("button.search-open")
        .is_hidden()
    )


@pytest.fixture(scope="session")
def host_site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """Another origin, as a writer's own site: a folder served on a second port."""
    folder = tmp_path_factory.mktemp("host")
    with serving(folder) as url:
        yield url, folder


@pytest.mark.parametrize("lang", LANGS)
def test_a_writer_embeds_a_chart_with_the_snippet_from_the_page(context_factory, reused_tab, server, host_site, lang):
    article = reuse_page(reused_tab, server, lang, "loop", **DESKTOP)  # the writer's own tab is new
    snippet = article.locator("#embed-ono_loop").input_value()  # made absolute by site.js
    assert f'src="{server}{url_path(lang, "embed/ono_loop")}"' in snippet
    host, folder = host_site
    (folder / f"post-{lang}.html").write_text(
        f"<!doctype html><html lang=en><title>A writer's post</title><body style='width:600px'>"
        f"<h1>My post</h1>{snippet}</body></html>",
        encoding="utf-8",
    )
    tab = context_factory(**DESKTOP).new_page()
    tab.goto(f"{host}/post-{lang}.html")
    frame = tab.frame_locator("iframe[data-explainer-embed]")
    svg = frame.locator(".chart-view:visible svg").first  # one, once the stylesheet has loaded
    svg.wait_for()
    assert svg.bounding_box()["width"] > 250  # the layout that fits the 600 px column, at its own size
    # the optional resize script fits the iframe to the embed page's height
    tab.wait_for_function("() => document.querySelector('iframe[data-explainer-embed]').style.height.endsWith('px')")
    iframe_height = tab.locator("iframe[data-explainer-embed]").bounding_box()["height"]
    inner_height = frame.locator("html").evaluate("e => e.getBoundingClientRect().height")
    assert abs(iframe_height - inner_height) <= 2


# the host's column: a wide desktop one (issue 23), and narrower ones on each side of the
# layouts' switch (640 px) and of the narrow layout's natural width (288 px)
HOST_COLUMNS = (1264, 700, 500, 300)


@pytest.mark.parametrize("column", HOST_COLUMNS)
@pytest.mark.parametrize(("lang", "chart_id"), [("en", "ono_loop"), ("zh", "nvidia_tranches")])
def test_an_embedded_charts_caption_source_and_tools_line_up_with_it(
    context_factory, server, host_site, lang, chart_id, column
):
    """In a host column of any width, the embed page's caption, source line, tools and link back
    have the chart's left and right edges (within 1 px), the chart at most its natural width."""
    host, folder = host_site
    name = f"column-{lang}-{chart_id}-{column}.html"
    (folder / name).write_text(
        f"<!doctype html><html lang=en><title>A wide column</title><body style='margin:0'>"
        f"<main style='width:{column}px;margin:0 8px'><iframe src='{server}{url_path(lang, f'embed/{chart_id}')}'"
        f" style='display:block;width:100%;height:1400px;border:0' title='chart'></iframe></main></body></html>",
        encoding="utf-8",
    )
    tab = context_factory(viewport={"width": column + 16, "height": 900}).new_page()
    tab.goto(f"{host}/{name}")
    frame = tab.frame_locator("iframe")
    view = frame.locator(f"#chart-{chart_id} .chart-view:visible")
    view.locator("svg").first.wait_for()
    chart = view.first.bounding_box()
    natural = float(view.first.locator("svg").first.get_attribute("width"))
    assert chart["width"] <= natural + 0.5 and chart["width"] >= min(natural, column - 24) - 1, (chart, natural)
    for part in ("figcaption", ".chart-source", ".chart-tools", ".embed-source"):
        box = frame.locator(part).first.bounding_box()
        assert abs(box["x"] - chart["x"]) <= 1, (part, box, chart)
        if part != ".chart-source":  # an inline line of text: its own length, from the left edge
            assert abs(box["x"] + box["width"] - chart["x"] - chart["width"]) <= 1, (part, box, chart)
        else:
            assert box["x"] + box["width"] <= chart["x"] + chart["width"] + 1, (part, box, chart)
    if column == 1264:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"embed-column-{lang}-{chart_id}-{column}.jpg"), type="jpeg", quality=80)


@pytest.mark.parametrize("lang", LANGS)
def test_without_a_site_url_the_citation_cites_the_address_the_reader_is_on(reused_tab, server, lang):
    """The APA reference and the BibTeX name the chart's embed page at the address the site is
    served from (site.js fills it in); without JavaScript a note says the path is this site's."""
    address = server + url_path(lang, "embed/ono_loop")
    article = reuse_page(reused_tab, server, lang, "loop", **DESKTOP)
    assert article.locator("#chart-ono_loop .cite-url").text_content() == address
    assert article.locator("#chart-ono_loop .cite-url").evaluate("e => e.previousSibling.textContent").endswith("]. ")
    assert f"\\url{{{address}}}" in article.locator("#bibtex-ono_loop").input_value()
    assert article.locator("#chart-ono_loop p.cite-relative").count() == 1
    article.locator("#chart-ono_loop details.chart-share summary").click()
    assert article.locator("#chart-ono_loop p.cite-relative").is_hidden()
    static = reuse_page(reused_tab, server, lang, "loop", java_script_enabled=False, **DESKTOP)
    static.locator("#chart-ono_loop details.chart-share summary").click()
    assert static.locator("#chart-ono_loop p.cite-relative").is_visible()
    assert static.locator("#chart-ono_loop .cite-url").text_content() == url_path(lang, "embed/ono_loop")


@pytest.mark.parametrize("lang", LANGS)
def test_embed_pages_are_accessible_and_stay_on_the_machine(watch_reused, server, lang):
    watched = watch_reused(server, lang, "embed/openai_losses", **DESKTOP)
    tab = watched.page
    make_charts_live(tab)
    assert axe_violations(tab) == []
    assert watched.errors == [] and watched.failed == [] and watched.off_host == []
    screenshot(tab, lang, "embed-openai_losses", "desktop")


def wait_until(condition, seconds: float, what: str) -> None:
    """Wait for a condition outside the browser (a file's content, a port), failing after a deadline."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_the_live_preview_shows_an_edit_without_a_restart(context_factory, tmp_path, cold_build):
    """`build.py serve` on a copy of the content (and of the chart cache an editor has after one
    build): a saved edit shows in the open page; a broken edit is reported (no traceback) and
    the last good page stays."""
    copy_project(tmp_path)
    link_copy(cold_build.cache, tmp_path / ".cache")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--config", str(tmp_path / "mkdocs.yml")]
    command += ["--site-dir", str(tmp_path / "site"), "--port", str(port), "-q"]
    log = tmp_path / "serve.log"
    with log.open("wb") as err:
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
    try:

        def listening() -> bool:
            if server.poll() is not None:
                pytest.fail(log.read_text())
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                return True
            except OSError:
                return False

        wait_until(listening, 60, "the preview server")
        tab = context_factory().new_page()
        tab.goto(f"http://127.0.0.1:{port}/en/rally/")
        source = tmp_path / "content" / "en" / "rally.md"
        source.write_text(
            source.read_text(encoding="utf-8") + "\nA sentence the editor just added.\n", encoding="utf-8"
        )
        tab.wait_for_function("() => document.body.textContent.includes('A sentence the editor just added.')")
        facts = tmp_path / "content" / "facts.yaml"
        facts.write_text(
            facts.read_text(encoding="utf-8").replace("2026年扩大到140亿美元", "invented"), encoding="utf-8"
        )
        # in the article where it is at hand, else against content/quotes.lock: caught either way
        caught = ("quote not found verbatim", "never verified against the article")
        wait_until(lambda: any(text in log.read_text() for text in caught), 20, "the build's message")
        # the open tab live-reloads on its own; a fresh one shows what is served now
        fresh = tab.context.new_page()
        fresh.goto(f"http://127.0.0.1:{port}/en/rally/")
        assert "A sentence the editor just added." in fresh.text_content("body")
    finally:
        server.terminate()
        server.wait(timeout=10)
    message = log.read_text()
    assert "content/facts.yaml:" in message and "The previous site was left as it was." in message
    assert "Traceback" not in message


@pytest.mark.parametrize("lang", LANGS)
def test_the_corrections_page_loads_cleanly_and_is_accessible(live_pages, lang):
    """The corrections page is no nav page, so the tests over PAGES do not open it."""
    loaded = live_pages(lang, "corrections")
    assert not loaded.off_host, f"requests off the machine: {loaded.off_host}"
    assert not loaded.failed and not loaded.errors, (loaded.failed, loaded.errors)
    assert loaded.axe == []
