"""Cache files are replaced whole: a reader holding the old file, or a link to it (a test's linked
copy of a cache), keeps its bytes."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from explainer.core.files import write_atomically
from explainer.core.inputs import symlink_problem


def test_a_rewritten_cache_file_is_a_new_file_and_its_links_keep_the_old_bytes(tmp_path):
    cached = tmp_path / "cache" / "entry.json"
    write_atomically(cached, b"first")
    published = tmp_path / "site-copy.json"
    os.link(cached, published)  # as a test's copy of a cache folder links its files
    write_atomically(cached, b"second, longer")
    assert cached.read_bytes() == b"second, longer"
    assert published.read_bytes() == b"first"
    assert not cached.samefile(published)
    assert sorted(path.name for path in cached.parent.iterdir()) == ["entry.json"], "no temporary file left"


def test_a_symlink_cycle_is_told_by_its_errno_not_by_the_words_of_the_message(tmp_path, monkeypatch):
    """The OS says "Too many levels of symbolic links", with no "loop" in it (Python 3.13 raises
    that where 3.11 raises RuntimeError): the errno tells a loop from a link to nothing."""
    (tmp_path / "page.md").symlink_to(tmp_path / "elsewhere.md")

    def fails(errno_code: int):
        def resolve(self: Path, strict: bool = False) -> Path:
            raise OSError(errno_code, os.strerror(errno_code), str(self))

        return resolve

    monkeypatch.setattr(Path, "resolve", fails(errno.ELOOP))
    assert "is a symlink loop (" in symlink_problem(tmp_path / "page.md", tmp_path).message
    monkeypatch.setattr(Path, "resolve", fails(errno.ENOENT))
    assert "is a symlink to a file that does not exist (" in symlink_problem(tmp_path / "page.md", tmp_path).message
