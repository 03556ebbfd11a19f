"""Figures are said the way each language says them."""

import pytest

from explainer.formatting import format_figure


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "zh", "en"),
    [
        (5e9, "usd", "expected", "50亿美元", "$5 billion"),
        (14e12, "usd", "about", "约14万亿美元", "about $14 trillion"),
        (4.42e12, "usd", None, "4.42万亿美元", "$4.42 trillion"),
        (60.724e9, "usd", None, "607.24亿美元", "$60.72 billion"),
        (8e11, "usd", None, "8000亿美元", "$800 billion"),
        (2e8, "usd", "about", "约2亿美元", "about $200 million"),
        (1e11, "usd", "up_to", "至多1000亿美元", "up to $100 billion"),
        (0.03, "share", "less_than", "不到3%", "less than 3%"),
        ([0.55, 0.65], "share", None, "55%–65%", "55–65%"),
        (7e8, "people", "more_than", "超过7亿", "more than 700 million"),
        ([4e6, 5e6], "gpus", None, "400万–500万块", "4–5 million GPUs"),
        (10, "gw", "at_least", "至少10吉瓦", "at least 10 GW"),
        (50, "deals", "nearly", "近50笔", "nearly 50 deals"),
        (2029, "year", None, "2029年", "2029"),
        ("09-22", "date", None, "9月22日", "September 22"),
        (None, "usd", None, "文章未给出", "not in the article"),
    ],
)
def test_figures_read_naturally_in_each_language(value, unit, qualifier, zh, en):
    assert format_figure(value, unit, qualifier, "zh") == zh
    assert format_figure(value, unit, qualifier, "en") == en


def test_short_form_abbreviates_english_amounts_for_chart_labels():
    assert format_figure(14e9, "usd", None, "en", short=True) == "$14B"
    assert format_figure(2e12, "usd", None, "en", short=True) == "$2T"
    assert format_figure(14e9, "usd", None, "zh", short=True) == "140亿美元"
