"""A writer pastes a chart's address into WordPress, with no plugin, and the post shows the chart.

WordPress 6.1 (Debian's package) finds our oEmbed response through the embed page's discovery
link, sandboxes the iframe, hides it behind the fallback link and shows it only when the embed
page answers its handshake with the height. This is the whole path, with WordPress itself.
"""

from __future__ import annotations

import pytest

from tests.test_browser import SCREENSHOTS, SHOT
from tests.wordpress import missing, wordpress

pytestmark = pytest.mark.slow

# (language, chart, the address prefix of that language's embed pages)
POSTS = (("zh", "ono_loop", ""), ("en", "openai_losses", "en/"))


@pytest.fixture(scope="module")
def chart_site(local_site: str) -> str:
    """The site built for, and served at, its own public address on 127.0.0.1 (oEmbed needs one),
    from a copy of the published build's cache: only what names the address is made again
    (conftest.local_site, shared with the other oEmbed consumers' tests)."""
    return local_site


@pytest.fixture(scope="module")
def blog(chart_site: str, tmp_path_factory: pytest.TempPathFactory):
    lacking = missing()
    if lacking:
        pytest.fail(f"WordPress cannot run here, missing {', '.join(lacking)}: `make test` installs them")
    port = int(chart_site.rstrip("/").rsplit(":", 1)[1])
    with wordpress(tmp_path_factory.mktemp("wordpress"), embed_port=port) as site:
        yield site


@pytest.mark.parametrize(("lang", "chart_id", "prefix"), POSTS)
def test_a_post_holding_only_a_charts_address_shows_the_chart_at_full_height(
    browser, blog, chart_site, lang, chart_id, prefix
):
    address = f"{chart_site}{prefix}embed/{chart_id}/"
    post = blog.post(f"Chart {chart_id}", f"{address}\n")
    tab = browser.new_page(viewport={"width": 1000, "height": 900})
    tab.goto(post, wait_until="load")
    iframe = tab.locator("iframe.wp-embedded-content")
    # WordPress sandboxed it, gave it a secret and hid it behind the fallback link ...
    assert iframe.get_attribute("sandbox") == "allow-scripts"
    assert f"{address}#?secret=" in iframe.get_attribute("src")
    assert tab.locator("blockquote.wp-embedded-content a").get_attribute("href") == address
    # ... and shows it once the embed page answered the handshake with its height
    tab.wait_for_function(
        "() => { const f = document.querySelector('iframe.wp-embedded-content');"
        " return f && !f.hasAttribute('style'); }",
        timeout=20_000,
    )
    frame = tab.frame_locator("iframe.wp-embedded-content")
    chart_svg = frame.locator(f"#chart-{chart_id} .chart-view:visible").locator("svg")
    chart_svg.first.wait_for()
    inner = frame.locator("html").evaluate("e => e.getBoundingClientRect().height")
    box = iframe.bounding_box()
    assert abs(box["height"] - inner) <= 2, (box, inner)
    assert box["height"] > 300
    assert tab.locator("blockquote.wp-embedded-content").evaluate("e => getComputedStyle(e).display") == "none"
    # the chart's title is the page's language, as the host's readers get it
    title = frame.locator("h1").first.text_content() or ""
    assert any("\u4e00" <= ch <= "\u9fff" for ch in title) == (lang == "zh")
    SCREENSHOTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"wordpress-{lang}-{chart_id}.jpg"), **SHOT)
    tab.close()
