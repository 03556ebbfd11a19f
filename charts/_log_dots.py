"""Figures as dots on a log scale, one row each (the dollar-scale chart's)."""

from __future__ import annotations

from typing import Any

import altair as alt

from explainer.chartkit import kit

from . import _theme as theme


def log_dots(
    rows: list[dict[str, Any]], head: str, ticks: list[float], lang: str, layout: kit.Layout
) -> alt.LayerChart:
    """A panel of figures as dots on a log scale (never bars or stems): a name per row (beside the
    dot when wide, above it when narrow), gridlines and tick labels drawn, the Python formatter's labels.

    Rows with `projected` are hollow dots; rows with `loss` are red.
    """
    names, step = (0, 34) if layout.narrow else (200, 24)  # width of the name column, height of a row
    lines = kit.wrap(head, layout.inner, theme.TEXT_SIZE)
    top = kit.LINE * len(lines) + 24  # the heading, then the tick labels
    for i, r in enumerate(rows):
        r.update(y=top + i * step + step - 9, name_y=top + i * step + (4 if layout.narrow else step - 9))
    marks = [
        {
            "tick": t,
            "label": kit.tick_label(t, unit="usd", lang=lang),
            "y": top - 18,
            "align": "left" if t == ticks[0] else "center",
        }
        for t in ticks
    ]
    x = alt.X(
        "at:Q",
        axis=None,
        scale=alt.Scale(type="log", domain=[ticks[0], ticks[-1]], range=[names + 8, layout.inner - 90]),
    )
    dots, gaps = kit.split(rows)
    base = (
        alt.Chart(kit.data(dots))
        .transform_calculate(at="datum.value")
        .encode(x=x, y=kit.pixels("y"), tooltip=kit.tooltip(lang))
    )
    colour = alt.Color("loss:N", scale=kit.scale({True: theme.LOSS, False: theme.ACCENT}), legend=None)
    small = {"fontSize": theme.SMALL_SIZE, "color": theme.MUTED}
    grid = alt.Chart(kit.data(marks)).transform_calculate(at="datum.tick")
    return alt.layer(
        kit.heading(lines, layout),
        grid.mark_rule(color=theme.GRID).encode(x=x, y=alt.value(top - 1), y2=alt.value(top + len(rows) * step)),
        grid.mark_text(baseline="top", align=alt.ExprRef("datum.align"), **small).encode(
            x=x, y=kit.pixels("y"), text="label:N"
        ),
        base.mark_point(size=90, strokeWidth=2, opacity=1, shape="circle").encode(
            stroke=colour, fill=alt.condition("datum.projected", alt.value("transparent"), colour)
        ),
        base.mark_text(align="left", baseline="middle", dx=9, **small).encode(text="label:N"),
        alt.Chart(kit.data(rows))
        .mark_text(align="left", baseline="top" if layout.narrow else "middle", fontSize=theme.SMALL_SIZE)
        .encode(x=alt.value(0), y=alt.Y("name_y:Q", axis=None, scale=None), text="what:N", tooltip=kit.tooltip(lang)),
        alt.Chart(kit.data(gaps))
        .mark_text(align="left", baseline="middle", **small)
        .encode(
            x=alt.value(names + 8), y=alt.Y("y:Q", axis=None, scale=None), text="label:N", tooltip=kit.tooltip(lang)
        ),
    ).properties(width=layout.inner, height=top + len(rows) * step)
