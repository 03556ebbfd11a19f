"""ChatGPT's users against the few who pay: fewer than 3 in every 100."""

from __future__ import annotations

import altair as alt

from . import theme

TEXT = {
    "zh": {
        "title": "ChatGPT：用户多，付费的少",
        "subtitle": "用户{users}；每100名用户中，付费的{paying_each}",
        "paying": "付费用户（不到3名）",
        "free": "免费用户",
        "who": "用户",
        "share": "占比",
        "paying_each": "不到3名",
        "description": "ChatGPT 用户{users}，但付费用户{share}，也就是每100名用户中付费的不到3名。",
    },
    "en": {
        "title": "ChatGPT: many users, few payers",
        "subtitle": "{users} users; of every 100, {paying_each} pay",
        "paying": "Paying (fewer than 3)",
        "free": "Not paying",
        "who": "Users",
        "share": "Share",
        "paying_each": "fewer than 3",
        "description": "ChatGPT has {users} users, but {share} of them pay: fewer than 3 in every 100.",
    },
}

COLUMNS = 20


def chart(facts, lang: str) -> alt.LayerChart:
    """Draw 100 users as squares and mark the paying ones (an upper bound, so outlined)."""
    text = TEXT[lang]
    users = facts["chatgpt_users"]
    share = facts["chatgpt_paying_share"]
    paying_cells = round(share.value * 100)
    cells = [
        {
            "col": i % COLUMNS,
            "row": i // COLUMNS,
            "kind": text["paying"] if i < paying_cells else text["free"],
            "share": share.display(lang) if i < paying_cells else "",
        }
        for i in range(100)
    ]
    facts_rows = [
        {"fact": users.id, "name": users.label[lang], "value": users.value, "label": users.display(lang)},
        {"fact": share.id, "name": share.label[lang], "value": share.value, "label": share.display(lang)},
    ]
    grid = (
        alt.Chart(alt.Data(values=cells))
        .mark_square(size=300, opacity=1)
        .encode(
            x=alt.X("col:O", axis=None),
            y=alt.Y("row:O", axis=None),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=[text["paying"], text["free"]], range=[theme.ACCENT, "#c9d3df"]),
                legend=alt.Legend(title=None, orient="bottom", direction="horizontal", symbolType="square"),
            ),
            tooltip=[alt.Tooltip("kind:N", title=text["who"]), alt.Tooltip("share:N", title=text["share"])],
        )
    )
    sources = alt.Chart(alt.Data(values=facts_rows)).mark_text(opacity=0).encode(text="label:N")
    return alt.layer(grid, sources).properties(
        width=theme.WIDTH,
        height=120,
        title=alt.Title(
            text["title"], subtitle=text["subtitle"].format(users=users.display(lang), paying_each=text["paying_each"])
        ),
        description=text["description"].format(users=users.display(lang), share=share.display(lang)),
    )
