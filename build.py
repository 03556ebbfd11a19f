"""Build the bilingual explainer site: load -> check -> charts -> pages -> publish.

Usage:  python build.py [build] [--config mkdocs.yml] [--site-dir site] [--site-url URL]
        python build.py serve [--port 8000]     live preview on 127.0.0.1, rebuilt on every edit
"""

from __future__ import annotations

import gc

if __name__ == "__main__":
    # The imports below make only objects that live until the process ends: collecting garbage
    # while they run found none and cost a text edit's rebuild ~12 ms (collected again below).
    gc.disable()

import argparse
import json
import logging
import os
import shutil
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import charts
from explainer.assets import prepare_assets, write_assets
from explainer.buildlock import build_lock, cannot_write
from explainer.chart_cache import ChartCache
from explainer.chart_css import view_box_css
from explainer.chart_fonts import ProjectFont
from explainer.citations import citation
from explainer.citations import use_cache as keep_citations_in
from explainer.claims import load_claims
from explainer.compress import precompress
from explainer.errors import BuildError, ContentError, Problems, relative
from explainer.exports import ImageCache
from explainer.facts import FactBook, load_facts
from explainer.figure_cache import FigureCache
from explainer.figures import partials_env
from explainer.glossary import load_glossary
from explainer.guards import check_chart_hedges, run_guards
from explainer.html_policy import check_pages_html
from explainer.mkdocs_plugin import LanguageBuild
from explainer.page_cache import PageCache
from explainer.pages import Page, check_references, first_pages_of_charts, load_pages, used_charts
from explainer.passed import PassedChecks, digest
from explainer.preview import allow_livereload, listen_for_changes
from explainer.quotes import ENV_VAR, LOCK_NAME, quote_checker
from explainer.render import RenderedChart
from explainer.reuse import SiteParts, library_versions, listing, tree_digest
from explainer.settings import Settings, load_settings
from explainer.site import (
    build_language,
    prefetch_chart_images,
    publish,
    remove_in_background,
    staging_dir,
    write_chart_files,
    write_robots,
)
from explainer.template_cache import keep_compiled_templates_in
from explainer.template_errors import template_errors
from explainer.words import load_words, use_words
from explainer.yamlfile import keep_parsed_in, save_parsed

if TYPE_CHECKING:
    from explainer.chart_pool import ChartWorkers

if __name__ == "__main__":
    gc.freeze()  # what the imports made is kept to the end: later collections need not look at it
    gc.enable()

log = logging.getLogger("explainer")


class SayOnce(logging.Filter):
    """Let each distinct message through once: the preview rebuilds on every save, and a standing
    note (no site_url, no article) repeated after each one would bury what the save changed."""

    def __init__(self) -> None:
        super().__init__()
        self.said: set[str] = set()

    def first(self, message: str) -> bool:
        """True the first time a message is seen."""
        if message in self.said:
            return False
        self.said.add(message)
        return True

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return message.startswith("Built ") or self.first(message)


SAY_ONCE = SayOnce()  # the build's notes, and in the preview its log too


ROOT = Path(__file__).resolve().parent


@dataclass
class BuildReport:
    """What a build did: seconds per stage, and which charts it rendered or reused."""

    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the build could not do, said once
    rendered: list[tuple[str, str]] = field(default_factory=list)
    reused: list[tuple[str, str]] = field(default_factory=list)
    pages_converted: int = 0  # pages whose Markdown was converted (explainer/page_cache.py)
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
        workers().start(len(jobs) - len(found))
        if font is not None:
            font.get()
    return found


def workers() -> ChartWorkers:
    """The chart worker pool, imported only when a chart or PNG is missing (multiprocessing and
    the pool's imports are not needed by a rebuild that renders nothing)."""
    from explainer.chart_pool import WORKERS

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
    results = workers().render(missing, facts, timeout, meanwhile, text_font) if missing else {}
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
        tree_digest(ROOT / "build.py", ROOT / "explainer", ROOT / "charts", settings.root / "templates"),
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
) -> BuildReport:
    """Build the whole site into site_dir, or raise BuildError and leave site_dir untouched.

    `article` overrides `extra.article.path` in mkdocs.yml (the CLI's --article or $EXPLAINER_ARTICLE).
    One build at a time per site_dir: a second one waits for the first (explainer/buildlock.py).
    `preview`: the live preview's build, which removes the replaced site in the background.
    """
    with build_lock(site_dir):
        return _build(config_file, site_dir, site_url, cache_dir, article, preview)


def _build(
    config_file: Path,
    site_dir: Path,
    site_url: str | None,
    cache_dir: Path | None,
    article: Path | None,
    preview: bool = False,
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
    cache_dir = cache_dir or config_file.parent / ".cache"
    passed = PassedChecks(cache_dir)  # what passed on the same input before is not checked again
    keep_parsed_in(cache_dir / "yaml.marshal")  # the YAML documents parsed by the last build
    settings = load_settings(config_file, passed)
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
    keep_compiled_templates_in(cache_dir / "templates")  # what rarely changes, kept between builds
    keep_citations_in(cache_dir / "citations")
    problems = Problems()  # every loader and check runs; their problems are reported together
    quotes = problems.attempt(quote_checker, article_path, settings.article_last_line, settings.content_dir / LOCK_NAME)
    # each language's words (engine locales < content/ui), the units and the speakers
    words = problems.attempt(load_words, settings.content_dir, settings.codes)
    use_words(words)
    facts = (
        problems.attempt(load_facts, settings.facts_file, settings.codes, quotes, words) if quotes and words else None
    )
    claims_file = settings.content_dir / "claims.yaml"
    claims = problems.attempt(load_claims, claims_file, settings.codes, quotes, words) if quotes and words else None
    glossary = problems.attempt(load_glossary, settings.content_dir / "glossary.yaml", settings.codes)
    ui = words.ui if words else None
    pages = problems.attempt(load_pages, settings)
    save_parsed()
    lap("load")

    # 2. Check every reference in every page (once facts and pages loaded) and its raw HTML
    #    against the content policy, then the editorial guards: own words, the same references
    #    in both languages, no figure without its hedge. Nothing is written before this passes.
    chart_ids = charts.chart_ids()
    if pages is not None:
        problems.found.extend(check_pages_html(pages, passed))
        if facts is not None and claims is not None and glossary is not None:
            problems.attempt(check_references, pages, list(facts), chart_ids, list(claims), list(glossary))
    problems.raise_any()
    assert quotes is not None and facts is not None and claims is not None
    assert glossary is not None and ui is not None and pages is not None
    cache = ChartCache(cache_dir / "charts")
    used = used_charts(pages)
    # charts are drawn with a small copy of their CJK font (made once per set of characters)
    font = ProjectFont(settings.content_dir, ROOT / "charts", cache_dir)
    cached = cached_charts(cache, used, facts, settings.codes, font)  # the workers warm up during the guards
    env = partials_env(settings.root / "templates")
    with template_errors(settings.root / "templates"):  # the hedge guard renders the fact tables
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
        citation(settings, settings.language(chart.lang), chart, ui[chart.lang]["chart_medium"])

    rendered = render_all(cache, used, facts, settings.codes, settings.chart_timeout, cached, cite, font)
    hedge_problems = check_chart_hedges(rendered.values(), facts, ROOT / "charts")
    if hedge_problems:
        raise ContentError(hedge_problems)
    report.rendered, report.reused = cache.rendered, cache.reused
    lap("charts")

    # 4. Pages: one MkDocs build per language into staging (the first, at the root, empties
    #    it first), then the shared assets and chart files beside them.
    assets = prepare_assets(
        settings.root / "templates", cache_dir / "vega", view_box_css(rendered.values(), cache_dir / "view-box.json")
    )
    try:
        staging = staging_dir(site_dir)
    except OSError as exc:
        raise cannot_write(site_dir.parent, exc) from exc
    try:
        # per language: where each chart first appears (embed pages link back there)
        chart_pages = {code: first_pages_of_charts(pages[code], settings.nav) for code in settings.codes}
        images = ImageCache(cache_dir / "png", lambda svg, scale: workers().draw(svg, scale, font.get()))
        if cache.rendered:  # new charts: their PNG downloads are drawn in the workers while the pages build
            prefetch_chart_images(rendered, images, settings)
        # what did not change since the published site is linked from it, not built again
        parts = SiteParts(cache_dir, site_dir)
        inputs = shared_inputs(settings, pages, quotes.article, assets, site_dir)
        problems = Problems()  # every language is built, so a broken link is reported in all
        for lang in settings.languages:
            part, key = f"language {lang.code}", digest(inputs, tree_digest(settings.content_dir / lang.code))
            if parts.restore(part, key, staging):
                continue
            before, waiting = listing(staging), _pending(images, staging)
            # each page's conversion is kept: it depends on the shared inputs, the language's file
            # names (links are rewritten against them) and the page itself (explainer/page_cache.py)
            names = json.dumps(sorted(listing(settings.content_dir / lang.code)))
            page_cache = PageCache(cache_dir / "pages" / lang.code, digest(inputs, lang.code, names))
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
                figures=FigureCache(cache_dir / "pages" / lang.code / "figures.marshal", page_cache.context),
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
            write_chart_files(staging, rendered, facts, images, settings)
        images.finish()  # every PNG in place (the new ones drawn in the workers while the pages were built)
        if not shared_reused:
            from explainer.bundles import write_bundles  # here: a text edit reuses these files
            from explainer.embeds import write_embed_pages
            from explainer.script_embed import write_script_embeds

            with template_errors(settings.root / "templates"):
                write_embed_pages(staging, settings, env, rendered, facts, ui, asset_paths, chart_pages)
                write_bundles(staging, settings, rendered, facts, ui)
                write_script_embeds(staging, settings, env, rendered, facts, ui, asset_paths, chart_pages)
            parts.record("shared", key, listing(staging) - before - waiting)
        write_robots(settings, staging)
        precompress(staging, cache_dir / "compressed")  # .gz and .br beside each text file
        lap("pages")
        # 5. Publish: replace site/ only now that the whole build succeeded, and record the
        #    quotes this build verified in the article (hashes only) for clones without it.
        # the files linked from the last site were recorded with their permissions (0644)
        publish(staging, site_dir, remove_in_background if preview else None, parts.linked)
        parts.save()
        quotes.refresh_lock()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    lap("publish")
    return report


def run_build(args: argparse.Namespace, preview: bool = False) -> bool:
    """Build once from the command line; print a user's mistake as a message, not a traceback."""
    try:
        report = build(
            args.config.resolve(), args.site_dir.resolve(), args.site_url, article=args.article, preview=preview
        )
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("The previous site was left as it was.", file=sys.stderr)
        return False
    except OSError as exc:  # the machine, not the content: a read-only folder, a full disk
        where = relative(Path(exc.filename)) if exc.filename else "the build"
        print(
            f"error: {where}: {exc.strerror or exc}; fix the folder (permissions, space) and build again",
            file=sys.stderr,
        )
        print("The previous site was left as it was.", file=sys.stderr)
        return False
    for note in report.notes:
        if SAY_ONCE.first(note):
            print(f"note: {note}", file=sys.stderr)
    stages = ", ".join(f"{k} {v:.2f} s" for k, v in report.timings.items())
    charts_done = f"{len(report.rendered)} charts rendered, {len(report.reused)} reused"
    charts_done += f", {report.pages_converted} pages converted, {report.pages_kept} kept"
    log.info("Built %s in %.2f s (%s; %s)", args.site_dir, sum(report.timings.values()), stages, charts_done)
    return True


def preview_build(args: argparse.Namespace) -> None:
    """Rebuild for the preview; never raise, or MkDocs' server would hold every request until
    the next good build (the last good site stays served and the next save tries again)."""
    try:
        run_build(args, preview=True)
    except Exception as exc:  # a bug of ours, not the content's: say it in one line
        print(f"error: the build failed unexpectedly ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)


def serve(args: argparse.Namespace) -> int:
    """Serve the site on 127.0.0.1 and rebuild it, then reload the browser, on every edit."""
    from mkdocs.livereload import LiveReloadServer

    port_free = _port_problem(args.port)
    if port_free is not None:
        print(f"error: {port_free}", file=sys.stderr)
        return 1
    log.addFilter(SAY_ONCE)
    run_build(args)
    server = LiveReloadServer(
        builder=lambda: preview_build(args),
        host="127.0.0.1",
        port=args.port,
        root=str(args.site_dir.resolve()),
        # where the system cannot tell of changes (listen_for_changes): polling every 0.05 s (and
        # rebuilding after 0.05 s of quiet) measured twice as slow from save to browser as 0.1 s
        polling_interval=0.1,
    )
    server.set_app(allow_livereload(server.get_app()))  # its reload script, allowed by hash in our CSP
    listen_for_changes(server)  # told of a save at once (inotify), not polling every watched file
    if not args.quiet:  # MkDocs says "Serving on <address>" once it listens
        logging.getLogger("mkdocs.livereload").setLevel(logging.INFO)
    project = args.config.resolve().parent
    for path in (project / "content", project / "templates", ROOT / "charts", ROOT / "explainer"):
        server.watch(str(path))
    server.watch(str(args.config.resolve()), recursive=False)
    try:
        server.serve()
    except KeyboardInterrupt:
        log.info("Stopped.")
    finally:
        server.shutdown()
    return 0


def _port_problem(port: int) -> str | None:
    """Say why the preview cannot listen on 127.0.0.1:port, or None when it can."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the preview's server does
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            return f"127.0.0.1:{port}: {exc.strerror} (another preview?); stop it or pass --port <another>"
    return None


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run a build or the live preview."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=("build", "serve"), default="build")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="the site's mkdocs.yml")
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site", help="where to write the site")
    parser.add_argument("--site-url", default=None, help="public address (overrides site_url in mkdocs.yml)")
    parser.add_argument(
        "--article",
        type=Path,
        default=os.environ.get(ENV_VAR) or None,
        help=f"the source article (default: ${ENV_VAR}, else extra.article.path in mkdocs.yml)",
    )
    parser.add_argument("--port", type=int, default=8000, help="port for `serve` on 127.0.0.1")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s - %(message)s")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    if args.command == "serve":
        return serve(args)
    built = run_build(args)
    # Everything is written and closed: what is left is freed by the process's end. The collection
    # Python runs as it exits went through every object of the build for nothing (~50 ms of a
    # text edit's ~0.4 s); frozen objects are left to the exit (stdout, stderr and atexit still run).
    gc.freeze()
    return 0 if built else 1


if __name__ == "__main__":
    sys.exit(main())
