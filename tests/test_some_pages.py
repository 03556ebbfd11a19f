"""A rebuild writes only the pages whose own text changed and links the rest of their language from
the published site, and its result is still a clean build's, byte for byte: after a body edit,
a fact edit, a title edit (the section list of every page changes), a deleted and a renamed page.
And the MkDocs it relies on is the one it was written for (explainer/core/mkdocs_adapter.py)."""

from __future__ import annotations

import inspect
import os
import shutil
from pathlib import Path

import mkdocs.commands.build
import mkdocs.structure.files
import pytest

from explainer import builder
from explainer.core.mkdocs_adapter import WRITES_SOME_PAGES_FOR, writes_some_pages
from tests.conftest import build_once, link_copy, small_project
from tests.test_edit_cost import add_pages

URL = "https://example.org/ferry/"


def build(project: Path, site: str = "site", cache: str = ".cache") -> builder.BuildReport:
    return builder.build(project / "mkdocs.yml", project / site, site_url=URL, cache_dir=project / cache)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build(project: Path) -> dict[str, bytes]:
    """A build from an empty cache (but the chart renders and PNGs, which pages do not change) into a new folder."""
    shutil.rmtree(project / ".cache-clean", ignore_errors=True)
    for folder in ("charts", "png"):
        if (project / ".cache" / folder).exists():
            shutil.copytree(project / ".cache" / folder, project / ".cache-clean" / folder)
    build(project, "site-clean", ".cache-clean")
    return snapshot(project / "site-clean")


def assert_same(incremental: dict[str, bytes], clean: dict[str, bytes]) -> None:
    assert incremental.keys() == clean.keys()
    differ = sorted(name for name in clean if incremental[name] != clean[name])
    assert differ == [], f"the incremental build differs from a clean one in {differ[:10]}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def inode(site: Path, page: str) -> int:
    return os.stat(site / page).st_ino


@pytest.fixture(scope="session")
def share_cards(tmp_path_factory: pytest.TempPathFactory, vega_cache: Path) -> Path:
    """The PNG store of the scaled project built once per run (its pages' share cards: with a
    public address each page has one, drawn in chart workers), shared by the xdist workers."""

    def make(folder: Path) -> builder.BuildReport:
        small_project(folder, vega_cache)
        add_pages(folder, 12)
        return build(folder)

    return build_once(tmp_path_factory, "scaled-share-cards", make) / ".cache" / "png"


@pytest.fixture
def scaled(project: Path, share_cards: Path) -> Path:
    """The small project with twelve more pages per language, built once with a public address.
    Its share cards come from a copy of the same project's PNG cache, as on an editor's machine
    after a build: what these tests check is the rebuild after an edit, and an edit that changes
    a card draws it again."""
    add_pages(project, 12)
    link_copy(share_cards, project / ".cache" / "png")
    first = build(project)
    assert first.pages_written == 2 * 14
    return project


def test_a_body_edit_writes_its_page_only_and_equals_a_clean_build(scaled):
    site = scaled / "site"
    other = inode(site, "en/page-09/index.html")
    edit(scaled / "content" / "en" / "page-05.md", "Page 5 says", "Page 5 now says")
    report = build(scaled)
    assert report.pages_written == 1, "only the edited page is written"
    assert inode(site, "en/page-09/index.html") == other, "the other pages are linked from the published site"
    assert b"Page 5 now says" in (site / "en" / "page-05" / "index.html").read_bytes()
    assert_same(snapshot(site), clean_build(scaled))


def test_a_second_body_edit_after_a_partial_build_equals_a_clean_build(scaled):
    edit(scaled / "content" / "en" / "page-05.md", "Page 5 says", "Page 5 now says")
    build(scaled)
    edit(scaled / "content" / "en" / "page-06.md", "Page 6 says", "Page 6 now says")
    assert build(scaled).pages_written == 1
    assert_same(snapshot(scaled / "site"), clean_build(scaled))


def test_a_title_edit_rewrites_every_page(scaled):
    edit(scaled / "content" / "en" / "page-07.md", "title: P7 en", "title: Seventh")
    report = build(scaled)
    assert report.pages_written == 2 * 14, "the section list of every page names the new title"
    assert b"Seventh" in (scaled / "site" / "en" / "page-09" / "index.html").read_bytes()
    assert_same(snapshot(scaled / "site"), clean_build(scaled))


def test_a_fact_edit_writes_only_the_pages_that_show_it_and_equals_a_clean_build(scaled):
    for lang in ("zh", "en"):
        edit(scaled / "content" / lang / "page-05.md", "{{ fact ferry_loss_2025 }}", "{{ fact ferry_boat_spend }}")
    build(scaled)
    page_09 = inode(scaled / "site", "en/page-09/index.html")
    edit(scaled / "content" / "facts.yaml", "en: LakeFerry's spending on new ferries", "en: LakeFerry's ferry spending")
    report = build(scaled)
    # page-05 and the fact table (about.md), in both languages: a fact's label is one object
    assert report.pages_written == 4, "only the pages that show the fact are written"
    assert inode(scaled / "site", "en/page-09/index.html") == page_09
    assert_same(snapshot(scaled / "site"), clean_build(scaled))


def test_a_fact_edit_equals_a_clean_build(scaled):
    edit(scaled / "content" / "facts.yaml", "en: LakeFerry", "en: Lake Ferry")
    build(scaled)
    assert_same(snapshot(scaled / "site"), clean_build(scaled))


def test_a_deleted_page_equals_a_clean_build(scaled):
    for lang in ("zh", "en"):
        (scaled / "content" / lang / "page-04.md").unlink()
    edit(scaled / "mkdocs.yml", "  - page-04.md\n", "")
    build(scaled)
    assert not (scaled / "site" / "en" / "page-04").exists()
    assert_same(snapshot(scaled / "site"), clean_build(scaled))


def test_a_renamed_page_equals_a_clean_build(scaled):
    for lang in ("zh", "en"):
        (scaled / "content" / lang / "page-04.md").rename(scaled / "content" / lang / "page-40.md")
    edit(scaled / "mkdocs.yml", "  - page-04.md\n", "  - page-40.md\n")
    for lang in ("zh", "en"):  # the page before it links to it by name
        page = scaled / "content" / lang / "page-03.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n[next](page-40.md)\n", encoding="utf-8")
    build(scaled)
    assert (scaled / "site" / "en" / "page-40" / "index.html").exists()
    assert_same(snapshot(scaled / "site"), clean_build(scaled))


def test_a_published_page_changed_in_place_is_written_again(scaled):
    page = scaled / "site" / "en" / "page-09" / "index.html"
    page.write_bytes(page.read_bytes() + b"<!-- changed on the server -->")
    edit(scaled / "content" / "en" / "page-05.md", "Page 5 says", "Page 5 now says")
    build(scaled)
    assert_same(snapshot(scaled / "site"), clean_build(scaled))


# What the adapter relies on in MkDocs' build: a dirty build reads every page, then asks each
# page's File.is_modified() before writing it, and says so in one warning.
RELIED_ON = {
    mkdocs.commands.build._populate_page: "if dirty and not page.file.is_modified():",
    mkdocs.commands.build._build_page: "if dirty and not page.file.is_modified():",
    mkdocs.commands.build.build: "A 'dirty' build is being performed",
    mkdocs.structure.files.File.copy_file: "if dirty and not self.is_modified():",
}


def test_the_mkdocs_a_build_of_some_pages_relies_on_is_the_one_it_was_written_for():
    assert writes_some_pages(), f"written for MkDocs {WRITES_SOME_PAGES_FOR}: check the adapter against this one"
    for function, line in RELIED_ON.items():
        assert line in inspect.getsource(function), f"{function.__qualname__} changed"
    build_source = inspect.getsource(mkdocs.commands.build.build)
    assert build_source.index("_populate_page(") < build_source.index("on_env(") < build_source.index("_build_page(")


def test_the_replaced_sites_folders_are_the_next_staging_folder_only_when_they_hold_no_file(scaled):
    edit(scaled / "content" / "en" / "page-06.md", "Page 6 says", "Page 6 now says")
    build(scaled)  # replaces the first build's site
    spare = scaled / ".site.spare"
    assert spare.is_dir() and not [path for path in spare.rglob("*") if not path.is_dir()]
    (spare / "en" / "page-09" / "stray.html").write_text("not ours", encoding="utf-8")
    edit(scaled / "content" / "en" / "page-05.md", "Page 5 says", "Page 5 now says")
    build(scaled)
    assert not (scaled / "site" / "en" / "page-09" / "stray.html").exists()
    assert_same(snapshot(scaled / "site"), clean_build(scaled))
