"""Load content/claims.yaml: statements without a number that matter (a denial, a label, a verdict).

Each claim has a speaker and a status like a fact, the article's words (`quote`), our English
translation (`quote_en`) and our own sentence in each language (`text`), which names the
speaker and carries the hedge. Pages say {{ claim id }} for the sentence and {{ quote id }} for
the speaker's words, so both languages draw on one record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .attribution import SPEAKERS, STATUSES, hedge_tag, names_speaker, says_hedge, vocabulary_problem
from .errors import ContentError, Problem, relative
from .facts import ID_PATTERN, Book
from .quotes import QuoteChecker
from .yamlfile import read_yaml

FIELDS = ("speaker", "status", "quote", "quote_en", "text")


@dataclass(frozen=True)
class Claim:
    """One statement from the article, who makes it and how sure it is."""

    id: str
    speaker: str
    status: str
    quote: str
    quote_en: str
    text: dict[str, str]
    line: int | None = None
    text_lines: dict[str, int] = field(default_factory=dict)  # where each language's text is

    def speaker_name(self, lang: str) -> str:
        return SPEAKERS[self.speaker][lang]

    def status_name(self, lang: str) -> str:
        return STATUSES[self.status].name[lang]

    def hedge(self, lang: str) -> str:
        """The claim's hedge ('' if stated); its text always carries it."""
        return hedge_tag(self.status, self.speaker, lang)


class ClaimBook(Book[Claim]):
    """All claims by id."""

    kind = "claim"


def _check_claim(claim_id: str, entry: Any, languages: list[str], quotes: QuoteChecker) -> list[tuple[str, str]]:
    """What is wrong with one claim: (message, key) pairs."""
    if not ID_PATTERN.match(claim_id):
        return [("ids are lower_snake_case (letters, digits, underscores)", "")]
    if not isinstance(entry, dict):
        return [(f"expected a mapping with {', '.join(FIELDS)}", "")]
    found = [
        (f"missing '{key}'; add it (see the comment at the top of the file)", "") for key in FIELDS if key not in entry
    ]
    found += [(f"unknown key '{key}'; known keys: {', '.join(FIELDS)}", key) for key in entry if key not in FIELDS]
    if found:
        return found
    if (why := vocabulary_problem(entry["speaker"], entry["status"])) is not None:
        return [(why, "status" if entry["speaker"] in SPEAKERS else "speaker")]
    for key in ("quote", "quote_en"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            found.append(("expected the article's words" if key == "quote" else "expected our translation", key))
    if not found and (why := quotes.check(f"claim.{claim_id}", entry["quote"])) is not None:
        found.append((why, "quote"))
    texts = entry["text"]
    if not isinstance(texts, dict):
        return [*found, (f"expected one text per language ({', '.join(languages)})", "text")]
    for lang in languages:
        text = texts.get(lang)
        if not isinstance(text, str) or not text.strip():
            found.append((f"missing the '{lang}' text; add `{lang}: ...`", "text"))
        elif not names_speaker(text, entry["speaker"], lang):
            name = SPEAKERS[entry["speaker"]][lang]
            found.append((f"the '{lang}' text does not name its speaker ({name}); say who says it", f"text.{lang}"))
        elif STATUSES[entry["status"]].hedged and not says_hedge(text, entry["status"], lang):
            tag = hedge_tag(entry["status"], entry["speaker"], lang)
            message = f"the '{lang}' text drops the hedge of a {entry['status']} claim; say it ({tag!r})"
            found.append((message, f"text.{lang}"))
    return found


def load_claims(path: Path, languages: list[str], quotes: QuoteChecker) -> ClaimBook:
    """Read and check every claim; raise ContentError listing all problems at once."""
    if not path.exists():
        return ClaimBook({})
    doc, problems = read_yaml(path)
    claims: dict[str, Claim] = {}
    shown = relative(path)
    if doc is not None and doc.data is not None:
        if not isinstance(doc.data, dict):
            problems.append(Problem(shown, 1, "expected a mapping of claim ids to claims"))
        else:
            for claim_id, entry in doc.data.items():
                claim_id = str(claim_id)
                found = _check_claim(claim_id, entry, languages, quotes)
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
                        quote_en=entry["quote_en"].strip(),
                        text={lang: entry["text"][lang].strip() for lang in languages},
                        line=doc.line(claim_id),
                        text_lines={lang: doc.line(claim_id, "text", lang) or 1 for lang in languages},
                    )
    if problems:
        raise ContentError(problems)
    return ClaimBook(claims)
