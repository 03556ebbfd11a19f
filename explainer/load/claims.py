"""Load content/claims.yaml: statements without a number that matter (a denial, a label, a verdict).

Each claim has a speaker and a status like a fact, the article's words (`quote`), our translation
of them into every other site language (`translations`) and our own sentence in each language
(`text`), which names the
speaker and carries the hedge. Pages say {{ claim id }} for the sentence and {{ quote id }} for
the speaker's words, so both languages draw on one record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explainer.core.characters import id_problem
from explainer.core.errors import ContentError, Problem, relative
from explainer.core.yamlfile import ParsedYaml, read_yaml
from explainer.language.attribution import STATUSES, Said, attributed, names_speaker, says_hedge, vocabulary_problem
from explainer.language.words import Words, load_words
from explainer.load.facts import ID_PATTERN, Book, translation_problems
from explainer.load.quotes import QuoteChecker

FIELDS = ("speaker", "status", "quote", "translations", "text")


@dataclass(frozen=True)
class Claim:
    """One statement from the article, who makes it and how sure it is."""

    id: str
    speaker: str
    status: str
    quote: str
    translations: dict[str, str]  # the quote in the other languages: ours
    text: dict[str, str]
    line: int | None = None
    text_lines: dict[str, int] = field(default_factory=dict)  # where each language's text is
    said: dict[str, Said] = field(default_factory=dict)  # who and how sure, per language

    def speaker_name(self, lang: str) -> str:
        return self.said[lang].speaker

    def status_name(self, lang: str) -> str:
        return self.said[lang].status

    def hedge(self, lang: str) -> str:
        """The claim's hedge ('' if stated); its text always carries it."""
        return self.said[lang].hedge

    def translation(self, lang: str) -> str:
        """The quote in a language: the article's words in its own, else our translation."""
        return self.translations.get(lang, self.quote)


class ClaimBook(Book[Claim]):
    """All claims by id."""

    kind = "claim"


def _check_claim(claim_id: str, entry: Any, words: Words, quotes: QuoteChecker) -> list[tuple[str, str]]:
    """What is wrong with one claim: (message, key) pairs."""
    if not ID_PATTERN.match(claim_id):
        return [(id_problem(str(claim_id)), "")]
    if not isinstance(entry, dict):
        return [(f"expected a mapping with {', '.join(FIELDS)}", "")]
    found = [(f"missing '{key}'; add it (a claim has {', '.join(FIELDS)})", "") for key in FIELDS if key not in entry]
    found += [(f"unknown key '{key}'; known keys: {', '.join(FIELDS)}", key) for key in entry if key not in FIELDS]
    if found:
        return found
    languages = words.codes
    if (why := vocabulary_problem(entry["speaker"], entry["status"], words)) is not None:
        return [(why, "status" if entry["speaker"] in words.speakers else "speaker")]
    if not isinstance(entry["quote"], str) or not entry["quote"].strip():
        found.append(("expected the article's words", "quote"))
    found += [(message, ".".join(key)) for message, key in translation_problems(entry["translations"], languages)]
    if not found and (why := quotes.check(f"claim.{claim_id}", entry["quote"])) is not None:
        found.append((why, "quote"))
    texts = entry["text"]
    if not isinstance(texts, dict):
        return [*found, (f"expected one text per language ({', '.join(languages)})", "text")]
    for lang in languages:
        text = texts.get(lang)
        if not isinstance(text, str) or not text.strip():
            found.append((f"missing the '{lang}' text; add `{lang}: ...`", "text"))
        elif not names_speaker(text, entry["speaker"], lang, words):
            name = words.speakers[entry["speaker"]].name[lang]
            found.append((f"the '{lang}' text does not name its speaker ({name}); say who says it", f"text.{lang}"))
        elif STATUSES[entry["status"]].hedged and not says_hedge(text, entry["status"], lang, words):
            tag = attributed(entry["speaker"], entry["status"], lang, words).hedge
            message = f"the '{lang}' text drops the hedge of a {entry['status']} claim; say it ({tag!r})"
            found.append((message, f"text.{lang}"))
    return found


def load_claims(
    path: Path, languages: list[str], quotes: QuoteChecker, words: Words | None = None, kept: ParsedYaml | None = None
) -> ClaimBook:
    """Read and check every claim; raise ContentError listing all problems at once. Without
    `words`, the words of the project the file is in (its folder)."""
    if not path.exists():
        return ClaimBook({})
    words = words if words is not None else load_words(path.parent, languages)
    doc, problems = read_yaml(path, kept=kept)
    claims: dict[str, Claim] = {}
    shown = relative(path)
    if doc is not None and doc.data is not None:
        if not isinstance(doc.data, dict):
            problems.append(Problem(shown, 1, "expected a mapping of claim ids to claims"))
        else:
            for claim_id, entry in doc.data.items():
                claim_id = str(claim_id)
                found = _check_claim(claim_id, entry, words, quotes)
                for message, key in found:
                    path_keys = (claim_id, *key.split(".")) if key else (claim_id,)
                    label = f"claims[{claim_id}]{'.' + key.split('.')[0] if key else ''}"
                    problems.append(Problem(shown, doc.line(*path_keys), f"{label}: {message}"))
                if not found:
                    claims[claim_id] = Claim(
                        id=claim_id,
                        speaker=entry["speaker"],
                        status=entry["status"],
                        quote=entry["quote"],
                        translations={lang: text.strip() for lang, text in entry["translations"].items()},
                        text={lang: entry["text"][lang].strip() for lang in languages},
                        line=doc.line(claim_id),
                        text_lines={lang: doc.line(claim_id, "text", lang) or 1 for lang in languages},
                        said={lang: attributed(entry["speaker"], entry["status"], lang, words) for lang in languages},
                    )
    if problems:
        raise ContentError(problems)
    return ClaimBook(claims)
