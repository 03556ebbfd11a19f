"""Build the bilingual explainer site: load -> check -> charts -> pages -> publish.

Usage:  python build.py [--config mkdocs.yml] [--site-dir site] [--site-url URL]
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import time
from pathlib import Path

import charts
from explainer.article import load_article
from explainer.assets import prepare_assets, write_assets
from explainer.errors import BuildError
from explainer.facts import load_facts
from explainer.mkdocs_plugin import LanguageBuild
from explainer.pages import check_references, load_pages, used_charts
from explainer.render import render_chart
from explainer.settings import load_settings
from explainer.site import build_language, publish, staging_dir, write_chart_files, write_robots
from explainer.ui import load_ui

log = logging.getLogger("explainer")
ROOT = Path(__file__).resolve().parent


def build(config_file: Path, site_dir: Path, site_url: str | None = None) -> dict[str, float]:
    """Build the whole site into site_dir, or raise BuildError and leave site_dir untouched."""
    timings: dict[str, float] = {}
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
    article = load_article(settings.article_path, settings.article_last_line)
    facts = load_facts(settings.facts_file, settings.codes, article)
    ui = load_ui(settings)
    pages = load_pages(settings)
    lap("load")

    # 2. Check every reference in every page before anything is written.
    chart_ids = charts.chart_ids()
    check_references(pages, list(facts), chart_ids)
    lap("check")

    # 3. Charts: each chart a page uses, once per language, static SVG and interactive spec together.
    used = used_charts(pages)
    rendered = {(chart_id, code): render_chart(chart_id, facts, code) for chart_id in used for code in settings.codes}
    lap("charts")

    # 4. Pages: one MkDocs build per language into staging (the first, at the root, empties
    #    it first), then the shared assets and chart files beside them.
    assets = prepare_assets(settings.root / "templates", settings.root / ".cache")
    staging = staging_dir(site_dir)
    try:
        shared_pages = frozenset(pages[settings.codes[0]])
        for lang in settings.languages:
            language_build = LanguageBuild(
                settings=settings,
                lang=lang,
                facts=facts,
                charts={chart_id: rendered[(chart_id, lang.code)] for chart_id in used},
                ui=ui[lang.code],
                assets={name: asset.path for name, asset in assets.items()},
                pages=shared_pages,
            )
            build_language(settings, language_build, staging)
        write_assets(assets, staging)
        write_chart_files(staging, rendered)
        write_robots(settings, staging)
        lap("pages")
        # 5. Publish: replace site/ only now that the whole build succeeded.
        publish(staging, site_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    lap("publish")
    return timings


def main(argv: list[str] | None = None) -> int:
    """Run the build from the command line; a user's mistake prints a message, not a traceback."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="the site's mkdocs.yml")
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site", help="where to write the site")
    parser.add_argument("--site-url", default=None, help="public address (overrides site_url in mkdocs.yml)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s - %(message)s")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        timings = build(args.config.resolve(), args.site_dir.resolve(), args.site_url)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("The previous site was left as it was.", file=sys.stderr)
        return 1
    total = sum(timings.values())
    log.info("Built %s in %.1f s (%s)", args.site_dir, total, ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
