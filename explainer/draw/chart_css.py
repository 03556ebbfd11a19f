"""CSS generated from the chart kit, appended to site.css: which layout of a chart shows at which
width, and the charts' colours in dark mode.

Dark mode comes two ways: from the reader's system (`prefers-color-scheme`, unless the page is
pinned light) and forced by `data-theme="dark"` on <html> (an embed page asked for `?theme=dark`).
The forced page colours are copied from site.css's own dark block, so they are written once.

Both come from the charts' own definitions (the kit's layouts, the theme's colours) so that a
new layout or a new colour needs no hand-written CSS. The dark-mode colours are the theme's own
`DARK` map (`theme.dark_rules()`); any other theme colour that would fall below WCAG against the
dark page (3:1 for marks, 1.4.11; 4.5:1 for text, 1.4.3) gets the same hue lightened just
enough, so a colour added to the theme without a dark variant can't slip through.
"""

from __future__ import annotations

import colorsys
import functools
import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from explainer.chartkit import theme
from explainer.core.store import JSON, Store, Stores
from explainer.draw.render import ChartView, RenderedChart, layouts

# this module and the one that reads an SVG's size: the kept rules are made by them
_CODE = b"".join(Path(__file__).with_name(name).read_bytes() for name in ("chart_css.py", "render.py"))

MARK_CONTRAST, TEXT_CONTRAST = 3.0, 4.5
_DRAWN_COLOUR = re.compile(r'(?:fill|stroke)="(#[0-9a-fA-F]{6})"')
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
DARK_ROOT = re.compile(r"prefers-color-scheme:\s*dark\)\s*\{\s*:root[^{]*\{([^}]*)\}")
DARK_BACKGROUND = re.compile(r"prefers-color-scheme:\s*dark\)\s*\{\s*:root[^{]*\{[^}]*--bg:\s*(#[0-9a-fA-F]{6})")
# the pages that follow the reader's system (no theme pinned, or theme=auto), and a forced dark page
FOLLOWS_SYSTEM = ':root:not([data-theme="light"])'
FORCED_DARK = ':root[data-theme="dark"]'


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


def drawn_colours(rendered: Iterable[RenderedChart]) -> list[str]:
    """Every #rrggbb colour the charts fill or stroke with: a project's own colours (its
    companies, parties, teams) are in its charts folder, not in the engine's theme."""
    found = {colour.lower() for chart in rendered for view in chart.views for colour in _DRAWN_COLOUR.findall(view.svg)}
    return sorted(found)


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


def dark_chart_rules(scope: str, background: str, drawn: Iterable[str] = ()) -> str:
    """The theme's dark-mode rules for the charts under `scope`, plus a lighter stand-in for any
    theme colour, or colour the charts draw with, that falls short against the dark background."""
    explicit = _explicit()
    chart = f"{scope} .chart svg"
    rules = [theme.dark_rules(chart)]
    for colour in sorted({*theme_colours(), *drawn}):
        if colour in explicit:
            continue
        mark, text = dark_variants(colour, background)
        if mark != colour:
            rules.append(f'{chart} [fill="{colour}"]{{fill:{mark}}}{chart} [stroke="{colour}"]{{stroke:{mark}}}')
        if text != colour:
            rules.append(f'{chart} text[fill="{colour}"]{{fill:{text}}}')
    return "".join(rules)


def dark_mode_css(background: str, drawn: Iterable[str] = ()) -> str:
    """The charts' dark colours: with the reader's dark system (unless the page is pinned light),
    and on a page forced dark."""
    drawn = tuple(drawn)
    following = dark_chart_rules(FOLLOWS_SYSTEM, background, drawn)
    return "@media (prefers-color-scheme: dark){" + following + "}" + dark_chart_rules(FORCED_DARK, background, drawn)


def forced_dark_css(dark_root: str) -> str:
    """site.css's dark page colours (the body of its dark :root block) for a page forced dark."""
    return f"{FORCED_DARK}{{{dark_root.strip()};color-scheme:dark}}"


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


def chart_css(site_css: str, drawn: Iterable[str] = ()) -> str:
    """The generated rules for site.css, given site.css itself (for its dark colours) and the
    colours the charts draw with (drawn_colours)."""
    match = DARK_BACKGROUND.search(site_css)
    if not match:
        msg = "templates/assets/site.css: no dark-mode --bg colour found; keep `--bg: #rrggbb` in its dark :root"
        raise ValueError(msg)
    dark_root = DARK_ROOT.search(site_css)
    return forced_dark_css(dark_root.group(1)) + layout_css() + dark_mode_css(match.group(1), drawn)


def view_box_store(stores: Stores) -> Store:
    """Where the rules are kept (.cache/view-box): one record."""
    return stores.open("view-box", JSON, entries=1)


def view_box_css(rendered: Iterable[RenderedChart], kept: Store | None = None) -> str:
    """Give each layout's box the SVG's own size and aspect ratio, from the stylesheet: the pages'
    Content-Security-Policy allows no inline style attribute (style-src 'self'). Also its size
    in plain mode (an embed page's ?plain=1): without the title band at the top.

    `kept`: a store keeping the rules made from the same SVGs by this code: reading each SVG for
    its title band took a rebuild 3 ms, hashing them takes a fifth of that."""
    charts = sorted(rendered, key=lambda each: (each.chart_id, each.lang))
    if kept is None:
        return _view_box_rules(charts)
    key = hashlib.sha256(_CODE)
    for chart in charts:
        for view in chart.views:
            key.update(f"\0{chart.chart_id}\0{chart.lang}\0{view.layout}\0".encode() + view.svg.encode())
    record = kept.get("view-box")
    if isinstance(record, dict) and record.get("key") == key.hexdigest() and isinstance(record.get("css"), str):
        return record["css"]
    css = _view_box_rules(charts)
    kept.put("view-box", {"key": key.hexdigest(), "css": css})
    return css


def _view_box_rules(charts: list[RenderedChart]) -> str:
    rules = []
    for chart in charts:
        for view in chart.views:
            box = view_box(chart, view)
            width, height = view.width, view.height
            rest = height - title_band(view.svg)
            rules.append(
                f'.chart-view[data-box="{box}"]{{max-width:{width:g}px;aspect-ratio:{width:g}/{height:g}}}'
                f'html[data-plain] .chart-view[data-box="{box}"]{{--plain-ratio:{width:g}/{rest:g};'
                f"--plain-top:{(rest - height) / rest * 100:.3f}%;--plain-height:{height / rest * 100:.3f}%}}"
            )
    return "".join(rules)


SVG_NS = "{http://www.w3.org/2000/svg}"
TRANSLATE = re.compile(r"translate\(\s*(-?[\d.]+)[\s,]+(-?[\d.]+)\s*\)")
DESCENT = 0.3  # below a text's baseline, in font sizes (descenders, with a little room)


def _offset(element: ElementTree.Element) -> float:
    """The vertical part of an element's translate(x, y), 0 without one."""
    match = TRANSLATE.search(element.get("transform") or "")
    return float(match.group(2)) if match else 0.0


@functools.lru_cache(maxsize=256)  # asked by the stylesheet and by every page's embed code
def title_band(svg: str) -> float:
    """How far down the chart's own title and subtitle reach, in the SVG's units: the band a
    plain embed cuts off. Read from Vega's SVG (the root frame's title group); 0 when
    the chart has no title. Never more than where the plot itself starts."""
    root = ElementTree.fromstring(svg)
    outer = root.find(f"{SVG_NS}g")
    frame = outer.find(f"{SVG_NS}g/{SVG_NS}g/{SVG_NS}g") if outer is not None else None
    if frame is None:
        return 0.0
    plot_top = _offset(outer)
    for group in frame.findall(f"{SVG_NS}g"):
        if "role-title" not in (group.get("class") or "").split():
            continue
        placed = group.find(f"{SVG_NS}g")
        bottoms = []
        for text in placed.iter(f"{SVG_NS}text"):
            lines = sum(float(span.get("dy") or 0) for span in text.findall(f"{SVG_NS}tspan"))
            size = float((text.get("font-size") or "0").removesuffix("px"))
            bottoms.append(_offset(text) + lines + DESCENT * size)
        if bottoms:
            return min(plot_top, plot_top + _offset(placed) + max(bottoms))
    return 0.0


def view_box(chart: RenderedChart, view: ChartView) -> str:
    """The name that ties a layout's box in a page to its size in the stylesheet."""
    return f"{chart.chart_id}-{chart.lang}-{view.layout}"
