"""Fingerprints: what a cache key is made of (hashes of inputs, files and folders, and the
versions of our code's libraries), in one place for every cache."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import sysconfig
from pathlib import Path


def digest(*parts: str | bytes) -> str:
    """A hash of several inputs, each kept apart from the next (no two splits hash alike)."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hashed.update(str(len(data)).encode() + b":" + data)
    return hashed.hexdigest()


def tree_digest(*roots: Path, skip: frozenset[Path] = frozenset()) -> str:
    """One hash of every file under the given folders (or of the given files), names included,
    but those in `skip` (files or folders)."""
    digest = hashlib.sha256()
    skipped = {str(path) for path in skip}  # paths as strings: a language's 400 pages made 800 Paths
    for root in roots:
        if root.is_file():
            files = [str(root)]
        else:
            files = []
            for folder, dirs, names in os.walk(root):  # os.walk joins names to str(root), as Path would
                dirs[:] = sorted(d for d in dirs if d != "__pycache__" and os.path.join(folder, d) not in skipped)
                files.extend(
                    path
                    for path in (os.path.join(folder, name) for name in sorted(names) if not name.endswith(".pyc"))
                    if path not in skipped
                )
        for path in files:
            digest.update(path.encode() + b"\0")
            try:
                with open(path, "rb") as file:
                    digest.update(file.read())
            except OSError:
                digest.update(b"\0unreadable")
            digest.update(b"\0")
    return digest.hexdigest()


def _installed() -> list[str]:
    """The .dist-info folders of the installed packages (name-version.dist-info)."""
    purelib = Path(sysconfig.get_paths()["purelib"])
    try:
        return sorted(name for name in os.listdir(purelib) if name.endswith(".dist-info"))
    except OSError:
        return []


def library_versions() -> str:
    """The installed packages and Python itself: a new MkDocs or Markdown may write other bytes."""
    return json.dumps([sys.version, _installed()])


def installed_version(name: str) -> str:
    """A package's version, read from its .dist-info folder's name: importlib.metadata.version reads
    the metadata of every installed package to find it (2 ms a call, several a rebuild)."""
    wanted = re.sub(r"[-_.]+", "_", name).lower()
    for folder in _installed():
        package, _, version = folder.removesuffix(".dist-info").partition("-")
        if package.lower() == wanted and version:
            return version
    from importlib.metadata import version as metadata_version  # installed some other way

    return metadata_version(name)


def vl_convert_version() -> str:
    """vl-convert's version, for the keys of what it made (charts, PNGs, the Vega runtime): read
    without importing it, since loading its 88 MB library cost every rebuild ~3 ms that renders
    nothing."""
    return installed_version("vl-convert-python")
