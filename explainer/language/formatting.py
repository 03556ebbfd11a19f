"""Say a figure the way each language says it, from data: Babel (CLDR) gives the digits, the
magnitude words (亿, 億, billion) and the plural forms; the locale and unit files give the words
around them (美元, $, ドル) and where they go.

A figure keeps the precision its value holds: 60724000000 is 607.24亿 and $60.724 billion, never
rounded to $60.72 billion (EDITORIAL: round only with "about").
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal

from babel import Locale as BabelLocale
from babel import dates as babel_dates
from babel.dates import format_skeleton
from babel.numbers import format_compact_decimal, format_decimal

from explainer.language.locales import Locale
from explainer.language.units import Unit
from explainer.language.words import Words, words_in_use

Number = int | float


@functools.cache
def _babel(locale_id: str) -> BabelLocale:
    """Babel's locale, parsed once per process (its CLDR data is loaded on first use)."""
    return BabelLocale.parse(locale_id)


def _decimal(x: Number | Decimal) -> Decimal:
    """The number as written (repr), so 0.1 stays 0.1 and no float noise reaches the page."""
    return x if isinstance(x, Decimal) else Decimal(repr(x))


def _places(x: Decimal) -> int:
    """Fraction digits enough to keep every digit of x after dividing by any magnitude."""
    _sign, digits, exponent = x.normalize().as_tuple()
    return max(0, -int(exponent)) + len(digits) + max(0, int(exponent))


def _number(x: Decimal, unit: Unit, locale: Locale, short: bool) -> str:
    """Write an amount without its unit's words: 607.24亿, 60.724 billion, 5B, 55, 2029."""
    if unit.number == "percent":
        x = x * 100
    if unit.number == "year":
        return str(int(x))
    if unit.number == "compact" and abs(x) >= locale.compact_from:
        form = "short" if short and unit.short else "long"
        return _babel_number(str(x), locale.babel, form)
    return _babel_number(str(x), locale.babel, None)


@functools.lru_cache(maxsize=4096)
def _babel_number(written: str, locale_id: str, compact: str | None) -> str:
    """Babel's number (compact: 'short' or 'long'), once per process for the same digits: a build
    says each figure several times (the fact, its chart, its table) and Babel takes a fraction of a
    millisecond each time. Keyed by the digits as written: Decimal('1.0') == Decimal('1'), but
    they are written differently."""
    x, babel = Decimal(written), _babel(locale_id)
    if compact is not None:
        return format_compact_decimal(x, format_type=compact, locale=babel, fraction_digits=_places(x))
    return format_decimal(x, locale=babel, decimal_quantization=False)


def _plural(x: Decimal, locale: Locale) -> str:
    return _babel(locale.babel).plural_form(abs(x))


def _worded(text: str, x: Decimal, unit: Unit, locale: Locale) -> str:
    """Put the unit's words around an amount, in the plural form the amount takes."""
    forms = unit.words_in(locale).forms
    return forms.get(_plural(x, locale), forms["other"]).format(amount=text)


def _split_magnitude(text: str) -> tuple[str, str]:
    """Split '4 million' into ('4', ' million') and '400万' into ('400', '万')."""
    end = len(text)
    while end and not text[end - 1].isdigit():
        end -= 1
    return text[:end], text[end:]


def amount(value: Number | list[Number], unit: Unit, locale: Locale, short: bool = False) -> str:
    """Format a value (or a [low, high] range) of a unit in a locale, without qualifier."""
    if isinstance(value, list):
        lo, hi = (_decimal(v) for v in value)
        lo_text, hi_text = _number(lo, unit, locale, short), _number(hi, unit, locale, short)
        lo_num, lo_word = _split_magnitude(lo_text)
        if locale.range_shares_magnitude and lo_word and lo_word == _split_magnitude(hi_text)[1]:
            lo_text = lo_num  # 4–5 million
        words = unit.words_in(locale)
        if words.range is not None:
            return words.range.format(low=lo_text, high=hi_text)
        return _worded(locale.range.format(low=lo_text, high=hi_text), hi, unit, locale)
    x = _decimal(value)
    return _worded(_number(x, unit, locale, short), x, unit, locale)


def date(month_day: str, locale: Locale) -> str:
    """Format 'MM-DD' with the language's date skeleton: 9月22日, September 22."""
    month, day = (int(part) for part in month_day.split("-"))
    # a leap year, so 02-29 is a date
    return format_skeleton(locale.date, datetime.date(2000, month, day), locale=_babel(locale.babel))


def figure(
    value: Number | list[Number] | str | None,
    unit: Unit,
    qualifier: str | None,
    locale: Locale,
    short: bool = False,
) -> str:
    """Say a figure in full, qualifier included: 约14万亿美元, about $14 trillion, 文章未给出."""
    if value is None:
        return locale.not_in_article
    text = date(value, locale) if unit.number == "date" else amount(value, unit, locale, short)  # type: ignore[arg-type]
    return locale.qualifiers[qualifier].format(figure=text) if qualifier else text


def hedged(text: str, tag: str, locale: Locale) -> str:
    """Put a hedge after a figure the way the language brackets it; no tag, no brackets."""
    return locale.hedge.format(text=text, tag=tag) if tag else text


# -- by language code, with the Words in use (the chart kit and renderer call these) ------------


def format_amount(
    value: Number | list[Number], unit: str, lang: str, short: bool = False, words: Words | None = None
) -> str:
    """Format a value (or a [low, high] range) of a unit in a language, without qualifier."""
    words = words or words_in_use()
    return amount(value, words.unit(unit), words.locale(lang), short)


def format_date(month_day: str, lang: str, words: Words | None = None) -> str:
    """Format 'MM-DD' as 9月22日 or September 22."""
    return date(month_day, (words or words_in_use()).locale(lang))


def format_figure(
    value: Number | list[Number] | str | None,
    unit: str,
    qualifier: str | None,
    lang: str,
    short: bool = False,
    words: Words | None = None,
) -> str:
    """Say a figure in full, qualifier included: 约14万亿美元, about $14 trillion, 文章未给出."""
    words = words or words_in_use()
    return figure(value, words.unit(unit), qualifier, words.locale(lang), short)


def hedge_after(text: str, tag: str, lang: str, words: Words | None = None) -> str:
    """Put a hedge after a figure the way the language brackets it; no tag, no brackets."""
    return hedged(text, tag, (words or words_in_use()).locale(lang))


def not_in_article(lang: str) -> str:
    """What a figure the article does not give reads as: 文章未给出, not in the article."""
    return words_in_use().locale(lang).not_in_article


def web_locale(lang: str) -> str:
    """The language's locale for d3 number formats in charts and og:locale: zh-CN, en-US."""
    return words_in_use().locale(lang).web


def hedge_format(lang: str) -> str:
    """How a hedge follows a figure in a language: '{text}（{tag}）'."""
    return words_in_use().locale(lang).hedge


def long_date(day: datetime.date, lang: str, words: Words | None = None) -> str:
    """A day as a language writes it in full, from Babel: 2026年12月7日, December 7, 2026."""
    locale = (words or words_in_use()).locale(lang)
    return babel_dates.format_date(day, "long", locale=_babel(locale.babel))
