"""A chart's own words in every language: a chart module's `TEXT` table (`{lang: {key: words}}`)
is read without running it, so a language or a key missing from it is named at its line with
every other missing translation, not found later as a KeyError when that language is drawn."""

from __future__ import annotations

import ast
from pathlib import Path

from explainer.core.errors import Problem, Untranslated, relative
from explainer.load.chart_folder import ChartFolder

TABLE = "TEXT"  # the name the engine's scaffold and charts give a chart's words


def chart_text_problems(folder: ChartFolder, codes: list[str]) -> list[Problem]:
    """One problem per language a chart's TEXT lacks, and per key one language has and another lacks."""
    problems: list[Problem] = []
    for chart_id in folder.ids():
        path = folder.file(chart_id)
        table = _table(path)
        if table is not None:
            problems.extend(_table_problems(relative(path), table, codes))
    return problems


def _table(path: Path) -> ast.Dict | None:
    """The module's top-level `TEXT = {...}`, if it has one written out (a module that cannot be read
    or parsed is reported when the chart loads)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        if any(isinstance(t, ast.Name) and t.id == TABLE for t in targets) and isinstance(node.value, ast.Dict):
            return node.value
    return None


def _keys(table: ast.Dict) -> dict[str, tuple[ast.expr, int]]:
    """A literal dict's text keys, each with its value and line."""
    return {
        key.value: (value, key.lineno)
        for key, value in zip(table.keys, table.values, strict=True)
        if isinstance(key, ast.Constant) and isinstance(key.value, str)
    }


def _table_problems(shown: str, table: ast.Dict, codes: list[str]) -> list[Problem]:
    """What the TEXT table of one chart lacks: a language of the site, or a key another language has."""
    languages = _keys(table)
    problems: list[Problem] = []
    for code in codes:
        if code not in languages:
            message = f"{TABLE}: missing the '{code}' words; add `\"{code}\": {{...}}` with every key the others have"
            problems.append(Untranslated(shown, table.lineno, message))
    words = {
        code: _keys(value) for code, (value, _) in languages.items() if code in codes and isinstance(value, ast.Dict)
    }
    for code, keys in words.items():
        missing: dict[str, str] = {}  # key -> the first language that has it
        for other, other_keys in words.items():
            for key in other_keys:
                if key not in keys:
                    missing.setdefault(key, other)
        for key, other in missing.items():
            message = f"{TABLE}['{code}']: missing '{key}' ({TABLE}['{other}'] has it); add `\"{key}\": ...`"
            problems.append(Untranslated(shown, languages[code][1], message))
    return problems
