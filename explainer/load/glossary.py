"""Load content/glossary.yaml: the terms a newcomer needs, explained once, in each site language.

Pages say {{ term id }} where a term first appears; the page gets a numbered note at its foot
(plain links, no JavaScript), and the glossary page lists every term with {{ glossary }}.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explainer.core.characters import id_problem, shows_anything
from explainer.core.errors import ContentError, Problem, relative
from explainer.core.yamlfile import ParsedYaml, read_yaml
from explainer.load.facts import ID_PATTERN


@dataclass(frozen=True)
class Term:
    """One term: the word and its short explanation, per language."""

    id: str
    word: dict[str, str]
    note: dict[str, str]


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
