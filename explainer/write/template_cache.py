"""Keep compiled Jinja templates on disk between builds, beside the chart cache.

Compiling the theme's and the figures' templates cost every command-line build about a tenth of
its time (the live preview keeps them in memory already, explainer/write/figures.py). Jinja checks each
entry against its template's source and the Python version, so an edited template recompiles.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from pathlib import Path

from explainer.core.files import write_atomically
from explainer.write.figures import COMPILED_TEMPLATES


class CompiledOnDisk(MutableMapping[str, bytes]):
    """Compiled templates by Jinja's key: in memory, then in folder/<key>.bc."""

    def __init__(self, folder: Path, memory: MutableMapping[str, bytes]) -> None:
        self.folder = folder
        self.memory = memory

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.bc"

    def __getitem__(self, key: str) -> bytes:
        if key not in self.memory:
            try:
                self.memory[key] = self._file(key).read_bytes()
            except OSError as exc:
                raise KeyError(key) from exc
        return self.memory[key]

    def __contains__(self, key: object) -> bool:
        try:
            self[str(key)]
        except KeyError:
            return False
        return True

    def __setitem__(self, key: str, value: bytes) -> None:
        self.memory[key] = value
        write_atomically(self._file(key), value)

    def __delitem__(self, key: str) -> None:
        self.memory.pop(key, None)
        self._file(key).unlink(missing_ok=True)

    def __iter__(self) -> Iterator[str]:
        return iter(self.memory)

    def __len__(self) -> int:
        return len(self.memory)


def keep_compiled_templates_in(folder: Path) -> None:
    """Back the process's compiled templates by folder (the build's .cache/templates)."""
    compiled = COMPILED_TEMPLATES.compiled
    memory = compiled.memory if isinstance(compiled, CompiledOnDisk) else compiled
    COMPILED_TEMPLATES.compiled = CompiledOnDisk(folder, memory)  # type: ignore[assignment]
