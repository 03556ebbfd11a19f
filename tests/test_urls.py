"""The one place addresses are made (explainer/write/urls.py): relative ones between the site's own
files from any page, and absolute ones for the world outside, with and without site_url."""

from __future__ import annotations

import dataclasses
import logging
import posixpath

import pytest

from explainer import builder
from explainer.load.settings import load_settings
from explainer.write.urls import (
    chart_files,
    file_url,
    href,
    language_url,
    origin,
    page_path,
    page_url,
    site_path,
    sources_path,
    to_root,
)
from tests.conftest import SMALL

SETTINGS = load_settings(SMALL / "mkdocs.yml")  # the small invented project's settings
ZH, EN = SETTINGS.language("zh"), SETTINGS.language("en")


def published(site_url: str):
    return dataclasses.replace(SETTINGS, site_url=site_url)


@pytest.mark.parametrize(
    ("page", "expected"),
    [("", "./"), ("fares/", "../"), ("en/", "../"), ("en/fares/", "../../"), ("en/embed/ferry_losses/", "../../../")],
)
def test_the_way_to_the_root_climbs_one_level_per_folder_and_is_never_empty(page, expected):
    assert to_root(page) == expected


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("", "about/", "./about/"),
        ("fares/", "about/", "../about/"),
        ("en/", "en/about/", "./about/"),  # within a language: no detour through the root
        ("en/fares/", "en/about/", "../about/"),
        ("en/fares/", "fares/", "../../fares/"),  # to the other language's counterpart
        ("fares/", "en/fares/", "../en/fares/"),
        ("en/embed/ferry_losses/", "en/", "../../"),
        ("en/embed/ferry_losses/", "charts/ferry_losses/en.png", "../../../charts/ferry_losses/en.png"),
        ("embed/ferry_losses/", "charts/ferry_losses/zh.png", "../../charts/ferry_losses/zh.png"),
        ("en/404.html", "en/about/", "./about/"),  # from a file, its folder is where one starts
        ("en/fares/", "en/fares/", "./"),
    ],
)
def test_a_relative_address_leads_from_any_page_to_any_file(page, target, expected):
    address = href(page, target)
    assert address == expected
    # and a browser resolving it from the page lands on the target
    assert posixpath.normpath(posixpath.join("/" + page.rsplit("/", 1)[0], address)) == posixpath.normpath("/" + target)


@pytest.mark.parametrize("site_url", ["https://ferry.example/explainer/", "https://ferry.example/explainer"])
def test_with_site_url_outside_addresses_are_absolute_whatever_its_trailing_slash(site_url):
    settings = published(site_url)
    assert page_url(settings, ZH, "embed/ferry_losses/") == "https://ferry.example/explainer/embed/ferry_losses/"
    assert page_url(settings, EN, "fares/") == "https://ferry.example/explainer/en/fares/"
    assert file_url(settings, chart_files("ferry_losses", "en") + ".png") == (
        "https://ferry.example/explainer/charts/ferry_losses/en.png"
    )
    assert language_url(settings, EN) == "https://ferry.example/explainer/en/"
    assert language_url(settings, ZH) == "https://ferry.example/explainer/"
    assert site_path(settings) == "/explainer/"
    assert origin(settings) == "https://ferry.example"


def test_at_a_domains_root_the_site_path_is_the_root():
    settings = published("https://ferry.example/")
    assert page_url(settings, EN, "") == "https://ferry.example/en/"
    assert site_path(settings) == "/"
    assert origin(settings) == "https://ferry.example"


def test_without_site_url_outside_addresses_are_root_relative_and_what_needs_more_is_absent():
    settings = published("")
    assert page_url(settings, EN, "embed/ferry_losses/") == "/en/embed/ferry_losses/"
    assert page_url(settings, ZH, "") == "/"
    assert file_url(settings, "charts/ferry_losses/zh.embed.js") == "/charts/ferry_losses/zh.embed.js"
    assert language_url(settings, EN) is None  # MkDocs leaves out what needs the public address
    assert site_path(settings) == "/"
    assert origin(settings) == ""


def test_every_language_prefix_is_a_folder_or_nothing():
    # the first language at the root, the others in a folder of their own: the rules above rely on it
    assert SETTINGS.languages[0].prefix == ""
    assert all(lang.prefix == f"{lang.code}/" for lang in SETTINGS.languages[1:])


def test_a_build_without_site_url_says_once_what_will_not_work_until_it_is_set(project, caplog):
    caplog.set_level(logging.INFO)
    builder.build(project / "mkdocs.yml", project / "site", cache_dir=project / ".cache")
    said = [record.getMessage() for record in caplog.records if "site_url" in record.getMessage()]
    assert len(said) == 1, said
    for what in ("share previews", "oEmbed", "hreflang", "sitemaps", "Embed panel", "--site-url"):
        assert what in said[0], what
    caplog.clear()
    builder.build(
        project / "mkdocs.yml", project / "site", site_url="https://ferry.example/", cache_dir=project / ".cache"
    )
    assert not [record for record in caplog.records if "site_url" in record.getMessage()]


@pytest.mark.parametrize(
    ("src", "expected"),
    [("about.md", "about/"), ("index.md", ""), ("notes/index.md", "notes/"), ("notes/method.md", "notes/method/")],
)
def test_a_nav_page_is_served_from_its_own_folder(src, expected):
    assert page_path(src) == expected


def test_the_sources_page_is_a_setting_found_in_every_language():
    settings = dataclasses.replace(SETTINGS, sources_page="notes/method.md")
    assert sources_path(settings, ZH) == "notes/method/"
    assert sources_path(settings, EN) == "en/notes/method/"
    assert sources_path(dataclasses.replace(SETTINGS, sources_page="index.md"), EN) == "en/"


def move_sources_page(project, setting: str) -> None:
    """Rename the small project's about.md to sources.md (in both languages and the nav), with
    `setting` as mkdocs.yml's sources_page line ('' for none)."""
    for lang in ("zh", "en"):
        (project / "content" / lang / "about.md").rename(project / "content" / lang / "sources.md")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - about.md\n", "  - sources.md\n").replace("  sources_page: about.md\n", setting)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")


@pytest.mark.parametrize("setting", ["  sources_page: sources.md\n", ""])
def test_figures_link_to_the_sources_page_the_settings_name_or_else_the_navs_last(project, setting):
    move_sources_page(project, setting)
    builder.build(project / "mkdocs.yml", project / "site", cache_dir=project / ".cache")
    for lang, home in (("zh", "site/index.html"), ("en", "site/en/index.html")):
        html = (project / home).read_text(encoding="utf-8")
        assert 'href="./sources/#fact-ferry_loss_2025"' in html, lang
    assert 'id="fact-ferry_loss_2025"' in (project / "site/en/sources/index.html").read_text(encoding="utf-8")
