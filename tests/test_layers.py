"""The engine's layers hold (pyproject's [tool.importlinter]): `make check` runs lint-imports, and
a lower layer importing a higher one, or two modules importing each other, fails it."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(project: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on a copy of the engine: it imports the package from the working folder."""
    return subprocess.run(
        [str(LINT), "--no-cache", "--no-logo", str(project / "pyproject.toml")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def engine_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "explainer", tmp_path / "explainer", ignore=shutil.ignore_patterns("__pycache__", "theme"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def add_import(module: Path, line: str) -> None:
    module.write_text(module.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_engine_keeps_its_layers_and_has_no_circles(engine_copy: Path) -> None:
    result = lint(engine_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_a_lower_layer_importing_a_higher_one_fails(engine_copy: Path) -> None:
    add_import(engine_copy / "explainer/core/files.py", "from explainer.write import site  # noqa")
    result = lint(engine_copy)
    assert result.returncode != 0
    assert "explainer.core.files -> explainer.write.site" in result.stdout


def test_an_import_circle_inside_a_stage_fails(engine_copy: Path) -> None:
    # quotes is below facts' own imports in load: facts imports quotes, now quotes imports facts
    add_import(engine_copy / "explainer/load/quotes.py", "from explainer.load import facts  # noqa")
    result = lint(engine_copy)
    assert result.returncode != 0
    assert "No import circles, inside any package BROKEN" in result.stdout


def test_a_module_without_a_layer_fails(engine_copy: Path) -> None:
    (engine_copy / "explainer/helpers.py").write_text('"""Somewhere outside the pipeline."""\n', encoding="utf-8")
    result = lint(engine_copy)
    assert result.returncode != 0
    assert "explainer.helpers" in result.stdout


def test_only_the_adapter_imports_mkdocs() -> None:
    """A move to a MkDocs 1.x-compatible engine changes explainer/core/mkdocs_adapter.py only."""
    importers = set()
    for module in (ROOT / "explainer").rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            if any(name == "mkdocs" or name.startswith("mkdocs.") for name in names):
                importers.add(module.relative_to(ROOT).as_posix())
    assert importers == {"explainer/core/mkdocs_adapter.py"}
