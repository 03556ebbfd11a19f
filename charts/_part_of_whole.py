"""A part of a whole drawn inside it (the losses chart's Bain panel)."""

from __future__ import annotations

from typing import Any

import altair as alt

from explainer.chartkit import kit

from . import _theme as theme


def part_of_whole(
    whole: dict[str, Any], part: dict[str, Any], names: tuple[str, str], head: str, lang: str, layout: kit.Layout
) -> alt.LayerChart:
    """A panel showing a part of a whole as part of it: one bar as long as the whole, the rest
    (derived: whole - part) filled, the part a dashed, unfilled outline; each labelled below.

    With either figure missing there is no bar, only the heading and a labelled gap.
    """
    lines = kit.wrap(head, layout.inner, theme.TEXT_SIZE)
    top, parts = kit.LINE * len(lines) + 12, []
    if not (whole["gap"] or part["gap"]):
        rest = kit.derived(whole["value"] - part["value"], whole["unit"], whole["kind"], lang, names[0])
        parts = [
            {**rest, "start": 0, "end": rest["value"]},
            {**part, "derived": False, "start": rest["value"], "end": whole["value"], "name": names[1]},
        ]
    for p in parts:
        room = (p["end"] - p["start"]) / whole["value"] * layout.inner - 6
        p.update(y=top + 38, lines=[p["label"], *kit.wrap(p["name"], room, theme.SMALL_SIZE)])
    gaps = [{**r, "lines": [kit.gap_words(r, lang)]} for r in (whole, part) if r["gap"]]
    x = alt.X("start:Q", axis=None, scale=alt.Scale(domain=[0, whole["value"] or 1], range=[2, layout.inner - 2]))
    fill = alt.ExprRef(f"datum.derived ? '{theme.ACCENT}' : 'transparent'")
    bar = alt.Chart(kit.data(parts)).mark_bar(
        height=30, stroke=theme.ACCENT, strokeWidth=2, cornerRadiusEnd=0, fill=fill
    )
    dashes = alt.StrokeDash("derived:N", scale=kit.scale({True: [1, 0], False: [5, 3]}), legend=None)
    labels = alt.Chart(kit.data(parts)).mark_text(
        align="left", baseline="top", dx=2, fontSize=theme.SMALL_SIZE, lineHeight=kit.LINE
    )
    # the heading states the whole, so it carries the whole's row: its tooltip, and its line in the data table
    heading = (
        alt.Chart(kit.data([{**whole, "lines": lines}]))
        .mark_text(align="left", baseline="top", fontWeight=600, color=theme.MUTED, lineHeight=18)
        .encode(x=alt.value(0), y=alt.value(0), text="lines:N", tooltip=kit.tooltip(lang))
    )
    return alt.layer(
        heading,
        bar.encode(x=x, x2="end:Q", y=alt.value(top + 15), strokeDash=dashes, tooltip=kit.tooltip(lang)),
        labels.encode(x=x, y=kit.pixels("y"), text="lines:N", tooltip=kit.tooltip(lang)),
        alt.Chart(kit.data(gaps))
        .mark_text(align="left", baseline="top", color=theme.MUTED, lineHeight=kit.LINE)
        .encode(x=alt.value(0), y=alt.value(top), text="lines:N", tooltip=kit.tooltip(lang)),
    ).properties(width=layout.inner, height=top + 38 + kit.LINE * max([len(p["lines"]) for p in parts] or [1]))
