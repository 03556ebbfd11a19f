"""Every published address has one owner: the addresses the build generates are named here, and a
page (or a file of a content folder) that would be written at one of them, or at another page's,
is refused before anything is written, naming both.

Without this check the second writer wins silently: a Chinese page `en.md` (at /en/) was replaced
by the English home page, and a page at `embed/<chart>/` by that chart's embed page.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from explainer.core.errors import Problem, relative
from explainer.load.settings import Language, Settings

EMBED = "embed/"  # each language's embed pages: <prefix>embed/<chart id>/
CHARTS = "charts/"  # at the site root: every chart's downloads, specs and script embeds
ASSETS = "assets/"  # at the site root: the theme's fingerprinted CSS, JS and the chart runtime
# files the build writes in each language's folder, and at the site root only
LANGUAGE_FILES = ("404.html", "search.json", "sitemap.xml", "sitemap.xml.gz", "feed.xml")
SHARE_CARD = "og.png"  # beside each page's index.html: its share card (with site_url)
ROOT_FILES = ("robots.txt",)
INDEX_NAMES = ("index.md", "README.md")  # MkDocs makes both a folder's index.html


def page_output(src: str) -> str:
    """Where MkDocs writes a page of a language folder, with directory URLs: 'about.md' ->
    'about/index.html', 'index.md' and 'README.md' -> 'index.html', 'notes/index.md' -> 'notes/index.html'."""
    if src and not src.startswith(("/", "./")) and not src.endswith("/") and "//" not in src and "/./" not in src:
        # a plain relative path (as every page's is), without pathlib: ~5 µs a page
        folder, _, name = src.rpartition("/")
        if name in INDEX_NAMES:
            return f"{folder}/index.html" if folder else "index.html"
        dot = name.rfind(".")
        stem = name[:dot] if 0 < dot < len(name) - 1 else name  # PurePath.with_suffix("")
        return f"{folder}/{stem}/index.html" if folder else f"{stem}/index.html"
    path = PurePosixPath(src)
    if path.name in INDEX_NAMES:
        folder = path.parent.as_posix()
        return "index.html" if folder == "." else f"{folder}/index.html"
    return f"{path.with_suffix('').as_posix()}/index.html"


def generated_owner(settings: Settings, lang: Language, output: str) -> str | None:
    """Who else owns the output path of a source of `lang`'s folder (from the site root), as the
    end of a sentence ("the build writes the charts' embed pages (/embed/)"); None when it is free."""
    inside = output.removeprefix(lang.prefix)
    if inside.startswith(EMBED):
        return f"the build writes the charts' embed pages (/{lang.prefix}{EMBED})"
    if inside in LANGUAGE_FILES:
        return f"the build writes its own {inside}"
    if lang.prefix:  # the other languages live in a folder of their own
        return None
    first_folder = output.split("/", 1)[0] + "/"
    if first_folder == CHARTS:
        return f"the build writes the charts' downloads (/{CHARTS})"
    if first_folder == ASSETS:
        return f"the build writes the theme's assets (/{ASSETS})"
    if output in ROOT_FILES:
        return f"the build writes its own {output}"
    for other in settings.languages[1:]:
        if first_folder == other.prefix:
            return f"the '{other.code}' pages are (/{other.prefix})"
    return None


def other_files(settings: Settings) -> tuple[dict[str, list[Path]], list[str]]:
    """The files of each language folder that are not pages, in one walk: per language those
    extra.publish lists (glob patterns relative to the language folder, published as they are),
    and every other one, left out of the site and said once (a stray draft is never published)."""
    published: dict[str, list[Path]] = {}
    left_out: list[str] = []
    for lang in settings.codes:
        folder = settings.content_dir / lang
        published[lang] = []
        for path in sorted(folder.rglob("*")):
            if path.suffix == ".md" or not path.is_file():  # a page first: no stat for each of them
                continue
            if listed(path.relative_to(folder).as_posix(), settings.publish):
                published[lang].append(path)
            else:
                left_out.append(relative(path))
    return published, left_out


def listed(src: str, patterns: Iterable[str]) -> bool:
    """Whether a file of a language folder is listed in extra.publish."""
    return any(fnmatch.fnmatchcase(src, pattern) for pattern in patterns)


def address_problems(settings: Settings, sources: dict[str, list[Path]]) -> list[Problem]:
    """Every address two sources would write, or a source and the build: one problem each, at the
    source, naming the other. `sources`: per language, its pages and published files."""
    problems = []
    for lang in settings.languages:
        folder = settings.content_dir / lang.code
        owners: dict[str, Path] = {}
        inside = str(folder) + os.sep
        for path in sorted(sources.get(lang.code, []), key=lambda path: (path.suffix != ".md", path)):  # pages first
            # as path.relative_to(folder).as_posix(), without pathlib: ~20 µs a page
            name = str(path)
            src = (
                name[len(inside) :].replace(os.sep, "/")
                if name.startswith(inside)
                else path.relative_to(folder).as_posix()
            )
            output = lang.prefix + (page_output(src) if path.suffix == ".md" else src)
            card = output.removesuffix(SHARE_CARD) + "index.html" if output.rpartition("/")[2] == SHARE_CARD else ""
            if card in owners and owners[card].suffix == ".md":  # a file where a page's share card goes
                generated = f"the build writes the share card of {relative(owners[card])}"
            else:
                generated = generated_owner(settings, lang, output)
            if generated is not None:
                shown = relative(path)
                what = "page" if path.suffix == ".md" else "file"
                problems.append(
                    Problem(
                        shown,
                        None,
                        f"this {what} would be published at /{output}, where {generated}; rename or move it",
                    )
                )
            elif output in owners:
                shown, other = relative(path), relative(owners[output])
                problems.append(
                    Problem(
                        shown, None, f"would be published at /{output}, as {other} is; rename or remove one of them"
                    )
                )
            else:
                owners[output] = path
    return problems
