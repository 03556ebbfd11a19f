"""ChatGPT's users against the few who pay: out of every 100 users, fewer than 3 pay."""

from __future__ import annotations

import altair as alt

from explainer.chartkit import kit

from . import _theme as theme

TEXT = {
    "zh": {
        "title": "每100名 ChatGPT 用户中，付费的不到{n}名",
        "subtitle": "ChatGPT 用户中付费用户的占比（据统计）；每个方块代表1%的用户",
        "paying": "蓝色虚线框：付费用户，{share}；画出的{n}格是上限",
        "free": "灰色：其余用户（用户总数{users}）",
        "who": {"paying": "付费用户（上限）", "free": "其余用户"},
        "rest": "超过{rest}",
        "description": "据统计，ChatGPT 用户数{users}，其中付费的{share}：每100名用户里不到{n}名。",
    },
    "en": {
        "title": "Fewer than {n} in every 100 ChatGPT users pay",
        "subtitle": "Share of ChatGPT users who pay, according to statistics the article cites; each square is 1% of users",
        "paying": "Blue dashed outline: paying users, {share}; the {n} squares drawn are the upper bound",
        "free": "Grey: everyone else, of {users} users in all",
        "who": {"paying": "Paying users (upper bound)", "free": "Everyone else"},
        "rest": "more than {rest}",
        "description": "According to statistics the article cites, ChatGPT has {users} users, but {share} of them pay: fewer than {n} in every 100.",
    },
}
# each square's look by kind: the paying share's bound is a dashed, see-through outline
STYLE = {
    "stroke": {"paying": theme.ACCENT, "free": "transparent"},
    "fill": {"paying": theme.ACCENT, "free": theme.UNKNOWN},
    "fillOpacity": {"paying": 0.3, "free": 1},
}
PLOTS = ("fact", "name", "value", "unit", "kind", "gap", "display", "amount")  # what a square of the bound carries


def chart(facts, lang: str, layout: kit.Layout) -> alt.LayerChart:
    """Draw 100 users as squares (10 x 10 on a phone, 20 x 5 on a desktop); outline the paying share's bound."""
    text = TEXT[lang]
    users, share = kit.row(facts["chatgpt_users"], lang, "count"), kit.row(facts["chatgpt_paying_share"], lang, "share")
    bound = 0 if share["gap"] else round(share["value"] * 100)  # "less than 3%": at most this many squares in 100
    cells = [
        {**({k: share[k] for k in PLOTS} if i < bound else {}), "group": "paying" if i < bound else "free"}
        for i in range(100)
    ]
    # the rest's square says how many the rest are: our arithmetic (100% less the bound), marked so
    rest = kit.say(lang, "gap")  # without the share, how many the rest are is not in the article either
    if not share["gap"]:
        rest = text["rest"].format(rest=kit.format_amount((100 - bound) / 100, "share", lang))
        rest += kit.say(lang, "paren").format(kit.say(lang, "derived"))
    for cell in cells:
        cell.update(what=text["who"][cell["group"]], display=cell.get("display", rest), amount=cell.get("amount", rest))
    _side, bottom = kit.grid(cells, 10 if layout.narrow else 20, layout.inner, 3)
    say = {"users": users["display"], "share": share["display"], "n": bound}
    notes = [
        {**share, "words": kit.gap_words(share, lang) if share["gap"] else text["paying"].format(**say)},
        {**users, "words": kit.gap_words(users, lang) if users["gap"] else text["free"].format(**say)},
    ]
    key = {theme.ACCENT: notes[0]["words"], theme.UNKNOWN: notes[1]["words"]}  # the squares' colours, as the notes say
    height = kit.stack(notes, bottom + 10, layout.inner)
    style = {
        c: {"field": "group", "type": "nominal", "scale": kit.scale(look), "legend": None} for c, look in STYLE.items()
    }
    squares = (
        alt.Chart(kit.data(cells))
        .mark_rect(strokeWidth=2, strokeDash=alt.ExprRef("datum.group == 'paying' ? [3, 2] : []"))
        .encode(
            x=kit.pixels("x"),
            x2="x2:Q",
            y=kit.pixels("y"),
            y2="y2:Q",
            tooltip=kit.tooltip(lang, "what"),
            **style,
        )
    )
    chart = alt.layer(squares, kit.text(notes)).properties(height=height)
    return kit.finish(chart, layout, *(text[k].format(**say) for k in ("title", "subtitle", "description")), key=key)
