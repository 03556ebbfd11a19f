"""Values land safely in every output format (issue 24, items 1 and 2).

One hostile string holds every special character of every format the build writes: a CSV
formula, BibTeX's braces, backslash and specials, JSON's quote, HTML and XML tags and entities,
Markdown's link, image, emphasis, code and attribute list, line breaks, a bidi override and a
zero-width space. Put into a small project's fact label, chart title, glossary word, speaker
name, interface word and an article quote, each output file is parsed back with a real parser
(csv, bibtexparser, json refusing NaN, an XML parser, html.parser) and must give back the same
text, and nothing more: no link, image, script or handler that the page's own text could not carry.
The sentences of the content files (claim texts, translations, display overrides, glossary notes)
are held to the page's content policy instead, each refused at its YAML line.
"""

from __future__ import annotations

import contextlib
import csv
import html
import json
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import markdown
import pytest

from explainer import builder, cli
from explainer.core import escape
from explainer.load.refs import markdown_inert
from tests.conftest import build_once, small_project

HOSTILE = (
    "=cmd|' /C calc'!A0 \"}@{\\%&#$_~^<script>alert(1)</script>&amp; [x](javascript:alert(1)) "
    '![i](https://evil.example/i.png) **b** `c` {: onclick="alert(1)" } -- ... \u202e\u200b\n\r'
)
# An article's line holds no carriage return (files are read with universal newlines).
HOSTILE_QUOTE = HOSTILE.replace("\n\r", "")


def raw(path: Path) -> str:
    """A file's text with its line ends as written (a carriage return stays one)."""
    with path.open(encoding="utf-8", newline="") as text:
        return text.read()


def strict_json(text: str) -> object:
    """Parse JSON as browsers do: NaN and Infinity are errors."""

    def refuse(constant: str) -> object:
        msg = f"not JSON: {constant}"
        raise ValueError(msg)

    return json.loads(text, parse_constant=refuse)


class Elements(HTMLParser):
    """Every element of an HTML document with its attributes, and the text inside each element
    whose id or class a test asks for."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        if tag not in {"br", "img", "meta", "link", "input", "source", "wbr", "hr"}:
            self._open.append([])

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            text = "".join(self._open.pop())
            self.texts.append(text)
            if self._open:
                self._open[-1].append(text)

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1].append(data)


def parse_html(text: str) -> Elements:
    parser = Elements()
    parser.feed(text)
    parser.close()
    return parser


def assert_nothing_added(page: Elements, where: str) -> None:
    """No script, no handler, no javascript: link and no image from another host in a page."""
    for tag, attrs in page.elements:
        assert tag != "script" or attrs.get("src", "").startswith(("/", ".", "assets/")), (where, tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (where, tag, attrs)
        assert not attrs.get("href", "").strip().lower().startswith("javascript:"), (where, tag, attrs)
        if tag == "img":
            assert "evil.example" not in attrs.get("src", ""), (where, attrs)


# -- each escaper on its own ---------------------------------------------------------------------


def test_markdown_inert_keeps_a_value_as_text_through_markdown() -> None:
    inserted = markdown_inert(f'<a class="claim" href="../about/#claim-x">{html.escape(HOSTILE)}</a>')
    converted = markdown.markdown(f"Said: {inserted}", extensions=["toc", "attr_list", "tables", "smarty"])
    page = parse_html(converted)
    assert_nothing_added(page, "markdown")
    assert [attrs for tag, attrs in page.elements if tag == "a"] == [{"class": "claim", "href": "../about/#claim-x"}]
    assert HOSTILE in page.texts
    assert not {"em", "strong", "code", "img"} & {tag for tag, _ in page.elements}


def test_markdown_inert_leaves_plain_text_byte_for_byte() -> None:
    plain = '<a class="fact" href="#fact-a_b">约 50 亿美元</a><span class="hedge">（预计）</span>'
    assert markdown_inert(plain) == plain
    assert markdown_inert("- GW") == "&#45; GW"  # a value opening a line starts no list


@pytest.mark.parametrize("cell", ["=1+1", "+A1", "-A1", "-2+3", "@SUM(A1)", "\tx", "\rx", HOSTILE])
def test_csv_formula_starts_are_neutralised(cell: str) -> None:
    assert escape.csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", [-5, 3.5, 0, "-5", "+3.2", "-1e9", "5000000000", "GW", "", "0.55–0.65"])
def test_csv_numbers_and_plain_text_stay(cell: object) -> None:
    assert escape.csv_cell(cell) == cell


def test_bibtex_round_trip_gives_back_every_field() -> None:
    from bibtexparser.model import Entry, Field

    title = HOSTILE + " 中文标题\n@misc{evil, title={x}}"
    library = bibtexparser.Library()
    fields = [Field("title", escape.bibtex_text(title)), Field("author", "{" + escape.bibtex_text(title) + "}")]
    library.add(Entry("misc", "chart-en", [*fields, Field("url", escape.bibtex_url("https://e.org/a b}"))]))
    back = bibtexparser.parse_string(bibtexparser.write_string(library))
    assert not back.failed_blocks
    assert [entry.key for entry in back.entries] == ["chart-en"]
    got = back.entries[0].fields_dict
    assert escape.bibtex_unescape(got["title"].value) == title
    assert escape.bibtex_unescape(got["author"].value) == "{" + title + "}"
    assert got["url"].value == "https://e.org/a%20b%7D"


def test_xml_text_and_attribute_round_trip() -> None:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" aria-label="{escape.xml_attribute(HOSTILE)}"><text>{escape.xml_text(HOSTILE)}</text></svg>'
    root = ET.fromstring(svg)
    assert root.get("aria-label") == HOSTILE
    assert root[0].text == HOSTILE
    assert escape.xml_text("a\x02b") == "a\ufffdb"  # XML 1.0 has no way to say \x02
    assert escape.xml_text("a\uffff\ufffeb") == "a\ufffd\ufffdb"  # nor U+FFFF (vl-convert could draw no PNG)


def test_one_line_url_never_starts_a_line() -> None:
    assert escape.one_line_url("https://e.org/a\nDisallow: /\r") == "https://e.org/a%0ADisallow:%20/%0D"
    assert escape.one_line_url("https://e.org/sitemap.xml") == "https://e.org/sitemap.xml"


# -- a small project with the hostile string in every plain-text field -----------------------------

HOSTILE_YAML = json.dumps(HOSTILE, ensure_ascii=True)  # a YAML double-quoted scalar
QUOTE_YAML = json.dumps(HOSTILE_QUOTE, ensure_ascii=True)

CHART = f'''"""A chart whose title and plotted row carry the hostile text."""

import altair as alt

HOSTILE = {HOSTILE!r}


def chart(facts, lang, layout):
    fact = facts["ferry_loss_2025"]
    rows = [{{"name": HOSTILE, "value": fact.value, "fact": fact.id, "label": HOSTILE, "shown": fact.hedged(lang)}}]
    return (
        alt.Chart(alt.Data(values=rows), title=HOSTILE, description=HOSTILE, width=300, height=120)
        .mark_bar()
        .encode(x=alt.X("value:Q"), y=alt.Y("name:N"), tooltip=["label:N", "shown:N"])
    )
'''


def hostile_project(project: Path) -> Path:
    """Put HOSTILE into the small project's plain-text fields; return the article to build with."""
    article = project / "article.txt"  # the project's own source, with the hostile sentence in its first line
    source = (project / "source" / "invented.zh.txt").read_text(encoding="utf-8").splitlines()
    article.write_text("\n".join([source[0] + HOSTILE_QUOTE, *source[1:]]) + "\n", encoding="utf-8")
    facts = project / "content" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    text = text.replace("en: LakeFerry's expected loss in 2025}", f"en: {HOSTILE_YAML}}}", 1)
    facts.write_text(text, encoding="utf-8")
    (project / "content" / "claims.yaml").write_text(
        textwrap.dedent(
            f"""\
            hostile_words:
              speaker: author
              status: stated
              quote: {QUOTE_YAML}
              translations: {{en: "The author says something."}}
              text: {{zh: 作者这样说, en: the author says so}}
            """
        ),
        encoding="utf-8",
    )
    (project / "content" / "glossary.yaml").write_text(
        f"hostile_term:\n  zh: {{word: {HOSTILE_YAML}, note: 一个词}}\n  en: {{word: {HOSTILE_YAML}, note: a word}}\n",
        encoding="utf-8",
    )
    speakers = project / "content" / "speakers.yaml"
    text = speakers.read_text(encoding="utf-8").replace(
        "en: LakeFerry's financial documents}", f"en: {HOSTILE_YAML}}}", 1
    )
    speakers.write_text(text, encoding="utf-8")
    ui = project / "content" / "ui" / "en.yaml"
    words = ui.read_text(encoding="utf-8").replace("our_translation_of: our translation of the Chinese", "")
    ui.write_text(words + f"our_translation_of: {HOSTILE_YAML}\n", encoding="utf-8")
    (project / "charts" / "hostile.py").write_text(CHART, encoding="utf-8")
    for lang in ("zh", "en"):
        page = project / "content" / lang / "index.md"
        extra = "\n{{ keynumbers ferry_loss_2025 }}\n\n{{ chart hostile }}\n\n"
        extra += "Words: {{ quote hostile_words }} and {{ term hostile_term }}.\n\n{{ glossary }}\n"
        page.write_text(page.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return article


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, vega_cache: Path) -> Path:
    """The small project with HOSTILE in its plain-text fields, built once per run from the
    command line (build_once: the xdist workers share it); the tests that use it only read it."""

    def make(project: Path) -> builder.BuildReport:
        small_project(project, vega_cache)
        article = hostile_project(project)
        with contextlib.chdir(project):
            status = cli.main(["build", "-q", "--article", str(article), "--site-url", "https://example.org/x/"])
        assert status == 0, "the hostile project did not build (its messages are in the captured stderr)"
        return builder.BuildReport(timings={}, rendered=[], reused=[])

    return build_once(tmp_path_factory, "hostile-site", make) / "site"


def test_pages_show_the_hostile_text_as_typed_and_add_nothing(hostile_site: Path) -> None:
    shown = HOSTILE.strip()  # the content's loaders trim a value's ends
    for lang, folder in (("zh", hostile_site), ("en", hostile_site / "en")):
        page = parse_html((folder / "index.html").read_text(encoding="utf-8"))
        assert_nothing_added(page, lang)
        texts = page.texts
        # the glossary word: in running text ({{ term }}), the notes and the glossary
        assert texts.count(shown) >= 3 if lang == "zh" else texts.count(shown) >= 4, lang
        assert any(text.startswith(shown) for text in texts)
        if lang == "zh":
            assert HOSTILE_QUOTE in texts  # the article's words ({{ quote }}), verbatim
        else:
            assert HOSTILE in texts  # the fact's label (kept whole) in the key numbers
            assert shown in texts  # the interface word after our translation
        about = parse_html((folder / "about" / "index.html").read_text(encoding="utf-8"))
        assert_nothing_added(about, f"{lang} about")
        if lang == "en":
            assert HOSTILE in about.texts  # the label in the fact table
            assert shown + "expected" in about.texts  # the speaker's name, then the status, in one cell


def test_chart_files_parse_back_to_the_same_text(hostile_site: Path) -> None:
    folder = hostile_site / "charts" / "hostile"
    with (folder / "en.csv").open(encoding="utf-8-sig", newline="") as data:  # as the csv module reads
        rows = list(csv.reader(data))
    assert rows[1][0] == "'" + HOSTILE  # a formula start, neutralised
    assert rows[1][1] == "5000000000"  # a number stays a number
    for name in ("en.vl.json", "en.vg.json", "en.metadata.json", "en.csl.json"):
        strict_json((folder / name).read_text(encoding="utf-8"))
    metadata = strict_json((folder / "en.metadata.json").read_text(encoding="utf-8"))
    assert metadata["title"] == HOSTILE
    csl = strict_json((folder / "en.csl.json").read_text(encoding="utf-8"))
    assert csl[0]["title"] == HOSTILE
    bib = bibtexparser.parse_string(raw(folder / "en.bib"))
    assert not bib.failed_blocks
    assert [entry.key for entry in bib.entries] == ["hostile-en", "source-article"]
    assert escape.bibtex_unescape(bib.entries[0].fields_dict["title"].value) == HOSTILE
    svg = ET.fromstring(raw(folder / "en.svg"))
    assert not [el for el in svg.iter() if el.tag.rsplit("}", 1)[-1] in {"script", "foreignObject"}]
    page = parse_html(raw(hostile_site / "en" / "index.html"))
    assert any(tag == "svg" and attrs.get("aria-label") == HOSTILE for tag, attrs in page.elements)
    for search in (hostile_site / "search.json", hostile_site / "en" / "search.json"):
        strict_json(search.read_text(encoding="utf-8"))


def test_the_bundle_readme_shows_the_title_as_typed(hostile_site: Path) -> None:
    with zipfile.ZipFile(hostile_site / "charts" / "hostile" / "en.zip") as bundle:
        readme = bundle.read("README.md").decode("utf-8")
    rendered = parse_html(markdown.markdown(readme))
    assert_nothing_added(rendered, "README.md")
    assert not {"img", "code", "em", "strong"} & {tag for tag, _ in rendered.elements[:1]}
    assert rendered.elements[0][0] == "h1"
    assert "[x](javascript:alert(1)) ![i](https://evil.example/i.png)" in rendered.texts[0]
    assert "<script>alert(1)</script>&amp;" in rendered.texts[0]
    cited = readme.split("```bibtex\n", 1)[1].rsplit("```", 1)[0]  # the fence holds the whole entry
    assert [entry.key for entry in bibtexparser.parse_string(cited).entries] == ["hostile-en", "source-article"]
    assert escape.markdown_fence("a ```` b") == "`````"


def test_oembed_is_strict_json_and_its_html_says_the_title_only(hostile_site: Path) -> None:
    response = strict_json((hostile_site / "en" / "embed" / "hostile" / "oembed.json").read_text(encoding="utf-8"))
    assert response["title"] == HOSTILE
    markup = parse_html(response["html"])
    assert [tag for tag, _ in markup.elements] == ["blockquote", "a", "iframe", "script"]
    assert markup.elements[2][1]["title"] == HOSTILE
    assert HOSTILE in markup.texts
    robots = (hostile_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert robots[:2] == ["User-agent: *", "Allow: /"]
    assert all(line.startswith("Sitemap: https://example.org/x/") for line in robots[2:])


# -- the sentences of the content files: the page's content policy, at their line -----------------

PROSE = [
    (
        "content/claims.yaml",
        "text: {zh: 作者这样说, en: the author says so}",
        "text: {{zh: 作者这样说, en: {}}}",
        6,
        "claims[hostile_words].text.en",
    ),
    (
        "content/claims.yaml",
        'translations: {en: "The author says something."}',
        "translations: {{en: {}}}",
        5,
        "claims[hostile_words].translations.en",
    ),
    ("content/glossary.yaml", "note: a word}", "note: {}}}", 3, "glossary[hostile_term].en.note"),
]
LINK = "the author says [so](javascript:alert(1))"
IMAGE = "the author says so ![x](https://evil.example/x.png)"


def prose_project(project: Path) -> Path:
    """The hostile project with plain values in every prose field, so only the edited one fails."""
    return hostile_project(project)


@pytest.mark.parametrize(
    ("value", "why"), [(LINK, "no javascript: or data: URLs"), (IMAGE, "must come from this site")]
)
@pytest.mark.parametrize(("file", "old", "new", "line", "label"), PROSE)
def test_prose_fields_are_held_to_the_page_policy(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    file: str,
    old: str,
    new: str,
    line: int,
    label: str,
    value: str,
    why: str,
) -> None:
    article = prose_project(project)
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new.format(json.dumps(value)), 1), encoding="utf-8")
    status = cli.main(["build", "-q", "--article", str(article)])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    assert f"{file}:{line}: {label}: " in err
    assert why in err
    assert not (project / "site").exists()


@pytest.mark.parametrize(
    ("key", "value", "why"),
    [
        ("translations", "widening to [$14 billion](javascript:alert(1)) in 2026", "no javascript: or data: URLs"),
        ("display", "$14 billion ![x](https://evil.example/x.png)", "must come from this site"),
        ("display", "<b>$14 billion</b>", "would be shown as typed"),
    ],
)
def test_fact_prose_fields_are_held_to_the_page_policy(
    project: Path, capsys: pytest.CaptureFixture[str], key: str, value: str, why: str
) -> None:
    facts = project / "content" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    old = 'translations: {en: "widening to $14 billion in 2026"}'
    new = {
        "translations": f"translations: {{en: {json.dumps(value)}}}",
        "display": f"{old}\n  display: {{en: {json.dumps(value)}}}",
    }[key]
    facts.write_text(text.replace(old, new, 1), encoding="utf-8")
    status = cli.main(["build", "-q"])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    line = 16 if key == "translations" else 17
    assert err.count("content/facts.yaml:") == 1, err
    assert f"content/facts.yaml:{line}: facts[ferry_loss_2026].{key}.en: " in err
    assert why in err


NAN_CHART = '''"""A chart whose data holds a number JSON cannot say."""

import altair as alt


def chart(facts, lang, layout):
    fact = facts["ferry_loss_2025"]
    rows = [{"name": "a", "value": float("{value}"), "fact": fact.id, "shown": fact.hedged(lang)}]
    return alt.Chart(alt.Data(values=rows), title="t", description="d").mark_bar().encode(x="value:Q", y="name:N")
'''


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_non_finite_number_in_a_chart_is_refused_at_the_chart(
    project: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    (project / "charts" / "not_finite.py").write_text(NAN_CHART.replace("{value}", value), encoding="utf-8")
    for lang in ("zh", "en"):
        page = project / "content" / lang / "index.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n{{ chart not_finite }}\n", encoding="utf-8")
    status = cli.main(["build", "-q"])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    shown = {"nan": "nan", "inf": "inf", "-inf": "-inf"}[value]
    assert f"charts/not_finite.py:6: the chart's spec holds {shown} at data.values[0].value: " in err, err
    assert "JSON has no NaN or Infinity" in err
    assert not (project / "site").exists()


def test_a_control_character_in_a_claim_is_named_with_its_position(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = hostile_project(project)
    claims = project / "content" / "claims.yaml"
    old = "text: {zh: 作者这样说, en: the author says so}"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace(old, 'text: {zh: 作者这样说, en: "the author\\x02 says so"}'),
        encoding="utf-8",
    )
    status = cli.main(["build", "-q", "--article", str(article)])
    err = capsys.readouterr().err
    assert status == 1
    said = "content/claims.yaml:6: 'hostile_words.text.en': U+0002 (a control character) at position 11, written as"
    assert said in err
    assert err.count("U+0002") == 1, err  # once, where the YAML is read
