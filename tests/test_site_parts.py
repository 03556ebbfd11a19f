"""A rebuild links the parts of the site whose inputs did not change (explainer/write/reuse.py), and
the site it publishes is still byte for byte the one a clean build makes.

Reuse shows as the same file (inode) in site/ before and after a rebuild; what an edit can
change is built again: the edited language, everything after a change to the shared interface
strings, and any published file that was changed or removed by hand.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from explainer import builder
from tests.test_guards import edit


def build_into(project: Path, site: str = "site", cache: str = ".cache") -> Path:
    """Build the small project into project/<site> with the cache folder project/<cache>."""
    site_dir = project / site
    builder.build(project / "mkdocs.yml", site_dir, cache_dir=project / cache)
    return site_dir


def contents(site: Path) -> dict[str, str]:
    return {
        str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def inode(path: Path) -> int:
    return path.stat().st_ino


def clean_build(project: Path) -> dict[str, str]:
    """What a build with no cache at all publishes, for comparison."""
    return contents(build_into(project, "clean-site", "clean-cache"))


def test_a_text_edit_rebuilds_its_language_and_links_the_rest(project):
    site = build_into(project)
    zh_page, en_page = site / "index.html", site / "en" / "index.html"
    zh_before, en_before = inode(zh_page), inode(en_page)
    edit(project / "content/en/index.md", "Loss:", "A new sentence of ours. Loss:")
    build_into(project)
    assert inode(zh_page) == zh_before  # the Chinese pages: linked from the last site
    assert inode(en_page) != en_before
    assert "A new sentence of ours." in en_page.read_text(encoding="utf-8")
    assert contents(site) == clean_build(project)


def test_a_no_op_rebuild_links_every_page_and_publishes_the_same_site(project):
    site = build_into(project)
    before = contents(site)
    pages = {path: inode(path) for path in site.rglob("*.html")}
    build_into(project)
    assert {path: inode(path) for path in pages} == pages
    assert contents(site) == before == clean_build(project)


def test_an_interface_string_edit_rebuilds_every_page_that_shows_it(project):
    site = build_into(project)
    ui = project / "content/ui/en.yaml"
    text = ui.read_text(encoding="utf-8")
    key, _, value = next(
        line for line in text.splitlines() if ": " in line and not line.startswith((" ", "#"))
    ).partition(": ")
    edit(ui, f"{key}: {value}", f"{key}: Reworded label")
    build_into(project)
    assert contents(site) == clean_build(project)


def test_a_published_file_changed_by_hand_is_built_again(project):
    site = build_into(project)
    page = site / "index.html"
    original = page.read_bytes()
    page.unlink()
    page.write_bytes(original.replace(b"</body>", b"<p>changed by hand</p></body>"))
    (site / "en" / "404.html").unlink()
    build_into(project)
    assert page.read_bytes() == original
    assert (site / "en" / "404.html").is_file()
    assert contents(site) == clean_build(project)


def test_another_site_folder_reuses_nothing_of_the_first(project):
    first = contents(build_into(project, "site"))
    second = build_into(project, "other-site")
    assert contents(second) == first
    assert inode(second / "index.html") != inode(project / "site" / "index.html")


def test_the_preview_removes_the_replaced_site_in_the_background(project):
    site = project / "site"
    builder.build(project / "mkdocs.yml", site, cache_dir=project / ".cache", preview=True)
    edit(project / "content/en/index.md", "Loss:", "Edited in the preview. Loss:")
    builder.build(project / "mkdocs.yml", site, cache_dir=project / ".cache", preview=True)
    for thread in threading.enumerate():
        if thread.name.startswith("remove .site.old-"):
            thread.join()
    # the old site is gone: its folders are kept, with no file, for the next build's staging folder
    assert sorted(path.name for path in project.glob(".site.*")) == [".site.spare"]
    assert [path for path in (project / ".site.spare").rglob("*") if not path.is_dir()] == []
    assert "Edited in the preview." in (site / "en" / "index.html").read_text(encoding="utf-8")
    assert contents(site) == clean_build(project)
