"""Write files so that nothing half-written is ever seen."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write a cache file so that a reader never sees it half-written (temp file, then rename).

    A file already there is removed first: renaming over it makes ext4 write the new file's data
    to disk at once (its auto_da_alloc guard for programs that do not fsync), and waiting for that
    was up to 50 ms of a text edit's rebuild (the passed-checks and site-parts records are replaced on each). A
    reader in between finds no file, which every cache takes as a miss."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_bytes(data)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    os.replace(temp, path)


def place(target: Path, data: bytes) -> None:
    """Write bytes to target, making its folder: a file of its own, never a link to a cached one
    (a write to one would change the other; explainer/core/store.py verifies what it hands out)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def listing(folder: Path) -> set[str]:
    """Every file under folder, as paths relative to it."""
    found: set[str] = set()
    for current, _, names in os.walk(folder):  # strings, not Paths: a part has hundreds of files
        base = os.path.relpath(current, folder)
        prefix = "" if base == "." else base + os.sep
        found.update(prefix + name for name in names)
    return found
