"""Say a figure the way each language says it: 亿/万亿 in Chinese, billion/trillion in English."""

from __future__ import annotations

Number = int | float

QUALIFIERS: dict[str, dict[str, str]] = {
    "about": {"zh": "约", "en": "about "},
    "up_to": {"zh": "至多", "en": "up to "},
    "at_least": {"zh": "至少", "en": "at least "},
    "more_than": {"zh": "超过", "en": "more than "},
    "less_than": {"zh": "不到", "en": "less than "},
    "nearly": {"zh": "近", "en": "nearly "},
    "expected": {"zh": "", "en": ""},
    "forecast": {"zh": "", "en": ""},
}

UNITS = ("usd", "share", "gw", "gpus", "people", "deals", "tranches", "year", "date")

# How a hedge follows a figure in each language: 50亿美元（预计）, $5 billion (expected).
HEDGE_FORMATS = {"zh": "{text}（{tag}）", "en": "{text} ({tag})"}

# A figure the article does not give. Not "not disclosed": that suggests the company withheld it.
NOT_IN_ARTICLE = {"zh": "文章未给出", "en": "not in the article"}
# Each language's locale: number formats inside charts (d3, via Vega) and og:locale in share cards.
LOCALES = {"zh": "zh-CN", "en": "en-US"}

_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def plain(x: Number, decimals: int = 3) -> str:
    """Write a number without trailing zeros: 4.420 -> '4.42', 10.0 -> '10'."""
    text = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
    return text or "0"


def _zh_magnitude(x: Number) -> str:
    """Scale a number to 万亿, 亿 or 万 as a Chinese reader expects."""
    for size, word in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
        if abs(x) >= size:
            return plain(x / size, 2) + word
    return plain(x, 2)


def _en_magnitude(x: Number) -> str:
    """Scale a number to trillion, billion or million as an English reader expects."""
    for size, word in ((1e12, " trillion"), (1e9, " billion"), (1e6, " million")):
        if abs(x) >= size:
            return plain(x / size, 2) + word
    return f"{x:,.0f}" if float(x).is_integer() else plain(x, 2)


def _en_short(x: Number) -> str:
    """Abbreviate for chart labels: 5e9 -> '5B', 2e12 -> '2T'."""
    for size, word in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(x) >= size:
            return plain(x / size, 2) + word
    return plain(x, 2)


def format_amount(value: Number | list[Number], unit: str, lang: str, short: bool = False) -> str:
    """Format a value (or a [low, high] range) of a unit in a language, without qualifier."""
    if isinstance(value, list):
        lo, hi = value
        if unit == "share":
            if lang == "zh":
                return f"{plain(lo * 100, 2)}%–{plain(hi * 100, 2)}%"
            return f"{plain(lo * 100, 2)}–{plain(hi * 100, 2)}%"
        if lang == "en" and unit in ("gpus", "people", "usd"):
            lo_text, hi_text = _en_magnitude(lo), _en_magnitude(hi)
            lo_num, _, lo_word = lo_text.partition(" ")
            _hi_num, _, hi_word = hi_text.partition(" ")
            joined = f"{lo_num}–{hi_text}" if lo_word == hi_word else f"{lo_text}–{hi_text}"
            return _unit_en(joined, unit)
        lo_text, hi_text = format_amount(lo, unit, lang, short), format_amount(hi, unit, lang, short)
        for suffix in ("美元", "块", "吉瓦", "笔"):
            if lo_text.endswith(suffix) and hi_text.endswith(suffix):
                lo_text = lo_text.removesuffix(suffix)
        return f"{lo_text}–{hi_text}"
    if lang == "zh":
        return _unit_zh(value, unit)
    return _unit_en_value(value, unit, short)


def _unit_zh(x: Number, unit: str) -> str:
    if unit == "usd":
        return _zh_magnitude(x) + "美元"
    if unit == "share":
        return plain(x * 100, 2) + "%"
    if unit == "gw":
        return plain(x) + "吉瓦"
    if unit == "gpus":
        return _zh_magnitude(x) + "块"
    if unit == "people":
        return _zh_magnitude(x)
    if unit in ("deals", "tranches"):
        return plain(x) + "笔"
    if unit == "year":
        return f"{int(x)}年"
    msg = f"unknown unit {unit!r}"
    raise ValueError(msg)


def _unit_en(text: str, unit: str) -> str:
    if unit == "usd":
        return f"${text}"
    if unit == "gpus":
        return f"{text} GPUs"
    return text


def _unit_en_value(x: Number, unit: str, short: bool) -> str:
    if unit == "usd":
        return "$" + (_en_short(x) if short else _en_magnitude(x))
    if unit == "share":
        return plain(x * 100, 2) + "%"
    if unit == "gw":
        return plain(x) + " GW"
    if unit == "gpus":
        return _en_magnitude(x) + " GPUs"
    if unit == "people":
        return _en_short(x) if short else _en_magnitude(x)
    if unit in ("deals", "tranches"):
        return f"{plain(x)} {unit}"
    if unit == "year":
        return str(int(x))
    msg = f"unknown unit {unit!r}"
    raise ValueError(msg)


def format_date(month_day: str, lang: str) -> str:
    """Format 'MM-DD' as 9月22日 or September 22."""
    month, day = (int(part) for part in month_day.split("-"))
    return f"{month}月{day}日" if lang == "zh" else f"{_MONTHS_EN[month - 1]} {day}"


def format_figure(
    value: Number | list[Number] | str | None,
    unit: str,
    qualifier: str | None,
    lang: str,
    short: bool = False,
) -> str:
    """Say a figure in full, qualifier included: 约14万亿美元, about $14 trillion, 文章未给出."""
    if value is None:
        return NOT_IN_ARTICLE[lang]
    text = format_date(value, lang) if unit == "date" else format_amount(value, unit, lang, short)
    prefix = QUALIFIERS[qualifier][lang] if qualifier else ""
    return prefix + text


def hedge_after(text: str, tag: str, lang: str) -> str:
    """Put a hedge after a figure the way the language brackets it; no tag, no brackets."""
    return HEDGE_FORMATS[lang].format(text=text, tag=tag) if tag else text
