"""Glossary notes at a term's first use: the headline, the standfirst, a key number's label or a
claim that uses a term before its note is refused at that place, naming the note's line; a use
in the sentence the note ends passes. Built on the small invented project, in zh and en."""

from __future__ import annotations

from pathlib import Path

import pytest

from explainer import cli
from explainer.draw.render import drawn_text
from explainer.load.glossary import first_use

GLOSSARY = """\
expected_loss:
  zh: {word: 预计亏损, note: 公司自己对未来亏损的估计。}
  en: {word: expected loss, note: A company's own estimate of a coming loss.}
"""


def write(project: Path, pages: dict[str, str]) -> None:
    (project / "content/glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    for lang, text in pages.items():
        (project / f"content/{lang}/index.md").write_text(text, encoding="utf-8")


def build(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = cli.main(["--config", str(project / "mkdocs.yml"), "--site-dir", str(project / "site"), "-q"])
    err = capsys.readouterr().err
    return code, [line.removeprefix("error: ") for line in err.splitlines() if "glossary term" in line]


def refused(project: Path, capsys: pytest.CaptureFixture[str], pages: dict[str, str]) -> list[str]:
    """Write the pages, build, and return the glossary guard's messages (the build must fail)."""
    write(project, pages)
    code, problems = build(project, capsys)
    assert code == 1
    return problems


def home(lang: str, headline: str, body: str, standfirst: str = "") -> str:
    front = f'standfirst: "{standfirst}"\n' if standfirst else ""
    return f"---\ntitle: {'首页' if lang == 'zh' else 'Home'}\ndescription: x.\n{front}---\n\n# {headline}\n\n{body}\n"


FINE = {
    "zh": home("zh", "首页", "LakeFerry 的{{ term expected_loss }}是{{ fact ferry_loss_2025 }}。"),
    "en": home("en", "Home", "LakeFerry's {{ term expected_loss }} is {{ fact ferry_loss_2025 }}."),
}


def test_a_note_at_the_first_use_builds_and_is_shown_there(project, capsys):
    write(project, FINE)
    code, problems = build(project, capsys)
    assert code == 0 and problems == []
    html = (project / "site/en/index.html").read_text(encoding="utf-8")
    assert html.index("expected loss<sup") < html.index('id="note-expected_loss"')
    # search finds the words, not the note's number glued to them ("expected loss1")
    search = (project / "site/en/search.json").read_text(encoding="utf-8")
    assert "LakeFerry's expected loss is" in search and "loss1" not in search


def test_a_term_in_the_headline_is_refused_at_the_headline_naming_the_notes_line(project, capsys):
    problems = refused(
        project, capsys, {**FINE, "en": home("en", "What is an Expected Loss?", FINE["en"].split("\n\n", 2)[2])}
    )
    assert problems == [
        "content/en/index.md:6: the glossary term 'expected loss' (expected_loss) is used in the headline "
        "(…What is an Expected Loss?…) before its note at line 8; the headline cannot carry a note: "
        "word it without the term, and note the term where the body first uses it"
    ]


def test_a_term_in_the_standfirst_is_refused_at_its_front_matter_line(project, capsys):
    body = "LakeFerry 的{{ term expected_loss }}是{{ fact ferry_loss_2025 }}。"
    problems = refused(
        project, capsys, {**FINE, "zh": home("zh", "首页", body, standfirst="这家公司的预计亏损有多大？")}
    )
    assert len(problems) == 1
    assert problems[0].startswith(
        "content/zh/index.md:4: the glossary term '预计亏损' (expected_loss) is used in the standfirst"
    )
    assert "before its note at line 9" in problems[0]


def test_a_key_numbers_label_before_the_note_is_refused_at_the_key_numbers_line(project, capsys):
    pages = {
        lang: text.replace("\n\nLakeFerry", "\n\n{{ keynumbers ferry_loss_2025 }}\n\nLakeFerry")
        for lang, text in FINE.items()
    }
    problems = refused(project, capsys, pages)
    assert [problem.split(":")[:2] for problem in problems] == [
        ["content/zh/index.md", "8"],
        ["content/en/index.md", "8"],
    ]
    assert "(…LakeFerry's expected loss in 2025…) before its note at line 10" in problems[1]


def test_a_note_ending_the_sentence_that_uses_the_term_passes(project, capsys):
    # the claim-like text uses the word, and an empty term puts the note right after it
    pages = {
        "zh": home("zh", "首页", '这是 LakeFerry 的预计亏损{{ term expected_loss "" }}：{{ fact ferry_loss_2025 }}。'),
        "en": home(
            "en", "Home", 'This is LakeFerry\'s expected loss{{ term expected_loss "" }}: {{ fact ferry_loss_2025 }}.'
        ),
    }
    write(project, pages)
    assert build(project, capsys) == (0, [])


def test_a_use_in_an_earlier_sentence_is_refused_even_in_the_same_paragraph(project, capsys):
    body = "Expected losses are large. LakeFerry's {{ term expected_loss }} is {{ fact ferry_loss_2025 }}."
    problems = refused(project, capsys, {**FINE, "en": home("en", "Home", body)})
    assert len(problems) == 1 and problems[0].startswith("content/en/index.md:8: the glossary term 'expected loss'")
    assert "(…Expected losses are large…)" in problems[0]


def test_a_term_used_with_no_note_on_the_page_is_refused(project, capsys):
    pages = {**FINE, "zh": home("zh", "首页", "LakeFerry 的预计亏损是{{ fact ferry_loss_2025 }}。")}
    problems = refused(project, capsys, pages)
    assert problems == [
        "content/zh/index.md:8: the glossary term '预计亏损' (expected_loss) is used here "
        "(…LakeFerry 的预计亏损是50亿美元（预计）。…) with no note on the page; put {{ term expected_loss }} "
        "at this first use"
    ]


def test_a_works_title_and_its_translation_are_not_a_use(project, capsys):
    title = "原题《预计亏损之谜》（“The riddle of the expected loss”）。"
    pages = {lang: text.replace("\n\nLakeFerry", f"\n\n{title}\n\nLakeFerry") for lang, text in FINE.items()}
    write(project, pages)
    assert build(project, capsys) == (0, [])


def test_the_glossary_page_itself_is_not_read(project, capsys):
    write(project, FINE)
    for lang in ("zh", "en"):
        about = project / f"content/{lang}/about.md"
        about.write_text(about.read_text(encoding="utf-8") + "\n{{ glossary }}\n", encoding="utf-8")
    assert build(project, capsys) == (0, [])


def test_a_chart_that_is_first_to_use_a_term_notes_it_in_its_caption(project, capsys):
    # the fixture chart's title, "LakeFerry 预计亏损扩大", uses the term before the body's note
    pages = {
        lang: text.replace("\n\nLakeFerry", "\n\n{{ chart ferry_losses }}\n\nLakeFerry", 1)
        for lang, text in FINE.items()
    }
    write(project, pages)
    assert build(project, capsys) == (0, [])
    for lang, caption in (("zh", "图中术语：预计亏损"), ("en", "Terms in this chart: expected loss")):
        html = (project / "site" / ("" if lang == "zh" else "en") / "index.html").read_text(encoding="utf-8")
        figcaption = html[html.index("<figcaption") : html.index("</figcaption>")]
        assert f'<span class="chart-terms">{caption}<sup class="note-ref"><a id="note-ref-expected_loss"' in figcaption
        assert html.count('id="note-ref-expected_loss"') == 1, "the body's later term has no second mark"
        assert html.count('<li id="note-expected_loss">') == 1


def test_a_term_before_a_chart_that_notes_it_is_still_refused(project, capsys):
    pages = {
        lang: text.replace("\n\nLakeFerry", "\n\n{{ chart ferry_losses }}\n\nLakeFerry", 1)
        for lang, text in FINE.items()
    }
    pages["en"] = pages["en"].replace("# Home", "# Home: the expected loss")
    problems = refused(project, capsys, pages)
    assert problems == [
        "content/en/index.md:6: the glossary term 'expected loss' (expected_loss) is used in the headline "
        "(…Home: the expected loss…) before its note at line 8; the headline cannot carry a note: "
        "word it without the term, and note the term where the body first uses it"
    ]


def test_a_chart_after_the_note_names_no_term_in_its_caption(project, capsys):
    write(project, {lang: text + "\n{{ chart ferry_losses }}\n" for lang, text in FINE.items()})
    assert build(project, capsys) == (0, [])
    assert 'class="chart-terms"' not in (project / "site/index.html").read_text(encoding="utf-8")


def test_a_charts_wrapped_label_is_read_as_one_line():
    svg = (
        '<svg><text>标题</text><text x="1"><tspan>循环交易与循</tspan><tspan dy="17">环营收</tspan></text>'
        "<text><tspan>circular</tspan><tspan>revenue &amp; more</tspan></text></svg>"
    )
    assert drawn_text(svg) == "标题\n循环交易与循环营收\ncircular revenue & more\n"


@pytest.mark.parametrize(
    ("text", "word", "found"),
    [
        # a word that begins another is not a use of it: 'loop' in 'loophole' was one
        ("A loophole. The loop.", "loop", "loop"),
        ("Expected losses are large.", "expected loss", "Expected losses"),  # plurals are
        ("The boxes.", "box", "boxes"),
        # Markdown wraps a line between a term's words: still a use
        ("Some circular\nrevenue here.", "circular revenue", "circular\nrevenue"),
        ("Its C++ (lang) code.", "C++ (lang)", "C++ (lang)"),  # regex metacharacters are the word's
        ("原题里的预计亏损。", "预计亏损", "预计亏损"),  # Chinese has no word boundaries
        ("这轮AI泡沫里", "AI", "AI"),  # a Latin word between Chinese characters is a use
        ("He said so.", "AI", None),
        ("No use here.", "loop", None),
    ],
)
def test_a_terms_first_use_is_the_word_itself(text, word, found):
    match = first_use(text, word)
    # where it is, too: the 'loop' found in 'A loophole' was at 2, the text the same
    assert ((match.start(), match.group(0)) if match else None) == ((text.rfind(found), found) if found else None)


def test_a_heading_that_carries_a_note_is_listed_in_the_contents_by_its_words(project, capsys):
    """The page's contents (and its search index) showed 'The expected loss1': the note's number."""
    sections = {
        "zh": "\n\n## 这笔{{ term expected_loss }} {: #loss }\n\n文字。\n\n## 其他 {: #other }\n\n更多。",
        "en": "\n\n## The {{ term expected_loss }} {: #loss }\n\nText.\n\n## Other {: #other }\n\nMore.",
    }
    pages = {
        lang: home(lang, "Home" if lang == "en" else "首页", f"{{{{ fact ferry_loss_2025 }}}}。{sections[lang]}")
        for lang in sections
    }
    write(project, pages)
    assert build(project, capsys) == (0, [])
    html = (project / "site/en/index.html").read_text(encoding="utf-8")
    assert '<li><a href="#loss">The expected loss</a></li>' in html
    assert '"h":"The expected loss"' in (project / "site/en/search.json").read_text(encoding="utf-8")
