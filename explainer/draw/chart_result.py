"""Check what a chart module's `chart()` gives back before it is drawn: an Altair chart, of a
size a page can hold; refused at the chart's line otherwise.

Without this, a `chart()` that returns None or a dict fails later inside the renderer with a raw
`AttributeError` and no line, and a chart with two million rows of inline data runs out its time
limit in Altair and vl-convert and is blamed on "a loop that never ends".
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

from explainer.core.errors import ContentError, Problem, relative

# Rows of data a chart may draw: Altair's own limit for a DataFrame (its MaxRowsError). The spec
# with every row is published beside the SVG, whose every mark rides in the page.
MAX_ROWS = 5_000
_PARTS = ("layer", "hconcat", "vconcat", "concat", "spec")  # a compound chart's charts


def returning_charts(module: ModuleType, file: Path) -> Any:
    """The chart module as the renderer calls it: its `chart()` checked on every call (a module
    without one is left as it is, for the renderer to say so)."""
    if not callable(getattr(module, "chart", None)):
        return module
    return SimpleNamespace(chart=_CheckedChart(module.chart, file), __file__=module.__file__)


class _CheckedChart:
    """A chart module's `chart` function whose result is checked (it keeps the function's code,
    for the line of a later message)."""

    def __init__(self, function: Callable[..., Any], file: Path) -> None:
        self.function, self.file = function, file

    @property
    def __code__(self) -> Any:
        return getattr(self.function, "__code__", None)

    def __call__(self, *args: Any) -> Any:
        result = self.function(*args)
        import altair as alt  # in the chart workers only (explainer/chartkit/_altair.py)

        if not isinstance(result, alt.TopLevelMixin):
            shown = "None" if result is None else f"{type(result).__module__}.{type(result).__qualname__}"
            shown = shown.removeprefix("builtins.")
            message = f"chart() must return an Altair chart (alt.Chart, alt.LayerChart, ...), got {shown}"
            raise ContentError([Problem(relative(self.file), self._line(), message)])
        rows = sum(_count(data) for data in _datasets(result, set()))
        if rows > MAX_ROWS:
            message = (
                f"the chart plots {rows:,} rows of data; a chart may draw at most {MAX_ROWS:,} (every row is "
                "published in its spec, and every mark in the page): aggregate them first"
            )
            raise ContentError([Problem(relative(self.file), self._line(), message)])
        return result

    def _line(self) -> int | None:
        """Its only `return` with a value, else its `def` line."""
        try:
            lines, first = inspect.getsourcelines(self.function)
            function = ast.parse(textwrap.dedent("".join(lines))).body[0]
        except (OSError, TypeError, SyntaxError, IndexError):
            return getattr(self.__code__, "co_firstlineno", None)
        returns = [
            node
            for node in ast.walk(function)
            if isinstance(node, ast.Return) and node.value is not None and _owner(function, node) is function
        ]
        return first + (returns[0] if len(returns) == 1 else function).lineno - 1


def _owner(function: ast.AST, target: ast.AST) -> ast.AST | None:
    """The innermost function or lambda that holds `target` (a nested function's return is its own)."""
    owner = None
    for node in ast.walk(function):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and any(
            child is target for child in ast.walk(node)
        ):
            owner = node  # ast.walk goes outside in: the last match is the innermost
    return owner


def _datasets(chart: Any, seen: set[int]) -> Iterator[Any]:
    """Each data object a chart and its parts (layers, panels, lookups) hold, once each."""
    import altair as alt

    data = getattr(chart, "data", alt.Undefined)
    if data is not alt.Undefined and id(data) not in seen:
        seen.add(id(data))
        yield data
    for name in _PARTS:
        parts = getattr(chart, name, alt.Undefined)
        for part in parts if isinstance(parts, list) else [parts]:
            if isinstance(part, alt.SchemaBase):
                yield from _datasets(part, seen)
    transforms = getattr(chart, "transform", alt.Undefined)
    for transform in transforms if isinstance(transforms, list) else ():
        lookup = getattr(transform, "from", None) if isinstance(transform, alt.SchemaBase) else None
        if isinstance(lookup, alt.SchemaBase):
            yield from _datasets(lookup, seen)


def _count(data: Any) -> int:
    """The rows of one data object: inline values, a DataFrame, a dict with values."""
    values = data.get("values") if isinstance(data, dict) else getattr(data, "values", None)
    if hasattr(data, "columns") and hasattr(data, "__len__"):  # a DataFrame (its .values is an array)
        return len(data)
    return len(values) if isinstance(values, (list, tuple)) else 0
