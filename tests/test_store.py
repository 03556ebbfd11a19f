"""The one cache shape (explainer/core/store.py): what a store hands out is what was kept for that
key, or nothing; it stays within its bound; and the built site shares no file with the cache.

Entries cut short, overwritten with random bytes or swapped between two keys are misses, made
again, with one warning per store; a file of site/ changed in place reaches neither the cache
nor the next site.
"""

from __future__ import annotations

import gzip
import logging
import os
import random
import shutil
from pathlib import Path

import brotli
import pytest

from explainer import builder
from explainer.core.store import BYTES, JSON, MARSHAL, SEAL, Codec, Store, Stores, seal_folder, sealed
from tests.test_site_parts import build_into, clean_build, contents

DAMAGES = ("truncated", "random bytes", "swapped")


def damage(store: Store, how: str, keys: tuple[str, str] = ("a", "b")) -> None:
    """Damage the entry of keys[0] (for "swapped": give it keys[1]'s entry, whole)."""
    path = store.path(keys[0])
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "random bytes":
        path.write_bytes(random.Random(len(data)).randbytes(len(data)))
    else:
        path.write_bytes(store.path(keys[1]).read_bytes())


@pytest.mark.parametrize("codec", [BYTES, JSON, MARSHAL], ids=lambda codec: codec.name)
def test_an_entry_reads_back_as_it_was_kept(tmp_path: Path, codec: Codec) -> None:
    store = Store(tmp_path, "kept", codec)
    value = b"\x00payload" if codec is BYTES else {"facts": ["loss", "ratio"], "会": 1}
    store.put("a", value)
    assert Store(tmp_path, "kept", codec).get("a") == value
    assert Store(tmp_path, "another store", codec).get("a") is None, "another store's name: another entry"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [], "no temporary file left"


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_entry_is_a_miss_noted_once(tmp_path: Path, how: str, caplog: pytest.LogCaptureFixture) -> None:
    store = Store(tmp_path, "kept", JSON)
    for key in "abcd":
        store.put(key, {"key": key})
    damage(store, how, ("a", "b"))
    damage(store, how, ("c", "d"))
    fresh = Store(tmp_path, "kept", JSON)  # the next build
    with caplog.at_level(logging.WARNING, logger="explainer"):
        assert fresh.get("a") is None and fresh.get("c") is None
        assert fresh.get("b") == {"key": "b"} and fresh.get("d") == {"key": "d"}
    assert len(caplog.records) == 1, "one note per build and store, not one per entry"
    assert str(store.path("a")) in caplog.text and "damaged cache entry" in caplog.text
    fresh.put("a", {"key": "a"})
    assert Store(tmp_path, "kept", JSON).get("a") == {"key": "a"}, "made again"


def test_a_replaced_entry_is_a_new_file(tmp_path: Path) -> None:
    store = Store(tmp_path, "kept")
    store.put("a", b"old")
    before = store.path("a").stat().st_ino
    held = store.path("a").open("rb")  # a reader in the middle of it keeps the old bytes
    store.put("a", b"new")
    assert held.read().endswith(b"old") and store.get("a") == b"new"
    held.close()
    assert store.path("a").stat().st_ino != before


def test_a_store_keeps_what_this_build_used_and_the_most_recent_within_its_bound(tmp_path: Path) -> None:
    first = Store(tmp_path, "kept", BYTES, entries=3)
    for number in range(3):
        first.put(f"old {number}", b"x")
        os.utime(first.path(f"old {number}"), ns=(number, number))  # old 2 the most recent
    first.prune()
    second = Store(tmp_path, "kept", BYTES, entries=3)  # the next build uses old 0, adds two
    assert second.get("old 0") == b"x"
    second.put("new 0", b"y")
    second.put("new 1", b"y")
    second.prune()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        second.path(key).name for key in ("old 0", "new 0", "new 1")
    )
    many = Store(tmp_path, "kept", BYTES, entries=3)
    for number in range(20):  # a build that writes more than its bound is held to it as it goes
        many.put(f"many {number}", b"z")
        many.used.clear()  # as if each were a build of its own
    assert len(list(tmp_path.iterdir())) <= 4


def test_a_store_holds_its_bytes_bound(tmp_path: Path) -> None:
    store = Store(tmp_path, "kept", BYTES, entries=100, max_bytes=3000)
    for number in range(10):
        store.put(f"entry {number}", bytes(1000))
    store.used.clear()  # the next build, which uses none of them
    store.put("last", bytes(1000))
    store.prune()
    assert sum(p.stat().st_size for p in tmp_path.iterdir()) <= 3000 + 200  # headers
    assert store.get("last") == bytes(1000)


def test_a_label_lets_the_older_versions_of_one_item_go(tmp_path: Path) -> None:
    store = Store(tmp_path, "charts", MARSHAL)
    store.put("key 1", {"v": 1}, label="loop.en")
    store.put("key 1", {"v": 1}, label="loop.zh")
    store.put("key 2", {"v": 2}, label="loop.en")
    store.discard_label("loop.en", keep="key 2")
    assert store.get("key 1", label="loop.en") is None
    assert store.get("key 2", label="loop.en") == {"v": 2} and store.get("key 1", label="loop.zh") == {"v": 1}


def test_a_sealed_folder_changed_since_is_found(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "copy"
    assert sealed(folder, "k") is None
    folder.mkdir()
    (folder / "Face-0.otf").write_bytes(b"font")
    seal_folder(folder, "k")
    assert sealed(folder, "k") is True and sealed(folder, "other") is False
    (folder / "Face-0.otf").write_bytes(b"fon")
    assert sealed(folder, "k") is False and "damaged cache folder" in caplog.text
    (folder / SEAL).unlink()
    assert sealed(folder, "k") is False


@pytest.fixture
def charted(project: Path) -> Path:
    """The small project with its chart on its home pages, so that every cache has entries
    (chart renders, PNGs, citations, figures besides pages, templates, compressed copies)."""
    for code in ("zh", "en"):
        page = project / "content" / code / "index.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n{{ chart ferry_losses }}\n", encoding="utf-8")
    return project


def file_ids(folder: Path) -> set[tuple[int, int]]:
    return {(s.st_dev, s.st_ino) for p in folder.rglob("*") if p.is_file() and (s := p.stat())}


def assert_compressed_copies_decode(site: Path) -> None:
    copies = sorted(site.rglob("*.gz")) + sorted(site.rglob("*.br"))
    assert copies
    for copy in copies:
        original = copy.with_suffix("").read_bytes()
        if copy.suffix == ".gz" and copy.name != "sitemap.xml.gz":
            assert gzip.decompress(copy.read_bytes()) == original, copy
        elif copy.suffix == ".br":
            assert brotli.decompress(copy.read_bytes()) == original, copy


def test_nothing_in_the_site_is_a_file_of_the_cache(charted: Path) -> None:
    project = charted
    site = build_into(project)
    build_into(project)  # a rebuild links the last site's parts: site to site, never to the cache
    cache_ids = file_ids(project / ".cache")
    assert cache_ids and not file_ids(site) & cache_ids
    assert [p for p in site.rglob("*") if p.is_file() and p.stat().st_nlink > 1] == []


def test_damaged_entries_in_every_cache_are_made_again_and_the_site_is_a_clean_builds(
    charted: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = charted
    site = build_into(project)
    stores = {p.name for p in (project / ".cache").iterdir() if p.is_dir() and not p.is_symlink()}
    assert {"charts", "png", "citations", "figures-en", "pages-zh", "compressed", "templates", "yaml"} <= stores
    damaged = []
    for folder in sorted(p for p in (project / ".cache").iterdir() if p.is_dir() and not p.is_symlink()):
        entries = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        for number, entry in enumerate(entries):
            data = entry.read_bytes()
            how = DAMAGES[number % 3]
            if how == "truncated":
                entry.write_bytes(data[: len(data) // 2])
            elif how == "random bytes":
                entry.write_bytes(random.Random(number).randbytes(len(data)))
            elif number > 0:  # another key's entry of the same store, whole
                entry.write_bytes(entries[number - 1].read_bytes())
            damaged.append(entry)
    assert len(damaged) > 20
    shutil.rmtree(site)  # so that the next build reads every cache instead of the last site
    with caplog.at_level(logging.WARNING, logger="explainer"):
        build_into(project)
    assert "damaged cache entry" in caplog.text
    assert contents(site) == clean_build(project)
    assert_compressed_copies_decode(site)


def test_a_site_file_changed_in_place_reaches_neither_the_cache_nor_the_next_site(charted: Path) -> None:
    project = charted
    site = build_into(project)
    svg = sorted((site / "charts").rglob("*.svg"))[0]
    for name in ("index.html.gz", "index.html.br", "en/index.html", str(svg.relative_to(site)) + ".gz"):
        with (site / name).open("r+b") as file:  # in place, as an editor or a tool might
            file.write(b"\x00changed")
    build_into(project)  # the changed part is built again
    assert_compressed_copies_decode(site)
    expected = clean_build(project)
    assert contents(site) == expected
    shutil.rmtree(site)  # and the cache kept its own bytes: built from it alone, the same site
    build_into(project)
    assert contents(site) == expected
    assert_compressed_copies_decode(site)


def test_check_reads_the_projects_cache_and_changes_nothing_in_it(charted: Path) -> None:
    project = charted
    build_into(project)
    cache = project / ".cache"
    before = {
        str(p.relative_to(cache)): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in cache.rglob("*")
        if p.is_file()
    }
    report = builder.check(project / "mkdocs.yml")
    assert report.rendered == [] and report.reused, "the project's charts were read, not drawn again"
    after = {
        str(p.relative_to(cache)): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in cache.rglob("*")
        if p.is_file()
    }
    assert after == before


def test_a_store_reading_another_never_writes_there(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = Stores(tmp_path / "project").open("pages-en", JSON)
    project.put("a", {"page": "a"})
    project.put("b", {"page": "b"})
    damage(project, "truncated", ("b", "a"))
    own = Stores(tmp_path / "scratch", read_from=tmp_path / "project").open("pages-en", JSON)
    assert own.get("a") == {"page": "a"} and own.get("b") is None
    own.put("c", {"page": "c"})
    own.prune()
    assert sorted(p.name for p in (tmp_path / "project" / "pages-en").iterdir()) == sorted(
        project.path(key).name for key in "ab"
    ), "the damaged entry is left where it is, nothing added"
    assert own.path("c").is_file()


def test_files_of_an_older_layout_in_a_stores_folder_go_at_its_next_prune(tmp_path: Path) -> None:
    (tmp_path / "ono_loop.en.0123456789abcdef0123.marshal").write_bytes(b"an entry of old")
    (tmp_path / "imports.json").write_text("{}", encoding="utf-8")
    store = Store(tmp_path, "charts", MARSHAL)
    store.put("key", {"v": 1}, label="ono_loop.en")
    store.prune()
    assert [p.name for p in tmp_path.iterdir()] == [store.path("key", label="ono_loop.en").name]
