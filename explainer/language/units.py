"""Units as data: the engine's generic ones (explainer/language/units.yaml, words in its locale files) and a
project's own (content/units.yaml, words inline), so a new unit or language is an edit, not code.

content/units.yaml, one entry per unit:

    gpus:
      number: compact        # compact | plain | percent | year | date (see explainer/language/units.yaml)
      short: false          # keep the long magnitude word in chart labels too (4–5 million GPUs)
      zh: "{amount}块"
      en: {one: "{amount} GPU", other: "{amount} GPUs"}   # plural forms, picked by Babel
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explainer.core.errors import Problem, Untranslated, fail_with, relative
from explainer.core.yamlfile import ParsedYaml, read_yaml
from explainer.language.locales import Locale, UnitWords, unit_words_problem

ENGINE_UNITS = Path(__file__).resolve().with_name("units.yaml")
NUMBERS = ("compact", "plain", "percent", "year", "date")
OPTIONS = ("number", "short", "said")


@dataclass(frozen=True)
class Unit:
    """How a unit's amount is written (number) and the words around it in each language."""

    id: str
    number: str
    short: bool = True  # chart labels may abbreviate the magnitude ($5B)
    words: dict[str, UnitWords] = field(default_factory=dict)  # the project's; else the locale's
    # other words a source may name the unit by, per language (kilometres for km): the figure check's
    said: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def words_in(self, locale: Locale) -> UnitWords:
        """The unit's words in a language: the project's own, else the language's locale file."""
        return self.words.get(locale.code) or locale.units.get(self.id) or UnitWords({"other": "{amount}"})


def load_units(content_dir: Path | None, locales: dict[str, Locale], kept: ParsedYaml | None = None) -> dict[str, Unit]:
    """The engine's units and the project's (content/units.yaml, optional); raise every problem."""
    problems: list[Problem] = []
    units: dict[str, Unit] = {}
    for path, engine in ((ENGINE_UNITS, True), (content_dir / "units.yaml" if content_dir else None, False)):
        if path is None or not path.exists():
            continue
        doc, found = read_yaml(path, kept=kept)
        problems.extend(found)
        if doc is None or doc.data is None:
            continue
        shown = relative(path)
        if not isinstance(doc.data, dict):
            problems.append(Problem(shown, 1, "expected a mapping of unit ids to units"))
            continue
        for unit_id, entry in doc.data.items():
            unit_id = str(unit_id)
            found_here = _unit_problems(unit_id, entry, locales, engine, unit_id in units)
            for message, key in found_here:
                label = f"units[{unit_id}]{''.join('.' + k for k in key)}"
                problems.append(Problem(shown, doc.line(unit_id, *key), f"{label}: {message}"))
            for code in _missing_words(entry, locales, engine, unit_id in units):  # said by the locale meanwhile
                message = f"units[{unit_id}]: missing the '{code}' words; add `{code}: ...`"
                problems.append(Untranslated(shown, doc.line(unit_id), message))
            if not found_here:
                words = {code: UnitWords.read(entry[code]) for code in locales if code in entry}
                said = {str(code): tuple(names) for code, names in (entry.get("said") or {}).items()}
                units[unit_id] = Unit(unit_id, entry["number"], bool(entry.get("short", True)), words, said)
    if problems:
        fail_with(problems, units)
    return units


def _missing_words(entry: Any, locales: dict[str, Locale], engine: bool, known: bool) -> list[str]:
    """The site's languages a project's unit gives no words in (a date's are the locale's)."""
    if known or engine or not isinstance(entry, dict) or entry.get("number") not in NUMBERS:
        return []
    return [] if entry["number"] == "date" else [code for code in locales if code not in entry]


def _unit_problems(
    unit_id: str, entry: Any, locales: dict[str, Locale], engine: bool, known: bool
) -> list[tuple[str, tuple[str, ...]]]:
    """What is wrong with one unit: (message, key path) pairs."""
    if known:
        return [("the engine has this unit already; change its words in content/ui/<lang>.yaml `units:`", ())]
    if not isinstance(entry, dict) or entry.get("number") not in NUMBERS:
        return [(f"expected `number:` one of {', '.join(NUMBERS)}", ("number",))]
    found: list[tuple[str, tuple[str, ...]]] = []
    if not isinstance(entry.get("short", True), bool):
        found.append(("expected true or false", ("short",)))
    said = entry.get("said", {})
    if not isinstance(said, dict) or not all(
        isinstance(names, list) and all(isinstance(n, str) and n.strip() for n in names) for names in said.values()
    ):
        found.append(("expected the other words per language, e.g. `said: {en: [kilometres]}`", ("said",)))
    for key, value in entry.items():
        key = str(key)
        if key in OPTIONS:
            continue
        if key not in locales:
            found.append(
                (f"unknown key '{key}'; use number, short and the site's languages ({', '.join(locales)})", (key,))
            )
        elif (why := unit_words_problem(value)) is not None:
            found.append((why, (key,)))
    return found
