"""Every figure agrees with its quote (explainer/load/figure_check.py): a value, unit or hedge that
the quote does not state is refused at the fact's line, saying what the quote states; so is a
translation, a display override or a shown form that says another number."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
import yaml

from explainer.core.errors import ContentError
from explainer.language.words import load_words
from explainer.load.facts import load_facts
from explainer.load.figure_check import character_number, reading, stated_figures
from tests.conftest import LANGS, ROOT, article_checker, needs_article, real_quotes

WORDS = load_words(ROOT / "content", list(LANGS))
FACTS = yaml.safe_load((ROOT / "content" / "facts.yaml").read_text(encoding="utf-8"))
QUOTED = sorted(fact_id for fact_id, entry in FACTS.items() if "derived" not in entry and entry["value"] is not None)


def read(sentence: str, lang: str = "zh") -> list[tuple[tuple[float, ...], str | None, str | None]]:
    """What a sentence states: (amounts, unit, qualifier) per figure."""
    figures = stated_figures(sentence, reading(WORDS.locale(lang), WORDS.units))
    return [(figure.values or (figure.text,), figure.unit, figure.qualifier) for figure in figures]


@pytest.mark.parametrize(
    ("sentence", "lang", "expected"),
    [
        ("签下了价值3000亿美元的合同", "zh", ((3e11,), "usd", None)),
        ("需要1.2万亿美元", "zh", ((1.2e12,), "usd", None)),
        ("自由现金流607.24亿美元", "zh", ((6.0724e10,), "usd", None)),
        ("坐拥 4.42 万亿美元的市值", "zh", ((4.42e12,), "usd", None)),
        ("套现了约两亿美元", "zh", ((2e8,), "usd", "about")),
        ("较一年前增长60%", "zh", ((0.6,), "share", None)),
        ("部署至少10吉瓦的系统", "zh", ((10.0,), "gw", "at_least")),
        ("相当于400万–500万块 GPU", "zh", ((4e6, 5e6), "gpus", None)),
        ("相当于400到500万块 GPU", "zh", ((4e6, 5e6), "gpus", None)),
        ("有55%至65%基于人工智能", "zh", ((0.55, 0.65), "share", None)),
        ("成为下一个万亿美元市值公司", "zh", ((1e12,), "usd", None)),
        ("至多1000亿美元", "zh", ((1e11,), "usd", "up_to")),
        ("但付费用户不到3%", "zh", ((0.03,), "share", "less_than")),
        ("浪费100亿美元之类的", "zh", ((1e10,), "usd", "about")),
        ("9月22日就宣布", "zh", (("09-22",), "date", None)),
        ("signed a $300 billion contract", "en", ((3e11,), "usd", None)),
        ("a trillion-dollar market value", "en", ((1e12,), "usd", None)),
        ("free cash flow was $60.724 billion", "en", ((6.0724e10,), "usd", None)),
        ("4 to 5 million GPUs", "en", ((4e6, 5e6), "gpus", None)),
        # a range that repeats its unit's sign was read as two figures, and a true translation refused
        ("$4 billion to $5 billion", "en", ((4e9, 5e9), "usd", None)),
        ("at least 10 gigawatts", "en", ((10.0,), "gw", "at_least")),
        ("fewer than 3% of them pay", "en", ((0.03,), "share", "less_than")),
        ("$10 billion or so", "en", ((1e10,), "usd", "about")),
        ("announced on September 22", "en", (("09-22",), "date", None)),
    ],
)
def test_the_number_forms_a_reader_reads(sentence, lang, expected):
    values, unit, qualifier = expected
    found = read(sentence, lang)
    assert any(
        unit == got_unit
        and qualifier == got_qualifier
        and len(values) == len(got)
        and all(
            v == g if isinstance(v, str) else math.isclose(v, g, rel_tol=1e-9) for v, g in zip(values, got, strict=True)
        )
        for got, got_unit, got_qualifier in found
    ), found


def test_two_figures_joined_by_and_stay_two():
    assert read("losses of $5 billion and $14 billion", "en") == [((5e9,), "usd", None), ((1.4e10,), "usd", None)]


def test_character_numerals():
    assert character_number("两") == 2 and character_number("三千") == 3000 and character_number("四十五") == 45
    assert character_number("十二") == 12 and character_number("二百零五") == 205


def facts_with(tmp_path: Path, fact_id: str, **changes: object) -> Path:
    """A copy of the facts file with one fact's keys changed."""
    facts = {key: dict(entry) for key, entry in FACTS.items()}
    facts[fact_id].update(changes)
    content = tmp_path / f"content-{fact_id}-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns(*LANGS))
    (content / "facts.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return content / "facts.yaml"


def refusal(path: Path, fact_id: str, quotes=None) -> str:
    """The messages the facts file's loader refuses one fact with, each at a line of that fact."""
    with pytest.raises(ContentError) as raised:
        load_facts(path, list(LANGS), quotes or real_quotes())
    mine = [problem for problem in raised.value.problems if f"facts[{fact_id}]" in problem.message]
    assert mine, [str(problem) for problem in raised.value.problems]
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [number for number, text in enumerate(lines, 1) if text and not text[0].isspace()]
    first = starts.index(next(n for n, text in enumerate(lines, 1) if text == f"{fact_id}:"))
    block = range(starts[first], starts[first + 1] if first + 1 < len(starts) else len(lines) + 1)
    assert all(problem.line in block for problem in mine), [str(problem) for problem in mine]
    return "\n".join(problem.message for problem in mine)


def changed(value: object) -> object:
    """Another value of the same kind: a tenth more, a year later, a day later."""
    if isinstance(value, list):
        return [v * 1.1 for v in value]
    if isinstance(value, str):
        month, day = value.split("-")
        return f"{month}-{int(day) % 28 + 1:02d}"
    if isinstance(value, int) and 1900 <= value <= 2100:
        return value + 1
    return value * 1.1 if isinstance(value, float) and value < 1 else value + 10 ** max(0, len(str(int(value))) - 3)


def test_every_fact_of_the_site_agrees_with_its_quote():
    assert len(load_facts(ROOT / "content" / "facts.yaml", list(LANGS), real_quotes())) == len(FACTS)


@pytest.mark.parametrize("fact_id", QUOTED)
def test_a_changed_value_is_refused_at_the_facts_line_naming_what_the_quote_states(tmp_path, fact_id):
    entry = FACTS[fact_id]
    message = refusal(facts_with(tmp_path, fact_id, value=changed(entry["value"])), fact_id)
    assert "states" in message


@needs_article
@pytest.mark.parametrize(
    ("fact_id", "other"),
    [
        ("openai_loss_2025", "openai_loss_2026"),  # 50亿 against a passage that says 140亿
        ("nvidia_intel_stake", "nvidia_first_tranche"),
        ("stargate", "bain_revenue_gap"),
        ("nvidia_ai_deals_2024", "nvidia_systems_gw"),  # 50笔 against 10吉瓦
    ],
)
def test_a_quote_pointed_at_another_passage_with_another_number_is_refused(tmp_path, fact_id, other):
    """The quote is still in the article, so only the figure check can see that it proves nothing."""
    swapped = {"quote": FACTS[other]["quote"], "translations": FACTS[other]["translations"]}
    message = refusal(facts_with(tmp_path, fact_id, **swapped), fact_id, article_checker())
    assert "the value" in message and "it states" in message


def test_a_unit_mismatch_says_which_unit_the_quote_uses(tmp_path):
    message = refusal(facts_with(tmp_path, "nvidia_systems_gw", unit="gpus"), "nvidia_systems_gw")
    assert "'10吉瓦'" in message and "not in the fact's unit 'gpus'" in message


def test_a_hedge_the_quote_does_not_carry_is_refused(tmp_path):
    message = refusal(facts_with(tmp_path, "oracle_openai_contract", qualifier="about"), "oracle_openai_contract")
    assert "with no hedge" in message and "'about'" in message
    message = refusal(facts_with(tmp_path, "nvidia_systems_gw", qualifier=None), "nvidia_systems_gw")
    assert "set `qualifier: at_least`" in message


def test_a_translation_that_says_another_number_is_refused(tmp_path):
    translations = {"en": "Oracle disclosed that it had signed a $310 billion contract with OpenAI"}
    message = refusal(
        facts_with(tmp_path, "oracle_openai_contract", translations=translations), "oracle_openai_contract"
    )
    assert "translations.en" in message and "'$310 billion'" in message


def test_a_display_override_must_state_the_value(tmp_path):
    message = refusal(
        facts_with(tmp_path, "nvidia_free_cash_flow", display={"en": "$60.72 billion"}), "nvidia_free_cash_flow"
    )
    assert "display" in message and "'$60.72 billion'" in message


def test_a_value_more_precise_than_its_quote_is_refused(tmp_path):
    message = refusal(facts_with(tmp_path, "nvidia_free_cash_flow", value=60724300000), "nvidia_free_cash_flow")
    assert "'607.24亿美元'" in message


@pytest.mark.parametrize(
    ("display", "said"),
    [
        ("about $60.724 billion", "as 'about'"),  # a hedge the quote does not carry
        ("more than $60.724 billion", "as 'more_than'"),  # another figure's meaning, the same number
    ],
)
def test_a_display_override_may_not_hedge_the_figure_otherwise_than_the_quote(tmp_path, display, said):
    """The override stated the value, so it passed, though it told readers 'more than' the quote's figure."""
    message = refusal(facts_with(tmp_path, "nvidia_free_cash_flow", display={"en": display}), "nvidia_free_cash_flow")
    assert f"the display override '{display}' says it {said}, but the fact's qualifier is none" in message


@pytest.mark.parametrize(
    ("fact_id", "display"),
    [
        ("nvidia_free_cash_flow", {"en": "$60.7240 billion"}),  # 607.24亿: to the million, not 100,000
        ("nvidia_free_cash_flow", {"zh": "607.240亿美元"}),
        ("oracle_openai_contract", {"en": "$300.0 billion"}),  # 3000亿: digits the article does not give
        ("openai_loss_2025", {"zh": "50.00亿美元"}),
    ],
)
def test_a_display_override_more_precise_than_its_quote_is_refused(tmp_path, fact_id, display):
    """It states the value, so it passed; but it claims digits the article does not give."""
    (text,) = display.values()
    message = refusal(facts_with(tmp_path, fact_id, display=display), fact_id)
    assert f"the display override '{text}' is written more precisely than the quote's" in message


@pytest.mark.parametrize(
    ("sentence", "lang", "place"),
    [
        ("607.24亿美元", "zh", 1e6),
        ("$60.724 billion", "en", 1e6),  # the same precision in another language's words
        ("3000亿美元", "zh", 1e11),  # an integer's trailing zeros say nothing of its precision
        ("$300 billion", "en", 1e11),
        ("两亿美元", "zh", 1e8),
        ("一百四十亿美元", "zh", 1e9),  # character numerals: to the ten, as 140亿
        ("$200 million", "en", 1e8),
        ("400万–500万块", "zh", 1e6),
        ("60%", "zh", 0.1),
    ],
)
def test_the_written_precision_of_a_figure(sentence, lang, place):
    (figure,) = [f for f in stated_figures(sentence, reading(WORDS.locale(lang), WORDS.units)) if f.unit != "date"]
    assert figure.step == pytest.approx(place)
