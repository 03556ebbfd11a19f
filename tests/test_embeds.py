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

from explainer.chartkit import kit
from explainer.load.facts import load_facts
from explainer.load.settings import load_settings
from tests.conftest import CHARTS as CHART_FOLDER
from tests.conftest import LANGS, PAGES, PUBLIC_URL, ROOT, page_path, real_quotes
from tests.test_site import CREDIT

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
    link = re.search(r'<p class="embed-source"><a href="([^"]+)" target="_top">', html).group(1)
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
    # the download carries the chart's title, its source line with the article's address, and the site
    download = html_text.unescape((folder / f"{lang}.svg").read_text(encoding="utf-8"))
    assert download.startswith("<svg")
    settings = load_settings(ROOT / "mkdocs.yml")
    title = next(v for (c, code), v in rendered_titles(built_site).items() if c == chart_id and code == lang)
    drawn = re.sub(r"<[^>]+>", "", "".join(re.findall(r"<text\b[^>]*>(.*?)</text>", download, re.DOTALL)))
    assert re.sub(r"\s", "", title) in re.sub(r"\s", "", drawn), "the title, drawn in lines"
    assert settings.article_url in download and settings.language(lang).site_name in download
    # the whole credit, broken only where a line may break (never before a closing bracket)
    assert re.sub(r"\s", "", CREDIT[lang]) in re.sub(r"\s", "", drawn)
    assert not [line for line in re.findall(r"<text\b[^>]*>(.*?)</text>", download) if line[0] in ")）》”，、"]
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


def rendered_titles(site: Path) -> dict[tuple[str, str], str]:
    """Each chart's title per language, read from its embed page."""
    titles = {}
    for lang in LANGS:
        for chart_id in CHARTS:
            html = embed_page(site, lang, chart_id).read_text(encoding="utf-8")
            titles[(chart_id, lang)] = html_text.unescape(
                re.search(r'<h1 class="visually-hidden">(.*?)</h1>', html).group(1)
            )
    return titles


def test_every_page_has_its_own_share_card_and_only_referenced_cards_exist(published_site):
    referenced = set()
    for lang in LANGS:
        for page in (*PAGES, "corrections"):  # the corrections page too: it can be shared
            html = page_path(published_site, lang, page).read_text(encoding="utf-8")
            image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
            folder = page_path(published_site, lang, page).parent.relative_to(published_site).as_posix()
            assert image == f"{PUBLIC_URL.rstrip('/')}/{folder}/og.png".replace("/./", "/")
            card = published_site / image.removeprefix(PUBLIC_URL)
            assert png_size(card.read_bytes()) == (1200, 630)
            referenced.add(card.resolve())
            assert 'name="twitter:card" content="summary_large_image"' in html
            assert "og:image:alt" in html
    rendered = {p.resolve() for p in published_site.rglob("*.png") if "/charts/" not in p.as_posix()}
    assert rendered == referenced, "only share cards that a page references are rendered"
    assert not list(published_site.glob("charts/*/*.og.png"))


def test_without_a_site_url_no_share_card_is_drawn_or_promised(built_site):
    """A crawler cannot fetch a root-relative image: no og:image, a plain summary card, no PNG."""
    for lang in LANGS:
        for page in PAGES:
            html = page_path(built_site, lang, page).read_text(encoding="utf-8")
            assert '<meta property="og:title"' in html
            assert "og:image" not in html and "twitter:image" not in html
            assert 'name="twitter:card" content="summary"' in html
    assert not list(built_site.rglob("og.png"))


def test_share_cards_differ_per_page_and_language(published_site):
    cards = {
        (lang, page): (page_path(published_site, lang, page).parent / "og.png").read_bytes()
        for lang in LANGS
        for page in ("index", "loop", "rally")
    }
    assert len(set(cards.values())) == len(cards)


@pytest.mark.parametrize("width", range(60, 700, 9))
def test_drawn_text_breaks_where_a_line_may_break_never_before_a_closing_mark_nor_after_an_opening_one(width):
    from explainer.draw.exports import CLOSING, OPENING, wrap

    summary = "导读中出现的术语的简短解释：吉瓦、超大规模公司、自由现金流、循环营收、供应商融资（见下表）。"
    for text in (*CREDIT.values(), summary):
        lines = wrap(text, 13, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert not [line for line in lines if line[0] in CLOSING or line[-1] in OPENING], lines


def test_a_share_card_shows_the_pages_headline_and_its_own_first_chart():
    from explainer.draw.exports import share_card_svg
    from explainer.draw.render import render_chart

    facts = load_facts(ROOT / "content" / "facts.yaml", list(LANGS), real_quotes())
    chart = render_chart(CHART_FOLDER, "dollar_scale", facts, "en")
    card = share_card_svg("Why the giants keep betting", "A summary.", "The site", "ono.example", chart)
    assert card.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"')
    words = " ".join(re.findall(r">([^<>]+)</text>", card))
    assert "Why the giants keep betting" in words and "The site" in words and "ono.example" in words
    drawn = re.sub(r"\s", "", html_text.unescape("".join(re.findall(r">([^<>]+)</(?:text|tspan)>", card))))
    assert re.sub(r"\s", "", chart.title) in drawn  # the chart's title, in the lines (tspans) it is drawn in
    text_card = share_card_svg("关于本站与来源", "本站是一篇解读。", "AI 股的“永动机”", "", None)
    assert "关于本站与来源" in text_card and "本站是一篇解读。" in text_card and "<svg x=" not in text_card


def test_the_embed_snippet_has_a_title_and_a_fixed_aspect_ratio(built_site):
    html = page_path(built_site, "en", "loop").read_text(encoding="utf-8")
    snippet = html_text.unescape(
        re.search(r'<textarea id="embed-ono_loop"[^>]*>(.*?)</textarea>', html, re.DOTALL).group(1)
    )
    assert 'src="/en/embed/ono_loop/"' in snippet
    assert 'title="The “ONO” triangle as the author describes it: OpenAI buys Oracle' in snippet
    assert "aspect-ratio:" in snippet and "explainer-embed:height" in snippet


def test_with_a_site_url_the_snippet_and_previews_are_absolute(published_site):
    html = html_text.unescape((published_site / "en" / "loop" / "index.html").read_text(encoding="utf-8"))
    assert 'src="https://ono.example/explainer/en/embed/ono_loop/"' in html
    assert 'e.origin!=="https://ono.example"' in html
    assert '<meta property="og:image" content="https://ono.example/explainer/en/loop/og.png">' in html


@pytest.mark.parametrize("lang", LANGS)
def test_each_chart_carries_one_lean_svg_per_layout(built_site, lang):
    """Every layout of the chart kit is in the page, each in a box of its own natural size."""
    html = page_path(built_site, lang, "loop").read_text(encoding="utf-8")
    block = chart_block(html, "ono_loop")
    views = re.findall(
        r'<div class="chart-view" data-layout="([^"]+)" data-spec="([^"]+)"[^>]*data-box="([^"]+)">(<svg.*?</svg>)',
        block,
        re.DOTALL,
    )
    assert [name for name, *_ in views] == [layout.name for layout in sorted(kit.LAYOUTS, key=lambda each: each.width)]
    css = next((built_site / "assets").glob("site.*.css")).read_text(encoding="utf-8")
    for name, spec, box, svg in views:
        width = re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1)
        height = re.search(r'<svg[^>]*\sheight="([\d.]+)"', svg).group(1)
        # sized by the stylesheet (the CSP allows no style attribute): its natural size and ratio
        assert (
            f'.chart-view[data-box="{box}"]{{max-width:{float(width):g}px;aspect-ratio:{float(width):g}/{float(height):g}}}'
            in css
        )
        assert spec.endswith(f"/ono_loop/{lang}.{name}.vg.json")
        assert (page_path(built_site, lang, "loop").parent / spec).resolve().exists()
        assert not re.search(r'\s(?:d|x|y|transform)="[^"]*\d\.\d{2}', svg), "coordinates rounded to 0.1 px"
        assert svg.count("font-family=") == 1


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
    assert f'<blockquote class="explainer-embed-fallback"><a href="{address}">' in response["html"]
    assert response["width"] == round(kit.LAYOUTS[-1].width) + 24  # the widest layout, with the page's padding
    # then the script that fits the iframe to the height the embed page reports, for hosts that
    # put the html in their page as it is (WordPress drops it): it listens to our origin only
    script = re.fullmatch(r".*</iframe><script>(.*)</script>", response["html"], re.DOTALL).group(1)
    assert 'e.origin!=="https://ono.example"' in script and "explainer-embed:height" in script
    # the thumbnail is the chart's PNG, at the size the response gives
    assert response["thumbnail_url"] == f"{base}charts/{chart_id}/{lang}.png"
    png = (published_site / "charts" / chart_id / f"{lang}.png").read_bytes()
    assert png_size(png) == (response["thumbnail_width"], response["thumbnail_height"])


@pytest.mark.parametrize("lang", LANGS)
def test_without_a_site_url_the_page_cites_its_path_and_the_downloads_no_address(built_site, lang):
    """A preview build does not know its address: the page's citation holds the chart's path
    from the site root, marked for share.js to complete and explained for readers without
    JavaScript; the downloaded citations name no address rather than an invalid one."""
    prefix = "" if lang == "zh" else f"{lang}/"
    block = chart_block(html_text.unescape(page_path(built_site, lang, "loop").read_text(encoding="utf-8")), "ono_loop")
    cited = re.search(r'<p class="chart-cite">(.*?)<br>', block, re.DOTALL).group(1)
    path = f"/{prefix}embed/ono_loop/"
    assert cited.endswith(f'<span class="cite-url" data-path="{path}">{path}</span>')
    assert re.search(r'<p class="cite-relative">[^<]+</p>', block)
    bib = re.search(r'<textarea id="bibtex-ono_loop"[^>]*data-relative>(.*?)</textarea>', block, re.DOTALL).group(1)
    assert bibtexparser.parse_string(bib).entries[0]["howpublished"] == f"\\url{{{path}}}"
    folder = built_site / "charts" / "ono_loop"
    chart, article = bibtexparser.parse_string((folder / f"{lang}.bib").read_text(encoding="utf-8")).entries
    assert "howpublished" not in chart.fields_dict and "huxiu.com" in article["howpublished"]
    items = json.loads((folder / f"{lang}.csl.json").read_text(encoding="utf-8"))
    assert "URL" not in items[0] and items[1]["URL"].startswith("https://")
    metadata = json.loads((folder / f"{lang}.metadata.json").read_text(encoding="utf-8"))
    assert "embed/" not in metadata["citation"]["apa"]


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
    # BibTeX parses: the chart, at its embed address, and the article it draws on, both undated
    # @misc entries with the address in howpublished = {\url{...}} (plain.bst prints it)
    library = bibtexparser.parse_string((folder / f"{lang}.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    chart, article = library.entries
    prefix = "" if lang == "zh" else f"{lang}/"
    assert [entry.entry_type for entry in library.entries] == ["misc", "misc"]
    assert chart["howpublished"] == f"\\url{{{PUBLIC_URL}{prefix}embed/{chart_id}/}}"
    assert article["howpublished"].endswith(", \\url{https://www.huxiu.com/article/4787562.html}")
    assert "source-article" in chart["note"]
    assert not {"year", "date", "url"} & {*chart.fields_dict, *article.fields_dict}, "no date is invented"
    # the author's name as BibTeX sorts it: split in English, whole (never split) in Chinese
    assert article["author"] == ("He, Yiran" if lang == "en" else "{何伊然}")
    items = json.loads((folder / f"{lang}.csl.json").read_text(encoding="utf-8"))
    assert [item["type"] for item in items] == ["dataset", "article-newspaper"]
    assert items[0]["title"] == metadata["title"]
    assert items[0]["URL"] == f"{PUBLIC_URL}{prefix}embed/{chart_id}/"
    assert not any("issued" in item for item in items)
    assert metadata["citation"]["apa"].endswith(f" {PUBLIC_URL}{prefix}embed/{chart_id}/")


@pytest.mark.parametrize("lang", LANGS)
def test_the_panel_offers_an_apa_citation_and_bibtex(published_site, lang):
    html = html_text.unescape(page_path(published_site, lang, "loop").read_text(encoding="utf-8"))
    block = chart_block(html, "ono_loop")
    chart, source = re.search(r'<p class="chart-cite">(.*?)<br>(.*?)</p>', block, re.DOTALL).groups()
    prefix = "" if lang == "zh" else f"{lang}/"
    # APA 7 for an undated chart on a web page whose site is its author (so the site's name is
    # not repeated after the title): Author. (n.d.). Title [Chart]. URL
    site, title, undated, medium = {
        "en": ("The AI stock “perpetual motion machine”", "The “ONO” triangle", "(n.d.)", "[Chart]"),
        "zh": ("AI 股的“永动机”", "作者所说的“ONO”三角", "(不详)", "[图表]"),
    }[lang]
    assert chart.startswith(f"{site}. {undated}. {title}")
    assert chart.endswith(f" {medium}. {PUBLIC_URL}{prefix}embed/ono_loop/")
    # the article: the author as APA names a person (He, Y.) or as Chinese references write the
    # name (whole), undated, and no "Retrieved" (APA 7: only for content designed to change)
    data_from, author = {"en": ("Data from: ", "He, Y."), "zh": ("数据来源： ", "何伊然.")}[lang]
    assert source.startswith(f"{data_from}{author} {undated}. AI股和黄金同涨不止是“杠铃交易”. ")
    assert source.endswith(". https://www.huxiu.com/article/4787562.html")
    assert "Retrieved" not in block and "取读于" not in block and "2025" not in chart
    assert "cite-relative" not in block and "data-path" not in block, "the site knows its address"
    bib = re.search(r'<textarea id="bibtex-ono_loop"[^>]*>(.*?)</textarea>', block, re.DOTALL).group(1)
    entries = bibtexparser.parse_string(bib).entries
    assert len(entries) == 2 and f"\\url{{{PUBLIC_URL}{prefix}embed/ono_loop/}}" in entries[0]["howpublished"]
    for suffix in ("zip", "metadata.json", "bib", "csl.json"):
        assert f'charts/ono_loop/{lang}.{suffix}"' in block
