"""Reuse the parts of the last published site whose inputs did not change, instead of rebuilding them.

A text edit of one English page cannot change the Chinese pages or the chart files, embed pages
and bundles, yet rebuilding them was half of a rebuild. The site is built in parts (each
language's MkDocs build, and the files shared by all languages); each part's key hashes
everything it can read: our code, the charts, the theme, the data and settings, the library
versions, every page's front matter and file names in every language, and, for a language, its
own pages byte for byte. When a part's key is the one recorded for the published site, its
files are hard-linked from site/ into the staging folder (no copy; the build never writes into
a file it linked). The record lists each file with its size and modification time; a file
changed or gone in site/ since means the part is built again. The record (one entry of the
store .cache/parts) is written only after a successful publish. Links go from site/ to site/
only: nothing here is linked to the cache folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from explainer.core.store import JSON, Store, Stores

RECORD = "parts"
COMPRESSED = (".gz", ".br")  # precompress's copies, which follow their file


def _stamp(path: str | Path) -> list[int] | None:
    """What a published file must still be for a part to be linked from it: its size, its time and
    its permissions (so that a linked file needs no chmod when published again)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_mode & 0o7777]


def parts_store(stores: Stores) -> Store:
    """Where the record is kept (.cache/parts): one record."""
    return stores.open("parts", JSON, entries=1)


class SiteParts:
    """The parts of the published site, their keys and files, read from and saved to the cache folder."""

    def __init__(self, store: Store, site_dir: Path) -> None:
        self.store = store
        self.site_dir = site_dir.resolve()
        self.built: dict[str, dict] = {}  # this build's parts, saved once published
        self.linked: set[str] = set()  # files linked from the published site (as they were published)
        self.stamps: dict[str, list[int]] = {}  # the linked files' stamps, as checked before linking them
        record = store.get(RECORD)
        ok = isinstance(record, dict) and record.get("site") == str(self.site_dir)
        self.published: dict[str, dict] = (
            record.get("parts", {}) if ok and isinstance(record.get("parts"), dict) else {}
        )

    def restore(self, name: str, key: str, staging: Path) -> bool:
        """Link the part's files from the published site into staging if its key is unchanged and
        every file is as published; True when done (nothing to build)."""
        recorded = self.published.get(name)
        if not isinstance(recorded, dict) or recorded.get("key") != key:  # the key first: no stat for a changed part
            return False
        part = self.published_part(name)
        if part is None:
            return False
        self.link(part["files"], staging, part["files"])
        self.built[name] = part
        return True

    def published_part(self, name: str) -> dict | None:
        """The part as published (its key, files and what else was recorded with it), if every file
        of it is still as published."""
        part = self.published.get(name)
        if not isinstance(part, dict) or not isinstance(part.get("files"), dict):
            return None
        # paths as strings, not Paths: the ~400 files of a text edit's unchanged parts took 20 ms
        # through pathlib, 7 ms this way
        site = str(self.site_dir)
        if any(_stamp(os.path.join(site, path)) != stamp for path, stamp in part["files"].items()):
            return None
        return part

    def link(self, paths: Iterable[str], staging: Path, stamps: dict[str, list[int]] | None = None) -> None:
        """Hard-link published files (checked by published_part) into staging, at the same paths
        (`stamps`: theirs, as published_part checked them: saved again without a stat)."""
        site, into = str(self.site_dir), str(staging)
        for path in sorted(paths):
            target = os.path.join(into, path)
            try:  # the folder is there already, most often (staging starts with the last site's folders)
                os.link(os.path.join(site, path), target)
            except FileNotFoundError:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.link(os.path.join(site, path), target)
            self.linked.add(path)
            if stamps is not None and path in stamps:
                self.stamps[path] = stamps[path]

    def staged(self) -> set[str]:
        """The files this build put into staging so far: those it linked, and those its parts
        recorded (staging_dir starts it with none)."""
        found = set(self.linked)
        for part in self.built.values():
            found.update(part.get("paths", ()))
        return found

    def record(self, name: str, key: str, paths: set[str], **more: object) -> None:
        """Remember the files a part wrote into staging (and their compressed copies, added later),
        and `more` to read back from published_part (JSON data)."""
        self.built[name] = {**more, "key": key, "paths": sorted(paths)}

    def save(self) -> None:
        """After a successful publish: record each part's files as they are now in site/."""
        parts = {}
        site = str(self.site_dir)
        for name, part in self.built.items():
            if "files" in part:  # linked from the last site: the same files, so the same stamps
                parts[name] = part
                continue
            paths = part["paths"]
            files = {}
            for path in paths:
                for candidate in (path, *(path + suffix for suffix in COMPRESSED if "files" not in part)):
                    # a linked file is the published one, checked before it was linked: no stat of it
                    stamp = self.stamps.get(candidate) or _stamp(os.path.join(site, candidate))
                    if stamp is not None:
                        files[candidate] = stamp
                    elif candidate == path:
                        files = None
                        break
                if files is None:
                    break
            if files is not None:
                parts[name] = {**{k: v for k, v in part.items() if k != "paths"}, "files": files}
        self.store.put(RECORD, {"site": str(self.site_dir), "parts": parts})
