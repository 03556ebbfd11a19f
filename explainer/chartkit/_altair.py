"""Altair, imported on first use, with the site's theme registered then, and three of Altair's
private parts (a class, two functions) made faster for the one Altair they were written against.

The build's own process reads the chart kit's layouts, labels and colours but draws nothing:
charts are drawn in worker processes (explainer/draw/chart_pool.py). Importing Altair there cost
every build, even a no-op one, a third of a second, so the kit reaches Altair through this.

The patch replaces private code, which Altair may change in any release without a word. So it is
pinned: it is applied only to Altair `WRITTEN_FOR`, and only when the source of every private
function it replaces or relies on hashes as recorded in `SOURCES`; otherwise Altair runs its own
code (the same charts, about a second of CPU slower per cold build) and a warning says why,
once per process.
tests/test_altair_patch.py fails when the installed Altair differs, and checks that every chart
comes out byte for byte the same with and without the patch. Why no public way instead, with
the figures: docs/internals.md, "3. Charts".
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
import logging
import types
from typing import Any, ClassVar

log = logging.getLogger("explainer")

WRITTEN_FOR = "6.3.0"  # the Altair version whose private code the patch was read against
SCHEMAPI, API = "altair.utils.schemapi", "altair.vegalite.v6.api"
# sha256 of inspect.getsource() of each function the patch replaces, wraps or depends on, in that
# Altair: the replaced ones and every caller of them (tests/test_altair_patch.py finds the callers)
SOURCES = {
    f"{SCHEMAPI}:_FromDict.__init__": "fcf9260f4434ebfb",
    f"{SCHEMAPI}:_FromDict.hash_schema": "9634bc8582607cb4",
    f"{SCHEMAPI}:_FromDict.from_dict": "a14dd92febb53263",
    f"{SCHEMAPI}:SchemaBase.from_dict": "da99dae07ff33e6f",
    f"{API}:_combine_subchart_params": "59fe3fee9bd99cf8",
    f"{API}:_remove_duplicate_params": "e46b3e2a4b001a03",
    f"{API}:RepeatChart.__init__": "fabafca31e92823f",
    f"{API}:ConcatChart.__init__": "6c7cb9bebf8949c9",
    f"{API}:ConcatChart.__ior__": "0a214546ed32f19c",
    f"{API}:ConcatChart.add_params": "f9eea876bf75b454",
    f"{API}:HConcatChart.__init__": "df35082913848465",
    f"{API}:HConcatChart.__ior__": "235d26384e0247b0",
    f"{API}:HConcatChart.add_params": "ede47f41823c758b",
    f"{API}:VConcatChart.__init__": "cfb69a9a2a7db2f1",
    f"{API}:VConcatChart.__iand__": "37fe0db13ccaa586",
    f"{API}:VConcatChart.add_params": "90aff66542622ffb",
    f"{API}:LayerChart.__init__": "ded0fc2d3130ad2d",
    f"{API}:LayerChart.__iadd__": "aa404cefedd33227",
    f"{API}:FacetChart.__init__": "775017905990698f",
}


@functools.cache
def _altair() -> types.ModuleType:
    module = importlib.import_module("altair")
    from explainer.chartkit import theme

    theme.register(keep=True)  # inside a chart's first render: its language's fonts stay
    install(importlib.import_module(SCHEMAPI), importlib.import_module(API), module.__version__)
    return module


def install(schemapi: types.ModuleType, api: types.ModuleType, version: str) -> bool:
    """Patch Altair `version` if the patch was written for it; else warn (once per process: this
    runs at Altair's first use) and leave Altair's own code in place."""
    why_not = patch_refused(version)
    if why_not:
        log.warning("charts are drawn with Altair's own, slower code: %s", why_not)
        return False
    index_schemas_once(schemapi)
    compose_without_copies(api)
    return True


def source_digest(name: str) -> str | None:
    """Hash the source of `module:Class.function` (None when Altair no longer has it)."""
    module_name, _, path = name.partition(":")
    try:
        found: Any = importlib.import_module(module_name)
        for part in path.split("."):
            found = getattr(found, part)
        source = inspect.getsource(found)
    except (ImportError, AttributeError, OSError, TypeError):
        return None
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def changed_sources() -> list[str]:
    """The recorded functions whose source is no longer the one the patch was written against."""
    return [name for name, digest in SOURCES.items() if source_digest(name) != digest]


def patch_refused(version: str) -> str | None:
    """Say why the patch must not be applied to this Altair, or None when it may."""
    if version != WRITTEN_FOR:
        return f"the speed-up in explainer/chartkit/_altair.py was written for Altair {WRITTEN_FOR}, not {version}"
    changed = changed_sources()
    if changed:
        return f"Altair {version}'s private code differs from what explainer/chartkit/_altair.py expects: {', '.join(changed)}"
    return None


def index_schemas_once(schemapi: types.ModuleType) -> None:
    """Make Altair index its schema classes once per process, not on every `from_dict`.

    Each `alt.value(...)`, `alt.condition(...)` or dict handed to `encode()` goes through
    `from_dict`, which (Altair 6.3) rebuilds an index of some 600 schema classes by hashing each
    one's JSON: 5 ms a call, a third of the time Altair spends on our charts. The index depends
    only on the classes, so it is kept. The specs come out the same (tests/test_altair_patch.py).
    """
    original = schemapi._FromDict
    if getattr(original, "indexed_once", False):
        return  # done already

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
    own code. The specs come out the same (tests/test_altair_patch.py).
    """
    combine, dedupe = api._combine_subchart_params, api._remove_duplicate_params
    if getattr(combine, "copies_only_when_needed", False):
        return  # done already
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
