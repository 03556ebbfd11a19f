"""Figures are said the way each language says them: Babel's digits and magnitude words, the
locale's and the units' words around them."""

import pytest

from explainer.language.formatting import format_amount, format_figure, not_in_article
from explainer.language.words import engine_words, load_words, use_words, words_in_use
from tests.conftest import ROOT

# this site's words: the engine's units and this site's (gw, gpus, deals, tranches)
WORDS = load_words(ROOT / "content", ["zh", "en"])


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "zh", "en"),
    [
        (5e9, "usd", "expected", "50亿美元", "$5 billion"),
        (14e12, "usd", "about", "约14万亿美元", "about $14 trillion"),
        (4.42e12, "usd", None, "4.42万亿美元", "$4.42 trillion"),
        # the article's precision, in both languages (EDITORIAL: 607.24亿美元 is $60.724 billion)
        (60.724e9, "usd", None, "607.24亿美元", "$60.724 billion"),
        (8e11, "usd", None, "8000亿美元", "$800 billion"),
        (2e8, "usd", "about", "约2亿美元", "about $200 million"),
        (1e11, "usd", "up_to", "至多1000亿美元", "up to $100 billion"),
        (1.2e12, "usd", None, "1.2万亿美元", "$1.2 trillion"),
        (3e11, "usd", None, "3000亿美元", "$300 billion"),
        (50000, "usd", None, "5万美元", "$50,000"),
        (0.03, "share", "less_than", "不到3%", "less than 3%"),
        ([0.55, 0.65], "share", None, "55%–65%", "55–65%"),
        (7e8, "people", "more_than", "超过7亿", "more than 700 million"),
        ([4e6, 5e6], "gpus", None, "400万–500万块", "4–5 million GPUs"),
        ([1e12, 2e12], "usd", None, "1万亿–2万亿美元", "$1–2 trillion"),
        (10, "gw", "at_least", "至少10吉瓦", "at least 10 GW"),
        (50, "deals", "nearly", "近50笔", "nearly 50 deals"),
        (1, "deals", None, "1笔", "1 deal"),
        (2029, "year", None, "2029年", "2029"),
        ("09-22", "date", None, "9月22日", "September 22"),
        (None, "usd", None, "文章未给出", "not in the article"),
    ],
)
def test_figures_read_naturally_in_each_language(value, unit, qualifier, zh, en):
    assert format_figure(value, unit, qualifier, "zh", words=WORDS) == zh
    assert format_figure(value, unit, qualifier, "en", words=WORDS) == en


def test_short_form_abbreviates_english_amounts_for_chart_labels():
    assert format_figure(14e9, "usd", None, "en", short=True, words=WORDS) == "$14B"
    assert format_figure(2e12, "usd", None, "en", short=True, words=WORDS) == "$2T"
    assert format_figure(60.724e9, "usd", None, "en", short=True, words=WORDS) == "$60.724B"
    assert format_figure(14e9, "usd", None, "zh", short=True, words=WORDS) == "140亿美元"
    # a unit may keep its long magnitude word in chart labels too
    assert format_figure([4e6, 5e6], "gpus", None, "en", short=True, words=WORDS) == "4–5 million GPUs"


def test_no_figure_is_rounded_beyond_its_value():
    for value in (60.724e9, 1.23456e12, 123456789, 0.1234):
        unit = "share" if value < 1 else "usd"
        digits = format_figure(value, unit, None, "en", words=WORDS)
        assert digits.replace("$", "").replace(",", "").split()[0].rstrip("%") in (
            "60.724",
            "1.23456",
            "123.456789",
            "12.34",
        )


def test_japanese_figures_use_oku_and_cho_and_no_english():
    ja = engine_words()
    assert format_figure(5e9, "usd", "expected", "ja", words=ja) == "50億ドル"
    assert format_figure(14e12, "usd", "about", "ja", words=ja) == "約14兆ドル"
    assert format_figure(60.724e9, "usd", None, "ja", words=ja) == "607.24億ドル"
    assert format_figure(0.03, "share", "less_than", "ja", words=ja) == "3%未満"
    assert format_figure("09-22", "date", None, "ja", words=ja) == "9月22日"
    assert format_figure(None, "usd", None, "ja", words=ja) == "記事に記載なし"


def test_bare_formatting_reads_the_words_in_use():
    """The chart kit formats by unit id and language code: the build's words once it said so."""
    try:
        use_words(WORDS)
        assert format_amount(10, "gw", "en", short=True) == "10 GW"
        assert not_in_article("zh") == "文章未给出"
        use_words(None)
        assert words_in_use() is engine_words()
        with pytest.raises(ValueError, match="unknown unit 'gw'; use one of usd, share"):
            format_amount(10, "gw", "en")
    finally:
        use_words(None)
