"""What a chart travels as: PNG, a social preview image, and CSV of the plotted data.

PNGs are rasterised by vl-convert from the chart's own SVG, with a CJK font registered so
Chinese renders (Debian's fonts-noto-cjk, which the Makefile installs). Rasterising costs
far more than anything else, so each image is cached on disk by a hash of its SVG.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import vl_convert as vlc

from .assets import write_atomically
from .facts import FactBook
from .render import RenderedChart

FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto"))
OG_WIDTH, OG_HEIGHT, OG_MARGIN = 1200, 630, 48
CSV_COLUMNS = ("name", "value", "unit", "display", "fact", "quote")

_registered = False


def register_fonts() -> None:
    """Tell vl-convert where the CJK fonts are (once per process)."""
    global _registered
    if not _registered:
        for folder in FONT_DIRS:
            if folder.is_dir():
                vlc.register_font_directory(str(folder))
        _registered = True


def social_svg(svg: str, width: float, height: float) -> str:
    """Centre a chart's SVG on a white 1200x630 card, the size share previews use."""
    inner = re.sub(r"^<svg\b[^>]*>", "", svg, count=1).rsplit("</svg>", 1)[0]
    box_w, box_h = OG_WIDTH - 2 * OG_MARGIN, OG_HEIGHT - 2 * OG_MARGIN
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{OG_WIDTH}" height="{OG_HEIGHT}" '
        f'viewBox="0 0 {OG_WIDTH} {OG_HEIGHT}"><rect width="100%" height="100%" fill="#ffffff"/>'
        f'<svg x="{OG_MARGIN}" y="{OG_MARGIN}" width="{box_w}" height="{box_h}" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMidYMid meet">{inner}</svg></svg>'
    )


def print_svg(svg: str) -> str:
    """Put the chart on white for a standalone PNG (the page's own SVG is transparent)."""
    return re.sub(r"^(<svg\b[^>]*>)", r'\1<rect width="100%" height="100%" fill="#ffffff"/>', svg, count=1)


class ImageCache:
    """PNG renders on disk, keyed by a hash of the SVG they come from."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def png(self, svg: str, scale: float = 1.0) -> Path:
        """Return the cached PNG file of an SVG, rendering it first if needed."""
        key = hashlib.sha256(f"{scale}|{vlc.__version__}|".encode() + svg.encode("utf-8")).hexdigest()[:24]
        path = self.folder / f"{key}.png"
        if not path.exists():
            register_fonts()
            write_atomically(path, bytes(vlc.svg_to_png(svg, scale=scale)))
        return path

    def chart_png(self, chart: RenderedChart) -> Path:
        """The chart at twice its size, on white: sharp on screens and in documents."""
        return self.png(print_svg(chart.svg), scale=2.0)

    def social_png(self, chart: RenderedChart) -> Path:
        """The chart as a 1200x630 share preview."""
        return self.png(social_svg(chart.svg, chart.width, chart.height))


def chart_csv(chart: RenderedChart, facts: FactBook) -> str:
    """The plotted rows, one CSV row each, with the fact and the article's quote behind them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in chart.rows:
        fact = facts[row["fact"]]
        value = "" if fact.value is None else fact.value
        if isinstance(value, list):
            value = "–".join(str(v) for v in value)
        writer.writerow((row["name"], value, fact.unit, fact.display(chart.lang), fact.id, fact.quote))
    return out.getvalue()
