"""The chart kit: what every chart module shares, so a module reads like a gallery example.

What is drawn where (the contract with the page and the downloads):
- A chart module is `chart(facts, lang, layout) -> alt.TopLevelMixin`. The chart draws its own
  title (the finding, as a sentence) and subtitle (what is measured, in what unit), wrapped for
  the layout's width, and sets `description` (one sentence: the figure's caption and aria-label).
- The rendered SVG is `layout.width` CSS px wide, everything included (padding, axes, legends),
  so it is shown at its natural size, never scaled. Its text is 12-18 px (theme.py).
- The chart does NOT draw the source line. The page shows the project's credit under the figure
  (explainer/write/credit.py), linked to the source; the downloads and share cards draw title, source line and
  the site's address into the image.
- Every data row that plots a figure carries `fact` (its id) and `value` (the fact's value),
  plus `unit`, `kind` and `gap` for the rules below.

The rules of honest encoding, which `audit()` checks on a chart's Vega-Lite spec (and the tests
run on every chart, language and layout):
1. A figure the article does not give (value null) is a labelled gap: a row with `gap: true`
   appears only in text marks ("not in the article"), never as a bar, dot, line or area.
2. One length scale per panel holds one unit and one kind (stock, flow, deal...) of similar
   scale (largest / smallest <= MAX_RATIO); anything else goes in its own panel.
3. A log scale uses dots, not bars, stems or areas, and the chart says "log scale".
4. Bars start at zero.
5. A derived number (a sum, a difference, a ratio) carries `derived: true` and says so in its
   label ("derived" / "推算").
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from explainer.chartkit import theme
from explainer.chartkit._altair import alt
from explainer.language.formatting import format_amount
from explainer.language.words import words_in_use


@dataclass(frozen=True)
class Layout:
    """A width a chart is laid out for (whole drawing, CSS px, as vl-convert outputs it)."""

    name: str
    width: int

    @property
    def narrow(self) -> bool:
        """Tell whether the chart must stack what a wide one sets side by side."""
        return self.width < 480

    @property
    def inner(self) -> int:
        """The drawing's width inside the padding."""
        return self.width - 2 * theme.PADDING


# The page column is 40rem (640 px) wide; on a 320 px phone it is 320 - 2 x 16 px = 288 px.
LAYOUTS = (Layout("narrow", 288), Layout("wide", 640))
WIDE = LAYOUTS[-1]

MAX_RATIO = 10
LINE = 17  # px between lines of chart text
LENGTH_MARKS = {"bar", "area", "rect", "rule", "trail", "arc"}
DOT_MARKS = {"point", "circle", "square", "tick", "text"}
KINDS = ("stock", "flow", "deal", "share", "count", "year")

# the kit's words in each language come from the locale files (explainer/language/locales/, overridden by
# a project's content/ui/): the words of the project being drawn, in a chart worker too
WORDS = {
    "gap": "not_in_article",
    "derived": "chart_derived",
    "log": "chart_log_scale",
    "what": "chart_what",
    "amount": "chart_amount",
    "colon": "colon",
    "paren": "chart_aside",
}


def layout_named(name: str) -> Layout:
    """Find a layout by its name."""
    for layout in LAYOUTS:
        if layout.name == name:
            return layout
    msg = f"unknown layout {name!r}; known layouts: {', '.join(layout.name for layout in LAYOUTS)}"
    raise KeyError(msg)


def say(lang: str, key: str) -> str:
    """Look up one of the kit's words (gap, derived, log scale...) in a language."""
    return words_in_use().ui[lang][WORDS.get(key, key)]


def _said_anywhere(key: str) -> list[str]:
    """One of the kit's words in every language of the project (for the audit's rules)."""
    return [ui[WORDS[key]] for ui in words_in_use().ui.values() if ui.get(WORDS[key])]


def row(fact: Any, lang: str, kind: str, **extra: Any) -> dict[str, Any]:
    """Make the data row for a fact: its id, value, unit and kind, and its labels in a language.

    A fact with no value becomes a gap row, labelled "not in the article". `display` is the bare
    figure, for a sentence that says its hedge itself; `amount`, what its tooltip and keyboard
    announcement say, carries the hedge: 50亿美元（预计）, as the tables have it.
    """
    if kind not in KINDS:
        msg = f"unknown kind {kind!r}; use one of {', '.join(KINDS)}"
        raise ValueError(msg)
    gap = fact.value is None
    return {
        "fact": fact.id,
        "value": fact.value,
        "unit": fact.unit,
        "kind": kind,
        "gap": gap,
        "name": fact.label[lang],
        "label": say(lang, "gap") if gap else fact.short(lang),
        "display": say(lang, "gap") if gap else fact.display(lang),
        "amount": say(lang, "gap") if gap else fact.hedged(lang),
        **extra,
    }


def derived(value: float, unit: str, kind: str, lang: str, name: str, **extra: Any) -> dict[str, Any]:
    """Make the row for a number the chart works out (not a fact): marked "derived" in its label."""
    marked = say(lang, "paren").format(say(lang, "derived"))
    label = format_amount(value, unit, lang, short=True) + marked
    display = format_amount(value, unit, lang) + marked  # what its tooltip says: never "undefined"
    return {
        "value": value,
        "unit": unit,
        "kind": kind,
        "gap": False,
        "derived": True,
        "name": name,
        "label": label,
        "display": display,
        "amount": display,
    }


def grid(rows: list[dict[str, Any]], across: int, width: float, gap: float) -> tuple[float, float]:
    """Lay rows out as squares, `across` to a line, filling the width: each row gets x, y, x2, y2
    and its centre (cx, cy). Returns the side of a square and where the grid ends."""
    side = (width - gap * (across - 1)) / across
    for i, r in enumerate(rows):
        r.update(x=i % across * (side + gap), y=i // across * (side + gap))
        r.update(x2=r["x"] + side, y2=r["y"] + side, cx=r["x"] + side / 2, cy=r["y"] + side / 2)
    return side, (len(rows) - 1) // across * (side + gap) + side if rows else 0


def heading(lines: list[str], layout: Layout) -> alt.Chart:
    """A panel's heading drawn as text at its top-left (multi-line group titles overlap the panel above)."""
    return (
        alt.Chart(data([{"lines": lines}]))
        .mark_text(align="left", baseline="top", fontWeight=600, color=theme.MUTED, lineHeight=18)
        .encode(x=alt.value(0), y=alt.value(0), text="lines:N")
    )


def pixels(channel: str) -> Any:
    """An x or y encoding in drawing pixels (for diagrams laid out in Python, not by a scale)."""
    scale = alt.Scale(domain=[0, 1], range=[0, 1])
    return (
        alt.X(f"{channel}:Q", axis=None, scale=scale)
        if channel == "x"
        else alt.Y(f"{channel}:Q", axis=None, scale=scale)
    )


def scale(mapping: dict[Any, Any]) -> alt.Scale:
    """A scale from a fixed mapping (category -> colour, dashes, opacity), in the mapping's order."""
    return alt.Scale(domain=list(mapping), range=list(mapping.values()))


def text(rows: list[dict[str, Any]], lang: str | None = None, field: str = "lines", **mark: Any) -> alt.Chart:
    """Text placed in drawing pixels (rows carry x and y), left-aligned from the top by default,
    with the kit's tooltip when a language is given."""
    style = {"align": "left", "baseline": "top", "lineHeight": LINE, **mark}
    chart = alt.Chart(data(rows)).mark_text(**style).encode(x=pixels("x"), y=pixels("y"), text=f"{field}:N")
    return chart.encode(tooltip=tooltip(lang)) if lang else chart


def stack(notes: list[dict[str, Any]], top: float, width: float, size: int = theme.TEXT_SIZE) -> float:
    """Wrap each note's `words` to the width and set them one under another from `top` (x = 0);
    return where the last one ends."""
    for note in notes:
        note.update(x=0, y=top, lines=wrap(note.pop("words"), width, size))
        top += LINE * len(note["lines"]) + 6
    return top - 6


def gap_words(row: dict[str, Any], lang: str) -> str:
    """Say that the article gives no figure for a row: its name, then "not in the article"."""
    return f"{row['name']}{say(lang, 'colon')}{say(lang, 'gap')}"


def split(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Separate the rows that have a value (to draw) from the gaps (to label only)."""
    return [r for r in rows if not r["gap"]], [r for r in rows if r["gap"]]


def data(rows: list[dict[str, Any]]) -> alt.Data:
    """Wrap rows as inline data (each layer gets only the rows it draws, so `audit` can see them)."""
    return alt.Data(values=rows)


def tooltip(lang: str, what: str = "name", amount: str = "amount") -> list[alt.Tooltip]:
    """The tooltip every mark shows: what it is and how much (with its hedge), titled in the page's language."""
    return [alt.Tooltip(f"{what}:N", title=say(lang, "what")), alt.Tooltip(f"{amount}:N", title=say(lang, "amount"))]


def text_width(text: str, size: float) -> float:
    """Estimate a line's width in px (wide CJK glyphs 1 em, Latin about 0.56 em); errs wide."""
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in "WF":
            width += 1.0
        elif char == " ":
            width += 0.3
        elif char.isupper() or char in "mwMW%$":
            width += 0.68
        elif char in "ilj.,:;'|!()[]“”‘’":
            width += 0.32
        else:
            width += 0.54
    return width * size


OPENING = "“‘（《([$"
CLOSING = "，。、；：）》”’!?,.;:)%"
# characters kept with the number before them, "1000亿美元" being one word: the magnitudes and
# currency words of the engine's languages; a project adds its own units' (keep_with_numbers)
UNITS = set("万亿兆億美元ドル")


def keep_with_numbers(characters: str) -> None:
    """Keep these characters (a unit's word, e.g. for watts) with the number before them when
    text is wrapped into lines."""
    UNITS.update(characters)


ASIDE = 8  # a bracketed aside up to this long, "（据透露）", is never split


def _tokens(text: str) -> list[str]:
    """Split text where a line may break: after spaces, and around CJK characters, but never
    inside an amount with its unit or a short bracketed aside (a reader sees them as one word)."""
    tokens: list[str] = []
    for char in text:
        after_break = not tokens or tokens[-1].endswith(" ") or _is_cjk(tokens[-1][-1])
        starts = (after_break or _is_cjk(char)) and char not in CLOSING and char != " "
        if tokens and tokens[-1] in OPENING:
            starts = False
        elif tokens and char in UNITS and (tokens[-1][-1].isdigit() or tokens[-1][-1] in UNITS):
            starts = not any(c.isdigit() for c in tokens[-1])
        elif tokens and tokens[-1][0] == "（" and "）" not in tokens[-1] and len(tokens[-1]) < ASIDE:
            starts = False
        if starts:
            tokens.append(char)
        else:
            tokens[-1] += char
    return tokens


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _greedy(tokens: list[str], width: float, size: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in tokens:
        if line and text_width((line + token).rstrip(), size) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def wrap(text: str, width: float, size: float) -> list[str]:
    """Break text into balanced lines no wider than `width` px at a font size (titles, labels)."""
    tokens = _tokens(text)
    lines = _greedy(tokens, width, size)
    low, high = 0.0, float(width)
    while high - low > 2:  # the narrowest width that needs no more lines: no orphan on the last
        middle = (low + high) / 2
        if len(_greedy(tokens, middle, size)) > len(lines):
            low = middle
        else:
            high = middle
    return _greedy(tokens, high, size)


def title(text: str, subtitle: str, layout: Layout) -> alt.Title:
    """Title and subtitle, broken into lines that fit the layout's width."""
    size = theme.TITLE_SIZE[layout.name]
    return alt.Title(
        wrap(text, layout.inner, size),
        subtitle=wrap(subtitle, layout.inner, theme.TEXT_SIZE),
        fontSize=size,
        lineHeight=round(size * 1.3),
    )


def panel_title(text: str, layout: Layout) -> alt.Title:
    """A panel's heading in a stacked chart: what this panel measures, wrapped to the width."""
    lines = wrap(text, layout.inner, theme.TEXT_SIZE)
    return alt.Title(lines, fontSize=theme.TEXT_SIZE, color=theme.MUTED, fontWeight=600, lineHeight=18)


def finish(
    chart: Any, layout: Layout, heading: str, subtitle: str, description: str, key: dict[str, str] | None = None
) -> Any:
    """Give a chart its title, description and width.

    A single or layered chart is fitted to `layout.width` (autosize fit, padding included); a
    stacked one takes its width from its panels, each `layout.inner` wide with no axis beside it.
    The unwrapped title and subtitle go in `usermeta` for the page and the downloads.

    `key`: what each colour the marks are drawn in means, in the words the chart draws for it (a
    key, a note, the subtitle, or the label beside the marks). A chart whose marks come in more
    than one colour lists every colour (the tests check each is listed and its words drawn).
    """
    stacked = any(hasattr(chart, key) and getattr(chart, key) is not alt.Undefined for key in ("vconcat", "hconcat"))
    # a stacked chart's panels are measured by their set width, not by marks that overhang it
    size = (
        {"bounds": "flush"}
        if stacked
        else {"width": layout.width, "autosize": alt.AutoSizeParams(type="fit-x", contains="padding")}
    )
    return chart.properties(
        **size,
        title=title(heading, subtitle, layout),
        description=description,
        usermeta={"title": heading, "subtitle": subtitle, "layout": layout.name, **({"key": key} if key else {})},
    )


def tick_label(value: float, *, unit: str, lang: str) -> str:
    """Write an axis tick's label with the Python formatter (drawn as a text mark: no formatting in JS).
    The unit's words after the number are dropped to fit (the subtitle names the unit): 50亿, $5B."""
    text = format_amount(value, unit, lang, short=True) if value else "0"
    pattern = words_in_use().locale(lang).units.get(unit)
    after = pattern.forms.get("other", "").partition("{amount}")[2] if pattern is not None else ""
    return text.removesuffix(after) if after else text


# ---- the rules, checked on a Vega-Lite spec -------------------------------------------------


def _mark_type(spec: dict[str, Any]) -> str | None:
    mark = spec.get("mark")
    return mark.get("type") if isinstance(mark, dict) else mark


def _views(spec: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """Every panel of a spec as its list of unit views (a layer shares its scales: one panel)."""
    if "layer" in spec:
        units: list[dict[str, Any]] = []
        for child in spec["layer"]:
            for panel in _views(child):
                units.extend(panel)
        return [units]
    for key in ("vconcat", "hconcat", "concat"):
        if key in spec:
            return [panel for child in spec[key] for panel in _views(child)]
    return [[spec]] if "mark" in spec else []


def _rows(unit: dict[str, Any], datasets: dict[str, Any]) -> list[dict[str, Any]]:
    values = unit.get("data", {})
    if "name" in values:
        return list(datasets.get(values["name"], []))
    return list(values.get("values", []))


def _scale(encoding: dict[str, Any], channel: str) -> dict[str, Any]:
    return (encoding.get(channel) or {}).get("scale") or {}


def audit(spec: dict[str, Any]) -> list[str]:
    """List every broken rule of honest encoding in a chart's Vega-Lite spec (empty: all kept)."""
    problems: list[str] = []
    datasets = spec.get("datasets", {})
    text = json.dumps(spec, ensure_ascii=False)
    for number, panel in enumerate(_views(spec), start=1):
        lengths: list[dict[str, Any]] = []
        for unit in panel:
            mark, encoding, rows = _mark_type(unit), unit.get("encoding", {}), _rows(unit, datasets)
            where = f"panel {number}, {mark} mark"
            if mark != "text" and any(r.get("gap") for r in rows):
                problems.append(f"{where}: draws a figure the article does not give (a gap row)")
            log = [c for c in ("x", "y") if _scale(encoding, c).get("type") in ("log", "symlog")]
            figures = any("value" in r for r in rows)  # gridlines and labels carry no figure
            if log and figures and (mark not in DOT_MARKS or "x2" in encoding or "y2" in encoding):
                problems.append(f"{where}: a log scale drawn with lengths; use dots")
            if log and not any(word in text for word in _said_anywhere("log")):
                problems.append(f"{where}: a log scale the chart does not name")
            for channel in ("x", "y"):
                quantitative = (encoding.get(channel) or {}).get("type") == "quantitative"
                if mark == "bar" and quantitative and channel not in log:
                    domain = _scale(encoding, channel).get("domain")
                    if _scale(encoding, channel).get("zero") is False or (
                        isinstance(domain, list) and not domain[0] <= 0 <= domain[-1]
                    ):
                        problems.append(f"{where}: bars that do not start at zero")
            if mark in LENGTH_MARKS and not log:
                lengths.extend(r for r in rows if "value" in r and isinstance(r["value"], (int, float)))
            for r in rows:
                if r.get("derived") and not any(word in str(r.get("label")) for word in _said_anywhere("derived")):
                    problems.append(f"{where}: a derived number not marked as derived ({r.get('label')})")
        kinds = {(r.get("unit"), r.get("kind")) for r in lengths}
        if len(kinds) > 1:
            problems.append(
                f"panel {number}: one length scale holds different units or kinds {sorted(map(str, kinds))}"
            )
        sizes = [abs(r["value"]) for r in lengths if r["value"]]
        if sizes and max(sizes) / min(sizes) > MAX_RATIO:
            problems.append(f"panel {number}: lengths of very different scales ({min(sizes):g} to {max(sizes):g})")
    return problems
