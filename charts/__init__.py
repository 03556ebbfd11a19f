"""The site's charts: one module per chart, each with `chart(facts, lang) -> alt.Chart`.

A chart's id is its module name. Modules whose names start with `_` and `theme` are helpers.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

HELPERS = {"theme"}


def chart_ids() -> list[str]:
    """List the ids of all charts, sorted."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_") and info.name not in HELPERS
    )


def load_chart(chart_id: str) -> ModuleType:
    """Import a chart module by id."""
    return importlib.import_module(f"{__name__}.{chart_id}")
