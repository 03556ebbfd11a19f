"""The .gz and .br copies the build writes beside the site's text files: right, repeatable, reused."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli

from explainer.core.store import Stores
from explainer.write import compress
from explainer.write.compress import compressed_store
from explainer.write.compress import precompress as compress_into


def precompress(site: Path, cache: Path) -> int:
    """Compress a site's files with the store of compressed copies in a cache folder."""
    return compress_into(site, compressed_store(Stores(cache)))


def small_site(folder: Path) -> Path:
    (folder / "en" / "loop").mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><p>" + "循环 loop " * 200, encoding="utf-8")
    (folder / "en" / "loop" / "index.html").write_text("<p>" + "money loop " * 300, encoding="utf-8")
    (folder / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    (folder / "chart.png").write_bytes(b"\x89PNG" + bytes(range(256)) * 8)
    return folder


def test_every_text_file_gets_copies_that_decompress_to_it(tmp_path):
    site = small_site(tmp_path / "site")
    precompress(site, tmp_path / "cache")
    for page in ("index.html", "en/loop/index.html"):
        data = (site / page).read_bytes()
        assert gzip.decompress((site / f"{page}.gz").read_bytes()) == data
        assert brotli.decompress((site / f"{page}.br").read_bytes()) == data
    # a copy no smaller than its file is not worth sending; pictures are compressed already
    assert not list(site.glob("robots.txt.*")) and not list(site.glob("chart.png.*"))


def test_two_sites_from_empty_caches_get_the_same_bytes(tmp_path):
    a = small_site(tmp_path / "a")
    b = small_site(tmp_path / "b")
    precompress(a, tmp_path / "cache-a")
    precompress(b, tmp_path / "cache-b")
    for copy in sorted(a.rglob("*.[gb][zr]")):
        assert copy.read_bytes() == (b / copy.relative_to(a)).read_bytes(), copy


def test_an_unchanged_file_is_not_compressed_again(tmp_path):
    cache = tmp_path / "cache"
    first = small_site(tmp_path / "first")
    precompress(first, cache)
    entries = sorted(p.name for p in (cache / "compressed").iterdir())
    second = small_site(tmp_path / "second")
    (second / "en" / "loop" / "index.html").write_text("<p>" + "an edited page " * 300, encoding="utf-8")
    precompress(second, cache)
    added = sorted(set(p.name for p in (cache / "compressed").iterdir()) - set(entries))
    assert len(added) == 2  # the edited page's .gz and .br; the unchanged page came from the cache
    assert (second / "index.html.br").read_bytes() == (first / "index.html.br").read_bytes()
    assert not (second / "index.html.br").samefile(first / "index.html.br"), "a copy, not a link"


def test_a_copy_made_with_other_settings_is_made_again(tmp_path, monkeypatch):
    """The cache is keyed by how a copy is made, not only by the file: after a change of the
    settings (such as brotli's window), an incremental build still has a clean build's bytes."""
    cache = tmp_path / "cache"
    precompress(small_site(tmp_path / "before"), cache)
    monkeypatch.setattr(compress, "ENCODING", compress.ENCODING + " and something else")
    monkeypatch.setattr(compress, "BROTLI_QUALITY", 5)  # what the new settings would make
    monkeypatch.setattr(
        compress, "ENCODERS", {**compress.ENCODERS, ".br": lambda data: brotli.compress(data, quality=5)}
    )
    after = small_site(tmp_path / "after")
    precompress(after, cache)
    clean = small_site(tmp_path / "clean")
    precompress(clean, tmp_path / "clean-cache")
    for copy in sorted(clean.rglob("*.br")):
        assert copy.read_bytes() == (after / copy.relative_to(clean)).read_bytes(), copy
        assert copy.read_bytes() != (tmp_path / "before" / copy.relative_to(clean)).read_bytes(), copy


def test_brotli_window_holds_the_file_and_its_copy_is_as_small(tmp_path):
    assert [compress.brotli_window(size) for size in (1, 65_536, 65_537, 900_000, 10**9)] == [16, 16, 17, 20, 24]
    page = ("<p>" + "money loop, 循环 " * 40 + "</p>\n") * 200  # ~100 KB: a window of 17 bits
    data = page.encode("utf-8")
    sized = compress.brotli_bytes(data)
    assert brotli.decompress(sized) == data
    assert len(sized) <= len(brotli.compress(data, quality=compress.BROTLI_QUALITY)) * 1.01
