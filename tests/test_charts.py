"""Every chart renders in every language, says its point, and plots only facts."""

from __future__ import annotations

import json
import re
import types

import altair as alt
import pytest
import vl_convert as vlc

import charts
from explainer.errors import BuildError
from explainer.facts import load_facts
from explainer.render import render_chart, scope_svg_ids
from tests.conftest import LANGS, ROOT, article_text

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def facts():
    return load_facts(ROOT / "content" / "facts.yaml", list(LANGS), article_text())


def test_the_charts_the_issue_asks_for_exist():
    assert {"ono_loop", "openai_losses", "nvidia_tranches", "chatgpt_paying", "dollar_scale"} <= set(charts.chart_ids())


@pytest.mark.parametrize("chart_id", charts.chart_ids())
@pytest.mark.parametrize("lang", LANGS)
def test_chart_renders_with_text_in_its_language(chart_id, lang, facts):
    chart = render_chart(chart_id, facts, lang)
    assert chart.svg.startswith("<svg")
    assert chart.title and chart.title in chart.svg
    assert chart.description.strip()
    assert bool(CJK.search(chart.title)) == (lang == "zh")
    # the Vega-Lite spec round-trips through JSON and compiles again to the same kind of output
    spec = json.loads(json.dumps(chart.vega_lite))
    assert vlc.vegalite_to_svg(spec).startswith("<svg")
    assert chart.vega["$schema"].startswith("https://vega.github.io/schema/vega/")


@pytest.mark.parametrize("chart_id", charts.chart_ids())
def test_every_figure_a_chart_plots_is_a_fact(chart_id, facts):
    for lang in LANGS:
        chart = render_chart(chart_id, facts, lang)
        assert chart.rows, f"{chart_id} plots no fact rows"
        for row in chart.rows:
            assert row["value"] == facts[row["fact"]].value, (chart_id, row)
        assert {row["fact"] for row in chart.rows} <= set(chart.facts_used)


def test_the_loop_shows_the_undisclosed_gpu_spending_as_not_disclosed(facts):
    zh = render_chart("ono_loop", facts, "zh")
    en = render_chart("ono_loop", facts, "en")
    assert "未披露" in zh.svg and "3000亿美元" in zh.svg and "至多1000亿美元" in zh.svg
    assert "not disclosed" in en.svg and "$300 billion" in en.svg and "up to $100 billion" in en.svg


def test_the_loss_chart_marks_2027_and_2028_as_not_disclosed(facts):
    chart = render_chart("openai_losses", facts, "en")
    years = {row["fact"]: row["value"] for row in chart.rows}
    assert years["openai_loss_2027"] is None and years["openai_loss_2028"] is None
    # the subtitle says it once, and each blank year is labelled (on two lines: "not" / "disclosed")
    assert "gives no figure" in chart.svg and chart.svg.count("disclosed") >= 2
    assert "$5B" in chart.svg and "$14B" in chart.svg and "2029" in chart.svg


def test_svg_ids_are_scoped_so_two_charts_can_share_a_page():
    svg = '<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/></svg>'
    assert scope_svg_ids(svg, "a-zh") == '<svg><clipPath id="a-zh-clip1"/><g clip-path="url(#a-zh-clip1)"/></svg>'


def test_a_spec_vega_rejects_names_the_chart_file_not_a_traceback(facts, monkeypatch):
    def broken(facts, lang, layout):
        layer = alt.Chart(alt.Data(values=[{"x": 1}]), name="twin").mark_point().encode(x="x:Q", color="x:N")
        return alt.layer(layer, layer).properties(description="Two layers with one name.")

    module = types.SimpleNamespace(__file__=str(ROOT / "charts" / "broken.py"), chart=broken)
    monkeypatch.setattr(charts, "load_chart", lambda chart_id: module)
    with pytest.raises(BuildError) as error:
        render_chart("broken", facts, "en")
    message = str(error.value.problems[0])
    assert message.startswith("charts/broken.py: Vega could not draw the chart in 'en' (Error: Duplicate")
    assert message.endswith("; fix the chart's spec")


def test_a_chart_with_a_syntax_error_is_located_not_a_traceback(facts, monkeypatch):
    def load_broken(chart_id):
        compile("rows = [\n", str(ROOT / "charts" / "broken.py"), "exec")

    monkeypatch.setattr(charts, "load_chart", load_broken)
    with pytest.raises(BuildError) as error:
        render_chart("broken", facts, "zh")
    problem = error.value.problems[0]
    assert (str(problem.path), problem.line) == ("charts/broken.py", 1)
    assert problem.message.startswith("the chart module cannot be imported (SyntaxError: '[' was never closed")


def test_a_bug_in_a_chart_names_its_file_line_and_the_exception(facts, monkeypatch):
    source = "def chart(facts, lang, layout):\n    rows = {}\n    return rows['yaer']\n"
    namespace: dict = {}
    exec(compile(source, str(ROOT / "charts" / "buggy.py"), "exec"), namespace)
    module = types.SimpleNamespace(__file__=str(ROOT / "charts" / "buggy.py"), chart=namespace["chart"])
    monkeypatch.setattr(charts, "load_chart", lambda chart_id: module)
    with pytest.raises(BuildError) as error:
        render_chart("buggy", facts, "en")
    problem = error.value.problems[0]
    assert (str(problem.path), problem.line) == ("charts/buggy.py", 3)
    assert problem.message == "the chart failed in 'en' (KeyError: 'yaer'); facts it read: none"
