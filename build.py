"""Build the bilingual explainer site: load -> check -> charts -> pages -> publish.

Usage:  python build.py [build] [--config mkdocs.yml] [--site-dir site] [--site-url URL]
        python build.py serve [--port 8000]     live preview on 127.0.0.1, rebuilt on every edit
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import charts
from explainer.article import load_article
from explainer.assets import prepare_assets, write_assets
from explainer.bundles import write_bundles
from explainer.chart_cache import ChartCache
from explainer.embeds import write_embed_pages
from explainer.errors import BuildError, Problems
from explainer.exports import ImageCache
from explainer.facts import FactBook, load_facts
from explainer.figures import partials_env
from explainer.mkdocs_plugin import LanguageBuild
from explainer.pages import check_references, first_pages_of_charts, load_pages, used_charts
from explainer.render import RenderedChart
from explainer.script_embed import write_script_embeds
from explainer.settings import load_settings
from explainer.site import build_language, publish, staging_dir, write_chart_files, write_robots
from explainer.ui import load_ui

log = logging.getLogger("explainer")
ROOT = Path(__file__).resolve().parent


@dataclass
class BuildReport:
    """What a build did: seconds per stage, and which charts it rendered or reused."""

    timings: dict[str, float] = field(default_factory=dict)
    rendered: list[tuple[str, str]] = field(default_factory=list)
    reused: list[tuple[str, str]] = field(default_factory=list)


def render_all(
    cache: ChartCache, chart_ids: list[str], facts: FactBook, codes: list[str]
) -> dict[tuple[str, str], RenderedChart]:
    """Render (or reuse) every chart in every language; report every chart that fails, at once."""
    rendered: dict[tuple[str, str], RenderedChart] = {}
    problems = Problems()
    for chart_id in chart_ids:
        for code in codes:
            with problems.collecting():
                rendered[(chart_id, code)] = cache.get(chart_id, facts, code)
    problems.raise_any()
    return rendered


def build(config_file: Path, site_dir: Path, site_url: str | None = None, cache_dir: Path | None = None) -> BuildReport:
    """Build the whole site into site_dir, or raise BuildError and leave site_dir untouched."""
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
    settings = load_settings(config_file)
    if site_url is not None:
        settings = type(settings)(**{**settings.__dict__, "site_url": site_url})
    if not settings.site_url:
        log.info(
            "site_url is not set: share images, oEmbed discovery and the embed code's absolute addresses "
            "need it (set site_url in mkdocs.yml or pass --site-url before publishing)"
        )
    article = load_article(settings.article_path, settings.article_last_line)
    facts = load_facts(settings.facts_file, settings.codes, article)
    ui = load_ui(settings)
    pages = load_pages(settings)
    lap("load")

    # 2. Check every reference in every page before anything is written.
    chart_ids = charts.chart_ids()
    check_references(pages, list(facts), chart_ids)
    lap("check")

    # 3. Charts: each chart a page uses, once per language, static SVG and interactive spec together;
    #    reused from the cache when nothing it depends on changed.
    cache_dir = cache_dir or settings.root / ".cache"
    cache = ChartCache(cache_dir / "charts")
    used = used_charts(pages)
    rendered = render_all(cache, used, facts, settings.codes)
    report.rendered, report.reused = cache.rendered, cache.reused
    lap("charts")

    # 4. Pages: one MkDocs build per language into staging (the first, at the root, empties
    #    it first), then the shared assets and chart files beside them.
    assets = prepare_assets(settings.root / "templates", cache_dir / "vega")
    staging = staging_dir(site_dir)
    try:
        # per language: where each chart first appears (embed pages link back there)
        chart_pages = {code: first_pages_of_charts(pages[code], settings.nav) for code in settings.codes}
        headline = next(iter(chart_pages[settings.codes[0]]), None)
        problems = Problems()  # every language is built, so a broken link is reported in all
        for lang in settings.languages:
            language_build = LanguageBuild(
                settings=settings,
                lang=lang,
                facts=facts,
                charts={chart_id: rendered[(chart_id, lang.code)] for chart_id in used},
                ui=ui[lang.code],
                assets={name: asset.path for name, asset in assets.items()},
                headline_chart=headline,
            )
            with problems.collecting():
                build_language(settings, language_build, staging)
        problems.raise_any()
        asset_paths = {name: asset.path for name, asset in assets.items()}
        write_assets(assets, staging)
        write_chart_files(staging, rendered, facts, ImageCache(cache_dir / "png"))
        env = partials_env(settings.root / "templates")
        write_embed_pages(staging, settings, env, rendered, facts, ui, asset_paths, chart_pages)
        write_bundles(staging, settings, rendered, facts, ui)
        write_script_embeds(staging, settings, env, rendered, facts, ui, asset_paths, chart_pages)
        write_robots(settings, staging)
        lap("pages")
        # 5. Publish: replace site/ only now that the whole build succeeded.
        publish(staging, site_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    lap("publish")
    return report


def run_build(args: argparse.Namespace) -> bool:
    """Build once from the command line; print a user's mistake as a message, not a traceback."""
    try:
        report = build(args.config.resolve(), args.site_dir.resolve(), args.site_url)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("The previous site was left as it was.", file=sys.stderr)
        return False
    stages = ", ".join(f"{k} {v:.2f} s" for k, v in report.timings.items())
    charts_done = f"{len(report.rendered)} charts rendered, {len(report.reused)} reused"
    log.info("Built %s in %.2f s (%s; %s)", args.site_dir, sum(report.timings.values()), stages, charts_done)
    return True


def serve(args: argparse.Namespace) -> int:
    """Serve the site on 127.0.0.1 and rebuild it, then reload the browser, on every edit."""
    from mkdocs.livereload import LiveReloadServer

    run_build(args)
    server = LiveReloadServer(
        builder=lambda: run_build(args),
        host="127.0.0.1",
        port=args.port,
        root=str(args.site_dir.resolve()),
        polling_interval=0.1,
    )
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


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run a build or the live preview."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=("build", "serve"), default="build")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="the site's mkdocs.yml")
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site", help="where to write the site")
    parser.add_argument("--site-url", default=None, help="public address (overrides site_url in mkdocs.yml)")
    parser.add_argument("--port", type=int, default=8000, help="port for `serve` on 127.0.0.1")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s - %(message)s")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    if args.command == "serve":
        return serve(args)
    return 0 if run_build(args) else 1


if __name__ == "__main__":
    sys.exit(main())
