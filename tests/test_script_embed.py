"""The script embed: a chart in a writer's own page without an iframe, in a shadow root that the
host page's styles cannot reach, and a PNG where scripts do not run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import LANGS, QuietHandler, serving
from tests.test_browser import DESKTOP, PHONE, host_site, reuse_page, url_path
from tests.test_nginx import static_host_headers
from tests.test_site import CREDIT

__all__ = ["host_site"]  # a fixture, used by name

HOSTILE = "* { font-size: 40px !important; color: red !important; line-height: 3 !important } div { display: inline !important }"


@pytest.mark.parametrize("lang", LANGS)
def test_the_script_embed_shows_the_chart_its_source_and_data_whatever_the_hosts_css(
    context_factory, reused_tab, server, host_site, lang
):
    article = reuse_page(reused_tab, server, lang, "loop", **DESKTOP)  # the writer's own tab is new
    snippet = article.locator("#embed-script-ono_loop").input_value()  # made absolute by site.js
    assert f'src="{server}/charts/ono_loop/{lang}.embed.js"' in snippet
    assert f'<noscript><img src="{server}/charts/ono_loop/{lang}.png"' in snippet
    natural = article.locator("#chart-ono_loop .chart-view:visible").locator("svg").first.bounding_box()["width"]
    host, folder = host_site
    (folder / f"script-post-{lang}.html").write_text(
        f"<!doctype html><html lang=en><title>A writer's post</title><style>{HOSTILE}</style>"
        f"<body style='width:900px'><h1>My post</h1>{snippet}</body></html>",
        encoding="utf-8",
    )
    tab = context_factory(**DESKTOP).new_page()
    tab.goto(f"{host}/script-post-{lang}.html")
    chart = tab.locator("[data-explainer-chart=ono_loop]")
    svg = chart.locator(".chart-view:visible").locator("svg").first  # Playwright pierces the open shadow root
    svg.wait_for()
    assert chart.evaluate("host => host.shadowRoot !== null")
    # undisturbed: the chart at its own size, the site's type, not the host's 40px red
    assert abs(svg.bounding_box()["width"] - natural) <= 1
    # in the 900 px column the chart keeps its natural width, and its text lines up with it
    view = chart.locator(".chart-view:visible").first.bounding_box()
    for part in ("figcaption", ".chart-tools", ".embed-source"):
        box = chart.locator(part).first.bounding_box()
        assert abs(box["x"] - view["x"]) <= 1, (part, box, view)
        assert abs(box["x"] + box["width"] - view["x"] - view["width"]) <= 1, (part, box, view)
    caption = chart.locator("figcaption")
    style = caption.evaluate("e => [getComputedStyle(e).fontSize, getComputedStyle(e).color]")
    assert float(style[0].removesuffix("px")) < 20 and style[1] != "rgb(255, 0, 0)"
    # its source line and its data table travel with it, in the page's language
    source = chart.locator(".chart-source").text_content() or ""
    assert source == CREDIT[lang]
    assert chart.locator(".chart-data table tbody tr").count() >= 2
    # and the way back leads to the chart in the explainer, in the same language
    back = chart.locator(".embed-source a").get_attribute("href")
    assert back.startswith(f"{server}{url_path(lang, 'index')}") and back.endswith("#chart-ono_loop")
    tab.goto(back)
    assert tab.locator("#chart-ono_loop svg").count() >= 1
    assert tab.locator("html").get_attribute("lang").startswith(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_script_embed_shows_the_png(context_factory, reused_tab, server, host_site, lang):
    snippet = reuse_page(reused_tab, server, lang, "loop", **DESKTOP).locator("#embed-script-ono_loop").input_value()
    host, folder = host_site
    (folder / f"script-nojs-{lang}.html").write_text(
        f"<!doctype html><html lang=en><title>Post</title><body>{snippet}</body></html>", encoding="utf-8"
    )
    tab = context_factory(java_script_enabled=False, **DESKTOP).new_page()
    tab.goto(f"{host}/script-nojs-{lang}.html")
    image = tab.locator("[data-explainer-chart=ono_loop] img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 400")
    assert image.get_attribute("alt")


# The interactive view, on another site's page: the writer's page on one origin, our site on
# another, served as a static host that reads deploy/_headers (Netlify, Cloudflare Pages) serves it.


class StaticHostHandler(QuietHandler):
    """Our site as a static host serves it: with the headers deploy/_headers gives each address
    (a chart's files may be read by other origins; pages keep their own policy)."""

    def end_headers(self) -> None:
        for name, values in static_host_headers(urlsplit(self.path).path).items():
            for value in values:
                self.send_header(name, value)
        super().end_headers()


@pytest.fixture(scope="module")
def static_host(built_site) -> Iterator[str]:
    with serving(built_site, StaticHostHandler) as address:
        yield address


# The writer's page declares globals named as the runtime's top-level ones (t, n): the runtime
# must neither clash with them nor replace them, nor add any global of its own.
HOST_SCRIPT = "<script>var t = 'the host t'; let n = 'the host n';</script>"
GLOBALS = "() => Object.getOwnPropertyNames(window).sort()"


def strict_policy(site: str) -> str:
    """A writer's page whose own Content-Security-Policy lets in only our site (and its own inline
    code): no 'unsafe-eval', so a runtime that needed eval would be refused, loudly."""
    return (
        f"<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; script-src 'unsafe-inline' {site}; "
        f"style-src 'unsafe-inline' {site}; connect-src {site}; img-src data: {site}\">"
    )


def writers_post(folder: Path, name: str, snippet: str, policy: str = "") -> str:
    (folder / name).write_text(
        f"<!doctype html><html lang=en><title>A writer's post</title>{policy}<link rel=icon href='data:,'>"
        f"<style>{HOSTILE}</style>{HOST_SCRIPT}"
        f"<body style='width:900px'><h1>My post</h1><p><a id=before href='#'>a link before the chart</a></p>"
        f"{snippet}<p>The writer's next paragraph.</p></body></html>",
        encoding="utf-8",
    )
    return name


def boxes(tab) -> dict[str, dict[str, float]]:
    """Where the chart's shown view, the whole embed and the writer's next paragraph are."""
    return {
        "view": tab.locator("[data-explainer-chart] .chart-view:visible").bounding_box(),
        "embed": tab.locator("[data-explainer-chart]").bounding_box(),
        "next": tab.locator("body > p").last.bounding_box(),
    }


def assert_nothing_moved(before, after) -> None:
    for name in before:
        for side in ("x", "y", "width", "height"):
            assert abs(before[name][side] - after[name][side]) <= 1, (name, side, before[name], after[name])


def writers_page(
    context_factory, reused_tab, site: str, host_site, lang: str, name: str, viewport: dict, policy: str = ""
):
    """A writer's post on the host server, in a new tab, holding the ONO loop's script embed
    copied from our page's panel (read in a kept tab), loaded and settled: (the tab, what it
    requested and logged, the embed)."""
    snippet = reuse_page(reused_tab, site, lang, "loop", **DESKTOP).locator("#embed-script-ono_loop")
    host, folder = host_site
    tab = context_factory(**viewport).new_page()
    seen = watch(tab)
    tab.goto(f"{host}/{writers_post(folder, name, snippet.input_value(), policy)}")
    chart = tab.locator("[data-explainer-chart=ono_loop]")
    chart.locator(".chart-view:visible svg").first.wait_for()
    tab.wait_for_load_state("networkidle")
    return tab, seen, chart


def watch(tab) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {"requests": [], "errors": [], "failed": []}
    tab.on("request", lambda r: seen["requests"].append(r.url))
    tab.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    tab.on("pageerror", lambda e: seen["errors"].append(str(e)))
    tab.on("requestfailed", lambda r: seen["failed"].append(r.url))
    tab.on("response", lambda r: r.status >= 400 and seen["failed"].append(f"{r.status} {r.url}"))
    return seen


def assert_clean(seen, host: str, site: str) -> None:
    origins = {"{0.scheme}://{0.netloc}".format(urlsplit(url)) for url in seen["requests"]}
    assert origins <= {host, site}, origins  # nothing from anywhere but the two servers
    assert seen["errors"] == [] and seen["failed"] == []
    assert len([url for url in seen["requests"] if "/assets/vega." in url]) == 1  # the runtime, once


@pytest.mark.parametrize("lang", LANGS)
def test_the_script_embed_turns_interactive_when_the_reader_tabs_into_it(
    context_factory, reused_tab, static_host, host_site, lang
):
    host = host_site[0]
    tab, seen, chart = writers_page(
        context_factory,
        reused_tab,
        static_host,
        host_site,
        lang,
        f"live-post-{lang}.html",
        DESKTOP,
        strict_policy(static_host),
    )
    globals_before = tab.evaluate(GLOBALS)
    before = boxes(tab)
    assert not any("/assets/vega." in url for url in seen["requests"])  # not before the reader reaches for it
    # Tab from the writer's link into the chart, as a keyboard user would
    tab.locator("#before").focus()
    tab.keyboard.press("Tab")
    assert chart.evaluate("host => host.shadowRoot.activeElement.matches('.chart-view')")
    tab.keyboard.press("ArrowRight")
    tooltip = chart.locator(".chart-tooltip")
    tooltip.wait_for(state="visible", timeout=15000)
    # the vega view runs in the shadow root, in the same box
    assert chart.locator(".chart.is-live .chart-view:visible .chart-live svg").count() == 1
    assert chart.locator(".chart-view:visible > svg").count() == 0  # the static SVG it replaced
    first = tooltip.text_content()
    assert first.strip()
    tab.keyboard.press("ArrowRight")
    tab.wait_for_function("([t, old]) => t.textContent !== old", arg=[tooltip.element_handle(), first])
    announced = chart.locator("[aria-live]").text_content()
    assert announced.startswith("2/") and tooltip.text_content().split()[-1] in announced
    ring = chart.locator(".chart-focus").bounding_box()
    view = chart.locator(".chart-view:visible").bounding_box()
    assert view["x"] <= ring["x"] and ring["x"] + ring["width"] <= view["x"] + view["width"] + 4
    tab.wait_for_load_state("networkidle")
    assert_nothing_moved(before, boxes(tab))
    # the runtime left the writer's page as it was: its globals, and no new ones
    assert tab.evaluate("() => [t, n]") == ["the host t", "the host n"]
    assert tab.evaluate(GLOBALS) == globals_before
    assert_clean(seen, host, static_host)


@pytest.mark.parametrize("lang", LANGS)
def test_the_script_embed_turns_interactive_on_a_tap(context_factory, reused_tab, static_host, host_site, lang):
    host = host_site[0]
    tab, seen, chart = writers_page(
        context_factory, reused_tab, static_host, host_site, lang, f"tap-post-{lang}.html", PHONE
    )
    before = boxes(tab)
    view = chart.locator(".chart-view:visible")
    box = view.bounding_box()
    tab.touchscreen.tap(box["x"] + 2, box["y"] + 2)  # the first touch wakes the chart up
    chart.locator(".chart.is-live").wait_for(timeout=15000)
    # where the first mark is (the keyboard navigator's ring shows it); a tap there shows its tooltip
    view.focus()
    tab.keyboard.press("ArrowRight")
    tooltip = chart.locator(".chart-tooltip")
    expected = tooltip.text_content()
    ring = chart.locator(".chart-focus").bounding_box()
    view.evaluate("v => v.blur()")
    tooltip.wait_for(state="hidden")
    tab.touchscreen.tap(ring["x"] + ring["width"] / 2, ring["y"] + ring["height"] / 2)
    tooltip.wait_for(state="visible", timeout=5000)
    assert tooltip.text_content() == expected and expected.strip()
    tab.wait_for_load_state("networkidle")
    assert_nothing_moved(before, boxes(tab))
    assert_clean(seen, host, static_host)


@pytest.mark.parametrize("lang", LANGS)
def test_without_site_url_the_panel_fills_in_the_address_it_is_served_from_even_in_a_sub_folder(
    context_factory, built_site, host_site, tmp_path, lang
):
    # built without site_url, published under a sub-folder (as a GitHub Pages project site is)
    (tmp_path / "explainer").symlink_to(built_site, target_is_directory=True)
    with serving(tmp_path) as server:
        site = f"{server}/explainer"
        tab = context_factory(**DESKTOP).new_page()
        tab.goto(f"{site}{url_path(lang, 'loop')}")
        iframe_code = tab.locator("#embed-ono_loop").input_value()
        script_code = tab.locator("#embed-script-ono_loop").input_value()
        assert f'src="{site}{url_path(lang, "embed/ono_loop")}"' in iframe_code
        assert f'src="{site}/charts/ono_loop/{lang}.embed.js"' in script_code
        assert f'<noscript><img src="{site}/charts/ono_loop/{lang}.png"' in script_code
        # and both codes work as pasted, in a writer's page on another origin
        host, folder = host_site
        (folder / f"sub-folder-{lang}.html").write_text(
            f"<!doctype html><html lang=en><title>Post</title><body style='width:700px'>"
            f"{iframe_code}\n{script_code}</body></html>",
            encoding="utf-8",
        )
        post = context_factory(**DESKTOP).new_page()
        post.goto(f"{host}/sub-folder-{lang}.html")
        post.frame_locator("iframe[data-explainer-embed]").locator(".chart-view:visible svg").first.wait_for()
        post.locator("[data-explainer-chart=ono_loop] .chart-view:visible svg").first.wait_for()
        assert post.locator("[data-explainer-chart=ono_loop] .chart-source").text_content() == CREDIT[lang]


def test_two_charts_embedded_in_one_page_share_one_runtime(context_factory, reused_tab, static_host, host_site):
    codes = reuse_page(reused_tab, static_host, "en", "losses", **DESKTOP).locator("textarea[id^=embed-script-]")
    assert codes.count() >= 2
    snippets = [codes.nth(i).input_value() for i in range(2)]
    host, folder = host_site
    tab = context_factory(**DESKTOP).new_page()
    seen = watch(tab)
    tab.goto(f"{host}/{writers_post(folder, 'two-charts.html', chr(10).join(snippets))}")
    embeds = tab.locator("[data-explainer-chart]")
    for i in range(2):
        embeds.nth(i).locator(".chart-view:visible svg").first.wait_for()
    for i in range(2):
        embeds.nth(i).locator(".chart-view:visible").hover()
        embeds.nth(i).locator(".chart.is-live").wait_for(timeout=15000)
    tab.wait_for_load_state("networkidle")
    assert tab.evaluate("() => document.querySelectorAll('script[data-explainer-runtime]').length") == 1
    assert_clean(seen, host, static_host)  # the runtime requested once for both
