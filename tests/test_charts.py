"""Every chart renders in every language and layout, says its point, plots only facts, is laid out
for its width with readable text, and keeps the kit's rules of honest encoding."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import types
from collections.abc import Iterator
from typing import Any

import altair as alt
import pytest
import vl_convert as vlc

from charts import _theme as theme
from explainer.chartkit import kit
from explainer.core.errors import BuildError
from explainer.draw.chart_fonts import ProjectFont, TextFont, vega_for_drawing
from explainer.draw.exports import chart_csv
from explainer.draw.render import plotted_rows, render_chart, scope_svg_ids
from explainer.language.formatting import not_in_article
from explainer.load.chart_folder import ChartFolder
from explainer.load.facts import FactBook, load_facts
from tests.conftest import CHARTS, LANGS, ROOT, real_quotes

CJK = re.compile(r"[\u4e00-\u9fff]")
H2_PX = 1.4 * 16  # the page's h2 (explainer/theme/assets/site.css): no chart text may be larger


@pytest.fixture(scope="module")
def facts():
    return load_facts(ROOT / "content" / "facts.yaml", list(LANGS), real_quotes())


@pytest.fixture(scope="module")
def font(tmp_path_factory) -> TextFont | None:
    """The small copy of the CJK font the build draws charts with (explainer/draw/chart_fonts.py): the
    same layout and bytes as the 19.5 MB collection (test_chart_fonts.py), drawn 2-3 times faster."""
    return ProjectFont(ROOT / "content", ROOT / "charts", tmp_path_factory.mktemp("cache")).get()


def drawing(spec: dict, font: TextFont | None) -> dict:
    """A Vega-Lite spec compiled to the Vega spec the build draws: the copy first in its font stacks."""
    return vega_for_drawing(vlc.vegalite_to_vega(spec), font)[0]


def drawn_scene(spec: dict, font: TextFont | None) -> dict:
    """What Vega draws for a Vega-Lite spec (every mark, text and size), drawn as the build draws."""
    return vlc.vega_to_scenegraph(drawing(spec, font))


@pytest.fixture(scope="module")
def rendered(facts, font):
    """Every chart in every language and layout, rendered once for the module, as the build does."""
    return {
        (chart_id, lang, layout.name): render_chart(CHARTS, chart_id, facts, lang, layout, font=font)
        for chart_id in CHARTS.ids()
        for lang in LANGS
        for layout in kit.LAYOUTS
    }


def items(node: Any, marktype: str | None = None) -> Iterator[tuple[str, dict]]:
    """Walk a Vega scenegraph: every drawn item with the type of the mark it belongs to."""
    if isinstance(node, dict):
        kind = node.get("marktype", marktype)
        for child in node.get("items", []):
            if isinstance(child, dict) and "items" not in child:
                yield kind, child
            yield from items(child, kind)
        if "scenegraph" in node:
            yield from items(node["scenegraph"], marktype)


def layer_rows(spec: dict, index: int) -> list[dict]:
    """The data rows of one layer of a layered spec (inline, or in the spec's datasets)."""
    data = spec["layer"][index]["data"]
    return spec["datasets"][data["name"]] if "name" in data else data["values"]


def texts(scenegraph: dict) -> list[dict]:
    """Every text item drawn (marks, axes, titles), with its font size."""
    return [item for kind, item in items(scenegraph) if kind == "text" and item.get("text") not in (None, "", [])]


def joined(text: str | list[str]) -> str:
    """A text item's words with its line breaks and spaces taken out."""
    return ("".join(map(str, text)) if isinstance(text, list) else str(text)).replace(" ", "")


def with_null(facts: FactBook, fact_id: str) -> FactBook:
    """The same facts with one of them given no value, as if the article left it out."""
    return FactBook({k: dataclasses.replace(facts[k], value=None) if k == fact_id else facts[k] for k in facts})


def test_the_charts_the_issue_asks_for_exist():
    assert {"ono_loop", "openai_losses", "nvidia_tranches", "chatgpt_paying", "dollar_scale"} <= set(CHARTS.ids())


@pytest.mark.parametrize("chart_id", CHARTS.ids())
@pytest.mark.parametrize("lang", LANGS)
def test_chart_renders_with_text_in_its_language(chart_id, lang, rendered, font):
    chart = rendered[chart_id, lang, "wide"]
    assert chart.svg.startswith("<svg")
    # the title is the chart's finding, drawn in lines that fit its width
    assert chart.title and chart.title == chart.vega_lite["usermeta"]["title"]
    lines = chart.vega_lite["title"]["text"]
    assert "".join(lines).replace(" ", "") == chart.title.replace(" ", "")
    assert all(line in chart.svg for line in lines)
    assert chart.description.strip()
    assert bool(CJK.search(chart.title)) == (lang == "zh")
    # the Vega-Lite spec round-trips through JSON and compiles again to the same kind of output
    spec = json.loads(json.dumps(chart.vega_lite))
    assert vlc.vega_to_svg(drawing(spec, font)).startswith("<svg")
    assert chart.vega["$schema"].startswith("https://vega.github.io/schema/vega/")


@pytest.mark.parametrize("chart_id", CHARTS.ids())
def test_every_figure_a_chart_plots_is_a_fact(chart_id, facts, rendered):
    for lang in LANGS:
        chart = rendered[chart_id, lang, "narrow"]
        assert chart.rows, f"{chart_id} plots no fact rows"
        for row in chart.rows:
            assert row["value"] == facts[row["fact"]].value, (chart_id, row)
            assert row["name"], (chart_id, row)  # the data table under the figure names each row
        assert {row["fact"] for row in chart.rows} <= set(chart.facts_used)


def data_rows(spec: Any) -> Iterator[list[dict]]:
    """Every inline dataset of a Vega-Lite spec: its datasets and each layer's values."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("datasets",) and isinstance(value, dict):
                yield from (rows for rows in value.values() if isinstance(rows, list))
            elif key == "values" and isinstance(value, list) and all(isinstance(row, dict) for row in value):
                yield value
            else:
                yield from data_rows(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from data_rows(value)


@pytest.mark.parametrize("chart_id", CHARTS.ids())
def test_every_tooltip_says_how_much_or_why_not(chart_id, rendered):
    """A dataset whose marks show an amount gives every row its tooltip names one: its figure,
    our arithmetic (marked derived) or "not in the article", never undefined or empty."""
    for lang in LANGS:
        for layout in kit.LAYOUTS:
            for rows in data_rows(rendered[chart_id, lang, layout.name].vega_lite):
                rows = [row for row in rows if isinstance(row, dict)]
                if any("display" in row for row in rows):
                    empty = [
                        {key: row.get(key) for key in ("fact", "name", "what", "display")}
                        for row in rows
                        if (row.get("name") or row.get("what")) and not str(row.get("display") or "").strip()
                    ]
                    assert not empty, (chart_id, lang, layout.name, empty)


@pytest.mark.parametrize("chart_id", CHARTS.ids())
def test_no_data_table_repeats_a_row(chart_id, facts, rendered):
    """The data table beside a chart, its CSV and its metadata list each figure once, however many
    marks draw it (the tranche squares at the same rate, the waffle's squares and its note)."""
    for lang in LANGS:
        for layout in kit.LAYOUTS:
            chart = rendered[chart_id, lang, layout.name]
            table = [(row["fact"], row["name"]) for row in chart.rows]
            assert len(table) == len(set(table)), (chart_id, lang, layout.name, table)
            lines = chart_csv(chart, facts).splitlines()
            assert len(lines) == len(set(lines)), (chart_id, lang, layout.name, lines)


def test_the_loop_shows_the_gpu_spending_the_article_does_not_give(rendered):
    for layout in kit.LAYOUTS:
        zh, en = rendered["ono_loop", "zh", layout.name], rendered["ono_loop", "en", layout.name]
        assert "文章未给出" in zh.svg and "not in the article" in en.svg
    zh, en = rendered["ono_loop", "zh", "wide"], rendered["ono_loop", "en", "wide"]
    assert "3000亿美元" in zh.svg and "至多1000亿美元" in zh.svg
    assert "$300 billion" in en.svg and "up to $100 billion" in en.svg


def test_no_label_of_the_loop_touches_a_company_circle(rendered, font):
    """Seen on the zh phone layout: a six-line label beside Nvidia ran into its circle."""
    for lang in LANGS:
        for layout in kit.LAYOUTS:
            spec = rendered["ono_loop", lang, layout.name].vega_lite
            heading = [*spec["title"]["text"], *spec["title"]["subtitle"]]  # placed in the title's own frame
            scene = list(items(drawn_scene(spec, font)))
            circles = [(c["x"], c["y"], c["size"] ** 0.5 / 2) for kind, c in scene if c.get("shape") == "circle"]
            labels = [
                t
                for kind, t in scene
                if kind == "text" and isinstance(t.get("text"), list) and t["text"][0] not in heading
            ]
            assert len(circles) == 3 and labels
            for label in labels:
                for n, line in enumerate(label["text"]):
                    width = kit.text_width(line, label["fontSize"])
                    left = label["x"] - {"left": 0, "center": width / 2, "right": width}[label["align"]]
                    top = label["y"] + n * label["lineHeight"]
                    for cx, cy, r in circles:  # the nearest point of the line's box to the circle's centre
                        dx = max(left - cx, 0, cx - left - width)
                        dy = max(top - cy, 0, cy - top - label["fontSize"])
                        assert (dx * dx + dy * dy) ** 0.5 > r + 2, (lang, layout.name, line)


def test_the_loop_sizes_each_flow_by_amount_and_styles_it_by_kind(rendered, font):
    """Solid $300B commitment three times as wide as the dashed up-to-$100B pledge; the GPU
    purchases, with no amount, a dotted hairline; the circular framing attributed, not asserted."""
    for layout in kit.LAYOUTS:
        chart = rendered["ono_loop", "en", layout.name]
        arcs = {row["flow"]: row for row in layer_rows(chart.vega_lite, 0)}
        assert arcs["contract"]["width"] == pytest.approx(3 * arcs["pledge"]["width"])
        assert arcs["purchase"]["style"] == "gap" and arcs["purchase"]["width"] <= 2
        scenegraph = drawn_scene(chart.vega_lite, font)
        lines = [item for kind, item in items(scenegraph) if kind == "line"]
        dashes = {item.get("strokeWidth"): tuple(item.get("strokeDash") or ()) for item in lines}
        assert len(set(dashes.values())) == 3, dashes  # solid, dashed, dotted
        assert "Bloomberg" in chart.svg and "Huang" in chart.svg
    assert "彭博社" in rendered["ono_loop", "zh", "wide"].svg
    assert "goes round" not in json.dumps(rendered["ono_loop", "en", "wide"].vega_lite)


def test_the_loss_chart_leaves_2027_and_2028_as_labelled_gaps(rendered, font):
    for layout in kit.LAYOUTS:
        chart = rendered["openai_losses", "en", layout.name]
        years = {row["fact"]: row["value"] for row in chart.rows}
        assert years["openai_loss_2027"] is None and years["openai_loss_2028"] is None
        scenegraph = drawn_scene(chart.vega_lite, font)
        words = " ".join(" ".join(t["text"]) if isinstance(t["text"], list) else t["text"] for t in texts(scenegraph))
        assert words.count("article") >= 2 and "$5B" in words and "$14B" in words and "2029" in words
        # two loss bars, and Bain's need as one bar of two parts: nothing drawn for 2027 or 2028
        assert sum(1 for kind, _ in items(scenegraph) if kind == "rect") == 4
        assert "(derived)" in words


def test_the_first_possible_profit_sits_on_the_zero_line_not_in_the_losses(rendered, font):
    """The break-even marker stands on the zero line, pointing up out of the loss area below it,
    in every language and layout (it hung 14 px inside the losses)."""
    for lang in LANGS:
        for layout in kit.LAYOUTS:
            scene = list(items(drawn_scene(rendered["openai_losses", lang, layout.name].vega_lite, font)))
            zero = [item["y"] for kind, item in scene if kind == "rule" and item.get("y2", item["y"]) == item["y"]]
            markers = [item for kind, item in scene if kind == "symbol" and item.get("shape") == "triangle-up"]
            assert len(markers) == 1 and zero, (lang, layout.name)
            marker = markers[0]
            bottom = marker["y"] + marker["size"] ** 0.5 / 2
            assert bottom <= max(zero) + 0.5, (lang, layout.name, bottom, zero)
            # and clear of its year's label above it (drawn from its baseline up)
            year = next(r["value"] for r in rendered["openai_losses", lang, layout.name].rows if r["unit"] == "year")
            labels = [t for kind, t in scene if kind == "text" and str(t.get("text")) == str(year)]
            top = marker["y"] - marker["size"] ** 0.5 / 2
            assert labels and all(t["y"] <= top for t in labels), (lang, layout.name, top, [t["y"] for t in labels])


def marks_with_tooltips(vega: dict) -> set[str]:
    """The names of a Vega spec's marks that show a tooltip: the marks that stand for data."""
    names = set()
    for mark in vega.get("marks", []):
        encode = mark.get("encode", {})
        if any("tooltip" in encode.get(stage, {}) for stage in ("enter", "update")):
            names.add(mark.get("name"))
        names |= marks_with_tooltips(mark)
    return names


def data_colours(node: Any, names: set[str], inside: bool = False) -> set[str]:
    """The colours a scenegraph draws its data marks in (a hollow mark's outline, else its fill)."""
    found: set[str] = set()
    if isinstance(node, dict):
        inside = inside or (node.get("name") in names and node.get("marktype") != "text")
        for item in node.get("items", []):
            if inside and isinstance(item, dict) and "items" not in item:
                fill = item.get("fill")
                colour = fill if fill and fill != "transparent" else item.get("stroke")
                if colour and colour != "transparent":
                    found.add(colour.lower())
            found |= data_colours(item, names, inside)
        if "scenegraph" in node:
            found |= data_colours(node["scenegraph"], names)
    return found


@pytest.mark.parametrize("chart_id", CHARTS.ids())
def test_every_colour_the_marks_come_in_is_in_the_key(chart_id, rendered, font):
    """A chart whose marks come in more than one colour says what each means (a key, a note, the
    subtitle or a direct label): every colour drawn is in its key and the key's words are drawn,
    in every language and layout. (The dollar scale's said what red and hollow dots were, not blue.)"""
    for lang in LANGS:
        for layout in kit.LAYOUTS:
            chart = rendered[chart_id, lang, layout.name]
            spec = chart.vega_lite
            scene = drawn_scene(spec, font)
            colours = data_colours(scene, marks_with_tooltips(drawing(spec, font)))
            if len(colours) < 2:
                continue
            key = {colour.lower(): words for colour, words in spec["usermeta"].get("key", {}).items()}
            assert colours <= set(key), (chart_id, lang, layout.name, "not in the key:", colours - set(key))
            drawn = "".join(joined(t["text"]) for t in texts(scene))
            for colour in colours:
                assert joined(key[colour]) in drawn, (chart_id, lang, layout.name, colour, key[colour])


def test_svg_ids_are_scoped_so_two_charts_can_share_a_page():
    svg = '<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/></svg>'
    assert scope_svg_ids(svg, "a-zh") == '<svg><clipPath id="a-zh-clip1"/><g clip-path="url(#a-zh-clip1)"/></svg>'


def test_a_spec_vega_rejects_names_the_chart_file_not_a_traceback(facts, monkeypatch):
    def broken(facts, lang, layout):
        layer = alt.Chart(alt.Data(values=[{"x": 1}]), name="twin").mark_point().encode(x="x:Q", color="x:N")
        return alt.layer(layer, layer).properties(description="Two layers with one name.")

    module = types.SimpleNamespace(__file__=str(ROOT / "charts" / "broken.py"), chart=broken)
    monkeypatch.setattr(ChartFolder, "load", lambda self, chart_id: module)
    with pytest.raises(BuildError) as error:
        render_chart(CHARTS, "broken", facts, "en")
    message = str(error.value.problems[0])
    assert message.startswith("charts/broken.py: Vega could not draw the chart in 'en' (Error: Duplicate")
    assert message.endswith("; fix the chart's spec")


def test_a_chart_with_a_syntax_error_is_located_not_a_traceback(facts, monkeypatch):
    def load_broken(self, chart_id):
        compile("rows = [\n", str(ROOT / "charts" / "broken.py"), "exec")

    monkeypatch.setattr(ChartFolder, "load", load_broken)
    with pytest.raises(BuildError) as error:
        render_chart(CHARTS, "broken", facts, "zh")
    problem = error.value.problems[0]
    assert (str(problem.path), problem.line) == ("charts/broken.py", 1)
    assert problem.message.startswith("the chart module cannot be imported (SyntaxError: '[' was never closed")


def chart_from_source(name: str, source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every chart id load a chart module written here, as charts/<name>.py (Altair as `alt`)."""
    namespace: dict = {"alt": alt}
    exec(compile(source, str(ROOT / "charts" / f"{name}.py"), "exec"), namespace)
    module = types.SimpleNamespace(__file__=str(ROOT / "charts" / f"{name}.py"), chart=namespace["chart"])
    monkeypatch.setattr(ChartFolder, "load", lambda self, chart_id: module)


def test_a_bug_in_a_chart_names_its_file_line_and_the_exception(facts, monkeypatch):
    chart_from_source("buggy", "def chart(facts, lang, layout):\n    rows = {}\n    return rows['yaer']\n", monkeypatch)
    with pytest.raises(BuildError) as error:
        render_chart(CHARTS, "buggy", facts, "en")
    problem = error.value.problems[0]
    assert (str(problem.path), problem.line) == ("charts/buggy.py", 3)
    assert problem.message == "the chart failed in 'en' (KeyError: 'yaer'); facts it read: none"


@pytest.mark.parametrize("chart_id", CHARTS.ids())
def test_every_chart_is_laid_out_for_each_width_with_readable_text(chart_id, rendered, font):
    """Each layout's SVG is as wide as the layout (shown at natural size, never scaled), and every
    piece of text in it is 12 px or more and no larger than the page's h2."""
    for lang in LANGS:
        drawings = {}
        for layout in kit.LAYOUTS:
            chart = rendered[chart_id, lang, layout.name]
            assert abs(chart.width - layout.width) <= 2, (lang, layout, chart.width)
            sizes = [item["fontSize"] for item in texts(drawn_scene(chart.vega_lite, font))]
            assert sizes and min(sizes) >= 12 and max(sizes) <= H2_PX, (lang, layout, min(sizes), max(sizes))
            drawings[layout.name] = chart.vega_lite
        # not one drawing scaled: the layouts differ in more than their width
        narrow, wide = (json.dumps({k: v for k, v in d.items() if k != "width"}) for d in drawings.values())
        assert narrow.replace("narrow", "") != wide.replace("wide", "")


@pytest.mark.parametrize("chart_id", CHARTS.ids())
def test_no_chart_breaks_a_rule_of_honest_encoding(chart_id, rendered):
    """No panel compares different units, kinds or scales by length, draws a gap, puts bars on a
    log scale or off zero, or leaves a derived number unmarked (kit.audit)."""
    for lang in LANGS:
        for layout in kit.LAYOUTS:
            assert kit.audit(rendered[chart_id, lang, layout.name].vega_lite) == [], (lang, layout)


def _bars(rows: list[dict], **scale: Any) -> dict:
    x = alt.X("value:Q", scale=alt.Scale(**scale)) if scale else alt.X("value:Q")
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(x=x, y="name:N").to_dict()


def _figure(value: float | None, unit: str = "usd", kind: str = "flow", **extra: Any) -> dict:
    return {"fact": "f", "name": f"{value}", "value": value, "unit": unit, "kind": kind, "gap": value is None, **extra}


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        (_bars([_figure(14e9), _figure(800e9)]), "very different scales"),
        (_bars([_figure(5e12, kind="stock"), _figure(1e12, kind="flow")]), "different units or kinds"),
        (_bars([_figure(0.03, unit="share"), _figure(0.05, unit="gw")]), "different units or kinds"),
        (_bars([_figure(5e9), _figure(None)]), "draws a figure the article does not give"),
        (_bars([_figure(5e9), _figure(9e9)], type="log"), "a log scale drawn with lengths"),
        (_bars([_figure(5e9), _figure(9e9)], zero=False), "bars that do not start at zero"),
        (_bars([_figure(5e9), _figure(9e9)], domain=[4e9, 1e10]), "bars that do not start at zero"),
        (_bars([_figure(5e9), {**_figure(9e9), "derived": True, "label": "$9B"}]), "a derived number not marked"),
        (
            alt.Chart(alt.Data(values=[_figure(5e9)]))
            .mark_circle()
            .encode(x=alt.X("value:Q", scale=alt.Scale(type="log")))
            .to_dict(),
            "a log scale the chart does not name",
        ),
    ],
)
def test_the_kit_catches_each_broken_rule(spec, problem):
    found = kit.audit(spec)
    assert any(problem in p for p in found), found


def test_the_kit_accepts_like_with_like_and_separate_panels():
    same = [_figure(5e9), _figure(14e9)]
    assert kit.audit(_bars(same)) == []
    # a $14B loss and an $800B gap are fine in panels of their own
    panels = alt.vconcat(
        *(alt.Chart(alt.Data(values=[_figure(v)])).mark_bar().encode(x="value:Q") for v in (14e9, 800e9))
    )
    assert kit.audit(panels.to_dict()) == []


def _plotted(facts) -> list[tuple[str, str]]:
    """Every (chart, fact) pair where the chart plots a figure the article gives (read from the
    charts' specs at collection, in every xdist worker: not drawn, which the test itself does)."""
    rows = {
        chart_id: plotted_rows(CHARTS.load(chart_id).chart(facts, "en", kit.WIDE).to_dict(validate=False))
        for chart_id in CHARTS.ids()
    }
    return sorted({(c, r["fact"]) for c, found in rows.items() for r in found if r["value"] is not None})


@pytest.mark.slow  # dozens of charts drawn again: `make test` runs it, not the quick `make check`
@pytest.mark.parametrize(
    ("chart_id", "fact_id"), _plotted(load_facts(ROOT / "content" / "facts.yaml", list(LANGS), real_quotes()))
)
def test_a_figure_the_article_does_not_give_is_a_labelled_gap_with_no_size(chart_id, fact_id, facts, font):
    """Take the figure away: the chart still draws, says "not in the article" where it was, and
    draws it with no bar, box or dot (only text, or the loop's fixed hairline connection)."""
    blank = with_null(facts, fact_id)
    module = CHARTS.load(chart_id)
    for lang, layout in (("en", kit.LAYOUTS[0]), ("zh", kit.WIDE)):
        # the spec as render_chart makes it (the theme registered, validated by Altair), drawn by
        # Vega into the scenegraph checked here: the SVG and Vega renders it would add are not read
        theme.register()
        spec = module.chart(blank, lang, layout).to_dict()
        assert kit.audit(spec) == []
        assert any(row["fact"] == fact_id and row["value"] is None for row in plotted_rows(spec))
        scenegraph = drawn_scene(spec, font)
        gap = not_in_article(lang)
        assert any(gap.replace(" ", "") in joined(item["text"]) for item in texts(scenegraph))
        for kind, item in items(scenegraph):
            if gap in json.dumps(item.get("tooltip", ""), ensure_ascii=False) and kind != "text":
                assert kind == "line" and item.get("strokeWidth", 1) <= 2, (kind, item)


def test_the_theme_is_registered_and_its_colours_read_on_light_and_dark_pages():
    assert alt.theme.active == "explainer"
    for lang in LANGS:  # in each language's font stack (its locale's chart_font)
        theme.register(lang)
        spec = alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x="a:Q").to_dict()
        assert spec["config"]["font"] == theme.font(lang) and spec["config"]["title"]["font"] == theme.font(lang)
    for name, colour in theme.marks().items():
        for background in (theme.LIGHT_BACKGROUND, theme.DARK_BACKGROUND):
            assert theme.contrast(colour, background) >= 3, (name, background)
    for text in (theme.INK, theme.MUTED):
        assert theme.contrast(text, theme.LIGHT_BACKGROUND) >= 4.5
        assert theme.contrast(theme.DARK[text], theme.DARK_BACKGROUND) >= 4.5
    for filled in (theme.COMPANY["nvidia"], theme.COMPANY["openai"], theme.COMPANY["oracle"]):
        assert theme.contrast(theme.ON_MARK, filled) >= 4.5
    assert '[fill="#1f2328"] { fill: #e6e8eb; }' in theme.dark_css()


@pytest.mark.parametrize("chart_id", CHARTS.ids())
def test_every_colour_a_chart_draws_comes_from_the_theme_and_reads_in_both_modes(chart_id, rendered):
    allowed = {c.lower() for c in (*theme.marks().values(), *theme.DARK, *theme.DARK_RULES, theme.UNKNOWN)}
    for lang in LANGS:
        for layout in kit.LAYOUTS:
            svg = rendered[chart_id, lang, layout.name].svg
            used = {c.lower() for c in re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{6})"', svg)}
            assert used <= allowed, used - allowed
            for text_colour in re.findall(r'<text[^>]*fill="(#[0-9a-fA-F]{6})"', svg):
                if text_colour != theme.ON_MARK:  # white on a filled mark, checked above
                    dark = theme.DARK.get(text_colour, text_colour)
                    assert theme.contrast(text_colour, theme.LIGHT_BACKGROUND) >= 4.5, text_colour
                    assert theme.contrast(dark, theme.DARK_BACKGROUND) >= 4.5, text_colour


def test_tick_labels_come_from_the_python_formatter_not_javascript(rendered):
    for chart in rendered.values():
        assert "format(" not in json.dumps(chart.vega_lite), chart.chart_id
    zh, en = rendered["dollar_scale", "zh", "wide"].svg, rendered["dollar_scale", "en", "wide"].svg
    assert all(label in en for label in ("$100M", "$10B", "$1T", "$100T"))
    assert all(label in zh for label in ("1亿", "100亿", "1万亿", "100万亿"))


def test_the_log_scale_uses_dots_and_says_it_is_a_log_scale(rendered, font):
    for lang, words in (("zh", "对数刻度"), ("en", "log scale")):
        chart = rendered["dollar_scale", lang, "narrow"]
        assert words in chart.svg
        marks = {kind for kind, item in items(drawn_scene(chart.vega_lite, font)) if "tooltip" in item}
        assert marks <= {"symbol", "text"}, marks


@pytest.mark.parametrize("chart_id", CHARTS.ids())
def test_a_chart_module_is_short_and_keeps_languages_in_its_text_table(chart_id):
    source = CHARTS.file(chart_id).read_text(encoding="utf-8")
    tree = ast.parse(source)
    table = [
        n for n in tree.body if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "TEXT" for t in n.targets)
    ]
    assert table, f"{chart_id} has no TEXT table"
    lines = len(source.splitlines()) - sum(n.end_lineno - n.lineno + 1 for n in table)
    assert lines <= 60, f"{chart_id}: {lines} lines apart from its TEXT table"
    assert not re.search(r"\blang\s*==", source), f"{chart_id} branches on the language"
    assert set(LANGS) <= {k.value for k in table[0].value.keys}


# A title that only names what is plotted and the range its figures run over restates the axis:
# a label ("The article's dollar figures run from X to Y"), not a finding (CHARTS.md). Its shapes
# in each site language, figures written #; a language the site adds needs its own line here.
RANGE_AS_TITLE = {
    "zh": re.compile(r"[^，。；：]*[，：]?\s*从#到#"),
    "en": re.compile(r"[^,;:]*?\s(?:runs?|ranges?|goes|go)\s+from\s+#\s+to\s+#"),
}


@pytest.mark.parametrize("chart_id", CHARTS.ids())
def test_every_title_states_a_finding_not_the_range_of_its_figures(chart_id, rendered):
    assert set(LANGS) <= set(RANGE_AS_TITLE), "a site language with no label shapes to check its titles against"
    for lang in LANGS:
        chart = rendered[chart_id, lang, "wide"]
        figures = {
            str(row[key])
            for rows in data_rows(chart.vega_lite)
            for row in rows
            for key in ("display", "label")
            if isinstance(row, dict) and row.get(key)
        }
        title = chart.title
        for figure in sorted(figures, key=len, reverse=True):
            title = title.replace(figure, "#")
        assert not RANGE_AS_TITLE[lang].fullmatch(title), (chart_id, lang, chart.title)


def test_titles_wrap_into_lines_that_fit_the_width():
    for text in (
        "OpenAI expects bigger losses, and a profit in 2029 at the earliest",
        "OpenAI 预计亏损扩大，最乐观的预测也要到2029年才可能盈利",
    ):
        lines = kit.wrap(text, 280, 16)
        assert len(lines) > 1 and all(kit.text_width(line, 16) <= 280 for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_chart_renders_the_same_bytes_however_many_charts_its_process_drew_before(facts):
    """Vega numbers clip paths per process (clip1, then clip2...): a chart rendered by a busy
    worker must still equal the same chart rendered by a fresh one, or builds differ."""
    first = render_chart(CHARTS, "openai_losses", facts, "en")
    again = render_chart(CHARTS, "openai_losses", facts, "en")
    assert [view.svg for view in first.views] == [view.svg for view in again.views]
    assert 'id="openai_losses-en-' in first.views[-1].svg or "id=" not in first.views[-1].svg


def test_only_the_facts_own_error_reads_as_an_unknown_fact(facts, monkeypatch):
    """A chart's failure is called an unknown fact by the error's type (UnknownFact, raised by the
    facts), not by its words: a chart's own KeyError that happens to say the same is a bug in the
    chart, reported as one."""
    source = "def chart(facts, lang, layout):\n    raise KeyError(\"unknown fact 'x'\")\n"
    chart_from_source("own", source, monkeypatch)
    with pytest.raises(BuildError) as error:
        render_chart(CHARTS, "own", facts, "en")
    message = error.value.problems[0].message
    assert message == "the chart failed in 'en' (KeyError: \"unknown fact 'x'\"); facts it read: none"


def test_a_property_the_schema_does_not_know_is_reported_at_its_line(facts, monkeypatch):
    """A misspelt property passes the fast schema check (explainer/draw/spec_check.py) only if valid:
    here it is not, and the chart is made again with Altair's checks, which name it and its line."""
    source = (
        "def chart(facts, lang, layout):\n"
        "    base = alt.Chart(alt.Data(values=[{'x': 1}]))\n"
        "    return base.mark_text(fontsize=12).encode(x='x:Q').properties(description='One dot.')\n"
    )
    chart_from_source("typo", source, monkeypatch)
    with pytest.raises(BuildError) as error:
        render_chart(CHARTS, "typo", facts, "en")
    problem = error.value.problems[0]
    assert (str(problem.path), problem.line) == ("charts/typo.py", 3)
    assert "`MarkDef` has no parameter named 'fontsize'" in problem.message


def _units(spec: dict) -> Iterator[dict]:
    """Every view of a spec that draws a mark, inside its layers and concatenations."""
    if "mark" in spec:
        yield spec
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for part in spec.get(key, []):
            yield from _units(part)


def _broken_copies(spec: dict) -> Iterator[tuple[str, dict]]:
    """The spec with one mistake each, of the kinds a chart's author makes."""
    mistakes = {
        "an unknown top-level property": lambda s, u: s.update(widht=300),
        "an unknown mark property": lambda s, u: u.update(mark={"type": "text", "fontsize": 12}),
        "a mark type that does not exist": lambda s, u: u.update(mark={"type": "txt"}),
        "a width that is not a number": lambda s, u: s.update(width="wide"),
        "a field type that does not exist": lambda s, u: u.update(encoding={"x": {"field": "x", "type": "quantity"}}),
    }
    for name, mistake in mistakes.items():
        broken = json.loads(json.dumps(spec))
        mistake(broken, next(_units(broken)))
        yield name, broken


def test_the_fast_schema_check_agrees_with_altairs_on_every_chart_and_mistake(rendered):
    """jsonschema-rs answers for Altair's own validation (a tenth of a millisecond, not 30 ms): on
    every chart's spec, and on each kind of mistake, the two must give the same answer."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema import load_schema

    from explainer.draw.spec_check import schema_check

    check, schema = schema_check(), load_schema()
    assert check is not None  # jsonschema-rs is a pinned dependency

    def altair_accepts(spec: dict) -> bool:
        return validate_jsonschema(spec, schema, rootschema=schema, raise_error=False) is None

    for chart in rendered.values():
        for view in chart.views:
            assert check(view.vega_lite) and altair_accepts(view.vega_lite), chart.chart_id
    spec = rendered[("openai_losses", "en", kit.WIDE.name)].views[-1].vega_lite
    for mistake, broken in _broken_copies(spec):
        assert not check(broken), mistake
        assert not altair_accepts(broken), mistake
