"""Who says a fact or claim, and how sure they are: one table of speakers, one of statuses.

Every fact and claim names a `speaker` and a `status` from these tables, so both languages
draw the attribution from one record. A status with a `tag` is a hedge: the site never shows
the figure or claim without it (see explainer/guards.py).
"""

from __future__ import annotations

from dataclasses import dataclass

# speaker id -> its name in each language (as a table cell and inside a hedge tag)
SPEAKERS: dict[str, dict[str, str]] = {
    "author": {"zh": "作者", "en": "the author"},
    "huang": {"zh": "黄仁勋", "en": "Jensen Huang"},
    "altman": {"zh": "奥尔特曼", "en": "Sam Altman"},
    "zuckerberg": {"zh": "扎克伯格", "en": "Mark Zuckerberg"},
    "bloomberg": {"zh": "彭博社", "en": "Bloomberg"},
    "bain": {"zh": "贝恩公司", "en": "Bain"},
    "insiders": {"zh": "知情人士", "en": "people familiar with the matter"},
    "unnamed_sources": {"zh": "未具名消息（据透露）", "en": "unnamed sources"},
    "rumour": {"zh": "传闻", "en": "rumours"},
    "openai_documents": {"zh": "OpenAI 财务文件", "en": "OpenAI's financial documents"},
    "unattributed_forecast": {
        "zh": "最乐观的预测（文中未注明出处）",
        "en": "the most optimistic forecast (source not named)",
    },
    "third_party_count": {"zh": "第三方统计", "en": "a third-party count"},
    "statistics": {"zh": "统计数据（据统计）", "en": "statistics the article cites"},
    "nvidia_results": {"zh": "英伟达最新财报", "en": "Nvidia's latest results"},
    "oracle": {"zh": "甲骨文", "en": "Oracle"},
    "nvidia": {"zh": "英伟达", "en": "Nvidia"},
    "openai": {"zh": "OpenAI", "en": "OpenAI"},
    "nvidia_openai": {"zh": "英伟达与 OpenAI", "en": "Nvidia and OpenAI"},
    "explainer": {"zh": "本站", "en": "this site"},
}


# Besides its name, the words by which a text may name a speaker (a claim must name its own).
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "author": {"zh": ("作者", "文章"), "en": ("author", "article")},
    "huang": {"zh": ("黄仁勋",), "en": ("Huang",)},
    "altman": {"zh": ("奥尔特曼",), "en": ("Altman",)},
    "zuckerberg": {"zh": ("扎克伯格",), "en": ("Zuckerberg",)},
    "rumour": {"zh": ("传闻",), "en": ("rumour", "rumor")},
    "unnamed_sources": {"zh": ("据透露",), "en": ("reportedly",)},
}


def names_speaker(text: str, speaker: str, lang: str) -> bool:
    """Tell whether a text names its speaker (by name or alias)."""
    words = (SPEAKERS[speaker][lang], *ALIASES.get(speaker, {}).get(lang, ()))
    return any(word.lower() in text.lower() for word in words)


@dataclass(frozen=True)
class Status:
    """How sure a statement is: its name, the hedge shown beside it, and the words that carry it."""

    name: dict[str, str]
    # shown beside a figure when its sentence does not already say it; "{speaker}" is filled in
    tag: dict[str, str]
    # words that carry this hedge in a sentence (lower case; English matches word beginnings)
    words: dict[str, tuple[str, ...]]

    @property
    def hedged(self) -> bool:
        """Tell whether this status must always be shown with its hedge."""
        return any(self.tag.values())


STATUSES: dict[str, Status] = {
    "stated": Status({"zh": "陈述", "en": "stated"}, {"zh": "", "en": ""}, {"zh": (), "en": ()}),
    "expected": Status(
        {"zh": "预计", "en": "expected"},
        {"zh": "预计", "en": "expected"},
        {"zh": ("预计", "预期"), "en": ("expect", "projected")},
    ),
    "forecast": Status(
        {"zh": "预测", "en": "forecast"},
        {"zh": "{speaker}预测", "en": "{speaker}'s forecast"},
        {"zh": ("预测", "预计", "预言"), "en": ("forecast", "predict")},
    ),
    "view": Status(
        {"zh": "看法", "en": "view"},
        {"zh": "{speaker}认为", "en": "in {speaker}'s view"},
        {"zh": ("认为", "看来", "判断", "相信"), "en": ("view", "thinks", "believes", "argues", "argued", "suggest")},
    ),
    "reported": Status(
        {"zh": "据透露", "en": "reported"},
        {"zh": "据透露", "en": "reportedly"},
        {"zh": ("据透露", "知情人士", "据称", "传闻"), "en": ("reported", "familiar with", "rumour", "rumor")},
    ),
    "claimed": Status(
        {"zh": "号称", "en": "claimed"},
        {"zh": "号称", "en": "claimed"},
        {"zh": ("号称", "宣称"), "en": ("billed", "claim")},
    ),
    "possible": Status(
        {"zh": "可能", "en": "possible"},
        {"zh": "可能", "en": "possibly"},
        {"zh": ("可能", "或许", "也许"), "en": ("may", "might", "could", "possibl", "perhaps")},
    ),
    "estimate": Status(
        {"zh": "测算", "en": "estimate"},
        {"zh": "{speaker}测算", "en": "{speaker}'s estimate"},
        {"zh": ("测算", "估算"), "en": ("estimate",)},
    ),
    "guess": Status(
        {"zh": "估计", "en": "guess"},
        {"zh": "{speaker}估计", "en": "{speaker}'s guess"},
        {"zh": ("估计", "猜测", "猜想", "应该"), "en": ("guess", "presum", "suspect")},
    ),
    "opinion": Status(
        {"zh": "作者观点", "en": "the author's opinion"},
        {"zh": "{speaker}的看法", "en": "{speaker}'s opinion"},
        {"zh": ("作者", "在作者看来", "认为"), "en": ("the author", "the article", "argues", "in its view")},
    ),
    "derived": Status(
        {"zh": "本站推算", "en": "derived"},
        {"zh": "推算", "en": "derived"},
        {"zh": ("推算",), "en": ("derived", "arithmetic")},
    ),
}


def hedge_tag(status: str, speaker: str, lang: str) -> str:
    """The hedge shown beside a statement ('' when it needs none): 预计, Jensen Huang's forecast."""
    tag = STATUSES[status].tag.get(lang, "")
    name = SPEAKERS[speaker][lang]
    return tag.format(speaker=name)


def says_hedge(sentence: str, status: str, lang: str) -> bool:
    """Tell whether a sentence already carries a status's hedge in its own words."""
    words = STATUSES[status].words.get(lang, ())
    low = sentence.lower()
    if lang == "en":
        return any(f" {word}" in f" {low}" or f"“{word}" in low or f'"{word}' in low for word in words)
    return any(word in low for word in words)


def vocabulary_problem(speaker: object, status: object) -> str | None:
    """Say what is wrong with a speaker and status pair, or None."""
    if speaker not in SPEAKERS:
        return f"unknown speaker {speaker!r}; use one of {', '.join(SPEAKERS)} (explainer/attribution.py)"
    if status not in STATUSES or status == "derived":
        allowed = ", ".join(s for s in STATUSES if s != "derived")
        return f"unknown status {status!r}; use one of {allowed} (derived figures get 'derived' themselves)"
    if status == "opinion" and speaker != "author":
        return "status 'opinion' is the author's; for another speaker's opinion use 'view'"
    return None
