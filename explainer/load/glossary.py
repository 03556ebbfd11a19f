"""Load content/glossary.yaml: the terms a newcomer needs, explained once, in each site language.

Pages say {{ term id }} where a term first appears; the page gets a numbered note at its foot
(plain links, no JavaScript), and the glossary page lists every term with {{ glossary }}.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from explainer.core.characters import id_problem, shows_anything
from explainer.core.errors import ContentError, Problem, relative
from explainer.core.yamlfile import ParsedYaml, read_yaml
from explainer.load.facts import ID_PATTERN

# a work's title (and a translation of it in brackets after it): quoted, not a use of a term
TITLE = re.compile(r"《[^》\n]*》(?:\s*[（(][^)）\n]*[)）])?")


@dataclass(frozen=True)
class Term:
    """One term: the word and its short explanation, per language."""

    id: str
    word: dict[str, str]
    note: dict[str, str]

    def first_use(self, text: str, lang: str) -> re.Match[str] | None:
        """The first place a text uses the term's word (any case; an English word as a whole
        word, plurals included), outside a quoted title."""
        return first_use(text, self.word.get(lang, ""))


def _word_pattern(word: str) -> re.Pattern[str]:
    """A glossary word as a text may write it: in any case, its words split by any spaces or a
    line break (Markdown wraps lines), and a word of Latin letters as a whole word, plurals
    included ('loop' and 'loops', not 'loophole')."""

    def latin(char: str) -> bool:
        return char.isascii() and char.isalnum()

    written = r"\s+".join(re.escape(part) for part in word.split()) or re.escape(word)
    # a Latin word's edges are Latin letters and digits, not \b: Chinese characters are word
    # characters to \b, and 'AI泡沫' or '用AI' uses 'AI'
    start = r"(?<![A-Za-z0-9])" if latin(word[:1]) else ""
    end = r"(?:e?s)?(?![A-Za-z0-9])" if latin(word[-1:]) else ""
    return re.compile(start + written + end, re.IGNORECASE)


def first_use(text: str, word: str) -> re.Match[str] | None:
    """The first place a text uses a word (_word_pattern), outside a quoted title."""
    if not word.strip():
        return None
    titles = [match.span() for match in TITLE.finditer(text)]
    for match in _word_pattern(word).finditer(text):
        if not any(start <= match.start() < end for start, end in titles):
            return match
    return None


def terms_in(text: str, terms: Iterable[Term], lang: str) -> list[Term]:
    """The terms a text uses, in the order it first uses them."""
    found = [(match.start(), term) for term in terms if (match := term.first_use(text, lang)) is not None]
    return [term for _, term in sorted(found, key=lambda pair: pair[0])]


def load_glossary(path: Path, languages: list[str], kept: ParsedYaml | None = None) -> dict[str, Term]:
    """Read every term; each needs `word` and `note` in every language."""
    if not path.exists():
        return {}
    doc, problems = read_yaml(path, kept=kept)
    terms: dict[str, Term] = {}
    shown = relative(path)
    if doc is not None and isinstance(doc.data, dict):
        for term_id, entry in doc.data.items():
            term_id = str(term_id)
            if not ID_PATTERN.match(term_id) or not isinstance(entry, dict):
                why = id_problem(term_id) if not ID_PATTERN.match(term_id) else "expected a mapping"
                message = f"glossary[{term_id}]: {why}; give an id with {'/'.join(languages)} entries"
                problems.append(Problem(shown, doc.line(term_id), message))
                continue
            ok = True
            for lang in entry:  # a typo ('eng:') or a language the site does not have: never shown
                if lang not in languages:
                    message = f"glossary[{term_id}]: unknown language '{lang}'; the site's languages are {', '.join(languages)}"
                    problems.append(Problem(shown, doc.line(term_id, str(lang)), message))
                    ok = False
                elif isinstance(entry[lang], dict) and (
                    unknown := [str(k) for k in entry[lang] if k not in ("word", "note")]
                ):
                    message = f"glossary[{term_id}].{lang}: unknown key '{unknown[0]}'; known keys: word, note"
                    problems.append(Problem(shown, doc.line(term_id, str(lang), unknown[0]), message))
                    ok = False
            for lang in languages:
                part = entry.get(lang)
                if not isinstance(part, dict) or not all(
                    isinstance(part.get(k), str) and shows_anything(part[k]) for k in ("word", "note")
                ):
                    line = doc.line(term_id, lang)
                    problems.append(Problem(shown, line, f"glossary[{term_id}].{lang}: needs `word:` and `note:`"))
                    ok = False
            if ok:
                terms[term_id] = Term(
                    term_id,
                    {lang: entry[lang]["word"].strip() for lang in languages},
                    {lang: entry[lang]["note"].strip() for lang in languages},
                )
    elif doc is not None and doc.data is not None:
        problems.append(Problem(shown, 1, "expected a mapping of term ids to terms"))
    if problems:
        raise ContentError(problems)
    return terms
