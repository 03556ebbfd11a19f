"""Build a project into a site: load -> check -> charts -> pages -> publish.

`build()` is the engine's one entry for a build; the command line (explainer/cli.py), the live
preview and the tests call it. Every location comes from the project's settings (mkdocs.yml and
its `extra.folders`), never from this package's own path.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from explainer.check.guards import check_chart_hedges, run_guards
from explainer.check.html_policy import check_content_values, check_pages_html
from explainer.core.buildlock import build_lock, cannot_write
from explainer.core.errors import ContentError, Problems, relative
from explainer.core.files import listing
from explainer.core.fingerprint import digest, library_versions, tree_digest
from explainer.core.passed import PassedChecks, passed_store
from explainer.core.store import Stores
from explainer.core.yamlfile import ParsedYaml, yaml_store
from explainer.draw.chart_cache import ChartCache, chart_stores
from explainer.draw.chart_css import drawn_colours, view_box_css, view_box_store
from explainer.draw.chart_fonts import ProjectFont
from explainer.draw.exports import ImageCache, png_store
from explainer.draw.render import RenderedChart
from explainer.language.words import load_words, use_words
from explainer.load.chart_folder import ChartFolder
from explainer.load.chart_text import chart_text_problems
from explainer.load.claims import load_claims
from explainer.load.facts import FactBook, load_facts
from explainer.load.glossary import load_glossary
from explainer.load.pages import Page, check_references, first_pages_of_charts, load_pages, used_charts
from explainer.load.placeholders import placeholder_problems, project_text_files
from explainer.load.quotes import LOCK_NAME, quote_checker
from explainer.load.settings import Settings, cache_folder, load_settings
from explainer.write.assets import prepare_assets, write_assets
from explainer.write.citations import Citations, citation, citation_store
from explainer.write.compress import compressed_store, precompress
from explainer.write.figure_cache import FigureCache, figure_store
from explainer.write.figures import partials_env
from explainer.write.mkdocs_plugin import LanguageBuild
from explainer.write.page_cache import PageCache, page_store
from explainer.write.reuse import SiteParts, parts_store
from explainer.write.site import (
    build_language,
    prefetch_chart_images,
    publish,
    remove_in_background,
    staging_dir,
    write_chart_files,
    write_robots,
)
from explainer.write.template_cache import CompiledTemplates, template_store
from explainer.write.template_errors import template_errors

if TYPE_CHECKING:
    from explainer.draw.chart_pool import ChartWorkers

log = logging.getLogger("explainer")


ENGINE = Path(__file__).resolve().parent  # the engine's own code and theme: part of every key


@dataclass
class BuildReport:
    """What a build did: seconds per stage, and which charts it rendered or reused."""

    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the build could not do, said once
    rendered: list[tuple[str, str]] = field(default_factory=list)
    reused: list[tuple[str, str]] = field(default_factory=list)
    pages_converted: int = 0  # pages whose Markdown was converted (explainer/write/page_cache.py)
    pages_kept: int = 0  # pages whose conversion was taken from an earlier build


def cached_charts(
    cache: ChartCache, chart_ids: list[str], facts: FactBook, codes: list[str], font: ProjectFont | None = None
) -> dict[tuple[str, str], RenderedChart]:
    """Every chart in every language that the cache still holds; when some are missing, the chart
    workers start now, so that they are ready by the time the checks are done (and the font they
    draw with is made meanwhile, if new)."""
    jobs = [(chart_id, code) for chart_id in chart_ids for code in codes]
    found = {job: chart for job in jobs if (chart := cache.lookup(job[0], facts, job[1])) is not None}
    if len(found) < len(jobs):
        workers().start(cache.charts, len(jobs) - len(found))
        if font is not None:
            font.get()
    return found


def workers() -> ChartWorkers:
    """The chart worker pool, imported only when a chart or PNG is missing (multiprocessing and
    the pool's imports are not needed by a rebuild that renders nothing)."""
    from explainer.draw.chart_pool import WORKERS

    return WORKERS


def render_all(
    cache: ChartCache,
    chart_ids: list[str],
    facts: FactBook,
    codes: list[str],
    timeout: float,
    cached: dict[tuple[str, str], RenderedChart] | None = None,
    meanwhile: Callable[[RenderedChart], object] | None = None,
    font: ProjectFont | None = None,
) -> dict[tuple[str, str], RenderedChart]:
    """Reuse or render every chart in every language (in worker processes, each under a time
    limit; `meanwhile` is called with each new chart while the others render); report every
    chart that fails, at once."""
    jobs = [(chart_id, code) for chart_id in chart_ids for code in codes]
    rendered = dict(cached if cached is not None else cached_charts(cache, chart_ids, facts, codes))
    missing = [job for job in jobs if job not in rendered]
    text_font = font.get() if font is not None and missing else None
    results = workers().render(cache.charts, missing, facts, timeout, meanwhile, text_font) if missing else {}
    problems = Problems()
    for job in jobs:
        result = results.get(job)
        if isinstance(result, ContentError):
            problems.found.extend(p for p in result.problems if p not in problems.found)
        elif result is not None:
            cache.store(result, facts)
            rendered[job] = result
    problems.raise_any()
    return rendered


def _pending(images: ImageCache, staging: Path) -> set[str]:
    """The files (relative to staging) that wait for their PNG (placed by images.finish): a part's, too."""
    return {str(target.relative_to(staging)) for targets in images.targets.values() for target in targets}


def shared_inputs(
    settings: Settings, pages: dict[str, dict[str, Page]], article: str | None, assets: dict, site_dir: Path
) -> str:
    """A hash of everything any part of the site may read but a language's own pages: our code and
    the charts', the theme, the data and settings, the library versions, every page's front matter."""
    content, lock = settings.content_dir, settings.content_dir / LOCK_NAME
    meta = {code: {src: page.meta for src, page in by_src.items()} for code, by_src in pages.items()}
    return digest(
        tree_digest(ENGINE, settings.charts_dir, settings.templates_dir),
        # the record of verified quotes is written by the build (after publishing), not read by it
        tree_digest(settings.config_file, content, skip=frozenset({*(content / c for c in settings.codes), lock})),
        library_versions(),
        repr(settings),
        json.dumps([meta, sorted(assets)], sort_keys=True, default=str, ensure_ascii=False),
        repr(sorted((name, asset.path) for name, asset in assets.items())),
        article or "",
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    )


def build(
    config_file: Path,
    site_dir: Path,
    site_url: str | None = None,
    cache_dir: Path | None = None,
    article: Path | None = None,
    preview: bool = False,
    record_quotes: bool = True,
    cache_from: Path | None = None,
) -> BuildReport:
    """Build the whole site into site_dir, or raise BuildError and leave site_dir untouched.

    `article` overrides `extra.article.path` in mkdocs.yml (the CLI's --article or $EXPLAINER_ARTICLE).
    One build at a time per site_dir: a second one waits for the first (explainer/core/buildlock.py).
    `preview`: the live preview's build, which removes the replaced site in the background.
    `record_quotes`: refresh the project's record of verified quotes (off for `check`).
    `cache_from`: a cache folder read but never written (`check` reads the project's this way).
    """
    with build_lock(site_dir):
        return _build(config_file, site_dir, site_url, cache_dir, article, preview, record_quotes, cache_from)


def check(config_file: Path, article: Path | None = None) -> BuildReport:
    """Load and run every check a build runs, the pages' included, and write nothing in the project:
    the site is built into a temporary folder, with a cache of its own that reads the project's (so
    the charts it holds are not drawn again) but never writes, touches or removes anything there
    (explainer/core/store.py), and both are removed."""
    with tempfile.TemporaryDirectory(prefix="explainer-check-") as scratch:
        cache = Path(scratch) / "cache"
        kept = cache_folder(config_file)
        return build(config_file, Path(scratch) / "site", None, cache, article, record_quotes=False, cache_from=kept)


def _build(
    config_file: Path,
    site_dir: Path,
    site_url: str | None,
    cache_dir: Path | None,
    article: Path | None,
    preview: bool = False,
    record_quotes: bool = True,
    cache_from: Path | None = None,
) -> BuildReport:
    # Fixed timestamps (e.g. in the gzipped sitemaps): the same input builds the same bytes.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    report = BuildReport()
    timings = report.timings
    started = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal started
        now = time.perf_counter()
        timings[stage] = now - started
        started = now

    # 1. Load: settings, the article, the facts, the interface strings and every page.
    cache_dir = cache_dir or cache_folder(config_file)
    # every cache of the build, verified on read, bounded (explainer/core/store.py)
    stores = Stores(cache_dir, cache_from)
    passed = PassedChecks(passed_store(stores))  # what passed on the same input before is not checked again
    parsed = ParsedYaml(yaml_store(stores))  # the YAML documents parsed by the last build
    problems = Problems()  # every loader and check runs; their problems are reported together
    settings = problems.attempt(load_settings, config_file, passed, parsed)
    if settings is None:
        problems.raise_any()
    assert settings is not None
    if site_url is not None:
        settings = type(settings)(**{**settings.__dict__, "site_url": site_url})
    if not settings.site_url:
        log.info(
            "site_url is not set: until it is, pages have no share previews (a crawler needs an absolute "
            "image address, so no share card is drawn), no oEmbed is written (a chart's address pasted into WordPress stays a link), pages "
            "have no hreflang alternates and the sitemaps list nothing; the Embed panel fills in the address "
            "it is served from. Set site_url in mkdocs.yml or pass --site-url before publishing."
        )
    article_path = article.resolve() if article is not None else settings.article_path
    templates = CompiledTemplates(template_store(stores))  # what rarely changes, kept between builds
    citations = Citations(citation_store(stores))
    quotes = problems.attempt(quote_checker, article_path, settings.article_last_line, settings.content_dir / LOCK_NAME)
    # each language's words (engine locales < content/ui), the units and the speakers
    words = problems.attempt(load_words, settings.content_dir, settings.codes, parsed)
    use_words(words)
    facts = (
        problems.attempt(load_facts, settings.facts_file, settings.codes, quotes, words, parsed)
        if quotes and words
        else None
    )
    claims_file = settings.content_dir / "claims.yaml"
    claims = (
        problems.attempt(load_claims, claims_file, settings.codes, quotes, words, parsed) if quotes and words else None
    )
    glossary = problems.attempt(load_glossary, settings.content_dir / "glossary.yaml", settings.codes, parsed)
    ui = words.ui if words else None
    pages = problems.attempt(load_pages, settings, parsed)
    # text still to be translated (explainer new's placeholders) is never published
    problems.found.extend(
        placeholder_problems(project_text_files(settings.config_file, settings.content_dir, settings.charts_dir))
    )
    problems.found.extend(chart_text_problems(ChartFolder(settings.charts_dir), settings.codes))  # chart words
    parsed.save()
    lap("load")

    # 2. Check every reference in every page (once facts and pages loaded) and its raw HTML
    #    against the content policy, then the editorial guards: own words, the same references
    #    in both languages, no figure without its hedge. Nothing is written before this passes.
    chart_folder = ChartFolder(settings.charts_dir)
    chart_ids = chart_folder.ids()
    if pages is not None:
        problems.found.extend(check_pages_html(pages, passed))
        if facts is not None and claims is not None and glossary is not None:
            problems.attempt(check_references, pages, list(facts), chart_ids, list(claims), list(glossary))
    # the same policy for the sentences a reference prints from the content files
    prose = {"facts": settings.facts_file, "claims": claims_file, "glossary": settings.content_dir / "glossary.yaml"}
    problems.found.extend(check_content_values(prose, parsed))
    problems.raise_any()
    assert quotes is not None and facts is not None and claims is not None
    assert glossary is not None and ui is not None and pages is not None
    renders, imports = chart_stores(stores)
    cache = ChartCache(renders, chart_folder, imports)
    used = used_charts(pages)
    # charts are drawn with a small copy of their CJK font (made once per set of characters)
    font = ProjectFont(settings.content_dir, settings.charts_dir, cache_dir)
    cached = cached_charts(cache, used, facts, settings.codes, font)  # the workers warm up during the guards
    env = partials_env(settings.theme_dirs, templates)
    with template_errors(settings.theme_dirs):  # the hedge guard renders the fact tables
        skipped = run_guards(
            pages,
            facts,
            claims,
            claims_file,
            ui,
            env,
            settings.codes,
            quotes.article,
            relative(article_path),
            passed,
        )
    if (note := quotes.unverified_note()) is not None:  # one note for all the article's absence costs
        skipped = [f"{note} Also for want of it, {'; '.join(skipped)}." if skipped else note]
    report.notes.extend(skipped)
    lap("check")

    # 3. Charts: each chart a page uses, once per language, static SVG and interactive spec together;
    #    reused from the cache when nothing it depends on changed.
    def cite(chart: RenderedChart) -> None:  # its citation is made while the other charts render
        citation(settings, settings.language(chart.lang), chart, ui[chart.lang]["chart_medium"], citations)

    rendered = render_all(cache, used, facts, settings.codes, settings.chart_timeout, cached, cite, font)
    hedge_problems = check_chart_hedges(rendered.values(), facts, settings.charts_dir)
    if hedge_problems:
        raise ContentError(hedge_problems)
    report.rendered, report.reused = cache.rendered, cache.reused
    lap("charts")

    # 4. Pages: one MkDocs build per language into staging (the first, at the root, empties
    #    it first), then the shared assets and chart files beside them.
    assets = prepare_assets(
        settings.theme_dirs,
        cache_dir / "vega",
        view_box_css(rendered.values(), view_box_store(stores)),
        drawn_colours(rendered.values()),
    )
    try:
        staging = staging_dir(site_dir)
    except OSError as exc:
        raise cannot_write(site_dir.parent, exc) from exc
    try:
        # per language: where each chart first appears (embed pages link back there)
        chart_pages = {code: first_pages_of_charts(pages[code], settings.nav) for code in settings.codes}
        images = ImageCache(png_store(stores), lambda svg, scale: workers().draw(svg, scale, font.get()))
        if cache.rendered:  # new charts: their PNG downloads are drawn in the workers while the pages build
            prefetch_chart_images(rendered, images, settings, ui)
        # what did not change since the published site is linked from it, not built again
        parts = SiteParts(parts_store(stores), site_dir)
        inputs = shared_inputs(settings, pages, quotes.article, assets, site_dir)
        problems = Problems()  # every language is built, so a broken link is reported in all
        for lang in settings.languages:
            part, key = f"language {lang.code}", digest(inputs, tree_digest(settings.content_dir / lang.code))
            if parts.restore(part, key, staging):
                continue
            before, waiting = listing(staging), _pending(images, staging)
            # each page's conversion is kept: it depends on the shared inputs, the language's file
            # names (links are rewritten against them) and the page itself (explainer/write/page_cache.py)
            names = json.dumps(sorted(listing(settings.content_dir / lang.code)))
            page_cache = PageCache(page_store(stores, lang.code), digest(inputs, lang.code, names))
            language_build = LanguageBuild(
                settings=settings,
                lang=lang,
                facts=facts,
                charts={chart_id: rendered[(chart_id, lang.code)] for chart_id in used},
                ui=ui[lang.code],
                assets={name: asset.path for name, asset in assets.items()},
                claims=claims,
                glossary=glossary,
                images=images,
                pages=page_cache,
                figures=FigureCache(figure_store(stores, lang.code), page_cache.context),
                templates=templates,
                citations=citations,
            )
            with problems.collecting():
                build_language(settings, language_build, staging)
            report.pages_converted += len(page_cache.used) - page_cache.hits
            report.pages_kept += page_cache.hits
            # with its share cards still to rasterise (written by images.finish below)
            parts.record(part, key, listing(staging) - before | _pending(images, staging) - waiting)
        problems.raise_any()
        asset_paths = {name: asset.path for name, asset in assets.items()}
        write_assets(assets, staging)
        # the files every language shares: chart downloads, embed pages, bundles, script embeds
        # (the embed pages read the PNGs' sizes: the PNGs are made in between)
        key = digest(inputs, json.dumps([used, chart_pages], sort_keys=True))
        shared_reused = parts.restore("shared", key, staging)
        before, waiting = listing(staging), _pending(images, staging)  # the languages' share cards
        if not shared_reused:
            write_chart_files(staging, rendered, facts, images, settings, ui)
        images.finish()  # every PNG in place (the new ones drawn in the workers while the pages were built)
        if not shared_reused:
            from explainer.write.bundles import write_bundles  # here: a text edit reuses these files
            from explainer.write.embeds import write_embed_pages
            from explainer.write.script_embed import write_script_embeds

            with template_errors(settings.theme_dirs):
                write_embed_pages(staging, settings, env, rendered, facts, ui, asset_paths, chart_pages)
                write_bundles(staging, settings, rendered, facts, ui, citations)
                write_script_embeds(staging, settings, env, rendered, facts, ui, asset_paths, chart_pages)
            parts.record("shared", key, listing(staging) - before - waiting)
        write_robots(settings, staging)
        precompress(staging, compressed_store(stores))  # .gz and .br beside each text file
        lap("pages")
        # 5. Publish: replace site/ only now that the whole build succeeded, and record the
        #    quotes this build verified in the article (hashes only) for clones without it.
        # the files linked from the last site were recorded with their permissions (0644)
        publish(staging, site_dir, remove_in_background if preview else None, parts.linked)
        parts.save()
        stores.prune()  # each cache held to its bound, keeping what this build used
        if record_quotes:
            quotes.refresh_lock()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    lap("publish")
    return report
