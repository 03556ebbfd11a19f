"""Two more oEmbed consumers besides WordPress find our embed from a chart's address and get html
that shows the chart at its full height on another site.

- pyoembed (Python): its AutoDiscoverProvider, the last of its providers, reads the page's
  `<link rel="alternate" type="application/json+oembed">`; none of its site providers matches
  127.0.0.1, so discovery is what answers.
- @extractus/oembed-extractor (Node, the library Ghost uses): with no provider in its list for
  the address it falls back to the same discovery (`method: "auto-discovery"` in its answer),
  driven by tests/oembed_extractor.mjs.

Each runs against the site built for, and served at, its own address on 127.0.0.1, with every
request it makes checked to stay there; the `html` it returns is put as it is into a page of
another origin (another port), as a CMS puts it into a post, and Chromium shows it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT
from tests.test_browser import SCREENSHOTS, host_site

__all__ = ["host_site"]  # a fixture, used by name

pytestmark = pytest.mark.slow

# (language, chart, the address prefix of that language's embed pages)
CHARTS = (("zh", "ono_loop", ""), ("en", "openai_losses", "en/"))
EXTRACTOR = ROOT / "tests" / "oembed_extractor.mjs"
COLUMN = 700  # the host's column: narrower than the response's width, as a blog's often is


@pytest.fixture(scope="module")
def consumer_site(local_site: str) -> str:
    """The site built with a site_url on 127.0.0.1 and served there (oEmbed needs absolute
    addresses), from a copy of the published build's cache: only what names the address is made
    again (conftest.local_site, shared with the WordPress test)."""
    return local_site


def assert_shown_at_full_height(context_factory, host_site: tuple[str, Path], name: str, data: dict, chart_id: str):
    """Put the consumer's html into a page of another origin; the chart shows, the iframe as tall
    as its page (the resize script in the html fitted it), with no scrollbar and no fallback link."""
    host, folder = host_site
    (folder / f"{name}.html").write_text(
        f"<!doctype html><html lang=en><title>A post</title><body style='margin:0'>"
        f"<main style='width:{COLUMN}px;margin:0 8px'><h1>A post</h1>{data['html']}<p>After the chart.</p></main>"
        "</body></html>",
        encoding="utf-8",
    )
    tab = context_factory(viewport={"width": COLUMN + 16, "height": 900}).new_page()
    tab.goto(f"{host}/{name}.html")
    iframe = tab.locator("iframe[data-explainer-embed]")
    frame = tab.frame_locator("iframe[data-explainer-embed]")
    frame.locator(f"#chart-{chart_id} .chart-view:visible svg").first.wait_for()
    tab.wait_for_function(
        "() => document.querySelector('iframe[data-explainer-embed]').style.height.endsWith('px')", timeout=20_000
    )
    inner = frame.locator("html").evaluate(
        "e => ({height: e.getBoundingClientRect().height, scrollHeight: e.scrollHeight, clientHeight: e.clientHeight,"
        " scrollWidth: e.scrollWidth, clientWidth: e.clientWidth})"
    )
    box = iframe.bounding_box()
    assert abs(box["height"] - inner["height"]) <= 2, (box, inner)
    assert inner["scrollHeight"] <= inner["clientHeight"] + 1 and inner["scrollWidth"] <= inner["clientWidth"], inner
    chart = frame.locator(f"#chart-{chart_id} .chart-view:visible").first.bounding_box()
    assert chart["height"] > 150 and chart["y"] + chart["height"] <= box["y"] + box["height"]
    assert tab.locator("blockquote.explainer-embed-fallback").is_hidden()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{name}.jpg"), type="jpeg", quality=80, full_page=True)


@pytest.mark.parametrize(("lang", "chart_id", "prefix"), CHARTS)
def test_pyoembed_discovers_the_embed_and_its_html_shows_the_chart_at_full_height(
    consumer_site, host_site, context_factory, monkeypatch, lang, chart_id, prefix
):
    pyoembed = pytest.importorskip("pyoembed")
    import requests

    asked: list[str] = []
    request = requests.Session.request

    def on_the_machine(session, method, url, *args, **kwargs):
        asked.append(url)
        assert urlsplit(url).hostname == "127.0.0.1", f"pyoembed asked off the machine: {url}"
        return request(session, method, url, *args, **kwargs)

    monkeypatch.setattr(requests.Session, "request", on_the_machine)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    address = f"{consumer_site}{prefix}embed/{chart_id}/"
    data = pyoembed.oEmbed(address)
    assert asked == [address, f"{address}oembed.json"]  # the page, then the endpoint it names
    assert (data["type"], data["version"]) == ("rich", "1.0") and data["provider_url"] == f"{consumer_site}{prefix}"
    assert f'<iframe src="{address}"' in data["html"]
    assert_shown_at_full_height(context_factory, host_site, f"pyoembed-{lang}-{chart_id}", data, chart_id)


@pytest.mark.parametrize(("lang", "chart_id", "prefix"), CHARTS)
def test_ghosts_oembed_extractor_discovers_the_embed_and_its_html_shows_the_chart_at_full_height(
    consumer_site, host_site, context_factory, lang, chart_id, prefix
):
    node = shutil.which("node")
    library = ROOT / "node_modules" / "@extractus" / "oembed-extractor" / "package.json"
    if not node or not library.exists():
        pytest.fail("node and @extractus/oembed-extractor are needed: `make test` installs them (npm ci)")
    address = f"{consumer_site}{prefix}embed/{chart_id}/"
    done = subprocess.run(
        [node, str(EXTRACTOR), address], capture_output=True, text=True, timeout=60, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    data = answer["data"]
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in answer["asked"]), answer["asked"]
    assert answer["asked"][0] == address and answer["asked"][1].startswith(f"{address}oembed.json")
    assert data["method"] == "auto-discovery"  # found from the page's link, not a provider list
    assert (data["type"], data["version"]) == ("rich", "1.0")
    assert f'<iframe src="{address}"' in data["html"]
    assert_shown_at_full_height(context_factory, host_site, f"oembed-extractor-{lang}-{chart_id}", data, chart_id)
