"""Stage 3, draw: each chart a page shows, once per language, as static SVG and interactive spec
together; reused from the chart cache when nothing it depends on changed.

Drawing begins before the editorial checks (begin_drawing: the cache is read, and the chart
workers start if a chart is missing, so they are ready by the time the checks are done) and
finishes after them (finish_drawing), so a cold build does not wait for the workers' start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from explainer.check.editorial import Checked
from explainer.check.guards import check_chart_hedges
from explainer.check.term_notes import chart_texts, check_term_notes
from explainer.core.errors import ContentError, Problems
from explainer.draw.chart_cache import ChartCache, chart_stores
from explainer.draw.chart_fonts import ProjectFont
from explainer.draw.render import RenderedChart
from explainer.load.project import Project

if TYPE_CHECKING:
    from explainer.draw.chart_pool import ChartWorkers

Job = tuple[str, str]  # (chart id, language code)


@dataclass(frozen=True)
class Drawing:
    """Drawing under way: the charts the cache still held, the cache and the charts' font."""

    project: Project
    cache: ChartCache
    font: ProjectFont  # a small copy of the CJK font (made once per set of characters)
    found: dict[Job, RenderedChart]

    @property
    def jobs(self) -> list[Job]:
        return [(chart_id, code) for chart_id in self.project.used for code in self.project.settings.codes]


@dataclass(frozen=True)
class Drawn:
    """A checked project with every chart it shows drawn in every language."""

    checked: Checked
    charts: dict[Job, RenderedChart]
    font: ProjectFont
    rendered: list[Job]  # drawn by this build
    reused: list[Job]  # taken from the cache

    @property
    def project(self) -> Project:
        return self.checked.project


def workers() -> ChartWorkers:
    """The chart worker pool, imported only when a chart or PNG is missing (multiprocessing and
    the pool's imports are not needed by a rebuild that renders nothing)."""
    from explainer.draw.chart_pool import WORKERS

    return WORKERS


def begin_drawing(project: Project) -> Drawing:
    """Every chart in every language that the cache still holds; when some are missing, the chart
    workers start now, and the font they draw with is made meanwhile, if new."""
    settings = project.settings
    renders, imports = chart_stores(project.stores)
    cache = ChartCache(renders, project.charts, imports)
    font = ProjectFont(settings.content_dir, settings.charts_dir, project.cache_dir, settings.config_file)
    drawing = Drawing(project, cache, font, {})
    for chart_id, code in drawing.jobs:
        if (chart := cache.lookup(chart_id, project.facts, code)) is not None:
            drawing.found[(chart_id, code)] = chart
    if len(drawing.found) < len(drawing.jobs):
        workers().start(project.charts, len(drawing.jobs) - len(drawing.found))
        font.get()
    return drawing


def finish_drawing(
    drawing: Drawing, checked: Checked, meanwhile: Callable[[RenderedChart], object] | None = None
) -> Drawn:
    """Render what the cache did not hold, in worker processes, each under a time limit
    (`meanwhile` is called with each new chart while the others render); report every chart that
    fails at once, then every chart whose text states a figure without its hedge."""
    project, cache = drawing.project, drawing.cache
    charts = dict(drawing.found)
    missing = [job for job in drawing.jobs if job not in charts]
    if missing:
        text_font = drawing.font.get()
        timeout = project.settings.chart_timeout
        results = workers().render(project.charts, missing, project.facts, timeout, meanwhile, text_font)
    else:
        results = {}
    problems = Problems()
    for job in drawing.jobs:
        result = results.get(job)
        if isinstance(result, ContentError):
            problems.found.extend(p for p in result.problems if p not in problems.found)
        elif result is not None:
            cache.store(result, project.facts)
            charts[job] = result
    problems.raise_any()
    problems.found = check_chart_hedges(charts.values(), project.facts, project.settings.charts_dir)
    # the glossary guard again, with what the charts draw: a chart that uses a term before its note
    texts = chart_texts(charts.values())
    problems.found += check_term_notes(project.pages, project.facts, project.claims, project.glossary, texts)
    problems.raise_any()
    return Drawn(checked, charts, drawing.font, cache.rendered, cache.reused)
