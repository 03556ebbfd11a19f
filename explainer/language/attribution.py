"""Who says a fact or claim, and how sure they are: the statuses' rules, with their words as data.

Every fact and claim names a `speaker` (content/speakers.yaml, or one of the engine's roles:
explainer/language/speakers.py ROLES) and a `status` from STATUSES. A hedged status is never shown without its tag (see
explainer/check/guards.py); each language's names, tags and hedge words are in its locale file
(explainer/language/locales/<code>.yaml `statuses:`, overridable in content/ui/<code>.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass

from explainer.language.words import Words, words_in_use


@dataclass(frozen=True)
class Status:
    """How sure a statement is; its words in each language are in the locale files."""

    hedged: bool  # shown only with its hedge
    derived_only: bool = False  # given by the build to a figure it computed, never by an editor


STATUSES: dict[str, Status] = {
    "stated": Status(hedged=False),
    "expected": Status(hedged=True),
    "forecast": Status(hedged=True),
    "view": Status(hedged=True),
    "reported": Status(hedged=True),
    "rumoured": Status(hedged=True),  # hearsay the source passes on: weaker than 'reported'
    "claimed": Status(hedged=True),
    "possible": Status(hedged=True),
    "estimate": Status(hedged=True),
    "guess": Status(hedged=True),
    "opinion": Status(hedged=True),  # the author's own: another speaker's is a 'view'
    "derived": Status(hedged=True, derived_only=True),
}


@dataclass(frozen=True)
class Said:
    """How a statement is attributed in one language: who, how sure, and the hedge beside it."""

    speaker: str
    status: str
    hedge: str  # '' when the status needs none


def attributed(speaker: str, status: str, lang: str, words: Words | None = None) -> Said:
    """Say who says it and how sure, in a language: 董事长, 预测, 董事长预测."""
    words = words or words_in_use()
    name = words.speakers[speaker].name[lang]
    status_words = words.locale(lang).statuses[status]
    return Said(name, status_words.name, status_words.tag.format(speaker=name))


def hedge_tag(status: str, speaker: str, lang: str, words: Words | None = None) -> str:
    """The hedge shown beside a statement ('' when it needs none): 预计, the chair's forecast."""
    return attributed(speaker, status, lang, words).hedge


def names_speaker(text: str, speaker: str, lang: str, words: Words | None = None) -> bool:
    """Tell whether a text names its speaker (by name or alias)."""
    names = (words or words_in_use()).speakers[speaker].names(lang)
    return any(word.lower() in text.lower() for word in names)


def says_hedge(sentence: str, status: str, lang: str, words: Words | None = None) -> bool:
    """Tell whether a sentence already carries a status's hedge in its own words."""
    locale = (words or words_in_use()).locale(lang)
    low = sentence.lower()
    hedges = locale.statuses[status].words
    if locale.words_match == "word_start":
        return any(f" {word}" in f" {low}" or f"“{word}" in low or f'"{word}' in low for word in hedges)
    return any(word in low for word in hedges)


def vocabulary_problem(speaker: object, status: object, words: Words | None = None) -> str | None:
    """Say what is wrong with a speaker and status pair, or None."""
    speakers = (words or words_in_use()).speakers
    if speaker not in speakers:
        return f"unknown speaker {speaker!r}; use one of {', '.join(speakers)} (content/speakers.yaml)"
    if status not in STATUSES or STATUSES[status].derived_only:  # type: ignore[index]
        allowed = ", ".join(s for s, rule in STATUSES.items() if not rule.derived_only)
        return f"unknown status {status!r}; use one of {allowed} (derived figures get 'derived' themselves)"
    if status == "opinion" and speaker != "author":
        return "status 'opinion' is the author's; for another speaker's opinion use 'view'"
    return None
