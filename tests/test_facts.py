"""The facts file: every figure with its quote, checked when it loads."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

import pytest

from explainer.core.errors import ContentError
from explainer.language.formatting import format_figure
from explainer.language.words import load_words
from explainer.load.facts import UnknownFact, derivation, load_facts
from tests.conftest import SMALL, small_source

# the small invented project's words: its speakers (ferry_documents, gao_feng...) and units, with the engine's
WORDS = load_words(SMALL / "content", ["zh", "en"])

GOOD = """\
ferry_loss_2025:
  value: 5000000000
  unit: usd
  period: "2025"
  label: {zh: LakeFerry 2025年预计亏损, en: LakeFerry's expected loss in 2025}
  quote: "财务文件显示,LakeFerry 在2025年预计亏损50亿美元"
  translations: {en: "Financial documents show that LakeFerry expects to lose $5 billion in 2025"}
  speaker: ferry_documents
  status: expected
"""


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    """Messages show paths relative to the working directory, as a user runs the build."""
    monkeypatch.chdir(tmp_path)


def load(tmp_path: Path, text: str):
    path = tmp_path / "facts.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_facts(path, ["zh", "en"], small_source(), WORDS)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(tmp_path, text)
    return [str(p) for p in caught.value.problems]


def test_figures_the_article_does_not_give_say_so_instead_of_a_number():
    facts = load_facts(SMALL / "content" / "facts.yaml", ["zh", "en"], small_source())
    for fact_id in ("ferry_boat_spend",):
        assert facts[fact_id].value is None
        assert facts[fact_id].display("zh") == "文章未给出"
        assert facts[fact_id].display("en") == "not in the article"


def test_a_good_fact_loads_with_its_displays(tmp_path):
    fact = load(tmp_path, GOOD)["ferry_loss_2025"]
    assert (fact.display("zh"), fact.display("en"), fact.line) == ("50亿美元", "$5 billion", 1)


def test_a_quote_not_in_the_article_is_reported_with_its_line(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(GOOD.replace("预计亏损50亿美元", "预计亏损60亿美元"), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_facts(path, ["zh", "en"], small_source(), WORDS)
    assert [str(p) for p in caught.value.problems] == [
        "facts.yaml:6: facts[ferry_loss_2025].quote: quote not found verbatim in the article; "
        "copy it exactly from the article"
    ]


def test_a_missing_translation_names_the_language(tmp_path):
    found = problems(tmp_path, GOOD.replace(", en: LakeFerry's expected loss in 2025", ""))
    assert len(found) == 1
    assert ":5: facts[ferry_loss_2025].label: missing the 'en' translation" in found[0]


def test_a_value_of_the_wrong_type_is_reported(tmp_path):
    found = problems(tmp_path, GOOD.replace("value: 5000000000", "value: five billion"))
    assert ":2: facts[ferry_loss_2025].value: expected a number" in found[0]


def test_a_share_above_one_is_reported(tmp_path):
    text = GOOD.replace("value: 5000000000", "value: 3").replace("unit: usd", "unit: share")
    assert "a share is a fraction between 0 and 1" in problems(tmp_path, text)[0]


def test_an_unknown_unit_and_qualifier_are_reported_together(tmp_path):
    text = GOOD.replace("unit: usd", "unit: dollars\n  qualifier: roughly")
    found = problems(tmp_path, text)
    assert len(found) == 2
    assert "unknown unit 'dollars'" in found[0]
    assert "unknown qualifier 'roughly'" in found[1]


def test_a_duplicate_id_is_reported_at_its_second_line(tmp_path):
    found = problems(tmp_path, GOOD + GOOD)
    assert any(":10: duplicate key 'ferry_loss_2025'" in p for p in found)


def test_malformed_yaml_names_the_line(tmp_path):
    found = problems(tmp_path, GOOD.replace('  period: "2025"', '  period: "2025'))
    assert len(found) == 1
    assert "malformed YAML" in found[0]
    assert found[0].startswith("facts.yaml:")


def test_an_unknown_fact_suggests_the_nearest(tmp_path):
    facts = load(tmp_path, GOOD)
    with pytest.raises(KeyError, match="did you mean 'ferry_loss_2025'"):
        facts["ferry_loss_2052"]


def test_an_unknown_fact_is_an_error_that_carries_its_id_and_the_nearest(tmp_path):
    """Callers (a chart's failure message) decide by the error's type and fields, not its words;
    it stays a KeyError for chart code, says the same words, and survives a worker's pickling."""
    facts = load(tmp_path, GOOD)
    with pytest.raises(UnknownFact) as caught:
        facts["ferry_loss_2052"]
    error = caught.value
    assert isinstance(error, KeyError)
    assert (error.fact_id, error.kind, error.suggestion) == ("ferry_loss_2052", "fact", "ferry_loss_2025")
    assert str(error) == error.message == "unknown fact 'ferry_loss_2052'; did you mean 'ferry_loss_2025'?"
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.fact_id, again.suggestion, str(again)) == (
        UnknownFact,
        "ferry_loss_2052",
        "ferry_loss_2025",
        str(error),
    )
    with pytest.raises(UnknownFact) as caught:
        facts["zzz"]
    assert caught.value.suggestion is None


# -- speaker, status and derived figures -------------------------------------------

DERIVED = """\
loss_2026:
  value: 14000000000
  unit: usd
  period: "2026"
  label: {zh: 2026年亏损, en: Loss in 2026}
  quote: "2026年扩大到140亿美元"
  translations: {en: "widening to $14 billion in 2026"}
  speaker: ferry_documents
  status: expected
loss_2025:
  value: 5000000000
  unit: usd
  period: "2025"
  label: {zh: 2025年亏损, en: Loss in 2025}
  quote: "财务文件显示,LakeFerry 在2025年预计亏损50亿美元"
  translations: {en: "Financial documents show that LakeFerry expects to lose $5 billion in 2025"}
  speaker: ferry_documents
  status: expected
implied:
  unit: usd
  period: 2025 to 2026
  label: {zh: 亏损增加, en: Growth of the loss}
  derived: {formula: "loss_2026 - loss_2025"}
"""


def test_a_fact_carries_its_speaker_status_and_hedge_in_each_language(tmp_path):
    fact = load(tmp_path, GOOD)["ferry_loss_2025"]
    assert (fact.speaker_name("en"), fact.status_name("zh")) == ("LakeFerry's financial documents", "预计")
    assert (fact.hedged("zh"), fact.hedged("en"), fact.hedged("en", short=True)) == (
        "50亿美元（预计）",
        "$5 billion (expected)",
        "$5B (expected)",
    )


def test_a_speakers_forecast_names_the_speaker_in_its_hedge(tmp_path):
    fact = load(tmp_path, GOOD.replace("speaker: ferry_documents", "speaker: gao_feng").replace("expected", "forecast"))
    assert fact["ferry_loss_2025"].hedged("en") == "$5 billion (Gao Feng's forecast)"
    assert fact["ferry_loss_2025"].hedged("zh") == "50亿美元（高峰预测）"


def test_an_unknown_speaker_or_status_and_a_missing_translation_are_reported(tmp_path):
    text = GOOD.replace("speaker: ferry_documents", "speaker: someone").replace(
        '  translations: {en: "Financial documents show that LakeFerry expects to lose $5 billion in 2025"}\n', ""
    )
    found = problems(tmp_path, text)
    assert found[0] == (
        "facts.yaml:1: facts[ferry_loss_2025]: missing 'translations'; add it (a fact has value, unit, period, label, quote, translations, speaker, status)"
    )
    found = problems(tmp_path, GOOD.replace("speaker: ferry_documents", "speaker: someone"))
    assert found[0].startswith(
        "facts.yaml:8: facts[ferry_loss_2025].speaker: unknown speaker 'someone'; use one of author, explainer, insiders, unnamed_sources, rumour, ferry_documents"
    )
    assert found[0].endswith("(content/speakers.yaml)")
    found = problems(tmp_path, GOOD.replace("status: expected", "status: whispered"))
    assert found[0].startswith(
        "facts.yaml:9: facts[ferry_loss_2025].status: unknown status 'whispered'; use one of stated,"
    )


def test_the_authors_opinion_is_the_authors(tmp_path):
    found = problems(tmp_path, GOOD.replace("status: expected", "status: opinion"))
    assert found == [
        "facts.yaml:9: facts[ferry_loss_2025].status: status 'opinion' is the author's; "
        "for another speaker's opinion use 'view'"
    ]


def test_a_derived_figure_is_computed_and_marked(tmp_path):
    facts = load(tmp_path, DERIVED)
    implied = facts["implied"]
    assert implied.value == 9000000000 and implied.derived
    assert (implied.hedged("zh"), implied.hedged("en")) == ("90亿美元（推算）", "$9 billion (derived)")
    assert derivation(implied, facts, "en") == "$14 billion − $5 billion"
    assert derivation(implied, facts, "zh") == "140亿美元 − 50亿美元"


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (
            "loss_2026 - loss_2025x",
            "unknown fact 'loss_2025x'; did you mean 'loss_2025'?",
        ),
        ("loss_2025 / (loss_2025 - loss_2025)", "division by zero"),
        ("loss_2025 - implied", "its formula depends on itself"),
        ("__import__('os')", "cannot read"),
        ("loss_2025 *", "the formula ends too early"),
        ("(loss_2025", "a '(' is never closed"),
    ],
)
def test_a_bad_formula_is_reported_at_its_line(tmp_path, formula, message):
    found = problems(tmp_path, DERIVED.replace("loss_2026 - loss_2025", formula))
    assert len(found) == 1
    assert found[0].startswith("facts.yaml:23: facts[implied].derived: ")
    assert message in found[0]


@pytest.mark.parametrize(
    ("formula", "unit", "message"),
    [
        # an overflow: Python's ints grow without end, a float becomes inf (both were tracebacks)
        (" * ".join(["loss_2026"] * 40), "usd", "the formula gives a number too large to be a figure"),
        ("1.5 * " + " * ".join(["loss_2026"] * 40), "usd", "the formula gives a number too large to be a figure"),
        ("loss_2026 / loss_2025", "date", "a formula gives a number, not a date"),  # was an AttributeError
        # what a stated value of the unit may not be, a computed one may not be either
        ("loss_2025 - loss_2026", "usd", "the formula gives -9e+09: expected a positive amount"),
        ("loss_2026 / loss_2025", "share", "the formula gives 2.8: a share is a fraction between 0 and 1"),
        ("loss_2026 / loss_2025", "year", "the formula gives 2.8: expected a four-digit year"),
    ],
)
def test_a_result_its_unit_cannot_hold_is_reported_at_the_formula(tmp_path, formula, unit, message):
    text = DERIVED.replace("loss_2026 - loss_2025", formula).replace(
        "  unit: usd\n  period: 2025 to", f"  unit: {unit}\n  period: 2025 to"
    )
    found = problems(tmp_path, text)
    assert len(found) == 1 and found[0].startswith(f"facts.yaml:23: facts[implied].derived: {message}"), found


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1" + "0" * 400, "the number is too large to be a figure (401 digits, over 1.8e+308)"),
        ("[1, 1" + "0" * 400 + "]", "a number of the range is too large to be a figure"),
    ],
)
def test_a_value_too_large_for_a_float_is_reported(tmp_path, value, message):
    """An int of 309 digits or more passed YAML and then overflowed math.isfinite: a traceback."""
    found = problems(tmp_path, GOOD.replace("value: 5000000000", f"value: {value}"))
    assert len(found) == 1 and found[0].startswith(f"facts.yaml:2: facts[ferry_loss_2025].value: {message}"), found


@pytest.mark.parametrize(
    ("value", "unit", "message"),
    [
        # the formatter drew 02-30 as a day of 2000: a ValueError traceback
        ('"02-30"', "date", "'02-30' is not a day of the calendar; write the date the article gives as 'MM-DD'"),
        ("5e9", "usd", "got '5e9', which YAML reads as text, not a number; write the number out in digits"),
        ("1e-06", "share", "got '1e-06', which YAML reads as text, not a number"),
    ],
)
def test_a_value_that_is_no_day_or_no_number_says_why(tmp_path, value, unit, message):
    text = GOOD.replace("value: 5000000000", f"value: {value}").replace("unit: usd", f"unit: {unit}")
    found = problems(tmp_path, text)
    assert found[0].startswith(f"facts.yaml:2: facts[ferry_loss_2025].value: {message}"), found


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # the value as the file writes it, not Python's repr (datetime.date(2025, 1, 1), True)
        (
            'period: "2025"',
            "period: 2025-01-01",
            'period: expected the period as text, e.g. "2026" or "2025-2030", got 2025-01-01',
        ),
        ("value: 5000000000", "value: yes", "value: expected a number, a [low, high] range or null, got true"),
    ],
)
def test_a_value_of_the_wrong_type_is_shown_as_written(tmp_path, old, new, message):
    found = problems(tmp_path, GOOD.replace(old, new))
    assert any(f"facts[ferry_loss_2025].{message}" in line for line in found), found


def test_a_derived_figure_has_no_value_or_quote_of_its_own(tmp_path):
    found = problems(tmp_path, DERIVED.replace("  derived:", "  value: 5\n  derived:"))
    assert found == [
        "facts.yaml:23: facts[implied].value: a derived figure has no 'value' of its own (the build computes it); remove it"
    ]


def test_a_range_cannot_be_an_input(tmp_path):
    text = DERIVED + textwrap.dedent(
        """\
        gdp_share:
          value: [0.55, 0.65]
          unit: share
          period: future
          label: {zh: 占比, en: Share}
          quote: "未来55%至65%的客流将来自渡轮"
          translations: {en: "55% to 65% of passengers will come by ferry"}
          speaker: lin_lan
          status: forecast
        twice:
          unit: share
          period: future
          label: {zh: 两倍, en: Twice}
          derived: {formula: "gdp_share * 2"}
        """
    )
    assert any("input 'gdp_share' is not a single number" in found for found in problems(tmp_path, text))


def test_a_translation_is_needed_in_every_language_but_the_articles(tmp_path):
    """The quote is in the article's language (the first); every other site language has ours."""
    quote = '  translations: {en: "Financial documents show that LakeFerry expects to lose $5 billion in 2025"}'
    found = problems(tmp_path, GOOD.replace(quote, "  translations: {}"))
    assert found == [
        "facts.yaml:7: facts[ferry_loss_2025].translations: missing our 'en' translation of the quote; add `en: ...`"
    ]
    found = problems(tmp_path, GOOD.replace(quote, '  translations: {en: "…", zh: "财务文件显示"}'))
    assert found == [
        "facts.yaml:7: facts[ferry_loss_2025].translations.zh: the quote is in 'zh' already (the article's "
        "language); remove this translation"
    ]
    fact = load(tmp_path, GOOD)["ferry_loss_2025"]
    assert fact.translation("en").startswith("Financial documents") and fact.translation("zh") == fact.quote


def test_a_unit_of_the_project_is_said_with_its_own_words_and_plurals():
    assert format_figure(1, "ferries", None, "zh", words=WORDS) == "1艘"
    assert format_figure(1, "ferries", None, "en", words=WORDS) == "1 ferry"
    assert format_figure(3, "ferries", None, "en", words=WORDS) == "3 ferries"


def test_an_unknown_unit_lists_the_engines_and_the_projects(tmp_path):
    found = problems(tmp_path, GOOD.replace("unit: usd", "unit: dollars"))
    assert found == [
        "facts.yaml:3: facts[ferry_loss_2025].unit: unknown unit 'dollars'; use one of usd, share, people, count, "
        "year, date, ferries (or add it to content/units.yaml)"
    ]
