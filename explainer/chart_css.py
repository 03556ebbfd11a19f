"""CSS generated from the chart kit, appended to site.css: which layout of a chart shows at which
width, and the charts' colours in dark mode.

Both come from the charts' own definitions (the kit's layouts, the theme's colours) so that a
new layout or a new colour needs no hand-written CSS. The dark-mode colours are the theme's own
`DARK` map (`theme.dark_css()`); any other theme colour that would fall below WCAG against the
dark page (3:1 for marks, 1.4.11; 4.5:1 for text, 1.4.3) gets the same hue lightened just
enough, so a colour added to the theme without a dark variant can't slip through.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterable, Iterator
from typing import Any

from charts import theme

from .render import ChartView, RenderedChart, layouts

MARK_CONTRAST, TEXT_CONTRAST = 3.0, 4.5
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


def _explicit() -> dict[str, str]:
    """The theme's own dark-mode choices: text colours (DARK) and rules (DARK_RULES)."""
    chosen = {**getattr(theme, "DARK", {}), **getattr(theme, "DARK_RULES", {})}
    return {light.lower(): dark for light, dark in chosen.items()}


def dark_variants(colour: str, background: str) -> tuple[str, str]:
    """A colour's dark-mode stand-ins (as a mark, as text): the theme's choice if it makes one,
    else the colour itself, lightened only where it falls short."""
    explicit = _explicit()
    if colour in explicit:
        return explicit[colour], explicit[colour]
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
        # the colours charts draw with: not the page backgrounds, not the dark stand-ins themselves
        values = [
            v
            for k, v in vars(theme).items()
            if k.isupper() and not k.startswith("DARK") and not k.endswith("BACKGROUND")
        ]
    return sorted({colour for value in values for colour in walk(value)})


def dark_mode_css(background: str) -> str:
    """The theme's dark-mode rules, plus a lighter stand-in for any theme colour that falls short."""
    explicit = _explicit()
    rules = []
    for colour in theme_colours():
        if colour in explicit:
            continue
        mark, text = dark_variants(colour, background)
        if mark != colour:
            rules.append(f'.chart svg [fill="{colour}"]{{fill:{mark}}}.chart svg [stroke="{colour}"]{{stroke:{mark}}}')
        if text != colour:
            rules.append(f'.chart svg text[fill="{colour}"]{{fill:{text}}}')
    extra = "@media (prefers-color-scheme: dark){" + "".join(rules) + "}" if rules else ""
    return theme.dark_css() + extra


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


def view_box_css(rendered: Iterable[RenderedChart]) -> str:
    """Give each layout's box the SVG's own size and aspect ratio, from the stylesheet: the pages'
    Content-Security-Policy allows no inline style attribute (style-src 'self')."""
    rules = []
    for chart in sorted(rendered, key=lambda each: (each.chart_id, each.lang)):
        for view in chart.views:
            box = view_box(chart, view)
            rules.append(
                f'.chart-view[data-box="{box}"]{{max-width:{view.width:g}px;aspect-ratio:{view.width:g}/{view.height:g}}}'
            )
    return "".join(rules)


def view_box(chart: RenderedChart, view: ChartView) -> str:
    """The name that ties a layout's box in a page to its size in the stylesheet."""
    return f"{chart.chart_id}-{chart.lang}-{view.layout}"
