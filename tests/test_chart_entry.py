"""A chart read back from the chart cache is the chart that was kept, its specs read only when used."""

from __future__ import annotations

import dataclasses
import json
import marshal

from explainer.core.store import Stores
from explainer.draw.chart_css import view_box_css, view_box_store
from explainer.draw.render import ChartView, RenderedChart, StoredView

SPEC = {"title": {"text": ["LakeFerry’s losses", "预计 “亏损”"]}, "data": {"values": [{"x": 1.5, "y": None}]}}


def chart() -> RenderedChart:
    views = (
        ChartView("narrow", '<svg width="300" height="200"></svg>', SPEC, {"$schema": "vega", "width": 300}),
        ChartView("wide", '<svg width="600" height="300"></svg>', {**SPEC, "width": 600}, {"marks": [{"a": "\\"}]}),
    )
    return RenderedChart("losses", "zh", "亏损", "描述", views, ("ferry_loss_2025",), [{"name": "a"}], True)


def test_a_kept_chart_reads_back_equal_with_the_same_hedge_text():
    fresh = chart()
    kept = RenderedChart.from_stored(marshal.loads(marshal.dumps(fresh.stored())))
    assert all(isinstance(view, StoredView) for view in kept.views)
    assert kept.vega_lite_json == fresh.vega_lite_json == json.dumps(fresh.vega_lite, ensure_ascii=False)
    assert kept.views == fresh.views and fresh.views == kept.views
    assert kept == fresh
    assert (kept.width, kept.height, kept.svg) == (600, 300, fresh.svg)


def test_a_kept_chart_parses_its_specs_only_when_read():
    kept = RenderedChart.from_stored(marshal.loads(marshal.dumps(chart().stored())))
    view = kept.views[0]
    assert "vega" not in vars(view) and "vega_lite" not in vars(view)
    assert kept.views[0].vega_lite_json.startswith('{"title"')  # the hedge check's text needs no parsing
    assert view.width == 300  # nor the stylesheet's sizes
    assert "vega" not in vars(view) and "vega_lite" not in vars(view)
    assert view.vega == {"$schema": "vega", "width": 300} and "vega" in vars(view)
    assert view.vega is view.vega, "parsed once"


def test_the_kept_view_box_rules_are_made_again_when_an_svg_changes(tmp_path):
    kept = view_box_store(Stores(tmp_path))
    first = chart()
    assert view_box_css([first], kept) == view_box_css([first]) and kept.path("view-box").is_file()
    assert view_box_css([first], kept) == view_box_css([first]), "read back"
    taller = dataclasses.replace(
        first, views=(first.views[0], dataclasses.replace(first.views[1], svg='<svg width="600" height="450"></svg>'))
    )
    assert view_box_css([taller], kept) == view_box_css([taller]) != view_box_css([first])
    assert "aspect-ratio:600/450" in view_box_css([taller], kept)
