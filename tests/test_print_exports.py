"""Exports a journalist can print (issue 23, item 3), checked without a browser on what vl-convert
draws (the Vega scenegraph of every chart, language and layout) and on the files it writes:
every text inside the margins and, on a filled mark, inside that mark; no line starting with a
closing bracket; English text set in the Latin face (its quotes and spaces Latin), Chinese in
Noto Sans CJK (its full-width quotes); PNGs lossless-optimised, pixel for pixel the same as the
plain render and at most 100 KB; SVG downloads named and described in their language."""

from __future__ import annotations

import dataclasses
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
import vl_convert as vlc
from PIL import Image

from explainer.chartkit import theme
from explainer.core.store import Stores
from explainer.draw.chart_fonts import LATIN_FAMILY, ProjectFont, TextFont, covered, run_width, vega_for_drawing
from explainer.draw.exports import ImageCache, download_svg, png_recipe, png_store, rasterise, share_card_svg, wrap
from explainer.draw.render import RenderedChart, render_chart
from explainer.load.facts import load_facts
from tests.conftest import CHARTS, LANGS, ROOT, real_quotes

MAX_PNG = 100 * 1024
CLOSING = ")）]］}｝》」』】〕〉”’,，.。、:：;；!！?？"
SOURCE = "Source: He Yiran, 《AI股和黄金同涨不止是“杠铃交易”》 (“AI stocks and gold rising together”), FunTalk"


@pytest.fixture(scope="module")
def font(tmp_path_factory: pytest.TempPathFactory) -> TextFont | None:
    return ProjectFont(ROOT / "content", ROOT / "charts", tmp_path_factory.mktemp("cache")).get()


@pytest.fixture(scope="module")
def rendered(font: TextFont | None) -> dict[tuple[str, str], RenderedChart]:
    """Every chart in every language (each in every layout), drawn as the build draws them."""
    facts = load_facts(ROOT / "content" / "facts.yaml", list(LANGS), real_quotes())
    return {(c, lang): render_chart(CHARTS, c, facts, lang, font=font) for c in CHARTS.ids() for lang in LANGS}


def scene(vega: dict, font: TextFont | None) -> dict:
    return vlc.vega_to_scenegraph(vega_for_drawing(vega, font)[0])


def drawn(node: dict, x: float = 0.0, y: float = 0.0, kind: str = "") -> Iterator[tuple[str, dict, float, float]]:
    """Every drawn item with the mark type it belongs to and the offset of its group, in the
    drawing's pixels (groups move what they hold)."""
    for item in node.get("items", []):
        if "marktype" in item:  # a mark: its items are drawn, or are groups
            yield from drawn(item, x, y, item["marktype"])
        elif kind == "group":
            yield kind, item, x, y
            yield from drawn(item, x + item.get("x", 0), y + item.get("y", 0), kind)
        else:
            yield kind, item, x, y


def lines(item: dict) -> list[str]:
    text = item.get("text")
    return [str(t) for t in text] if isinstance(text, list) else [str(text)] if text not in (None, "") else []


def first_family(stack: str) -> str:
    families = [f.strip().strip("\"'") for f in stack.split(",")]
    return next(f for f in families if not f.startswith("ChartText"))  # the CJK copy: the same outlines


def text_box(item: dict, x: float, y: float, cjk: bool) -> tuple[float, float, float, float]:
    """The box a text item's lines take (left, top, right, bottom), from the face's advances."""
    size, weight = item.get("fontSize", 11), int(item.get("fontWeight", 400) or 400)
    width = max(run_width(line, size, cjk=cjk, weight=weight) or 0.0 for line in lines(item))
    height = item.get("lineHeight", size) * (len(lines(item)) - 1) + size
    left = x + item.get("x", 0) + item.get("dx", 0)
    left -= {"left": 0, "center": width / 2, "right": width}[item.get("align", "left")]
    top = y + item.get("y", 0) + item.get("dy", 0)
    top -= {"top": 0, "middle": height / 2, "bottom": height}.get(item.get("baseline", "alphabetic"), size * 0.8)
    return left, top, left + width, top + height


def views(rendered: dict) -> Iterator[tuple[str, str, Any]]:
    for (chart_id, lang), chart in sorted(rendered.items()):
        for view in chart.views:
            yield chart_id, lang, view


def test_every_text_lies_inside_the_margins_and_a_label_on_a_mark_inside_its_mark(rendered, font):
    """Checked on what Vega draws, with the advance widths of the face each language draws with:
    nothing closer than the padding to an edge (a legend 2 px from it had no room), and white text
    on a node inside the node ("OpenAI" was wider than its circle)."""
    for chart_id, lang, view in views(rendered):
        graph = scene(view.vega, font)
        (ox, oy), width, height = graph["origin"], graph["width"], graph["height"]
        cjk = theme.cjk_first(theme.font(lang))
        items = list(drawn(graph["scenegraph"], ox, oy, "group"))
        circles = [
            (x + i["x"], y + i["y"], i.get("size", 64) ** 0.5 / 2)
            for kind, i, x, y in items
            if kind == "symbol" and i.get("shape") == "circle"
        ]
        rects = [
            (x + i["x"], y + i["y"], x + i["x"] + i["width"], y + i["y"] + i["height"])
            for kind, i, x, y in items
            if kind == "rect" and i.get("width", 0) > 0 and i.get("height", 0) > 0
        ]
        for kind, item, x, y in items:
            if kind != "text" or not lines(item) or item.get("angle"):
                continue
            left, top, right, bottom = text_box(item, x, y, cjk)
            where = (chart_id, lang, view.layout, lines(item))
            pad = theme.PADDING - 0.5
            assert left >= pad and right <= width - pad, (*where, round(left, 1), round(right, 1), width)
            assert top >= pad - 2 and bottom <= height - pad + 2, (*where, round(top, 1), round(bottom, 1), height)
            cx, cy = (left + right) / 2, (top + bottom) / 2
            for ex, ey, r in circles:  # a name on a node: inside its circle, 2 px clear
                if abs(cx - ex) < r and abs(cy - ey) < r:
                    half_w, half_h = (right - left) / 2 + 2, item.get("fontSize", 11) * 0.4
                    assert (half_w**2 + half_h**2) ** 0.5 <= r, (*where, round(right - left, 1), r)
            for x1, y1, x2, y2 in rects:  # a label on a bar or square: inside it
                if x1 < cx < x2 and y1 < cy < y2 and item.get("fill") == theme.ON_MARK:
                    assert x1 + 1 <= left and right <= x2 - 1, (*where, (left, right), (x1, x2))


def test_no_line_starts_with_a_closing_bracket_or_mark(rendered, font):
    """In every chart's drawing, and in the downloads' own lines (the source line, wrapped)."""
    for chart_id, lang, view in views(rendered):
        for kind, item, _, _ in drawn(scene(view.vega, font)["scenegraph"], kind="group"):
            for line in lines(item) if kind == "text" else ():
                assert not line.lstrip().startswith(tuple(CLOSING)), (chart_id, lang, view.layout, line)
    for (chart_id, lang), chart in rendered.items():  # the downloads' and share cards' own lines
        own = [download_svg(chart, SOURCE, "ono.example"), share_card_svg(chart.title, "", "Site", "", None, lang)]
        for svg in own:
            for line in re.findall(r"<text\b[^>]*>([^<]+)</text>", svg.split("</svg>")[-2]):
                assert not line.lstrip().startswith(tuple(CLOSING)), (chart_id, lang, line)
    for width in range(200, 700, 7):
        for line in wrap("来源：何伊然，《AI股和黄金同涨不止是“杠铃交易”》（经虎嗅转载）。" + SOURCE, 13, width):
            assert line[0] not in CLOSING, (width, line)


def test_english_charts_are_set_in_the_latin_face_and_chinese_ones_in_noto_cjk(rendered, font):
    """Every English text starts its stack with the Latin face and is wholly in it (vl-convert
    falls back to another face only for a glyph the first lacks), so “ONO” has Latin quotes;
    Chinese text starts with Noto Sans CJK, whose quotes are full-width."""
    assert theme.cjk_first(theme.font("zh")) and not theme.cjk_first(theme.font("en"))
    quotes = 0
    for chart_id, lang, view in views(rendered):
        for kind, item, _, _ in drawn(scene(view.vega, font)["scenegraph"], kind="group"):
            if kind != "text" or not lines(item):
                continue
            family = first_family(item.get("font", theme.FONT))
            if lang == "en":
                assert family == LATIN_FAMILY, (chart_id, view.layout, family)
                assert covered("".join(lines(item))), (chart_id, view.layout, lines(item))
                quotes += sum("“" in line for line in lines(item))
            else:
                assert family == first_family(theme.font(lang)) and "CJK" in family, (chart_id, lang, family)
    assert quotes, "the English charts quote something (“ONO”): checked in the Latin face"


def _pixels(data: bytes) -> tuple[tuple[int, int], bytes]:
    """A PNG decoded by Pillow into RGBA pixels (whatever its colour type after optimising)."""
    image = Image.open(io.BytesIO(data))
    return image.size, image.convert("RGBA").tobytes()


@pytest.mark.parametrize("lang", LANGS)
def test_pngs_are_optimised_losslessly_and_small_enough_to_email(rendered, font, lang):
    """Each chart's PNG download and a share card with and without a chart: the optimised PNG has
    the very pixels of vl-convert's own, and at most 100 KB."""
    svgs = [download_svg(chart, SOURCE, "The site · https://ono.example") for (c, code), chart in rendered.items()]
    svgs = [s for s, ((c, code), _) in zip(svgs, rendered.items(), strict=True) if code == lang]
    chart = rendered["ono_loop", lang]
    cards = [
        share_card_svg(chart.title, chart.description, "The site", "ono.example", chart, lang),
        share_card_svg(chart.title, chart.description, "The site", "ono.example", None, lang),
    ]
    for svg, scale in [*((s, 2.0) for s in svgs), *((c, 1.0) for c in cards)]:
        plain = rasterise(svg, scale, font, optimise=False)
        small = rasterise(svg, scale, font)
        assert len(small) <= MAX_PNG, (lang, len(small), len(plain))
        assert len(small) < len(plain)
        assert _pixels(small) == _pixels(plain), "the same pixels, decoded by Pillow"


def test_an_optimised_png_is_made_once_and_a_new_optimiser_makes_it_again(tmp_path, monkeypatch):
    """The PNG cache (.cache/png/) keeps the optimised image, keyed by the SVG, the scale, and
    the versions and level of what draws and optimises it."""
    drawn: list[str] = []

    class Counted:
        def __init__(self, svg: str, scale: float) -> None:
            drawn.append(svg)

        def get(self, timeout: float | None = None) -> bytes:
            return b"\x89PNG optimised"

    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    for build in ("cold", "again"):  # a cold build, then a rebuild: drawn and optimised once
        images = ImageCache(png_store(Stores(tmp_path)), Counted)
        images.place(tmp_path / build / "a.png", svg)
        images.place(tmp_path / build / "b.png", svg)
        (tmp_path / build).mkdir()
        images.finish()
        assert (tmp_path / build / "b.png").read_bytes() == b"\x89PNG optimised"
    assert len(drawn) == 1
    assert all(tool in png_recipe() for tool in ("vl-convert-python 2", "pyoxipng 9", "font-source-sans-pro 0"))
    monkeypatch.setattr("explainer.draw.exports.PNG_LEVEL", 3)
    ImageCache(png_store(Stores(tmp_path)), Counted).prefetch(svg)
    assert len(drawn) == 2, "another optimiser setting: made again, not reused as it is"


@pytest.mark.parametrize("lang", LANGS)
def test_svg_downloads_carry_their_title_and_description_in_their_language(rendered, lang):
    for chart_id in CHARTS.ids():
        chart = rendered[chart_id, lang]
        svg = download_svg(chart, SOURCE, "ono.example")
        root = ET.fromstring(svg)
        ns = "{http://www.w3.org/2000/svg}"
        assert root[0].tag == f"{ns}title" and root[1].tag == f"{ns}desc", "first, where readers look"
        assert root[0].text == chart.title and root[1].text == chart.description
        assert bool(re.search(r"[\u4e00-\u9fff]", chart.title)) == (lang == "zh")
    odd = dataclasses.replace(rendered["ono_loop", lang], title="A < B & “C”", description="x > y & <z>")
    root = ET.fromstring(download_svg(odd, SOURCE, ""))
    assert (root[0].text, root[1].text) == ("A < B & “C”", "x > y & <z>"), "escaped for XML"


def test_a_chinese_word_in_an_english_line_is_a_chunk_of_its_own_in_the_cjk_face(rendered):
    """vl-convert sets a whole chunk in one face: a Chinese title inside the English source line
    gets its own chunk in the CJK face, the Latin words theirs in the Latin face."""
    svg = download_svg(rendered["ono_loop", "en"], SOURCE, "")
    line = re.search(r"<text[^>]*><tspan x=.*?</text>", svg)
    assert line, "the source line is split into chunks"
    spans = re.findall(r'<tspan x="([\d.]+)"( font-family="[^"]*")?>([^<]*)</tspan>', line.group(0))
    assert [bool(face) for _, face, _ in spans] == [False, True, False]
    assert "Noto Sans CJK SC" in spans[1][1] and spans[1][2].startswith("《AI股")
    assert float(spans[0][0]) < float(spans[1][0]) < float(spans[2][0])
    zh = download_svg(rendered["ono_loop", "zh"], SOURCE, "")
    assert "<tspan x=" not in zh.split("</svg>")[-2], "a CJK-first language needs no chunks"
