"""What a chart travels as: SVG and PNG downloads that carry its source and the site's address,
share cards, and CSV of the plotted data.

PNGs are rasterised by vl-convert from the composed SVG, with a CJK font registered so
Chinese renders (Debian's fonts-noto-cjk, which the Makefile installs), in the font stack of the
chart's language (English in a Latin face: chart_fonts.py), then optimised losslessly by oxipng
(a fifth to a tenth of the bytes, the same pixels). Rasterising costs far more than anything
else, so each image is cached on disk by a hash of its SVG and of what draws and optimises it.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from explainer.chartkit import theme
from explainer.core.errors import BuildError
from explainer.core.escape import csv_cell, xml_text
from explainer.core.files import place
from explainer.core.fingerprint import installed_version
from explainer.core.store import BYTES, Store, Stores
from explainer.draw.chart_fonts import FONT_DIRS, LATIN_DISTRIBUTION, TextFont, run_width, svg_for_drawing
from explainer.draw.converter import converter
from explainer.draw.render import RenderedChart
from explainer.load.facts import FactBook

# &, < and > as XML text needs them, a carriage return as a reference, forbidden controls replaced
# (xml.sax.saxutils.escape pulls in urllib and ssl: 40 ms a build)
xml_escape = xml_text

OG_WIDTH, OG_HEIGHT, OG_MARGIN = 1200, 630, 48
# then one column of our translation of the quote per language besides the article's (quote_en)
CSV_COLUMNS = ("name", "value", "unit", "display", "speaker", "status", "fact", "quote")

_registered = False


def register_fonts() -> None:
    """Tell vl-convert where the CJK fonts are (once per process)."""
    global _registered
    vlc = converter()  # here: a rebuild that draws no PNG never loads it

    if not _registered:
        for folder in FONT_DIRS:
            if folder.is_dir():
                vlc.register_font_directory(str(folder))
        _registered = True


CARD_FONT = theme.FONT
CARD_INK, CARD_MUTED = theme.INK, theme.MUTED
FOOTER_SIZE, FOOTER_LINE = 13, 18


def text_width(text: str, size: float) -> float:
    """Estimate how wide a line is drawn: full-width (CJK) characters one em, others about half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.55 for ch in text)


# Never at a line's start (closing brackets and quotes, punctuation) nor at its end (opening ones),
# as CJK typesetting breaks lines: a ")" or "》" stays with the character before it, a "《" with the next.
CLOSING = frozenset(")]}»›”’,.;:!?%、。，．：；！？）〕］｝〉》」』】〗〙〛・ー")
OPENING = frozenset("([{«‹“‘（〔［｛〈《「『【〖〘〚")


def _tokens(text: str) -> list[str]:
    """Split text where a line may break: runs of spaces, words, and single full-width characters,
    a closing mark kept with what it closes and an opening one with what it opens."""
    tokens: list[str] = []
    for token in re.findall(r"\s+|[^\s\u2e80-\u9fff\uff00-\uffef]+|.", text):
        glued = tokens and not tokens[-1].isspace() and not token.isspace()
        if glued and (token[0] in CLOSING or tokens[-1][-1] in OPENING):
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def wrap(text: str, size: float, width: float) -> list[str]:
    """Break text into lines that fit a width: at spaces, or between full-width characters (never
    before a closing mark nor after an opening one)."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if text_width(line + token, size) > width and line.strip():
            lines.append(line.strip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.strip())
    return lines


def _text_lines(lines: list[str], x: float, y: float, size: float, leading: float, **style: str) -> str:
    """SVG text, one <text> per line, escaped."""
    attrs = " ".join(f'{name.replace("_", "-")}="{value}"' for name, value in style.items())
    return "".join(
        f'<text x="{x}" y="{y + i * leading:.0f}" font-size="{size}" {attrs}>{xml_escape(line)}</text>'
        for i, line in enumerate(lines)
    )


def _inner(svg: str) -> tuple[str, float, float]:
    """An SVG's content without its root element, and its natural size."""
    size = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    width, height = (float(size.group(1)), float(size.group(2))) if size else (0.0, 0.0)
    root = re.match(r"^<svg\b[^>]*>", svg)
    family = re.search(r'\sfont-family="[^"]*"', root.group(0)) if root else None
    inner = svg[root.end() if root else 0 :].rsplit("</svg>", 1)[0]
    # the root's inherited font family goes with the drawing (lean_svg sets it there, once)
    return (f"<g{family.group(0)}>{inner}</g>" if family else inner), width, height


def _root(width: float, height: float, body: str, font: str = CARD_FONT, head: str = "") -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{html.escape(font)}">'
        f'{head}<rect width="100%" height="100%" fill="#ffffff"/>{_cjk_runs(body, font)}</svg>'
    )


_LINE = re.compile(r'(<text\b[^>]*\bx="([\d.]+)"[^>]*\bfont-size="([\d.]+)"([^>]*)>)([^<]*)(</text>)')


def _is_cjk_word(word: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in word)


def _cjk_runs(body: str, font: str) -> str:
    """Set each CJK word of our own lines (a Chinese title in an English source line) in the CJK
    face, when the language's stack puts a Latin face first.

    vl-convert shapes a whole run of text with one face: a CJK glyph the Latin face lacks makes
    it set the line, Latin words included, in whichever CJK face it finds first (a serif one
    here). So each run of words in one script is a chunk of its own (a tspan with its own x),
    placed after the widths of the runs before it."""
    if theme.cjk_first(font):
        return body
    family = html.escape(theme.CJK_FONT)

    def line(match: re.Match[str]) -> str:
        start, x, size, rest, text, end = match.groups()
        words = re.split(r"(\s+)", text)
        if not any(_is_cjk_word(word) for word in words):
            return match.group(0)
        runs: list[tuple[bool, str]] = []
        for word in words:
            cjk = _is_cjk_word(word) if word.strip() else (runs[-1][0] if runs else False)
            if runs and runs[-1][0] == cjk:
                runs[-1] = (cjk, runs[-1][1] + word)
            else:
                runs.append((cjk, word))
        weight = int(m.group(1)) if (m := re.search(r'font-weight="(\d+)"', rest)) else 400
        left, spans = float(x), []
        for cjk, run in runs:
            width = run_width(html.unescape(run), float(size), cjk=cjk, weight=weight)
            if width is None:  # a face is missing: the line as it was
                return match.group(0)
            face = f' font-family="{family}"' if cjk else ""
            spans.append(f'<tspan x="{left:.1f}"{face}>{run}</tspan>')
            left += width
        return start + "".join(spans) + end

    return _LINE.sub(line, body)


def _title_desc(title: str, description: str) -> str:
    """The SVG's accessible name and description (what a screen reader or a file browser shows)."""
    return f"<title>{xml_escape(title)}</title><desc>{xml_escape(description)}</desc>"


def download_svg(chart: RenderedChart, source: str, address: str) -> str:
    """The chart as it travels: its widest layout (title and subtitle drawn in it) on white, with
    the source line and the site's address drawn beneath, so a copy keeps its attribution."""
    inner, width, height = _inner(chart.svg)
    pad = 8
    footer = wrap(source, FOOTER_SIZE, width - 2 * pad) + ([address] if address else [])
    total = height + pad + len(footer) * FOOTER_LINE + pad
    body = f'<svg width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">{inner}</svg>'
    body += _text_lines(footer, pad, height + pad + FOOTER_SIZE, FOOTER_SIZE, FOOTER_LINE, fill=CARD_MUTED)
    return _root(width, total, body, theme.font(chart.lang), _title_desc(chart.title, chart.description))


def share_card_svg(
    headline: str, summary: str, site_name: str, address: str, chart: RenderedChart | None, lang: str | None = None
) -> str:
    """A 1200x630 share card: the page's headline, its own first chart (or, without one, its
    summary) and the site's name, sized to stay legible as a 600x315 thumbnail (text at least
    15 px there), in the font stack of the page's language (`lang`, else the chart's)."""
    margin = OG_MARGIN
    column = 520 if chart else OG_WIDTH - 2 * margin
    size = 52 if chart else 64
    lines = wrap(headline, size, column)
    while len(lines) > (5 if chart else 4) and size > 36:
        size -= 4
        lines = wrap(headline, size, column)
    body = _text_lines(lines, margin, margin + size, size, size * 1.25, fill=CARD_INK, font_weight="700")
    if not chart and summary:
        top = margin + size * 1.25 * len(lines) + 40
        body += _text_lines(wrap(summary, 32, column)[:4], margin, top, 32, 44, fill=CARD_MUTED)
    footer = [site_name] + ([address] if address else [])
    body += _text_lines(footer, margin, OG_HEIGHT - margin - (len(footer) - 1) * 36, 30, 36, fill=CARD_MUTED)
    body += f'<rect x="{margin}" y="{OG_HEIGHT - margin - 74 - (len(footer) - 1) * 36}" width="64" height="6" fill="{theme.ACCENT}"/>'
    if chart:
        box_x, box_w, box_h = margin + column + margin, OG_WIDTH - column - 3 * margin, OG_HEIGHT - 2 * margin
        # the layout that comes out largest in the box
        view = max(chart.views, key=lambda v: min(box_w / v.width, box_h / v.height))
        inner, width, height = _inner(view.svg)
        scale = min(box_w / width, box_h / height)
        x, y = box_x + (box_w - width * scale) / 2, margin + (box_h - height * scale) / 2
        body += (
            f'<svg x="{x:.0f}" y="{y:.0f}" width="{width * scale:.0f}" height="{height * scale:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}">{inner}</svg>'
        )
    return _root(OG_WIDTH, OG_HEIGHT, body, theme.font(lang or (chart.lang if chart else None)))


# oxipng's level 1: the ONO site's ten downloads shrink from 1,163 KB to 484 KB, lossless, in
# 0.78 s of CPU in all; the default level 2 saves 2% more (475 KB) for twice the CPU (1.60 s), and
# the PNGs were the largest share of a cold build; level 0 is 13% larger (537 KB, 0.33 s)
PNG_LEVEL = 1


def png_recipe() -> str:
    """What makes a PNG's bytes besides its SVG and scale: the PNG cache's key carries it, so a new
    vl-convert, Latin face or oxipng draws the images again, and an optimised PNG is made once."""
    tools = ("vl-convert-python", LATIN_DISTRIBUTION, "pyoxipng")
    return "|".join(f"{name} {_version(name)}" for name in tools) + f"|level {PNG_LEVEL}"


def _version(name: str) -> str:
    try:
        return installed_version(name)
    except Exception:  # not installed (the Latin face is optional): drawn without it
        return "none"


def optimise_png(data: bytes) -> bytes:
    """The same pixels in fewer bytes (oxipng: lossless filters, palette and bit-depth
    reduction, zlib recompression; ancillary chunks a viewer does not need dropped)."""
    import oxipng  # here, in the workers: a rebuild that draws nothing never loads it

    return bytes(oxipng.optimize_from_memory(data, level=PNG_LEVEL, strip=oxipng.StripChunks.safe()))


def rasterise(svg: str, scale: float, font: TextFont | None = None, *, optimise: bool = True) -> bytes:
    """One SVG as PNG bytes (in a chart worker, or here), faster with the font's copy, and
    optimised losslessly unless `optimise` is False (the tests compare the two)."""
    vlc = converter()
    register_fonts()
    data = bytes(vlc.svg_to_png(svg_for_drawing(svg, font)[0], scale=scale))
    return optimise_png(data) if optimise else data


class PendingImage(Protocol):
    """A PNG being drawn (a worker's AsyncResult, or one drawn already)."""

    def get(self, timeout: float | None = None) -> bytes: ...


class DrawnImage:
    """A PNG drawn in this process, at once: for builds without chart workers."""

    def __init__(self, svg: str, scale: float, font: TextFont | None = None) -> None:
        self.data = rasterise(svg, scale, font)

    def get(self, timeout: float | None = None) -> bytes:  # drawn already: nothing to wait for
        return self.data


class DrawnPng:
    """A PNG at hand: read from the cache, or drawn earlier in this build."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def get(self, timeout: float | None = None) -> bytes:
        return self.data


def png_store(stores: Stores) -> Store:
    """The cache of PNGs (.cache/png): some thirty a build, under 100 KB each; room for old versions."""
    return stores.open("png", BYTES, entries=1024, max_bytes=128 << 20)


CHART_SCALE = 2.0  # a chart's PNG download: twice its size, sharp on screens and in print
PNG_TIMEOUT = 120.0  # seconds to wait for the PNGs still being drawn (our own SVGs: a crash, not a loop)


class ImageCache:
    """PNG renders on disk, optimised, keyed by a hash of the SVG they come from, its scale and
    `png_recipe()` (so an optimised PNG is made once, and again only when the tools change).

    A PNG that is not cached yet starts drawing as soon as it is asked for (`draw`, e.g. in the
    chart workers, which draw side by side while this process builds the pages: vl-convert draws
    one image at a time per process, and a cold build makes some thirty PNGs). `finish` waits for
    them and puts every PNG in place, cached or new, so placing can wait for the staging folder."""

    def __init__(self, store: Store, draw: Callable[[str, float], PendingImage] = DrawnImage) -> None:
        self.store = store
        self.draw = draw
        self.drawing: dict[str, PendingImage] = {}  # key -> its PNG being drawn, or read from the cache
        self.targets: dict[str, list[Path]] = {}  # key -> where it goes

    def _key(self, svg: str, scale: float) -> str:
        return hashlib.sha256(f"{scale}|{png_recipe()}|".encode() + svg.encode("utf-8")).hexdigest()[:24]

    def prefetch(self, svg: str, scale: float = 1.0) -> str:
        """Start drawing the PNG of an SVG unless it is cached or being drawn; return its key."""
        key = self._key(svg, scale)
        if key not in self.drawing:
            kept = self.store.get_bytes(key)
            self.drawing[key] = DrawnPng(kept) if kept is not None else self.draw(svg, scale)
        return key

    def place(self, target: Path, svg: str, scale: float = 1.0) -> None:
        """Put the PNG of an SVG at target when `finish` is called (drawing it if need be)."""
        self.targets.setdefault(self.prefetch(svg, scale), []).append(target)

    def place_chart(self, target: Path, framed_svg: str) -> None:
        """The chart as downloaded (see download_svg) at twice its size: sharp on screens and in print."""
        self.place(target, framed_svg, scale=CHART_SCALE)

    def finish(self, timeout: float = PNG_TIMEOUT) -> None:
        """Wait for the PNGs being drawn, keep them in the cache, and put every PNG in place."""
        drawing, self.drawing = self.drawing, {}
        targets, self.targets = self.targets, {}
        deadline = time.monotonic() + timeout
        for key, pending in drawing.items():
            if isinstance(pending, DrawnPng):  # read from the cache
                continue
            try:
                data = pending.get(max(0.0, deadline - time.monotonic()))
            except Exception as exc:
                # only worker results time out, and only then is multiprocessing loaded (a rebuild
                # that draws nothing does not import it)
                pool = sys.modules.get("multiprocessing")
                if pool is None or not isinstance(exc, pool.TimeoutError):
                    raise
                msg = (
                    f"the PNG images were not drawn within {timeout:g} s (a chart worker may have crashed); build again"
                )
                raise BuildError(msg) from None
            self.store.put(key, data)
            drawing[key] = DrawnPng(data)
        for key, places in targets.items():
            data = drawing[key].get() if key in drawing else self.store.get_bytes(key)
            if data is None:  # taken from the cache by a part reused  # pragma: no cover
                msg = f"the PNG {key} went missing from {self.store.folder} during the build; build again"
                raise BuildError(msg)
            for target in places:
                place(target, data)


def chart_csv(chart: RenderedChart, facts: FactBook, corrected: str = "") -> str:
    """The plotted rows, one CSV row each, with who says it, how sure, and the article's words
    (and our translation of them) behind each figure; with `corrected` (what the chart's
    corrections say), a last column that says it on every row, so no copy of a row loses it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    translated = facts.words.codes[1:] if facts.words is not None else ()
    writer.writerow((*CSV_COLUMNS, *(f"quote_{code}" for code in translated), *(["correction"] if corrected else [])))
    for row in chart.rows:
        fact = facts[row["fact"]]
        value = "" if fact.value is None else fact.value
        if isinstance(value, list):
            value = "–".join(str(v) for v in value)
        lang = chart.lang
        cells = (
            row["name"],
            value,
            fact.unit,
            fact.hedged(lang),  # the figure as the site says it, hedge included
            fact.speaker_name(lang),
            fact.status_name(lang),
            fact.id,
            fact.quote,
            *(fact.translations.get(code, "") for code in translated),  # ours
            *([corrected] if corrected else []),
        )
        # text a spreadsheet would run as a formula (=, +, -, @ first) starts with ' instead
        writer.writerow([csv_cell(cell) for cell in cells])
    return out.getvalue()
