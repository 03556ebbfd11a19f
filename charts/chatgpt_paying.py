"""ChatGPT's users against the few who pay: out of every 100 users, fewer than 3 pay."""

from __future__ import annotations

import altair as alt

from . import kit, theme

TEXT = {
    "zh": {
        "title": "每100名 ChatGPT 用户中，付费的不到{n}名",
        "subtitle": "ChatGPT 用户中付费用户的占比（据统计）；每个方块代表1%的用户",
        "paying": "蓝色虚线框：付费用户占比的上限（{share}）",
        "free": "灰色：其余用户（用户总数{users}）",
        "who": {"paying": "付费用户（上限）", "free": "其余用户"},
        "description": "据统计，ChatGPT 用户{users}，但付费用户{share}：每100名用户里，付费的不到{n}名。",
    },
    "en": {
        "title": "Fewer than {n} in every 100 ChatGPT users pay",
        "subtitle": "Share of ChatGPT users who pay, according to statistics the article cites; each square is 1% of users",
        "paying": "Blue dashed outline: the paying share's upper bound ({share})",
        "free": "Grey: everyone else, of {users} users in all",
        "who": {"paying": "Paying users (upper bound)", "free": "Everyone else"},
        "description": "According to statistics the article cites, ChatGPT has {users} users, but {share} of them pay: fewer than {n} in every 100.",
    },
}
# stroke, fill, dashes, fill opacity: the bound is a dashed, see-through square
STYLE = {"paying": (theme.ACCENT, theme.ACCENT, [3, 2], 0.3), "free": (theme.UNKNOWN, theme.UNKNOWN, [1, 0], 1)}


def chart(facts, lang: str, layout: kit.Layout) -> alt.LayerChart:
    """Draw 100 users as squares (10 x 10 on a phone, 20 x 5 on a desktop); outline the paying share's bound."""
    text, across = TEXT[lang], 10 if layout.narrow else 20
    share, users = kit.row(facts["chatgpt_paying_share"], lang, "share"), kit.row(facts["chatgpt_users"], lang, "count")
    bound = 0 if share["gap"] else round(share["value"] * 100)  # "less than 3%": at most this many squares in 100
    step = layout.inner / across
    cells = [
        {"x": (i % across + 0.5) * step, "y": (i // across + 0.5) * step, "kind": "paying" if i < bound else "free"}
        for i in range(100)
    ]
    for cell in cells:
        cell.update(what=text["who"][cell["kind"]], display=share["display"] if cell["kind"] == "paying" else "")
    top = 100 // across * step + 8
    paying = (
        text["paying"].format(share=share["display"])
        if not share["gap"]
        else f"{share['name']}{kit.say(lang, 'colon')}{share['label']}"
    )
    notes = [
        {**share, "lines": kit.wrap(paying, layout.inner, theme.TEXT_SIZE)},
        {**users, "lines": kit.wrap(text["free"].format(users=users["display"]), layout.inner, theme.TEXT_SIZE)},
    ]
    for i, note in enumerate(notes):
        note.update(x=0, y=top + sum(17 * len(n["lines"]) + 6 for n in notes[:i]))
    scale = {i: alt.Scale(domain=list(STYLE), range=[s[i] for s in STYLE.values()]) for i in range(4)}
    x, y = kit.pixels("x"), kit.pixels("y")
    squares = alt.Chart(kit.data(cells)).mark_square(size=(step - 4) ** 2 * 0.8, opacity=1, strokeWidth=2)
    layers = [
        squares.encode(
            x=x,
            y=y,
            stroke=alt.Stroke("kind:N", scale=scale[0], legend=None),
            fill=alt.Fill("kind:N", scale=scale[1], legend=None),
            strokeDash=alt.StrokeDash("kind:N", scale=scale[2], legend=None),
            fillOpacity=alt.FillOpacity("kind:N", scale=scale[3], legend=None),
            tooltip=kit.tooltip(lang, "what", "display"),
        ),
        alt.Chart(kit.data(notes))
        .mark_text(align="left", baseline="top", lineHeight=17)
        .encode(x=x, y=y, text="lines:N"),
    ]
    height = notes[1]["y"] + 17 * len(notes[1]["lines"])
    say = {"users": users["display"], "share": share["display"], "n": bound}
    chart = alt.layer(*layers).properties(height=height)
    return kit.finish(chart, layout, text["title"].format(**say), text["subtitle"], text["description"].format(**say))
