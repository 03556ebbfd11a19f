"""Charts that travel: embed pages, data tables, downloads and share previews, in both languages."""

from __future__ import annotations

import csv
import html as html_text
import io
import json
import re
import struct
import zipfile
from pathlib import Path

import bibtexparser
import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import load_schema

from tests.conftest import LANGS, page_path

CHARTS = ("chatgpt_paying", "dollar_scale", "nvidia_tranches", "ono_loop", "openai_losses")
CJK = re.compile(r"[\u4e00-\u9fff]")


def embed_page(site: Path, lang: str, chart_id: str) -> Path:
    return (site if lang == "zh" else site / lang) / "embed" / chart_id / "index.html"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def chart_block(html: str, chart_id: str) -> str:
    match = re.search(rf'<div class="chart" id="chart-{chart_id}".*?</div>\n</div>', html, re.DOTALL)
    assert match, chart_id
    return match.group(0)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart_id", CHARTS)
def test_every_chart_has_an_embed_page_that_shows_it_without_javascript(built_site, chart_id, lang):
    html = embed_page(built_site, lang, chart_id).read_text(encoding="utf-8")
    block = chart_block(html, chart_id)
    svg = re.search(r"<svg\b.*?</svg>", block, re.DOTALL).group(0)
    title = re.search(r'<h1 class="visually-hidden">(.*?)</h1>', html).group(1)
    assert bool(CJK.search(title)) == (lang == "zh")
    assert html_text.unescape(title) in html_text.unescape(svg)
    assert "chart-share" not in html, "no embed control inside the embed itself"
    link = re.search(r'<a href="([^"]+)" target="_top">', html).group(1)
    target = (embed_page(built_site, lang, chart_id).parent / link.split("#")[0]).resolve() / "index.html"
    assert target.exists() and f'id="chart-{chart_id}"' in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart_id", CHARTS)
def test_downloads_exist_parse_and_match_the_data_table(built_site, chart_id, lang):
    folder = built_site / "charts" / chart_id
    spec = json.loads((folder / f"{lang}.vl.json").read_text(encoding="utf-8"))
    validate_jsonschema(spec, load_schema())
    raw = (folder / f"{lang}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a byte-order mark, or Excel shows the Chinese garbled"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    width, height = png_size((folder / f"{lang}.png").read_bytes())
    assert 500 < width < 2000 and 250 < height < 2000
    assert png_size((folder / f"{lang}.og.png").read_bytes()) == (1200, 630)
    assert (folder / f"{lang}.svg").read_text(encoding="utf-8").startswith("<svg")
    # the page's data table lists exactly the plotted rows, in order, as the CSV does
    page = next(
        p
        for p in built_site.rglob("index.html")
        if f'id="chart-{chart_id}"' in p.read_text(encoding="utf-8")
        and (lang == "en") == ("/en/" in str(p))
        and "/embed/" not in str(p)
    )
    table = re.search(
        r"<tbody>(.*?)</tbody>", chart_block(page.read_text(encoding="utf-8"), chart_id), re.DOTALL
    ).group(1)
    cells = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td>', table)
    assert len(cells) == len(rows) >= 2
    for (name, display), row in zip(cells, rows, strict=True):
        assert (name.replace("&#39;", "'").replace("&amp;", "&"), display.replace("&#39;", "'")) == (
            row["name"],
            row["display"],
        )


def test_every_page_has_a_share_preview_in_its_language(built_site):
    for lang in LANGS:
        for page in ("index", "rally", "loop", "about"):
            html = page_path(built_site, lang, page).read_text(encoding="utf-8")
            image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
            assert image.endswith(f"/{lang}.og.png")
            assert (built_site / image.lstrip("/")).exists()
            assert 'name="twitter:card" content="summary_large_image"' in html


def test_a_pages_share_preview_is_its_first_chart(built_site):
    loop = page_path(built_site, "zh", "loop").read_text(encoding="utf-8")
    assert '<meta property="og:image" content="/charts/ono_loop/zh.og.png">' in loop
    bets = page_path(built_site, "en", "bets").read_text(encoding="utf-8")
    assert '<meta property="og:image" content="/charts/dollar_scale/en.og.png">' in bets


def test_the_embed_snippet_has_a_title_and_a_fixed_aspect_ratio(built_site):
    html = page_path(built_site, "en", "loop").read_text(encoding="utf-8")
    snippet = html_text.unescape(
        re.search(r'<textarea id="embed-ono_loop"[^>]*>(.*?)</textarea>', html, re.DOTALL).group(1)
    )
    assert 'src="/en/embed/ono_loop/"' in snippet
    assert 'title="The &quot;ONO&quot; money loop"' in snippet
    assert "aspect-ratio:" in snippet and "ono-embed:height" in snippet


def test_with_a_site_url_the_snippet_and_previews_are_absolute(published_site):
    html = html_text.unescape((published_site / "en" / "loop" / "index.html").read_text(encoding="utf-8"))
    assert 'src="https://ono.example/explainer/en/embed/ono_loop/"' in html
    assert 'e.origin!=="https://ono.example"' in html
    assert '<meta property="og:image" content="https://ono.example/explainer/charts/ono_loop/en.og.png">' in html


OEMBED_LINK = re.compile(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)" title="([^"]+)">')


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart_id", CHARTS)
def test_every_embed_page_offers_a_valid_oembed_response(published_site, chart_id, lang):
    base = "https://ono.example/explainer/"
    prefix = "" if lang == "zh" else f"{lang}/"
    page = embed_page(published_site, lang, chart_id)
    link = OEMBED_LINK.search(page.read_text(encoding="utf-8"))
    assert link, "oEmbed discovery link"
    assert link.group(1) == f"{base}{prefix}embed/{chart_id}/oembed.json"
    response = json.loads((page.parent / "oembed.json").read_text(encoding="utf-8"))
    required = {"version", "type", "html", "width", "height"}  # oEmbed 1.0, section 2.3.4.4 (rich)
    assert required <= response.keys()
    assert (response["version"], response["type"]) == ("1.0", "rich")
    assert all(isinstance(response[k], int) and response[k] > 0 for k in ("width", "height"))
    assert response["title"] == html_text.unescape(link.group(2))
    assert response["provider_url"] == f"{base}{prefix}" and response["provider_name"]
    assert isinstance(response["cache_age"], int)
    # the html: an iframe of the embed page, behind a plain link for hosts that strip iframes
    address = f"{base}{prefix}embed/{chart_id}/"
    assert f'<iframe src="{address}" width="{response["width"]}" height="{response["height"]}"' in response["html"]
    assert f'<blockquote class="ono-embed-fallback"><a href="{address}">' in response["html"]
    assert "<script" not in response["html"]
    # the thumbnail is the chart's PNG, at the size the response gives
    assert response["thumbnail_url"] == f"{base}charts/{chart_id}/{lang}.png"
    png = (published_site / "charts" / chart_id / f"{lang}.png").read_bytes()
    assert png_size(png) == (response["thumbnail_width"], response["thumbnail_height"])


def test_without_a_site_url_no_oembed_is_offered(built_site):
    """oEmbed consumers need absolute addresses: a preview build offers none rather than broken ones."""
    assert not list(built_site.rglob("oembed.json"))
    assert "json+oembed" not in embed_page(built_site, "en", "ono_loop").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart_id", CHARTS)
def test_every_chart_has_a_data_bundle_and_a_citation(published_site, chart_id, lang):
    folder = published_site / "charts" / chart_id
    with zipfile.ZipFile(folder / f"{lang}.zip") as bundle:
        assert bundle.namelist() == [f"{chart_id}-{lang}.csv", "metadata.json", "README.md"]
        csv_bytes = bundle.read(f"{chart_id}-{lang}.csv")
        metadata = json.loads(bundle.read("metadata.json"))
        readme = bundle.read("README.md").decode("utf-8")
    assert csv_bytes == (folder / f"{lang}.csv").read_bytes()
    assert metadata == json.loads((folder / f"{lang}.metadata.json").read_text(encoding="utf-8"))
    # metadata lists every plotted fact with its quote, as the CSV does
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    assert [f["id"] for f in metadata["facts"]] == [row["fact"] for row in rows]
    assert all(f["quote"] and f["unit"] and f["label"][lang] for f in metadata["facts"])
    assert metadata["title"] in readme and metadata["license"][lang] in readme
    assert "huxiu.com" in readme and "@misc{" in readme
    # BibTeX parses: the chart, at its embed address, and the article it draws on
    library = bibtexparser.parse_string((folder / f"{lang}.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    chart, article = library.entries
    prefix = "" if lang == "zh" else f"{lang}/"
    assert chart["url"] == f"https://ono.example/explainer/{prefix}embed/{chart_id}/"
    assert chart["year"] == "2025" and "source-article" in chart["note"]
    assert article["url"] == "https://www.huxiu.com/article/4787562.html"
    items = json.loads((folder / f"{lang}.csl.json").read_text(encoding="utf-8"))
    assert [item["type"] for item in items] == ["dataset", "article-newspaper"]
    assert items[0]["title"] == metadata["title"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_panel_offers_an_apa_citation_and_bibtex(published_site, lang):
    html = html_text.unescape(page_path(published_site, lang, "loop").read_text(encoding="utf-8"))
    block = chart_block(html, "ono_loop")
    apa = re.search(r'<p class="chart-cite">(.*?)</p>', block, re.DOTALL).group(1)
    prefix = "" if lang == "zh" else f"{lang}/"
    assert "(2025)" in apa and f"https://ono.example/explainer/{prefix}embed/ono_loop/" in apa
    assert ("He Yiran" in apa) == (lang == "en") and ("何伊然" in apa) == (lang == "zh")
    bib = re.search(r'<textarea id="bibtex-ono_loop"[^>]*>(.*?)</textarea>', block, re.DOTALL).group(1)
    assert len(bibtexparser.parse_string(bib).entries) == 2
    for suffix in ("zip", "metadata.json", "bib", "csl.json"):
        assert f'charts/ono_loop/{lang}.{suffix}"' in block
