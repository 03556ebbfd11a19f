"""The ONO loop: what OpenAI, Oracle and Nvidia have promised each other, sized by amount and styled by kind."""

from __future__ import annotations

import altair as alt

from explainer.chartkit import kit

from . import _loop
from . import _theme as theme

TEXT = {
    "zh": {
        "title": "作者所说的“ONO”三角：OpenAI 买甲骨文的算力，甲骨文买英伟达的 GPU，英伟达投资 OpenAI",
        "subtitle": "三家公司之间的合同、采购与据透露的投资（美元）；箭头宽度表示金额",
        "companies": {"openai": "OpenAI", "oracle": "甲骨文", "nvidia": "英伟达"},
        "flows": {"contract": "云算力采购合同", "purchase": "购买 GPU", "pledge": "投资"},
        "per_gw": "每吉瓦{per_gw}",
        "name": "{a} → {b}：{what}",
        "key": {
            "contract": "实线：采购合同（承诺购买）",
            "pledge": "虚线：据透露的投资，设有上限，按每吉瓦（功率单位）一定金额计",
            "gap": "点线：金额文章未给出",
        },
        "note": "彭博社给英伟达与 OpenAI 的这笔交易贴上了“循环交易与循环营收”的标签；黄仁勋否认英伟达的收入与这笔投资有关，并称投资不附带任何条件。",
        "description": "据甲骨文披露，OpenAI 与它签下{contract}的云算力采购合同；甲骨文向英伟达购买 GPU，金额文章未给出；据透露，英伟达将向 OpenAI 投资{invest}。作者把这个三方循环称作一台推着 AI 行业狂奔的“永动机”；黄仁勋否认英伟达的收入与这笔投资有关，并称投资不附带任何条件。",
    },
    "en": {
        "title": "The “ONO” triangle as the author describes it: OpenAI buys Oracle's computing, Oracle buys Nvidia's GPUs, Nvidia invests in OpenAI",
        "subtitle": "Contracts, purchases and reported investment between the three companies, in US$; arrow width shows the amount",
        "companies": {"openai": "OpenAI", "oracle": "Oracle", "nvidia": "Nvidia"},
        "flows": {"contract": "Compute contract", "purchase": "GPU purchases", "pledge": "Investment"},
        "per_gw": "{per_gw} per GW",
        "name": "{a} → {b}: {what}",
        "key": {
            "contract": "Solid: purchase contract (a commitment to buy)",
            "pledge": "Dashed: reported investment, capped, at a set amount per gigawatt (GW, a unit of power)",
            "gap": "Dotted: amount not in the article",
        },
        "note": "Bloomberg labelled Nvidia’s deal with OpenAI a case of “circular deals and circular revenue” (our translation); Huang denies that Nvidia’s revenue has anything to do with the investment, and says the investment comes with no conditions attached.",
        "description": "Oracle disclosed a {contract} compute contract with OpenAI; Oracle buys Nvidia GPUs, for an amount the article does not give; and Nvidia is reported to invest {invest} in OpenAI. The author calls this three-way loop a perpetual motion machine that keeps the AI field racing ahead; Huang denies that Nvidia's revenue has anything to do with the investment, and says the investment comes with no conditions attached.",
    },
}
FLOWS = {  # flow: (payer, payee, fact); the money runs clockwise round the circle, as the article tells it
    "contract": ("openai", "oracle", "oracle_openai_contract"),
    "purchase": ("oracle", "nvidia", "oracle_nvidia_gpu_spend"),
    "pledge": ("nvidia", "openai", "nvidia_investment_max"),
}
ANGLES = {"openai": 90.0, "oracle": -30.0, "nvidia": 210.0}
STYLE = {"contract": [1, 0], "pledge": [8, 5], "purchase": [1, 0], "gap": [2, 4]}  # dashes by kind of flow
COLOUR = {"contract": theme.ACCENT, "pledge": theme.ACCENT, "purchase": theme.ACCENT, "gap": theme.UNKNOWN}


def chart(facts, lang: str, layout: kit.Layout) -> alt.LayerChart:
    """Draw the three companies on a circle with one arrow per flow: width = amount, dashes = kind."""
    text, names, size = TEXT[lang], TEXT[lang]["companies"], (layout.inner if layout.narrow else 430)
    loop = _loop.Loop(
        size / 2, 76 if layout.narrow else 82, 50 if layout.narrow else 80, 26, 11 if layout.narrow else 16
    )
    rows = [
        kit.row(facts[f], lang, "deal", flow=k, what=text["flows"][k], payer=a, payee=b)
        for k, (a, b, f) in FLOWS.items()
    ]
    for row in rows:  # who pays whom: the flow's name in its arc's and its label's tooltip alike
        row["name"] = text["name"].format(a=names[row["payer"]], b=names[row["payee"]], what=row["what"])
    arcs, heads = loop.arrows(rows, ANGLES)
    per_gw = text["per_gw"].format(per_gw=facts["nvidia_investment_per_gw"].display(lang))
    for row in rows:
        hedged = row["label"] if row["gap"] else facts[row["fact"]].hedged(lang)  # "up to $100 billion (reportedly)"
        amount = [row["what"], row["display"], hedged.removeprefix(row["display"]).strip()]  # wrapped apart
        row.update(words=[w for w in amount if w] + ([per_gw] if row["flow"] == "pledge" and not row["gap"] else []))
        row.update(loop.label(row["middle"], row["width"], row["words"], layout.inner, ANGLES))
    bottom = max(row["y"] + kit.LINE * len(row["lines"]) for row in rows)
    key_x, key_y = (0, bottom + 16) if layout.narrow else (size + 16, loop.cy - loop.r)
    entries = [(STYLE[s], 2 if s == "gap" else 3, COLOUR[s], text["key"][s]) for s in ("contract", "pledge", "gap")]
    key, key_height = _loop.draw_key([*entries, (None, 0, None, text["note"])], key_x, key_y, layout.inner - key_x)
    layers = [
        *_loop.arrows(arcs, heads, STYLE, COLOUR, lang),
        *_loop.circles(loop.nodes(ANGLES, names), theme.COMPANY),
        *(kit.text([r for r in rows if r["align"] == a], lang, align=a) for a in ("left", "right", "center")),
        *key,
    ]
    height = max(bottom * (not layout.narrow), key_y + key_height)
    description = text["description"].format(contract=rows[0]["display"], invest=rows[2]["display"])
    chart = alt.layer(*layers).resolve_scale(color="independent").properties(height=height)
    key = {COLOUR[s]: text["key"][s] for s in ("contract", "gap")}  # blue: an amount; grey: none (the drawn key)
    return kit.finish(chart, layout, text["title"], text["subtitle"], description, key=key)
