"""Altair, imported on first use, with the site's theme registered then.

The build's own process reads the chart kit's layouts, labels and colours but draws nothing:
charts are drawn in worker processes (explainer/draw/chart_pool.py). Importing Altair there cost
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
    from explainer.chartkit import theme

    theme.register(keep=True)  # inside a chart's first render: its language's fonts stay
    index_schemas_once(importlib.import_module("altair.utils.schemapi"))
    compose_without_copies(importlib.import_module("altair.vegalite.v6.api"))
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


def compose_without_copies(api: types.ModuleType) -> None:
    """Let Altair layer and concatenate charts without parameters without deep-copying them.

    Every LayerChart or ConcatChart Altair makes (by `alt.layer`, and again by each `.properties`,
    `.resolve_scale` and `to_dict`, which copy the chart through its constructor) deep-copies all
    of its sub-charts, so that it may rename them and lift their selection parameters. Our charts
    have no parameters, so nothing is renamed or lifted, but the copies were 60% of Altair's time
    on our charts (Altair 6.3). Here a composition whose parts have no parameters (and, in a
    concatenation, no named layers) keeps its parts as they are; any other goes through Altair's
    own code. The specs come out the same (tests/test_charts.py).
    """
    combine, dedupe = getattr(api, "_combine_subchart_params", None), getattr(api, "_remove_duplicate_params", None)
    if combine is None or dedupe is None or getattr(combine, "copies_only_when_needed", False):
        return  # another Altair (nothing to fix) or done already
    undefined = api.Undefined

    def plain(chart: Any, *, concat: bool) -> bool:
        """A part with no parameters to lift and, in a concatenation, no layer to rename."""
        if getattr(chart, "params", undefined) is not undefined:
            return False
        layers = getattr(chart, "layer", undefined) if concat else undefined
        return layers is undefined or all(getattr(each, "name", undefined) is undefined for each in layers)

    @functools.wraps(combine)
    def combine_subchart_params(params: Any, subcharts: list[Any]) -> tuple[Any, list[Any]]:
        concat = len(subcharts) > 1
        if (params is undefined or not params) and all(plain(each, concat=concat) for each in subcharts):
            return undefined, list(subcharts)
        return combine(params, subcharts)

    @functools.wraps(dedupe)
    def remove_duplicate_params(layer: list[Any]) -> list[Any]:
        if all(getattr(each, "params", undefined) is undefined for each in layer):
            return list(layer)
        return dedupe(layer)

    combine_subchart_params.copies_only_when_needed = True  # type: ignore[attr-defined]
    api._combine_subchart_params = combine_subchart_params
    api._remove_duplicate_params = remove_duplicate_params


class _LazyAltair(types.ModuleType):
    """Stands in for the `altair` module until an attribute is first read."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_altair(), name)


alt: Any = _LazyAltair("altair")
