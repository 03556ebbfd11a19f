"""A rebuild converts only the pages whose Markdown or inputs changed (explainer/write/page_cache.py),
and what it publishes is still byte for byte what a build with no cache publishes.

Each test edits the small project the way an editor would (a page, a fact a page prints, a
template, a page added or removed, a heading another page links to) and compares the rebuilt
site with a clean build's; a kept conversion that should not have been kept shows there, or as a
broken link that is not reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from explainer import builder
from explainer.core.errors import ContentError
from tests.test_guards import edit
from tests.test_site_parts import build_into, clean_build, contents


def rebuild(project: Path, preview: bool = False) -> builder.BuildReport:
    return builder.build(project / "mkdocs.yml", project / "site", cache_dir=project / ".cache", preview=preview)


def test_a_text_edit_converts_only_the_edited_page(project):
    # sections, so that the kept page has a table of contents and search entries to keep too
    edit(project / "content/en/about.md", "{{ fact_table }}", "## The figures\n\n{{ fact_table }}\n\n## Notes\n\nNone.")
    edit(project / "content/zh/about.md", "{{ fact_table }}", "## 数据\n\n{{ fact_table }}\n\n## 说明\n\n无。")
    first = rebuild(project)
    assert (first.pages_converted, first.pages_kept) == (4, 0)
    edit(project / "content/en/index.md", "Loss:", "A sentence added. Loss:")
    report = rebuild(project)
    # the Chinese pages are linked from the published site; of the English, only index.md is converted
    assert (report.pages_converted, report.pages_kept) == (1, 1)
    assert "A sentence added." in (project / "site/en/index.html").read_text(encoding="utf-8")
    assert contents(project / "site") == clean_build(project)


def test_the_preview_keeps_conversions_between_saves(project):
    rebuild(project, preview=True)
    for number in range(3):
        edit(project / "content/en/about.md", "# About", f"# About\n\nSaved {number}.")
        report = rebuild(project, preview=True)
        assert (report.pages_converted, report.pages_kept) == (1, 1)
    assert "Saved 2." in (project / "site/en/about/index.html").read_text(encoding="utf-8")
    assert contents(project / "site") == clean_build(project)


def test_a_fact_edit_reconverts_the_pages_that_print_it(project):
    rebuild(project)
    # the editor takes the 2025 loss from another sentence of the source: a new value and quote
    facts = project / "content/facts.yaml"
    edit(facts, "value: 5000000000", "value: 6000000000")
    edit(facts, "财务文件显示,LakeFerry 在2025年预计亏损50亿美元", "LakeFerry 在2025年预计亏损60亿美元")
    edit(facts, "LakeFerry expects to lose $5 billion in 2025", "LakeFerry expects to lose $6 billion in 2025")
    report = rebuild(project)
    assert report.pages_kept == 0
    for page in ("site/index.html", "site/en/index.html"):
        assert "6" in (project / page).read_text(encoding="utf-8")
    assert "$6 billion" in (project / "site/en/index.html").read_text(encoding="utf-8")
    assert contents(project / "site") == clean_build(project)


def test_a_template_edit_reconverts_the_pages_that_use_it(project):
    rebuild(project)
    edit(project / "templates/partials/fact.html", "<", "<!-- fact -->\n<")
    rebuild(project)
    assert "<!-- fact -->" in (project / "site/en/index.html").read_text(encoding="utf-8")
    assert contents(project / "site") == clean_build(project)


def add_page(project: Path, name: str, nav: list[str]) -> None:
    """A new page in both languages, listed in the nav."""
    for lang, title in (("zh", "新页"), ("en", "New page")):
        page = project / "content" / lang / name
        page.write_text(f"---\ntitle: {title}\ndescription: {title}.\n---\n\n# {title}\n\nText.\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    start, end = text.index("nav:\n"), text.index("markdown_extensions:")
    listed = "".join(f"  - {entry}\n" for entry in nav)
    config.write_text(text[:start] + "nav:\n" + listed + "\n" + text[end:], encoding="utf-8")


def test_adding_and_removing_a_page_changes_every_page_as_a_clean_build_does(project):
    rebuild(project)
    add_page(project, "new.md", ["index.md", "new.md", "about.md"])
    edit(project / "content/en/about.md", "# About", "# About\n\nSee [the new page](new.md).")
    rebuild(project)
    about = (project / "site/en/about/index.html").read_text(encoding="utf-8")
    assert 'href="../new/"' in about
    assert contents(project / "site") == clean_build(project)

    # the page goes again: the unchanged page that links to it is not taken from the cache,
    # its link is reported as broken
    for lang in ("zh", "en"):
        (project / "content" / lang / "new.md").unlink()
    edit(project / "mkdocs.yml", "  - new.md\n", "")
    with pytest.raises(ContentError) as caught:
        rebuild(project)
    assert any(
        str(problem.path).endswith("content/en/about.md") and "new.md" in problem.message
        for problem in caught.value.problems
    ), caught.value.problems


def test_a_heading_another_page_links_to_is_checked_although_that_page_is_kept(project):
    edit(project / "content/en/index.md", "Loss:", "See [the table](about.md#the-table). Loss:")
    edit(project / "content/en/about.md", "{{ fact_table }}", "## The table {: #the-table }\n\n{{ fact_table }}")
    edit(project / "content/zh/about.md", "{{ fact_table }}", "## 数据表\n\n{{ fact_table }}")
    rebuild(project)
    assert 'href="about/#the-table"' in (project / "site/en/index.html").read_text(encoding="utf-8")

    edit(project / "content/en/about.md", "## The table {: #the-table }", "## The figures {: #the-figures }")
    with pytest.raises(ContentError) as caught:
        rebuild(project)  # index.md did not change, but its link now points at nothing
    assert [(Path(p.path).name, p.line) for p in caught.value.problems] == [("index.md", 8)]
    assert "#the-table" in caught.value.problems[0].message

    edit(project / "content/en/index.md", "about.md#the-table", "about.md#the-figures")
    rebuild(project)
    assert 'href="about/#the-figures"' in (project / "site/en/index.html").read_text(encoding="utf-8")
    assert contents(project / "site") == clean_build(project)


def test_a_damaged_or_foreign_entry_is_converted_again(project):
    site = build_into(project)
    before = contents(site)
    entries = sorted((project / ".cache/pages-en").iterdir())
    assert len(entries) == 2
    other = entries[0].read_bytes()
    entries[0].write_text("{ not json", encoding="utf-8")
    entries[1].write_bytes(other)  # another page's entry, whole, under this page's key
    (site / "en" / "index.html").unlink()  # so that the English part is built again
    report = rebuild(project)
    assert (report.pages_converted, report.pages_kept) == (2, 0)
    assert contents(site) == before


def test_a_published_file_whose_permissions_changed_is_published_readable_again(project):
    site = build_into(project)
    (site / "index.html").chmod(0o600)
    (site / "en" / "index.html.gz").chmod(0o600)
    build_into(project)  # files linked from the last site are not made readable again: these are not linked
    assert (site / "index.html").stat().st_mode & 0o777 == 0o644
    assert (site / "en" / "index.html.gz").stat().st_mode & 0o777 == 0o644
    assert all(path.stat().st_mode & 0o777 == 0o644 for path in site.rglob("*") if path.is_file())


@pytest.mark.slow  # share cards are drawn in a chart worker: `make test`, not the quick `make check`
def test_the_share_card_of_a_kept_page_is_drawn_from_its_kept_headline(project):
    """With site_url each page has a share card showing its h1 (not its title): a kept page's
    h1 comes from its kept conversion."""
    edit(project / "content/en/index.md", "# Home", "# Welcome to the explainer")
    address = "https://ono.example/explainer/"

    def publish(site: str, cache: str) -> builder.BuildReport:
        return builder.build(project / "mkdocs.yml", project / site, site_url=address, cache_dir=project / cache)

    publish("site", ".cache")
    edit(project / "content/en/about.md", "# About", "# About\n\nEdited.")
    report = publish("site", ".cache")
    assert (report.pages_converted, report.pages_kept) == (1, 1)
    publish("clean-site", "clean-cache")
    assert (project / "site/en/og.png").is_file()
    assert contents(project / "site") == contents(project / "clean-site")
