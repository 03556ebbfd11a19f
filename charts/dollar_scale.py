"""A sense of scale: the article's dollar figures as dots on a log scale, one panel per kind of money."""

from __future__ import annotations

import altair as alt

from explainer.chartkit import kit

from . import _log_dots
from . import _theme as theme

# fact: (kind of money, is it a forecast, an estimate, reported or a claim?)
FIGURES = {
    "mag7_market_cap_gain": ("stock", False),
    "nvidia_market_cap": ("stock", False),
    "openai_trillion_valuation": ("stock", True),
    "ai_infrastructure_value": ("stock", True),
    "openai_valuation": ("stock", True),
    "gdp_ai_based": ("flow", True),
    "ai_capex_per_year": ("flow", True),
    "bain_revenue_needed_2030": ("flow", True),
    "bain_revenue_gap": ("flow", True),
    "nvidia_free_cash_flow": ("flow", False),
    "openai_loss_2026": ("flow", True),
    "openai_loss_2025": ("flow", True),
    "stargate": ("deal", True),
    "oracle_openai_contract": ("deal", False),
    "nvidia_investment_max": ("deal", True),
    "meta_possible_waste": ("deal", True),
    "nvidia_intel_stake": ("deal", False),
    "huang_share_sales": ("deal", False),
}
LOSSES = {"openai_loss_2025", "openai_loss_2026", "bain_revenue_gap"}
TEXT = {
    "zh": {
        "title": "文章里的美元数字从{smallest}到{largest}，相差五个多数量级",
        "subtitle": "美元，对数刻度：每条网格线是前一条的100倍；实心点为陈述的数字，空心点为预计、预测、测算、观点、据透露、号称或可能的数字；{loss}，{rest}",
        "key": {"loss": "红点为亏损与缺口", "rest": "蓝点为其余数字"},
        "kinds": {
            "stock": "某一时点的价值（市值、估值）及市值增长",
            "flow": "每年的流量（收入、支出、亏损）",
            "deal": "单笔交易与金额",
        },
        "names": {
            "mag7_market_cap_gain": "七巨头市值增长",
            "nvidia_market_cap": "英伟达市值",
            "openai_trillion_valuation": "OpenAI 可能的市值（黄仁勋认为）",
            "ai_infrastructure_value": "AI 基建价值（黄仁勋）",
            "openai_valuation": "OpenAI 估值（据透露）",
            "gdp_ai_based": "AI 基建有望增强的 GDP（黄仁勋）",
            "ai_capex_per_year": "每年 AI 基建支出（黄仁勋）",
            "bain_revenue_needed_2030": "2030年所需收入（贝恩）",
            "bain_revenue_gap": "收入缺口（贝恩）",
            "nvidia_free_cash_flow": "英伟达年度自由现金流",
            "openai_loss_2026": "OpenAI 2026年预计亏损",
            "openai_loss_2025": "OpenAI 2025年预计亏损",
            "stargate": "“星际之门”（号称）",
            "oracle_openai_contract": "甲骨文云算力合同",
            "nvidia_investment_max": "英伟达投资 OpenAI 上限（据透露）",
            "meta_possible_waste": "Meta 可能浪费的钱（扎克伯格）",
            "nvidia_intel_stake": "英伟达入股英特尔",
            "huang_share_sales": "黄仁勋近一年套现",
        },
        "description": "文章中的美元数字相差五个多数量级：小到黄仁勋近一年套现的{smallest}，大到他所说有望受 AI 基建增强的{largest} GDP；市值、年度流量和单笔交易分开比较。",
    },
    "en": {
        "title": "The article's dollar figures run from {smallest} to {largest}, more than five orders of magnitude apart",
        "subtitle": "US$, log scale: each gridline is 100 times the one before; filled dots are stated figures, hollow dots expected, forecast, estimated, reported, claimed or possible figures and views; {loss}, {rest}",
        "key": {"loss": "red dots losses and the gap", "rest": "blue dots everything else"},
        "kinds": {
            "stock": "Values at a point in time (market values, valuations) and a gain in market value",
            "flow": "Yearly flows (revenue, spending, losses)",
            "deal": "One-off deals and sums",
        },
        "names": {
            "mag7_market_cap_gain": "Magnificent Seven's gain",
            "nvidia_market_cap": "Nvidia's market value",
            "openai_trillion_valuation": "OpenAI may be worth (Huang)",
            "ai_infrastructure_value": "AI infrastructure (Huang)",
            "openai_valuation": "OpenAI's valuation (reported)",
            "gdp_ai_based": "GDP AI stands to enhance (Huang)",
            "ai_capex_per_year": "AI capex a year (Huang)",
            "bain_revenue_needed_2030": "Revenue needed, 2030 (Bain)",
            "bain_revenue_gap": "Revenue gap (Bain)",
            "nvidia_free_cash_flow": "Nvidia's free cash flow",
            "openai_loss_2026": "OpenAI's expected 2026 loss",
            "openai_loss_2025": "OpenAI's expected 2025 loss",
            "stargate": "Stargate (claimed)",
            "oracle_openai_contract": "Oracle compute contract",
            "nvidia_investment_max": "Nvidia's investment cap (reported)",
            "meta_possible_waste": "Meta might waste (Zuckerberg)",
            "nvidia_intel_stake": "Nvidia's Intel stake",
            "huang_share_sales": "Huang's cash-out",
        },
        "description": "The article's dollar figures span more than five orders of magnitude, from {smallest} (Huang's cash-out in the past year) to {largest} (the GDP he says AI infrastructure stands to enhance); values, yearly flows and one-off sums are compared only with their own kind.",
    },
}
TICKS = [1e8, 1e10, 1e12, 1e14]


def chart(facts, lang: str, layout: kit.Layout) -> alt.VConcatChart:
    """Stack one panel per kind of money (a value, a yearly flow, a one-off sum), largest first."""
    text = TEXT[lang]
    rows = [  # `plain`: the figure without its hedge, for the description's span
        kit.row(facts[f], lang, kind, what=n, name=n, projected=p, loss=f in LOSSES, plain=facts[f].display(lang))
        for f, (kind, p) in FIGURES.items()
        for n in [text["names"][f]]
    ]
    given = sorted((r for r in rows if not r["gap"]), key=lambda r: r["value"])
    say = {"smallest": given[0]["plain"], "largest": given[-1]["plain"]}
    panels = [
        _log_dots.log_dots(
            sorted((r for r in rows if r["kind"] == k), key=lambda r: -(r["value"] or 0)), head, TICKS, lang, layout
        )
        for k, head in text["kinds"].items()
    ]
    chart = alt.vconcat(*panels, spacing=16).resolve_scale(x="independent")
    key, subtitle = {theme.LOSS: text["key"]["loss"], theme.ACCENT: text["key"]["rest"]}, text["subtitle"]
    title, description = text["title"].format(**say), text["description"].format(**say)
    return kit.finish(chart, layout, title, subtitle.format(**text["key"]), description, key=key)  # key: the dots
