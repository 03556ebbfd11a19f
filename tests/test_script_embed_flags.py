"""The writer decides the script embed's look as the iframe's: the panel's choices (colours, chart
only, static) become data-theme, data-plain and data-static on the script embed's <div>, and the
chart in the shadow root follows them, as the embed page follows ?theme=, ?plain= and ?static=."""

from __future__ import annotations

import re

import pytest

from tests.conftest import LANGS
from tests.test_browser import DESKTOP, reuse_page
from tests.test_embed_flags import UI, luminance, reach_for_the_chart
from tests.test_script_embed import host_site, static_host, watch

__all__ = ["host_site", "static_host"]  # fixtures, used by name

DIV = re.compile(r'<div data-explainer-chart="ono_loop" data-lang="[a-z]+"[^>]*>')

# What the reader sees of one script embed: its colours, what of it shows, its size.
LOOK = """host => {
  const shadow = host.shadowRoot;
  const view = [...shadow.querySelectorAll(".chart-view")].find(v => v.getClientRects().length);
  const svg = view.querySelector(".chart-live svg") || view.querySelector(":scope > svg");
  const title = svg.querySelector(".root > g > g > .role-title .role-title-text text");
  const shown = e => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility === "visible";
  return {
    background: getComputedStyle(host).backgroundColor,
    ink: getComputedStyle(title).fill,
    titleShown: shown(title),
    caption: shown(shadow.querySelector("figcaption")),
    source: shown(shadow.querySelector(".embed-source")),
    height: view.getBoundingClientRect().height,
    label: view.getAttribute("aria-label"),
    svgLabel: svg.getAttribute("aria-label"),
  };
}"""


CHOICES = {  # the writer's choices in the panel, one after another: (colours, boxes ticked)
    "dark": ("dark",),
    "auto": ("auto",),
    "plain": ("light", "plain"),
    "static": ("light", "static"),
    "everything": ("dark", "plain", "static"),
    "back": ("light",),
}


def panel_codes(tab, lang: str) -> dict[str, str]:
    """The script embed code the chart's panel gives by default and after each of CHOICES."""
    share = tab.locator("#chart-ono_loop details.chart-share")
    share.locator("summary").click()
    code = share.locator("#embed-script-ono_loop")
    options = share.get_by_role("group", name=UI[lang]["embed_look"])
    found = {"default": code.input_value()}
    for name, (theme, *boxes) in CHOICES.items():
        options.get_by_role("radio", name=UI[lang][f"embed_theme_{theme}"]).check()
        for box in ("plain", "static"):
            options.get_by_role("checkbox", name=UI[lang][f"embed_{box}"]).set_checked(box in boxes)
        found[name] = code.input_value()
    return found


@pytest.fixture(scope="module")
def codes(reused_tab, static_host) -> dict[str, dict[str, str]]:
    """Per language, the codes of panel_codes, read in one kept tab."""
    return {lang: panel_codes(reuse_page(reused_tab, static_host, lang, "loop", **DESKTOP), lang) for lang in LANGS}


def post(folder, name: str, snippets: list[str]) -> str:
    """A writer's post holding the given embed codes, one after the other."""
    (folder / name).write_text(
        "<!doctype html><html lang=en><title>A writer's post</title><link rel=icon href='data:,'>"
        f"<body style='width:900px'><h1>My post</h1>{''.join(snippets)}<p>The end.</p></body></html>",
        encoding="utf-8",
    )
    return name


@pytest.mark.parametrize("lang", LANGS)
def test_the_panel_writes_the_writers_choices_into_the_script_embed_code(codes, lang):
    default, picked = codes[lang]["default"], codes[lang]["everything"]
    assert DIV.search(default).group(0) == f'<div data-explainer-chart="ono_loop" data-lang="{lang}">'
    assert DIV.search(picked).group(0) == (
        f'<div data-explainer-chart="ono_loop" data-lang="{lang}" data-theme="dark" data-plain data-static>'
    )
    assert DIV.sub("", picked) == DIV.sub("", default)  # the rest of the code is the same
    assert codes[lang]["back"] == default  # back to the defaults, the default code


@pytest.mark.parametrize("lang", LANGS)
def test_the_script_embed_takes_the_colours_and_the_chart_only_look_the_writer_picked(
    reused_tab, codes, host_site, lang
):
    host, folder = host_site
    page = post(folder, f"looks-{lang}.html", [codes[lang][name] for name in ("default", "dark", "auto", "plain")])
    for reader in ("light", "dark"):
        tab = reused_tab(color_scheme=reader, **DESKTOP)
        tab.goto(f"{host}/{page}")
        embeds = tab.locator("[data-explainer-chart=ono_loop]")
        assert embeds.count() == 4
        for i in range(4):
            embeds.nth(i).locator(".chart-view:visible svg").first.wait_for()
        looks = [embeds.nth(i).evaluate(LOOK) for i in range(4)]
        light, forced, following, only = looks
        # light by default whatever the reader's system, as host pages are; dark when asked;
        # auto as the reader's system; the chart's own colours follow the page's
        assert luminance(light["background"]) > 0.9 and luminance(light["ink"]) < 0.3, light
        assert luminance(forced["background"]) < 0.1 and luminance(forced["ink"]) > 0.7, forced
        assert following["background"] == (forced if reader == "dark" else light)["background"], following
        assert following["ink"] == (forced if reader == "dark" else light)["ink"], following
        # chart only: no caption, source line or drawn title, a shorter box; still named
        assert light["titleShown"] and light["caption"] and light["source"], light
        assert not only["titleShown"] and not only["caption"] and not only["source"], only
        assert only["height"] < light["height"] - 20 and only["svgLabel"] == light["svgLabel"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_static_script_embed_never_requests_the_runtime(context_factory, codes, host_site, lang):
    default, static = codes[lang]["default"], codes[lang]["static"]
    host, folder = host_site

    def reach_for_it(name: str, snippet: str):
        tab = context_factory(has_touch=True, **DESKTOP).new_page()
        seen = watch(tab)
        tab.goto(f"{host}/{post(folder, name, [snippet])}")
        view = tab.locator("[data-explainer-chart=ono_loop] .chart-view:visible")
        view.locator("svg").first.wait_for()
        reach_for_the_chart(tab, view)
        return tab, seen

    tab, seen = reach_for_it(f"static-{lang}.html", static)
    assert not [url for url in seen["requests"] if "/assets/vega." in url or url.endswith(".vg.json")]
    embed = tab.locator("[data-explainer-chart=ono_loop]")
    assert embed.locator(".chart.is-live").count() == 0
    look = embed.evaluate(LOOK)  # named by its title, without the arrow keys' hint
    assert look["label"] == look["svgLabel"] and UI[lang]["chart_keys"] not in look["label"]
    assert seen["errors"] == [] and seen["failed"] == []
    # the same reader, the same code without data-static: the interactive view
    control, asked = reach_for_it(f"live-{lang}.html", default)
    control.locator("[data-explainer-chart=ono_loop] .chart.is-live").wait_for(timeout=15000)
    assert [url for url in asked["requests"] if "/assets/vega." in url]


def test_every_flag_rule_of_the_embed_page_has_its_twin_for_the_script_embed(published_site):
    """embed.css reads the writer's attributes on the host element where site.css reads the
    embed page's flags on <html>: one twin per rule, none left reading <html>."""
    (site_css,) = published_site.glob("assets/site.*.css")
    (embed_css,) = published_site.glob("assets/embed.*.css")
    page, shadow = site_css.read_text(encoding="utf-8"), embed_css.read_text(encoding="utf-8")
    twins = {
        ':root:not([data-theme="light"])': ':host([data-theme="auto"])',
        ':root[data-theme="dark"]': ':host([data-theme="dark"])',
        "html[data-plain]": ":host([data-plain])",
    }
    for flag, twin in twins.items():
        assert page.count(flag) > 0 and shadow.count(twin) == page.count(flag), flag
        assert flag not in shadow
