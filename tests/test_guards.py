"""The editorial guards: break a page on purpose and read the message the build gives.

Own words (a copied sentence), hedges (a figure typed by hand, a table that drops a hedge),
parity (a fact, claim or section in one language only), claims that drop their speaker or hedge,
and the article-absent path, where the own-words guard is skipped with one notice.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from explainer import cli
from explainer.check.guards import (
    CLOSENESS_LIMIT,
    check_chart_hedges,
    closest_line,
    common_subsequence,
    copied_runs,
    prose_segments,
    run_guards,
    tokens,
)
from explainer.core.errors import ContentError
from explainer.load.claims import load_claims
from explainer.load.facts import load_facts
from explainer.load.pages import load_pages
from explainer.load.quotes import QuoteChecker, QuoteLock
from explainer.load.settings import load_settings
from explainer.load.ui import load_ui
from explainer.write.figures import partials_env
from tests.conftest import SMALL, small_source

# A sentence of the small project's source (line 6), word for word: 28 characters once punctuation is
# dropped (LakeFerry counts as one).
COPIED = "也就是说,LakeFerry 还没有自给自足的能力。一旦船东周明拿不到新的融资"
CLAIM = """\
gao_denies_link:
  speaker: gao_feng
  status: stated
  quote: "收入端与投资端无关。投资机会没有绑定任何条件。"
  translations: {en: "The revenue side has nothing to do with the investment side."}
  text:
    zh: 高峰否认投资与采购挂钩
    en: Gao Feng denies that the investment is tied to purchases
lin_air_pocket:
  speaker: lin_lan
  status: possible
  quote: "林岚就承认,可能会有“空中陷阱”"
  translations: {en: "Lin Lan admitted that there may be an \\"air pocket\\""}
  text:
    zh: 林岚承认前面可能有空中陷阱
    en: Lin Lan has admitted there may be an air pocket ahead
"""


def run(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Build the small project; return the exit code and what was printed to stderr."""
    code = cli.main(["--config", str(project / "mkdocs.yml"), "--site-dir", str(project / "site"), "-q"])
    return code, capsys.readouterr().err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def page_html(project: Path, lang: str, page: str = "index") -> str:
    folder = project / "site" / ("" if lang == "zh" else lang)
    return (folder / ("index.html" if page == "index" else f"{page}/index.html")).read_text(encoding="utf-8")


# -- own words ---------------------------------------------------------------


def test_a_copied_sentence_is_reported_with_its_line_and_words(project, capsys):
    edit(project / "content/zh/index.md", "亏损:", f"{COPIED}。亏损:")
    code, err = run(project, capsys)
    assert code == 1
    assert (
        "content/zh/index.md:8: 28 characters follow the article's wording outside quotation marks: "
        "“也就是说,LakeFerry 还没有自给自足的能力。一旦船东…”; "
        "say it in your own words, or quote it in “…” and credit the speaker"
    ) in err


def test_a_copied_description_is_reported_at_its_front_matter_line(project, capsys):
    edit(project / "content/zh/index.md", "description: 首页.", f"description: {COPIED}")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/zh/index.md:3: 28 characters follow the article's wording outside quotation marks" in err


def test_the_same_words_in_quotation_marks_are_a_quote_and_pass(project, capsys):
    edit(project / "content/zh/index.md", "亏损:", f"作者写道：“{COPIED}”。亏损:")
    code, err = run(project, capsys)
    assert code == 0, err


def test_a_short_echo_of_the_article_is_not_a_copy():
    article_words = {tuple(t.text for t in tokens("LakeFerry 还没有自给自足的能力"))}
    assert copied_runs("它还没有自给自足的能力。", article_words, 15) == []


def test_punctuation_and_spaces_do_not_hide_a_copy():
    """The capture's ASCII commas and stray spaces; a Latin word counts as one character."""
    words = [t.text for t in tokens(small_source().article)]
    shingles = {tuple(words[i : i + 15]) for i in range(len(words) - 14)}
    ((start, end, length),) = copied_runs(
        "也就是说， LakeFerry还没有 自给自足的能力；一旦船东周明拿不到新的融资", shingles, 15
    )
    assert length == 28 and start == 0
    assert end == len("也就是说， LakeFerry还没有 自给自足的能力；一旦船东周明拿不到新的融资")


def test_references_quotes_and_code_are_not_prose():
    text = "a {{ fact x }} b “quoted” c `code` d [link](http://e.example) f"
    assert "".join(part for _, part in prose_segments(text)).split() == ["a", "b", "c", "d", "[link", "f"]


# -- closeness ----------------------------------------------------------------

# Line 6 of the small source, walked through clause by clause with words swapped: no run of 12
# characters is the article's, but 21 of its 38 characters follow the line in order.
RETOLD = "作者说，LakeFerry 目前还不具备自己养活自己的能力；要是船东周明融不到新的资金，船队便会停运。"
# The same point, summarised around a question.
SUMMARY = "船队靠什么撑下去？靠融资：作者认为 LakeFerry 自己赚的钱不够，周明一旦借不到钱，渡轮就得停在港里。"


def test_a_retelling_fails_at_its_line_with_the_article_line_it_follows(project, capsys):
    edit(project / "content/zh/index.md", "亏损:", f"{RETOLD}\n\n亏损:")
    code, err = run(project, capsys)
    assert code == 1
    assert "follow the article's wording" not in err  # the 12-character guard alone lets it through
    assert (
        "content/zh/index.md:8: this paragraph follows article line 6 in order: closeness 0.58 "
        "(21 characters in the same order, of its 38 and the line's 34; the limit is 0.40); "
        "summarise it around the question it answers instead of retelling the line"
    ) in err


def test_a_summary_of_the_same_line_passes(project, capsys):
    edit(project / "content/zh/index.md", "亏损:", f"{SUMMARY}\n\n亏损:")
    code, err = run(project, capsys)
    assert code == 0, err


def test_closeness_is_measured_on_our_prose_only():
    """The same retelling inside quotation marks is a quote; a short paragraph is not measured."""
    article = small_source().article
    assert closest_line(f"作者写道：“{RETOLD}”{SUMMARY}", article).score < CLOSENESS_LIMIT
    assert closest_line("LakeFerry 还没有自给自足的能力。", article) is None


def test_closeness_is_checked_in_the_article_language_only(project, capsys):
    """An English page shares no characters with a Chinese line; the guard reads zh pages only."""
    edit(project / "content/en/index.md", "Loss:", f"{RETOLD}\n\nLoss:")
    edit(project / "content/zh/index.md", "亏损:", f"{SUMMARY}\n\n亏损:")
    code, err = run(project, capsys)
    assert code == 0, err
    assert "closeness" not in err


def test_the_common_subsequence_matches_the_textbook_table():
    """The bit-parallel count agrees with the quadratic dynamic programme."""

    def table(a: str, b: str) -> int:
        row = [0] * (len(b) + 1)
        for x in a:
            previous = 0
            for j, y in enumerate(b, 1):
                previous, row[j] = row[j], previous + 1 if x == y else max(row[j], row[j - 1])
        return row[-1]

    for a, b in [("ABCBDAB", "BDCABA"), ("", "abc"), ("abc", ""), ("aaaa", "aa"), ("英伟达投资", "英伟达向它投资")]:
        assert common_subsequence(list(a), list(b)) == table(a, b)


# -- hedges ------------------------------------------------------------------


def test_a_hedged_figure_renders_its_hedge_unless_the_sentence_says_it(project, capsys):
    edit(
        project / "content/en/index.md",
        "Loss: {{ fact ferry_loss_2025 }}.",
        "Loss: {{ fact ferry_loss_2025 }}. LakeFerry expects to lose {{ fact ferry_loss_2025 }}.",
    )
    code, err = run(project, capsys)
    assert code == 0, err
    en, zh = page_html(project, "en"), page_html(project, "zh")
    assert en.count('<span class="hedge"> (expected)</span>') == 1  # once: the second sentence says it
    assert '>$5 billion</a><span class="hedge"> (expected)</span>.' in en
    assert '>50亿美元</a><span class="hedge">（预计）</span>' in zh


def test_a_hedged_figure_typed_by_hand_is_reported(project, capsys):
    edit(
        project / "content/zh/index.md",
        "亏损:{{ fact ferry_loss_2025 }}。",
        "亏损:{{ fact ferry_loss_2025 }}，约50亿美元。",
    )
    code, err = run(project, capsys)
    assert code == 1
    assert (
        "content/zh/index.md:8: '50亿美元' is typed by hand: it is fact 'ferry_loss_2025', 预计 (LakeFerry 财务文件), "
        "and shows only with its hedge; write {{ fact ferry_loss_2025 }}"
    ) in err


def test_a_larger_figure_that_holds_a_hedged_one_is_not_reported(project, capsys):
    edit(
        project / "content/zh/index.md",
        "亏损:{{ fact ferry_loss_2025 }}。",
        "亏损:{{ fact ferry_loss_2025 }}，不是150亿美元，也不是1.50亿美元。",
    )
    code, err = run(project, capsys)
    assert code == 0, err  # '50亿美元' is typed nowhere: these are other figures


def test_a_table_that_drops_a_hedge_is_reported(project, capsys):
    edit(
        project / "templates/partials/fact_table.html",
        '<td data-label="{{ t.value }}">{{ fact.hedged(lang) }}</td>',
        '<td data-label="{{ t.value }}">{{ fact.display(lang) }}</td>',
    )
    code, err = run(project, capsys)
    assert code == 1
    assert (
        "templates/partials/fact_table.html: shows fact 'ferry_loss_2025' without its hedge ('预计', zh); "
        "print fact.hedged(lang) or fact.hedge(lang) beside the figure"
    ) in err
    assert "without its hedge ('expected', en)" in err


def test_key_numbers_show_the_hedge(project, capsys):
    edit(project / "content/en/index.md", "Loss:", "{{ keynumbers ferry_loss_2025 }}\n\nLoss:")
    edit(project / "content/zh/index.md", "亏损:", "{{ keynumbers ferry_loss_2025 }}\n\n亏损:")
    code, err = run(project, capsys)
    assert code == 0, err
    assert '<strong>$5 billion</strong><em class="hedge">expected</em>' in page_html(project, "en")


# -- parity ------------------------------------------------------------------


def test_a_fact_used_in_one_language_only_is_reported(project, capsys):
    edit(project / "content/en/index.md", "Loss:", "In 2026: {{ fact ferry_loss_2026 }}. Loss:")
    code, err = run(project, capsys)
    assert code == 1
    assert (
        "content/en/index.md:8: fact 'ferry_loss_2026' is used in the opening (before the first ## heading) "
        "but not in the same section of content/zh/index.md (the opening (before the first ## heading), line 5); "
        "reference the same facts, claims and charts in both languages"
    ) in err


def test_a_fact_moved_to_another_section_is_reported_in_both_pages(project, capsys):
    edit(project / "content/en/index.md", "Loss:", "## Losses\n\nLoss:")
    edit(
        project / "content/zh/index.md",
        "亏损:{{ fact ferry_loss_2025 }}。",
        "## 亏损\n\n没有数字。\n\n## 其他\n\n亏损:{{ fact ferry_loss_2025 }}。",
    )
    edit(
        project / "content/en/index.md",
        "Loss: {{ fact ferry_loss_2025 }}.",
        "Loss: {{ fact ferry_loss_2025 }}.\n\n## Other\n\nNothing.",
    )
    code, err = run(project, capsys)
    assert code == 1
    assert (
        "content/en/index.md:10: fact 'ferry_loss_2025' is used in section 1 “Losses” but not in the same section "
        in err
    )
    assert "content/zh/index.md:14: fact 'ferry_loss_2025' is used in section 2 “其他”" in err


def test_a_section_in_one_language_only_is_reported(project, capsys):
    edit(project / "content/zh/index.md", "亏损:", "## 一节\n\n亏损:")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/zh/index.md:8: 1 sections (## headings) here but 0 in content/en/index.md; " in err


# -- claims ------------------------------------------------------------------


def test_claims_render_in_each_language_and_english_quotes_are_marked_as_ours(project, capsys):
    (project / "content/claims.yaml").write_text(CLAIM, encoding="utf-8")
    edit(project / "content/en/index.md", "Loss:", "{{ claim gao_denies_link }}: {{ quote gao_denies_link }} Loss:")
    edit(project / "content/zh/index.md", "亏损:", "{{ claim gao_denies_link }}：{{ quote gao_denies_link }}亏损:")
    edit(project / "content/en/about.md", "{{ fact_table }}", "{{ fact_table }}\n\n{{ claim_table }}")
    edit(project / "content/zh/about.md", "{{ fact_table }}", "{{ fact_table }}\n\n{{ claim_table }}")
    code, err = run(project, capsys)
    assert code == 0, err
    en, zh = page_html(project, "en"), page_html(project, "zh")
    assert 'href="./about/#claim-gao_denies_link">Gao Feng</a> denies that the investment is tied to purchases' in en
    assert "<q>The revenue side has nothing to do with the investment side.</q>" in en
    assert '(<a href="./about/#claim-gao_denies_link">our translation of the Chinese</a>)' in en
    assert "<q>收入端与投资端无关。投资机会没有绑定任何条件。</q>" in zh
    about = page_html(project, "en", "about")
    row = about.split('<tr id="claim-gao_denies_link">')[1].split("</tr>")[0]
    assert "(our translation)" in row
    assert '<details class="original"><summary>Chinese original</summary><q lang="zh-Hans">收入端与投资端无关' in row
    fact_row = about.split('<tr id="fact-ferry_loss_2025">')[1].split("</tr>")[0]
    assert "LakeFerry&#39;s financial documents" in fact_row and "$5 billion (expected)" in fact_row
    assert '<q lang="zh-Hans">财务文件显示,LakeFerry 在2025年预计亏损50亿美元</q>' in fact_row


def test_a_claim_that_drops_its_hedge_or_speaker_is_reported(project, capsys):
    text = CLAIM.replace(
        "en: Lin Lan has admitted there may be an air pocket ahead", "en: Lin Lan admits an air pocket lies ahead"
    )
    text = text.replace("zh: 高峰否认投资与采购挂钩", "zh: 投资与采购并不挂钩")
    (project / "content/claims.yaml").write_text(text, encoding="utf-8")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/claims.yaml:7: claims[gao_denies_link].text: the 'zh' text does not name its speaker (高峰)" in err
    assert (
        "content/claims.yaml:16: claims[lin_air_pocket].text: the 'en' text drops the hedge of a possible "
        "claim; say it ('possibly')"
    ) in err


def test_a_claim_text_that_copies_the_article_is_reported(project, capsys):
    (project / "content/claims.yaml").write_text(
        CLAIM.replace("zh: 高峰否认投资与采购挂钩", f"zh: 高峰说{COPIED}"), encoding="utf-8"
    )
    code, err = run(project, capsys)
    assert code == 1
    assert "content/claims.yaml:7: 28 characters follow the article's wording outside quotation marks" in err


def test_an_unknown_claim_suggests_the_nearest(project, capsys):
    (project / "content/claims.yaml").write_text(CLAIM, encoding="utf-8")
    edit(project / "content/en/index.md", "Loss:", "{{ claim gao_denies_lnk }} Loss:")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/en/index.md:8: unknown claim 'gao_denies_lnk'; did you mean 'gao_denies_link'?" in err


# -- the article absent -------------------------------------------------------


def guard_inputs(project: Path) -> dict:
    settings = load_settings(project / "mkdocs.yml")
    return {
        "pages": load_pages(settings),
        "facts": load_facts(settings.facts_file, settings.codes, small_source()),
        "claims": load_claims(project / "content/claims.yaml", settings.codes, small_source()),
        "claims_file": project / "content/claims.yaml",
        "ui": load_ui(settings),
        "env": partials_env((project / "templates",)),
        "codes": settings.codes,
    }


def test_without_the_article_the_own_words_guard_is_skipped_with_one_notice(project):
    edit(project / "content/zh/index.md", "亏损:", f"{COPIED}。亏损:\n\n{RETOLD}")
    inputs = guard_inputs(project)
    notices = run_guards(**inputs, article=None, article_path="../shared/source/article.txt")
    assert notices == [
        "own-words and closeness checks skipped: the article is not at hand (../shared/source/article.txt); "
        "the other checks ran"
    ]
    with pytest.raises(ContentError, match="follow the article's wording") as caught:
        run_guards(**inputs, article=small_source().article)
    assert "follows article line 6 in order" in str(caught.value)


def test_without_the_article_the_other_guards_still_run(project):
    edit(project / "content/en/index.md", "Loss:", "In 2026: {{ fact ferry_loss_2026 }}. Loss:")
    with pytest.raises(ContentError) as caught:
        run_guards(**guard_inputs(project), article=None)
    (problem,) = caught.value.problems
    assert "fact 'ferry_loss_2026' is used in the opening" in str(problem)


@dataclass
class FakeChart:
    """The parts of a rendered chart the hedge check reads."""

    chart_id: str
    lang: str
    title: str
    description: str
    vega_lite: dict
    facts_used: tuple[str, ...]

    @property
    def vega_lite_json(self) -> str:
        return json.dumps(self.vega_lite, ensure_ascii=False)


def test_a_chart_that_plots_a_hedged_figure_must_say_the_hedge(project):
    facts = guard_inputs(project)["facts"]
    bare = FakeChart(
        "losses", "en", "LakeFerry's losses", "Losses.", {"data": [{"label": "$5B"}]}, ("ferry_loss_2025",)
    )
    (problem,) = check_chart_hedges([bare], facts, Path("charts"))
    assert str(problem) == (
        "charts/losses.py: plots without their hedges in en: ferry_loss_2025 ($5B (expected)); "
        "label them with fact.hedged(lang)"
    )
    labelled = FakeChart(
        "losses",
        "zh",
        "亏损",
        "亏损。",
        {"data": [{"label": facts["ferry_loss_2025"].hedged("zh", short=True)}]},
        ("ferry_loss_2025",),
    )
    titled = FakeChart("losses", "en", "LakeFerry's expected losses", "", {}, ("ferry_loss_2025",))
    assert check_chart_hedges([labelled, titled], facts, Path("charts")) == []


def test_claims_check_their_quotes_in_the_article_or_against_the_record(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "claims.yaml"
    path.write_text(CLAIM, encoding="utf-8")
    shutil.copy(SMALL / "content/speakers.yaml", tmp_path)  # who says them
    verified = small_source()
    assert set(load_claims(path, ["zh", "en"], verified)) == {"gao_denies_link", "lin_air_pocket"}
    # without the article, the record of what was verified lets the same quotes through ...
    record = QuoteLock(tmp_path / "quotes.lock", None, dict(verified.checked))
    assert set(load_claims(path, ["zh", "en"], QuoteChecker(tmp_path / "absent.txt", None, record))) == {
        "gao_denies_link",
        "lin_air_pocket",
    }
    # ... and an edited quote is caught either way
    path.write_text(CLAIM.replace("收入端与投资端无关。", "收入端与投资端毫无关系。"), encoding="utf-8")
    with pytest.raises(ContentError, match="never verified against the article"):
        load_claims(path, ["zh", "en"], QuoteChecker(tmp_path / "absent.txt", None, record))
    with pytest.raises(ContentError) as caught:
        load_claims(path, ["zh", "en"], small_source())
    assert [str(p) for p in caught.value.problems] == [
        "claims.yaml:4: claims[gao_denies_link].quote: quote not found verbatim in the article; "
        "copy it exactly from the article"
    ]
