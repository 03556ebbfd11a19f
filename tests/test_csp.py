"""The Content-Security-Policy: on every page, and never violated in a real browser.

Chromium reports a blocked script, style, eval, image or frame as a `securitypolicyviolation`
event and a console message; both are listened for on every page in both languages, with the
charts upgraded to their interactive view (a tooltip shown) and search opened and used.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import Network, serving

playwright_api = pytest.importorskip("playwright.sync_api")

CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""
QUERIES = {"": "OpenAI", "en/": "Oracle"}


def policy(html: str) -> dict[str, set[str]]:
    """Read a page's CSP meta into {directive: sources}."""
    match = CSP.search(html)
    assert match, "no Content-Security-Policy meta"
    directives = [part.split() for part in match.group(1).split(";") if part.strip()]
    return {name: set(sources) for name, *sources in directives}


def test_every_page_carries_the_policy(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        rules = policy(html)
        assert rules["default-src"] == {"'self'"}, path
        assert rules["script-src"] == {"'self'"}, path
        assert rules["style-src"] == {"'self'"}, path
        assert rules["object-src"] == {"'none'"} and rules["base-uri"] == {"'self'"}, path
        assert rules["frame-src"] == {"'self'"}, path
        # no inline script on our pages: every <script> has a src (the embed snippet is only text)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+=", html), path


def visit(tab, url: str, act) -> list[str]:
    """Open a page with JavaScript on, do something in it, return every CSP violation seen.

    One tab goes from page to page (through about:blank, so nothing the last page had in flight
    is counted): a new tab starts a renderer process, which fetches and compiles the chart
    runtime again; in one tab the sweep took a third of the CPU time."""
    console: list[str] = []

    def listen(message) -> None:
        if "Content Security Policy" in message.text:
            console.append(message.text)

    tab.goto("about:blank")
    tab.on("console", listen)
    network = Network(tab)
    try:
        tab.goto(url)
        tab.wait_for_load_state("load")
        problems = act(tab) or []
        network.settle()  # ready, and all it fetched for what was done in it loaded (or was refused)
        return tab.evaluate("window.__csp") + console + problems
    finally:
        tab.remove_listener("console", listen)
        network.detach()


def listening_tab(context):
    """A tab whose every page records its CSP violations from the start (the init script runs
    before each page's own scripts, on every navigation)."""
    tab = context.new_page()
    tab.add_init_script(LISTEN)
    return tab


def upgrade_charts_and_search(query: str):
    def act(tab) -> list[str]:
        figures = tab.locator(".chart[data-spec]")
        count = figures.count()
        for index in range(count):
            figures.nth(index).locator(".chart-canvas").hover(force=True)
        if count:
            tab.wait_for_function(
                "n => document.querySelectorAll('.chart.is-live, .chart.is-static').length === n", arg=count
            )
            if failed := tab.locator(".chart.is-static").count():
                return [f"{failed} chart(s) stayed static: the interactive view failed to load"]
            box = tab.locator(".chart.is-live svg path, .chart.is-live svg rect").first.bounding_box()
            if box:
                tab.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        opener = tab.locator("button.search-open")
        if opener.count() and opener.is_visible():
            opener.click()
            tab.wait_for_selector("dialog.search[data-ready]")
            tab.keyboard.type(query)
            tab.locator(".search-results a").first.wait_for()
        return []

    return act


# The sweep is cut into shards (every SHARDS-th page from the first, the second...), so pytest-xdist
# spreads it over the cores; each shard keeps one browser context and one tab for its pages.
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_chromium_reports_no_violation_on_any_page_with_charts_live_and_search_used(browser, built_site, shard):
    every = sorted(p.relative_to(built_site) for p in built_site.rglob("*.html"))
    assert any(str(p).startswith("en/") for p in every) and any(str(p).startswith("embed/") for p in every)
    assert len(every) >= 2 * SHARDS
    pages = every[shard::SHARDS]
    found: dict[str, list[str]] = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = listening_tab(context)
        with serving(built_site) as origin:
            for page in pages:
                prefix = "en/" if str(page).startswith("en/") else ""
                path = page.as_posix().removesuffix("index.html")
                url = f"{origin}/{path}"
                violations = visit(tab, url, upgrade_charts_and_search(QUERIES[prefix]))
                if violations:
                    found[str(page)] = violations
    finally:
        context.close()
    assert found == {}


def test_the_listener_sees_a_violation_when_there_is_one(browser, built_site, tmp_path):
    """The check above can fail: an inline script and a <style> added to a page are reported."""
    page = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    (tmp_path / "index.html").write_text(
        page.replace("</body>", "<script>document.title = 'x'</script><style>p{}</style></body>"), encoding="utf-8"
    )
    # its own scripts and styles, as on the site: site.js marks the page ready (visit waits for that)
    (tmp_path / "assets").symlink_to(built_site / "assets", target_is_directory=True)
    context = browser.new_context()
    try:
        with serving(tmp_path) as origin:
            violations = visit(listening_tab(context), f"{origin}/", lambda tab: None)
    finally:
        context.close()
    assert any("script-src" in v for v in violations), violations
    assert any("style-src" in v for v in violations), violations
