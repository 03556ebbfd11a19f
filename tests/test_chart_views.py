"""Every chart, in every language, at phone, tablet and desktop widths, in real Chromium: text
between 12 px and the page's h2, no jump when the interactive view loads (pages and embeds), a
source line, keyboard access from mark to mark, and a tooltip on tap.

Charts and languages are discovered from the built site and mkdocs.yml, not listed here."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

from charts import _theme as theme
from explainer.draw.chart_css import (
    DARK_BACKGROUND,
    FOLLOWS_SYSTEM,
    FORCED_DARK,
    MARK_CONTRAST,
    TEXT_CONTRAST,
    contrast,
    theme_colours,
)
from explainer.load.settings import load_settings
from tests.conftest import CHARTS, ROOT, serving

pytest.importorskip("playwright.sync_api")

SETTINGS = load_settings(ROOT / "mkdocs.yml")
CODES = SETTINGS.codes
WIDTHS = (320, 360, 768, 1280)  # the narrowest phone, a phone, a tablet, a desktop
DESKTOP = {"width": 1280, "height": 900}
TOLERANCE = 1.0  # px a box may move when the interactive view takes over
MIN_TEXT = 12.0
# The script a language's chart text is written in, to tell that a tooltip speaks the page's language.
SCRIPTS = {"zh": re.compile(r"[\u4e00-\u9fff]"), "en": re.compile(r"^[^\u4e00-\u9fff]*$")}

# From the shown layout's SVG: its smallest and largest text in CSS px (font size x scale).
MEASURE = """figure => {
  const view = [...figure.querySelectorAll('.chart-view')].find(v => v.getClientRects().length);
  const svg = view.querySelector('svg');
  const rect = svg.getBoundingClientRect();
  const box = svg.viewBox.baseVal;
  const scale = Math.min(rect.width / box.width, rect.height / box.height);
  const sizes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  const f = figure.querySelector('figure').getBoundingClientRect();
  return {layout: view.dataset.layout, min: Math.min(...sizes), max: Math.max(...sizes),
          box: [f.x, f.y + scrollY, f.width, f.height], natural: parseFloat(getComputedStyle(view).maxWidth),
          shown: view.getBoundingClientRect().width};
}"""
H2_SIZE = """() => { const h = document.createElement('h2'); h.textContent = 'x'; document.body.appendChild(h);
  const size = parseFloat(getComputedStyle(h).fontSize); h.remove(); return size; }"""


def pages_with_charts(site: Path, code: str, embeds: bool) -> list[str]:
    """URL paths of this language's pages (or embed pages) that show a chart."""
    lang = SETTINGS.language(code)
    root = site / lang.prefix
    found = []
    for path in sorted(root.rglob("index.html")):
        relative = path.relative_to(root).parent.as_posix()
        if relative != "." and relative.split("/")[0] in {c for c in CODES if c != code}:
            continue  # another language's pages
        if (relative.split("/")[0] == "embed") != embeds:
            continue
        if 'class="chart"' in path.read_text(encoding="utf-8"):
            found.append("/" + lang.prefix + ("" if relative == "." else relative + "/"))
    return found


def make_live(tab, figure) -> None:
    figure.scroll_into_view_if_needed()
    figure.locator(".chart-view:visible").hover(force=True)
    tab.wait_for_function("f => f.classList.contains('is-live')", arg=figure.element_handle(), timeout=15000)


def check_figure(tab, figure, h2: float, width: int) -> tuple[list[str], dict]:
    """Text sizes and box before and after the interactive view loads; the source line."""
    name = f"{figure.get_attribute('id')} at {width}px"
    problems = []
    before = figure.evaluate(MEASURE)
    make_live(tab, figure)
    after = figure.evaluate(MEASURE)
    if before["min"] < MIN_TEXT - 0.01:
        problems.append(f"{name} ({before['layout']}): smallest text {before['min']:.1f}px < {MIN_TEXT}px")
    if before["max"] > h2 + 0.01:
        problems.append(f"{name}: largest text {before['max']:.1f}px > h2 {h2}px")
    if before["shown"] > before["natural"] + 0.5:
        problems.append(f"{name}: SVG drawn at {before['shown']:.0f}px, above its natural {before['natural']:.0f}px")
    moved = max(abs(a - b) for a, b in zip(before["box"], after["box"], strict=True))
    if moved > TOLERANCE:
        problems.append(f"{name}: box moved {moved:.1f}px when the interactive view loaded")
    source = figure.locator("figure .chart-source a")
    if not (source.is_visible() and source.get_attribute("href") == SETTINGS.article_url):
        problems.append(f"{name}: no visible source line linking the article")
    return problems, before


def keyboard_reaches_a_mark(tab, figure, code: str) -> list[str]:
    """Tab into the chart, arrow to a mark: its tooltip shows and is announced, in the page's language."""
    name = figure.get_attribute("id")
    view = figure.locator(".chart-view:visible")
    view.evaluate("v => { v.blur(); v.previousElementSibling?.blur(); }")
    # focus what comes just before the chart, then Tab into it, as a keyboard user would
    tab.evaluate(
        """v => { const probe = document.createElement('a'); probe.href = '#'; probe.id = 'tab-probe';
                   v.closest('.chart').before(probe); probe.focus(); }""",
        view.element_handle(),
    )
    tab.keyboard.press("Tab")
    tab.evaluate("() => document.getElementById('tab-probe').remove()")
    if not view.evaluate("v => document.activeElement === v"):
        return [f"{name}: Tab does not move into the chart"]
    tab.keyboard.press("ArrowRight")
    tooltip = figure.locator(".chart-tooltip")
    tooltip.wait_for(state="visible", timeout=15000)
    first = tooltip.text_content()
    tab.keyboard.press("ArrowRight")
    tab.wait_for_function(
        "([t, old]) => t.textContent !== old || t.hidden", arg=[tooltip.element_handle(), first], timeout=5000
    )
    announced = figure.locator("[aria-live]").text_content()
    problems = []
    if not SCRIPTS[code].search(first) or not first.strip():
        problems.append(f"{name}: tooltip {first!r} is not in the page's language ({code})")
    if tooltip.text_content() == first:
        problems.append(f"{name}: the arrow key did not move to another mark")
    if not announced or not any(part.strip() in announced for part in tooltip.text_content().split() if part):
        problems.append(f"{name}: the focused mark is not announced ({announced!r})")
    tab.keyboard.press("Escape")
    return problems


@pytest.fixture(scope="module")
def pages(built_site) -> dict[tuple[str, bool], list[str]]:
    return {(code, embeds): pages_with_charts(built_site, code, embeds) for code in CODES for embeds in (False, True)}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("code", CODES)
def test_every_chart_is_readable_steady_sourced_and_keyboard_reachable(
    reused_tab, server, built_site, pages, code, width
):
    # the worker's kept desktop tab, at this width: a new tab starts a renderer that fetches and
    # compiles the chart runtime again (conftest.reused_tab); it is back at its size for the next test
    tab = reused_tab(viewport=DESKTOP)
    tab.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []

    def on_error(error) -> None:
        errors.append(str(error))

    tab.on("pageerror", on_error)
    problems: list[str] = []
    seen: set[str] = set()
    try:
        for path in pages[(code, False)] + pages[(code, True)]:
            tab.goto(server + path, wait_until="load")
            h2 = tab.evaluate(H2_SIZE)
            figures = tab.locator(".chart")
            for i in range(figures.count()):
                figure = figures.nth(i)
                found, _ = check_figure(tab, figure, h2, width)
                problems += [f"{path} {p}" for p in found]
                problems += [f"{path} {p}" for p in keyboard_reaches_a_mark(tab, figure, code)]
                seen.add(figure.get_attribute("id"))
    finally:
        tab.remove_listener("pageerror", on_error)
        tab.keyboard.press("Escape")
        tab.goto("about:blank")
        tab.set_viewport_size(DESKTOP)
    shown = {f"chart-{c}" for c in CHARTS.ids() if (built_site / "embed" / c).exists()}
    assert shown and seen == shown, f"charts not checked: {shown - seen}"
    assert not errors, errors
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", CODES)
def test_a_tap_on_a_mark_shows_its_tooltip_and_announces_it(browser, server, pages, code):
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    tab = context.new_page()
    problems = []
    try:
        for path in pages[(code, False)]:
            tab.goto(server + path, wait_until="load")
            figures = tab.locator(".chart")
            for i in range(figures.count()):
                figure = figures.nth(i)
                name = figure.get_attribute("id")
                view = figure.locator(".chart-view:visible")
                view.scroll_into_view_if_needed()
                box = view.bounding_box()
                tab.touchscreen.tap(box["x"] + 2, box["y"] + 2)  # the first touch wakes the chart up
                tab.wait_for_function("f => f.classList.contains('is-live')", arg=figure.element_handle())
                # where the chart's first mark is: the keyboard navigator's focus ring shows it
                view.focus()
                tab.keyboard.press("ArrowRight")
                figure.locator(".chart-focus").scroll_into_view_if_needed()
                ring = figure.locator(".chart-focus").bounding_box()
                expected = figure.locator(".chart-tooltip").text_content()
                live = figure.locator("[aria-live]")
                announced = live.text_content()
                view.evaluate("v => v.blur()")
                figure.locator(".chart-tooltip").wait_for(state="hidden")
                live.evaluate("l => { l.textContent = ''; }")  # what the tap announces, not the key's
                tab.touchscreen.tap(ring["x"] + ring["width"] / 2, ring["y"] + ring["height"] / 2)
                tooltip = figure.locator(".chart-tooltip")
                try:
                    tooltip.wait_for(state="visible", timeout=5000)
                except Exception:
                    problems.append(f"{path} {name}: a tap on a mark shows no tooltip")
                    continue
                if tooltip.text_content() != expected:
                    problems.append(f"{path} {name}: tapped {tooltip.text_content()!r}, expected {expected!r}")
                if live.text_content() != announced:  # a screen reader on a phone hears what the keys say
                    problems.append(f"{path} {name}: a tap announced {live.text_content()!r}, the keys {announced!r}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_dark_mode_chart_colours_meet_wcag_and_come_from_the_theme(built_site):
    """In the built CSS, in dark mode (the reader's system, or a page forced dark by an embed's
    ?theme=dark): every mark colour of the theme at least 3:1 and the chart text colours at
    least 4.5:1 against the dark page, as the generated rules leave them; both ways alike."""
    css = next((built_site / "assets").glob("site.*.css")).read_text(encoding="utf-8")
    found = DARK_BACKGROUND.search(css)
    assert found, "no dark background in site.css"
    background = found.group(1)
    following = css[css.index(f"@media (prefers-color-scheme:dark){{{FOLLOWS_SYSTEM} .chart svg") :]
    following = following[: following.index(f"}}{FORCED_DARK} .chart svg")]
    forced = css[css.index(f"}}{FORCED_DARK} .chart svg") :]
    assert f"{FORCED_DARK}{{--bg:{background};" in css, "the forced dark page has the dark colours"

    def shown(rules: str, colour: str, text: bool) -> str:
        rule = rf'\.chart svg {"text" if text else ""}\[fill="{colour}"\]\{{fill:(#[0-9a-f]{{6}});?\}}'
        match = re.search(rule, rules) or (re.search(rule.replace("text", ""), rules) if text else None)
        return match.group(1) if match else colour

    marks = [*theme.marks().values(), theme.UNKNOWN]
    assert set(marks) <= {*theme_colours(), *theme.COMPANY.values()}  # the project's own colours: its charts'
    for rules in (following, forced):
        for colour in marks:
            assert contrast(shown(rules, colour, text=False), background) >= MARK_CONTRAST, colour
        for colour in (theme.INK, theme.MUTED):
            assert contrast(shown(rules, colour, text=True), background) >= TEXT_CONTRAST, colour
    for colour in (*marks, theme.INK, theme.MUTED):
        assert shown(following, colour, text=True) == shown(forced, colour, text=True), colour


def test_resizing_across_the_breakpoint_after_the_upgrade_keeps_a_whole_box(browser, server, pages):
    """Live at desktop width, then narrowed to a phone: the narrow layout shows in its own box at
    its own size, and becomes interactive too; widened again, the wide box is as it was."""
    code = CODES[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(server + pages[(code, False)][0], wait_until="load")
        figure = tab.locator(".chart").first
        wide = figure.evaluate(MEASURE)
        make_live(tab, figure)
        tab.set_viewport_size({"width": 360, "height": 900})
        tab.wait_for_function(
            "f => [...f.querySelectorAll('.chart-view')].some(v => v.getClientRects().length && v.querySelector('.chart-live'))",
            arg=figure.element_handle(),
        )
        narrow = figure.evaluate(MEASURE)
        assert (wide["layout"], narrow["layout"]) == ("wide", "narrow")
        assert narrow["shown"] <= narrow["natural"] + 0.5 and narrow["box"][3] > 100
        tab.set_viewport_size({"width": 1280, "height": 900})
        again = figure.evaluate(MEASURE)
        assert again["layout"] == "wide"
        assert abs(again["box"][2] - wide["box"][2]) <= TOLERANCE and abs(again["box"][3] - wide["box"][3]) <= TOLERANCE
    finally:
        context.close()


def test_an_embedded_chart_does_not_resize_its_iframe_when_it_becomes_interactive(browser, server, tmp_path):
    """A writer's page holding the embed code: the iframe keeps its height when the reader reaches the chart."""
    code = CODES[-1]
    lang = SETTINGS.language(code)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    stack = contextlib.ExitStack()
    try:
        tab.goto(f"{server}/{lang.prefix}loop/", wait_until="load")
        snippet = tab.locator("textarea.embed-code").first.input_value()
        # the writer's page, on an origin of its own (not under our pages' CSP); it records the
        # heights our own resize message reports (the other protocols' messages carry none)
        record = (
            "<script>window.heights=[];addEventListener('message',"
            "e=>e.data&&e.data.type==='explainer-embed:height'&&heights.push(e.data.height))</script>"
        )
        post = f"<!doctype html><html lang=en><title>post</title><body style='width:700px'>{record}{snippet}"
        (tmp_path / "post.html").write_text(post, encoding="utf-8")
        host = stack.enter_context(serving(tmp_path))
        tab.goto(f"{host}/post.html", wait_until="load")
        tab.wait_for_function(
            "() => document.querySelector('iframe[data-explainer-embed]').style.height.endsWith('px')"
        )
        frame = tab.frame_locator("iframe[data-explainer-embed]")
        before = tab.locator("iframe[data-explainer-embed]").bounding_box()
        frame.locator(".chart-view:visible").hover(force=True)
        frame.locator(".chart.is-live").wait_for()
        # let any resize the upgrade caused reach the host: two frames inside, then two outside
        two_frames = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        frame.locator("html").evaluate(two_frames.replace("()", "_"))
        tab.evaluate(two_frames)
        heights = tab.evaluate("window.heights")
        after = tab.locator("iframe[data-explainer-embed]").bounding_box()
        assert abs(after["height"] - before["height"]) <= TOLERANCE, (before, after, heights)
        assert max(heights) - min(heights) <= TOLERANCE, heights
    finally:
        context.close()
        stack.close()
