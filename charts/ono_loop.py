"""The ONO loop: what OpenAI, Oracle and Nvidia have promised each other, sized by amount and styled by kind."""

from __future__ import annotations

import math

import altair as alt

from . import kit, theme

TEXT = {
    "zh": {
        "title": "OpenAI 承诺付给甲骨文的钱，多于据透露英伟达将投给 OpenAI 的钱",
        "subtitle": "三家公司之间的合同与承诺（美元），不是已付的钱；箭头宽度表示金额",
        "companies": {"openai": "OpenAI", "oracle": "甲骨文", "nvidia": "英伟达"},
        "flows": {"contract": "云算力采购合同", "purchase": "购买 GPU", "pledge": "投资"},
        "per_gw": "每吉瓦{per_gw}",
        "key": {
            "contract": "实线：采购合同（承诺购买）",
            "pledge": "虚线：“至多”的投资，按部署的吉瓦数分批（据透露）",
            "gap": "点线：金额文章未给出",
        },
        "note": "彭博社称之为“循环交易与循环营收”；黄仁勋否认：“收入端与投资端无关。”",
        "description": "OpenAI 与甲骨文签下{contract}的云算力采购合同，甲骨文向英伟达购买 GPU（金额文章未给出），据透露英伟达将向 OpenAI 投资{invest}：流向甲骨文的承诺多于流回 OpenAI 的，而且都是承诺，不是已付的钱。",
    },
    "en": {
        "title": "More is promised to Oracle than Nvidia is reported to invest back in OpenAI",
        "subtitle": "Contracts and pledges between the three companies in US$, not payments made; arrow width shows the amount",
        "companies": {"openai": "OpenAI", "oracle": "Oracle", "nvidia": "Nvidia"},
        "flows": {"contract": "Compute contract", "purchase": "GPU purchases", "pledge": "Investment"},
        "per_gw": "{per_gw} per GW",
        "key": {
            "contract": "Solid: purchase contract (a commitment to buy)",
            "pledge": "Dashed: investment of “up to”, at a set amount per gigawatt deployed (reported)",
            "gap": "Dotted: amount not in the article",
        },
        "note": "Bloomberg calls it “circular deals and circular revenue”; Huang denies a link: “revenue and investment are unrelated” (our translation).",
        "description": "OpenAI signed a {contract} compute contract with Oracle, Oracle buys Nvidia GPUs (the article gives no amount), and Nvidia is reported to invest {invest} in OpenAI: more is promised to Oracle than flows back to OpenAI, and all of it is promised, not paid.",
    },
}
# (flow, payer, payee, fact); nodes on a circle, money flowing clockwise as the article tells it
FLOWS = (
    ("contract", "openai", "oracle", "oracle_openai_contract"),
    ("purchase", "oracle", "nvidia", "oracle_nvidia_gpu_spend"),
    ("pledge", "nvidia", "openai", "nvidia_investment_max"),
)
ANGLES = {"openai": 90.0, "oracle": -30.0, "nvidia": 210.0}
STYLE = {"contract": [1, 0], "pledge": [8, 5], "purchase": [1, 0], "gap": [2, 4]}  # dashes by kind of flow
COLOUR = {"contract": theme.ACCENT, "pledge": theme.ACCENT, "purchase": theme.ACCENT, "gap": theme.UNKNOWN}
NODE = 26  # node radius, px


def _label(row: dict, text: dict, per_gw: str, geometry: tuple, layout: kit.Layout) -> dict:
    """Place a flow's label beside its arc (centred below the bottom one), its lines fitted to the room."""
    cx, cy, r, middle = geometry
    cos, sin = math.cos(math.radians(middle)), math.sin(math.radians(middle))
    align = "center" if abs(cos) < 0.3 else ("left" if cos > 0 else "right")
    room = layout.inner if align == "center" else cx - r * abs(cos) - row["width"] / 2 - 12
    amount = kit.wrap(row["display" if not layout.narrow else "label"], room, theme.TEXT_SIZE)
    extra = [text["per_gw"].format(per_gw=per_gw)] if row["flow"] == "pledge" and not row["gap"] else []
    lines = kit.wrap(row["what"], room, theme.TEXT_SIZE) + amount + extra
    x = cx + (r + row["width"] / 2 + 10) * cos
    y = cy + r + row["width"] / 2 + 8 if align == "center" else cy - r * sin - 8 * len(lines)
    return {"x": x, "y": y, "align": align, "lines": lines}


def chart(facts, lang: str, layout: kit.Layout) -> alt.LayerChart:
    """Draw the three companies on a circle with one arrow per flow: width = amount, dashes = kind."""
    text, size, widest = TEXT[lang], (layout.inner if layout.narrow else 400), (11 if layout.narrow else 16)
    r, cx, cy = (54 if layout.narrow else 84), size / 2, NODE + (50 if layout.narrow else 56)
    rows = [kit.row(facts[f], lang, "deal", flow=k, what=text["flows"][k], payer=a, payee=b) for k, a, b, f in FLOWS]
    largest, arcs, heads = max([row["value"] for row in rows if not row["gap"]] or [1]), [], []
    for row in rows:
        row["style"] = "gap" if row["gap"] else row["flow"]
        row["width"] = 1.5 if row["gap"] else max(2.0, widest * row["value"] / largest)
        path, head, middle = kit.arc(cx, cy, r, ANGLES[row["payer"]], ANGLES[row["payee"]], NODE + 4 + row["width"])
        keep = {k: row[k] for k in ("flow", "style", "width", "what", "display")}
        arcs += [{**keep, "order": i, "x": x, "y": y} for i, (x, y) in enumerate(path)]
        heads.append({**keep, **head, "size": (row["width"] * 2 + 9) ** 2})
        row.update(_label(row, text, facts["nvidia_investment_per_gw"].short(lang), (cx, cy, r, middle), layout))
    at = {k: (cx + r * math.cos(math.radians(a)), cy - r * math.sin(math.radians(a))) for k, a in ANGLES.items()}
    nodes = [{"key": k, "name": text["companies"][k], "x": x, "y": y} for k, (x, y) in at.items()]
    loop_height = max(row["y"] + 17 * len(row["lines"]) for row in rows)
    key_x, key_y = (0, loop_height + 16) if layout.narrow else (size + 16, cy - r)
    entries = [(STYLE[s], 2 if s == "gap" else 3, COLOUR[s], text["key"][s]) for s in ("contract", "pledge", "gap")]
    key, key_height = kit.key([*entries, (None, 0, None, text["note"])], key_x, key_y, layout.inner - key_x)
    x, y = kit.pixels("x"), kit.pixels("y")
    style = {
        "color": alt.Color("style:N", scale=alt.Scale(domain=list(COLOUR), range=list(COLOUR.values())), legend=None)
    }
    tip = kit.tooltip(lang, "what", "display")
    layers = [
        alt.Chart(kit.data(arcs))
        .mark_line()
        .encode(
            x=x,
            y=y,
            detail="flow:N",
            order="order:Q",
            strokeDash=alt.StrokeDash(
                "style:N", scale=alt.Scale(domain=list(STYLE), range=list(STYLE.values())), legend=None
            ),
            strokeWidth=alt.StrokeWidth("width:Q", scale=None),
            tooltip=tip,
            **style,
        ),
        alt.Chart(kit.data(heads))
        .mark_point(shape="triangle-right", filled=True, opacity=1)
        .encode(
            x=x, y=y, angle=alt.Angle("angle:Q", scale=None), size=alt.Size("size:Q", scale=None), tooltip=tip, **style
        ),
        alt.Chart(kit.data(nodes))
        .mark_circle(size=math.pi * NODE**2, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "key:N", scale=alt.Scale(domain=list(theme.COMPANY), range=list(theme.COMPANY.values())), legend=None
            ),
            tooltip=alt.Tooltip("name:N", title=kit.say(lang, "what")),
        ),
        alt.Chart(kit.data(nodes)).mark_text(fontWeight=700, color=theme.ON_MARK).encode(x=x, y=y, text="name:N"),
        *[
            alt.Chart(kit.data([row for row in rows if row["align"] == a]))
            .mark_text(align=a, baseline="top", lineHeight=17)
            .encode(x=x, y=y, text="lines:N", tooltip=kit.tooltip(lang))
            for a in ("left", "right", "center")
        ],
        *key,
    ]
    height = key_y + key_height if layout.narrow else max(loop_height, key_y + key_height)
    description = text["description"].format(contract=rows[0]["display"], invest=rows[2]["display"])
    chart = alt.layer(*layers).resolve_scale(color="independent").properties(height=height)
    return kit.finish(chart, layout, text["title"], text["subtitle"], description)
