"""Build a project into a site: load -> check -> draw -> write -> publish.

`build()` is the engine's one entry for a build; the command line (explainer/cli.py), the live
preview and the tests call it. Each stage is a subpackage that takes the object the one before
it gathered and returns the next (docs/internals.md). Every location comes from the project's
settings (mkdocs.yml and its `extra.folders`), never from this package's own path.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from explainer.check.editorial import check_project
from explainer.core.buildlock import build_lock
from explainer.core.store import Stores
from explainer.draw.drawing import begin_drawing, finish_drawing
from explainer.draw.render import RenderedChart
from explainer.load.project import load_project
from explainer.load.settings import cache_folder
from explainer.publish.publish import publish_site
from explainer.write.citations import Citations, citation, citation_store
from explainer.write.figures import partials_env
from explainer.write.site_writer import Theme, write_site
from explainer.write.template_cache import CompiledTemplates, template_store
from explainer.write.template_errors import template_errors


@dataclass
class BuildReport:
    """What a build did: seconds per stage, and which charts it rendered or reused."""

    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the build could not do, said once
    rendered: list[tuple[str, str]] = field(default_factory=list)
    reused: list[tuple[str, str]] = field(default_factory=list)
    pages_converted: int = 0  # pages whose Markdown was converted (explainer/write/page_cache.py)
    pages_kept: int = 0  # pages whose conversion was taken from an earlier build
    pages_written: int = 0  # pages rendered and written; the others were linked from the published site


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
    started = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal started
        now = time.perf_counter()
        report.timings[stage] = now - started
        started = now

    # every cache of the build, verified on read, bounded (explainer/core/store.py)
    stores = Stores(cache_dir or cache_folder(config_file), cache_from)
    templates = CompiledTemplates(template_store(stores))  # what rarely changes, kept between builds
    citations = Citations(citation_store(stores))
    project = load_project(config_file, stores, site_url, article)
    report.notes.extend(project.notes)
    lap("load")
    drawing = begin_drawing(project)  # the chart workers warm up while the guards run
    theme = partials_env(project.settings.theme_dirs, templates)
    with template_errors(project.settings.theme_dirs):  # the hedge guard renders the fact tables
        checked = check_project(project, theme)
    report.notes.extend(checked.notes)
    lap("check")
    settings, ui = project.settings, project.ui

    def cite(chart: RenderedChart) -> None:  # its citations (page, downloads) made while the others render
        for on_page in (True, False):
            citation(settings, settings.language(chart.lang), chart, ui[chart.lang]["chart_medium"], citations, on_page)

    drawn = finish_drawing(drawing, checked, meanwhile=cite)
    report.rendered, report.reused = drawn.rendered, drawn.reused
    lap("charts")
    staged = write_site(drawn, site_dir, Theme(theme, templates, citations))
    report.pages_converted, report.pages_kept = staged.pages_converted, staged.pages_kept
    report.pages_written = staged.pages_written
    lap("pages")
    publish_site(staged, site_dir, preview, record_quotes)
    lap("publish")
    return report
