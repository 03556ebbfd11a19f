"""Write files so that nothing half-written is ever seen, and reuse cached files without copying."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write a cache file so that a reader never sees it half-written (temp file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


def place(target: Path, data: bytes | None = None, source: Path | None = None) -> None:
    """Write bytes to target, or hard-link an unchanged cached file there (no copy), else copy it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source is None:
        target.write_bytes(data or b"")
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
