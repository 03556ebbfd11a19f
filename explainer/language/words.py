"""Everything a figure or an attribution is said with: each language's locale, the units and the
speakers, gathered once from the engine's files and the project's content.

Facts and claims are given their Words when they load. Code that formats a bare number by unit
and language code (the chart kit, the chart renderer) reads the Words in use: the project's once
the build said `use_words`, in a chart worker once its render began; else the engine's own.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from explainer.core.errors import Problems, fail_with
from explainer.core.yamlfile import ParsedYaml
from explainer.language.locales import Locale, engine_codes, load_locales
from explainer.language.speakers import Speaker, load_speakers
from explainer.language.units import Unit, load_units


@dataclass(frozen=True)
class Words:
    """The site's languages' locales, its units and its speakers."""

    locales: dict[str, Locale]
    units: dict[str, Unit]
    speakers: dict[str, Speaker]

    @property
    def codes(self) -> list[str]:
        return list(self.locales)

    @property
    def ui(self) -> dict[str, dict[str, str]]:
        """Every language's interface strings (templates say t.key)."""
        return {code: locale.ui for code, locale in self.locales.items()}

    def locale(self, code: str) -> Locale:
        """One language's locale; a language the site lacks is a plain error."""
        try:
            return self.locales[code]
        except KeyError:
            msg = f"no words for language '{code}'; the languages are {', '.join(self.locales)}"
            raise KeyError(msg) from None

    def unit(self, unit_id: str) -> Unit:
        try:
            return self.units[unit_id]
        except KeyError:
            msg = f"unknown unit {unit_id!r}; use one of {', '.join(self.units)}"
            raise ValueError(msg) from None


def load_words(content_dir: Path | None, codes: list[str], kept: ParsedYaml | None = None) -> Words:
    """Read the locales, then the units and speakers they name; raise every problem at once.

    Without a content folder, the engine's words alone."""
    gathered = Problems()  # a missing translation stops none of them: all are read, all reported
    locales = gathered.attempt(load_locales, content_dir, codes, kept)
    if locales is None:
        gathered.raise_any()
    assert locales is not None
    units = gathered.attempt(load_units, content_dir, locales, kept) or {}
    speakers_file = content_dir / "speakers.yaml" if content_dir else None
    speakers = gathered.attempt(load_speakers, speakers_file, locales, kept) or {}
    words = Words(locales, units, speakers)
    if gathered.found:
        fail_with(gathered.found, words)
    return words


@functools.cache
def engine_words() -> Words:
    """The engine's own words in every language it ships (no project units or speakers)."""
    return load_words(None, engine_codes())


_in_use: list[Words] = []


def use_words(words: Words | None) -> None:
    """Say which Words bare formatting reads (a build's, a chart worker's); None: the engine's."""
    _in_use[:] = [words] if words is not None else []


def words_in_use() -> Words:
    """The Words bare formatting reads: the project's if set, else the engine's own."""
    return _in_use[0] if _in_use else engine_words()
