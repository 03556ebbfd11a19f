"""explainer/chartkit/_altair.py patches Altair's private code, pinned to one Altair: these fail
loudly when the installed Altair is another, or its private code changed, and prove that every
chart of the site comes out byte for byte the same with the patch and without it."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import logging
import subprocess
import sys
import types

import altair as alt
import pytest

from explainer.chartkit import _altair, kit
from explainer.draw.chart_fonts import ProjectFont, TextFont
from explainer.draw.render import RenderedChart, render_chart
from explainer.load.facts import FactBook, load_facts
from tests.conftest import CHARTS, LANGS, ROOT, real_quotes

REPLACED = {_altair.SCHEMAPI: ("_FromDict",), _altair.API: ("_combine_subchart_params", "_remove_duplicate_params")}


@pytest.fixture(scope="module")
def facts() -> FactBook:
    return load_facts(ROOT / "content" / "facts.yaml", list(LANGS), real_quotes())


@pytest.fixture(scope="module")
def font(tmp_path_factory: pytest.TempPathFactory) -> TextFont | None:
    return ProjectFont(ROOT / "content", ROOT / "charts", tmp_path_factory.mktemp("cache")).get()


def _unpatched_digests() -> dict[str, str | None]:
    """The recorded functions' digests in a fresh process, where nothing is patched yet."""
    code = (
        "import json; from explainer.chartkit import _altair as a; "
        "print(json.dumps({name: a.source_digest(name) for name in a.SOURCES}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)


def test_the_patch_was_written_for_the_installed_altair():
    """A new Altair (or a changed one) turns the patch off in the build, silently but for a
    warning: this says so here, with what to do."""
    assert alt.__version__ == _altair.WRITTEN_FOR, (
        f"Altair {alt.__version__} is installed; explainer/chartkit/_altair.py was written for "
        f"{_altair.WRITTEN_FOR} and is now off (the build is correct, about a second of CPU slower). Read "
        "the replaced functions in the new Altair; if the patch still holds, update WRITTEN_FOR and SOURCES"
    )
    found = _unpatched_digests()
    changed = {name: digest for name, digest in found.items() if digest != _altair.SOURCES[name]}
    assert not changed, (
        f"Altair {alt.__version__}'s private code differs from what explainer/chartkit/_altair.py was "
        f"written against; read these functions again, then record their new digests: {changed}"
    )


def _depended_on(module: types.ModuleType, names: tuple[str, ...]) -> set[str]:
    """`function` or `Class.method` for each replaced function, each method of a replaced class,
    and every function or method of the module that names one of them."""
    found: set[str] = set()

    def names_one(node: ast.AST) -> bool:
        return any(isinstance(each, ast.Name) and each.id in names for each in ast.walk(node))

    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.FunctionDef) and (node.name in names or names_one(node)):
            found.add(node.name)
        elif isinstance(node, ast.ClassDef):
            methods = [each for each in node.body if isinstance(each, ast.FunctionDef)]
            found |= {f"{node.name}.{f.name}" for f in methods if node.name in names or names_one(f)}
    return found


def test_every_function_the_patch_depends_on_is_recorded():
    """The digests cover the replaced functions and every caller of them: a caller that starts to
    rely on getting copies back would otherwise change unseen."""
    for module_name, names in REPLACED.items():
        needed = {f"{module_name}:{name}" for name in _depended_on(importlib.import_module(module_name), names)}
        assert needed <= set(_altair.SOURCES), sorted(needed - set(_altair.SOURCES))


def test_another_altair_is_left_alone_with_one_warning(caplog, monkeypatch):
    """An Altair the patch was not written for, or whose private code changed, keeps its own code
    (correct, slower) and the build says why, once."""
    schemapi, api = types.ModuleType("schemapi"), types.ModuleType("api")
    schemapi._FromDict = api._combine_subchart_params = api._remove_duplicate_params = object()
    before = (dict(vars(schemapi)), dict(vars(api)))
    with caplog.at_level(logging.WARNING, logger="explainer"):
        assert not _altair.install(schemapi, api, "6.4.0")
    assert (dict(vars(schemapi)), dict(vars(api))) == before
    assert [record.getMessage() for record in caplog.records] == [
        "charts are drawn with Altair's own, slower code: the speed-up in explainer/chartkit/_altair.py "
        f"was written for Altair {_altair.WRITTEN_FOR}, not 6.4.0"
    ]
    name = f"{_altair.API}:LayerChart.__init__"
    monkeypatch.setitem(_altair.SOURCES, name, "0" * 16)
    assert name in (_altair.patch_refused(_altair.WRITTEN_FOR) or "")


def _unpatch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put Altair's own functions back for this test (the patch keeps each one it replaced)."""
    from altair.utils import schemapi
    from altair.vegalite.v6 import api

    assert getattr(schemapi._FromDict, "indexed_once", False)  # the patch is in place
    monkeypatch.setattr(schemapi, "_FromDict", schemapi._FromDict.__mro__[1])
    for name in REPLACED[_altair.API]:
        monkeypatch.setattr(api, name, getattr(api, name).__wrapped__)


def _bytes(chart: RenderedChart) -> list[tuple[str, str, str]]:
    """What a chart writes to the site, per layout: its SVG, its Vega-Lite and its Vega, as text."""
    return [(view.svg, view.vega_lite_json, json.dumps(view.vega, ensure_ascii=False)) for view in chart.views]


def test_every_chart_is_the_same_byte_for_byte_without_the_patch(facts, font, monkeypatch):
    """The patch only saves time: each of the site's charts, in every language and layout, is the
    same SVG, Vega-Lite and Vega text when Altair runs its own code."""
    assert _altair.alt.Chart is not None  # Altair loaded through the kit: the patch installed

    def every_chart() -> dict[tuple[str, str], list[tuple[str, str, str]]]:
        return {
            (chart_id, lang): _bytes(render_chart(CHARTS, chart_id, facts, lang, font=font))
            for chart_id in CHARTS.ids()
            for lang in LANGS
        }

    patched = every_chart()
    _unpatch(monkeypatch)
    assert patched == every_chart()
    assert len(patched) == len(CHARTS.ids()) * len(LANGS) and all(len(v) == len(kit.LAYOUTS) for v in patched.values())


def test_a_chart_with_a_parameter_still_goes_through_altairs_code(monkeypatch):
    """A composition whose parts have selection parameters is Altair's to compose: its parameter
    is lifted to the top as Altair's own code lifts it."""
    assert _altair.alt.Chart is not None

    def made() -> dict:
        point = alt.Chart(alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q")
        picked = alt.selection_point(name="picked")
        return alt.vconcat(alt.layer(point.add_params(picked), point), point).to_dict(validate=False)

    patched = made()
    _unpatch(monkeypatch)
    assert json.dumps(patched) == json.dumps(made())
    assert patched["params"][0]["name"] == "picked"


def test_the_kept_schema_index_reads_values_as_altair_would():
    """The patch keeps Altair's schema index between from_dict calls: what from_dict builds from a
    dict must not change."""
    from altair.utils import schemapi

    assert _altair.alt.Chart is not None
    original = schemapi._FromDict.__mro__[1]
    channels = [
        (alt.X, {"field": "value", "type": "quantitative", "axis": {"format": ",d"}}),
        (alt.ColorValue, {"condition": {"test": "datum.projected", "value": "transparent"}, "value": "#0e7c66"}),
        (alt.Tooltip, {"field": "label", "type": "nominal", "title": "值"}),
    ]
    for channel, value in channels:
        kept = channel.from_dict(value)
        fresh = original(channel._default_wrapper_classes()).from_dict(value, channel)
        assert type(kept) is type(fresh) and kept.to_dict() == fresh.to_dict() == value
