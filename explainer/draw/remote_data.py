"""Refuse a chart whose spec would load anything from a URL, at the chart's line.

A chart's specs are published as they are: a `data.url`, an image mark or a lookup from a URL
would be fetched by every reader's browser (and by pages embedding the chart on other sites), and
by vl-convert at build time. vl-convert resolves a relative URL against vega-datasets' host, so no
URL in a spec is a file of this site at build time: a chart's data goes inline (`kit.data`,
`alt.Data(values=...)`). vl-convert is also given an empty allow-list (`NO_URLS`, set once per
process by explainer/draw/converter.py), so it never fetches, and the chart workers run with the
network denied (explainer/draw/confine.py).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from explainer.core.errors import ContentError, Problem, relative

NO_URLS: list[str] = []  # vl-convert's allowed_base_urls: none (its default allows every http(s) URL)
# subtrees that hold rows or notes, never read as URLs by Vega: a row's "url" column is only data
_NOT_LOADED = frozenset({"values", "datasets", "usermeta"})
# names in chart code that make a spec load from a URL, when the URL itself is not in the code
_URL_CALLS = ("UrlData", "topo_feature", "mark_image", "Url", "LookupData")


def url_fields(spec: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    """Every `url` in a Vega-Lite or Vega spec (data, image marks, lookups, signals), with where
    it is (`layer[1].data.url`); rows and usermeta are not looked into."""
    return fields(spec, "url", where)


def fields(spec: Any, name: str, where: str = "") -> Iterator[tuple[str, Any]]:
    """Every value under the key `name` in a spec, with where it is; rows and usermeta are not
    looked into."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            path = f"{where}.{key}" if where else str(key)
            if key == name:
                yield path, value
            elif key not in _NOT_LOADED:
                yield from fields(value, name, path)
    elif isinstance(spec, list):
        for index, value in enumerate(spec):
            yield from fields(value, name, f"{where}[{index}]")


def refuse_remote_data(vega_lite: dict[str, Any], vega: dict[str, Any], source: str) -> None:
    """Raise a ContentError at the chart's line if either spec (both are published) loads a URL."""
    found = next(url_fields(vega_lite), None) or next(url_fields(vega), None)
    if found is None:
        return
    where, value = found
    shown = repr(value) if isinstance(value, str) else "a value drawn from the data or a signal"
    kind = "data" if where.endswith("data.url") or ".data[" in where or where.startswith("data[") else "an image"
    message = (
        f"the chart loads {kind} from a URL ({shown}, at {where}): every reader's browser would fetch it; "
        "put the data in the chart (kit.data, alt.Data(values=...)) and draw no images from URLs"
    )
    file, line = url_line(Path(source), value if isinstance(value, str) else None)
    raise ContentError([Problem(relative(file), line, message)])


def refuse_links(vega_lite: dict[str, Any], source: str) -> None:
    """Raise a ContentError at the chart's line if its marks link anywhere (Vega's `href`): the
    static drawing cannot carry them (vl-convert fails on one), and a link drawn from the data
    could run code in readers' pages (`javascript:`), which a page's own text may not."""
    found = next((where for where, _ in fields(vega_lite, "href")), None)
    if found is None:
        return
    message = (
        f"the chart's marks link somewhere (href, at {found}): a chart draws no links; "
        "put links in the page's text, next to the chart"
    )
    file, line = url_line(Path(source), None)
    raise ContentError([Problem(relative(file), line, message)])


def url_line(chart_file: Path, url: str | None) -> tuple[Path, int | None]:
    """Where the chart's code names the URL (or, failing that, makes a spec load one): in the
    chart's own file, then in the helpers beside it; else the chart's `def chart` line."""
    files = [chart_file, *sorted(chart_file.parent.glob("_*.py"))]
    trees = [(file, _parsed(file)) for file in files]
    for find in (_url_constant, _url_call):
        for file, tree in trees:
            line = find(tree, url) if tree is not None else None
            if line is not None:
                return file, line
    return chart_file, _def_line(trees[0][1])


def _parsed(file: Path) -> ast.Module | None:
    try:
        return ast.parse(file.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None


def _url_constant(tree: ast.Module, url: str | None) -> int | None:
    """The line of the longest string constant that is the URL or a part of it (an f-string's)."""
    if not url:
        return None
    parts = [
        (len(node.value), node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) >= 5
        if node.value in url
    ]
    return max(parts)[1] if parts else None


def _url_call(tree: ast.Module, url: str | None) -> int | None:
    """The first line that passes `url=`, or calls a function that loads from a URL."""
    lines = [node.value.lineno for node in ast.walk(tree) if isinstance(node, ast.keyword) and node.arg == "url"]
    lines += [node.lineno for node in ast.walk(tree) if _names_url_call(node)]
    return min(lines) if lines else None


def _names_url_call(node: ast.AST) -> bool:
    """Whether a node names a call that loads from a URL, or the image mark (mark="image")."""
    if isinstance(node, ast.Attribute):
        return node.attr in _URL_CALLS
    if isinstance(node, ast.Name):
        return node.id in _URL_CALLS
    return isinstance(node, ast.Constant) and node.value == "image"


def _def_line(tree: ast.Module | None) -> int | None:
    """The line of the module's `def chart`, if it has one."""
    for node in tree.body if tree is not None else ():
        if isinstance(node, ast.FunctionDef) and node.name == "chart":
            return node.lineno
    return None
