"""One look for every chart, registered with Altair's theme registry as "explainer".

Every colour the engine's charts use is named here (a project adds its own in its charts folder). Mark colours (bars, dots, arrows, squares) reach 3:1
against both the white page and the dark page (#16181d), so they need no dark variant. Text can't
reach 4.5:1 on both with one colour, so chart text uses only INK and MUTED, and `DARK` maps each
text colour to its dark-mode colour (and `DARK_RULES` the faint gridline colour): the page's CSS
is generated from them (`dark_css()`, or the site's own generator), never copied by hand.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import altair as alt

# The font stack of a chart whose language's script has none below (and of a drawing in no language).
FONT = (
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"Microsoft YaHei", sans-serif'
)
_SYSTEM = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial'
# what a CJK word inside Latin-first text (a Chinese title in an English source line) is set in
CJK_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif'
# Each script's font stack (the script of a language's Babel locale: en_US is Latn, zh_CN Hans).
# vl-convert measures and draws with the first family it has, a browser with the first it has.
# Latin first comes a Latin face, so quotes and spaces are set as Latin (Noto Sans CJK sets
# "The “ONO” triangle" with full-width quotes): Source Sans Pro, the Latin of Noto Sans CJK
# itself, so a chart keeps its look (a pinned Python package: explainer/draw/chart_fonts.py). CJK
# scripts put Noto Sans CJK in their own region's forms first, with its full-width quotes.
FONTS = {
    "Latn": f'"Source Sans Pro", {_SYSTEM}, {CJK_FONT}',
    "Hans": f"{CJK_FONT.removesuffix(', sans-serif')}, {_SYSTEM}, sans-serif",
    "Hant": f'"Noto Sans CJK TC", "Source Han Sans TC", "PingFang TC", "Microsoft JhengHei", {_SYSTEM}, sans-serif',
    "Jpan": f'"Noto Sans CJK JP", "Source Han Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, {_SYSTEM}, sans-serif',
    "Kore": f'"Noto Sans CJK KR", "Source Han Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", {_SYSTEM}, sans-serif',
}

LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#16181d"

# text and rules: remapped in dark mode
INK = "#1f2328"
MUTED = "#59636e"
GRID = "#d8dee4"

# marks: 3:1 or more on both backgrounds
LOSS = "#d1402f"
PROFIT = "#0b7a52"
ACCENT = "#3b74d6"
UNKNOWN = "#8c959f"
ON_MARK = "#ffffff"  # text drawn on a filled mark

# dark-mode text colours (4.5:1 on the dark page); white on a filled mark stays white
DARK = {INK: "#e6e8eb", MUTED: "#a3acb6", ON_MARK: ON_MARK}
DARK_RULES = {GRID: "#363c44"}  # gridlines: as faint on the dark page as on white (never text)

# sizes in CSS px: chart text stays between these (the page's h2 is 1.4rem = 22.4 px)
TEXT_SIZE = 13
SMALL_SIZE = 12
TITLE_SIZE = {"narrow": 16, "wide": 18}
PADDING = 4


def contrast(first: str, second: str) -> float:
    """Compute the WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def marks() -> dict[str, str]:
    """Name every mark colour (they must reach 3:1 on both page backgrounds)."""
    return {"loss": LOSS, "profit": PROFIT, "accent": ACCENT}


def dark_rules(selector: str = ".chart svg") -> str:
    """Write the dark-mode remapping of the chart colours as bare CSS rules, for a page to scope
    (inside a media query, or under a forced dark theme)."""
    return "\n".join(
        f'{selector} [{attr}="{light}"] {{ {attr}: {dark}; }}'
        for light, dark in {**DARK, **DARK_RULES}.items()
        for attr in ("fill", "stroke")
    )


def dark_css(selector: str = ".chart svg") -> str:
    """Write the dark-mode remapping of the chart colours as CSS rules (inside a media query)."""
    return "@media (prefers-color-scheme: dark) {\n  " + dark_rules(selector).replace("\n", "\n  ") + "\n}\n"


def font(lang: str | None = None) -> str:
    """The font stack charts in a language draw with: its script's (FONTS, the script read from
    the language's Babel locale in the project's words), else FONT."""
    if lang is None:
        return FONT
    from explainer.language.words import words_in_use  # here: the theme's colours are read without the words

    return FONTS.get(script(words_in_use().locale(lang).babel), FONT)


def script(babel_locale: str) -> str:
    """The script a Babel locale writes in (zh_CN: Hans, en_US: Latn, ja_JP: Jpan), from CLDR's
    likely subtags when the locale does not name it; empty if unknown."""
    from babel.core import Locale, UnknownLocaleError, get_global

    try:
        parsed = Locale.parse(babel_locale)
    except (UnknownLocaleError, ValueError, TypeError):
        return ""
    if parsed.script:
        return parsed.script
    likely = get_global("likely_subtags")
    parts = (likely.get(babel_locale) or likely.get(parsed.language) or "").split("_")
    return parts[1] if len(parts) > 2 else ""


def cjk_first(stack: str) -> bool:
    """Whether a font stack sets CJK first (then a CJK word in it needs no face of its own)."""
    first = stack.split(",", 1)[0].strip().strip("\"'")
    return any(name in first for name in ("CJK", "Han Sans", "Han Serif", "PingFang", "Hiragino", "YaHei"))


def explainer(font: str = FONT) -> alt.theme.ThemeConfig:
    """Return the Vega-Lite config every chart shares, in a language's font stack."""
    label = {"labelFont": font, "titleFont": font, "labelFontSize": TEXT_SIZE, "titleFontSize": SMALL_SIZE}
    return {
        "config": {
            "background": "transparent",
            # The figure's caption and data table speak for the chart; per-mark labels would be noise.
            "aria": False,
            "font": font,
            "padding": PADDING,
            "view": {"strokeWidth": 0},
            "title": {
                "font": font,
                "fontSize": TITLE_SIZE["wide"],
                "fontWeight": 700,
                "color": INK,
                "anchor": "start",
                "subtitleColor": MUTED,
                "subtitleFontSize": TEXT_SIZE,
                "subtitleFont": font,
                "subtitlePadding": 6,
                "offset": 14,
                "lineHeight": 22,
                "subtitleLineHeight": 18,
            },
            "axis": {
                **label,
                "titleFontWeight": 500,
                "labelColor": MUTED,
                "titleColor": MUTED,
                "domainColor": MUTED,
                "tickColor": GRID,
                "gridColor": GRID,
            },
            "legend": {**label, "labelColor": INK, "titleColor": MUTED},
            "header": {"labelFont": font, "titleFont": font, "labelFontSize": TEXT_SIZE, "titleFontSize": TEXT_SIZE},
            "text": {"font": font, "fontSize": TEXT_SIZE, "color": INK},
            "bar": {"cornerRadiusEnd": 2},
        }
    }


_stack = [FONT]  # the font stack of the language being drawn (the last `register(lang)`)


def register(lang: str | None = None, *, keep: bool = False) -> None:
    """Register and enable the theme in Altair, in a language's font stack (`keep`: the one
    registered last). Called when Altair is first used (explainer/chartkit/_altair.py, keeping
    the language: that can happen inside a chart's first render) and before every render
    (explainer/draw/render.py, with the chart's language), not on import: the build's own process
    reads these colours without importing Altair."""
    import altair as alt  # here, not at the top: only where charts are drawn

    if not keep:
        _stack[0] = font(lang)
    stack = _stack[0]

    def config() -> alt.theme.ThemeConfig:
        return explainer(stack)

    config.__name__ = explainer.__name__
    alt.theme.register("explainer", enable=True)(config)


if "altair" in sys.modules:  # a chart module or a test that imported Altair first gets the theme at once
    register()
