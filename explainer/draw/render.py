"""Turn a chart module into what a page needs: per layout an inline SVG and a Vega spec, and
its data and facts.

Rendering is done once per chart, language and layout (vl-convert, no browser, no network). A
chart is drawn for each layout of the chart kit (a narrow one for phones, a wide one for the
reading column) rather than one drawing scaled to the screen, so its text keeps its size.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explainer.chartkit import kit, theme
from explainer.core.errors import ContentError, Problem, relative
from explainer.core.escape import xml_attribute
from explainer.draw.chart_code import chart_code_line
from explainer.draw.chart_fonts import TextFont, drawn_without, vega_for_drawing
from explainer.draw.chart_result import returning_charts
from explainer.draw.confine import ChartRefused
from explainer.draw.converter import converter
from explainer.draw.remote_data import refuse_links, refuse_remote_data
from explainer.draw.spec_check import schema_check
from explainer.language.formatting import web_locale
from explainer.language.words import use_words
from explainer.load.chart_folder import ChartFolder
from explainer.load.facts import Fact, FactBook, UnknownFact

_SVG_TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)
_SVG_LINE = re.compile(r"<tspan\b[^>]*>(.*?)</tspan>", re.S)
_SVG_ID = re.compile(r'\bid="([^"]+)"')
_ID_USE = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def drawn_text(svg: str) -> str:
    """The words an SVG draws, a line per text mark; a label's wrapped lines joined as the reader
    reads them (no space between two CJK characters)."""
    lines = []
    for mark in _SVG_TEXT.finditer(svg):
        wrapped = [html.unescape(part) for part in _SVG_LINE.findall(mark.group(1))] or [html.unescape(mark.group(1))]
        text = ""
        for part in wrapped:
            joint = "" if not text or (not text[-1].isascii() and not part[:1].isascii()) else " "
            text += joint + part
        lines.append(text)
    return "\n".join(lines) + "\n"


def layouts() -> tuple[kit.Layout, ...]:
    """The chart kit's layouts, narrowest first: every chart is drawn once in each."""
    return tuple(sorted(kit.LAYOUTS, key=lambda layout: layout.width))


class RecordingFacts(Mapping[str, Fact]):
    """The facts as a chart in one language sees them (`Fact.in_language`), noting which ones it
    used (its sources)."""

    def __init__(self, facts: FactBook, lang: str) -> None:
        self._facts = facts
        self._lang = lang
        self._seen: dict[str, Fact] = {}
        self.used: list[str] = []
        self.read_all = False  # it iterated or counted the facts: any fact may change its output

    def __getitem__(self, fact_id: str) -> Fact:
        if fact_id not in self._seen:
            self._seen[fact_id] = self._facts[fact_id].in_language(self._lang)
        if fact_id not in self.used:
            self.used.append(fact_id)
        return self._seen[fact_id]

    def __iter__(self) -> Iterator[str]:
        self.read_all = True
        return iter(self._facts)

    def __len__(self) -> int:
        self.read_all = True
        return len(self._facts)


@dataclass(frozen=True)
class ChartView:
    """One layout of a chart: its static SVG and the Vega spec the interactive view runs."""

    layout: str
    svg: str
    vega_lite: dict[str, Any]
    vega: dict[str, Any]

    @property
    def width(self) -> float:
        return _svg_size(self.svg)[0]

    @property
    def height(self) -> float:
        return _svg_size(self.svg)[1]

    @property
    def vega_lite_json(self) -> str:
        """The Vega-Lite spec as JSON text (what the hedge check searches)."""
        return json.dumps(self.vega_lite, ensure_ascii=False, allow_nan=False)


class StoredView(ChartView):
    """A layout read back from the chart cache, its two specs kept as their JSON text and parsed
    only when first read: building their objects was nine tenths of reading a cache entry, and a
    rebuild that writes no chart file (a text edit) never reads them."""

    def __init__(self, layout: str, svg: str, vega_lite_json: str, vega_json: str) -> None:
        object.__setattr__(self, "layout", layout)  # frozen, as ChartView
        object.__setattr__(self, "svg", svg)
        object.__setattr__(self, "_texts", {"vega_lite": vega_lite_json, "vega": vega_json})

    def __getattr__(self, name: str) -> Any:  # only for what is not set yet: the specs
        texts = self.__dict__.get("_texts", {})
        if name not in texts:
            raise AttributeError(name)
        value = json.loads(texts[name])
        object.__setattr__(self, name, value)
        return value

    def __eq__(self, other: object) -> bool:  # as a ChartView with the same fields
        if not isinstance(other, ChartView):
            return NotImplemented
        return (self.layout, self.svg, self.vega_lite, self.vega) == (
            other.layout,
            other.svg,
            other.vega_lite,
            other.vega,
        )

    __hash__ = None  # type: ignore[assignment]  # as ChartView's (its specs are dicts)

    @property
    def vega_lite_json(self) -> str:
        return self._texts["vega_lite"]


@dataclass(frozen=True)
class RenderedChart:
    """One chart in one language, in every layout (narrowest first), ready for a page."""

    chart_id: str
    lang: str
    title: str
    description: str
    views: tuple[ChartView, ...]
    facts_used: tuple[str, ...]
    rows: list[dict[str, Any]] = field(default_factory=list)
    read_all: bool = False  # it looked at every fact (iterated them), not just facts_used

    @property
    def widest(self) -> ChartView:
        """The layout downloads, embeds' snippets and share images use."""
        return self.views[-1]

    @property
    def svg(self) -> str:
        return self.widest.svg

    @property
    def vega(self) -> dict[str, Any]:
        return self.widest.vega

    @functools.cached_property
    def words(self) -> str:
        """What a reader reads in the chart: the text its widest layout draws, then its caption
        (the glossary's notes go where a page first uses a term, a chart included). Read once:
        the guard, each page that shows the chart and its cache key all ask."""
        return drawn_text(self.svg) + self.description + "\n"

    @property
    def vega_lite(self) -> dict[str, Any]:
        return self.widest.vega_lite

    @property
    def vega_lite_json(self) -> str:
        return self.widest.vega_lite_json

    @property
    def width(self) -> float:
        return self.widest.width

    @property
    def height(self) -> float:
        return self.widest.height

    def stored(self) -> dict[str, Any]:
        """The chart as the chart cache keeps it: plain data, each view's specs as JSON text."""
        record = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "views"}
        record["views"] = [
            {"layout": view.layout, "svg": view.svg, "vega_lite": view.vega_lite_json, "vega": _json(view.vega)}
            for view in self.views
        ]
        record["facts_used"] = list(self.facts_used)
        return record

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> RenderedChart:
        """Rebuild a chart from stored() (its views' specs parsed when first read)."""
        views = tuple(
            StoredView(view["layout"], view["svg"], view["vega_lite"], view["vega"]) for view in data["views"]
        )
        return cls(**{**data, "views": views, "facts_used": tuple(data["facts_used"])})


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, allow_nan=False)


def _svg_size(svg: str) -> tuple[float, float]:
    match = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    return (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)


_INNER_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')


def label_svg(svg: str, label: str) -> str:
    """Make the SVG one image for assistive technology, named by the chart's title (the figure's
    caption states its point, so a screen reader hears each once).

    Vega marks some groups as graphics objects even with ARIA off; inside role="img" they are
    presentational, so their roles are removed rather than left for screen readers to trip on.
    """
    safe = xml_attribute(label)
    svg = _INNER_ARIA.sub("", svg)
    return re.sub(r"^<svg\b", f'<svg role="img" aria-label="{safe}"', svg, count=1)


def scope_svg_ids(svg: str, scope: str) -> str:
    """Rename the SVG's ids (clip paths, gradients) to `<scope>-<kind><n>`, numbered in order of
    appearance: two charts on one page never collide, and the same chart renders the same bytes
    whatever Vega's per-process id counter says (clip1 in one worker, clip7 in another)."""
    renamed: dict[str, str] = {}
    for old in _SVG_ID.findall(svg):
        if old not in renamed:
            kind = old.rstrip("0123456789") or "id"
            renamed[old] = f"{scope}-{kind}{len(renamed) + 1}"

    def swap(match: re.Match[str]) -> str:
        return match.group(1) + renamed.get(match.group(2), match.group(2))

    return _ID_USE.sub(swap, svg)


def plotted_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Collect the data rows that carry a fact, in the order the chart lists them: one per fact and
    name, the first, however many marks draw it (ten squares at one rate, a bar and its label, a
    square and the note beside it), since the data table, the CSV and the metadata show a row as
    its name and its fact."""
    rows: list[dict[str, Any]] = []
    datasets = list(spec.get("datasets", {}).values())

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            values = node.get("data", {}).get("values") if isinstance(node.get("data"), dict) else None
            if isinstance(values, list):
                datasets.append(values)
            for child in node.values():
                visit(child)
        elif isinstance(node, list):
            for child in node:
                visit(child)

    visit({k: v for k, v in spec.items() if k != "datasets"})
    seen: set[tuple[str, str]] = set()
    for values in datasets:
        for row in values:
            if isinstance(row, dict) and "fact" in row:
                key = (json.dumps(row["fact"]), json.dumps(row.get("name"), ensure_ascii=False))
                if key not in seen:
                    seen.add(key)
                    rows.append(row)
    return rows


_NUMBER = re.compile(r"-?\d+\.\d{2,}")
_GEOMETRY = re.compile(r'\s(d|transform|x|y|x1|x2|y1|y2|points|width|height)="([^"]*)"')
_FONT_FAMILY = re.compile(r'\sfont-family="([^"]*)"')
_DEFAULTS = re.compile(r'\stransform="translate\(0,0\)"|\sopacity="1"|\spointer-events="none"')
_UNFILLED_FRAME = re.compile(r'<path class="(?:background|foreground)" d="[^"]*"(?: display="none")?/>')


def lean_svg(svg: str) -> str:
    """Drop what a static SVG does not need: invisible frame paths, attributes that restate the
    default, the font family on every text (set once on the root, inherited) and coordinates
    beyond a tenth of a pixel. Two layouts of every chart ride in each page."""

    def round_numbers(match: re.Match[str]) -> str:
        value = _NUMBER.sub(lambda n: f"{float(n.group(0)):.1f}".rstrip("0").rstrip("."), match.group(2))
        return f' {match.group(1)}="{value}"'

    svg = _UNFILLED_FRAME.sub("", _DEFAULTS.sub("", svg))
    families = _FONT_FAMILY.findall(svg)
    if families:
        common = max(set(families), key=families.count)
        svg = svg.replace(f' font-family="{common}"', "")
        svg = re.sub(r"^<svg\b", f'<svg font-family="{common}"', svg, count=1)
    return _GEOMETRY.sub(round_numbers, svg)


def _title_text(spec: dict[str, Any]) -> str:
    """The chart's title as one line (charts wrap it into lines for their width; see chartkit/kit.py)."""
    if isinstance(spec.get("usermeta"), dict) and spec["usermeta"].get("title"):
        return str(spec["usermeta"]["title"])
    title = spec.get("title", "")
    return title.get("text", "") if isinstance(title, dict) else str(title)


def _where_in_charts(exc: BaseException, charts: ChartFolder, fallback: Path) -> tuple[str, int | None]:
    """The chart file and line where an exception was raised (the deepest frame in the charts folder)."""
    where = chart_code_line(exc, charts.path)
    return (relative(where[0]), where[1]) if where else (relative(fallback), None)


def chart_problem(exc: BaseException, charts: ChartFolder, fallback: Path, message: str) -> ContentError:
    """One located problem for a chart that failed: its file and line, and what to do."""
    if isinstance(exc, ContentError):  # located already (its result refused: explainer/draw/chart_result.py)
        return exc
    message = str(exc) if isinstance(exc, ChartRefused) else message  # it tried what chart code may not
    path, line = _where_in_charts(exc, charts, fallback)
    return ContentError([Problem(path, line, message)])


def _first_line(exc: BaseException) -> str:
    """An exception's message, first line only (schema errors run to dozens of lines); a syntax
    error's without its file and line, which the message gives already."""
    text = (exc.msg if isinstance(exc, SyntaxError) and exc.msg else str(exc)).strip()
    return text.splitlines()[0] if text else ""


def _failure_message(exc: Exception, lang: str, facts: FactBook, read: list[str]) -> str:
    """Say why a chart failed: an unknown fact, a fact with no value, or a bug in the chart."""
    if isinstance(exc, UnknownFact):
        return f"{exc.message} (fix the chart, or add the fact to content/facts.yaml)"
    failed = f"the chart failed in '{lang}' ({type(exc).__name__}: {_first_line(exc)})"
    nulls = [
        f"{fact_id} (content/facts.yaml:{facts[fact_id].line})" for fact_id in read if not facts[fact_id].disclosed
    ]
    if nulls:
        return (
            f"{failed}; it read facts the article gives no number for: {', '.join(nulls)}; "
            "give them a value, or make the chart draw them as a labelled gap (kit.row, kit.gap_words)"
        )
    return f"{failed}; facts it read: {', '.join(read) or 'none'}"


def render_chart(
    charts: ChartFolder,
    chart_id: str,
    facts: FactBook,
    lang: str,
    layout: kit.Layout | None = None,
    font: TextFont | None = None,
) -> RenderedChart:
    """Build a chart from the facts in a language and render its static and interactive forms.

    Whatever goes wrong in the chart's code becomes a ContentError at the chart's file and line:
    an editor sees what to fix, never a traceback. `font`: a copy of the CJK font to draw with
    faster (explainer/draw/chart_fonts.py); the bytes are the same without it.
    """
    if facts.words is not None:  # a bare number in the chart (kit.format_amount) is said in the project's words
        use_words(facts.words)
    file = charts.file(chart_id)
    try:
        module = charts.load(chart_id)
    except Exception as exc:  # a syntax error, a failed import, or an error at import time
        message = f"the chart module cannot be imported ({type(exc).__name__}: {_first_line(exc)})"
        raise chart_problem(exc, charts, file, message) from exc
    file = Path(module.__file__ or file)
    module = returning_charts(module, file)  # an Altair chart of a size a page can hold, or refused at its line
    recorder = RecordingFacts(facts, lang)
    views = []
    for each in (layout,) if layout else layouts():
        spec = _chart_spec(charts, module, recorder, lang, each, file, facts)
        views.append(_draw(spec, chart_id, lang, each.name, relative(file), font))
    spec = views[-1].vega_lite
    return RenderedChart(
        chart_id=chart_id,
        lang=lang,
        title=_title_text(spec),
        description=str(spec["description"]),
        views=tuple(views),
        facts_used=tuple(recorder.used),
        rows=plotted_rows(spec),
        read_all=recorder.read_all,
    )


def _chart_spec(
    charts: ChartFolder,
    module: Any,
    recorder: RecordingFacts,
    lang: str,
    layout: kit.Layout,
    file: Path,
    facts: FactBook,
) -> dict:
    """Run the chart module for one layout.

    Altair checks each part of a chart against the schema as it is made, so a mistake is reported
    at the chart's own line; that costs a fifth of a render. So a chart is first made without those
    checks, its whole spec checked once (by jsonschema-rs, explainer/draw/spec_check.py, else by Altair's
    to_dict), and only a chart that fails is made again with Altair's checks, for the line to report.
    """
    theme.register(lang)  # applies when the spec is written out (a reload keeps this module); the language's fonts
    check = schema_check()
    try:
        with _altair_checks(on=False):
            spec = module.chart(recorder, lang, layout).to_dict(validate=check is None)
        valid = check is None or check(spec)
    except Exception:
        valid = False
    if not valid:  # made again, with Altair's checks on, to find the line and say what is wrong
        try:
            with _altair_checks(on=True):
                spec = module.chart(recorder, lang, layout).to_dict()
        except Exception as exc:  # a fact's value the chart cannot draw (e.g. null), or a bug in the chart
            raise chart_problem(exc, charts, file, _failure_message(exc, lang, facts, recorder.used)) from exc
    if (found := _non_finite(spec)) is not None:  # refused here, with the chart's line, not by json later
        value, where = found
        line = getattr(getattr(module.chart, "__code__", None), "co_firstlineno", None)
        message = (
            f"the chart's spec holds {value} at {where}: JSON has no NaN or Infinity (browsers' JSON.parse "
            "refuses the file); give a number, or leave the row out"
        )
        raise ContentError([Problem(relative(file), line, message)])
    if not spec.get("description"):
        message = "the chart has no description; set description= to one sentence stating its point"
        raise ContentError([Problem(relative(file), None, message)])
    return spec


def _non_finite(node: Any, where: str = "spec") -> tuple[float, str] | None:
    """The first NaN or infinite number in a spec and where it is (datasets.x[2].value), or None."""
    if isinstance(node, float) and not math.isfinite(node):
        return node, where
    if isinstance(node, dict):
        items: Any = ((f"{where}.{key}" if where != "spec" else str(key), child) for key, child in node.items())
    elif isinstance(node, (list, tuple)):
        items = ((f"{where}[{index}]", child) for index, child in enumerate(node))
    else:
        return None
    for path, child in items:
        if (found := _non_finite(child, path)) is not None:
            return found
    return None


def _altair_checks(*, on: bool) -> contextlib.AbstractContextManager[None]:
    """Altair's schema checks at each call (its "debug mode"), on or off for a while."""
    from altair.utils.schemapi import debug_mode  # in the chart workers only (explainer/chartkit/_altair.py)

    return debug_mode(on)


def _draw(
    spec: dict[str, Any], chart_id: str, lang: str, layout: str, source: str, font: TextFont | None = None
) -> ChartView:
    """Render one layout's static SVG and compile its Vega spec, or say why Vega refused."""
    vlc = converter()  # here, in the chart workers: a rebuild that draws nothing never loads it

    locale = web_locale(lang)
    try:
        refuse_links(spec, source)
        vega = vlc.vegalite_to_vega(spec)  # compiled once: the SVG is drawn from it (the same bytes)
        refuse_remote_data(spec, vega, source)  # both specs are published: neither may load a URL
        drawn, family = vega_for_drawing(vega, font)
        svg = drawn_without(vlc.vega_to_svg(drawn, format_locale=locale), family)
    except ValueError as exc:  # Vega-Lite or Vega rejected the spec the chart built
        reason = next((line.strip() for line in str(exc).splitlines() if line.strip().startswith("Error")), str(exc))
        message = f"Vega could not draw the chart in '{lang}' ({reason}); fix the chart's spec"
        raise ContentError([Problem(source, None, message)]) from exc
    title = _title_text(spec)
    svg = label_svg(scope_svg_ids(lean_svg(svg), f"{chart_id}-{lang}-{layout}"), title)
    return ChartView(layout=layout, svg=svg, vega_lite=json.loads(json.dumps(spec)), vega=vega)
