"""Remember which checks passed, by a hash of everything they read, so a rebuild skips them.

The own-words guard alone was a quarter of a no-op build: it compares every page with the whole
article. A check is skipped only when the same check passed on the same input before, so a page
that still has a problem is checked (and reported) again on every build. Each key includes the
source of our own code (every module of explainer/), so a change of ours re-runs every check. The
record is one entry of a store in the cache folder (git-ignored, safe to delete); one line per
checked item (a page, the claims), so it does not grow with the number of edits.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from explainer.core.fingerprint import digest, library_versions
from explainer.core.paths import ENGINE
from explainer.core.store import JSON, Store, Stores

RECORD = "passed"
_EXPLAINER = ENGINE


def passed_store(stores: Stores) -> Store:
    """Where the record is kept (.cache/passed): one record."""
    return stores.open("passed", JSON, entries=1)


def code_digest(folder: Path = _EXPLAINER) -> str:
    """One hash of every module of our code and of the installed libraries' versions (nh3 decides
    the content policy, MkDocs validates its settings): any change invalidates every record."""
    digest = hashlib.sha256(library_versions().encode())
    for path in sorted(folder.rglob("*.py")):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class PassedChecks:
    """Which (check, item) passed on which input, read from and saved to a store (none: forgotten)."""

    def __init__(self, store: Store | None, code: str | None = None) -> None:
        self.store = store
        self.code = code if code is not None else code_digest()
        self.record: dict[str, str] = {}
        self.changed = False
        if store is not None:
            loaded = store.get(RECORD)
            if isinstance(loaded, dict):
                self.record = {k: v for k, v in loaded.items() if isinstance(k, str) and isinstance(v, str)}

    def key(self, *inputs: str | bytes) -> str:
        """The hash of a check's inputs, with our code's."""
        return digest(self.code, *inputs)

    def passed(self, name: str, key: str) -> bool:
        """Did check `name` (e.g. 'own-words content/en/loop.md') pass on these inputs before?"""
        return self.record.get(name) == key

    def remember(self, name: str, key: str) -> None:
        """Record that check `name` passed on these inputs (saved by save())."""
        if self.record.get(name) != key:
            self.record[name] = key
            self.changed = True

    def save(self) -> None:
        """Write the record, when something was added, for the next build."""
        if self.store is not None and self.changed:
            self.store.put(RECORD, dict(sorted(self.record.items())))
            self.changed = False
