"""Load content/facts.yaml, the one source of truth for every figure, and check each fact."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ContentError, Problem, relative
from .formatting import QUALIFIERS, UNITS, Number, format_figure
from .quotes import QuoteChecker
from .yamlfile import LocatedYaml, read_yaml

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
DATE_PATTERN = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
REQUIRED = ("value", "unit", "period", "label", "quote")
KNOWN = (*REQUIRED, "qualifier", "display")


@dataclass(frozen=True)
class Fact:
    """One figure from the article, with the sentence that supports it."""

    id: str
    value: Number | list[Number] | str | None
    unit: str
    period: str
    label: dict[str, str]
    quote: str
    qualifier: str | None = None
    display_override: dict[str, str] = field(default_factory=dict)
    line: int | None = None

    @property
    def disclosed(self) -> bool:
        """Tell whether the article gives a number for this figure."""
        return self.value is not None

    def display(self, lang: str) -> str:
        """Say the figure in a language, qualifier included (约14万亿美元, about $14 trillion)."""
        if lang in self.display_override:
            return self.display_override[lang]
        return format_figure(self.value, self.unit, self.qualifier, lang)

    def short(self, lang: str) -> str:
        """Say the figure compactly for chart labels ($14T, 约14万亿美元)."""
        if lang in self.display_override:
            return self.display_override[lang]
        return format_figure(self.value, self.unit, self.qualifier, lang, short=True)


class FactBook(Mapping[str, Fact]):
    """All facts by id; an unknown id is an error that suggests the nearest one."""

    def __init__(self, facts: dict[str, Fact]) -> None:
        self._facts = facts

    def __getitem__(self, fact_id: str) -> Fact:
        try:
            return self._facts[fact_id]
        except KeyError:
            raise KeyError(unknown_message("fact", fact_id, self._facts)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._facts)

    def __len__(self) -> int:
        return len(self._facts)


def unknown_message(kind: str, name: str, known: Mapping[str, Any] | list[str], list_all: bool = False) -> str:
    """Explain an unknown id, with the nearest known id, and all of them when they are few."""
    names = sorted(known)
    near = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hints = [f"did you mean '{near[0]}'?"] if near else []
    if list_all or not near:
        hints.append(f"known {kind}s: {', '.join(names)}")
    return f"unknown {kind} '{name}'; {' '.join(hints)}"


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _check_value(value: Any, unit: Any) -> str | None:
    """Return what is wrong with a value for its unit, or None."""
    if value is None:
        return None
    if unit == "date":
        if isinstance(value, str) and DATE_PATTERN.match(value):
            return None
        return "expected a date as 'MM-DD' in quotes, e.g. \"09-22\""
    if isinstance(value, list):
        if len(value) == 2 and all(_is_number(v) for v in value) and value[0] < value[1]:
            return None
        return "expected a range [low, high] of two numbers, low first"
    if isinstance(value, float) and not math.isfinite(value):
        return f"expected a finite number, got {value!r} (.nan or .inf); write the figure the article gives"
    if not _is_number(value):
        return f"expected a number, a [low, high] range or null, got {value!r}"
    if unit == "share" and not 0 <= value <= 1:
        return "a share is a fraction between 0 and 1 (write 0.03 for 3%)"
    if unit == "year" and not (isinstance(value, int) and 1900 <= value <= 2100):
        return "expected a four-digit year"
    if value < 0:
        return "expected a positive amount (say what it is in the label, e.g. 'loss')"
    return None


def _check_fact(
    fact_id: str, entry: Any, doc: LocatedYaml, source: Path, languages: list[str], quotes: QuoteChecker
) -> tuple[Fact | None, list[Problem]]:
    """Validate one entry of the facts file and build its Fact."""
    problems: list[Problem] = []

    def problem(message: str, *key: str) -> None:
        problems.append(
            Problem(source, doc.line(fact_id, *key), f"facts[{fact_id}]{''.join('.' + k for k in key)}: {message}")
        )

    if not ID_PATTERN.match(fact_id):
        problem("ids are lower_snake_case (letters, digits, underscores)")
    if not isinstance(entry, dict):
        problem("expected a mapping with value, unit, period, label and quote")
        return None, problems
    for key in REQUIRED:
        if key not in entry:
            problem(f"missing '{key}'; add it (see the comment at the top of the file)")
    for key in entry:
        if key not in KNOWN:
            problem(f"unknown key '{key}'; known keys: {', '.join(KNOWN)}", key)
    if problems:
        return None, problems
    unit, value, qualifier = entry["unit"], entry["value"], entry.get("qualifier")
    if unit not in UNITS:
        problem(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}", "unit")
    elif (why := _check_value(value, unit)) is not None:
        problem(why, "value")
    if not isinstance(entry["period"], (str, int)) or isinstance(entry["period"], bool):
        problem(f'expected the period as text, e.g. "2026" or "2025-2030", got {entry["period"]!r}', "period")
    if qualifier is not None and (not isinstance(qualifier, str) or qualifier not in QUALIFIERS):
        problem(f"unknown qualifier {qualifier!r}; use one of {', '.join(QUALIFIERS)}", "qualifier")
    for key in ("label", "display"):
        texts = entry.get(key)
        if texts is None and key == "display":
            continue
        if not isinstance(texts, dict):
            problem(f"expected one text per language ({', '.join(languages)})", key)
            continue
        for lang in languages if key == "label" else []:
            if not isinstance(texts.get(lang), str) or not texts[lang].strip():
                problem(f"missing the '{lang}' translation; add `{lang}: ...`", key)
        for lang, text in texts.items():
            if lang not in languages:
                problem(f"unknown language '{lang}'; the site's languages are {', '.join(languages)}", key, str(lang))
            elif key == "display" and (not isinstance(text, str) or not text.strip()):
                problem(f"expected text, got {text!r}; write it in quotes", key, str(lang))
    quote = entry["quote"]
    if not isinstance(quote, str) or not quote.strip():
        problem("expected the sentence of the article that supports the figure", "quote")
    elif (why := quotes.check(fact_id, quote)) is not None:
        problem(why, "quote")
    if problems:
        return None, problems
    fact = Fact(
        id=fact_id,
        value=value,
        unit=unit,
        period=str(entry["period"]),
        label=dict(entry["label"]),
        quote=quote,
        qualifier=qualifier,
        display_override=dict(entry.get("display") or {}),
        line=doc.line(fact_id),
    )
    return fact, problems


def load_facts(path: Path, languages: list[str], quotes: QuoteChecker) -> FactBook:
    """Read and check every fact; raise ContentError listing all problems at once."""
    doc, problems = read_yaml(path)
    facts: dict[str, Fact] = {}
    if doc is not None:
        if not isinstance(doc.data, dict):
            problems.append(Problem(relative(path), 1, "expected a mapping of fact ids to facts"))
        else:
            for fact_id, entry in doc.data.items():
                fact, found = _check_fact(str(fact_id), entry, doc, Path(relative(path)), languages, quotes)
                problems.extend(found)
                if fact is not None:
                    facts[fact.id] = fact
    if problems:
        raise ContentError(problems)
    return FactBook(facts)
