"""Nvidia's reported investment in OpenAI: one equal tranche per gigawatt deployed, up to a cap."""

from __future__ import annotations

import altair as alt

from . import kit, theme

TEXT = {
    "zh": {
        "title": "据透露，英伟达将按每部署1吉瓦{per_gw}向 OpenAI 投资，总额{max}",
        "subtitle": "每个方块：1吉瓦英伟达系统、{per_gw}投资；方块数 = 上限 ÷ 每吉瓦金额（推算）",
        "tranche": "第{n}吉瓦",
        "first": "首笔{first}：按{valuation}估值换得{stake}股份（知情人士）",
        "rest": "实心：首笔；虚线框：此后每部署1吉瓦再投一笔。都是承诺，不是已付的钱。",
        "step": "批次",
        "description": "据透露，英伟达将随 OpenAI 部署{gw}英伟达系统，每吉瓦投资{per_gw}，至多{max}；知情人士称首笔{first}按{valuation}估值可换得约{stake}股份。",
    },
    "en": {
        "title": "Nvidia is reported to invest {per_gw} in OpenAI for each gigawatt deployed, {max} in all",
        "subtitle": "Each square: one gigawatt of Nvidia systems and {per_gw} of investment; squares = the cap ÷ the rate (derived)",
        "tranche": "GW {n}",
        "first": "First {first}: {stake} of OpenAI at a {valuation} valuation (people familiar with the deal)",
        "rest": "Solid: the first tranche; dashed: one more for each further gigawatt deployed. All are pledges, not payments.",
        "step": "Tranche",
        "description": "Nvidia is reported to invest {per_gw} for each gigawatt of Nvidia systems OpenAI deploys ({gw}), up to {max}; people familiar with the deal say the first {first} buys about {stake} of OpenAI at a {valuation} valuation.",
    },
}
GAP = 6  # px between squares


def chart(facts, lang: str, layout: kit.Layout) -> alt.LayerChart:
    """Draw one square per gigawatt (five to a row on a phone, ten on a desktop), the first filled."""
    text, f = (
        TEXT[lang],
        {k: facts[k] for k in ("nvidia_investment_per_gw", "nvidia_investment_max", "nvidia_first_tranche")},
    )
    per_gw, cap, first = (kit.row(fact, lang, "deal") for fact in f.values())
    count = 0 if per_gw["gap"] or cap["gap"] else round(cap["value"] / per_gw["value"])
    across = 5 if layout.narrow else 10
    side = (layout.inner - GAP * (across - 1)) / across
    rows = [
        {**(first if n == 1 else per_gw), "n": n, "what": text["tranche"].format(n=n), "first": n == 1}
        for n in range(1, count + 1)
    ]
    for r in rows:
        r["x"], r["y"] = (r["n"] - 1) % across * (side + GAP), (r["n"] - 1) // across * (side + GAP)
        r["x2"], r["y2"], r["middle_x"], r["middle_y"] = (
            r["x"] + side,
            r["y"] + side,
            r["x"] + side / 2,
            r["y"] + side / 2,
        )
    squares, gaps = kit.split(rows)
    below = ((count - 1) // across + 1) * (side + GAP) + 4 if count else 0
    words = {k: facts[k].display(lang) for k in ("nvidia_first_tranche_stake", "openai_valuation", "nvidia_systems_gw")}
    first_line = text["first"].format(
        first=first["label"], stake=words["nvidia_first_tranche_stake"], valuation=words["openai_valuation"]
    )
    notes = [
        kit.row(
            facts["nvidia_first_tranche_stake"],
            lang,
            "share",
            lines=kit.wrap(first_line, layout.inner, theme.TEXT_SIZE),
        )
    ]
    notes.append({"lines": kit.wrap(text["rest"], layout.inner, theme.TEXT_SIZE)})
    for i, note in enumerate(notes):
        note.update(x=0, y=below + sum(17 * len(n["lines"]) + 6 for n in notes[:i]))
    x, y, tip = kit.pixels("x"), kit.pixels("y"), kit.tooltip(lang, "what", "display")
    fill = alt.Color(
        "first:N", scale=alt.Scale(domain=[True, False], range=[theme.COMPANY["nvidia"], "transparent"]), legend=None
    )
    ink = alt.Color("first:N", scale=alt.Scale(domain=[True, False], range=[theme.ON_MARK, theme.INK]), legend=None)
    layers = [
        alt.Chart(kit.data(squares))
        .mark_rect(stroke=theme.COMPANY["nvidia"], strokeWidth=2, strokeDash=alt.ExprRef("datum.first ? [] : [4, 3]"))
        .encode(x=x, x2="x2:Q", y=y, y2="y2:Q", fill=fill, tooltip=tip),
        alt.Chart(kit.data(squares))
        .mark_text(fontWeight=700)
        .encode(
            x=alt.X("middle_x:Q", axis=None, scale=None),
            y=alt.Y("middle_y:Q", axis=None, scale=None),
            text="n:N",
            color=ink,
            tooltip=tip,
        ),
        alt.Chart(kit.data(gaps))
        .mark_text(align="left", baseline="top", color=theme.MUTED)
        .encode(x=x, y=y, text="label:N", tooltip=tip),
        alt.Chart(kit.data(notes))
        .mark_text(align="left", baseline="top", lineHeight=17)
        .encode(x=x, y=y, text="lines:N"),
    ]
    height = notes[-1]["y"] + 17 * len(notes[-1]["lines"])
    say = {
        "per_gw": per_gw["label"],
        "max": cap["display"],
        "first": first["display"],
        "stake": words["nvidia_first_tranche_stake"],
        "valuation": words["openai_valuation"],
        "gw": words["nvidia_systems_gw"],
    }
    chart = alt.layer(*layers).resolve_scale(color="independent").properties(height=height)
    return kit.finish(
        chart, layout, text["title"].format(**say), text["subtitle"].format(**say), text["description"].format(**say)
    )
