"""Every page's first load, as served with gzip, stays within 50 KB and 8 requests."""

from __future__ import annotations

import gzip
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import LANGS, PAGES, page_path

BUDGET_BYTES = 50 * 1024
BUDGET_REQUESTS = 8


class FirstLoad(HTMLParser):
    """The files a browser fetches before any interaction: stylesheets, icons, scripts, images."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"):
            self.urls.append(a["href"])
        elif tag in ("script", "img", "iframe") and a.get("src"):
            self.urls.append(a["src"])


def first_load(site: Path, lang: str, page: str) -> tuple[int, int]:
    """Gzipped bytes and request count of a page and everything it loads up front."""
    path = page_path(site, lang, page)
    html = path.read_bytes()
    total, requests = len(gzip.compress(html, 9)), 1
    for url in FirstLoad(html.decode("utf-8")).urls:
        assert not url.startswith(("http:", "https:", "//")), url
        total += len(gzip.compress((path.parent / url).resolve().read_bytes(), 9))
        requests += 1
    return total, requests


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_first_load_is_within_budget(built_site, lang, page):
    total, requests = first_load(built_site, lang, page)
    assert total <= BUDGET_BYTES, f"{lang}/{page}: {total} bytes"
    assert requests <= BUDGET_REQUESTS, f"{lang}/{page}: {requests} requests"


def test_assets_are_fingerprinted_and_minified(built_site):
    assets = sorted((built_site / "assets").iterdir())
    names = [p.name for p in assets]
    for stem in ("site.css", "site.js", "search.js", "vega.js", "favicon.svg"):
        name, ext = stem.split(".")
        assert any(n.startswith(f"{name}.") and n.endswith(f".{ext}") and len(n.split(".")) == 3 for n in names), stem
    css = next(p for p in assets if p.suffix == ".css").read_text(encoding="utf-8")
    assert "\n" not in css.strip() and "/*" not in css
