"""Phones first, and an explainer's first screen: no page scrolls sideways on a small phone, the
lead chart comes early, tables stack as cards, the section list is reachable from the header,
the language switch keeps the section, and a search that finds nothing offers the other language."""

from __future__ import annotations

import itertools
from urllib.parse import urlparse

import pytest

from tests.conftest import LANGS, PAGES
from tests.test_browser import CHART_PAGES, reuse_page, url_path

playwright_api = pytest.importorskip("playwright.sync_api")

PHONES = (320, 360, 390)
SCREEN = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
PAGES_WITH_CHARTS = [page for page in CHART_PAGES if not page.startswith("embed/")]


@pytest.mark.parametrize("width", PHONES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(reused_tab, server, width, lang, page):
    tab = reuse_page(reused_tab, server, lang, page, viewport={"width": width, "height": 740}, is_mobile=True)
    assert tab.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES_WITH_CHARTS)
def test_the_lead_chart_starts_within_one_and_a_half_screens(reused_tab, server, lang, page):
    tab = reuse_page(reused_tab, server, lang, page, **SCREEN)
    top = tab.evaluate("document.querySelector('.chart').getBoundingClientRect().top + scrollY")
    assert top <= 1.5 * 740, f"{lang}/{page}: the lead chart starts at {top:.0f} px"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_with_a_headline_and_a_standfirst(reused_tab, server, lang, page):
    tab = reuse_page(reused_tab, server, lang, page, **SCREEN)
    lede = tab.locator("main > header.lede")
    assert lede.locator("h1").count() == 1
    standfirst = lede.locator(".standfirst").text_content()
    assert 20 <= len(standfirst) <= 320
    assert lede.locator(".standfirst").bounding_box()["y"] < 740  # on the first screen


@pytest.mark.parametrize("lang", LANGS)
def test_the_home_page_dateline_is_a_note_under_the_standfirst(reused_tab, server, lang):
    tab = reuse_page(reused_tab, server, lang, "index", **SCREEN)
    dateline = tab.locator("header.lede .standfirst + .dateline")
    assert dateline.count() == 1
    size = dateline.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size < tab.locator(".standfirst").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")


@pytest.mark.parametrize("lang", LANGS)
def test_tables_stack_as_cards_on_a_phone(reused_tab, server, lang):
    tab = reuse_page(reused_tab, server, lang, "about", **SCREEN)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    row = tab.locator(".fact-table tbody tr").first
    cells = row.locator("th, td")
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    # one above the other, each the card's width (not a column a few characters wide)
    assert all(b["width"] > 250 for b in boxes), boxes
    assert all(later["y"] >= earlier["y"] + earlier["height"] - 1 for earlier, later in itertools.pairwise(boxes))
    assert row.locator("td").first.evaluate("e => getComputedStyle(e, '::before').content") not in ("none", "normal")


@pytest.mark.parametrize("lang", LANGS)
def test_the_section_list_is_reachable_from_the_header(reused_tab, server, lang):
    tab = reuse_page(reused_tab, server, lang, "loop", **SCREEN)
    link = tab.locator("header.masthead a.sections-link")
    assert link.is_visible() and link.bounding_box()["y"] < 150
    link.click()
    tab.wait_for_function("() => location.hash === '#sections'")
    nav = tab.locator("nav#sections")
    box = nav.bounding_box()
    assert 0 <= box["y"] < 740  # scrolled into view
    assert nav.locator("a[aria-current=page]").count() == 1


@pytest.mark.parametrize("lang", LANGS)
def test_the_language_switch_keeps_the_section(reused_tab, server, lang):
    other = "en" if lang == "zh" else "zh"
    tab = reuse_page(reused_tab, server, lang, "loop", **SCREEN)
    tab.evaluate("document.getElementById('deal').scrollIntoView()")
    tab.evaluate("window.scrollBy(0, 200)")  # reading inside the section, its heading above
    tab.mouse.wheel(0, -60)  # a little back up: the header comes back, with the switch
    tab.wait_for_selector("header.masthead.is-pinned")
    tab.locator("nav.languages a").click()
    tab.wait_for_load_state("load")
    address = urlparse(tab.url)
    assert (address.path, address.fragment) == (url_path(other, "loop"), "deal")
    heading = tab.locator("#deal").bounding_box()
    assert 0 <= heading["y"] < 200


@pytest.mark.parametrize("lang", LANGS)
def test_the_language_switch_leads_to_the_top_without_javascript(reused_tab, server, lang):
    tab = reuse_page(reused_tab, server, lang, "loop", java_script_enabled=False, **SCREEN)
    tab.evaluate("document.getElementById('deal').scrollIntoView()")
    assert "#" not in tab.locator("nav.languages a").get_attribute("href")


@pytest.mark.parametrize(("lang", "query", "other_path"), [("zh", "Bain", "/en/losses/"), ("en", "甲骨文", "/loop/")])
def test_a_search_with_no_results_offers_the_other_language(context_factory, server, lang, query, other_path):
    tab = context_factory(**SCREEN).new_page()
    tab.goto(server + url_path(lang, "rally"), wait_until="load")
    tab.locator("button.search-open").click()
    tab.wait_for_selector("dialog.search[data-ready]")
    tab.keyboard.type(query)
    offer = tab.locator(".search-others button")
    offer.first.wait_for()
    assert query in offer.first.text_content()
    offer.first.click()
    results = tab.locator(".search-results a")
    results.first.wait_for()
    paths = [
        urlparse(tab.evaluate("h => new URL(h, location.href).href", results.nth(i).get_attribute("href"))).path
        for i in range(results.count())
    ]
    assert other_path in paths
