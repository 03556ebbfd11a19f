"""A small copy of the charts' CJK font, with only the characters the project's charts can show.

The charts' text falls to Noto Sans CJK SC, a 19.5 MB collection. vl-convert 1.9 opened it again
for every label it measured (about 2,400 times a chart); 2.0 measures without it, but rasterising
an SVG as PNG still reads the font files. A subset of the same faces (the same outlines, advances
and kerning, so the same bytes out) under a family name of its own is put before it in the font
stack while a chart is drawn, and taken out of the drawing after: with vl-convert 2.0 a PNG costs
about a quarter less CPU with it (0.09 s against 0.12 s), an SVG the same (with 1.9: both 2-3
times faster).

It is only a shortcut. A drawing with a character the copy lacks is drawn with the full font, as
before; without the font on the machine, or fontTools, charts are drawn as before.

Charts in a language written in Latin letters put a Latin face first in their font stack (the
locale's `chart_font`, chartkit/theme.py): the CJK font sets Latin quotes and spaces full-width.
That face, Source Sans Pro, is the Latin of Noto Sans CJK itself, so a chart keeps its look and
layout; it comes from a pinned PyPI package (font-source-sans-pro) whose static TrueType files
are put in a folder of their own and told to vl-convert (`register_latin`), in every process
that draws.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from explainer.core.paths import CHARTKIT, LOCALES
from explainer.core.store import MARSHAL, Store, seal_folder, sealed
from explainer.draw.converter import converter

log = logging.getLogger("explainer")

SOURCE_FAMILY = "Noto Sans CJK SC"  # the charts' CJK family (chartkit/theme.py FONT), as vl-convert finds it
# where Debian's fonts-noto-cjk puts the CJK fonts; vl-convert is told of these folders
# (exports.register_fonts), so the copy is cut from the very files it draws with
FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto"))
# Characters a number format or a label joiner can add to a chart's own strings (the rest come
# from the content and the chart code): ASCII, no-break and thin spaces, the minus sign, the micro
# sign of SI prefixes, dashes, typographic quotes, the ellipsis, the multiplication sign.
BASE_CHARACTERS = frozenset(map(chr, range(0x20, 0x7F))) | frozenset(
    "\u00a0\u2009\u202f\u2212\u00b5\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00d7"
)
# the OpenType features a horizontal Latin or CJK line uses by default (vertical ones left out)
FEATURES = ["ccmp", "locl", "rvrn", "calt", "clig", "liga", "rlig", "kern", "mark", "mkmk"]
RECIPE = 1  # bump when the subset's options change: the copies are made again
KEEP = 8  # copies kept per user (one per set of characters); the oldest go


LATIN_PACKAGE = "font_source_sans_pro"  # the pinned package that ships the Latin face
LATIN_DISTRIBUTION = "font-source-sans-pro"
LATIN_FAMILY = "Source Sans Pro"
# its static TrueType faces the charts draw with (the package also ships the same faces as .otf,
# which vl-convert would pick between in the order the folder lists them: a PNG differing by machine)
LATIN_FACES = ("Regular", "It", "Semibold", "SemiboldIt", "Bold", "BoldIt")


class TextFont(NamedTuple):
    """A copy, as the chart workers use it: where it is, its family name, what it can draw."""

    folder: str
    family: str
    characters: frozenset[str]

    def covers(self, text: str) -> bool:
        """Whether every character of a drawing's text is in the copy (else the full font draws)."""
        return set(text) <= self.characters


def project_characters(content: Path, chart_code: Path, settings_file: Path | None = None) -> frozenset[str]:
    """Every character the charts and their downloads can show: those of the data and interface
    strings (labels, names, quotes), of the chart code (its own words), of the settings (the
    downloads' source line names the article, its author and publisher) and those numbers are
    written with. One character missing and a download is drawn with the full CJK font, which
    takes several times as long."""
    characters = set(BASE_CHARACTERS)
    # the kit's words and the engine's locale files
    sources = ((content, "*.yaml"), (chart_code, "*.py"), (CHARTKIT, "*.py"), (LOCALES, "*.yaml"))
    files = [file for folder, pattern in sources for file in sorted(folder.rglob(pattern))]
    for file in [*files, *([settings_file] if settings_file else [])]:
        try:
            characters.update(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):  # the loaders report it; the copy only draws faster
            continue
    return frozenset(characters)


def source_faces() -> list[tuple[Path, int]]:
    """Each installed face of the CJK family (file, index in its collection): Regular and Bold on
    Debian, more weights where they are installed (a copy of each, so a weight matches as before).
    Kept per user for the same font files (their names, sizes and times): finding them means
    importing fontTools and reading forty faces' names, 0.4 s of a build that draws."""
    files = [file for folder in FONT_DIRS if folder.is_dir() for file in sorted(folder.rglob("NotoSansCJK*"))]
    try:
        key = json.dumps([(str(file), file.stat().st_size, file.stat().st_mtime_ns) for file in files])
    except OSError:  # a font removed meanwhile: looked for again
        key = None
    store = _advance_store()
    kept = store.get(key) if key is not None else None
    if isinstance(kept, list):
        return [(Path(file), index) for file, index in kept]
    faces = _read_faces(files)
    if faces is None:  # no fontTools: the full font draws
        return []
    if key is not None:
        with contextlib.suppress(OSError):
            store.put(key, [(str(file), index) for file, index in faces])
    return faces


def _read_faces(files: list[Path]) -> list[tuple[Path, int]] | None:
    """The faces of the CJK family in these files; None without fontTools."""
    try:
        from fontTools.ttLib import TTCollection, TTFont
    except ImportError:
        return None
    faces = []
    for file in files:
        try:
            fonts = TTCollection(file, lazy=True).fonts if file.suffix.lower() == ".ttc" else [TTFont(file, lazy=True)]
            faces.extend((file, index) for index, font in enumerate(fonts) if _family(font) == SOURCE_FAMILY)
        except Exception:  # any unreadable font file: skipped, as vl-convert does
            continue
    return faces


def _family(font: Any) -> str | None:
    names = font["name"]
    name = names.getName(16, 3, 1) or names.getName(1, 3, 1) or names.getName(1, 1, 0)
    return str(name) if name is not None else None


def text_font(characters: frozenset[str], cache: Path) -> TextFont | None:
    """The copy for these characters, made (once per user and set of characters) if missing; None
    when the font or fontTools is not there (charts are drawn with the full font)."""
    faces = source_faces()
    if not faces:
        return None
    import fontTools

    stamps = [(str(file), index, file.stat().st_size, file.stat().st_mtime_ns) for file, index in faces]
    key = hashlib.sha256(
        json.dumps([RECIPE, fontTools.version, stamps, "".join(sorted(characters))]).encode()
    ).hexdigest()[:16]
    family = f"ChartText{key}"
    folder = cache / "fonts" / key
    whole = sealed(folder, key)
    if whole is False:  # changed since it was made (a warning): made again
        shutil.rmtree(folder, ignore_errors=True)
    if not whole:
        _make_copy(faces, characters, family, folder, key)
        _forget_old(cache / "fonts")
    os.utime(folder)  # recently used: kept
    return TextFont(str(folder), family, characters)


def _make_copy(faces: list[tuple[Path, int]], characters: frozenset[str], family: str, folder: Path, key: str) -> None:
    """Subset each face to the characters, renamed to the family; written whole or not at all,
    sealed with the hash of its files (explainer/core/store.py)."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".new-", dir=folder.parent))
    try:
        for number, (file, index) in enumerate(faces):
            font = TTCollection(file, lazy=True).fonts[index] if file.suffix.lower() == ".ttc" else TTFont(file)
            font.recalcBBoxes = False  # the full font's bounds and hints kept: no outline is run (4x faster)
            options = subset.Options()
            options.layout_features = FEATURES
            options.name_IDs = [1, 2, 4, 6, 16, 17]
            options.drop_tables += ["vhea", "vmtx", "VORG"]  # vertical text only
            subsetter = subset.Subsetter(options)
            subsetter.populate(text="".join(sorted(characters)))
            subsetter.subset(font)
            for record in font["name"].names:
                if record.nameID in (1, 16):
                    record.string = family
                elif record.nameID in (4, 6):
                    record.string = f"{family}-{number}"
            font.save(scratch / f"{family}-{number}.otf")
        seal_folder(scratch, key)
        with contextlib.suppress(OSError):  # another build made it meanwhile: theirs is the same
            scratch.rename(folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _forget_old(fonts: Path) -> None:
    """Keep the most recently used copies only (each editor's content has its own)."""
    copies = sorted((p for p in fonts.iterdir() if p.is_dir() and not p.name.startswith(".")), key=_used, reverse=True)
    for old in copies[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)


def _used(folder: Path) -> float:
    try:
        return folder.stat().st_mtime
    except OSError:
        return 0.0


# In a chart worker: the copies vl-convert knows of (it keeps every folder it is told of).
_registered: set[str] = set()


def latin_folder() -> Path | None:
    """A folder holding only the Latin face's TrueType files (made once per user and version of
    the package); None without the package (English charts then fall to the CJK font, as before)."""
    try:
        package = __import__(LATIN_PACKAGE)
    except ImportError:
        return None
    from explainer.core.paths import runtime_cache_dir

    files = Path(package.font_directory)
    sources = [files / f"SourceSansPro-{face}.ttf" for face in LATIN_FACES]
    stamps = [(p.name, p.stat().st_size) for p in sources if p.is_file()]
    if not stamps:
        return None
    key = hashlib.sha256(json.dumps(stamps).encode()).hexdigest()[:12]
    folder = runtime_cache_dir(fallback=Path(tempfile.gettempdir())) / "latin" / key
    whole = sealed(folder, key)
    if whole:
        return folder
    try:
        return _make_latin(folder, key, sources, replace=whole is False)
    except OSError:  # a confined chart worker may write in its own temp folder only: a copy there
        return _make_latin(Path(tempfile.mkdtemp(prefix="latin-")) / key, key, sources, replace=False)


def _make_latin(folder: Path, key: str, sources: list[Path], replace: bool) -> Path:
    """Copy the Latin face's files into a folder, sealed, atomically (made in a scratch folder beside
    it, then renamed); `replace`: a folder changed since it was made goes first (with a warning)."""
    if replace:
        shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".new-", dir=folder.parent))
    for source in sources:
        if source.is_file():
            shutil.copyfile(source, scratch / source.name)
    seal_folder(scratch, key)
    try:
        scratch.rename(folder)
    except OSError:  # another process made it meanwhile: the same files
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


_latin: list[Path | None] = []


def register_latin() -> Path | None:
    """Tell vl-convert of the Latin face (once per process), before anything is measured or drawn."""
    if not _latin:
        folder = latin_folder()
        if folder is not None:
            converter().register_font_directory(str(folder))
        _latin.append(folder)
    return _latin[0]


def _usable(font: TextFont) -> bool:
    """Tell vl-convert of the copy (once per process); False if its files are gone (a cleaned
    cache while the preview runs): then the full font draws."""
    if not any(Path(font.folder).glob("*.otf")):
        return False
    if font.folder not in _registered:
        try:
            converter().register_font_directory(font.folder)
        except Exception:  # vl-convert raises its own errors; the full font still draws
            return False
        _registered.add(font.folder)
    return True


def _quoted(family: str, quote: str) -> str:
    return f"{quote}{family}{quote}"


def vega_for_drawing(vega: dict[str, Any], font: TextFont | None) -> tuple[dict[str, Any], str | None]:
    """The Vega spec to draw (the copy's family before the CJK one in every font stack), and the
    family to take out of the drawing; the spec as it is when the copy cannot draw all its text."""
    register_latin()
    text = json.dumps(vega, ensure_ascii=False)
    source = json.dumps(_quoted(SOURCE_FAMILY, '"'))[1:-1]  # as it appears inside a JSON string
    if font is None or source not in text or not font.covers(text) or not _usable(font):
        return vega, None
    return json.loads(text.replace(source, f"{font.family}, {source}")), font.family


def svg_for_drawing(svg: str, font: TextFont | None) -> tuple[str, str | None]:
    """The same for an SVG drawn as PNG (its font stacks are in attributes, quotes escaped)."""
    register_latin()
    source = _quoted(SOURCE_FAMILY, "&quot;")
    if font is None or source not in svg or not font.covers(html.unescape(svg)) or not _usable(font):
        return svg, None
    return svg.replace(source, f"{font.family}, {source}"), font.family


def drawn_without(svg: str, family: str | None) -> str:
    """The drawn SVG as the full font would have drawn it: the copy's family taken out again."""
    return svg if family is None else svg.replace(f"{family}, ", "")


class ProjectFont:
    """The copy for a project's characters, found or made on first use in a build (a build that
    draws nothing does not look for fonts)."""

    def __init__(self, content: Path, chart_code: Path, cache: Path, settings_file: Path | None = None) -> None:
        self.content, self.chart_code, self.cache, self.settings_file = content, chart_code, cache, settings_file
        self._font: TextFont | None = None
        self._looked = False

    def get(self) -> TextFont | None:
        """The copy (None without the font or fontTools: the full font draws)."""
        if not self._looked:
            from explainer.core.paths import runtime_cache_dir

            self._looked = True
            characters = project_characters(self.content, self.chart_code, self.settings_file)
            try:
                self._font = text_font(characters, runtime_cache_dir(fallback=self.cache))
            except Exception as exc:  # a full disk, an odd font file: only slower, never a failed build
                log.warning("charts are drawn with the full CJK font: its copy could not be made (%s)", exc)
        return self._font


def _face_name(weight: int, cjk: bool) -> str:
    """The face a weight is drawn with, as CSS matches it: 500 and lighter Regular, 600 Semibold
    (the CJK family has none: Bold), 700 and heavier Bold."""
    if weight <= 500:
        return "Regular"
    return "Semibold" if weight < 700 and not cjk else "Bold"


@functools.cache
def _advances(cjk: bool, face: str) -> tuple[dict[int, int], float] | None:
    """One face's advance widths by character, and its units per em (the Latin face, or the CJK
    family's Regular or Bold); None when it is not there."""
    bold = face != "Regular"
    if cjk:
        faces = [(file, index) for file, index in source_faces() if ("Bold" in file.name) == bold]
        if not faces:
            return None
        file, index = faces[0]
    else:
        folder = latin_folder()
        path = folder / f"SourceSansPro-{face}.ttf" if folder else None
        if path is None or not path.is_file():
            return None
        file, index = path, 0
    return _face_advances(file, index)


def _advance_store() -> Store:
    """Advance tables, kept per user beside the font copies: reading a CJK face's tables (65,000
    glyphs) took 0.3 s a face in every build that draws a download; the kept table, milliseconds."""
    from explainer.core.paths import runtime_cache_dir

    folder = runtime_cache_dir(fallback=Path(tempfile.gettempdir()) / "explainer") / "advances"
    return Store(folder, "advances", MARSHAL, entries=16, max_bytes=16 << 20)


def _face_advances(file: Path, index: int) -> tuple[dict[int, int], float]:
    """The advance widths of one face of a font file, by character, and its units per em: kept
    per user, keyed by the file's path, size and time (a font updated by apt is read again)."""
    from fontTools import version as fonttools_version

    stat = file.stat()
    key = f"{file}|{index}|{stat.st_size}|{stat.st_mtime_ns}|fontTools {fonttools_version}"
    store = _advance_store()
    kept = store.get(key)
    if isinstance(kept, tuple) and len(kept) == 2:
        return kept
    from fontTools.ttLib import TTCollection, TTFont

    font = TTCollection(file, lazy=True).fonts[index] if file.suffix.lower() == ".ttc" else TTFont(file, lazy=True)
    metrics, cmap = font["hmtx"].metrics, font.getBestCmap()
    found = {code: metrics[glyph][0] for code, glyph in cmap.items()}, float(font["head"].unitsPerEm)
    with contextlib.suppress(OSError):  # a full disk: read from the font again next time
        store.put(key, found)
    return found


def covered(text: str, *, cjk: bool = False) -> bool:
    """Whether the Latin (or the CJK) face has every character of a text: vl-convert then sets it
    all in that face, none in a fallback."""
    found = _advances(cjk, "Regular")
    return found is not None and all(ord(ch) in found[0] for ch in text)


def run_width(text: str, size: float, *, cjk: bool, weight: int = 400) -> float | None:
    """How wide vl-convert sets a run of text in the Latin or the CJK face (advance widths, no
    kerning: within a pixel on a line of our own text); None without the face."""
    found = _advances(cjk, _face_name(weight, cjk))
    if found is None:
        return None
    advances, em = found
    fallback = advances.get(ord("0"), em / 2)
    return sum(advances.get(ord(ch), fallback) for ch in text) * size / em
