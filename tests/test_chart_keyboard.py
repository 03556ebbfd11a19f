"""Every mark of every chart, in every language, reached with the keyboard and announced with its
value (or why it has none), in real Chromium at a phone's and a desktop's width.

What a chart should announce is worked out here from its own data, not from the page: each layer
that has a tooltip says, for each of its rows, its tooltip's titles and values, as the chart's
Vega-Lite spec gives them. A mark the keyboard cannot reach, one it reaches twice, or one announced
without its figure fails the test. Charts, pages and languages come from the site's settings and
the built site, not from a list here."""

from __future__ import annotations

import re
from typing import Any

import pytest

from explainer.chartkit import kit
from explainer.language.words import use_words
from explainer.load.facts import load_facts
from tests.conftest import CHARTS, LANGS, ROOT, real_quotes
from tests.test_chart_views import pages_with_charts

pytest.importorskip("playwright.sync_api")

WIDTHS = {360: "narrow", 1280: "wide"}  # a phone's and a desktop's width, and the layout each shows
PREFIX = re.compile(r"^(\d+)/(\d+): ")


@pytest.fixture(scope="module")
def facts():
    book = load_facts(ROOT / "content" / "facts.yaml", list(LANGS), real_quotes())
    use_words(book.words)  # the kit says its words (not in the article, derived) in the project's
    return book


def units(spec: dict[str, Any], datasets: dict[str, Any], rows: list | None = None, panel: int = 0):
    """Every unit view of a spec with the rows it draws (its own data, or its parent's) and the
    panel it is in (the top-level stack's child, in reading order)."""
    data = spec.get("data")
    if isinstance(data, dict):
        rows = datasets.get(data["name"], []) if "name" in data else data.get("values", [])
    for child in spec.get("layer", []):
        yield from units(child, datasets, rows, panel)
    for key in ("vconcat", "hconcat", "concat"):
        for number, child in enumerate(spec.get(key, [])):
            yield from units(child, datasets, rows, number)
    if "mark" in spec:
        yield spec, rows or [], panel


def said(value: Any) -> str:
    """A value as the browser turns it into text (Vega-Lite writes ""+datum.x for a missing one)."""
    return "undefined" if value is None else str(value)


def expected_marks(spec: dict[str, Any]) -> dict[str, dict]:
    """What each mark with a tooltip announces (as charts.js joins its lines), and the row behind it."""
    found: dict[str, dict] = {}
    for unit, rows, panel in units(spec, spec.get("datasets", {})):
        tooltip = unit.get("encoding", {}).get("tooltip")
        if not tooltip:
            continue
        fields = tooltip if isinstance(tooltip, list) else [tooltip]
        for row in rows:
            pairs = [(f.get("title", f["field"]).strip(), said(row.get(f["field"]))) for f in fields]
            text = "; ".join(f"{title} {value}".strip() if len(fields) > 1 else value for title, value in pairs)
            found.setdefault(text, {"row": row, "amount": pairs[-1][1], "field": fields[-1]["field"], "panel": panel})
    return found


def step_through(tab, figure) -> list[str]:
    """Tab into the chart as a keyboard user would, then arrow from its first mark to its last and
    on round to the first again; End and Home go to the last and the first. Returns what the live
    region announced at each mark, in order."""
    view = figure.locator(".chart-view:visible")
    view.scroll_into_view_if_needed()
    tab.evaluate(
        """v => { const probe = document.createElement('a'); probe.href = '#'; probe.id = 'tab-probe';
                   v.closest('.chart').before(probe); probe.focus(); }""",
        view.element_handle(),
    )
    tab.keyboard.press("Tab")
    tab.evaluate("() => document.getElementById('tab-probe').remove()")
    assert view.evaluate("v => document.activeElement === v"), f"{figure.get_attribute('id')}: Tab does not reach it"
    live = figure.locator("[aria-live]").element_handle()

    def press(key: str, prefix: str) -> str:
        tab.keyboard.press(key)
        tab.wait_for_function("([l, p]) => l.textContent.startsWith(p)", arg=[live, prefix], timeout=15000)
        return live.text_content()

    announced = [press("ArrowRight", "1/")]
    total = int(PREFIX.match(announced[0]).group(2))
    announced += [press("ArrowRight", f"{i}/{total}:") for i in range(2, total + 1)]
    assert press("ArrowRight", "1/") == announced[0], "the arrow key does not wrap from the last mark to the first"
    assert press("End", f"{total}/") == announced[-1] and press("Home", "1/") == announced[0]
    assert press("ArrowLeft", f"{total}/") == announced[-1], "the left arrow does not wrap from the first to the last"
    tab.keyboard.press("Escape")
    return announced


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_mark_is_reached_with_the_keyboard_and_announced_with_its_value(
    browser, server, built_site, facts, lang, width
):
    gap = kit.say(lang, "gap")
    layout = kit.layout_named(WIDTHS[width])
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    seen: set[str] = set()
    try:
        for path in pages_with_charts(built_site, lang, embeds=False):
            tab.goto(server + path, wait_until="load")
            figures = tab.locator(".chart")
            for i in range(figures.count()):
                figure = figures.nth(i)
                chart_id = figure.get_attribute("id").removeprefix("chart-")
                if chart_id in seen:
                    continue
                seen.add(chart_id)
                assert figure.locator(".chart-view:visible").get_attribute("data-layout") == layout.name
                spec = CHARTS.load(chart_id).chart(facts, lang, layout).to_dict()
                expected = expected_marks(spec)
                announced = [PREFIX.sub("", text) for text in step_through(tab, figure)]
                name = f"{path} {chart_id} ({lang}, {width}px)"
                if len(announced) != len(set(announced)):
                    problems.append(f"{name}: a mark announced twice: {announced}")
                for text in set(expected) - set(announced):
                    problems.append(f"{name}: the keyboard never reaches {text!r}")
                for text in set(announced) - set(expected):
                    problems.append(f"{name}: announced {text!r}, which no mark's data says")
                panels = [expected[text]["panel"] for text in announced if text in expected]
                if panels != sorted(panels):  # one panel's marks, then the next's: not back and forth
                    problems.append(f"{name}: the keys go back and forth between panels: {announced}")
                for text, mark in expected.items():
                    amount, row = mark["amount"], mark["row"]
                    if not (re.search(r"\d", amount) or gap in amount):
                        problems.append(f"{name}: {text!r} carries no figure and does not say why")
                    fact = facts[row["fact"]] if "fact" in row and mark["field"] == "amount" else None
                    if fact is not None and amount != (gap if fact.value is None else fact.hedged(lang)):
                        problems.append(f"{name}: {text!r} does not say the fact as {lang} does, with its hedge")
    finally:
        context.close()
    assert seen == set(CHARTS.ids()), f"charts not on any {lang} page: {set(CHARTS.ids()) - seen}"
    assert not problems, "\n".join(problems)
