"""OpenAI's expected losses by year, and, in its own panel, Bain's revenue gap as part of the need."""

from __future__ import annotations

import altair as alt

from . import kit, theme

TEXT = {
    "zh": {
        "title": "OpenAI 预计亏损扩大，最乐观的预测也要到2029年才可能盈利",
        "subtitle": "OpenAI 财务文件中的预计年度亏损（美元）；下方另一把尺子：贝恩测算的2030年 AI 行业收入",
        "losses": "OpenAI 预计年度亏损",
        "profit": "最早可能盈利",
        "bain": "贝恩：2030年 AI 公司每年需要{needed}收入，按现有营收推算缺口{gap}",
        "covered": "按现有营收推算可得",
        "gap": "缺口",
        "description": "据 OpenAI 财务文件，其2025年预计亏损{l25}，2026年扩大到{l26}，{blank}年的数字文章未给出，按最乐观的预测{profit}才可能盈利；贝恩测算2030年 AI 公司每年需要{needed}收入，其中{gap}没有着落。",
    },
    "en": {
        "title": "OpenAI expects bigger losses, and a profit in 2029 at the earliest",
        "subtitle": "Expected yearly loss in US$, from OpenAI's financial documents; below, on its own scale: "
        "Bain's estimate of AI revenue in 2030",
        "losses": "OpenAI's expected yearly loss",
        "profit": "first profit possible",
        "bain": "Bain: AI companies need {needed} of revenue a year by 2030 and face a {gap} gap",
        "covered": "projected from current revenue",
        "gap": "gap",
        "description": "OpenAI's financial documents show an expected loss of {l25} in 2025 growing to {l26} in 2026; the article gives no figure for {blank}, and the most optimistic forecast has a profit in {profit} at the earliest. Bain reckons AI companies need {needed} of revenue a year by 2030, {gap} more than current revenue points to.",
    },
}
LOSSES = ("openai_loss_2025", "openai_loss_2026", "openai_loss_2027", "openai_loss_2028")


def _losses(facts, lang: str, layout: kit.Layout) -> alt.LayerChart:
    """Bars hanging from zero for each year's expected loss; a labelled gap where none is given."""
    text, band = TEXT[lang], layout.inner / (len(LOSSES) + 1)
    profit = kit.row(facts["openai_first_profit_year"], lang, "year")
    profit.update(year=str(profit["value"]), lines=kit.wrap(text["profit"], band - 8, theme.SMALL_SIZE))
    rows = [kit.row(facts[f], lang, "flow", year=facts[f].period) for f in LOSSES]
    bars, gaps = kit.split(rows)
    for r in gaps:
        r["lines"] = kit.wrap(r["label"], band - 8, theme.SMALL_SIZE)
    x = alt.X(
        "year:N",
        sort=[r["year"] for r in rows] + [profit["year"]],
        title=None,
        axis=alt.Axis(orient="top", ticks=False, labelPadding=6, labelAngle=0, domain=False),
    )
    top, height = max([r["value"] for r in bars] or [1]), 150 if layout.narrow else 170
    y = alt.Y(
        "value:Q",
        title=None,
        axis=None,
        scale=alt.Scale(domain=[0, top * height / (height - 28)], reverse=True, nice=False),
    )
    base = alt.Chart(kit.data(bars)).encode(x=x, y=y, tooltip=kit.tooltip(lang))
    at_zero = {"x": x, "y": alt.datum(0), "text": "lines:N", "tooltip": kit.tooltip(lang)}
    return alt.layer(
        base.mark_bar(color=theme.LOSS, width={"band": 0.62}, cornerRadiusEnd=0),
        base.mark_text(baseline="top", dy=6, fontWeight=700).encode(text="label:N"),
        alt.Chart(kit.data(gaps))
        .mark_text(baseline="top", dy=8, color=theme.MUTED, fontSize=theme.SMALL_SIZE)
        .encode(**at_zero),
        alt.Chart(kit.data([profit]))
        .mark_point(shape="triangle-up", filled=True, size=150, color=theme.PROFIT, opacity=1, yOffset=14)
        .encode(x=x, y=alt.datum(0), tooltip=kit.tooltip(lang)),
        alt.Chart(kit.data([profit]))
        .mark_text(baseline="top", dy=26, fontWeight=700, fontSize=theme.SMALL_SIZE)
        .encode(**at_zero),
        alt.Chart().mark_rule(color=theme.MUTED).encode(y=alt.datum(0), x=alt.value(1), x2=alt.value(layout.inner - 1)),
    ).properties(
        width=layout.inner,
        height=150 if layout.narrow else 170,
        title=kit.panel_title(text["losses"], layout),
    )


def _bain(facts, lang: str, layout: kit.Layout) -> alt.LayerChart:
    """The revenue Bain says AI needs by 2030 as a whole bar; the gap is its unfilled part."""
    needed, gap = (kit.row(facts[f], lang, "flow") for f in ("bain_revenue_needed_2030", "bain_revenue_gap"))
    head = kit.wrap(TEXT[lang]["bain"].format(needed=needed["label"], gap=gap["label"]), layout.inner, theme.TEXT_SIZE)
    parts, top = kit.part_of_whole(needed, gap, TEXT[lang]["covered"], TEXT[lang]["gap"], lang), 18 * len(head) + 10
    for p in parts:
        p["lines"] = kit.wrap(p["name"], (p["end"] - p["start"]) / needed["value"] * layout.inner - 6, theme.SMALL_SIZE)
    x = alt.X("start:Q", axis=None, scale=alt.Scale(domain=[0, needed["value"] or 1], range=[2, layout.inner - 2]))
    base = alt.Chart(kit.data(parts)).encode(x=x, tooltip=kit.tooltip(lang))
    gaps = [r for r in (needed, gap) if r["gap"]]
    return alt.layer(
        kit.heading(head, layout),
        base.mark_bar(
            height=30,
            stroke=theme.ACCENT,
            strokeWidth=2,
            cornerRadiusEnd=0,
            strokeDash=alt.ExprRef("datum.derived ? [] : [5, 3]"),
            fill=alt.ExprRef(f"datum.derived ? '{theme.ACCENT}' : 'transparent'"),
        ).encode(x2="end:Q", y=alt.value(top + 15)),
        base.mark_text(align="left", baseline="top", dx=2, fontWeight=700).encode(
            y=alt.value(top + 38), text="label:N"
        ),
        base.mark_text(align="left", baseline="top", dx=2, fontSize=theme.SMALL_SIZE, color=theme.MUTED).encode(
            y=alt.value(top + 56), text="lines:N"
        ),
        alt.Chart(kit.data(gaps))
        .mark_text(align="left", baseline="top", color=theme.MUTED)
        .encode(x=alt.value(0), y=alt.value(top), text="name:N", tooltip=kit.tooltip(lang)),
    ).properties(width=layout.inner, height=top + 56 + 18 * max(len(p["lines"]) for p in parts or [{"lines": []}]))


def chart(facts, lang: str, layout: kit.Layout) -> alt.VConcatChart:
    """Stack the loss years over Bain's revenue gap: two panels, two scales."""
    text, say = (
        TEXT[lang],
        {
            k: facts[f].display(lang)
            for k, f in (
                ("l25", "openai_loss_2025"),
                ("l26", "openai_loss_2026"),
                ("profit", "openai_first_profit_year"),
                ("needed", "bain_revenue_needed_2030"),
                ("gap", "bain_revenue_gap"),
            )
        },
    )
    description = text["description"].format(
        blank=f"{facts['openai_loss_2027'].period}–{facts['openai_loss_2028'].period}", **say
    )
    panels = alt.vconcat(_losses(facts, lang, layout), _bain(facts, lang, layout), spacing=40)
    return kit.finish(panels, layout, text["title"], text["subtitle"], description)
