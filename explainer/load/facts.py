"""Load content/facts.yaml, the one source of truth for every figure, and check each fact.

Each fact is said in every language once, as it loads, from the project's Words (locales, units,
speakers): a fact is then a plain record, the same in a chart worker, and a chart's cache entry
that records it sees any change of the words it is said with."""

from __future__ import annotations

import datetime
import difflib
import math
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from explainer.core.characters import id_problem, odd_characters
from explainer.core.errors import ContentError, Problem, relative
from explainer.core.yamlfile import LocatedYaml, ParsedYaml, as_written, read_yaml
from explainer.language.attribution import attributed, vocabulary_problem
from explainer.language.formatting import Number, figure, hedged
from explainer.language.words import Words, load_words
from explainer.load.derived import Formula, FormulaError, parse_formula
from explainer.load.figure_check import figure_problems
from explainer.load.quotes import QuoteChecker

T = TypeVar("T")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
DATE_PATTERN = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
_YAML_TEXT_NUMBER = re.compile(r"[-+]?(?:\d[\d_,]*)?\.?\d*[eE][-+]?\d+")  # 5e9, 1e-06, 2.5E9 (no sign)
REQUIRED = ("value", "unit", "period", "label", "quote", "translations", "speaker", "status")
# a derived figure has no value or quote of its own: the build computes it from its inputs
DERIVED_REQUIRED = ("unit", "period", "label", "derived")
KNOWN = (*REQUIRED, "qualifier", "display", "derived")


@dataclass(frozen=True)
class Said:
    """A fact in one language, worked out when it loads: figure, hedge, who says it, how sure."""

    display: str  # 约14万亿美元, about $14 trillion
    short: str  # for chart labels: $14T
    hedged: str  # 50亿美元（预计）
    hedged_short: str
    hedge: str  # 预计, the chair's estimate; '' if stated
    speaker: str
    status: str
    gap: str  # what the figure reads as without a value: 文章未给出


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
    speaker: str = "author"
    status: str = "stated"
    translations: dict[str, str] = field(default_factory=dict)  # the quote in the other languages: ours
    formula: Formula | None = None
    said: dict[str, Said] = field(default_factory=dict)  # per language, filled in by load_facts

    def in_language(self, lang: str) -> Fact:
        """The fact as a chart drawn in one language sees it: that language's label and display
        only. A chart's cache entry records what its chart saw, so a label edited in one language
        redraws that language's chart alone. The figure as every language says it (`said`) stays:
        a chart may ask for another language's, and a change of the words redraws it."""

        def only(texts: dict) -> dict:
            return {lang: texts[lang]} if lang in texts else {}

        return replace(
            self,
            label=only(self.label),
            display_override=only(self.display_override),
            translations=only(self.translations),
        )

    @property
    def derived(self) -> bool:
        """Tell whether the site computed this figure from others (and must say so)."""
        return self.formula is not None

    def speaker_name(self, lang: str) -> str:
        """Who says it, in a language (董事长, people familiar with the matter)."""
        return self.said[lang].speaker

    def status_name(self, lang: str) -> str:
        """How sure it is, in a language (预计, reported, derived)."""
        return self.said[lang].status

    def hedge(self, lang: str) -> str:
        """The hedge this figure is never shown without ('' if stated): 预计, the chair's estimate."""
        return self.said[lang].hedge if self.disclosed else ""

    def hedged(self, lang: str, short: bool = False) -> str:
        """The figure with its hedge, for tables, key numbers, charts and tooltips: 50亿美元（预计）."""
        if not self.disclosed:
            return self.short(lang) if short else self.display(lang)
        return self.said[lang].hedged_short if short else self.said[lang].hedged

    @property
    def disclosed(self) -> bool:
        """Tell whether the article gives a number for this figure."""
        return self.value is not None

    def display(self, lang: str) -> str:
        """Say the figure in a language, qualifier included (约14万亿美元, about $14 trillion)."""
        return self._gap(lang) or self.said[lang].display

    def short(self, lang: str) -> str:
        """Say the figure compactly for chart labels ($14T, 约14万亿美元)."""
        return self._gap(lang) or self.said[lang].short

    def _gap(self, lang: str) -> str:
        """文章未给出 for a figure without a value (also one a test took away), else ''."""
        return self.said[lang].gap if not self.disclosed and lang not in self.display_override else ""

    def translation(self, lang: str) -> str:
        """The quote in a language: the article's words in its own, else our translation."""
        return self.translations.get(lang, self.quote)


def said_in(fact: Fact, lang: str, words: Words) -> Said:
    """Work out how a fact reads in one language."""
    locale, unit = words.locale(lang), words.unit(fact.unit)
    if lang in fact.display_override:
        display = short = fact.display_override[lang]
    else:
        display = figure(fact.value, unit, fact.qualifier, locale)
        short = figure(fact.value, unit, fact.qualifier, locale, short=True)
    who = attributed(fact.speaker, fact.status, lang, words)
    hedge = who.hedge if fact.disclosed else ""
    hedged_texts = hedged(display, hedge, locale), hedged(short, hedge, locale)
    return Said(display, short, *hedged_texts, hedge, who.speaker, who.status, locale.not_in_article)


class UnknownId(KeyError):
    """Raised by a Book (facts, claims) asked for an id it does not hold. It carries the kind of
    record, the id and the nearest known id, so that a caller decides by its type and fields,
    never by its words; its message (`args[0]`, as a KeyError's) is the one the user reads."""

    def __init__(self, kind: str, record_id: str, suggestion: str | None, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.record_id = record_id
        self.suggestion = suggestion  # the nearest known id, or None when none is near

    @classmethod
    def among(cls, kind: str, record_id: str, known: Mapping[str, Any]) -> UnknownId:
        """The error for an id missing from `known`, with the nearest one suggested."""
        return cls(kind, record_id, nearest(record_id, known), unknown_message(kind, record_id, known))

    @property
    def message(self) -> str:
        return str(self.args[0])

    def __str__(self) -> str:  # the message itself, not KeyError's repr of it in quotes
        return self.message

    def __reduce__(self) -> tuple:
        """Pickle with its fields (a chart's error may come back from a worker process)."""
        return (type(self), (self.kind, self.record_id, self.suggestion, self.message))


class UnknownFact(UnknownId):
    """Raised by the FactBook for a fact id content/facts.yaml does not have (a chart reading it)."""

    @property
    def fact_id(self) -> str:
        return self.record_id


class Book(Mapping[str, T]):
    """Records by id (facts, claims); an unknown id is an error that suggests the nearest one."""

    kind = "record"  # how messages name a record
    unknown: type[UnknownId] = UnknownId  # what a missing id raises

    def __init__(self, records: dict[str, T]) -> None:
        self._records = records

    def __getitem__(self, record_id: str) -> T:
        try:
            return self._records[record_id]
        except KeyError:
            raise self.unknown.among(self.kind, record_id, self._records) from None

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._records  # a miss here is an answer, not an error: no suggestion

    def get(self, record_id: str, default: T | None = None) -> T | None:  # type: ignore[override]
        return self._records.get(record_id, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


class FactBook(Book[Fact]):
    """All facts by id, with the Words they are said with (a chart worker formats with them too)."""

    kind = "fact"
    unknown = UnknownFact

    def __init__(self, records: dict[str, Fact], words: Words | None = None) -> None:
        super().__init__(records)
        self.words = words


def nearest(name: str, known: Mapping[str, Any] | list[str]) -> str | None:
    """The known id closest to a misspelt one, or None when none is close."""
    near = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return near[0] if near else None


def unknown_message(kind: str, name: str, known: Mapping[str, Any] | list[str], list_all: bool = False) -> str:
    """Explain an unknown id, with the nearest known id, and all of them when they are few."""
    names = sorted(known)
    near = nearest(name, names)
    hints = [f"did you mean '{near}'?"] if near else []
    if not names:
        hints.append(f"there is no {kind} yet; add one")
    elif list_all or not near:
        hints.append(f"known {kind}s: {', '.join(names)}")
    if (odd := odd_characters(name)) is not None:
        hints.insert(0, f"{odd};")
    return f"unknown {kind} '{name}'; {' '.join(hints)}"


def _is_number(x: Any) -> bool:
    """A number a figure can be: finite, and small enough for a float (the check, the charts and
    the formatter all compute with floats; an int of 309 digits is none)."""
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        return False
    try:
        return math.isfinite(x)
    except OverflowError:  # an int too large for a float
        return False


def _too_large(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and not _is_number(x)


def _check_value(value: Any, number: str) -> str | None:
    """Return what is wrong with a value for how its unit writes numbers (units.yaml), or None."""
    if value is None:
        return None
    if number == "date":
        if isinstance(value, str) and DATE_PATTERN.match(value):
            try:  # a leap year's calendar, as the formatter's: 02-29 is a day, 02-30 none
                datetime.date(2000, int(value[:2]), int(value[3:]))
            except ValueError:
                return f"'{value}' is not a day of the calendar; write the date the article gives as 'MM-DD'"
            return None
        return "expected a date as 'MM-DD' in quotes, e.g. \"09-22\""
    if isinstance(value, list):
        if len(value) == 2 and all(_is_number(v) for v in value) and value[0] < value[1]:
            return None
        if any(_too_large(v) for v in value):
            return f"a number of the range is too large to be a figure (over {sys.float_info.max:.1e})"
        return "expected a range [low, high] of two numbers, low first"
    if isinstance(value, float) and not math.isfinite(value):
        return f"expected a finite number, got {value!r} (.nan or .inf); write the figure the article gives"
    if _too_large(value):
        return f"the number is too large to be a figure ({len(str(abs(value)))} digits, over {sys.float_info.max:.1e})"
    if isinstance(value, str) and _YAML_TEXT_NUMBER.fullmatch(value.strip()):
        # YAML 1.1 reads 5e9 and 1e-06 as text: a float needs a dot and a signed exponent
        return f"got {value!r}, which YAML reads as text, not a number; write the number out in digits"
    if not _is_number(value):
        return f"expected a number, a [low, high] range or null, got {as_written(value)}"
    if number == "percent" and not 0 <= value <= 1:
        return "a share is a fraction between 0 and 1 (write 0.03 for 3%)"
    if number == "year" and not (isinstance(value, int) and 1900 <= value <= 2100):
        return "expected a four-digit year"
    if value < 0:
        return "expected a positive amount (say what it is in the label, e.g. 'loss')"
    return None


def _check_fact(
    fact_id: str, entry: Any, doc: LocatedYaml, source: Path, words: Words, quotes: QuoteChecker
) -> tuple[Fact | None, list[Problem]]:
    """Validate one entry of the facts file and build its Fact."""
    problems: list[Problem] = []
    languages = words.codes

    def problem(message: str, *key: str) -> None:
        problems.append(
            Problem(source, doc.line(fact_id, *key), f"facts[{fact_id}]{''.join('.' + k for k in key)}: {message}")
        )

    if not ID_PATTERN.match(fact_id):
        problem(id_problem(str(fact_id)))
    if not isinstance(entry, dict):
        problem("expected a mapping with value, unit, period, label and quote")
        return None, problems
    derived = "derived" in entry
    for key in DERIVED_REQUIRED if derived else REQUIRED:
        if key not in entry:
            needed = ", ".join(DERIVED_REQUIRED if derived else REQUIRED)
            problem(f"missing '{key}'; add it (a fact has {needed})")
    for key in entry:
        if key not in KNOWN:
            problem(f"unknown key '{key}'; known keys: {', '.join(KNOWN)}", key)
        elif derived and key in ("value", "quote", "translations", "speaker", "status"):
            problem(f"a derived figure has no '{key}' of its own (the build computes it); remove it", key)
    if problems:
        return None, problems
    formula, found = _check_derived(entry)
    for message in found:
        problem(message, "derived")
    if derived:
        entry = {**entry, "value": None, "quote": "", "translations": {}, "speaker": "explainer", "status": "stated"}
    else:
        for message, key in _check_attribution(entry, words):
            problem(message, *key)
    unit, value, qualifier = entry["unit"], entry["value"], entry.get("qualifier")
    qualifiers = words.locale(languages[0]).qualifiers
    if not isinstance(unit, str) or unit not in words.units:
        problem(f"unknown unit {unit!r}; use one of {', '.join(words.units)} (or add it to content/units.yaml)", "unit")
    elif (why := _check_value(value, words.units[unit].number)) is not None:
        problem(why, "value")
    if not isinstance(entry["period"], (str, int)) or isinstance(entry["period"], bool):
        problem(f'expected the period as text, e.g. "2026" or "2025-2030", got {as_written(entry["period"])}', "period")
    if qualifier is not None and (not isinstance(qualifier, str) or qualifier not in qualifiers):
        problem(f"unknown qualifier {qualifier!r}; use one of {', '.join(qualifiers)}", "qualifier")
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
    if derived:
        pass
    elif not isinstance(quote, str) or not quote.strip():
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
        speaker=entry["speaker"],
        status="derived" if derived else entry["status"],
        translations={lang: str(text).strip() for lang, text in entry["translations"].items()},
        formula=formula,
    )
    if formula is None:  # said in every language once, here: the figure check reads it too
        fact = replace(fact, said={lang: said_in(fact, lang, words) for lang in languages})
    for message, key in figure_problems(fact, words):  # the value is a number its quote states
        problem(message, *key)
    return (None if problems else fact), problems


def _check_attribution(entry: dict, words: Words) -> list[tuple[str, tuple[str, ...]]]:
    """Check a fact's speaker, status and translations of its quote: (message, key path) pairs."""
    found: list[tuple[str, tuple[str, ...]]] = []
    if (why := vocabulary_problem(entry["speaker"], entry["status"], words)) is not None:
        found.append((why, ("status" if entry["speaker"] in words.speakers else "speaker",)))
    found += translation_problems(entry["translations"], words.codes)
    return found


def translation_problems(translations: Any, languages: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Check a quote's translations: one for every site language but the article's own (the first)."""
    wanted = languages[1:]
    if not isinstance(translations, dict):
        example = ", ".join(f"{lang}: ..." for lang in wanted)
        return [
            (f"expected our translation of the quote per language: `translations: {{{example}}}`", ("translations",))
        ]
    found: list[tuple[str, tuple[str, ...]]] = []
    for lang in wanted:
        text = translations.get(lang)
        if not isinstance(text, str) or not text.strip():
            found.append((f"missing our '{lang}' translation of the quote; add `{lang}: ...`", ("translations",)))
    for lang in translations:
        if lang == languages[0]:
            message = f"the quote is in '{lang}' already (the article's language); remove this translation"
            found.append((message, ("translations", str(lang))))
        elif lang not in wanted:
            message = f"unknown language '{lang}'; the site's languages are {', '.join(languages)}"
            found.append((message, ("translations", str(lang))))
    return found


def _check_derived(entry: dict) -> tuple[Formula | None, list[str]]:
    """Parse a derived figure's formula (its inputs are checked once every fact is loaded)."""
    spec = entry.get("derived")
    if spec is None:
        return None, []
    if not isinstance(spec, dict) or not isinstance(spec.get("formula"), str):
        return None, ['expected `derived: {formula: "fact_a - fact_b"}`']
    try:
        return parse_formula(spec["formula"]), []
    except FormulaError as exc:
        return None, [f"formula {spec['formula']!r}: {exc}"]


def resolve_derived(
    facts: dict[str, Fact], source: Path, doc: LocatedYaml, numbers: Mapping[str, str] | None = None
) -> list[Problem]:
    """Compute every derived figure from its inputs, in dependency order; report what cannot be,
    and (with `numbers`: each unit's number style) a result its unit cannot hold, as a stated
    value would be (an overflow, a negative amount, a share over 1, a year that is no year)."""
    problems: list[Problem] = []
    pending = {fact_id: fact for fact_id, fact in facts.items() if fact.formula is not None}
    while pending:
        ready = [f for f in pending.values() if not any(i in pending for i in f.formula.inputs)]  # type: ignore[union-attr]
        if not ready:
            for fact in pending.values():
                line = doc.line(fact.id, "derived")
                problems.append(Problem(source, line, f"facts[{fact.id}].derived: its formula depends on itself"))
            break
        for fact in ready:
            del pending[fact.id]
            where = (source, doc.line(fact.id, "derived"))
            try:
                value = fact.formula.evaluate(lambda i: _input_value(facts, i))  # type: ignore[union-attr]
            except (FormulaError, KeyError) as exc:
                message = exc.args[0] if exc.args else str(exc)
                problems.append(Problem(*where, f"facts[{fact.id}].derived: {message}"))
                del facts[fact.id]
                continue
            if (why := _derived_value_problem(value, (numbers or {}).get(fact.unit))) is not None:
                problems.append(Problem(*where, f"facts[{fact.id}].derived: {why}"))
                del facts[fact.id]
                continue
            value = int(value) if float(value).is_integer() else round(value, 6)
            facts[fact.id] = replace(fact, value=value)
    return problems


def _derived_value_problem(value: float, number: str | None) -> str | None:
    """What is wrong with a formula's result for its unit's number style (None: unknown), or None."""
    if not _is_number(value):
        return "the formula gives a number too large to be a figure (no float holds it); check the formula"
    if number == "date":
        return "a formula gives a number, not a date; give the fact a unit of amounts"
    why = _check_value(value, number) if number is not None else None
    return None if why is None else f"the formula gives {value:.6g}: {why}"


def _input_value(facts: Mapping[str, Fact], fact_id: str) -> float:
    """One input of a formula: a fact with a single number."""
    if fact_id not in facts:
        raise FormulaError(unknown_message("fact", fact_id, list(facts)))
    value = facts[fact_id].value
    if not _is_number(value):
        msg = f"input '{fact_id}' is not a single number (got {value!r}); derive only from plain figures"
        raise FormulaError(msg)
    return value  # type: ignore[return-value]


def load_facts(
    path: Path, languages: list[str], quotes: QuoteChecker, words: Words | None = None, kept: ParsedYaml | None = None
) -> FactBook:
    """Read and check every fact, and say each in every language; raise ContentError listing all
    problems at once. Without `words`, the words of the project the file is in (its folder)."""
    words = words if words is not None else load_words(path.parent, languages)
    doc, problems = read_yaml(path, kept=kept)
    facts: dict[str, Fact] = {}
    if doc is not None:
        if not isinstance(doc.data, dict):
            problems.append(Problem(relative(path), 1, "expected a mapping of fact ids to facts"))
        else:
            shown = Path(relative(path))  # once: a path made relative is not cheap
            for fact_id, entry in doc.data.items():
                fact, found = _check_fact(str(fact_id), entry, doc, shown, words, quotes)
                problems.extend(found)
                if fact is not None:
                    facts[fact.id] = fact
            problems.extend(
                resolve_derived(facts, shown, doc, {unit_id: unit.number for unit_id, unit in words.units.items()})
            )
    if problems:
        raise ContentError(problems)
    said = {  # a derived figure is said once its value is worked out
        fact_id: replace(fact, said={lang: said_in(fact, lang, words) for lang in languages}) if fact.derived else fact
        for fact_id, fact in facts.items()
    }
    return FactBook(said, words)


OPERATORS = {"-": "−", "*": "×", "/": "÷", "+": "+"}


def derivation(fact: Fact, facts: Mapping[str, Fact], lang: str) -> str:
    """How a derived figure was computed, with its inputs' figures: 2万亿美元 − 8000亿美元."""
    if fact.formula is None:
        return ""
    words = []
    for word in re.findall(r"[a-z][a-z0-9_]*|\d+(?:\.\d+)?|[-+*/()]", fact.formula.text):
        if word in facts:
            words.append(facts[word].display(lang))
        else:
            words.append(OPERATORS.get(word, word))
    return " ".join(words).replace("( ", "(").replace(" )", ")")
