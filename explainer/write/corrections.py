"""Corrections in the open: the corrections page of each language, the notices where a correction
applies (a page, a chart, its embeds and downloads) and the Atom feed of each language (its
corrections and its new pages, those whose front matter says when they were `published`).

Every address here comes from explainer/write/urls.py; every value is escaped where it lands:
HTML by Jinja's autoescape, XML by ElementTree, SVG by the export's own escaper, CSV by the csv
module (and csv_cell), JSON by the json module.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from explainer.core.escape import one_line_url, xml_chars
from explainer.language.formatting import long_date
from explainer.load.claims import ClaimBook
from explainer.load.corrections import PAGE_SRC, Correction, Corrections
from explainer.load.facts import FactBook
from explainer.load.pages import published_day
from explainer.load.settings import Language, Settings
from explainer.write.urls import page_path, page_url

PATH = page_path(PAGE_SRC)  # 'corrections/', within each language
FEED = "feed.xml"  # each language's Atom feed, at its root: /feed.xml, /en/feed.xml
ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class NewPage:
    """A page the feed announces: its file, title, description and the day it was published."""

    src: str
    title: str
    description: str
    date: datetime.date


def new_pages(pages: Mapping[str, Any]) -> tuple[NewPage, ...]:
    """The pages of a language (file name -> Page) whose front matter says when they were published."""
    found = []
    for src, page in sorted(pages.items()):
        day = published_day(page.meta.get("published"))
        if day is not None:
            found.append(NewPage(src, page.title, str(page.meta.get("description", "")), day))
    return tuple(found)


@dataclass(frozen=True)
class Notice:
    """A correction as a notice shows it: its anchor's address, its day and what changed."""

    id: str
    iso: str  # 2026-12-07, for <time datetime> and datePublished
    date: str  # the day as the language writes it
    label: str  # "Corrected December 7, 2026:"
    what: str
    why: str
    href: str  # to the correction on its language's corrections page


def notices(corrections: Iterable[Correction], lang: Language, ui: Mapping[str, str], base: str) -> list[Notice]:
    """The notices of some corrections in a language; `base` leads to the site root (a relative
    path from the page, the root marker of a script embed, or the site's address)."""
    found = []
    for entry in corrections:
        day = long_date(entry.date, lang.code)
        found.append(
            Notice(
                id=entry.id,
                iso=entry.date.isoformat(),
                date=day,
                label=ui["corrected_on"].format(date=day),
                what=entry.what[lang.code],
                why=entry.why[lang.code],
                href=f"{base}{lang.prefix}{PATH}#{entry.id}",
            )
        )
    return found


def download_line(settings: Settings, lang: Language, corrections: Sequence[Correction], ui: Mapping[str, str]) -> str:
    """What the downloads (SVG, PNG, the bundle's README) say of a chart's corrections, after the
    source line: each one's day and what changed, and the address of the corrections page when
    the site's is known (without site_url a download names no address rather than a wrong one)."""
    lines = []
    for entry in corrections:
        day = long_date(entry.date, lang.code)
        text = ui["correction_line"].format(date=day, what=entry.what[lang.code])
        if settings.site_url:
            address = one_line_url(page_url(settings, lang, f"{PATH}#{entry.id}"))
            text += " " + ui["correction_see"].format(address=address)
        lines.append(text)
    return " ".join(lines)


def chart_corrections(
    corrections: Corrections, chart_id: str, facts: Iterable[str], lang: str | None = None
) -> list[Correction]:
    """The corrections a chart's downloads carry: those of the chart, or of a figure it plots
    (in a language, if given: a correction of one language's chart shows only there)."""
    plotted = set(facts)
    return [
        entry
        for entry in corrections
        if (chart_id in entry.charts or plotted & set(entry.facts)) and entry.shown_in(lang)
    ]


def page_entries(
    corrections: Corrections,
    lang: Language,
    ui: Mapping[str, str],
    *,
    titles: Mapping[str, str],
    charts: Mapping[str, tuple[str, str]],
    facts: FactBook,
    claims: ClaimBook,
    sources: str,
) -> list[dict[str, Any]]:
    """Each correction as the corrections page lists it (relative to that page): its notice and
    links to what it touched. `titles`: each page's title; `charts`: each chart's title and the
    page it first appears on (from the language root); `sources`: the sources page (the same)."""
    root = "../" * PATH.count("/")  # from corrections/ to the language's root
    listed = []
    for entry, notice in zip(corrections, notices(corrections, lang, ui, ""), strict=True):
        links = [(titles.get(src, src), root + page_path(src)) for src in entry.pages]
        links += [(charts[c][0], f"{root}{charts[c][1]}#chart-{c}") for c in entry.charts if c in charts]
        links += [(facts[f].label[lang.code], f"{root}{sources}#fact-{f}") for f in entry.facts]
        links += [(claims[c].text[lang.code], f"{root}{sources}#claim-{c}") for c in entry.claims]
        listed.append({"notice": notice, "links": links})
    return listed


def feed_xml(
    settings: Settings,
    lang: Language,
    corrections: Corrections,
    ui: Mapping[str, str],
    titles: Mapping[str, str],
    pages: Sequence[NewPage] = (),
) -> bytes:
    """The language's Atom feed (RFC 4287) of its corrections and new pages, newest first:
    absolute addresses only, so it needs site_url. ElementTree escapes every value for XML."""
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = xml_chars(text)
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": lang.html_lang})
    page = page_url(settings, lang, PATH)
    newest = max([entry.date for entry in corrections] + [new.date for new in pages])
    add(feed, "id", page_url(settings, lang, FEED))
    add(feed, "title", f"{lang.site_name} · {ui['corrections_feed']}")
    add(feed, "updated", _stamp(newest))
    add(feed, "link", rel="self", type="application/atom+xml", href=page_url(settings, lang, FEED))
    add(feed, "link", rel="alternate", type="text/html", href=page)
    author = add(feed, "author")
    add(author, "name", lang.site_name)
    told: list[tuple[datetime.date, int, Correction | NewPage]] = [(e.date, 1, e) for e in corrections]
    told += [(new.date, 0, new) for new in pages]  # a page and its correction of a day: the correction first
    for _day, _kind, entry in sorted(told, key=lambda item: (item[0], item[1]), reverse=True):
        if isinstance(entry, NewPage):
            address = page_url(settings, lang, page_path(entry.src))
            item = add(feed, "entry")
            add(item, "id", address)
            add(item, "title", entry.title)
            add(item, "updated", _stamp(entry.date))
            add(item, "link", rel="alternate", type="text/html", href=address)
            add(item, "summary", entry.description, type="text")
            continue
        day = long_date(entry.date, lang.code)
        item = add(feed, "entry")
        add(item, "id", f"{page}#{entry.id}")
        add(item, "title", ui["correction_line"].format(date=day, what=entry.what[lang.code]))
        add(item, "updated", _stamp(entry.date))
        add(item, "link", rel="alternate", type="text/html", href=f"{page}#{entry.id}")
        where = [titles.get(src, src) for src in entry.pages]
        summary = f"{entry.what[lang.code]} {ui['correction_why']} {entry.why[lang.code]}"
        if where:
            summary += f" {ui['correction_touches']} {ui['list_separator'].join(where)}"
        add(item, "summary", summary, type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _stamp(day: datetime.date) -> str:
    """An Atom date (RFC 3339) of a day: its start, in UTC (the log keeps days, not times)."""
    return f"{day.isoformat()}T00:00:00Z"
