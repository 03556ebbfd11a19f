"""The ONO loop: OpenAI pays Oracle, Oracle pays Nvidia, Nvidia invests in OpenAI."""

from __future__ import annotations

import math

import altair as alt

from . import kit, theme

TEXT = {
    "zh": {
        "title": "“ONO”资金循环",
        "subtitle": "同一笔钱在三家公司之间转圈",
        "companies": {"openai": "OpenAI", "oracle": "甲骨文", "nvidia": "英伟达"},
        "flows": {
            "openai_oracle": "云算力采购合同",
            "oracle_nvidia": "购买 GPU",
            "nvidia_openai": "投资",
        },
        "center": "循环",
        "per_gw": "每吉瓦{per_gw}",
        "flow": "资金流向",
        "amount": "金额",
        "description": "OpenAI 向甲骨文购买{contract}的云算力，甲骨文向英伟达购买 GPU（金额{gpu}），英伟达再向 OpenAI 投资{invest}，资金形成闭环。",
    },
    "en": {
        "title": 'The "ONO" money loop',
        "subtitle": "The same money goes round the three companies",
        "companies": {"openai": "OpenAI", "oracle": "Oracle", "nvidia": "Nvidia"},
        "flows": {
            "openai_oracle": "Compute contract",
            "oracle_nvidia": "GPU purchases",
            "nvidia_openai": "Investment",
        },
        "center": "the loop",
        "per_gw": "{per_gw} per GW",
        "flow": "Flow",
        "amount": "Amount",
        "description": "OpenAI buys {contract} of cloud compute from Oracle, Oracle buys Nvidia GPUs (amount {gpu}), and Nvidia invests {invest} in OpenAI, closing the loop.",
    },
}

# Nodes sit on a unit circle; money flows clockwise, as the article tells it.
NODES = {"openai": 90.0, "oracle": -30.0, "nvidia": 210.0}
FLOWS = (
    ("openai_oracle", "openai", "oracle", "oracle_openai_contract"),
    ("oracle_nvidia", "oracle", "nvidia", "oracle_nvidia_gpu_spend"),
    ("nvidia_openai", "nvidia", "openai", "nvidia_investment_max"),
)
GAP_DEGREES = 24.0  # keep arrows clear of the node circles
LABEL_RADIUS = 1.45  # the bottom label's distance from the centre
SIDE_LABEL_X = 0.94  # side labels end (or start) here, just outside the circle, so no arc crosses them
SIDE_LABEL_Y = 0.9


def _arc(start: float, end: float, steps: int = 24) -> list[tuple[float, float]]:
    """Points along the unit circle from one angle to another, clockwise."""
    if end > start:
        end -= 360.0
    a, b = start - GAP_DEGREES, end + GAP_DEGREES
    return [
        (math.cos(math.radians(a + (b - a) * i / steps)), math.sin(math.radians(a + (b - a) * i / steps)))
        for i in range(steps + 1)
    ]


def _label_anchor(angle: float) -> dict[str, float | str]:
    """Where a flow's label sits: beside the circle for the side arcs (aligned away from the
    arc, so long lines grow outwards), centred below it for the bottom arc."""
    if abs(math.cos(angle)) < 0.3:
        return {"x": LABEL_RADIUS * math.cos(angle), "y": LABEL_RADIUS * math.sin(angle), "side": "center"}
    side = "left" if math.cos(angle) < 0 else "right"
    return {"x": math.copysign(SIDE_LABEL_X, math.cos(angle)), "y": SIDE_LABEL_Y, "side": side}


def chart(facts, lang: str, layout: kit.Layout) -> alt.Chart:
    """Draw the three companies on a circle with an arrow for each flow of money."""
    text = TEXT[lang]
    per_gw = facts["nvidia_investment_per_gw"].short(lang)
    arc_rows, head_rows, label_rows = [], [], []
    for flow_id, source, target, fact_id in FLOWS:
        fact = facts[fact_id]
        points = _arc(NODES[source], NODES[target])
        status = "disclosed" if fact.disclosed else "undisclosed"
        for order, (x, y) in enumerate(points):
            arc_rows.append({"flow": flow_id, "order": order, "x": x, "y": y, "status": status})
        (x0, y0), (x1, y1) = points[-2], points[-1]
        head_rows.append({"x": x1, "y": y1, "angle": -math.degrees(math.atan2(y1 - y0, x1 - x0)), "status": status})
        mid_angle = math.radians((NODES[source] + (NODES[target] - (360 if NODES[target] > NODES[source] else 0))) / 2)
        what = text["flows"][flow_id]
        lines = [what, fact.display(lang)]
        if flow_id == "nvidia_openai":
            lines.append(text["per_gw"].format(per_gw=per_gw))
        label_rows.append(
            {
                "fact": fact_id,
                "name": f"{text['companies'][source]} → {text['companies'][target]}: {what}",
                "value": fact.value,
                **_label_anchor(mid_angle),
                "flow": f"{text['companies'][source]} → {text['companies'][target]}",
                "what": what,
                "amount": fact.display(lang),
                "lines": lines,
                "status": status,
            }
        )
    node_rows = [
        {"company": text["companies"][key], "key": key, "x": math.cos(math.radians(a)), "y": math.sin(math.radians(a))}
        for key, a in NODES.items()
    ]
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-1.95, 1.95]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-1.72, 1.4]))
    dash = alt.StrokeDash(
        "status:N", scale=alt.Scale(domain=["disclosed", "undisclosed"], range=[[1, 0], [5, 4]]), legend=None
    )
    shade = alt.Color(
        "status:N", scale=alt.Scale(domain=["disclosed", "undisclosed"], range=[theme.INK, theme.UNKNOWN]), legend=None
    )
    text_shade = alt.Color(
        "status:N", scale=alt.Scale(domain=["disclosed", "undisclosed"], range=[theme.INK, theme.MUTED]), legend=None
    )
    tooltip = [
        alt.Tooltip("flow:N", title=text["flow"]),
        alt.Tooltip("what:N", title=" "),
        alt.Tooltip("amount:N", title=text["amount"]),
    ]
    arcs = (
        alt.Chart(alt.Data(values=arc_rows))
        .mark_line(strokeWidth=2.5, strokeCap="round")
        .encode(x=x, y=y, detail="flow:N", order="order:Q", strokeDash=dash, color=shade)
    )
    heads = (
        alt.Chart(alt.Data(values=head_rows))
        .mark_point(shape="triangle-right", filled=True, size=130, opacity=1)
        .encode(x=x, y=y, angle=alt.Angle("angle:Q", scale=None), color=shade)
    )
    nodes = (
        alt.Chart(alt.Data(values=node_rows))
        .mark_circle(size=2600, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "key:N", scale=alt.Scale(domain=list(theme.COMPANY), range=list(theme.COMPANY.values())), legend=None
            ),
            tooltip=[alt.Tooltip("company:N", title=" ")],
        )
    )
    names = (
        alt.Chart(alt.Data(values=node_rows))
        .mark_text(fontWeight=700, fontSize=13, color="#ffffff")
        .encode(x=x, y=y, text="company:N")
    )
    # a label left of the circle is right-aligned and vice versa: text never runs into an arc
    labels = [
        alt.Chart(alt.Data(values=label_rows), name=f"flow_labels_{side}")
        .transform_filter(f"datum.side == '{side}'")
        .mark_text(fontSize=13, lineHeight=17, align=align)
        .encode(x=x, y=y, text="lines:N", color=text_shade, tooltip=tooltip)
        for side, align in (("left", "right"), ("right", "left"), ("center", "center"))
    ]
    center = (
        alt.Chart(alt.Data(values=[{"x": 0, "y": 0, "t": text["center"]}]))
        .mark_text(fontSize=13, color=theme.MUTED)
        .encode(x=x, y=y, text="t:N")
    )
    description = text["description"].format(
        contract=facts["oracle_openai_contract"].display(lang),
        gpu=facts["oracle_nvidia_gpu_spend"].display(lang),
        invest=facts["nvidia_investment_max"].display(lang),
    )
    layers = alt.layer(arcs, heads, nodes, names, *labels, center).resolve_scale(color="independent")
    return layers.properties(
        width=400,
        height=400 * 3.12 / 3.9,
        title=alt.Title(text["title"], subtitle=text["subtitle"]),
        description=description,
    )
