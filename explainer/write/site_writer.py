"""Stage 4, write: the whole site into a staging folder beside site/: one MkDocs build per language
(into a staging folder with no file in it), then the files every language shares (assets, chart
downloads, embed pages, bundles, script embeds), robots.txt and the compressed copies.

A part whose inputs did not change since the published site (a language's pages, the shared
files) is linked from it instead of built again (explainer/write/reuse.py). Nothing is published
here: the staging folder is removed if anything fails.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from explainer.core.buildlock import cannot_write
from explainer.core.errors import Problems
from explainer.core.files import listing
from explainer.core.fingerprint import digest, library_versions, tree_digest
from explainer.core.mkdocs_adapter import writes_some_pages
from explainer.core.paths import ENGINE
from explainer.draw.chart_css import drawn_colours, view_box_css, view_box_store
from explainer.draw.drawing import Drawn, workers
from explainer.draw.exports import ImageCache, PendingImage, png_store
from explainer.draw.render import RenderedChart
from explainer.load.pages import first_pages_of_charts, kept_front_matter
from explainer.load.project import Project
from explainer.load.quotes import LOCK_NAME
from explainer.load.settings import Settings
from explainer.write.assets import Asset, prepare_assets, write_assets
from explainer.write.citations import Citations
from explainer.write.compress import compressed_store, precompress
from explainer.write.corrections import new_pages
from explainer.write.figure_cache import FigureCache, figure_store
from explainer.write.mkdocs_plugin import LanguageBuild, PagesBefore
from explainer.write.page_cache import PageCache, page_store
from explainer.write.reuse import COMPRESSED, SiteParts, parts_store
from explainer.write.site import build_language, prefetch_chart_images, staging_dir, write_chart_files, write_robots
from explainer.write.site_content import SiteContent
from explainer.write.template_cache import CompiledTemplates
from explainer.write.template_errors import template_errors


@dataclass
class Staged:
    """A whole site, built into `staging`, waiting to replace site/."""

    drawn: Drawn
    staging: Path
    parts: SiteParts  # which parts were linked from the published site, and each part's files
    pages_converted: int = 0  # pages whose Markdown was converted (explainer/write/page_cache.py)
    pages_kept: int = 0  # pages whose conversion was taken from an earlier build
    pages_written: int = 0  # pages rendered and written (the others linked from the published site)
    notes: list[str] = field(default_factory=list)

    @property
    def project(self) -> Project:
        return self.drawn.project


def shared_inputs(project: Project, assets: dict[str, Asset]) -> tuple[str, str]:
    """Two hashes: of everything any part of the site may read but a language's own pages (our code
    and the charts', the theme, the data and settings, the library versions, every page's front
    matter); and of the same without the facts, claims and glossary (a page's conversion key has
    those it uses). What the two share is read and hashed once."""
    settings = project.settings
    content, lock = settings.content_dir, settings.content_dir / LOCK_NAME
    data = (settings.facts_file, content / "claims.yaml", content / "glossary.yaml")
    skipped = frozenset({*(content / c for c in settings.codes), lock, *data})
    meta = {code: {src: page.meta for src, page in by_src.items()} for code, by_src in project.pages.items()}
    without_data = digest(
        tree_digest(ENGINE, settings.charts_dir, settings.templates_dir),
        # the record of verified quotes is written by the build (after publishing), not read by it
        tree_digest(settings.config_file, content, skip=skipped),
        library_versions(),
        repr(settings),
        # a section's id may come from another language's page (explainer/load/sections.py)
        json.dumps([meta, sorted(assets), project.sections], sort_keys=True, default=str, ensure_ascii=False),
        repr(sorted((name, asset.path) for name, asset in assets.items())),
        project.quotes.article or "",
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    )
    return digest(without_data, tree_digest(*data)), without_data


def _pages_before(published: dict | None) -> PagesBefore | None:
    """What the published build of a language recorded of its pages, when it recorded it whole."""
    if published is None:
        return None
    pages, titles, outputs = published.get("pages"), published.get("titles"), published.get("outputs")
    if not (isinstance(pages, dict) and isinstance(titles, str) and isinstance(outputs, dict)):
        return None
    if set(pages) != set(outputs):
        return None
    return PagesBefore(pages, titles)


def _outputs(prefix: str, paths: list[str]) -> list[str]:
    """A page's files (relative to its language's folder) relative to the staging folder, each with
    the compressed copies that follow it."""
    return [prefix + path + suffix for path in paths for suffix in ("", *COMPRESSED)]


def _pending(images: ImageCache, staging: Path) -> set[str]:
    """The files (relative to staging) that wait for their PNG (placed by images.finish): a part's, too."""
    return {str(target.relative_to(staging)) for targets in images.targets.values() for target in targets}


@dataclass(frozen=True)
class Theme:
    """The theme's partials (a Jinja environment) and the caches pages are written with."""

    partials: jinja2.Environment
    templates: CompiledTemplates  # compiled Jinja templates, kept between builds
    citations: Citations  # each chart's citations, kept between builds


def write_site(drawn: Drawn, site_dir: Path, theme: Theme) -> Staged:
    """Build every page and file of the site into a new staging folder beside site_dir."""
    project = drawn.project
    settings, cache_dir = project.settings, project.cache_dir
    assets = prepare_assets(
        settings.theme_dirs,
        cache_dir / "vega",
        view_box_css(drawn.charts.values(), view_box_store(project.stores)),
        drawn_colours(drawn.charts.values()),
    )
    try:
        staging = staging_dir(site_dir)
    except OSError as exc:
        raise cannot_write(site_dir.parent, exc) from exc
    staged = Staged(drawn, staging, SiteParts(parts_store(project.stores), site_dir))
    try:
        _write_into(staged, assets, theme)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staged


def _write_into(staged: Staged, assets: dict[str, Asset], theme: Theme) -> None:
    drawn, staging, parts = staged.drawn, staged.staging, staged.parts
    project = drawn.project
    settings, ui = project.settings, project.ui
    font = drawn.font
    stores = project.stores
    drawing_began: list[bool] = []  # the workers' code is checked at this build's first PNG only

    def draw(svg: str, scale: float) -> PendingImage:
        pending = workers().draw(svg, scale, font.get(), check_code=not drawing_began)
        drawing_began.append(True)
        return pending

    images = ImageCache(png_store(stores), draw)
    content = SiteContent(
        settings=settings,
        facts=project.facts,
        ui=ui,
        charts=drawn.charts,
        theme=theme.partials,
        assets={name: asset.path for name, asset in assets.items()},
        # per language: where each chart first appears (embed pages link back there)
        chart_pages={code: first_pages_of_charts(project.pages[code], settings.nav) for code in settings.codes},
        images=images,
        corrections=project.corrections,
    )
    if drawn.rendered:  # new charts: their PNG downloads are drawn in the workers while the pages build
        prefetch_chart_images(content)
    inputs, page_inputs = shared_inputs(project, assets)  # a page's key adds the data it uses
    problems = Problems()  # every language is built, so a broken link is reported in all
    for lang in settings.languages:
        part, key = f"language {lang.code}", digest(inputs, tree_digest(settings.content_dir / lang.code))
        if parts.restore(part, key, staging):
            continue
        # the pages changed, but maybe not all of them: those that did not are linked, not written
        published = parts.published_part(part) if writes_some_pages() else None
        before = _pages_before(published)
        listed_before, waiting = parts.staged(), _pending(images, staging)  # what is there: no walk
        # each page's conversion is kept: it depends on the shared inputs, the language's file
        # names (links are rewritten against them), the page itself and the facts, claims, terms
        # and charts it uses (explainer/write/page_cache.py)
        names = json.dumps(sorted(listing(settings.content_dir / lang.code)))
        page_cache = PageCache(page_store(stores, lang.code), digest(page_inputs, lang.code, names))
        language_build = LanguageBuild(
            settings=settings,
            lang=lang,
            facts=project.facts,
            charts={chart_id: drawn.charts[(chart_id, lang.code)] for chart_id in project.used},
            ui=ui[lang.code],
            assets=content.assets,
            claims=project.claims,
            glossary=project.glossary,
            images=images,
            pages=page_cache,
            figures=FigureCache(figure_store(stores, lang.code), page_cache.context),
            templates=theme.templates,
            citations=theme.citations,
            sections=project.sections,
            before=before,
            corrections=project.corrections,
            titles={src: page.title for src, page in project.pages[lang.code].items()},
            chart_pages=content.chart_pages[lang.code],
            new_pages=new_pages(project.pages[lang.code]),
            front_matter=kept_front_matter(project.parsed) if project.parsed is not None else None,
            loaded=project.pages[lang.code],
        )
        plugin = None
        with problems.collecting():
            plugin = build_language(settings, language_build, staging)
        if plugin is None:  # a problem: reported with every language's below
            continue
        staged.pages_converted += len(page_cache.used) - page_cache.hits
        staged.pages_kept += page_cache.hits
        staged.pages_written += len(plugin.written)
        if published is not None and before is not None:
            kept = (path for src in plugin.kept for path in published["outputs"][src])
            parts.link((path for path in kept if path in published["files"]), staging, published["files"])
        # with its share cards still to rasterise (written by images.finish below)
        outputs = {src: _outputs(lang.prefix, paths) for src, paths in plugin.outputs.items()}
        # MkDocs wrote into the language's folder only (its prefix: no page of another language's
        # folder may write there, explainer/load/addresses.py): the first language's is the whole site
        written = {lang.prefix + path for path in listing(staging / lang.prefix)} if lang.prefix else listing(staging)
        made = written - listed_before | _pending(images, staging) - waiting
        parts.record(part, key, made, pages=plugin.keys, titles=plugin.titles, outputs=outputs)
    problems.raise_any()
    write_assets(assets, staging)
    _write_chart_parts(staged, content, page_inputs, theme)
    write_robots(settings, staging)
    precompress(staging, compressed_store(stores))  # .gz and .br beside each text file


def chart_part_keys(project: Project, content: SiteContent, page_inputs: str) -> dict[str, str]:
    """Each chart's key for its own files (downloads, embed pages, bundles, script embeds): the
    inputs every part shares but the data files, the chart as drawn in every language, the facts
    it was drawn from or its rows name (all of them when it read them all) and the pages it first
    appears on. A fact edit then writes the files of the charts that show the fact, not all."""
    facts = project.facts
    keys = {}
    for chart_id in sorted({chart_id for chart_id, _ in content.charts}):
        drawn = [chart for (other, _), chart in sorted(content.charts.items()) if other == chart_id]
        used = {
            f for chart in drawn for f in (*chart.facts_used, *(row["fact"] for row in chart.rows if "fact" in row))
        }
        read = (
            list(facts.values())
            if any(chart.read_all for chart in drawn)
            else [facts[f] for f in sorted(used) if f in facts]
        )
        keys[chart_id] = digest(
            page_inputs,
            chart_id,
            *(_drawn_digest(chart) for chart in drawn),
            repr(read),
            json.dumps({code: pages.get(chart_id) for code, pages in content.chart_pages.items()}, sort_keys=True),
        )
    return keys


def _drawn_digest(chart: RenderedChart) -> str:
    """A hash of a chart as drawn: its words, rows and each layout's SVG and Vega-Lite spec (the
    Vega spec is compiled from it by the versions the shared inputs name), without serialising
    the specs again (a tenth of a text edit's time when every chart's whole record was)."""
    views = [text for view in chart.views for text in (view.layout, view.svg, view.vega_lite_json)]
    fields = [chart.chart_id, chart.lang, chart.title, chart.description, repr(chart.facts_used), repr(chart.read_all)]
    return digest(*fields, json.dumps(chart.rows, sort_keys=True, default=str, ensure_ascii=False), *views)


def _chart_folders(settings: Settings, chart_id: str) -> list[str]:
    """The folders (relative to the site) that hold one chart's own files."""
    return [f"charts/{chart_id}", *(f"{lang.prefix}embed/{chart_id}" for lang in settings.languages)]


def _write_chart_parts(staged: Staged, content: SiteContent, page_inputs: str, theme: Theme) -> None:
    """The files of each chart, in every language: linked from the published site when the
    chart's key is unchanged, else written (the embed pages read the PNGs' sizes: the PNGs are
    made in between)."""
    staging, parts, settings = staged.staging, staged.parts, content.settings
    keys = chart_part_keys(staged.project, content, page_inputs)
    todo = [chart_id for chart_id, key in keys.items() if not parts.restore(f"chart {chart_id}", key, staging)]
    changed = dataclasses.replace(content, charts={job: c for job, c in content.charts.items() if job[0] in todo})
    if todo:
        write_chart_files(staging, changed)
    content.images.finish()  # every PNG in place (the new ones drawn in the workers while the pages were built)
    if not todo:
        return
    from explainer.write.bundles import write_bundles  # here: a text edit reuses these files
    from explainer.write.embeds import write_embed_pages
    from explainer.write.script_embed import write_script_embeds

    with template_errors(settings.theme_dirs):
        write_embed_pages(staging, changed)
        write_bundles(staging, changed, theme.citations)
        write_script_embeds(staging, changed)
    for chart_id in todo:
        files = set()
        for folder in _chart_folders(settings, chart_id):
            files |= {f"{folder}/{name}" for name in listing(staging / folder)}
        parts.record(f"chart {chart_id}", keys[chart_id], files)
