"""MkDocs takes a page's front matter as the build's loader parsed it (explainer/core/mkdocs_adapter.py:
front_matter_reader) instead of parsing it again, and parses mkdocs.yml with libyaml: what it gets
must be what its own parse gives."""

from __future__ import annotations

import inspect
from pathlib import Path

import mkdocs.structure.pages
import pytest
import yaml
from mkdocs.config import defaults as mkdocs_defaults
from mkdocs.utils import meta
from mkdocs.utils import yaml as mkdocs_yaml

from explainer.core.mkdocs_adapter import front_matter_reader
from explainer.core.yamlfile import ParsedYaml
from explainer.load.pages import kept_front_matter, read_page

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    "---\ntitle: A page\ndescription: One sentence.\n---\n\n# A page\n\nText.\n",
    "---\ntitle: 标题\ndescription: 一句话。\nstandfirst: |\n  Two\n  lines.\n---\n# Heading\n",
    "---   \ntitle: Fence with spaces\ndescription: d\n---\t\n\n\n\nBody after blank lines.\n",
    "---\ntitle: Closed with dots\ndescription: d\n...\nBody.\n",
    "---\ntitle: Dated\ndescription: d\ndate: 2024-01-02\n---\nBody.\n",  # marshal keeps no date: parsed again
    "---\n- a list\n- not a mapping\n---\nBody.\n",
    "---\ntitle: [unclosed\n---\nBody.\n",
    "No front matter at all.\n",
    "title: MultiMarkdown style\n\nBody.\n",
]


@pytest.mark.parametrize("source", SOURCES)
def test_mkdocs_gets_the_markdown_and_data_its_own_parse_gives(tmp_path: Path, source: str):
    page = tmp_path / "page.md"
    page.write_text(source, encoding="utf-8")
    kept = ParsedYaml()
    read_page("en", "page.md", page, kept=kept)  # the build's loader parses (and keeps) the front matter
    reused = front_matter_reader(kept_front_matter(kept))(source)
    assert reused == meta.get_data(source)
    assert type(reused[1]) is type(meta.get_data(source)[1])


def test_a_kept_page_data_is_a_copy_of_its_own(tmp_path: Path):
    source = SOURCES[1]
    page = tmp_path / "page.md"
    page.write_text(source, encoding="utf-8")
    kept = ParsedYaml()
    read_page("en", "page.md", page, kept=kept)
    read = front_matter_reader(kept_front_matter(kept))
    first, second = read(source)[1], read(source)[1]
    first["title"] = "changed by a plugin"
    assert second["title"] == "标题"


def test_the_reader_is_used_only_while_a_build_runs():
    assert meta.get_data.__module__ == "mkdocs.utils.meta"


def test_front_matter_parsed_by_the_build_is_not_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    source = SOURCES[0]
    page = tmp_path / "page.md"
    page.write_text(source, encoding="utf-8")
    kept = ParsedYaml()
    read_page("en", "page.md", page, kept=kept)
    expected = meta.get_data(source)

    def no_parse(*args: object, **kwargs: object) -> None:
        msg = "parsed again"
        raise AssertionError(msg)

    monkeypatch.setattr(meta.yaml, "load", no_parse)
    assert front_matter_reader(kept_front_matter(kept))(source) == expected


def test_mkdocs_reads_through_the_names_the_adapter_replaces():
    # Page.read_source looks meta.get_data up in its module; MkDocsConfig.load_file, get_yaml_loader
    assert "meta.get_data(source)" in inspect.getsource(mkdocs.structure.pages.Page.read_source)
    assert "get_yaml_loader(config=self)" in inspect.getsource(mkdocs_defaults.MkDocsConfig.load_file)


def test_mkdocs_settings_parsed_by_libyaml_are_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("EXPLAINER_TEST_NAME", "from the environment")
    config = ROOT / "mkdocs.yml"
    text = config.read_text(encoding="utf-8") + "extra_css: [!ENV [EXPLAINER_TEST_NAME, x]]\n"
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")

    def loaded(loader: type) -> dict:
        with (tmp_path / "mkdocs.yml").open("rb") as fd:
            cfg = mkdocs_defaults.MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
            return mkdocs_yaml.yaml_load(fd, mkdocs_yaml.get_yaml_loader(loader, config=cfg))

    assert loaded(yaml.CLoader) == loaded(yaml.Loader)
    assert loaded(yaml.CLoader)["extra_css"] == ["from the environment"]
