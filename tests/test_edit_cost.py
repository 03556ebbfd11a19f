"""Edits cost what they change: a text edit changes only its page and its language's search index
(the index has one name, so no other page changes), and page rendering grows linearly with the
number of pages (the section list is rendered once per language and folder depth, not per page)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import ClassVar

import jinja2
import pytest

import explainer.write.site
from explainer import builder
from explainer.write.mkdocs_plugin import ExplainerPlugin

BODY = {
    "zh": "第{n}页的正文：亏损{{{{ fact ferry_loss_2025 }}}}。\n",
    "en": "Page {n} says: {{{{ fact ferry_loss_2025 }}}}.\n",
}


def add_pages(project: Path, count: int) -> list[str]:
    """Give the small project `count` more pages per language, all in the nav; return their names."""
    names = [f"page-{n:02d}.md" for n in range(1, count + 1)]
    for lang, body in BODY.items():
        for n, name in enumerate(names, start=1):
            text = f"---\ntitle: P{n} {lang}\ndescription: Page {n}.\n---\n\n# P{n}\n\n{body.format(n=n)}"
            (project / "content" / lang / name).write_text(text, encoding="utf-8")
    config = project / "mkdocs.yml"
    nav = "nav:\n  - index.md\n  - about.md\n" + "".join(f"  - {name}\n" for name in names)
    config.write_text(re.sub(r"nav:\n(  - .*\n)+", nav, config.read_text(encoding="utf-8")), encoding="utf-8")
    return names


def build_site(project: Path) -> Path:
    builder.build(project / "mkdocs.yml", project / "site", cache_dir=project / ".cache")
    return project / "site"


def contents(site: Path) -> dict[str, str]:
    return {
        str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_a_text_edit_changes_only_its_page_and_its_languages_search_index(project):
    add_pages(project, 4)
    site = build_site(project)
    before = contents(site)
    page = project / "content" / "en" / "page-02.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added by the editor.\n", encoding="utf-8")
    after = contents(build_site(project))

    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    # the page and the index, with their compressed copies: nothing else
    assert changed == {
        f"{name}{suffix}" for name in ("en/page-02/index.html", "en/search.json") for suffix in ("", ".gz", ".br")
    }
    assert "A sentence added by the editor." in (site / "en" / "page-02" / "index.html").read_text(encoding="utf-8")
    assert "A sentence added by the editor." in (site / "en" / "search.json").read_text(encoding="utf-8")


def test_every_page_finds_its_languages_search_index_at_one_address(project):
    add_pages(project, 2)
    site = build_site(project)
    for folder in (site, site / "en"):
        assert (folder / "search.json").is_file()
        pages = {
            folder / "index.html": "./",
            folder / "page-01" / "index.html": "../",
            folder / "page-02" / "index.html": "../",
        }
        for html, up in pages.items():
            assert f'data-index="{up}search.json"' in html.read_text(encoding="utf-8"), html


class CountingPlugin(ExplainerPlugin):
    """The site's plugin, counting how often it renders the section list and MkDocs' `url` filter runs."""

    made: ClassVar[list[CountingPlugin]] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.url_calls = 0
        CountingPlugin.made.append(self)

    def on_env(self, env: jinja2.Environment, *, config, files) -> jinja2.Environment:
        env = super().on_env(env, config=config, files=files)
        url = env.filters["url"]

        @jinja2.pass_context
        def counted(context, value):
            self.url_calls += 1
            return url(context, value)

        env.filters["url"] = counted
        return env


@pytest.mark.parametrize("pages", [4, 24])
def test_page_rendering_is_linear_the_section_list_rendered_once_per_depth(project, monkeypatch, pages):
    CountingPlugin.made = []
    monkeypatch.setattr(explainer.write.site, "ExplainerPlugin", CountingPlugin)
    names = add_pages(project, pages)
    site = build_site(project)

    assert len(CountingPlugin.made) == 2  # one MkDocs build per language
    total = pages + 2  # with index.md and about.md
    for plugin in CountingPlugin.made:
        assert plugin.nav_renders <= 2, plugin.nav_renders  # the home page's depth and the others'
        assert plugin.url_calls <= 3 * total, plugin.url_calls  # the pager's few links, not the whole nav
    # each page's copy of the list marks that page, and only that page, as the current one
    for name in ["index.md", "about.md", *names]:
        folder = site / "en" / ("" if name == "index.md" else name.removesuffix(".md"))
        html = (folder / "index.html").read_text(encoding="utf-8")
        current = re.findall(r'<a href="([^"]*)" aria-current="page">', html)
        target = "./" if name == "index.md" else f"../{name.removesuffix('.md')}/"
        assert current == [target], (name, current)
