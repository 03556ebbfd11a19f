"""Altair, imported on first use, with the site's theme registered then.

The build's own process reads the chart kit's layouts, labels and colours but draws nothing:
charts are drawn in worker processes (explainer/chart_pool.py). Importing Altair there cost
every build, even a no-op one, a third of a second, so the kit reaches Altair through this.
"""

from __future__ import annotations

import functools
import importlib
import types
from typing import Any, ClassVar


@functools.cache
def _altair() -> types.ModuleType:
    module = importlib.import_module("altair")
    from . import theme

    theme.register()
    index_schemas_once(importlib.import_module("altair.utils.schemapi"))
    return module


def index_schemas_once(schemapi: types.ModuleType) -> None:
    """Make Altair index its schema classes once per process, not on every `from_dict`.

    Each `alt.value(...)`, `alt.condition(...)` or dict handed to `encode()` goes through
    `from_dict`, which (Altair 6.3) rebuilds an index of some 600 schema classes by hashing each
    one's JSON: 5 ms a call, a third of the time Altair spends on our charts. The index depends
    only on the classes, so it is kept. The specs come out the same (tests/test_charts.py).
    """
    original = getattr(schemapi, "_FromDict", None)
    if original is None or getattr(original, "indexed_once", False):
        return  # another Altair (nothing to fix) or done already

    class IndexedOnce(original):  # type: ignore[misc,valid-type]
        indexed_once = True
        _indexes: ClassVar[dict[tuple[type, ...], Any]] = {}

        def __init__(self, wrapper_classes: Any, /) -> None:
            classes = tuple(wrapper_classes)
            if classes not in self._indexes:
                original.__init__(self, classes)
                self._indexes[classes] = self.class_dict
            self.class_dict = self._indexes[classes]

    schemapi._FromDict = IndexedOnce


class _LazyAltair(types.ModuleType):
    """Stands in for the `altair` module until an attribute is first read."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_altair(), name)


alt: Any = _LazyAltair("altair")
