"""Nvidia's investment in OpenAI: ten equal tranches, one per gigawatt deployed."""

from __future__ import annotations

import altair as alt

from . import kit, theme

TEXT = {
    "zh": {
        "title": "英伟达对 OpenAI 的投资：每吉瓦一笔",
        "subtitle": "每部署1吉瓦投资{per_gw}，总额{max}",
        "tranche": "第{n}吉瓦",
        "first": "首笔：按{valuation}估值换{stake}股份",
        "amount": "金额",
        "step": "批次",
        "axis": "datum.value == 0 ? '0' : format(datum.value * 10, 'd') + '亿'",
        "description": "据报道，英伟达将随 OpenAI 部署{gw}英伟达系统，每吉瓦投资{per_gw}，总额{max}；首笔{first}按{valuation}估值换得{stake}股份。",
    },
    "en": {
        "title": "Nvidia's investment in OpenAI, one gigawatt at a time",
        "subtitle": "{per_gw} for each gigawatt deployed, {max} in all",
        "tranche": "GW {n}",
        "first": "First tranche: {stake} of OpenAI at a {valuation} valuation",
        "amount": "Amount",
        "step": "Tranche",
        "axis": "datum.value == 0 ? '0' : '$' + format(datum.value, ',') + 'B'",
        "description": "Nvidia is reported to invest {per_gw} for each gigawatt of Nvidia systems OpenAI deploys ({gw}), {max} in all; the first {first} would buy {stake} of OpenAI at a {valuation} valuation.",
    },
}


def chart(facts, lang: str, layout: kit.Layout) -> alt.LayerChart:
    """Stack one segment per gigawatt so the bar's length is the pledged total."""
    text = TEXT[lang]
    per_gw = facts["nvidia_investment_per_gw"]
    total = facts["nvidia_investment_max"]
    gigawatts = facts["nvidia_systems_gw"]
    stake = facts["nvidia_first_tranche_stake"]
    valuation = facts["openai_valuation"]
    first = facts["nvidia_first_tranche"]
    count = round(total.value / per_gw.value)  # ten tranches: the cap divided by the rate
    rows = [
        {
            "fact": first.id if n == 1 else per_gw.id,
            "name": text["tranche"].format(n=n),
            "value": first.value if n == 1 else per_gw.value,
            "n": n,
            "step": text["tranche"].format(n=n),
            "label": (first if n == 1 else per_gw).short(lang),
            "first": n == 1,
        }
        for n in range(1, count + 1)
    ]
    span = total.value / 1e9
    base = alt.Chart(alt.Data(values=rows)).transform_calculate(billions="datum.value / 1e9")
    x = alt.X(
        "billions:Q",
        stack="zero",
        title=None,
        scale=alt.Scale(domain=[0, span]),
        axis=alt.Axis(
            labelExpr=text["axis"], values=[0, span / 4, span / 2, span * 3 / 4, span], grid=False, domain=False
        ),
    )
    tooltip = [alt.Tooltip("step:N", title=text["step"]), alt.Tooltip("label:N", title=text["amount"])]
    segments = base.mark_bar(stroke="#ffffff", strokeWidth=2, height=44, cornerRadiusEnd=0).encode(
        x=x,
        order=alt.Order("n:Q"),
        color=alt.Color(
            "first:N", scale=alt.Scale(domain=[True, False], range=[theme.COMPANY["nvidia"], "#8fb35a"]), legend=None
        ),
        tooltip=tooltip,
    )
    numbers = (
        base.transform_calculate(middle=f"(datum.n - 0.5) * {span / count}")
        .mark_text(fontWeight=700, fontSize=12)
        .encode(
            x=alt.X("middle:Q"),
            text="n:Q",
            # white on the dark first tranche, ink on the light ones: readable contrast on both
            color=alt.Color(
                "first:N", scale=alt.Scale(domain=[True, False], range=["#ffffff", theme.INK]), legend=None
            ),
        )
    )
    note_rows = [
        {
            "fact": stake.id,
            "name": stake.label[lang],
            "value": stake.value,
            "text": text["first"].format(stake=stake.display(lang), valuation=valuation.display(lang)),
        }
    ]
    note = (
        alt.Chart(alt.Data(values=note_rows))
        .transform_calculate(at="0")
        .mark_text(align="left", baseline="bottom", dy=-28, color=theme.INK)
        .encode(x=alt.X("at:Q"), text="text:N")
    )
    description = text["description"].format(
        per_gw=per_gw.display(lang),
        gw=gigawatts.display(lang),
        max=total.display(lang),
        first=first.display(lang),
        valuation=valuation.display(lang),
        stake=stake.display(lang),
    )
    return (
        alt.layer(segments, numbers, note)
        .resolve_scale(color="independent")
        .properties(
            width=theme.WIDTH,
            height=64,
            title=alt.Title(
                text["title"], subtitle=text["subtitle"].format(per_gw=per_gw.short(lang), max=total.display(lang))
            ),
            description=description,
        )
    )
