"""Corrections in the open, as readers and editors see them: a correction in the log of the
three-language fixture (zh, en, ja) shows on a corrections page in every language, at the foot of
the pages and under the charts it touched (schema.org microdata a parser reads), in the chart's
embed page (?plain=1 too), script embed and downloads, and, with site_url, in an Atom feed that a
real XML parser reads; every value escaped for its format. A log with an unknown id, a bad day or
a missing language is refused at its line; an empty log publishes nothing. The real site's
correction shows in both its languages."""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import logging
import re
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from explainer import builder
from explainer.core.errors import ContentError
from explainer.load.corrections import load_corrections
from tests.conftest import FIXTURES, ROOT, own_cache, page_path
from tests.test_fixture_projects import copy_fixture

SITE_URL = "https://corrections.example/site/"
ATOM = "{http://www.w3.org/2005/Atom}"
CORRECTION_TYPE = "https://schema.org/CorrectionComment"
# what changed, with every format's metacharacters: HTML, XML (and a CDATA end), CSV, Markdown, a
# reference the page expander must not run, and a spreadsheet formula
HOSTILE = {
    "zh": '数字改为 <b>&amp;</b> "引号",逗号 ]]> {{ fact trips_2027 }} *强调*',
    "en": '=HYPERLINK("x") The count <script>alert(1)</script> & "quoted", comma ]]> {{ fact trips_2027 }} *em*',
    "ja": "数字を改めた <i>x</i> & ]]>",
}
WHY = {"zh": "原文如此。", "en": "The source says so.", "ja": "原文の通り。"}
LOG = f"""\
- date: 2026-12-07
  what: {json.dumps(HOSTILE, ensure_ascii=False)}
  why: {json.dumps(WHY, ensure_ascii=False)}
  touches:
    facts: [trips_last_year]
    pages: [about.md]
    charts: [trips]
"""
DAYS = {"zh": "2026年12月7日", "en": "December 7, 2026", "ja": "2026年12月7日"}
PREFIX = {"zh": "", "en": "en/", "ja": "ja/"}


def _published(project: Path, page: str, day: str) -> None:
    """Say in a page's front matter, in every language, the day it was published."""
    for lang in PREFIX:
        path = project / "content" / lang / page
        path.write_text(
            path.read_text(encoding="utf-8").replace("---\n", f"---\npublished: {day}\n", 1), encoding="utf-8"
        )


def _build(project: Path, site_url: str | None) -> None:
    builder.build(project / "mkdocs.yml", project / "site", site_url=site_url, cache_dir=project / ".cache")


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory, vega_cache: Path) -> Path:
    """The complete fixture (zh, en, ja) with one hostile correction, built with site_url."""
    project = copy_fixture("complete", tmp_path_factory.mktemp("corrected"))
    own_cache(project, vega_cache)
    (project / "content" / "corrections.yaml").write_text(LOG, encoding="utf-8")
    _published(project, "about.md", "2026-12-01")
    _build(project, SITE_URL)
    return project / "site"


def _read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


class Microdata(HTMLParser):
    """The microdata items of a page (itemscope, itemtype, itemprop), nested as written: each item
    a dict of its type and properties (a property's value: its nested item, or its text, or a
    <time>'s datetime, an <a>'s href)."""

    VOID = frozenset(
        {"meta", "link", "img", "br", "hr", "input", "source", "wbr", "area", "base", "col", "embed", "track"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[dict] = []  # top-level items
        self.stack: list[tuple[str, dict | None, str | None, list[str]]] = []  # tag, item, prop, text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        item = None
        if "itemscope" in found:
            item = {"type": found.get("itemtype"), "props": {}}
            parent = self._item()
            if "itemprop" in found and parent is not None:
                parent["props"].setdefault(found["itemprop"], []).append(item)
            elif parent is None:
                self.items.append(item)
        prop = found.get("itemprop") if item is None else None
        if prop is not None and tag in ("time", "a", "meta"):
            value = found.get("datetime") or found.get("href") or found.get("content") or ""
            if (tag == "time" and "datetime" in found) or tag != "time":
                self._item()["props"].setdefault(prop, []).append(value)  # type: ignore[index]
                prop = None
        if tag in self.VOID:
            return
        self.stack.append((tag, item, prop, []))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, _item, prop, text = self.stack.pop()
            if prop is not None:
                self._item()["props"].setdefault(prop, []).append(" ".join("".join(text).split()))  # type: ignore[index]
            if self.stack and self.stack[-1][2] is not None:
                self.stack[-1][3].extend(text)
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.stack[-1][3].append(data)

    def _item(self) -> dict | None:
        return next((item for _tag, item, _prop, _text in reversed(self.stack) if item is not None), None)


def microdata(page: str) -> list[dict]:
    parser = Microdata()
    parser.feed(page)
    return parser.items


def corrections_of(page: str) -> list[dict]:
    """The CorrectionComment items the page's Article carries."""
    articles = [item for item in microdata(page) if item["type"] == "https://schema.org/Article"]
    assert len(articles) == 1, "the page is not one schema.org Article"
    return articles[0]["props"].get("correction", [])


def visible(page: str) -> str:
    """The words of a page's main column, as a reader reads them (tags gone, entities read)."""
    main = re.search(r"<main\b.*?</main>", page, re.S).group(0)  # type: ignore[union-attr]
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", main).split()))


def target(site: Path, page: str, href: str) -> Path:
    """The file a relative link of a page (its path from the site root) leads to."""
    path = href.split("#")[0]
    folder = (site / page).parent if page.endswith(".html") else site / page
    resolved = (folder / path).resolve()
    return resolved / "index.html" if resolved.is_dir() else resolved


# -- the corrections page, in every language ---------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en", "ja"])
def test_each_language_has_a_corrections_page_with_the_day_what_and_why(corrected, lang):
    path = f"{PREFIX[lang]}corrections/index.html"
    page = _read(corrected, path)
    words = visible(page)
    assert DAYS[lang] in words
    assert " ".join(HOSTILE[lang].split()) in words  # shown as typed
    assert WHY[lang] in words
    assert "<script>alert" not in page and "<b>" not in page and "<i>x" not in page
    # the links to what it touched: the page, the chart on the page that shows it, the fact's source
    links = re.findall(r'class="correction-touches">(.*?)</p>', page, re.S)[0]
    hrefs = re.findall(r'href="([^"]+)"', links)
    assert any(h.endswith("about/") for h in hrefs) and any(h.endswith("#chart-trips") for h in hrefs)
    assert any(h.endswith("#fact-trips_last_year") for h in hrefs)
    for href in hrefs:
        assert target(corrected, path, href).is_file(), href
    # every page's footer links to it
    home = _read(corrected, f"{PREFIX[lang]}index.html")
    footer = re.search(r'<footer class="colophon">.*?</footer>', home, re.S).group(0)  # type: ignore[union-attr]
    assert 'href="corrections/"' in footer or 'href="./corrections/"' in footer


@pytest.mark.parametrize("lang", ["zh", "en", "ja"])
def test_the_corrections_page_and_each_touched_page_carry_schema_org_corrections(corrected, lang):
    for path in (f"{PREFIX[lang]}corrections/index.html", f"{PREFIX[lang]}about/index.html"):
        found = corrections_of(_read(corrected, path))
        assert len(found) == 1, path
        comment = found[0]
        assert comment["type"] == CORRECTION_TYPE
        assert comment["props"]["datePublished"] == ["2026-12-07"]
        text = comment["props"]["text"][0]
        assert " ".join(HOSTILE[lang].split()) in text and WHY[lang] in text


def test_a_page_showing_a_corrected_chart_notes_the_correction_and_links_to_it(corrected):
    path = "en/index.html"
    page = _read(corrected, path)
    assert len(corrections_of(page)) == 1  # the home page shows the corrected chart
    notice = re.search(r'<aside class="corrections-notice">.*?</aside>', page, re.S).group(0)  # type: ignore[union-attr]
    href = re.search(r'href="([^"]+)"', notice).group(1)  # type: ignore[union-attr]
    assert href.endswith("corrections/#correction-2026-12-07")
    assert target(corrected, path, href) == (corrected / "en" / "corrections" / "index.html").resolve()
    assert 'id="correction-2026-12-07"' in _read(corrected, "en/corrections/index.html")


def chart_notice(page: str) -> str:
    return re.search(r'<p class="chart-correction">.*?</p>', page, re.S).group(0)  # type: ignore[union-attr]


@pytest.mark.parametrize("lang", ["zh", "en", "ja"])
def test_the_chart_carries_its_correction_on_the_page_and_in_its_embed_page(corrected, lang):
    for path in (f"{PREFIX[lang]}index.html", f"{PREFIX[lang]}embed/trips/index.html"):
        page = _read(corrected, path)
        notice = chart_notice(page)
        assert DAYS[lang] in html.unescape(notice)
        assert " ".join(HOSTILE[lang].split()) in html.unescape(re.sub(r"<[^>]+>", "", notice))
        href = re.search(r'href="([^"]+)"', notice).group(1)  # type: ignore[union-attr]
        assert target(corrected, path, href) == (corrected / PREFIX[lang] / "corrections" / "index.html").resolve()
        # not inside the caption, which a plain embed hides
        caption = re.search(r"<figcaption.*?</figcaption>", page, re.S).group(0)  # type: ignore[union-attr]
        assert "chart-correction" not in caption
    embed = _read(corrected, f"{PREFIX[lang]}embed/trips/index.html")
    assert 'target="_top"' in chart_notice(embed)  # leaves the host's frame


def test_a_plain_embed_still_shows_the_correction(corrected):
    """?plain=1 hides by CSS what a host prints itself; the stylesheet never hides the correction."""
    css_name = re.search(r'href="[./]*(assets/site\.[^"]+\.css)"', _read(corrected, "embed/trips/index.html"))
    css = _read(corrected, css_name.group(1))  # type: ignore[union-attr]
    hidden = [rule for rule in re.findall(r"html\[data-plain\][^{]*\{[^}]*\}", css) if "display:none" in rule]
    assert hidden and not any("chart-correction" in rule for rule in hidden)
    assert ".chart-correction{" in css


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_script_embed_carries_the_correction(corrected, lang):
    script = _read(corrected, f"charts/trips/{lang}.embed.js")
    figure = json.loads(re.search(r"var html = (\".*?\")\.split", script).group(1))  # type: ignore[union-attr]
    notice = chart_notice(figure)
    assert f'href="__ROOT__/{PREFIX[lang]}corrections/#correction-2026-12-07"' in notice
    assert "<script>" not in figure


@pytest.mark.parametrize("lang", ["zh", "en", "ja"])
def test_the_downloads_carry_the_correction_escaped_for_each_format(corrected, lang):
    folder = corrected / "charts" / "trips"
    address = f"{SITE_URL}{PREFIX[lang]}corrections/#correction-2026-12-07"
    # CSV: a correction column on every row, read back by the csv module as written
    rows = list(csv.DictReader(io.StringIO((folder / f"{lang}.csv").read_text(encoding="utf-8-sig"))))
    assert rows and all(HOSTILE[lang] in row["correction"] and address in row["correction"] for row in rows)
    # SVG (and the PNG drawn from it): after the source line, parsed by a real XML parser
    svg = ET.fromstring((folder / f"{lang}.svg").read_bytes())
    drawn = " ".join("".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert DAYS[lang] in drawn and "]]>" in drawn
    # metadata.json and the zip's README
    meta = json.loads((folder / f"{lang}.metadata.json").read_text(encoding="utf-8"))
    assert meta["corrections"] == [{"date": "2026-12-07", "what": HOSTILE[lang], "why": WHY[lang], "url": address}]
    with zipfile.ZipFile(folder / f"{lang}.zip") as bundle:
        readme = bundle.read("README.md").decode("utf-8")
        assert json.loads(bundle.read("metadata.json"))["corrections"] == meta["corrections"]
    assert address in readme and "<script>" not in readme and "<i>" not in readme


# -- the feed ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en", "ja"])
def test_each_language_has_an_atom_feed_of_its_corrections_and_new_pages(corrected, lang):
    feed = ET.fromstring((corrected / PREFIX[lang] / "feed.xml").read_bytes())
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == f"{SITE_URL}{PREFIX[lang]}feed.xml"
    assert feed.findtext(f"{ATOM}title") and feed.findtext(f"{ATOM}updated") == "2026-12-07T00:00:00Z"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": f"{SITE_URL}{PREFIX[lang]}feed.xml", "alternate": f"{SITE_URL}{PREFIX[lang]}corrections/"}
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    entry, page = feed.findall(f"{ATOM}entry")  # newest first: the correction, then the page
    about = f"{SITE_URL}{PREFIX[lang]}about/"
    assert (page.findtext(f"{ATOM}id"), page.findtext(f"{ATOM}updated")) == (about, "2026-12-01T00:00:00Z")
    assert page.find(f"{ATOM}link").get("href") == about  # type: ignore[union-attr]
    assert page.findtext(f"{ATOM}title") and page.findtext(f"{ATOM}summary")
    address = f"{SITE_URL}{PREFIX[lang]}corrections/#correction-2026-12-07"
    assert entry.findtext(f"{ATOM}id") == address
    assert entry.find(f"{ATOM}link").get("href") == address  # type: ignore[union-attr]
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated").replace("Z", "+00:00"))  # type: ignore[union-attr]
    assert HOSTILE[lang] in entry.findtext(f"{ATOM}title")  # type: ignore[operator]
    assert HOSTILE[lang] in entry.findtext(f"{ATOM}summary") and WHY[lang] in entry.findtext(f"{ATOM}summary")  # type: ignore[operator]
    # every page of the language announces it
    head = _read(corrected, f"{PREFIX[lang]}about/index.html").split("</head>")[0]
    assert f'<link rel="alternate" type="application/atom+xml" href="{SITE_URL}{PREFIX[lang]}feed.xml"' in head


def test_without_site_url_there_is_no_feed_and_the_build_says_so_once(tmp_path, vega_cache, caplog):
    project = copy_fixture("complete", tmp_path)
    own_cache(project, vega_cache)
    (project / "content" / "corrections.yaml").write_text(LOG, encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="explainer"):
        _build(project, None)
    site = project / "site"
    assert not list(site.rglob("feed.xml"))
    assert "application/atom+xml" not in _read(site, "en/about/index.html")
    said = [r.getMessage() for r in caplog.records if "Atom feed" in r.getMessage()]
    assert len(said) == 1 and "site_url" in said[0]
    # the page, notices and downloads are there, the downloads naming no address
    assert (site / "en" / "corrections" / "index.html").is_file()
    rows = list(csv.DictReader(io.StringIO((site / "charts/trips/en.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0]["correction"].startswith("Corrected December 7, 2026") and "http" not in rows[0]["correction"]


def test_an_empty_log_publishes_no_page_and_no_link_and_the_feed_has_only_new_pages(tmp_path, vega_cache):
    project = copy_fixture("complete", tmp_path)
    own_cache(project, vega_cache)
    (project / "content" / "corrections.yaml").write_text("# none yet\n[]\n", encoding="utf-8")
    _published(project, "index.md", "2026-11-30")
    _build(project, SITE_URL)
    site = project / "site"
    assert not (site / "corrections").exists()
    feed = ET.fromstring((site / "en" / "feed.xml").read_bytes())
    assert [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")] == [f"{SITE_URL}en/"]
    for lang in PREFIX:
        page = page_path(site, lang, "index").read_text(encoding="utf-8")
        assert "corrections/" not in page and "chart-correction" not in page and 'itemprop="correction"' not in page
    assert "correction" not in (site / "charts/trips/en.csv").read_text(encoding="utf-8-sig").splitlines()[0]


# -- the log, refused at its line --------------------------------------------------------------

KNOWN = {"facts": ["trips_last_year"], "claims": [], "pages": ["index.md", "about.md"], "charts": ["trips"]}
GOOD = {
    "date": "2026-12-07",
    "what": '{zh: 改了, en: "Changed"}',
    "why": '{zh: 原因, en: "Because"}',
    "touches": "{charts: [trips]}",
}


def _log(**fields: str) -> str:
    entry = {**GOOD, **fields}
    lines = [f"  {key}: {value}" for key, value in entry.items() if value is not None]
    return "# a log\n-" + "\n".join(lines)[1:] + "\n"


@pytest.mark.parametrize(
    ("fields", "line", "message"),
    [
        (
            {"touches": "{charts: [trip]}"},
            5,
            "corrections[0]: 'touches.charts': unknown chart 'trip'; did you mean 'trips'? "
            "(a chart a page shows: {{ chart id }})",
        ),
        (
            {"touches": "{facts: [trips_next_year]}"},
            5,
            "corrections[0]: 'touches.facts': unknown fact 'trips_next_year'; did you mean 'trips_last_year'? "
            "(an id of content/facts.yaml)",
        ),
        ({"touches": "{pages: [<b>.md]}"}, 5, "corrections[0]: 'touches.pages': unknown page '<b>.md'"),
        ({"touches": "{}"}, 5, "corrections[0]: 'touches': name what was corrected"),
        ({"touches": "{tables: [x]}"}, 5, "corrections[0]: 'touches': unknown key 'tables'"),
        ({"date": "2026-13-07"}, 2, "'2026-13-07' is not a day of the calendar (month must be in 1..12)"),
        ({"date": '"2026-02-30"'}, 2, "corrections[0]: 'date': expected a day as YYYY-MM-DD, not '2026-02-30'"),
        ({"date": "yesterday"}, 2, "corrections[0]: 'date': expected a day as YYYY-MM-DD"),
        ({"date": "2026-12-07T10:00:00"}, 2, "corrections[0]: 'date': expected a day as YYYY-MM-DD"),
        # the value as the file writes it, not Python's repr (datetime.datetime(2026, 12, 7, 10, 0), True)
        (
            {"date": "2026-12-07 10:00:00"},
            2,
            "corrections[0]: 'date': expected a day as YYYY-MM-DD, not 2026-12-07 10:00:00 (a",
        ),
        ({"date": "yes"}, 2, "corrections[0]: 'date': expected a day as YYYY-MM-DD, not true"),
        # drawn under the chart in every download: 200,000 characters made a PNG no worker finished
        (
            {"what": '{zh: 改了, en: "' + "x" * 2001 + '"}'},
            3,
            "corrections[0]: 'what.en': 2,001 characters, over the 2,000",
        ),
        ({"what": "{zh: 改了}"}, 3, "corrections[0]: 'what': missing the 'en' text; add `en: ...`"),
        ({"why": '{zh: 原因, en: "  "}'}, 4, "corrections[0]: 'why': missing the 'en' text"),
        (
            {"why": '{zh: 原因, en: "\\u200b\\u2060"}'},
            4,
            "corrections[0]: 'why': missing the 'en' text",
        ),  # invisible only
        ({"why": "{zh: 原因, en: b, fr: c}"}, 4, "corrections[0]: 'why': unknown language 'fr'"),
        ({"why": None}, 2, "corrections[0]: missing 'why'; add it"),
        ({"by": "someone"}, 6, "corrections[0]: unknown key 'by'"),
        (
            {"languages": "[fr]"},
            6,
            "corrections[0]: 'languages': unknown language 'fr'; the site's languages are zh, en",
        ),
        ({"languages": "[]"}, 6, "corrections[0]: 'languages': expected a list of the languages it corrected"),
        ({"languages": "en"}, 6, "corrections[0]: 'languages': expected a list of the languages it corrected"),
        # a character no page, feed or SVG holds (a PNG download could not be drawn), written as an escape
        ({"what": '{zh: "改\\uffff了", en: "Changed"}'}, 3, "'0.what.zh': U+FFFF (not a character) at position 2"),
    ],
)
def test_a_wrong_entry_is_refused_at_its_line_with_what_to_do(tmp_path, fields, line, message):
    log = tmp_path / "corrections.yaml"
    log.write_text(_log(**fields), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_corrections(log, ["zh", "en"], KNOWN)
    (problem,) = caught.value.problems
    assert problem.line == line, (problem.line, problem.message)
    assert problem.message.startswith(message), problem.message


def test_an_entry_repeated_word_for_word_is_refused_at_the_copy(tmp_path):
    """A pasted twice (or `- *entry`) correction was published twice, as -2 of its day."""
    log = tmp_path / "corrections.yaml"
    log.write_text(_log() + _log()[len("# a log\n") :], encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_corrections(log, ["zh", "en"], KNOWN)
    assert [str(p) for p in caught.value.problems] == [
        f"{log}:6: corrections[1]: repeats corrections[0] (line 2) word for word; remove one"
    ]


def test_a_correction_dated_before_the_page_it_corrects_was_published_is_refused(tmp_path):
    log = tmp_path / "corrections.yaml"
    log.write_text(_log(touches="{pages: [about.md]}"), encoding="utf-8")
    published = {"about.md": datetime.date(2026, 12, 8)}
    with pytest.raises(ContentError) as caught:
        load_corrections(log, ["zh", "en"], KNOWN, published=published)
    (problem,) = caught.value.problems
    assert problem.line == 2
    assert problem.message.startswith(
        "corrections[0]: 'date': 2026-12-07 is before about.md was published (2026-12-08, its front matter's"
    )
    assert load_corrections(log, ["zh", "en"], KNOWN, published={"about.md": datetime.date(2026, 12, 7)})


def test_a_log_that_is_not_a_list_is_refused_and_an_absent_one_is_empty(tmp_path):
    log = tmp_path / "corrections.yaml"
    assert not load_corrections(log, ["zh", "en"], KNOWN)
    log.write_text("date: 2026-12-07\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_corrections(log, ["zh", "en"], KNOWN)
    assert "expected a list of corrections" in caught.value.problems[0].message


def test_corrections_of_a_day_get_anchors_of_their_own_newest_first(tmp_path):
    log = tmp_path / "corrections.yaml"
    again = _log(what='{zh: 又改了, en: "Changed again"}')[len("# a log\n") :]  # another one of that day
    log.write_text(_log() + _log(date="2026-12-08")[len("# a log\n") :] + again, encoding="utf-8")
    found = load_corrections(log, ["zh", "en"], KNOWN)
    assert [entry.id for entry in found] == [
        "correction-2026-12-08",
        "correction-2026-12-07-2",
        "correction-2026-12-07",
    ]


def test_new_projects_get_an_empty_log_with_an_example(tmp_path):
    from explainer.scaffold import CORRECTIONS

    log = tmp_path / "corrections.yaml"
    log.write_text(CORRECTIONS, encoding="utf-8")
    assert not load_corrections(log, ["zh", "en"], KNOWN)
    assert "# - date:" in CORRECTIONS and "touches:" in CORRECTIONS


# -- the real site -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "day", "words"),
    [
        ("zh", "2026年12月7日", ("$60.724 billion", "607.24亿美元", "超过97%（推算）")),
        ("en", "December 7, 2026", ("$60.724 billion", "607.24亿美元", "more than 97% (derived)")),
    ],
)
def test_the_real_sites_corrections_show_in_both_languages(built_site, lang, day, words):
    prefix = PREFIX[lang]
    page = _read(built_site, f"{prefix}corrections/index.html")
    text = visible(page)
    assert day in text and all(word in text for word in words)
    assert [c["props"]["datePublished"] for c in corrections_of(page)] == [["2026-12-08"]] + [["2026-12-07"]] * 3
    # the loop page (the figure), bets (its chart) and losses (the waffle) note theirs, with a link;
    # the first correction is of the English pages only (languages: [en]): the Chinese do not carry it
    english = lang == "en"
    for name, anchor in (("loop", "-07"), ("bets", "-07"), ("losses", "-07-2"), ("loop", "-07-3")):
        html_page = _read(built_site, f"{prefix}{name}/index.html")
        notice = re.search(r'<aside class="corrections-notice">.*?</aside>', html_page, re.S)
        linked = notice is not None and f'#correction-2026-12{anchor}"' in notice.group(0)
        assert linked == (english or anchor != "-07"), (name, anchor)
    assert ("chart-correction" in _read(built_site, f"{prefix}embed/dollar_scale/index.html")) == english
    assert "chart-correction" in _read(built_site, f"{prefix}embed/chatgpt_paying/index.html")


def test_the_real_log_names_only_commits_that_exist():
    """Each correction of the real log says which commit made it; the commit is in the history."""
    import subprocess

    log = (ROOT / "content" / "corrections.yaml").read_text(encoding="utf-8")
    commits = re.findall(r"#\s*([0-9a-f]{7,40}):", log)
    assert len(commits) == log.count("\n- date:"), "each entry names its commit"
    for commit in commits:
        if subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", commit], check=False).returncode:
            pytest.skip("not a git checkout with its history")


def test_fixtures_are_left_as_they_were():
    assert not (FIXTURES / "complete" / "content" / "corrections.yaml").exists()


def test_the_corrections_page_describes_itself_for_search_and_sharing(corrected):
    head = _read(corrected, "en/corrections/index.html").split("</head>")[0]
    assert "<title>Corrections · " in head
    assert '<meta name="description" content="When we change a published figure' in head
    body = _read(corrected, "en/corrections/index.html").split("</head>")[1]
    assert body.count("When we change a published figure") == 1, "the introduction once, as the standfirst"


NOT_A_DAY = "front matter `published:` must be a day as YYYY-MM-DD"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", NOT_A_DAY),
        ("2026-12-07T10:00:00", NOT_A_DAY),
        ("2026-02-30", "'2026-02-30' is not a day of the calendar (day is out of range for month)"),
    ],
)
def test_a_page_published_on_no_day_is_refused_at_its_front_matter(tmp_path, value, message):
    from explainer.load.pages import read_page

    page = tmp_path / "index.md"
    page.write_text(f"---\ntitle: Home\ndescription: Home.\npublished: {value}\n---\n\n# Home\n", encoding="utf-8")
    _page, problems = read_page("en", "index.md", page)
    assert len(problems) == 1 and problems[0].message.startswith(message), problems
    assert problems[0].line in (2, 4)


def test_a_page_of_the_projects_own_at_the_corrections_address_is_refused_at_the_log(tmp_path, capsys):
    from explainer import cli

    project = copy_fixture("complete", tmp_path)
    (project / "content" / "corrections.yaml").write_text(LOG, encoding="utf-8")
    for lang in PREFIX:
        page = project / "content" / lang / "corrections.md"
        page.write_text("---\ntitle: Ours\ndescription: Ours.\n---\n\n# Ours\n", encoding="utf-8")
    assert cli.main(["check", "--config", str(project / "mkdocs.yml"), "-q"]) == 1
    err = capsys.readouterr().err
    assert "content/corrections.yaml:1: the corrections page is published at corrections/ in every language" in err
    assert "Traceback" not in err


def test_the_build_refuses_a_correction_dated_before_its_page_was_published(tmp_path, capsys):
    from explainer import cli

    project = copy_fixture("complete", tmp_path)
    (project / "content" / "corrections.yaml").write_text(LOG, encoding="utf-8")
    _published(project, "about.md", "2026-12-08")  # the log's correction of about.md is dated 2026-12-07
    assert cli.main(["check", "--config", str(project / "mkdocs.yml"), "-q"]) == 1
    err = capsys.readouterr().err
    assert "content/corrections.yaml:1: corrections[0]: 'date': 2026-12-07 is before about.md was published" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "own",
    [
        "corrections/index.md",  # a page at the same address as corrections.md
        "corrections/index.html",  # a file extra.publish publishes there
    ],
)
def test_anything_of_the_projects_own_at_the_corrections_address_is_refused(tmp_path, capsys, own):
    """Only corrections.md was looked for: these were replaced by the corrections page without a word."""
    from explainer import cli

    project = copy_fixture("complete", tmp_path)
    (project / "content" / "corrections.yaml").write_text(LOG, encoding="utf-8")
    for lang in PREFIX:
        path = project / "content" / lang / own
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\ntitle: Ours\ndescription: Ours.\n---\n\n# Ours\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("extra:\n", 'extra:\n  publish: ["corrections/*"]\n'))
    assert cli.main(["check", "--config", str(config), "-q"]) == 1
    err = capsys.readouterr().err
    said = f"content/corrections.yaml:1: the corrections page is published at corrections/ in every language, and content/zh/{own}"
    assert said in err and "Traceback" not in err


def test_an_entry_may_reuse_another_with_a_merge_key_and_change_its_day(tmp_path):
    """`<<: *entry` beside `date:` was refused as "duplicate key '1.date'": the merge was checked
    after YAML had merged the keys, not as written."""
    log = tmp_path / "corrections.yaml"
    first = _log()[len("# a log\n") :].replace("- date:", "- &first\n  date:", 1)
    log.write_text(first + "- <<: *first\n  date: 2026-12-08\n", encoding="utf-8")
    found = load_corrections(log, ["zh", "en"], KNOWN)
    assert [entry.id for entry in found] == ["correction-2026-12-08", "correction-2026-12-07"]


def test_a_correction_of_one_language_shows_only_in_that_languages_pages_and_charts(tmp_path, vega_cache):
    """A translation's error (languages: [en]): the corrections page and feed of every language
    list it; the notices on pages, charts, embeds and downloads appear in English only."""
    project = copy_fixture("complete", tmp_path)
    own_cache(project, vega_cache)
    (project / "content" / "corrections.yaml").write_text(LOG + "  languages: [en]\n", encoding="utf-8")
    _published(project, "about.md", "2026-12-01")
    _build(project, SITE_URL)
    site = project / "site"
    for lang, prefix in PREFIX.items():
        shown = lang == "en"
        assert len(corrections_of(_read(site, f"{prefix}corrections/index.html"))) == 1, lang
        assert ("<entry>" in _read(site, f"{prefix}feed.xml").replace("<entry xml", "<entry")) or not shown
        assert ('class="corrections-notice"' in _read(site, f"{prefix}about/index.html")) == shown, lang
        assert ("chart-correction" in _read(site, f"{prefix}embed/trips/index.html")) == shown, lang
        header = _read(site, f"charts/trips/{lang}.csv").lstrip("\ufeff").splitlines()[0]
        assert header.endswith(",correction") == shown, (lang, header)
