"""A project's charts folder: which charts it holds, where each one's code is, and importing it.

The folder is named by the project's settings (`extra.folders.charts`), never by the engine's own
path. It is imported as a package of its own, under a name made from its path, so two projects
built in one process never share modules, and a chart's relative imports (`from . import _theme`)
find its own helpers.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

HELPER_PREFIX = "_"  # modules whose names start with it are helpers, not charts

_loaded: dict[str, float] = {}  # module name -> the file's mtime when it was imported


@dataclass(frozen=True)
class ChartFolder:
    """The charts of one project (picklable: the chart workers are handed it)."""

    path: Path

    @property
    def package(self) -> str:
        """The package name the folder is imported under (its path hashed: unique per project)."""
        return "_explainer_charts_" + hashlib.sha256(str(self.path.resolve()).encode()).hexdigest()[:12]

    def ids(self) -> list[str]:
        """The ids of all charts (module names that are not helpers), sorted."""
        try:
            names = os.listdir(self.path)
        except OSError:
            return []
        return sorted(
            name[:-3]
            for name in names
            if name.endswith(".py") and not name.startswith(HELPER_PREFIX) and name[:-3].isidentifier()
        )

    def file(self, chart_id: str) -> Path:
        """Where a chart's module lives (without importing it: it may not import)."""
        return self.path / f"{chart_id}.py"

    def helpers(self) -> list[Path]:
        """The folder's helper modules (`_theme.py` and the like), sorted."""
        return sorted(p for p in self.path.glob(f"{HELPER_PREFIX}*.py") if p.name != "__init__.py")

    def load(self, chart_id: str) -> ModuleType:
        """Import a chart module by id, picking up edits made since it was first imported (the
        live preview), its helpers too."""
        self._package()
        for helper in self.helpers():
            _fresh(f"{self.package}.{helper.stem}")
        return _fresh(f"{self.package}.{chart_id}")

    def _package(self) -> ModuleType:
        """The folder as a package in sys.modules (with or without an __init__.py)."""
        module = sys.modules.get(self.package)
        if module is not None:
            return module
        init = self.path / "__init__.py"
        if init.is_file():
            spec = importlib.util.spec_from_file_location(
                self.package, init, submodule_search_locations=[str(self.path)]
            )
        else:  # a folder of modules alone: a package with no code of its own
            spec = importlib.machinery.ModuleSpec(self.package, None, is_package=True)
            spec.submodule_search_locations = [str(self.path)]
        if spec is None:  # pragma: no cover (a file always gives a spec)
            msg = f"cannot import the charts folder {self.path}"
            raise ImportError(msg)
        module = importlib.util.module_from_spec(spec)
        sys.modules[self.package] = module
        if spec.loader is not None:
            spec.loader.exec_module(module)
        return module


def _fresh(name: str) -> ModuleType:
    """Import a module, re-importing it if its file changed since (for the live preview)."""
    module = importlib.import_module(name)
    mtime = Path(module.__file__ or "").stat().st_mtime
    if _loaded.setdefault(name, mtime) != mtime:
        module = importlib.reload(module)
        _loaded[name] = mtime
    return module
