"""Altair, imported on first use, with the site's theme registered then.

The build's own process reads the chart kit's layouts, labels and colours but draws nothing:
charts are drawn in worker processes (explainer/chart_pool.py). Importing Altair there cost
every build, even a no-op one, a third of a second, so the kit reaches Altair through this.
"""

from __future__ import annotations

import functools
import importlib
import types
from typing import Any


@functools.cache
def _altair() -> types.ModuleType:
    module = importlib.import_module("altair")
    from . import theme

    theme.register()
    return module


class _LazyAltair(types.ModuleType):
    """Stands in for the `altair` module until an attribute is first read."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_altair(), name)


alt: Any = _LazyAltair("altair")
