"""The ONO loop: what OpenAI, Oracle and Nvidia have promised each other, sized by amount and styled by kind."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import altair as alt

from explainer.chartkit import kit

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
            "pledge": "虚线：“至多”多少的投资，按每吉瓦一定金额计（据透露）",
            "gap": "点线：金额文章未给出",
        },
        "note": "彭博社给英伟达与 OpenAI 的交易贴上“循环交易与循环营收”的标签；黄仁勋否认：“收入端与投资端无关。”",
        "description": "据甲骨文披露，OpenAI 与它签下{contract}的云算力采购合同；甲骨文向英伟达购买 GPU，金额文章未给出；据透露，英伟达将向 OpenAI 投资{invest}。作者把这个三角称作“永动机”，黄仁勋否认投资与收入挂钩。",
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
            "pledge": "Dashed: investment of “up to”, at a set amount per gigawatt (reported)",
            "gap": "Dotted: amount not in the article",
        },
        "note": "Bloomberg labelled the Nvidia–OpenAI deal “circular deals and circular revenue”; Huang denies a link: “The revenue side has nothing to do with the investment side” (both our translations).",
        "description": "Oracle disclosed a {contract} compute contract with OpenAI; Oracle buys Nvidia GPUs, for an amount the article does not give; and Nvidia is reported to invest {invest} in OpenAI. The author calls the triangle a “perpetual motion machine”; Huang denies that the investment is tied to revenue.",
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


@dataclass(frozen=True)
class Loop:
    """Nodes on a circle (centre cx, cy; radius r; node radius) joined by arrows whose width is
    the amount (the largest `widest` px) and whose dashes say the kind of flow."""

    cx: float
    cy: float
    r: float
    node: float
    widest: float

    def at(self, degrees: float, r: float | None = None) -> tuple[float, float]:
        """The point at an angle on the circle (or at another radius), y growing downwards."""
        radius = self.r if r is None else r
        return self.cx + radius * math.cos(math.radians(degrees)), self.cy - radius * math.sin(math.radians(degrees))

    def arrows(self, rows: list[dict[str, Any]], angles: dict[str, float]) -> tuple[list, list]:
        """Give each flow row (payer, payee) its `width`, `style` and `middle` angle; return the
        points of the arcs and the arrowheads. A flow with no amount is a dotted hairline."""
        largest, arcs, heads = max([r["value"] for r in rows if not r["gap"]] or [1]), [], []
        for row in rows:
            start, end = angles[row["payer"]], angles[row["payee"]]
            end = end - 360 if end > start else end
            width = 1.5 if row["gap"] else max(2.0, self.widest * row["value"] / largest)
            row.update(style="gap" if row["gap"] else row["flow"], width=width, middle=(start + end) / 2)
            inset = math.degrees((self.node + 4 + width) / self.r)
            path = [self.at(start - inset + (end - start + 2 * inset) * i / 24) for i in range(25)]
            keep = {k: row[k] for k in ("flow", "style", "width", "what", "display")}
            arcs += [{**keep, "order": i, "x": x, "y": y} for i, (x, y) in enumerate(path)]
            (x0, y0), (x1, y1) = path[-2], path[-1]
            heads.append(
                {
                    **keep,
                    "x": x1,
                    "y": y1,
                    "angle": math.degrees(math.atan2(y1 - y0, x1 - x0)),
                    "size": (width * 2 + 9) ** 2,
                }
            )
        return arcs, heads

    def label(
        self, middle: float, width: float, words: list[str], inner: float, angles: dict[str, float]
    ) -> dict[str, Any]:
        """Place a flow's label clear of its arc (drawn `width` px wide around angle `middle`):
        beside it, or centred below the bottom one, wrapped to the room.

        A side label tall enough to reach a node's circle is moved out past that circle and
        rewrapped, so no line touches it (the zh phone layout needs six lines beside Nvidia).
        """
        cos, sin = math.cos(math.radians(middle)), math.sin(math.radians(middle))
        side, out = (math.copysign(1, cos) if abs(cos) >= 0.3 else 0), self.r + width / 2 + 10
        x, clearance = self.cx + side * out, self.node + 6
        for _ in range(3):  # moving out shortens the lines, which may add one: settle in a few rounds
            room = (x - 4 if side < 0 else inner - x - 4) if side else inner
            lines = [line for phrase in words for line in kit.wrap(phrase, room, theme.TEXT_SIZE)]
            y = self.cy - self.r * sin - 8 * len(lines) if side else self.cy + out
            top, bottom = y - theme.TEXT_SIZE, y + kit.LINE * (len(lines) - 1) + 4
            nodes = [self.at(a) for a in angles.values()]
            clear = [
                node_x + side * clearance
                for node_x, node_y in nodes
                if side and top < node_y + self.node and bottom > node_y - self.node and side * (x - node_x) < clearance
            ]
            if not clear:
                break
            x = min(clear) if side < 0 else max(clear)
        return {"x": x, "y": y, "align": ("right", "center", "left")[int(side) + 1], "lines": lines}

    def nodes(self, angles: dict[str, float], names: dict[str, str]) -> list[dict[str, Any]]:
        """One row per node: its key, its name in the page's language, where it sits."""
        return [
            {"key": k, "name": names[k], "x": self.at(a)[0], "y": self.at(a)[1], "size": math.pi * self.node**2}
            for k, a in angles.items()
        ]


def arrows(
    arcs: list[dict], heads: list[dict], dashes: dict[str, list[int]], colours: dict[str, str], lang: str
) -> list[alt.Chart]:
    """Draw flows as lines (stroke width = the row's `width`, dashes by `style`) with arrowheads."""
    x, y, tip = kit.pixels("x"), kit.pixels("y"), kit.tooltip(lang, "what", "display")
    colour = alt.Color("style:N", scale=kit.scale(colours), legend=None)
    line = (
        alt.Chart(kit.data(arcs))
        .mark_line()
        .encode(
            x=x,
            y=y,
            detail="flow:N",
            order="order:Q",
            color=colour,
            tooltip=tip,
            strokeDash=alt.StrokeDash("style:N", scale=kit.scale(dashes), legend=None),
            strokeWidth=alt.StrokeWidth("width:Q", scale=None),
        )
    )
    head = (
        alt.Chart(kit.data(heads))
        .mark_point(shape="triangle-right", filled=True, opacity=1)
        .encode(x=x, y=y, color=colour, angle=alt.Angle("angle:Q", scale=None), size=alt.Size("size:Q", scale=None))
    )
    return [line, head]


def circles(nodes: list[dict], colours: dict[str, str], lang: str) -> list[alt.Chart]:
    """Draw nodes as filled circles in their colour, named in white (ON_MARK) inside."""
    base = alt.Chart(kit.data(nodes)).encode(x=kit.pixels("x"), y=kit.pixels("y"))
    fill = alt.Color("key:N", scale=kit.scale(colours), legend=None)
    return [
        base.mark_circle(opacity=1).encode(
            color=fill, size=alt.Size("size:Q", scale=None), tooltip=alt.Tooltip("name:N", title=kit.say(lang, "what"))
        ),
        base.mark_text(fontWeight=700, color=theme.ON_MARK).encode(text="name:N"),
    ]


def draw_key(entries: list[tuple[Any, float, str | None, str]], x: float, y: float, width: float) -> tuple[list, float]:
    """A drawn key: per entry a line sample (dashes, stroke width, colour) and its text, wrapped to
    the width; an entry with no dashes is a note. Returns the layers and the height they take."""
    samples, texts, top = [], [], y
    for dashes, stroke, colour, words in entries:
        lines = kit.wrap(words, width - (44 if dashes else 0), theme.SMALL_SIZE)
        if dashes:
            samples.append({"x": x, "x2": x + 34, "y": top + 8, "dash": dashes, "stroke": stroke, "colour": colour})
        texts.append({"x": x + (44 if dashes else 0), "y": top, "lines": lines})
        top += 17 * len(lines) + 8
    lines = (
        alt.Chart(kit.data(samples))
        .mark_rule()
        .encode(
            x=kit.pixels("x"),
            x2="x2:Q",
            y=kit.pixels("y"),
            color=alt.Color("colour:N", scale=None),
            strokeWidth=alt.StrokeWidth("stroke:Q", scale=None),
            strokeDash=alt.StrokeDash("dash:N", scale=None, legend=None),
        )
    )
    words = alt.Chart(kit.data(texts)).mark_text(
        align="left", baseline="top", fontSize=theme.SMALL_SIZE, color=theme.MUTED, lineHeight=17
    )
    return [lines, words.encode(x=kit.pixels("x"), y=kit.pixels("y"), text="lines:N")], top - y


def chart(facts, lang: str, layout: kit.Layout) -> alt.LayerChart:
    """Draw the three companies on a circle with one arrow per flow: width = amount, dashes = kind."""
    text, names, size = TEXT[lang], TEXT[lang]["companies"], (layout.inner if layout.narrow else 430)
    loop = Loop(size / 2, 76 if layout.narrow else 82, 50 if layout.narrow else 80, 26, 11 if layout.narrow else 16)
    rows = [
        kit.row(facts[f], lang, "deal", flow=k, what=text["flows"][k], payer=a, payee=b)
        for k, (a, b, f) in FLOWS.items()
    ]
    arcs, heads = loop.arrows(rows, ANGLES)
    per_gw = text["per_gw"].format(per_gw=facts["nvidia_investment_per_gw"].display(lang))
    for row in rows:
        row["name"] = text["name"].format(a=names[row["payer"]], b=names[row["payee"]], what=row["what"])
        hedged = row["label"] if row["gap"] else facts[row["fact"]].hedged(lang)  # "up to $100 billion (reportedly)"
        amount = [row["what"], row["display"], hedged.removeprefix(row["display"]).strip()]  # wrapped apart
        row.update(words=[w for w in amount if w] + ([per_gw] if row["flow"] == "pledge" and not row["gap"] else []))
        row.update(loop.label(row["middle"], row["width"], row["words"], layout.inner, ANGLES))
    bottom = max(row["y"] + kit.LINE * len(row["lines"]) for row in rows)
    key_x, key_y = (0, bottom + 16) if layout.narrow else (size + 16, loop.cy - loop.r)
    entries = [(STYLE[s], 2 if s == "gap" else 3, COLOUR[s], text["key"][s]) for s in ("contract", "pledge", "gap")]
    key, key_height = draw_key([*entries, (None, 0, None, text["note"])], key_x, key_y, layout.inner - key_x)
    layers = [
        *arrows(arcs, heads, STYLE, COLOUR, lang),
        *circles(loop.nodes(ANGLES, names), theme.COMPANY, lang),
        *(kit.text([r for r in rows if r["align"] == a], lang, align=a) for a in ("left", "right", "center")),
        *key,
    ]
    height = max(bottom * (not layout.narrow), key_y + key_height)
    description = text["description"].format(contract=rows[0]["display"], invest=rows[2]["display"])
    chart = alt.layer(*layers).resolve_scale(color="independent").properties(height=height)
    return kit.finish(chart, layout, text["title"], text["subtitle"], description)
