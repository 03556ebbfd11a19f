"""OpenAI's expected losses by year, and, in its own panel, Bain's revenue gap as part of the need."""

from __future__ import annotations

import altair as alt

from explainer.chartkit import kit

from . import _part_of_whole
from . import _theme as theme

TEXT = {
    "zh": {
        "title": "OpenAI 预计亏损扩大，最乐观的预测也要到{profit}才可能盈利",
        "subtitle": "OpenAI 财务文件中的预计年度亏损（美元）；下方另一把尺子：贝恩测算的2030年 AI 行业收入",
        "losses": "OpenAI 预计年度亏损",
        "profit": "最早可能盈利",
        "bain": "贝恩：2030年 AI 公司每年需要{needed}收入，按现有营收推算缺口{gap}",
        "covered": "按现有营收推算可得",
        "gap": "收入缺口",
        "description": "据 OpenAI 财务文件，其2025年预计亏损{l25}，2026年扩大到{l26}，{blank}年的数字文章未给出，按最乐观的预测{profit}才可能盈利；贝恩测算2030年 AI 公司每年需要{needed}收入，按现有营收推算缺口{gap}。",
    },
    "en": {
        "title": "OpenAI expects bigger losses; on the most optimistic forecast it may turn a profit only in {profit}",
        "subtitle": "Expected yearly loss in US$, from OpenAI's financial documents; below, on its own scale: "
        "Bain's estimate of AI revenue in 2030",
        "losses": "OpenAI's expected yearly loss",
        "profit": "first profit possible",
        "bain": "Bain: AI companies will need {needed} of revenue a year in 2030; on current revenue, a gap of {gap}",
        "covered": "Projected from current revenue",
        "gap": "Revenue gap",
        "description": "OpenAI's financial documents show an expected loss of {l25} in 2025 growing to {l26} in 2026; the article gives no figure for {blank}, and on the most optimistic forecast it may turn a profit only in {profit}. Bain reckons AI companies will need {needed} of revenue a year in 2030, {gap} more than current revenue points to.",
    },
}
LOSSES = ("openai_loss_2025", "openai_loss_2026", "openai_loss_2027", "openai_loss_2028")
FACTS = {"l25": "openai_loss_2025", "l26": "openai_loss_2026", "profit": "openai_first_profit_year"}
BAIN = {"needed": "bain_revenue_needed_2030", "gap": "bain_revenue_gap"}


def _losses(facts, lang: str, layout: kit.Layout) -> alt.LayerChart:
    """Bars hanging from zero for each year's expected loss; a labelled gap where none is given."""
    band, height = layout.inner / (len(LOSSES) + 1), 150 if layout.narrow else 170
    bars, gaps = kit.split([kit.row(facts[f], lang, "flow", year=facts[f].period) for f in LOSSES])
    profit = kit.row(facts[FACTS["profit"]], lang, "year")
    profit.update(year=str(profit["value"] or "?"), words=profit["label"] if profit["gap"] else TEXT[lang]["profit"])
    for r in [*gaps, profit]:
        r.update(lines=kit.wrap(r.get("words", r["label"]), band - 8, theme.SMALL_SIZE))
    years = [r["year"] for r in sorted(bars + gaps, key=lambda r: r["year"])] + [profit["year"]]
    top = alt.Axis(orient="top", ticks=False, domain=False, labelAngle=0, labelPadding=18)  # room for the marker
    x = alt.X("year:N", sort=years, title=None, axis=top)
    deepest = max([r["value"] for r in bars] or [1]) * height / (height - 28)  # room for the label under a bar
    y = alt.Y("value:Q", axis=None, scale=alt.Scale(domain=[0, deepest], reverse=True, nice=False))
    base, tip = alt.Chart(kit.data(bars)).encode(x=x, y=y, tooltip=kit.tooltip(lang)), kit.tooltip(lang)
    return alt.layer(
        base.mark_bar(color=theme.LOSS, width={"band": 0.62}, cornerRadiusEnd=0),
        base.mark_text(baseline="top", dy=6, fontWeight=700).encode(text="label:N"),
        alt.Chart(kit.data([*gaps, profit]))  # before the marker, so the data table lists the years in order
        .mark_text(baseline="top", fontSize=theme.SMALL_SIZE, lineHeight=kit.LINE, yOffset=8)
        .encode(x=x, y=alt.datum(0), text="lines:N", tooltip=tip),
        alt.Chart(kit.data([] if profit["gap"] else [profit]))
        .mark_point(shape="triangle-up", filled=True, size=150, color=theme.PROFIT, opacity=1, yOffset=-7)  # on zero
        .encode(x=x, y=alt.datum(0), tooltip=tip),
        alt.Chart().mark_rule(color=theme.MUTED).encode(y=alt.datum(0), x=alt.value(1), x2=alt.value(layout.inner - 1)),
    ).properties(width=layout.inner, height=height, title=kit.panel_title(TEXT[lang]["losses"], layout))


def chart(facts, lang: str, layout: kit.Layout) -> alt.VConcatChart:
    """Stack the loss years over Bain's revenue gap: two panels, two scales."""
    say = {key: facts[fact_id].display(lang) for key, fact_id in {**FACTS, **BAIN}.items()}
    blank = "–".join(facts[f].period for f in LOSSES if not facts[f].disclosed)
    needed, gap = (kit.row(facts[f], lang, "flow") for f in BAIN.values())
    head = TEXT[lang]["bain"].format(needed=needed["label"], gap=gap["label"])
    bain = _part_of_whole.part_of_whole(needed, gap, (TEXT[lang]["covered"], TEXT[lang]["gap"]), head, lang, layout)
    panels = alt.vconcat(_losses(facts, lang, layout), bain, spacing=40)
    text = {k: TEXT[lang][k].format(blank=blank, **say) for k in ("title", "subtitle", "description")}
    key = {theme.LOSS: TEXT[lang]["losses"], theme.PROFIT: TEXT[lang]["profit"], theme.ACCENT: TEXT[lang]["covered"]}
    return kit.finish(panels, layout, text["title"], text["subtitle"], text["description"], key=key)
