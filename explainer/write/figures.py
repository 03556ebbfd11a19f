"""A chart as a page shows it: the figure, its data and sources, its downloads and embed code.

Used by the article pages (through the MkDocs plugin) and by the standalone embed pages, so
both show the same chart from the same template.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from explainer.draw.chart_css import title_band, view_box
from explainer.draw.render import RenderedChart
from explainer.load.corrections import Correction
from explainer.load.facts import FactBook
from explainer.load.glossary import Term
from explainer.load.settings import Language, Settings
from explainer.write.citations import Citations, citation
from explainer.write.corrections import notices
from explainer.write.credit import source_line
from explainer.write.urls import chart_files, file_url, origin, page_url

EMBED_MESSAGE = "explainer-embed:height"


@functools.cache
def _partials_env(theme: Sequence[Path]) -> jinja2.Environment:
    """One environment per theme for the process: it keeps the templates it loaded."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in theme]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def partials_env(theme: Sequence[Path], compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """A Jinja environment for our partials: escaping on, unknown names are errors. `theme`: the
    folders templates are looked up in, first match wins (Settings.theme_dirs). It reloads a
    template when its file changes. `compiled`: where compiled templates are kept (the build's)."""
    env = _partials_env(tuple(theme))
    if compiled is not None:
        env.bytecode_cache = compiled
    return env


# The embed page's height around the chart's own, for the snippet's first guess before the page
# reports its real height: caption, source, data table and link back; in plain mode the table only.
FRAME_HEIGHT = {False: 150, True: 64}


def snippet_ratio(chart: RenderedChart, plain: bool = False) -> str:
    """The iframe's aspect ratio until the embed page reports its height (widest layout)."""
    height = chart.height - (title_band(chart.widest.svg) if plain else 0) + FRAME_HEIGHT[plain]
    return f"{round(chart.width)} / {round(height)}"


def iframe_snippet(env: jinja2.Environment, settings: Settings, lang: Language, chart: RenderedChart) -> str:
    """The iframe a writer pastes, and the optional script that fits its height to the chart,
    from templates/partials/iframe_snippet.html."""
    return (
        env.get_template("partials/iframe_snippet.html")
        .render(
            src=page_url(settings, lang, f"embed/{chart.chart_id}/"),
            title=chart.title,
            ratio=snippet_ratio(chart),
            origin=origin(settings),
            message=EMBED_MESSAGE,
        )
        .strip()
    )


@dataclass(frozen=True)
class FigureLinks:
    """Where a figure's files are, relative to the page that shows it."""

    root_url: str  # from the page to the site root
    sources_url: str  # from the page to this language's sources page


def figure_html(
    env: jinja2.Environment,
    settings: Settings,
    lang: Language,
    chart: RenderedChart,
    facts: FactBook,
    ui: dict[str, str],
    links: FigureLinks,
    caption: str | None = None,
    embedded: bool = False,
    citations: Citations | None = None,
    corrections: Sequence[Correction] = (),
    terms: Sequence[tuple[Term, int]] = (),
) -> str:
    """Render one chart's figure block from templates/partials/figure.html (`corrections`: those
    that touch the chart, each noted under it with a link to the correction; `terms`: the glossary
    terms the chart is the first on its page to use, with their note numbers, named in the caption)."""
    files = links.root_url + chart_files(chart.chart_id, lang.code)
    rows = [{"name": row["name"], "fact": facts[row["fact"]]} for row in chart.rows]
    views = [
        {
            "layout": view.layout,
            "svg": Markup(view.svg),
            "width": f"{view.width:g}",
            "height": f"{view.height:g}",
            "spec_url": f"{files}.{view.layout}.vg.json",
            "box": view_box(chart, view),
        }
        for view in chart.views
    ]
    cite = None if embedded else citation(settings, lang, chart, ui["chart_medium"], citations, on_page=True)
    return env.get_template("partials/figure.html").render(
        chart=chart,
        views=views,
        article_url=settings.article_url,
        source_line=source_line(settings, lang.code, ui),
        article_lang=settings.codes[0],  # the article's own language: its quotes need no translation
        caption=caption,
        terms=terms,
        rows=rows,
        lang=lang.code,
        t=ui,
        sources_url=links.sources_url,
        downloads=[
            ("SVG", f"{files}.svg"),
            ("PNG", f"{files}.png"),
            ("CSV", f"{files}.csv"),
            ("Vega-Lite JSON", f"{files}.vl.json"),
            ("ZIP", f"{files}.zip"),
            ("metadata.json", f"{files}.metadata.json"),
            ("BibTeX", f"{files}.bib"),
            ("CSL-JSON", f"{files}.csl.json"),
        ],
        cite=cite,
        cite_apa=cited_address(cite.apa, cite.url) if cite else ("", ""),
        download_name=f"{chart.chart_id}-{lang.code}",
        snippet=iframe_snippet(env, settings, lang, chart),
        snippet_ratios=(snippet_ratio(chart), snippet_ratio(chart, plain=True)),
        script_snippet=env.get_template("partials/script_snippet.html")
        .render(chart=chart, lang=lang.code, files=file_url(settings, chart_files(chart.chart_id, lang.code)))
        .strip(),
        snippet_relative=not settings.site_url,
        embedded=embedded,
        corrections=notices(corrections, lang, ui, links.root_url),
        corrected_label=ui["corrected_on"].partition("{date}")[::2],
    )


def cited_address(apa: str, url: str) -> tuple[str, str]:
    """Split an APA reference before its address, which ends it (the template marks a
    root-relative one for share.js to complete); ('reference', '') when it has none."""
    if url and apa.endswith(url):
        return apa[: -len(url)], url
    return apa, ""
