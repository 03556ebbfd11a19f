"""OpenAI's losses by year, the years the article leaves blank, and Bain's revenue gap."""

from __future__ import annotations

import altair as alt

from . import kit, theme

TEXT = {
    "zh": {
        "title": "OpenAI 的亏损与 AI 行业的收入缺口",
        "subtitle": "亏损以亿美元计；灰色为文章未披露的年份",
        "losses": "OpenAI 预计亏损",
        "year": "年份",
        "loss": "亏损",
        "undisclosed": "未披露",
        "profit": "最早\n盈利？",
        "bain": "贝恩测算：2030年",
        "needed": "所需年收入",
        "gap": "收入缺口",
        "bain_what": "项目",
        "amount": "金额",
        "axis_usd": "datum.value == 0 ? '0' : format(datum.value * 10, ',') + '亿'",
        "axis_usd_t": "datum.value == 0 ? '0' : datum.value < 1000 ? format(datum.value * 10, 'd') + '亿' : format(datum.value / 1000, '.1~f') + '万亿'",
        "description": "OpenAI 预计2025年亏损{l25}、2026年亏损{l26}，{blank}年的数字文章未披露，最乐观的预测是{profit}才可能盈利；贝恩测算2030年 AI 公司需要{needed}年收入，缺口{gap}。",
    },
    "en": {
        "title": "OpenAI's losses and the AI revenue gap",
        "subtitle": "Losses in US$ billions; grey: years the article gives no figure for",
        "losses": "OpenAI's expected loss",
        "year": "Year",
        "loss": "Loss",
        "undisclosed": "not\ndisclosed",
        "profit": "first\nprofit?",
        "bain": "Bain's estimate for 2030",
        "needed": "Revenue needed",
        "gap": "Revenue gap",
        "bain_what": "Item",
        "amount": "Amount",
        "axis_usd": "datum.value == 0 ? '0' : '$' + format(datum.value, ',') + 'B'",
        "axis_usd_t": "datum.value == 0 ? '0' : '$' + format(datum.value / 1000, '.1~f') + 'T'",
        "description": "OpenAI expects to lose {l25} in 2025 and {l26} in 2026; the article gives no figure for {blank}, and the most optimistic forecast has it profitable in {profit} at the earliest. Bain reckons AI companies need {needed} of yearly revenue by 2030 and face a gap of {gap}.",
    },
}

LOSS_YEARS = ("openai_loss_2025", "openai_loss_2026", "openai_loss_2027", "openai_loss_2028")


def _loss_panel(facts, lang: str) -> alt.LayerChart:
    """Bars hanging below zero for each year's loss, grey blanks where none is given."""
    text = TEXT[lang]
    profit = facts["openai_first_profit_year"]
    rows = []
    for fact_id in LOSS_YEARS:
        fact = facts[fact_id]
        rows.append(
            {
                "fact": fact_id,
                "name": fact.label[lang],
                "value": fact.value,
                "year": fact.period,
                "label": fact.short(lang),
                "status": "disclosed" if fact.disclosed else "undisclosed",
            }
        )
    rows.append(
        {
            "fact": profit.id,
            "name": profit.label[lang],
            "value": profit.value,
            "year": str(profit.value),
            "label": text["profit"],
            "status": "profit",
        }
    )
    years = [row["year"] for row in rows]
    deepest = max(row["value"] for row in rows if row["status"] == "disclosed") / 1e9
    base = alt.Chart(alt.Data(values=rows)).transform_calculate(
        billions="datum.status == 'disclosed' ? datum.value / 1e9 : 0"
    )
    x = alt.X("year:N", sort=years, title=None, axis=alt.Axis(labelAngle=0, orient="top", domain=True, ticks=False))
    y = alt.Y(
        "billions:Q",
        title=None,
        scale=alt.Scale(domain=[0, deepest * 1.25], reverse=True),
        axis=alt.Axis(labelExpr=text["axis_usd"], tickCount=4, grid=True, domain=False),
    )
    tooltip = [alt.Tooltip("year:N", title=text["year"]), alt.Tooltip("label:N", title=text["loss"])]
    bars = (
        base.transform_filter("datum.status == 'disclosed'")
        .mark_bar(color=theme.LOSS, width={"band": 0.6})
        .encode(x=x, y=y, tooltip=tooltip)
    )
    values = (
        base.transform_filter("datum.status == 'disclosed'")
        .mark_text(dy=10, baseline="top", fontWeight=600)
        .encode(x=x, y=y, text="label:N")
    )
    blanks = base.transform_filter("datum.status == 'undisclosed'").transform_calculate(
        top=f"{deepest * 0.02}", bottom=f"{deepest * 0.55}"
    )
    blank_boxes = blanks.mark_bar(
        color=theme.UNKNOWN, opacity=0.18, stroke=theme.UNKNOWN, strokeDash=[4, 3], width={"band": 0.6}
    ).encode(
        x=x,
        y=alt.Y("top:Q"),
        y2="bottom:Q",
        tooltip=[alt.Tooltip("year:N", title=text["year"]), alt.Tooltip("label:N", title=text["loss"])],
    )
    blank_text = (
        blanks.transform_calculate(middle=f"{deepest * 0.3}")
        .mark_text(color=theme.MUTED, lineBreak="\n")
        .encode(x=x, y=alt.Y("middle:Q"), text=alt.value(text["undisclosed"]))
    )
    profit_mark = base.transform_filter("datum.status == 'profit'").transform_calculate(at=f"{deepest * 0.1}")
    profit_points = profit_mark.mark_point(
        shape="triangle-up", filled=True, size=160, color=theme.PROFIT, opacity=1
    ).encode(
        x=x, y=alt.Y("at:Q"), tooltip=[alt.Tooltip("year:N", title=text["year"]), alt.Tooltip("label:N", title=" ")]
    )
    profit_text = profit_mark.mark_text(
        dy=16, baseline="top", color=theme.PROFIT, fontWeight=600, lineBreak="\n"
    ).encode(x=x, y=alt.Y("at:Q"), text="label:N")
    return alt.layer(bars, values, blank_boxes, blank_text, profit_points, profit_text).properties(
        width=theme.WIDTH, height=220, title=alt.Title(text["losses"], fontSize=13, color=theme.MUTED)
    )


def _gap_panel(facts, lang: str) -> alt.LayerChart:
    """Two bars on one scale: the revenue Bain says AI needs by 2030, and the shortfall."""
    text = TEXT[lang]
    rows = [
        {"fact": "bain_revenue_needed_2030", "what": text["needed"], "color": theme.ACCENT},
        {"fact": "bain_revenue_gap", "what": text["gap"], "color": theme.LOSS},
    ]
    for row in rows:
        fact = facts[row["fact"]]
        row.update(name=fact.label[lang], value=fact.value, label=fact.short(lang))
    largest = max(row["value"] for row in rows) / 1e9
    base = alt.Chart(alt.Data(values=rows)).transform_calculate(billions="datum.value / 1e9")
    y = alt.Y(
        "what:N",
        sort=[row["what"] for row in rows],
        title=None,
        axis=alt.Axis(ticks=False, domain=False, labelPadding=6),
    )
    x = alt.X(
        "billions:Q",
        title=None,
        scale=alt.Scale(domain=[0, largest * 1.2]),
        axis=alt.Axis(labelExpr=text["axis_usd_t"], tickCount=4, grid=True, domain=False),
    )
    bars = base.mark_bar(height={"band": 0.6}).encode(
        x=x,
        y=y,
        color=alt.Color("color:N", scale=None),
        tooltip=[alt.Tooltip("what:N", title=text["bain_what"]), alt.Tooltip("label:N", title=text["amount"])],
    )
    values = base.mark_text(align="left", dx=5, fontWeight=600).encode(x=x, y=y, text="label:N")
    return alt.layer(bars, values).properties(
        width=theme.WIDTH - 80, height=80, title=alt.Title(text["bain"], fontSize=13, color=theme.MUTED)
    )


def chart(facts, lang: str, layout: kit.Layout) -> alt.VConcatChart:
    """Stack the loss years over Bain's revenue gap, with a sentence stating the point."""
    text = TEXT[lang]
    description = text["description"].format(
        l25=facts["openai_loss_2025"].display(lang),
        l26=facts["openai_loss_2026"].display(lang),
        profit=facts["openai_first_profit_year"].display(lang),
        needed=facts["bain_revenue_needed_2030"].display(lang),
        blank=f"{facts['openai_loss_2027'].period}–{facts['openai_loss_2028'].period}",
        gap=facts["bain_revenue_gap"].display(lang),
    )
    return alt.vconcat(_loss_panel(facts, lang), _gap_panel(facts, lang), spacing=28).properties(
        title=alt.Title(text["title"], subtitle=text["subtitle"]), description=description
    )
