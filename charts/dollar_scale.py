"""A sense of scale: the article's dollar figures as dots on a log scale, one panel per kind of money."""

from __future__ import annotations

from typing import Any

import altair as alt

from explainer.chartkit import kit

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
        "title": "文章里的美元数字，从{smallest}到{largest}",
        "subtitle": "美元，对数刻度：每条网格线是前一条的100倍；空心点为预测、测算、据透露或号称的数字，红点为亏损与缺口",
        "kinds": {
            "stock": "某一时点的价值（市值、估值）",
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
        "title": "The article's dollar figures run from {smallest} to {largest}",
        "subtitle": "US$, log scale: each gridline is 100 times the one before; hollow dots are forecasts, estimates, reported or claimed figures, red dots losses and the gap",
        "kinds": {
            "stock": "Values at a point in time (market values, valuations)",
            "flow": "Yearly flows (revenue, spending, losses)",
            "deal": "One-off deals and sums",
        },
        "names": {
            "mag7_market_cap_gain": "Magnificent Seven's gain",
            "nvidia_market_cap": "Nvidia's market value",
            "openai_trillion_valuation": "OpenAI may be worth (Huang)",
            "ai_infrastructure_value": "AI infrastructure (Huang)",
            "openai_valuation": "OpenAI's valuation (reported)",
            "gdp_ai_based": "GDP AI could enhance (Huang)",
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


def log_dots(
    rows: list[dict[str, Any]], head: str, ticks: list[float], lang: str, layout: kit.Layout
) -> alt.LayerChart:
    """A panel of figures as dots on a log scale (never bars or stems): a name per row (beside the
    dot when wide, above it when narrow), gridlines and tick labels drawn, the Python formatter's labels.

    Rows with `projected` are hollow dots; rows with `loss` are red.
    """
    names, step = (0, 34) if layout.narrow else (200, 24)  # width of the name column, height of a row
    lines = kit.wrap(head, layout.inner, theme.TEXT_SIZE)
    top = kit.LINE * len(lines) + 24  # the heading, then the tick labels
    for i, r in enumerate(rows):
        r.update(y=top + i * step + step - 9, name_y=top + i * step + (4 if layout.narrow else step - 9))
    marks = [
        {
            "tick": t,
            "label": kit.tick_label(t, unit="usd", lang=lang),
            "y": top - 18,
            "align": "left" if t == ticks[0] else "center",
        }
        for t in ticks
    ]
    x = alt.X(
        "at:Q",
        axis=None,
        scale=alt.Scale(type="log", domain=[ticks[0], ticks[-1]], range=[names + 8, layout.inner - 90]),
    )
    dots, gaps = kit.split(rows)
    base = (
        alt.Chart(kit.data(dots))
        .transform_calculate(at="datum.value")
        .encode(x=x, y=kit.pixels("y"), tooltip=kit.tooltip(lang))
    )
    colour = alt.Color("loss:N", scale=kit.scale({True: theme.LOSS, False: theme.ACCENT}), legend=None)
    small = {"fontSize": theme.SMALL_SIZE, "color": theme.MUTED}
    grid = alt.Chart(kit.data(marks)).transform_calculate(at="datum.tick")
    return alt.layer(
        kit.heading(lines, layout),
        grid.mark_rule(color=theme.GRID).encode(x=x, y=alt.value(top - 1), y2=alt.value(top + len(rows) * step)),
        grid.mark_text(baseline="top", align=alt.ExprRef("datum.align"), **small).encode(
            x=x, y=kit.pixels("y"), text="label:N"
        ),
        base.mark_point(size=90, strokeWidth=2, opacity=1, shape="circle").encode(
            stroke=colour, fill=alt.condition("datum.projected", alt.value("transparent"), colour)
        ),
        base.mark_text(align="left", baseline="middle", dx=9, **small).encode(text="label:N"),
        alt.Chart(kit.data(rows))
        .mark_text(align="left", baseline="top" if layout.narrow else "middle", fontSize=theme.SMALL_SIZE)
        .encode(x=alt.value(0), y=alt.Y("name_y:Q", axis=None, scale=None), text="what:N", tooltip=kit.tooltip(lang)),
        alt.Chart(kit.data(gaps))
        .mark_text(align="left", baseline="middle", **small)
        .encode(
            x=alt.value(names + 8), y=alt.Y("y:Q", axis=None, scale=None), text="label:N", tooltip=kit.tooltip(lang)
        ),
    ).properties(width=layout.inner, height=top + len(rows) * step)


def chart(facts, lang: str, layout: kit.Layout) -> alt.VConcatChart:
    """Stack one panel per kind of money (a value, a yearly flow, a one-off sum), largest first."""
    text = TEXT[lang]
    rows = [
        kit.row(
            facts[f], lang, kind, what=text["names"][f], name=text["names"][f], projected=projected, loss=f in LOSSES
        )
        for f, (kind, projected) in FIGURES.items()
    ]
    given = sorted((r for r in rows if not r["gap"]), key=lambda r: r["value"])
    say = {"smallest": given[0]["display"], "largest": given[-1]["display"]}
    panels = [
        log_dots(
            sorted((r for r in rows if r["kind"] == kind), key=lambda r: -(r["value"] or 0)),
            heading,
            TICKS,
            lang,
            layout,
        )
        for kind, heading in text["kinds"].items()
    ]
    chart = alt.vconcat(*panels, spacing=16).resolve_scale(x="independent")
    return kit.finish(chart, layout, text["title"].format(**say), text["subtitle"], text["description"].format(**say))
