"""The host decides the look: an embed page's ?theme=, ?plain= and ?static= flags, and the Embed
panel where a writer picks them (issue 11, item 3), in headless Chromium and in the built files."""

from __future__ import annotations

import html as html_text
import re

import pytest

from explainer.language.locales import load_locales
from tests.conftest import LANGS, ROOT, Network, page_path, serving

playwright_api = pytest.importorskip("playwright.sync_api")

CHARTS = ("chatgpt_paying", "dollar_scale", "nvidia_tranches", "ono_loop", "openai_losses")
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"width": 390, "height": 844}
# the interface strings as the site shows them: the engine's, with this site's overrides
UI = {lang: locale.ui for lang, locale in load_locales(ROOT / "content", list(LANGS)).items()}


def embed_path(lang: str, chart_id: str) -> str:
    return f"/embed/{chart_id}/" if lang == LANGS[0] else f"/{lang}/embed/{chart_id}/"


def luminance(css_color: str) -> float:
    """Relative brightness (0 black .. 1 white) of an rgb() colour."""
    r, g, b = (int(part) / 255 for part in css_color[css_color.index("(") + 1 : -1].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# The page's layout shifts so far (none may happen: the flags apply before the first paint).
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => list.getEntries().forEach(e => { total += e.value; }))
    .observe({type: "layout-shift", buffered: true});
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(total)));
})"""

# What the reader sees of the chart that shows: the colours, the scheme, the title's and the
# other marks' places against the box that holds the drawing.
LOOK = """() => {
  const view = [...document.querySelectorAll(".chart-view")].find(v => v.getClientRects().length);
  const svg = view.querySelector(".chart-live svg") || view.querySelector(":scope > svg");
  const box = view.getBoundingClientRect();
  const title = svg.querySelector(".root > g > g > .role-title .role-title-text text");
  const others = [...svg.querySelectorAll("text, path, line, rect, circle")]
    .filter(e => !e.closest(".role-title") && !e.closest(".background, .foreground") && !e.classList.contains("background"))
    .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
  return {
    scheme: getComputedStyle(document.documentElement).colorScheme,
    meta: document.querySelector('meta[name="color-scheme"]').content,
    page: getComputedStyle(document.body).backgroundColor,
    ink: getComputedStyle(title).fill,
    live: !!view.querySelector(".chart-live svg"),
    boxTop: box.top, boxBottom: box.bottom, boxHeight: box.height,
    titleBottom: Math.max(...[...svg.querySelectorAll(".root > g > g > .role-title text")].map(t => t.getBoundingClientRect().bottom)),
    titleShown: getComputedStyle(title).visibility === "visible",
    highest: Math.min(...others.map(r => r.top)),
    lowest: Math.max(...others.map(r => r.bottom)),
    height: document.documentElement.getBoundingClientRect().height,
    label: view.getAttribute("aria-label"),
  };
}"""


def open_embed(context_factory, server: str, lang: str, chart_id: str, query: str = "", **options):
    """An embed page as a host would show it, with every request it made recorded (and its
    requests in flight, to wait on)."""
    tab = context_factory(**{**DESKTOP, **options}).new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    network = Network(tab)
    tab.goto(f"{server}{embed_path(lang, chart_id)}{query}", wait_until="load")
    return tab, requests, network


def kept_embed(reused_tab, server: str, lang: str, chart_id: str, query: str = "", slot: int = 0, **options):
    """An embed page in a tab kept for the worker's session (conftest.reused_tab: a new tab per
    page started a renderer and compiled the chart runtime again), by way of about:blank."""
    tab = reused_tab(slot=slot, **{**DESKTOP, **options})
    tab.goto("about:blank")
    tab.goto(f"{server}{embed_path(lang, chart_id)}{query}", wait_until="load")
    return tab


def make_live(tab) -> None:
    tab.locator(".chart-view:visible").hover(force=True)
    tab.wait_for_selector(".chart.is-live")


@pytest.mark.parametrize(
    ("lang", "reader", "query", "expected"),
    [
        ("en", "dark", "", "light"),  # no flag: light, as host pages are, even for a reader in dark mode
        ("zh", "dark", "?theme=light", "light"),
        ("en", "dark", "?theme=light", "light"),
        ("zh", "light", "?theme=dark", "dark"),
        ("en", "dark", "?theme=dark", "dark"),
        ("en", "dark", "?theme=auto", "dark"),  # auto: the reader's system
        ("zh", "light", "?theme=auto", "light"),
    ],
)
def test_the_host_picks_the_theme_whatever_the_readers_system(reused_tab, server, lang, reader, query, expected):
    tab = kept_embed(reused_tab, server, lang, "openai_losses", query, color_scheme=reader)
    assert tab.evaluate(LAYOUT_SHIFT) == 0
    schemes = {"light": "light", "dark": "dark"} if "auto" not in query else {reader: "light dark"}
    for look in (tab.evaluate(LOOK), (make_live(tab), tab.evaluate(LOOK))[1]):
        # the scheme follows, so a transparent iframe on the host shows no opaque box
        assert look["scheme"] == look["meta"] == schemes[expected]
        page, ink = luminance(look["page"]), luminance(look["ink"])
        assert (page > 0.9) if expected == "light" else (page < 0.1), look
        assert abs(page - ink) > 0.6, look  # the chart's title text reads on that page, static and live
    assert look["live"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart_id", CHARTS)
def test_plain_shows_the_chart_only_and_keeps_its_name(reused_tab, server, built_site, lang, chart_id):
    """?plain=1, at phone and desktop width: no title (cut off with its band, nothing else cut),
    no caption, source or link back, yet the chart keeps its accessible name and data table."""
    full = kept_embed(reused_tab, server, lang, chart_id)
    tab = kept_embed(reused_tab, server, lang, chart_id, "?plain=1", slot=1)
    assert tab.evaluate(LAYOUT_SHIFT) == 0
    embed = (built_site / embed_path(lang, chart_id).strip("/") / "index.html").read_text(encoding="utf-8")
    title = html_text.unescape(re.search(r'<h1 class="visually-hidden">(.*?)</h1>', embed).group(1))
    for size in (PHONE, DESKTOP["viewport"]):
        for page in (full, tab):
            page.set_viewport_size(size)
        whole, plain = full.evaluate(LOOK), tab.evaluate(LOOK)
        assert whole["titleShown"] and whole["titleBottom"] > whole["boxTop"] + 10
        assert not plain["titleShown"] and plain["titleBottom"] <= plain["boxTop"] + 1, plain
        assert plain["highest"] >= plain["boxTop"] - 1 and plain["lowest"] <= plain["boxBottom"] + 1, plain
        assert plain["boxHeight"] < whole["boxHeight"] - 30 and plain["height"] < whole["height"] - 60
        assert tab.locator("figcaption").is_hidden() and tab.locator(".embed-source").is_hidden()
        assert full.locator("figcaption").is_visible() and full.locator(".embed-source").is_visible()
        assert tab.locator("details.chart-data summary").is_visible()
        # its name, for screen readers: the chart's title, and the figure's caption
        assert tab.get_by_role("group", name=f"{title}. {UI[lang]['chart_keys']}").filter(visible=True).count() == 1
        caption = full.locator("figcaption").text_content().split()[0]
        assert tab.get_by_role("figure", name=re.compile(re.escape(caption))).count() == 1
    make_live(tab)
    live = tab.evaluate(LOOK)
    assert live["live"] and live["titleBottom"] <= live["boxTop"] + 1, live
    assert live["highest"] >= live["boxTop"] - 1 and abs(live["boxHeight"] - plain["boxHeight"]) <= 1


def reach_for_the_chart(tab, view=None, network: Network | None = None) -> None:
    """Everything a reader may do that turns a chart interactive: hover, focus, an arrow key, a
    tap, a scroll; then wait for what that asked for: on our page, until it is ready and nothing
    it requested is in flight (`network`); on a host's page holding a script embed (our script
    marks no readiness there), until the network is quiet."""
    view = view or tab.locator(".chart-view:visible")
    view.hover(force=True)
    view.focus()
    tab.keyboard.press("ArrowRight")
    box = view.bounding_box()
    tab.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.mouse.wheel(0, 400)
    if network:
        network.settle()
    else:
        tab.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang", LANGS)
def test_static_never_requests_the_runtime_whatever_the_reader_does(context_factory, server, lang):
    touch = {"has_touch": True}

    tab, requests, network = open_embed(context_factory, server, lang, "ono_loop", "?static=1", **touch)
    assert network.settle() == [], "the page fetched something on its own once it was ready"
    reach_for_the_chart(tab, network=network)
    assert not [url for url in requests if "/assets/vega." in url or url.endswith(".vg.json")], requests
    assert tab.locator(".chart.is-live").count() == 0 and tab.locator(".chart-view:visible > svg").is_visible()
    # named by its title, without the arrow keys' hint: they do nothing on a static chart
    view = tab.locator(".chart-view:visible")
    assert view.get_attribute("aria-label") == view.locator("svg").get_attribute("aria-label")
    assert UI[lang]["chart_keys"] not in view.get_attribute("aria-label")
    # the same reader on the same page without the flag gets the interactive view
    control, asked, network = open_embed(context_factory, server, lang, "ono_loop", **touch)
    reach_for_the_chart(control, network=network)
    assert [url for url in asked if "/assets/vega." in url]


@pytest.mark.parametrize("lang", LANGS)
def test_the_panel_picks_the_flags_by_keyboard_and_the_snippet_follows(context_factory, server, tmp_path, lang):
    tab = context_factory(**DESKTOP).new_page()
    tab.goto(f"{server}{'/' if lang == LANGS[0] else f'/{lang}/'}loop/", wait_until="load")
    share = tab.locator("#chart-ono_loop details.chart-share")
    share.locator("summary").focus()
    tab.keyboard.press("Enter")
    ui = UI[lang]
    options = share.get_by_role("group", name=ui["embed_look"])
    assert options.is_visible()
    area = share.locator("#embed-ono_loop")
    default = area.input_value()
    assert re.search(r'<iframe src="http://127\.0\.0\.1:\d+/[a-z/]*embed/ono_loop/"', default), default
    # every choice is labelled in the page's language, and reached with the keys alone
    options.get_by_role("radio", name=ui["embed_theme_light"]).focus()
    tab.keyboard.press("ArrowRight")
    assert options.get_by_role("radio", name=ui["embed_theme_dark"]).is_checked()
    tab.keyboard.press("Tab")
    tab.keyboard.press("Space")
    assert options.get_by_role("checkbox", name=ui["embed_plain"]).is_checked()
    tab.keyboard.press("Tab")
    tab.keyboard.press("Space")
    assert options.get_by_role("checkbox", name=ui["embed_static"]).is_checked()
    snippet = area.input_value()
    fieldset = share.locator("fieldset.embed-options")
    ratio, plain_ratio = fieldset.get_attribute("data-ratio"), fieldset.get_attribute("data-plain-ratio")
    assert 'embed/ono_loop/?theme=dark&amp;plain=1&amp;static=1"' in snippet
    assert f"aspect-ratio:{plain_ratio}" in snippet and f"aspect-ratio:{ratio}" in default
    assert snippet.replace("?theme=dark&amp;plain=1&amp;static=1", "").replace(plain_ratio, ratio) == default
    # a writer's page on another origin, with that code: a dark, plain, static chart that fits
    (tmp_path / "post.html").write_text(
        f"<!doctype html><html lang=en><title>post</title><body style='width:640px'>{snippet}</body></html>",
        encoding="utf-8",
    )
    with serving(tmp_path) as host:
        post = context_factory(**DESKTOP).new_page()
        requests: list[str] = []
        post.on("request", lambda request: requests.append(request.url))
        network = Network(post)
        post.goto(f"{host}/post.html", wait_until="load")
        post.wait_for_function(
            "() => document.querySelector('iframe[data-explainer-embed]').style.height.endsWith('px')"
        )
        frame = post.frame_locator("iframe[data-explainer-embed]")
        frame.locator(".chart-view:visible").hover(force=True)
        look = frame.locator("html").evaluate(f"_ => ({LOOK})()")
        assert look["scheme"] == "dark" and not look["titleShown"]
        height = post.locator("iframe[data-explainer-embed]").bounding_box()["height"]
        assert abs(height - look["height"]) <= 2, (height, look["height"])
        network.settle(post.locator("iframe[data-explainer-embed]").element_handle().content_frame())
        assert not [url for url in requests if "/assets/vega." in url]
    # back to the defaults, by the keys: the default code again
    options.get_by_role("checkbox", name=ui["embed_static"]).focus()
    tab.keyboard.press("Space")
    tab.keyboard.press("Shift+Tab")
    tab.keyboard.press("Space")
    options.get_by_role("radio", name=ui["embed_theme_dark"]).focus()
    tab.keyboard.press("ArrowLeft")
    assert area.input_value() == default


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_defaults_apply(context_factory, server, lang):
    context = context_factory(java_script_enabled=False, color_scheme="dark", **DESKTOP)
    article = context.new_page()
    article.goto(f"{server}{'/' if lang == LANGS[0] else f'/{lang}/'}loop/", wait_until="load")
    article.locator("#chart-ono_loop details.chart-share summary").click()
    assert article.locator("#chart-ono_loop fieldset.embed-options").is_hidden(), "choices that would do nothing"
    assert re.search(r'src="/[a-z/]*embed/ono_loop/"', article.locator("#embed-ono_loop").input_value())
    tab = context.new_page()
    tab.goto(f"{server}{embed_path(lang, 'ono_loop')}?theme=dark&plain=1", wait_until="load")
    assert luminance(tab.evaluate("getComputedStyle(document.body).backgroundColor")) > 0.9
    assert tab.locator("figcaption").is_visible() and tab.locator(".chart-view:visible .role-title-text").is_visible()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart_id", CHARTS)
def test_the_embed_page_extends_the_theme_and_keeps_its_head(built_site, published_site, lang, chart_id):
    """One <head> for every page (base.html): the policy, noindex, oEmbed discovery, the scheme
    pinned light for hosts, and the flags' script before the first paint (not deferred)."""
    relative = embed_path(lang, chart_id).strip("/")
    article = page_path(built_site, lang, "loop").read_text(encoding="utf-8")
    for site in (built_site, published_site):
        page = (site / relative / "index.html").read_text(encoding="utf-8")
        head, body = page.split("</head>")
        assert page.count("<head>") == 1 and 'data-theme="light"' in page.split("<head>")[0]
        csp = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', article).group(0)
        assert csp in head and '<meta name="robots" content="noindex">' in head
        assert '<meta name="color-scheme" content="light">' in head
        assert re.search(r'<script src="[./]*assets/embed\.[0-9a-f]+\.js"></script>', head), "blocking, in <head>"
        assert re.search(r'<script src="[./]*assets/site\.[0-9a-f]+\.js" data-vega="[^"]+" defer></script>', body)
        assert "masthead" not in page and "colophon" not in page and '<body class="embed">' in body
        assert ("application/json+oembed" in head) == (site == published_site)
        assert not re.search(r"<script>|<script [^>]*>[^<]", page), "no inline script"


def test_the_snippet_comes_from_its_template_escaped(published_site):
    """The iframe code is the partial's, filled in and escaped: the title is an attribute value."""
    partials = ROOT / "explainer" / "theme" / "partials"
    # the iframe's partial, and the resize script it includes (the oEmbed html carries it too)
    partial = "".join(
        (partials / name).read_text(encoding="utf-8") for name in ("iframe_snippet.html", "iframe_resize.html")
    )
    page = page_path(published_site, "en", "loop").read_text(encoding="utf-8")
    code = re.search(r'<textarea id="embed-ono_loop"[^>]*>(.*?)</textarea>', page, re.DOTALL).group(1)
    iframe, script = html_text.unescape(code).split("\n")
    embed = (published_site / "en" / "embed" / "ono_loop" / "index.html").read_text(encoding="utf-8")
    title = html_text.unescape(re.search(r'<h1 class="visually-hidden">(.*?)</h1>', embed).group(1))
    attributes = dict(re.findall(r'\s([a-z-]+)="([^"]*)"', iframe))
    assert attributes["src"] == "https://ono.example/explainer/en/embed/ono_loop/"
    assert html_text.unescape(attributes["title"]) == title and "'" in title
    assert script.split("{if(")[0] in partial and 'e.origin!=="https://ono.example"||' in script
    options = re.search(r'data-for="embed-ono_loop" data-ratio="([^"]+)" data-plain-ratio="([^"]+)"', page)
    assert options and attributes["style"].endswith(f"aspect-ratio:{options.group(1)}")
    width, height = (int(n) for n in options.group(1).split(" / "))
    plain_width, plain_height = (int(n) for n in options.group(2).split(" / "))
    assert width == plain_width and plain_height < height - 50
