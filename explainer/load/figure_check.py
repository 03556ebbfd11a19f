"""Every figure agrees with its quote: the value is a number the quote states, in the fact's unit,
read the way a reader of the quote's language reads it, with the same hedge (约 -> about).

The quote proves a fact only if it says the same number. So each quote (and each translation of
it, in its own language) is read for the figures it states: digits or character numerals
(3000亿, 1.2万亿, 607.24亿, 两亿, 4.42 万亿), magnitudes as the language's CLDR compact forms
(亿, 億, billion), ranges (400到500万, 4 to 5 million), percentages, years and dates, each with the
unit its words name (美元, $, 千米, kilometres: the unit's own words in the locale files, and any
`said:` words in units.yaml) and the qualifier its words carry (the locale's `qualifiers:` and
`cues:`). The fact must match one of them exactly; its shown forms (display override, and the
formatter's own in every language) must state the same value, no more precise and no rounder.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from babel import Locale as BabelLocale
from babel.numbers import format_compact_decimal

from explainer.language.locales import Locale
from explainer.language.units import Unit
from explainer.language.words import Words
from explainer.load.placeholders import MARKER


class StatedFigure(Protocol):
    """What the check reads of a fact (explainer/load/facts.py's Fact, which calls the check while
    it loads): its value as stated, its quote and how each language shows it."""

    value: Any
    unit: str
    qualifier: str | None
    formula: Any
    quote: str
    translations: dict[str, str]
    display_override: dict[str, str]

    def display(self, lang: str) -> str: ...


CHARACTER_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5}
CHARACTER_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
CHARACTER_SCALES = {"十": 10, "百": 100, "千": 1000}
NUMBER = r"(?:\d+(?:[,，]\d{3})*(?:\.\d+)?|[零〇一二两兩三四五六七八九十百千]+)"
ONE_WORDS = ("a", "an", "one")  # "a trillion-dollar company": one trillion
RANGE_WORDS = ("到", "至", "-", "–", "—", "~", "～", "to", "and")
CLOSE = 1e-9  # relative difference below which two amounts are the same number
SEPARATORS = " \u00a0-"


CLOSE_STEP = 1e-6  # two written precisions within this share of each other are the same


@dataclass(frozen=True)
class Stated:
    """A figure a sentence states: its amount (one, or low and high), unit, hedge and words."""

    values: tuple[float, ...]
    unit: str | None  # the unit its words name, None when it names none
    qualifier: str | None  # the hedge its words carry (about, up_to...), None when none
    text: str  # as the sentence writes it
    step: float = 0.0  # the place of its last written digit (607.24亿: 1e6, 3000亿: 1e8); 0 for a date

    def equals(self, value: float | list[float] | str) -> bool:
        """Whether this states exactly the value (a number, or a [low, high] range)."""
        wanted = tuple(value) if isinstance(value, list) else (value,)
        if len(wanted) != len(self.values) or any(isinstance(w, str) for w in wanted):
            return False
        return all(
            math.isclose(a, float(b), rel_tol=CLOSE, abs_tol=0) for a, b in zip(self.values, wanted, strict=True)
        )


@dataclass(frozen=True)
class Reading:
    """How one language writes figures: its magnitude words, unit words and hedge words."""

    magnitudes: tuple[tuple[str, float], ...]  # longest first: ("万亿", 1e12), ("亿", 1e8)...
    units: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # unit -> (words before, words after)
    cues: dict[str, tuple[tuple[str, str], ...]]  # qualifier -> (before, after) pairs
    months: tuple[str, ...]


@functools.cache
def _magnitudes(babel: str) -> tuple[tuple[str, float], ...]:
    """The language's magnitude words and their sizes, from CLDR (万 10^4, 亿 10^8, billion 10^9)."""
    found: dict[str, float] = {}
    for power in range(3, 16):
        written = format_compact_decimal(10**power, format_type="long", locale=babel)
        word = re.sub(r"[\d.,\s\u00a0]", "", written)
        if word and word not in found:
            leading = float(re.sub(r"[^\d.]", "", written) or 1)
            found[word] = 10**power / leading
    return tuple(sorted(found.items(), key=lambda item: -len(item[0])))


@functools.cache
def _months(babel: str) -> tuple[str, ...]:
    wide = BabelLocale.parse(babel).months["format"]["wide"]
    return tuple(wide[month] for month in range(1, 13))


_READINGS: dict[tuple[int, int], tuple[Locale, dict[str, Unit], Reading]] = {}


def reading(locale: Locale, units: dict[str, Unit]) -> Reading:
    """How figures are written in a language, from its locale and the project's units (made once
    per locale and units: every fact of a build reads with the same)."""
    kept = _READINGS.get((id(locale), id(units)))
    if kept is not None and kept[0] is locale and kept[1] is units:
        return kept[2]
    if len(_READINGS) > 16:
        _READINGS.clear()
    made = _reading(locale, units)
    _READINGS[(id(locale), id(units))] = (locale, units, made)
    return made


def _reading(locale: Locale, units: dict[str, Unit]) -> Reading:
    unit_words: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for unit_id, unit in units.items():
        before, after = set(), set()
        for pattern in unit.words_in(locale).forms.values():
            head, _, tail = pattern.partition("{amount}")
            if head.strip(SEPARATORS):
                before.add(head.strip(SEPARATORS))
            if tail.strip(SEPARATORS):
                after.add(tail.strip(SEPARATORS))
        after.update(unit.said.get(locale.code, ()))
        unit_words[unit_id] = (
            tuple(sorted(before, key=len, reverse=True)),
            tuple(sorted(after, key=len, reverse=True)),
        )
    cues: dict[str, list[tuple[str, str]]] = {}
    for name, pattern in locale.qualifiers.items():
        head, _, tail = pattern.partition("{figure}")
        if head.strip() or tail.strip():
            cues.setdefault(name, []).append((head.strip(), tail.strip()))
    for name, patterns in locale.cues.items():
        for pattern in patterns:
            head, _, tail = pattern.partition("{n}")
            cues.setdefault(name, []).append((head.strip(), tail.strip()))
    return Reading(
        _magnitudes(locale.babel),
        unit_words,
        {name: tuple(pairs) for name, pairs in cues.items()},
        _months(locale.babel),
    )


def character_number(text: str) -> float | None:
    """A number in Chinese or Japanese character numerals (两, 三千, 四十五), or None."""
    total, current = 0, 0
    for char in text:
        if char in CHARACTER_DIGITS:
            current = CHARACTER_DIGITS[char]
        elif char in CHARACTER_SCALES:
            total += (current or 1) * CHARACTER_SCALES[char]
            current = 0
        else:
            return None
    return float(total + current)


def _number(text: str) -> float | None:
    if text[0].isdigit():
        return float(text.replace(",", "").replace("，", ""))
    return character_number(text)


def _decimals(text: str) -> int:
    return len(text.partition(".")[2]) if text[:1].isdigit() else 0


def _place(text: str) -> float:
    """The place of a number's last significant digit: 607.24 -> 0.01, 3000 -> 1000, 两 -> 1,
    一百四十 -> 10 (an integer's trailing zeros say nothing of its precision: 200 million is 两亿)."""
    if not text[:1].isdigit():  # character numerals: 一百四十 is 140, to the ten
        value = character_number(text)
        text = str(int(value)) if value is not None and value == int(value) else "1"
    if "." in text:
        return 10.0 ** -_decimals(text)
    digits = text.replace(",", "").replace("，", "")
    return 10.0 ** (len(digits) - len(digits.rstrip("0"))) if digits.strip("0") else 1.0


@functools.cache
def _figure_pattern(magnitudes: tuple[tuple[str, float], ...], heads: tuple[str, ...] = ()) -> re.Pattern[str]:
    """A figure, or a range of two; `heads`: the words a unit writes before its number ($), which
    a range may repeat before its second ('$4 billion to $5 billion')."""
    magnitude = "|".join(re.escape(word) for word, _ in magnitudes)
    one = "|".join(ONE_WORDS)
    joiner = "|".join(re.escape(word) for word in RANGE_WORDS)
    head = "|".join(re.escape(word) for word in sorted(heads, key=len, reverse=True))
    # not after 'and': '$5 billion and $14 billion' lists two figures
    to = "|".join(re.escape(word) for word in RANGE_WORDS if word != "and")
    joiner = rf"(?:{to})\s?(?:(?:{head})\s?)?|and\s?" if head else rf"(?:{joiner})\s?"
    first = (
        rf"(?:(?P<n1>{NUMBER})\s?(?P<m1>{magnitude})?(?P<p1>\s?[%％])?"
        rf"|(?:(?<![\w])(?:{one})\s+)?(?P<lone1>{magnitude}))"
    )
    second = rf"(?:\s?(?:{joiner})(?:(?P<n2>{NUMBER})\s?(?P<m2>{magnitude})?))?"
    return re.compile(first + second + r"(?P<percent>\s?[%％])?", re.IGNORECASE)


def stated_figures(sentence: str, read: Reading) -> list[Stated]:
    """Every figure a sentence states, in order (dates as 'MM-DD' strings, in `text`)."""
    heads = tuple(sorted({word for before, _after in read.units.values() for word in before}))
    pattern = _figure_pattern(read.magnitudes, heads)
    sizes = {word.lower(): size for word, size in read.magnitudes}
    found = []
    for match in pattern.finditer(sentence):
        text = match.group(0).strip()
        if not text or (match.group("lone1") and not _names_unit(sentence, match, read)):
            continue  # a magnitude word alone ("亿万") is a figure only with its unit ("万亿美元")
        first = _number(match.group("n1")) if match.group("n1") else 1.0
        if first is None:
            continue
        size1 = sizes.get((match.group("m1") or match.group("lone1") or "").lower(), 1.0)
        values = [first * size1]
        step = _place(match.group("n1") or "1") * size1  # how precisely it is written
        if match.group("n2"):
            second = _number(match.group("n2"))
            if second is None:
                continue
            size2 = sizes.get((match.group("m2") or "").lower(), 1.0)
            if not match.group("m1") and not match.group("lone1"):  # 400到500万: the magnitude is shared
                values[0] = first * size2
            values.append(second * size2)
            step = min(
                step if match.group("m1") or match.group("lone1") else step * size2,
                _place(match.group("n2")) * size2,
            )
        unit, start, end = _unit(sentence, match, read)
        if match.group("percent") or match.group("p1"):
            unit, values, step = "share", [v / 100 for v in values], step / 100
        qualifier = _qualifier(sentence, start, end, read)
        found.append(Stated(tuple(values), unit, qualifier, sentence[start:end].strip(), step))
    found.extend(_dates(sentence, read))
    return found


def _names_unit(sentence: str, match: re.Match[str], read: Reading) -> bool:
    return _unit(sentence, match, read)[0] is not None


def _unit(sentence: str, match: re.Match[str], read: Reading) -> tuple[str | None, int, int]:
    """The unit whose words stand next to a figure, and where the figure with them starts and ends."""
    before, after = sentence[: match.start()], sentence[match.end() :]
    tail = after.lstrip(SEPARATORS)
    best: tuple[int, str | None, int, int] = (0, None, match.start(), match.end())
    for unit_id, (heads, tails) in read.units.items():
        for word in tails:
            if tail.lower().startswith(word.lower()) and len(word) > best[0]:
                best = (len(word), unit_id, match.start(), match.end() + len(after) - len(tail) + len(word))
        for word in heads:
            if before.rstrip(" ").lower().endswith(word.lower()) and len(word) > best[0]:
                best = (len(word), unit_id, len(before.rstrip(" ")) - len(word), match.end())
    return best[1], best[2], best[3]


def _qualifier(sentence: str, start: int, end: int, read: Reading) -> str | None:
    """The hedge the words around a figure carry (约, up to, を超える), if any."""
    before, after = sentence[:start].rstrip().lower(), sentence[end:].lstrip().lower()
    best: tuple[int, str | None] = (0, None)
    for name, pairs in read.cues.items():
        for head, tail in pairs:
            head_ok = not head or before.endswith(head.lower())
            tail_ok = not tail or after.startswith(tail.lower())
            if head_ok and tail_ok and len(head) + len(tail) > best[0]:
                best = (len(head) + len(tail), name)
    return best[1]


def _dates(sentence: str, read: Reading) -> Iterator[Stated]:
    """Month-and-day dates: 9月22日, September 22."""
    for match in re.finditer(r"(\d{1,2})\s?月\s?(\d{1,2})\s?日", sentence):
        yield Stated((), "date", None, f"{int(match.group(1)):02d}-{int(match.group(2)):02d}")
    names = "|".join(re.escape(name) for name in read.months if not name[:1].isdigit())
    if names:
        for match in re.finditer(rf"\b({names})\s+(\d{{1,2}})\b", sentence, re.IGNORECASE):
            month = [name.lower() for name in read.months].index(match.group(1).lower()) + 1
            yield Stated((), "date", None, f"{month:02d}-{int(match.group(2)):02d}")


def _shown(stated: list[Stated]) -> str:
    return ", ".join(f"'{figure.text}'" for figure in stated) or "no figure"


def figure_problems(fact: StatedFigure, words: Words) -> list[tuple[str, tuple[str, ...]]]:
    """What makes a fact disagree with its quote or its translations: (message, key path) pairs
    (a derived fact, or one the article gives no number for, has nothing to read)."""
    value, unit, qualifier = fact.value, fact.unit, fact.qualifier
    if value is None or fact.formula is not None:
        return []
    codes = words.codes
    sentences = [(codes[0], fact.quote, ("quote",))]
    sentences += [(lang, text, ("translations", lang)) for lang, text in fact.translations.items() if lang in codes]
    found: list[tuple[str, tuple[str, ...]]] = []
    wanted_hedge = qualifier if qualifier not in ("expected", "forecast") else None
    quoted: Stated | None = None  # the quote's figure: how precisely the article writes it
    for lang, sentence, key in sentences:
        if MARKER in sentence:  # still to be translated: the placeholder is reported, not its number
            continue
        read = reading(words.locale(lang), words.units)
        stated = stated_figures(sentence, read)
        if unit == "date":
            if not any(figure.text == value for figure in stated):
                found.append((f"the value {value!r} is not the date the {_where(key)} states ({_shown(stated)})", key))
            continue
        same_unit = [
            figure for figure in stated if figure.unit == unit or (figure.unit is None and _wordless(unit, read))
        ]
        matches = [figure for figure in same_unit if figure.equals(value)]
        shown = fact.display(lang)
        if not matches:
            elsewhere = [figure for figure in stated if figure.equals(value)]
            if elsewhere:
                message = (
                    f"the {_where(key)} states {_shown(elsewhere)}, which is not in the fact's unit '{unit}' "
                    f"({shown}); fix the unit or the value"
                )
            else:
                message = (
                    f"the value ({shown}) is not a number the {_where(key)} states in '{unit}': it states "
                    f"{_shown(same_unit or stated)}; write the value the article gives"
                )
            found.append((message, ("value",) if key == ("quote",) else key))
            continue
        if key == ("quote",):
            quoted = max(matches, key=lambda figure: figure.step)
        hedges = {figure.qualifier for figure in matches}
        if wanted_hedge not in hedges:
            said = next(iter(hedges))
            message = (
                f"the {_where(key)} says '{matches[0].text}' with no hedge, but the fact's qualifier is '{qualifier}'; "
                "remove the qualifier, or quote the words that carry it"
                if said is None
                else f"the {_where(key)} says '{matches[0].text}' ({said}); set `qualifier: {said}`"
                if not wanted_hedge
                else f"the {_where(key)} says '{matches[0].text}' ({said}), but the fact's qualifier is '{qualifier}'"
            )
            found.append((message, ("qualifier",) if key == ("quote",) else key))
    found.extend(_shown_forms(fact, words, quoted))
    return found


def _where(key: tuple[str, ...]) -> str:
    return "quote" if key == ("quote",) else f"{key[-1]} translation of the quote"


def _wordless(unit: str, read: Reading) -> bool:
    """Whether a unit has no words in this language (a count of people: 7亿), so a bare number may be it."""
    heads, tails = read.units.get(unit, ((), ()))
    return not heads and not tails


def _shown_forms(fact: StatedFigure, words: Words, quoted: Stated | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """The figure as the site shows it, in every language, must state the fact's value: neither
    more precise than the article (`quoted`: the quote's figure) nor rounded beyond it (a
    display override included)."""
    found: list[tuple[str, tuple[str, ...]]] = []
    value, unit = fact.value, fact.unit
    wanted = fact.qualifier if fact.qualifier not in ("expected", "forecast") else None
    if unit in ("date", "year"):
        return found
    for lang in words.codes:
        override = fact.display_override.get(lang)
        text = fact.display(lang)  # the override if there is one, else the site's own form
        read = reading(words.locale(lang), words.units)
        if MARKER in text:  # a unit's or qualifier's words still to be translated
            continue
        matches = [figure for figure in stated_figures(text, read) if figure.equals(value)]
        finest = min((figure.step for figure in matches if figure.step), default=0.0)
        if quoted is not None and quoted.step and finest and finest < quoted.step * (1 - CLOSE_STEP):
            key = ("display", lang) if override else ("value",)
            why = "the display override" if override else f"the site's own form in '{lang}'"
            message = (
                f"{why} '{text}' is written more precisely than the quote's '{quoted.text}'; "
                "write it to the digits the article gives"
            )
            found.append((message, key))
            continue
        if not matches:
            key = ("display", lang) if override else ("value",)
            why = "the display override" if override else f"the site's own form in '{lang}'"
            found.append((f"{why} '{text}' does not state the value {value!r}; say the figure exactly", key))
        elif override and wanted not in {figure.qualifier for figure in matches}:
            # an override's words may not hedge the figure otherwise than the quote ('about', 'more than')
            said = matches[0].qualifier
            message = (
                f"the display override '{text}' says it {'with no hedge' if said is None else f'as {said!r}'}, "
                f"but the fact's qualifier is {'none' if wanted is None else repr(wanted)}; "
                "word the override as the quote hedges it (or set the qualifier the quote's words carry)"
            )
            found.append((message, ("display", lang)))
    return found
