"""What every writer of the files all languages share reads, gathered once by the write stage."""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2

from explainer.draw.exports import ImageCache
from explainer.draw.render import RenderedChart
from explainer.load.corrections import Correction, Corrections
from explainer.load.facts import FactBook
from explainer.load.settings import Settings
from explainer.write.corrections import chart_corrections


@dataclass(frozen=True)
class SiteContent:
    """The settings, facts and words, every chart drawn in every language, the theme, and where
    each chart first appears: the embed pages, bundles, script embeds and downloads read these."""

    settings: Settings
    facts: FactBook
    ui: dict[str, dict[str, str]]  # language code -> interface strings
    charts: dict[tuple[str, str], RenderedChart]  # (chart id, language code) -> the chart
    theme: jinja2.Environment  # the theme's partials
    assets: dict[str, str]  # asset name -> its path in the site (fingerprinted)
    chart_pages: dict[str, dict[str, str]]  # language code -> chart id -> the page it first appears on
    images: ImageCache  # PNG downloads and share cards
    corrections: Corrections = field(default_factory=Corrections)  # the log: notices in embeds and downloads

    def chart_corrections(self, chart: RenderedChart) -> list[Correction]:
        """The corrections of a chart, or of a figure it plots: its embeds and downloads carry them."""
        plotted = [row["fact"] for row in chart.rows if "fact" in row]
        return chart_corrections(self.corrections, chart.chart_id, plotted, chart.lang)
