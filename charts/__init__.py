"""The site's charts: one module per chart, each with `chart(facts, lang, layout) -> alt.Chart`.

A chart's id is its module name. Modules whose names start with `_`, `theme` and `kit` are helpers.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

HELPERS = {"theme", "kit"}


def chart_ids() -> list[str]:
    """List the ids of all charts, sorted."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_") and info.name not in HELPERS
    )


_loaded: dict[str, float] = {}


def _fresh(name: str) -> ModuleType:
    """Import a module, re-importing it if its file changed since (for the live preview)."""
    module = importlib.import_module(name)
    mtime = Path(module.__file__ or "").stat().st_mtime
    if _loaded.setdefault(name, mtime) != mtime:
        module = importlib.reload(module)
        _loaded[name] = mtime
    return module


def chart_file(chart_id: str) -> Path:
    """Where a chart's module lives (without importing it: it may not import)."""
    return Path(__path__[0]) / f"{chart_id}.py"


def load_chart(chart_id: str) -> ModuleType:
    """Import a chart module by id, picking up edits made since it was first imported."""
    _fresh(f"{__name__}.theme")
    _fresh(f"{__name__}.kit")
    return _fresh(f"{__name__}.{chart_id}")
