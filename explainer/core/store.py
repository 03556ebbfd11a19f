"""The one cache shape: a folder of entries, each verified on read, written atomically, pruned to a bound.

Every cache of the build (docs/caches.md tables them) keeps its entries through a `Store`. An
entry's file starts with a hash of the store's name, the entry's key and its payload: a file cut
short, overwritten with other bytes, or copied over another key's entry fails that check and is
a miss (made again), with one warning per build and store. Entries are written to a temporary
file in the same folder and renamed into place, so a reader never sees one half-written. Each
store has a bound (entries, and bytes when given): once a build has written to it, the entries
it did not use are removed, least recently used first, until the bound holds. There is no
module state: the build creates its stores (`Stores`) and hands each to the code that uses it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import marshal
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explainer.core.files import write_atomically
from explainer.core.fingerprint import digest

log = logging.getLogger("explainer")

MAGIC = b"explainer-entry-1 "  # then the 64 hex digits of the entry's hash and a newline
_HEADER = len(MAGIC) + 65
_LABEL = re.compile(r"[^A-Za-z0-9_.-]")
_ENTRY_NAME = re.compile(r"([A-Za-z0-9_.-]+\.)?[0-9a-f]{32}")  # what _file_name makes; anything else goes


@dataclass(frozen=True)
class Codec:
    """How a store turns its values into bytes and back (its payload format)."""

    name: str
    encode: Callable[[Any], bytes]
    decode: Callable[[bytes], Any]


def _json_bytes(value: Any) -> bytes:
    """JSON as UTF-8, its mappings in the order given (a reader may depend on it)."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


BYTES = Codec("bytes", bytes, bytes)  # files as they are placed (PNGs, .gz, .br, scripts)
JSON = Codec("json", _json_bytes, json.loads)  # records a person may want to read
MARSHAL = Codec("marshal", marshal.dumps, marshal.loads)  # large plain data read on every build


class Store:
    """Entries by key in one folder: `get` returns a verified value or None, `put` keeps one.

    `entries` (and `max_bytes`, when given) bound the folder: `prune` keeps what this build used
    and then the most recently used others within the bound. `label` in `put`/`get` gives entries
    a readable prefix, so that `discard_label` can remove the older versions of one item."""

    def __init__(
        self,
        folder: Path,
        name: str,
        codec: Codec = BYTES,
        entries: int = 256,
        max_bytes: int | None = None,
        read_from: Path | None = None,
    ) -> None:
        self.folder = folder
        self.read_from = read_from  # another store's folder, read (never written) on a miss here
        self.name = name
        self.codec = codec
        self.entries = entries
        self.max_bytes = max_bytes
        self.used: set[str] = set()  # file names this build read or wrote: never pruned by it
        self.written = 0  # entries written since the last prune
        self.damaged = 0  # entries found damaged this build (the first is logged)

    def _file_name(self, key: str, label: str) -> str:
        hashed = digest(self.name, key)[:32]
        return f"{_LABEL.sub('_', label)}.{hashed}" if label else hashed

    def path(self, key: str, label: str = "") -> Path:
        """Where the entry of `key` is kept."""
        return self.folder / self._file_name(key, label)

    def _check(self, key: str, payload: bytes) -> bytes:
        return MAGIC + digest(self.name, key, payload).encode() + b"\n"

    def get_bytes(self, key: str, label: str = "") -> bytes | None:
        """The payload kept for key, verified, or None (absent or damaged: a miss)."""
        name = self._file_name(key, label)
        path = self.folder / name
        own = True
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError:
            if self.read_from is None:
                return None
            path, own = self.read_from / name, False
            try:
                with open(path, "rb") as file:  # read-only: nothing is written, touched or removed there
                    data = file.read()
            except OSError:
                return None
        payload = data[_HEADER:]
        if data[:_HEADER] != self._check(key, payload):
            self._damaged(path, "its hash does not match its key and contents", remove=own)
            return None
        if own:
            self.used.add(name)
            with contextlib.suppress(OSError):
                os.utime(path)  # least recently used is what the bound removes first
        return payload

    def get(self, key: str, label: str = "") -> Any | None:
        """The value kept for key, or None: absent, damaged, or not readable by this codec."""
        payload = self.get_bytes(key, label)
        if payload is None:
            return None
        try:
            return self.codec.decode(payload)
        except (ValueError, EOFError, TypeError):  # verified, but written by another Python
            return None

    def put(self, key: str, value: Any, label: str = "") -> None:
        """Keep value for key (atomically: a reader sees the old entry, none, or this one)."""
        payload = self.codec.encode(value)
        name = self._file_name(key, label)
        write_atomically(self.folder / name, self._check(key, payload) + payload)
        self.used.add(name)
        self.written += 1
        if self.written > self.entries:  # a long build, or failed builds in a row: bounded anyway
            self.prune()

    def discard(self, key: str, label: str = "") -> None:
        """Remove key's entry, if any."""
        name = self._file_name(key, label)
        self.used.discard(name)
        (self.folder / name).unlink(missing_ok=True)

    def discard_label(self, label: str, keep: str = "") -> None:
        """Remove every entry under a label but key `keep`'s (the older versions of one item)."""
        kept = self._file_name(keep, label) if keep else ""
        prefix = _LABEL.sub("_", label) + "."
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name.startswith(prefix) and name != kept and "." not in name[len(prefix) :]:
                (self.folder / name).unlink(missing_ok=True)

    def _damaged(self, path: Path, why: str, remove: bool = True) -> None:
        self.damaged += 1
        if self.damaged == 1:  # one note per build and store, not one per entry
            log.warning("%s: a damaged cache entry (%s); it is made again", path, why)
        if remove:
            path.unlink(missing_ok=True)

    def prune(self) -> int:
        """Remove unused entries, least recently used first, until the bound holds; return how many."""
        if not self.written:  # nothing added since the last prune: the folder is within its bound
            return 0
        self.written = 0
        try:
            scanned = list(os.scandir(self.folder))
        except OSError:
            return 0
        found = []
        removed = 0
        for entry in scanned:
            if entry.name.startswith("."):  # another build's temporary file
                continue
            if not _ENTRY_NAME.fullmatch(entry.name):  # not an entry (left by an older layout): removed
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
                continue
            try:
                stat = entry.stat()
            except OSError:
                continue
            found.append((entry.name in self.used, stat.st_mtime_ns, entry.name, stat.st_size))
        found.sort(reverse=True)  # this build's first, then the most recently used
        count = size = 0
        for used, _, name, bytes_ in found:
            count, size = count + 1, size + bytes_
            over = count > self.entries or (self.max_bytes is not None and size > self.max_bytes)
            if over and not used:
                (self.folder / name).unlink(missing_ok=True)
                removed += 1
                count, size = count - 1, size - bytes_
        return removed


class Stores:
    """The build's caches under one cache folder, created once per build and pruned together.

    `read_from`: another cache folder whose entries are read, never written, when this one lacks
    them (`explainer check` builds with the project's cache this way, writing only its own)."""

    def __init__(self, root: Path, read_from: Path | None = None) -> None:
        self.root = root
        self.read_from = read_from
        self.opened: dict[str, Store] = {}

    def open(
        self,
        name: str,
        codec: Codec = BYTES,
        entries: int = 256,
        max_bytes: int | None = None,
        folder: Path | None = None,
    ) -> Store:
        """The store called name (in root/name unless `folder` says), created on first use."""
        if name not in self.opened:
            other = self.read_from / name if self.read_from is not None and folder is None else None
            self.opened[name] = Store(folder or self.root / name, name, codec, entries, max_bytes, other)
        return self.opened[name]

    def prune(self) -> None:
        """After a successful build: hold every store to its bound."""
        for store in self.opened.values():
            store.prune()


SEAL = ".sealed"  # in a folder of files used as they are (font copies): the hash of them all


def _folder_check(folder: Path, key: str) -> bytes:
    files = sorted(name for name in os.listdir(folder) if not name.startswith("."))
    parts: list[str | bytes] = [key]
    for name in files:
        parts += [name, (folder / name).read_bytes()]
    return MAGIC + digest(*parts).encode() + b"\n"


def seal_folder(folder: Path, key: str) -> None:
    """Record the hash of a folder's files (before it is renamed into place), for `sealed`."""
    (folder / SEAL).write_bytes(_folder_check(folder, key))


def sealed(folder: Path, key: str) -> bool | None:
    """True when a folder holds the files sealed for key, unchanged; False (and a warning) when
    they changed since; None when there is no folder."""
    if not folder.is_dir():
        return None
    try:
        seal = (folder / SEAL).read_bytes()
    except OSError:  # made by an older version, or being made: made again, quietly
        return False
    if seal == _folder_check(folder, key):
        return True
    log.warning("%s: a damaged cache folder; it is made again", folder)
    return False
