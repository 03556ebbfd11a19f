"""Every address the site prints, made here: relative ones between its own files, and the ones
for people and programs outside it (absolute with site_url, else root-relative).

Paths are given from the site root, as MkDocs gives page URLs: '' is the first language's home,
'en/method/' a page, 'charts/<id>/en.png' a file. Pages link to each other and to assets by
relative addresses, so the site works from any folder and under any server; only what leaves
the site (share images, oEmbed, embed code, sitemaps) needs site_url.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from explainer.load.settings import Language, Settings


def to_root(page: str) -> str:
    """From a page to the folder its path starts from: '../../' from 'en/method/', './' from ''.
    ('./', not '', so that an address made from it is never empty.)"""
    return "../" * page.count("/") or "./"


def href(page: str, target: str) -> str:
    """A relative address from a page to any file or page of the site, both as paths from the site
    root: it climbs to the deepest folder the two share, then down ('en/method/' -> 'en/about/' is
    '../about/'; 'en/embed/x/' -> 'charts/x/en.png' is '../../../charts/x/en.png')."""
    here = page.split("/")[:-1]  # the page's folders; a file's own name is not one
    there = target.split("/")
    shared = 0
    while shared < len(here) and shared < len(there) - 1 and here[shared] == there[shared]:
        shared += 1
    return ("../" * (len(here) - shared) or "./") + "/".join(there[shared:])


def page_path(src: str) -> str:
    """A page's path within its language, from its file in the nav (directory URLs, as MkDocs
    makes them): 'about.md' -> 'about/', 'index.md' -> '', 'notes/index.md' -> 'notes/'."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def sources_path(settings: Settings, lang: Language) -> str:
    """The sources page of a language, from the site root ('en/about/'): where every figure's
    quote and derivation is listed (extra.sources_page)."""
    return lang.prefix + page_path(settings.sources_page)


def chart_files(chart_id: str, lang: str) -> str:
    """Where a chart's files are, from the site root, without the extension: every download, spec
    and embed script is this plus '.png', '.wide.vg.json', '.embed.js'…"""
    return f"charts/{chart_id}/{lang}"


def page_url(settings: Settings, lang: Language, path: str) -> str:
    """A page's address outside the site: absolute with site_url, else root-relative."""
    return file_url(settings, lang.prefix + path)


def file_url(settings: Settings, path: str) -> str:
    """Any file's address outside the site (a chart's PNG, its downloads): absolute with site_url,
    else root-relative (which a page's own script can complete with its origin)."""
    base = settings.site_url.rstrip("/")
    return f"{base}/{path}"


def language_url(settings: Settings, lang: Language) -> str | None:
    """A language's public home, as MkDocs wants its site_url: None without site_url (MkDocs
    then leaves out what needs it)."""
    return page_url(settings, lang, "") if settings.site_url else None


def site_path(settings: Settings) -> str:
    """The site root as a path on its server ('/explainer/' for https://x.org/explainer/, else '/'):
    for a page served at any address (the 404 page), whose relative links would break."""
    return urlsplit(settings.site_url).path.rstrip("/") + "/"


def origin(settings: Settings) -> str:
    """The site's origin (scheme and host, 'https://x.org'), '' without site_url: what a host page
    checks a message against."""
    parts = urlsplit(settings.site_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
