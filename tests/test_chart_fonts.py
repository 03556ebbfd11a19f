"""Charts are drawn with a small copy of the CJK font (explainer/draw/chart_fonts.py): a reader and a
writer who downloads a PNG get the same bytes as with the full font, the copy really is what
draws, and a character it lacks is drawn with the full font."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import vl_convert as vlc

from explainer.chartkit import theme
from explainer.draw.chart_fonts import (
    BASE_CHARACTERS,
    ProjectFont,
    TextFont,
    _forget_old,
    svg_for_drawing,
    text_font,
    vega_for_drawing,
)
from explainer.draw.exports import rasterise
from explainer.draw.render import render_chart
from explainer.load.chart_folder import ChartFolder
from explainer.load.facts import load_facts
from tests.conftest import ROOT, SMALL, small_source

CHARTS = ChartFolder(SMALL / "charts")  # the small invented project's chart


@pytest.fixture(scope="module")
def font(tmp_path_factory: pytest.TempPathFactory) -> TextFont:
    """The copy the builds use (kept per user, as the Vega runtime is)."""
    made = ProjectFont(SMALL / "content", SMALL / "charts", tmp_path_factory.mktemp("cache")).get()
    assert made is not None, "Noto Sans CJK SC is missing: `make site` installs Debian's fonts-noto-cjk"
    return made


def text_svg(family: str, text: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="40">'
        f'<text x="4" y="28" font-size="20" font-family="{family}">{text}</text></svg>'
    )


def test_the_copy_draws_the_same_glyphs_as_the_font_it_comes_from(font: TextFont):
    sample = "亿美元 LakeFerry 2030"
    full = text_svg("&quot;Noto Sans CJK SC&quot;", sample)
    drawn, family = svg_for_drawing(full, font)  # vl-convert is told of the copy
    assert family == font.family
    assert drawn == text_svg(f"{font.family}, &quot;Noto Sans CJK SC&quot;", sample)
    copy_alone = rasterise(text_svg(font.family, sample), 1.0)  # no other font named: the copy draws it all
    assert copy_alone == rasterise(full, 1.0)
    assert copy_alone != rasterise(text_svg("DejaVu Serif", sample), 1.0), "another font draws other pixels"


@pytest.mark.slow  # renders charts twice (the other tests here take a second in all)
@pytest.mark.parametrize(("chart_id", "lang"), [("ferry_losses", "zh"), ("ferry_losses", "en")])
def test_charts_drawn_with_the_copy_are_the_same_bytes(font: TextFont, chart_id: str, lang: str):
    """Chinese labels, then Latin ones (and the gap's note): the same SVG and PNG download."""
    facts = load_facts(SMALL / "content" / "facts.yaml", ["zh", "en"], small_source())
    plain = render_chart(CHARTS, chart_id, facts, lang)
    fast = render_chart(CHARTS, chart_id, facts, lang, font=font)
    for view in fast.views:
        assert vega_for_drawing(view.vega, font)[1] == font.family, "the copy covers the chart: it draws"
        assert font.family not in view.svg, "and its name is not left in the drawing"
    assert [view.svg for view in fast.views] == [view.svg for view in plain.views]
    assert svg_for_drawing(plain.svg, font)[1] == font.family
    assert rasterise(plain.svg, 2.0, font) == rasterise(plain.svg, 2.0), "the same PNG download"


def test_a_character_the_copy_lacks_is_drawn_with_the_full_font(font: TextFont):
    rare = "龘"  # in Noto Sans CJK, in no content of ours
    assert rare not in font.characters
    spec = {
        "data": {"values": [{"label": f"{rare} 亿美元"}]},
        "mark": "text",
        "encoding": {"text": {"field": "label"}},
        "config": {"font": theme.FONT},
    }
    vega = vlc.vegalite_to_vega(spec)
    assert vega_for_drawing(vega, font) == (vega, None), "not covered: drawn as it is"
    svg = vlc.vega_to_svg(vega)
    assert svg_for_drawing(svg, font) == (svg, None)
    assert font.family not in svg


def test_the_copy_is_made_once_per_set_of_characters(tmp_path):
    characters = frozenset("图表 Chart 0123")
    first = text_font(characters, tmp_path)
    assert first is not None
    files = sorted((e for e in os.scandir(first.folder) if e.name.endswith(".otf")), key=lambda entry: entry.name)
    assert len(files) == 2, "Regular and Bold (the charts' titles are bold)"
    stamps = [entry.stat().st_mtime_ns for entry in files]
    again = text_font(characters, tmp_path)
    assert again == first
    assert [os.stat(entry.path).st_mtime_ns for entry in files] == stamps, "not made again"
    other = text_font(characters | {"亿"}, tmp_path)
    assert other is not None
    assert other.family != first.family, "a worker that knows the older copy never draws with it by name"


def test_only_the_most_recently_used_copies_are_kept(tmp_path):
    fonts = tmp_path / "fonts"
    for age in range(12):
        copy = fonts / f"copy{age:02}"
        copy.mkdir(parents=True)
        os.utime(copy, (1_000_000 - age, 1_000_000 - age))
    _forget_old(fonts)
    assert sorted(p.name for p in fonts.iterdir()) == [f"copy{age:02}" for age in range(8)]


def test_without_the_font_charts_are_drawn_as_before(tmp_path, monkeypatch):
    monkeypatch.setattr("explainer.draw.chart_fonts.FONT_DIRS", (tmp_path / "no-fonts",))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert ProjectFont(SMALL / "content", SMALL / "charts", tmp_path).get() is None
    assert not (tmp_path / "cache" / "explainer" / "fonts").exists()


def test_a_copy_deleted_while_the_workers_run_is_not_drawn_with(tmp_path):
    """An editor cleans ~/.cache while `make serve` keeps its workers: the full font draws."""
    copy = text_font(BASE_CHARACTERS | frozenset("亿美元"), tmp_path)
    assert copy is not None
    vega = vlc.vegalite_to_vega(
        {"data": {"values": [{"t": "LakeFerry 亿美元"}]}, "mark": "text", "encoding": {"text": {"field": "t"}}}
        | {"config": {"font": theme.FONT}}
    )
    assert vega_for_drawing(vega, copy)[1] == copy.family
    for file in os.scandir(copy.folder):
        os.unlink(file.path)
    assert vega_for_drawing(vega, copy) == (vega, None)


def test_a_copy_that_cannot_be_made_costs_speed_not_the_build(tmp_path, monkeypatch, caplog):
    def full_disk(characters, cache):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("explainer.draw.chart_fonts.text_font", full_disk)
    assert ProjectFont(SMALL / "content", SMALL / "charts", tmp_path).get() is None
    assert "drawn with the full CJK font" in caplog.text
    assert "No space left on device" in caplog.text


def test_every_download_of_the_site_is_drawn_with_the_copy(built_site: Path, tmp_path: Path):
    """A download's source line names the article, its author and publisher (from mkdocs.yml):
    one character the copy lacks and the PNG is drawn with the full font, 1.4 times as long."""
    made = ProjectFont(ROOT / "content", ROOT / "charts", tmp_path, ROOT / "mkdocs.yml").get()
    assert made is not None
    downloads = sorted(built_site.glob("charts/*/*.svg"))
    assert len(downloads) >= 10
    for download in downloads:
        assert svg_for_drawing(download.read_text(encoding="utf-8"), made)[1] == made.family, download
