"""Drawing a loop of payments: nodes on a circle, arrows sized by amount, a drawn key (the ONO chart's)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import altair as alt

from explainer.chartkit import kit

from . import _theme as theme


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
            keep = {k: row[k] for k in ("flow", "style", "width", "name", "display", "amount")}
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
        """One row per node: its key, its name in the page's language, where it sits, and its size as
        Vega sizes a symbol (the area of its bounding square: a circle `node` px in radius)."""
        return [
            {"key": k, "name": names[k], "x": self.at(a)[0], "y": self.at(a)[1], "size": (2 * self.node) ** 2}
            for k, a in angles.items()
        ]


def arrows(
    arcs: list[dict], heads: list[dict], dashes: dict[str, list[int]], colours: dict[str, str], lang: str
) -> list[alt.Chart]:
    """Draw flows as lines (stroke width = the row's `width`, dashes by `style`) with arrowheads; a
    flow's tooltip is its label's (who pays whom, how much), so a reader stepping through the marks
    meets each flow once."""
    x, y, tip = kit.pixels("x"), kit.pixels("y"), kit.tooltip(lang)
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


def circles(nodes: list[dict], colours: dict[str, str]) -> list[alt.Chart]:
    """Draw nodes as filled circles in their colour, named in white (ON_MARK) inside. A node is a
    name, not a figure: it has no tooltip (each flow's names both ends), so no mark is announced
    without an amount."""
    base = alt.Chart(kit.data(nodes)).encode(x=kit.pixels("x"), y=kit.pixels("y"))
    fill = alt.Color("key:N", scale=kit.scale(colours), legend=None)
    return [
        base.mark_circle(opacity=1).encode(color=fill, size=alt.Size("size:Q", scale=None)),
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
