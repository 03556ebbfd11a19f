"""Nvidia's reported investment in OpenAI: one equal tranche per gigawatt deployed, up to a cap."""

from __future__ import annotations

import altair as alt

from explainer.chartkit import kit

from . import _theme as theme

TEXT = {
    "zh": {
        "title": "据透露，英伟达将按每吉瓦{per_gw}向 OpenAI 投资，总额{max}",
        "subtitle": "每个方块：1吉瓦英伟达系统、{per_gw}投资；方块数 = 上限 ÷ 每吉瓦金额（推算）",
        "tranche": "第{n}吉瓦",
        "first": "首笔{first}：按{valuation}估值换得{stake}股份（知情人士）",
        "rest": "实心：首笔；虚线框：此后每吉瓦一笔（本站按上限 ÷ 每吉瓦金额推算）。都是据透露的计划，不是已付的钱。",
        "step": "批次",
        "description": "英伟达将为 OpenAI 部署{gw}英伟达系统；据透露，英伟达将按每吉瓦{per_gw}向 OpenAI 投资，总额{max}；知情人士称，按{valuation}估值，首笔{first}可换得{stake}股份。",
    },
    "en": {
        "title": "Nvidia is reported to invest {per_gw} in OpenAI per gigawatt, {max} in all",
        "subtitle": "Each square: one gigawatt of Nvidia systems and {per_gw} of investment; squares = the cap ÷ the rate (derived)",
        "tranche": "GW {n}",
        "first": "First {first}: {stake} of OpenAI at a {valuation} valuation (people familiar with the matter)",
        "rest": "Solid: the first tranche; dashed: one more per further gigawatt (our arithmetic: the cap ÷ the rate). All are reported plans, not payments made.",
        "step": "Tranche",
        "description": "Nvidia will deploy {gw} of Nvidia systems for OpenAI, and is reported to invest {per_gw} for each gigawatt, {max} in all; people familiar with the matter say the first {first} buys {stake} of OpenAI at a {valuation} valuation.",
    },
}
FACTS = {"per_gw": "nvidia_investment_per_gw", "max": "nvidia_investment_max", "first": "nvidia_first_tranche"}
WORDS = {"stake": "nvidia_first_tranche_stake", "valuation": "openai_valuation", "gw": "nvidia_systems_gw"}


def chart(facts, lang: str, layout: kit.Layout) -> alt.LayerChart:
    """Draw one square per gigawatt (five to a row on a phone, ten on a desktop), the first filled."""
    text, row = TEXT[lang], {key: kit.row(facts[f], lang, "deal") for key, f in FACTS.items()}
    say = {**{k: facts[f].display(lang) for k, f in WORDS.items()}, **{k: r["display"] for k, r in row.items()}}
    known = not (row["per_gw"]["gap"] or row["max"]["gap"])
    count = round(row["max"]["value"] / row["per_gw"]["value"]) if known else 0  # the cap / the rate
    tranches = [
        {**row["first" if n == 1 else "per_gw"], "n": n, "what": text["tranche"].format(n=n), "first": n == 1}
        for n in range(1, count + 1)
    ]
    _side, bottom = kit.grid(tranches, 5 if layout.narrow else 10, layout.inner, 6)
    squares, gaps = kit.split(tranches)
    gaps += [{**r, "x": 0, "y": 0, "lines": [kit.gap_words(r, lang)]} for r in (row["per_gw"], row["max"]) if r["gap"]]
    for r in gaps:
        r.setdefault("lines", [r["label"]])
    notes = [
        {**kit.row(facts[WORDS["stake"]], lang, "share"), "words": text["first"].format(**say)},
        {**row["max"], "words": text["rest"]},  # the note on the cap carries it: the data table lists the cap
    ]
    height = kit.stack(notes, bottom + 10 + kit.LINE * bool(gaps and not squares), layout.inner)
    fill = alt.Color("first:N", scale=kit.scale({True: theme.COMPANY["nvidia"], False: "transparent"}), legend=None)
    ink = alt.Color("first:N", scale=kit.scale({True: theme.ON_MARK, False: theme.INK}), legend=None)
    tip, box = (
        kit.tooltip(lang, "what"),
        {"x": kit.pixels("x"), "y": kit.pixels("y"), "x2": "x2:Q", "y2": "y2:Q"},
    )
    layers = [
        alt.Chart(kit.data(squares))
        .mark_rect(stroke=theme.COMPANY["nvidia"], strokeWidth=2, strokeDash=alt.ExprRef("datum.first ? [] : [4, 3]"))
        .encode(**box, fill=fill, tooltip=tip),
        alt.Chart(kit.data(squares))
        .mark_text(fontWeight=700)
        .encode(
            x=alt.X("cx:Q", axis=None, scale=None),
            y=alt.Y("cy:Q", axis=None, scale=None),
            text="n:N",
            color=ink,
            tooltip=tip,
        ),
        kit.text(gaps, lang, color=theme.MUTED),
        kit.text(notes),
    ]
    chart = alt.layer(*layers).resolve_scale(color="independent").properties(height=height)
    return kit.finish(chart, layout, *(text[k].format(**say) for k in ("title", "subtitle", "description")))
