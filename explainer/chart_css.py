"""CSS generated from the chart kit, appended to site.css: which layout of a chart shows at which
width, and the charts' colours in dark mode.

Both come from the charts' own definitions (the kit's layouts, the theme's colours) so that a
new layout or a new colour needs no hand-written CSS. Dark-mode colours keep each colour's hue
and are lightened just enough to meet WCAG against the dark page: 3:1 for marks (1.4.11), 4.5:1
for text (1.4.3). Near-black ink turns near-white; light fills that were never marks (grid,
blanks) are mirrored to dark ones, as faint against the dark page as they were against white,
so that text drawn on them stays readable.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterable, Iterator
from typing import Any

from charts import theme

from .render import layouts

MARK_CONTRAST, TEXT_CONTRAST, INK_CONTRAST = 3.0, 4.5, 10.0
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
DARK_BACKGROUND = re.compile(r"prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{[^}]*--bg:\s*(#[0-9a-fA-F]{6})")


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _hls(hex_colour: str) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(*(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)))


def _hex(h: float, lightness: float, s: float) -> str:
    r, g, b = colorsys.hls_to_rgb(h, min(lightness, 1.0), s)
    return "#" + "".join(f"{round(c * 255):02x}" for c in (r, g, b))


def _lighten(colour: str, background: str, need: float) -> str:
    """The same hue, lighter in small steps until it reaches the contrast needed."""
    h, lightness, s = _hls(colour)
    result = colour
    while contrast(result, background) < need and lightness < 1.0:
        lightness += 0.01
        result = _hex(h, lightness, s)
    return result


def dark_variants(colour: str, background: str) -> tuple[str, str]:
    """A colour's dark-mode stand-ins: (as a mark, as text)."""
    on_white = contrast(colour, "#ffffff")
    if on_white >= INK_CONTRAST or on_white < MARK_CONTRAST:
        h, lightness, s = _hls(colour)  # ink and pale fills: mirror the lightness
        mirrored = _hex(h, 1 - lightness, s)
        need = MARK_CONTRAST if on_white >= INK_CONTRAST else on_white  # pale fills: as faint as on white
        return _lighten(mirrored, background, need), _lighten(mirrored, background, TEXT_CONTRAST)
    return _lighten(colour, background, MARK_CONTRAST), _lighten(colour, background, TEXT_CONTRAST)


def theme_colours(values: Iterable[Any] | None = None) -> list[str]:
    """Every #rrggbb colour the chart theme defines (module constants, dicts, tuples), sorted."""

    def walk(value: Any) -> Iterator[str]:
        if isinstance(value, str) and _HEX.match(value):
            yield value.lower()
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from walk(item)

    if values is None:
        values = [v for k, v in vars(theme).items() if k.isupper()]
    return sorted({colour for value in values for colour in walk(value)})


def dark_mode_css(background: str) -> str:
    """Remap every theme colour in chart SVGs (static and live) for the dark page background."""
    explicit = {k.lower(): v for k, v in getattr(theme, "DARK", {}).items()}
    rules = []
    for colour in theme_colours():
        mark, text = dark_variants(colour, background)
        if colour in explicit:  # the theme's own choice, if it makes one
            mark = text = explicit[colour]
        rules.append(f'.chart svg [fill="{colour}"]{{fill:{mark}}}')
        rules.append(f'.chart svg [stroke="{colour}"]{{stroke:{mark}}}')
        rules.append(f'.chart svg text[fill="{colour}"]{{fill:{text}}}')
    return "@media (prefers-color-scheme: dark){" + "".join(rules) + "}"


def layout_css() -> str:
    """Show the widest layout that fits the chart's column: narrowest by default, each wider one
    from its own width up (a CSS container query, so no JavaScript is needed)."""
    ordered = layouts()
    rules = [f'.chart-view:not([data-layout="{ordered[0].name}"]){{display:none}}']
    for layout in ordered[1:]:
        rules.append(
            f"@container chart (min-width:{layout.width}px){{.chart-view{{display:none}}"
            f'.chart-view[data-layout="{layout.name}"]{{display:block}}}}'
        )
    return "".join(rules)


def chart_css(site_css: str) -> str:
    """The generated rules for site.css, given site.css itself (for its dark background)."""
    match = DARK_BACKGROUND.search(site_css)
    if not match:
        msg = "templates/assets/site.css: no dark-mode --bg colour found; keep `--bg: #rrggbb` in its dark :root"
        raise ValueError(msg)
    return layout_css() + dark_mode_css(match.group(1))
