"""A sense of scale: every dollar figure in the article on one logarithmic axis."""

from __future__ import annotations

import altair as alt

from . import kit, theme

# The article's dollar figures, with a short label for each; per-unit rates are left out.
SHORT = {
    "gdp_ai_based": ("AI 将增强的 GDP（黄仁勋）", "AI-enhanced GDP (Huang)"),
    "mag7_market_cap_gain": ("七巨头市值增长", "Magnificent Seven's gain"),
    "ai_infrastructure_value": ("AI 基建价值（黄仁勋）", "AI infrastructure (Huang)"),
    "ai_capex_per_year": ("每年 AI 基建支出（预测）", "Yearly AI capex (forecast)"),
    "nvidia_market_cap": ("英伟达市值", "Nvidia's market value"),
    "bain_revenue_needed_2030": ("2030年所需收入（贝恩）", "Revenue needed, 2030 (Bain)"),
    "openai_trillion_valuation": ("OpenAI 可能的市值（黄仁勋）", "OpenAI may be worth (Huang)"),
    "bain_revenue_gap": ("收入缺口（贝恩）", "Revenue gap (Bain)"),
    "stargate": ("“星际之门”计划", "Stargate project"),
    "openai_valuation": ("OpenAI 估值", "OpenAI's valuation"),
    "oracle_openai_contract": ("甲骨文云算力合同", "Oracle compute contract"),
    "nvidia_investment_max": ("英伟达投资 OpenAI 上限", "Nvidia's investment cap"),
    "nvidia_free_cash_flow": ("英伟达年度自由现金流", "Nvidia's free cash flow"),
    "openai_loss_2026": ("OpenAI 2026年预计亏损", "OpenAI's expected 2026 loss"),
    "meta_possible_waste": ("Meta 可能浪费的钱", "What Meta might waste"),
    "openai_loss_2025": ("OpenAI 2025年预计亏损", "OpenAI's expected 2025 loss"),
    "nvidia_intel_stake": ("英伟达入股英特尔金额", "Nvidia's Intel investment"),
    "huang_share_sales": ("黄仁勋近一年套现", "Huang's cash-out"),
}

TEXT = {
    "zh": {
        "title": "文章里的美元数字，放在一把尺子上",
        "subtitle": "对数刻度：每条网格线是前一条的100倍",
        "figure": "数字",
        "amount": "金额",
        "axis": "datum.value >= 1e12 ? format(datum.value / 1e12, 'd') + '万亿' : format(datum.value / 1e8, 'd') + '亿'",
        "description": "文章中的美元数字相差好几个数量级：小到黄仁勋近一年套现的{smallest}，大到他所说将受 AI 增强的{largest} GDP。红点是亏损与收入缺口。",
    },
    "en": {
        "title": "The article's dollar figures on one ruler",
        "subtitle": "Log scale: each gridline is 100 times the one before",
        "figure": "Figure",
        "amount": "Amount",
        "axis": "datum.value >= 1e12 ? '$' + format(datum.value / 1e12, ',') + 'T' : (datum.value >= 1e9 ? '$' + format(datum.value / 1e9, ',') + 'B' : '$' + format(datum.value / 1e6, ',') + 'M')",
        "description": "The article's dollar figures span several orders of magnitude: from {smallest} (Huang's cash-out in the past year) to {largest} (the GDP he says AI will enhance). Red dots are losses and the revenue gap.",
    },
}

GROUPS = {
    "openai_loss_2025": "loss",
    "openai_loss_2026": "loss",
    "bain_revenue_gap": "loss",
}


def chart(facts, lang: str, layout: kit.Layout) -> alt.LayerChart:
    """Plot each dollar figure as a dot on a log axis, sorted from largest to smallest."""
    text = TEXT[lang]
    index = 0 if lang == "zh" else 1
    rows = []
    for fact_id, labels in SHORT.items():
        fact = facts[fact_id]
        rows.append(
            {
                "fact": fact_id,
                "name": labels[index],
                "value": fact.value,
                "what": labels[index],
                "label": fact.short(lang),
                "group": GROUPS.get(fact_id, "other"),
            }
        )
    rows.sort(key=lambda row: -row["value"])
    order = [row["what"] for row in rows]
    base = alt.Chart(alt.Data(values=rows))
    y = alt.Y(
        "what:N", sort=order, title=None, axis=alt.Axis(ticks=False, domain=False, labelLimit=170, labelFontSize=12)
    )
    x = alt.X(
        "value:Q",
        title=None,
        scale=alt.Scale(type="log", domain=[1e8, 1e14]),
        axis=alt.Axis(labelExpr=text["axis"], values=[1e8, 1e10, 1e12, 1e14], grid=True, domain=False),
    )
    tooltip = [alt.Tooltip("what:N", title=text["figure"]), alt.Tooltip("label:N", title=text["amount"])]
    stems = base.mark_rule(color=theme.GRID, strokeWidth=2).encode(y=y, x=x, x2=alt.datum(1e8))
    dots = base.mark_circle(size=90, opacity=1).encode(
        y=y,
        x=x,
        color=alt.Color(
            "group:N", scale=alt.Scale(domain=["loss", "other"], range=[theme.LOSS, theme.ACCENT]), legend=None
        ),
        tooltip=tooltip,
    )
    values = base.mark_text(align="left", dx=8, fontSize=11, color=theme.MUTED).encode(y=y, x=x, text="label:N")
    smallest, largest = rows[-1], rows[0]
    return alt.layer(stems, dots, values).properties(
        width=theme.WIDTH - 140,
        height=len(rows) * 22,
        title=alt.Title(text["title"], subtitle=text["subtitle"]),
        description=text["description"].format(
            smallest=facts[smallest["fact"]].display(lang), largest=facts[largest["fact"]].display(lang)
        ),
    )
