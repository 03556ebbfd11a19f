"""The script embed: a chart in a writer's page without an iframe, as Datawrapper's newer embed.

Each chart has one small script per language (charts/<id>/<lang>.embed.js) holding its static
figure, source line and data table; the writer's page gets them in a shadow root, with the
site's own stylesheet in px (the host's root font size cannot scale it), untouched by the host's
CSS. Where scripts do not run, the writer's <noscript> shows the chart's PNG. When the reader
reaches for the chart, the site's chart loader (charts.js, carried in the script) turns it
interactive inside the shadow root, from the site's own runtime, as on the site's pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2
from markupsafe import Markup

from explainer.draw.render import RenderedChart
from explainer.load.corrections import Correction
from explainer.load.facts import FactBook
from explainer.load.settings import Settings
from explainer.write.assets import chart_loader_js
from explainer.write.figures import FigureLinks, figure_html
from explainer.write.site_content import SiteContent
from explainer.write.urls import sources_path

ROOT = "__ROOT__/"  # replaced, in the reader's browser, by the site's address


def script_embed(
    env: jinja2.Environment,
    settings: Settings,
    chart: RenderedChart,
    facts: FactBook,
    ui: dict[str, str],
    assets: dict[str, str],
    page: str,
    loader: str,
    corrections: Sequence[Correction] = (),
) -> str:
    """The JavaScript of one chart's script embed in its language."""
    lang = settings.language(chart.lang)
    links = FigureLinks(root_url=ROOT, sources_url=ROOT + sources_path(settings, lang))
    figure = figure_html(env, settings, lang, chart, facts, ui, links, embedded=True, corrections=corrections)
    source = env.get_template("partials/embed_source.html").render(
        t=ui, lang=lang, article_url=settings.article_url, back_url=f"{ROOT}{lang.prefix}{page}#chart-{chart.chart_id}"
    )
    return env.get_template("partials/embed_script.js.html").render(
        html=Markup(figure + source),
        css=assets["embed.css"],
        vega=assets["vega.js"],
        charts_js=Markup(loader),
        chart_id=chart.chart_id,
        lang=chart.lang,
        html_lang=lang.html_lang,
    )


def write_script_embeds(out_dir: Path, content: SiteContent) -> None:
    """Write charts/<id>/<lang>.embed.js for every chart and language."""
    loader = chart_loader_js(content.settings.theme_dirs)
    for (chart_id, code), chart in sorted(content.charts.items()):
        page = content.chart_pages[code].get(chart_id, "")  # the home page if this language never shows it
        script = script_embed(
            content.theme,
            content.settings,
            chart,
            content.facts,
            content.ui[code],
            content.assets,
            page,
            loader,
            content.chart_corrections(chart),
        )
        (out_dir / "charts" / chart_id / f"{code}.embed.js").write_text(script, encoding="utf-8")
