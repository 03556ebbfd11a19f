"""The .gz and .br copies the build writes beside the site's text files: right, repeatable, reused."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli

from explainer.compress import precompress


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
    entries = sorted(p.name for p in cache.iterdir())
    second = small_site(tmp_path / "second")
    (second / "en" / "loop" / "index.html").write_text("<p>" + "an edited page " * 300, encoding="utf-8")
    precompress(second, cache)
    added = sorted(set(p.name for p in cache.iterdir()) - set(entries))
    assert len(added) == 2  # the edited page's .gz and .br; the unchanged page came from the cache
    assert (second / "index.html.br").samefile(first / "index.html.br")
