"""One look for every chart: system fonts with CJK fallbacks, a small palette, quiet axes.

Colours are chosen for contrast on white (WCAG AA for text) and stay readable when the
page's dark mode restyles axis and title text through CSS.
"""

from __future__ import annotations

from typing import Any

FONT = (
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"Microsoft YaHei", sans-serif'
)

INK = "#1f2328"
MUTED = "#59636e"
GRID = "#d8dee4"

COMPANY = {"openai": "#0e7c66", "oracle": "#c2410c", "nvidia": "#4f7a0b"}
LOSS = "#b42318"
PROFIT = "#0b7a52"  # distinct from OpenAI's green so dark mode can lighten it alone
ACCENT = "#1f5fbf"
UNKNOWN = "#8c959f"

WIDTH = 360


def config() -> dict[str, Any]:
    """Return the Vega-Lite config every chart shares."""
    return {
        "background": "transparent",
        # The figure's caption and data table speak for the chart; per-mark labels would be noise.
        "aria": False,
        "font": FONT,
        "padding": 8,
        "view": {"strokeWidth": 0},
        "title": {
            "font": FONT,
            "fontSize": 16,
            "fontWeight": 600,
            "color": INK,
            "anchor": "start",
            "subtitleColor": MUTED,
            "subtitleFontSize": 12,
            "subtitleFont": FONT,
            "offset": 12,
        },
        "axis": {
            "labelFont": FONT,
            "titleFont": FONT,
            "labelFontSize": 13,
            "titleFontSize": 12,
            "titleFontWeight": 500,
            "labelColor": MUTED,
            "titleColor": MUTED,
            "domainColor": GRID,
            "tickColor": GRID,
            "gridColor": GRID,
        },
        "legend": {
            "labelFont": FONT,
            "titleFont": FONT,
            "labelFontSize": 13,
            "titleFontSize": 12,
            "labelColor": INK,
            "titleColor": MUTED,
        },
        "text": {"font": FONT, "fontSize": 13, "color": INK},
        "bar": {"cornerRadiusEnd": 2},
    }
