"""ChatGPT's users against the few who pay: out of every 100 users, fewer than 3 pay."""

from __future__ import annotations

import altair as alt

from . import kit, theme

TEXT = {
    "zh": {
        "title": "ChatGPT：用户多，付费的少",
        "subtitle": "每个方块代表1%的用户；蓝框方块是付费用户所占比例的上限",
        "paying": "付费用户",
        "free": "其余用户",
        "who": "用户",
        "share": "占比",
        "users": "用户总数",
        "description": "ChatGPT 用户{users}，但付费用户{share}：每100名用户里，付费的不到{n}名。",
    },
    "en": {
        "title": "ChatGPT: many users, few payers",
        "subtitle": "Each square is 1% of users; outlined squares mark the upper bound of the paying share",
        "paying": "Paying users",
        "free": "Everyone else",
        "who": "Users",
        "share": "Share",
        "users": "All users",
        "description": "ChatGPT has {users} users, but {share} of them pay: fewer than {n} in every 100.",
    },
}

COLUMNS = 20
ROWS = 5


def chart(facts, lang: str, layout: kit.Layout) -> alt.LayerChart:
    """Draw 100 users as squares; outline the paying share (an upper bound) and label both facts."""
    text = TEXT[lang]
    users = facts["chatgpt_users"]
    share = facts["chatgpt_paying_share"]
    bound = round(share.value * 100)  # "less than 3%": at most this many squares in 100
    cells = [
        {
            "col": i % COLUMNS,
            "row": i // COLUMNS,
            "kind": "paying" if i < bound else "free",
            "who": text["paying"] if i < bound else text["free"],
            "share": share.display(lang) if i < bound else "",
        }
        for i in range(COLUMNS * ROWS)
    ]
    colon = "：" if lang == "zh" else ": "
    labels = [
        {
            "fact": share.id,
            "name": share.label[lang],
            "value": share.value,
            "col": 0,
            "row": ROWS,
            "text": f"■ {text['paying']}{colon}{share.display(lang)}",
        },
        {
            "fact": users.id,
            "name": users.label[lang],
            "value": users.value,
            "col": 0,
            "row": ROWS + 1,
            "text": f"{text['users']}{colon}{users.display(lang)}",
        },
    ]
    x = alt.X("col:O", axis=None, scale=alt.Scale(domain=list(range(COLUMNS))))
    y = alt.Y("row:O", axis=None, scale=alt.Scale(domain=list(range(ROWS + 2))))
    grid = (
        alt.Chart(alt.Data(values=cells))
        .mark_square(size=170, opacity=1, strokeWidth=1.5)
        .encode(
            x=x,
            y=y,
            fill=alt.Fill(
                "kind:N", scale=alt.Scale(domain=["paying", "free"], range=["#c6d8f5", "#dde3ea"]), legend=None
            ),
            stroke=alt.Stroke(
                "kind:N", scale=alt.Scale(domain=["paying", "free"], range=[theme.ACCENT, "#dde3ea"]), legend=None
            ),
            tooltip=[alt.Tooltip("who:N", title=text["who"]), alt.Tooltip("share:N", title=text["share"])],
        )
    )
    notes = (
        alt.Chart(alt.Data(values=labels))
        .mark_text(align="left", dx=-8, fontSize=13, fontWeight=600)
        .encode(
            x=x,
            y=y,
            text="text:N",
            color=alt.Color(
                "fact:N", scale=alt.Scale(domain=[share.id, users.id], range=[theme.ACCENT, theme.INK]), legend=None
            ),
        )
    )
    return alt.layer(grid, notes).properties(
        width=theme.WIDTH,
        height=150,
        title=alt.Title(text["title"], subtitle=text["subtitle"]),
        description=text["description"].format(users=users.display(lang), share=share.display(lang), n=bound),
    )
