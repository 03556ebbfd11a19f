"""The script embed: a chart in a writer's own page without an iframe, in a shadow root that the
host page's styles cannot reach, and a PNG where scripts do not run."""

from __future__ import annotations

import pytest

from charts import kit
from tests.conftest import LANGS
from tests.test_browser import DESKTOP, host_site, open_page, url_path

__all__ = ["host_site"]  # a fixture, used by name

HOSTILE = "* { font-size: 40px !important; color: red !important; line-height: 3 !important } div { display: inline !important }"


@pytest.mark.parametrize("lang", LANGS)
def test_the_script_embed_shows_the_chart_its_source_and_data_whatever_the_hosts_css(
    context_factory, server, host_site, lang
):
    article = open_page(context_factory, server, lang, "loop", **DESKTOP)
    snippet = article.page.locator("#embed-script-ono_loop").input_value()  # made absolute by site.js
    assert f'src="{server}/charts/ono_loop/{lang}.embed.js"' in snippet
    assert f'<noscript><img src="{server}/charts/ono_loop/{lang}.png"' in snippet
    natural = article.page.locator("#chart-ono_loop .chart-view:visible").locator("svg").first.bounding_box()["width"]
    host, folder = host_site
    (folder / f"script-post-{lang}.html").write_text(
        f"<!doctype html><html lang=en><title>A writer's post</title><style>{HOSTILE}</style>"
        f"<body style='width:900px'><h1>My post</h1>{snippet}</body></html>",
        encoding="utf-8",
    )
    tab = context_factory(**DESKTOP).new_page()
    tab.goto(f"{host}/script-post-{lang}.html")
    chart = tab.locator("[data-ono-chart=ono_loop]")
    svg = chart.locator(".chart-view:visible").locator("svg").first  # Playwright pierces the open shadow root
    svg.wait_for()
    assert chart.evaluate("host => host.shadowRoot !== null")
    # undisturbed: the chart at its own size, the site's type, not the host's 40px red
    assert abs(svg.bounding_box()["width"] - natural) <= 1
    caption = chart.locator("figcaption")
    style = caption.evaluate("e => [getComputedStyle(e).fontSize, getComputedStyle(e).color]")
    assert float(style[0].removesuffix("px")) < 20 and style[1] != "rgb(255, 0, 0)"
    # its source line and its data table travel with it, in the page's language
    source = chart.locator(".chart-source").text_content() or ""
    assert source == kit.source_line(lang)
    assert chart.locator(".chart-data table tbody tr").count() >= 2
    # and the way back leads to the chart in the explainer, in the same language
    back = chart.locator(".embed-source a").get_attribute("href")
    assert back.startswith(f"{server}{url_path(lang, 'index')}") and back.endswith("#chart-ono_loop")
    tab.goto(back)
    assert tab.locator("#chart-ono_loop svg").count() >= 1
    assert tab.locator("html").get_attribute("lang").startswith(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_script_embed_shows_the_png(context_factory, server, host_site, lang):
    article = open_page(context_factory, server, lang, "loop", **DESKTOP)
    snippet = article.page.locator("#embed-script-ono_loop").input_value()
    host, folder = host_site
    (folder / f"script-nojs-{lang}.html").write_text(
        f"<!doctype html><html lang=en><title>Post</title><body>{snippet}</body></html>", encoding="utf-8"
    )
    tab = context_factory(java_script_enabled=False, **DESKTOP).new_page()
    tab.goto(f"{host}/script-nojs-{lang}.html")
    image = tab.locator("[data-ono-chart=ono_loop] img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 400")
    assert image.get_attribute("alt")
