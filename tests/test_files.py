"""Cache files are replaced whole: a reader holding the old file, or a link to it (a test's linked
copy of a cache), keeps its bytes."""

from __future__ import annotations

import os

from explainer.core.files import write_atomically


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
