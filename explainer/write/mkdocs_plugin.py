"""The thin MkDocs adapter: expands references in each page and gives templates their context.

build.py gathers and checks everything first, then hands this plugin the results; the plugin
only looks things up, so MkDocs never sees an unknown fact or chart.
"""

from __future__ import annotations

import html as html_text
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup, escape

from explainer.core.errors import BuildError
from explainer.core.escape import markdown_text
from explainer.core.fingerprint import digest
from explainer.core.mkdocs_adapter import BasePlugin, Files, MkDocsConfig, Page, generated_page
from explainer.draw.exports import ImageCache, share_card_svg
from explainer.draw.render import RenderedChart
from explainer.language.attribution import says_hedge
from explainer.language.formatting import hedge_format, web_locale
from explainer.language.words import words_in_use
from explainer.load.addresses import listed
from explainer.load.claims import ClaimBook
from explainer.load.corrections import PAGE_SRC as CORRECTIONS_PAGE
from explainer.load.corrections import Corrections
from explainer.load.facts import FactBook, derivation
from explainer.load.glossary import Term, terms_in
from explainer.load.pages import Page as LoadedPage
from explainer.load.refs import Reference, expand, find_references, markdown_inert, sentence_around, starts_sentence
from explainer.load.sections import with_section_ids
from explainer.load.settings import Language, Settings
from explainer.write.citations import Citations
from explainer.write.corrections import FEED, NewPage, chart_corrections, feed_xml, notices, page_entries
from explainer.write.corrections import PATH as CORRECTIONS_PATH
from explainer.write.credit import source_line
from explainer.write.figure_cache import FigureCache
from explainer.write.figures import FigureLinks, figure_html, partials_env
from explainer.write.page_cache import PageCache
from explainer.write.search_index import SearchIndex, sections
from explainer.write.urls import page_path, page_url, site_path, to_root

ASSET_PREFIX = "assets/"
SLOT = re.compile(r'<div data-chart-slot="(\d+)"></div>')
HEADLINE = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL)
# A page's opening, which the theme sets apart as its first screen: the headline and, right under
# it, a paragraph the page marks with {: .dateline } (when the source's date needs a word).
OPENING = re.compile(r'\s*(<h1\b[^>]*>.*?</h1>)\s*(<p class="dateline">.*?</p>)?', re.DOTALL)
TAG = re.compile(r"<[^>]+>")
HEADING = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
NOTE_REF = re.compile(r'<sup class="note-ref">.*?</sup>', re.DOTALL)  # a glossary note's number
CARD = "og.png"  # each page's share card, beside its index.html


@dataclass(frozen=True)
class PagesBefore:
    """The published build of a language from the same shared inputs and file names: each page's
    conversion key (its source, address and text) and a hash of every page's address and title.
    A page's HTML reads from the other pages only their addresses, titles (the section list,
    previous and next) and front matter (a shared input), so with the same titles a page whose
    key is unchanged is the published page, byte for byte: it is linked, not written."""

    pages: dict[str, str]  # source path (relative to the language's folder) -> conversion key
    titles: str


@dataclass(frozen=True)
class LanguageBuild:
    """Everything one language's MkDocs build needs, gathered and checked beforehand."""

    settings: Settings
    lang: Language
    facts: FactBook
    charts: dict[str, RenderedChart]
    ui: dict[str, str]
    assets: dict[str, str]  # logical name -> fingerprinted path from the site root
    claims: ClaimBook = field(default_factory=lambda: ClaimBook({}))
    glossary: dict[str, Term] = field(default_factory=dict)
    images: ImageCache | None = None  # where share cards are rasterised; None: pages get none
    pages: PageCache | None = None  # pages converted by earlier builds; None: every page is converted
    figures: FigureCache | None = None  # figures drawn by earlier builds; None: every figure is drawn
    templates: jinja2.BytecodeCache | None = None  # compiled templates kept; None: compiled each build
    citations: Citations | None = None  # citations made by earlier builds; None: made each time
    sections: dict[str, list[str]] = field(default_factory=dict)  # file name -> its sections' shared ids
    before: PagesBefore | None = None  # the published pages to keep; None: every page is written
    corrections: Corrections = field(default_factory=Corrections)  # the log, newest first
    titles: dict[str, str] = field(default_factory=dict)  # file name -> the page's title, for the corrections page
    chart_pages: dict[str, str] = field(default_factory=dict)  # chart id -> the page it first appears on
    new_pages: tuple[NewPage, ...] = ()  # the pages whose front matter says when they were published

    @property
    def has_feed(self) -> bool:
        """Whether the language has a feed: something to announce, and site_url for its addresses."""
        return bool(self.settings.site_url) and bool(self.corrections or self.new_pages)

    front_matter: Callable[[str], Any] | None = None  # front matter parsed before (YAML text -> data, or None)
    loaded: Mapping[str, LoadedPage] = field(default_factory=dict)  # the language's pages as loaded (file name ->)


class ExplainerPlugin(BasePlugin):
    """Expands {{ fact }}, {{ chart }}, {{ keynumbers }} and {{ fact_table }}; adds template context."""

    def __init__(self, build: LanguageBuild) -> None:
        super().__init__()
        self.build = build
        self.search = SearchIndex()
        self.first_chart: dict[str, str] = {}  # page URL -> its first chart, for share cards
        self.headlines: dict[str, str] = {}  # page URL -> its h1, for share cards
        self.cards: dict[str, str] = {}  # page URL -> its share card's SVG, rasterised after the build
        self.slots: dict[str, list[str]] = {}  # page URL -> figure HTML, filled in after Markdown
        self.notes: dict[str, list[Term]] = {}  # page URL -> glossary terms noted on it, in order
        self.partials = partials_env(build.settings.theme_dirs, build.templates)
        self.nav_pages: list[Page] = []  # the sections in reading order
        self.navs: dict[str, str] = {}  # the section list, rendered once per relative root
        self.nav_renders = 0  # how often it was rendered (once per folder depth, not per page)
        self.page_keys: dict[str, str] = {}  # page URL -> its conversion's key (explainer/write/page_cache.py)
        self.cached: dict[str, dict[str, Any]] = {}  # page URL -> its conversion, kept from an earlier build
        self.keys: dict[str, str] = {}  # source path -> its conversion's key, every page's
        self.outputs: dict[str, list[str]] = {}  # source path -> the files its writing makes (their paths)
        self.chart_data: dict[str, str] = {}  # chart id -> a hash of the facts it shows (_chart_data)
        self.data_used: dict[tuple, str] = {}  # the ids a page's references read -> their hash (_data_used)
        self.titles = ""  # a hash of every page's address and title, once all are converted
        self.written: set[str] = set()  # the pages written
        self.kept: set[str] = set()  # the pages not written: the published ones are linked

    # Assets are fingerprinted once for the whole site by build.py, not copied per language.
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """The pages, the content folder's files that extra.publish lists, and the theme's files but
        its assets (written fingerprinted by the build)."""
        docs = os.path.join(os.path.abspath(config.docs_dir), "")
        patterns = self.build.settings.publish

        def kept(file: Any) -> bool:
            if file.is_documentation_page():
                return True
            if file.abs_src_path and os.path.abspath(file.abs_src_path).startswith(docs):
                return listed(file.src_uri, patterns)
            return not file.src_uri.startswith(ASSET_PREFIX)

        kept_files = Files([file for file in files if kept(file)])
        if self.build.corrections:  # the corrections page: made here, in every language
            kept_files.append(generated_page(config, CORRECTIONS_PAGE, self._corrections_markdown()))
        return kept_files

    def _corrections_markdown(self) -> str:
        """The corrections page's Markdown: its title, then the log as one block of our HTML."""
        build = self.build
        entries = page_entries(
            build.corrections,
            build.lang,
            build.ui,
            titles=build.titles,
            charts={c: (chart.title, build.chart_pages.get(c, "")) for c, chart in build.charts.items()},
            facts=build.facts,
            claims=build.claims,
            sources=page_path(build.settings.sources_page),
        )
        split = build.ui["corrected_on"].partition("{date}")
        html = self.partials.get_template("partials/corrections.html").render(
            entries=entries, t=build.ui, label=(split[0], split[2]), lang=build.lang.code
        )
        # front matter as JSON (which YAML reads as it is): the page's title and its description
        # for search results and share previews
        meta = {"title": build.ui["corrections"], "description": build.ui["corrections_intro"]}
        front = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
        return f"---\n{front}---\n\n# {markdown_text(build.ui['corrections'])}\n\n{_block(html)}\n"

    # Heading anchors keep Chinese characters (the default slugifier drops them: '#_1', '#_2').
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config.mdx_configs.setdefault("toc", {})["slugify"] = slugify_unicode
        return config

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self.nav_pages = [item for item in nav if item.is_page]
        return nav

    # Escape everything the templates print unless it is marked safe; reuse compiled templates.
    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        pages = [file.page for file in files.documentation_pages() if file.page is not None]
        self.titles = digest(json.dumps([[page.url, page.title] for page in pages], ensure_ascii=False))
        env.autoescape = True
        # a heading's title in the table of contents is Markdown's HTML text (“ as &ldquo;): made
        # plain text first, so autoescape writes it once, not as a literal "&ldquo;"
        env.filters["as_text"] = html_text.unescape
        env.undefined = jinja2.StrictUndefined
        env.bytecode_cache = self.build.templates
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Replace every macro in the page by its HTML, in this build's language (or, when the page
        was converted before from the same inputs, have MkDocs take that conversion instead)."""
        url = page.url
        generated = page.file.src_uri == CORRECTIONS_PAGE and bool(self.build.corrections)
        notice = "" if generated else self._page_notice(page, markdown)
        # the references the loader found in the page, when MkDocs' Markdown is the page it read: the
        # section ids added below can only break a reference that runs past a heading's line, not
        # make one, so these name all that the conversion can read (and are not looked for again)
        loaded = self.build.loaded.get(page.file.src_uri)
        refs = loaded.references if loaded is not None and markdown == loaded.body.lstrip("\n") else None
        # each `## ` section gets the id it has in every language, so the language switch keeps it
        markdown = with_section_ids(markdown, self.build.sections.get(page.file.src_uri, []))
        cache = self.build.pages
        self.outputs[page.file.src_uri] = [page.file.dest_uri, url + CARD]
        if cache is not None:
            # the corrections page's Markdown is the log itself; another page's notice is in its key
            key = cache.key(page, markdown, "" if generated else digest(self._data_used(markdown, refs), notice))
            self.keys[page.file.src_uri] = key
            entry = cache.lookup(key, files)
            if entry is not None:
                self.cached[url] = entry
                page.render = cache.restore(page, entry, files)  # type: ignore[method-assign]
                return markdown
            self.page_keys[url] = key
            page.render = cache.listen(page)  # type: ignore[method-assign]
        self.slots[url] = []
        self.notes[url] = []
        if generated:  # our own HTML, its values escaped: no reference to expand
            return markdown
        # every reference was checked before MkDocs ran, so no line numbers are needed here; what a
        # reference prints from the content is plain text to Markdown (markdown_inert)
        html = expand(markdown, lambda ref: markdown_inert(self._render(ref, url, markdown)))
        if self.notes[url]:
            notes = self.partials.get_template("partials/notes.html")
            terms = notes.render(terms=self.notes[url], lang=self.build.lang.code, t=self.build.ui)
            html += "\n\n" + _block(terms)
        if notice:
            html += "\n\n" + notice
        return html

    def _page_notice(self, page: Page, markdown: str) -> str:
        """The notice at the foot of a page that a correction touched (named, or a chart it shows
        was corrected), each correction marked up as the article's schema.org correction."""
        build = self.build
        charts = [ref.args[0] for ref in find_references(markdown) if ref.name == "chart" and ref.args]
        touched = build.corrections.of_page(page.file.src_uri, charts, build.lang.code)
        if not touched:
            return ""
        root = to_root(build.lang.prefix + page.url)
        split = build.ui["corrected_on"].partition("{date}")
        html = self.partials.get_template("partials/correction_notice.html").render(
            notices=notices(touched, build.lang, build.ui, root), t=build.ui, label=(split[0], split[2])
        )
        return _block(html)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put each chart's figure in its slot, then index the page's sections for search.

        Figures skip Markdown (a slot stands in for them): their SVG is tens of KB that
        Python-Markdown and MkDocs would otherwise parse as raw HTML on every build.
        """
        url = page.url
        entry = self.cached.get(url)
        if entry is not None:  # converted before: the HTML is final, the rest was kept with it
            self._note_page(url, entry)
            return html
        figures = self.slots.get(url, [])
        html = SLOT.sub(lambda m: figures[int(m.group(1))], html)
        headline = HEADLINE.search(html)
        noted = {
            "headline": html_text.unescape(TAG.sub("", headline.group(1))).strip() if headline else None,
            "first_chart": self.first_chart.get(url),
            "search": sections(url, page.title or "", html),
        }
        self._note_page(url, noted)
        _untitle_notes(page, html)
        if self.build.pages is not None and url in self.page_keys:
            page.content = html
            self.build.pages.keep(self.page_keys[url], page, noted)
        return html

    def _data_used(self, markdown: str, refs: Sequence[Reference] | None = None) -> str:
        """A hash of the facts, claims, glossary terms and charts a page's references read: the
        data files are not in the page cache's context, so a fact edit converts (and writes) only
        the pages that show the fact or a chart drawn from it. A table of them all reads them all."""
        build = self.build
        facts, claims, terms, charts = set(), set(), set(), []
        every_fact = every_claim = every_term = False
        for ref in find_references(markdown) if refs is None else refs:
            if ref.name in ("fact", "keynumbers"):
                facts.update(ref.args)
            elif ref.name in ("claim", "quote"):
                claims.add(ref.args[0])
            elif ref.name == "term":
                terms.add(ref.args[0])
            elif ref.name == "chart":
                charts.append(ref.args[0])
                if ref.args[0] in build.charts:  # the terms its caption may note
                    chart = build.charts[ref.args[0]]
                    terms.update(term.id for term in terms_in(chart.words, build.glossary.values(), build.lang.code))
            else:  # the tables (fact_table, claim_table, glossary), or a macro this does not know
                every_fact = every_claim = every_term = True
        # pages that read the same data share its hash: each fact's repr made once a build, not per page
        used = (
            None if every_fact else tuple(sorted(facts)),
            None if every_claim else tuple(sorted(claims)),
            None if every_term else tuple(sorted(terms)),
            tuple(sorted(set(charts))),
        )
        data = self.data_used.get(used)
        if data is None:
            data = self.data_used[used] = digest(
                repr(
                    [fact for fact in build.facts.values()] if every_fact else [build.facts[f] for f in sorted(facts)]
                ),
                repr(list(build.claims.values()) if every_claim else [build.claims[c] for c in sorted(claims)]),
                repr(list(build.glossary.values()) if every_term else [build.glossary[t] for t in sorted(terms)]),
                *[self._chart_data(chart_id) for chart_id in sorted(set(charts))],
            )
        return data

    def _chart_data(self, chart_id: str) -> str:
        """A hash of what a chart's figure shows that is not in the page cache's context: the facts
        it was drawn from (all of them when it iterated over them) and those its rows name."""
        data = self.chart_data.get(chart_id)
        if data is None:
            chart, facts = self.build.charts[chart_id], self.build.facts
            used = set(chart.facts_used) | {row["fact"] for row in chart.rows if "fact" in row}
            read = list(facts.values()) if chart.read_all else [facts[f] for f in sorted(used) if f in facts]
            data = self.chart_data[chart_id] = digest(chart_id, repr(read))
        return data

    def _note_page(self, url: str, noted: dict[str, Any]) -> None:
        """What later steps need of a converted page: its headline and first chart (its share
        card) and its sections (the search index)."""
        if noted["headline"] is not None:
            self.headlines[url] = noted["headline"]
        if noted["first_chart"] is not None:
            self.first_chart[url] = noted["first_chart"]
        self.search.extend(noted["search"])

    def write_page(self, src_uri: str) -> bool:
        """Whether a page is written (once every page is converted): unless it is the published one."""
        before = self.build.before
        keep = (
            before is not None
            and before.titles == self.titles
            and src_uri in self.keys
            and before.pages.get(src_uri) == self.keys[src_uri]
        )
        if keep:
            self.kept.add(src_uri)
        return not keep

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        self.written.add(page.file.src_uri)
        context.update(self._page_context(page.url, page.file.src_uri))
        context.update(opening(page.content or "", page.meta))
        title = config.site_name if page.is_homepage else f"{page.title} · {config.site_name}"
        context["social"] = self._social(page.url, title, page.meta.get("description", ""))
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write this language's search index beside its pages, each page's share card, and the
        feed of its corrections (with site_url: a feed's addresses are absolute)."""
        (Path(config.site_dir) / self.search.filename).write_bytes(self.search.data)
        build = self.build
        if build.has_feed:
            feed = feed_xml(build.settings, build.lang, build.corrections, build.ui, build.titles, build.new_pages)
            (Path(config.site_dir) / FEED).write_bytes(feed)
        images = self.build.images
        for url, svg in sorted(self.cards.items()) if images else ():
            images.place(Path(config.site_dir) / url / CARD, svg)

    def on_template_context(
        self, context: dict[str, Any], *, template_name: str, config: MkDocsConfig
    ) -> dict[str, Any]:
        """Give static templates (404.html) the same context as pages, at the language root."""
        # 404.html is served at any missing address, so its links are absolute paths
        context.update(self._page_context("404.html", None, root=site_path(self.build.settings)))
        context["social"] = None
        context["alternates_for"] = lambda url: {
            other.html_lang: self._href(other, url) for other in self.build.settings.languages
        }
        return context

    # -- helpers -------------------------------------------------------------

    def _social(self, url: str, title: str, description: str) -> dict[str, str] | None:
        """Open Graph / Twitter card data, with the page's own share card: its headline, its
        first chart (a text card if it has none) and the site's name, in the page's language.
        Crawlers need absolute addresses, so without site_url a page has no card and none is drawn."""
        build = self.build
        if build.images is None:
            return None
        social = {
            "title": title,
            "description": description,
            "locale": web_locale(build.lang.code).replace("-", "_"),
        }
        site_url = build.settings.site_url.rstrip("/")
        if not site_url:  # a share preview needs absolute addresses: no card until site_url is set
            return social
        chart = build.charts.get(self.first_chart.get(url, ""))
        headline = self.headlines.get(url) or title
        address = site_url.split("://", 1)[-1]
        self.cards[url] = share_card_svg(headline, description, build.lang.site_name, address, chart, build.lang.code)
        alt = f"{headline}. {chart.description}" if chart else f"{headline}. {description}"
        return {
            **social,
            "url": self._href(build.lang, url),
            "image": self._href(build.lang, url + CARD),
            "image_alt": alt,
        }

    def _href(self, lang: Language, url: str) -> str:
        """The URL of a page in a language: absolute with site_url, else root-relative."""
        return page_url(self.build.settings, lang, url)

    def _page_context(self, url: str, src: str | None, root: str | None = None) -> dict[str, Any]:
        build = self.build
        fixed_root = root is not None
        root = root if fixed_root else to_root(build.lang.prefix + url)
        languages = [
            {
                "code": other.code,
                "name": other.name,
                "html_lang": other.html_lang,
                "current": other.code == build.lang.code,
                "href": root + other.prefix + (url if src is not None else ""),
                "root": root + other.prefix,  # its home, where its search index is
            }
            for other in build.settings.languages
        ]
        # hreflang alternates only mean something to crawlers, which need absolute URLs
        # (root-relative ones are invalid and cost the SEO audit): so only with site_url.
        alternates = []
        if src is not None and build.settings.site_url:
            alternates = [
                {"hreflang": other.html_lang, "href": self._href(other, url)} for other in build.settings.languages
            ]
            first = build.settings.languages[0]
            alternates.append({"hreflang": "x-default", "href": self._href(first, url)})
        return {
            "lang": build.lang,
            "t": build.ui,
            "root_url": root,
            "language_root": root + build.lang.prefix if fixed_root else to_root(url),
            "search_index": self.search.filename,
            "nav_html": self._nav_html(url) if src is not None else Markup(""),
            "languages": languages,
            "alternates": alternates,
            "assets": build.assets,
            "article_url": build.settings.article_url,
            "source_line": source_line(build.settings, build.lang.code, build.ui),
            # the corrections page and feed, only when there is a correction (the feed: with site_url)
            "corrections_url": (root + build.lang.prefix if fixed_root else to_root(url)) + CORRECTIONS_PATH
            if build.corrections
            else "",
            "feed_url": self._href(build.lang, FEED) if build.has_feed else "",
        }

    def _nav_html(self, url: str) -> Markup:
        """The section list for a page, the page marked current. Rendered once per folder depth
        (every link from a page at that depth starts the same way) and copied into each page."""
        root = to_root(url)
        shared = self.navs.get(root)
        if shared is None:
            items = [{"href": root + page.url, "title": page.title} for page in self.nav_pages]
            shared = self.partials.get_template("partials/nav.html").render(items=items, t=self.build.ui)
            self.navs[root] = shared
            self.nav_renders += 1
        link = f'<a href="{escape(root + url)}">'
        return Markup(shared.replace(link, link[:-1] + ' aria-current="page">', 1))

    def _render(self, ref: Reference, url: str, markdown: str = "") -> str:
        build = self.build
        code = build.lang.code
        prefix = build.lang.prefix
        # url is within this language, as is its sources page
        sources_url = to_root(url) + page_path(build.settings.sources_page)
        common = {
            "lang": code,
            "t": build.ui,
            "sources_url": sources_url,
            "article_lang": build.settings.codes[0],
        }
        get = self.partials.get_template
        if ref.name == "fact":
            fact = build.facts[ref.args[0]]
            # the hedge is shown unless the sentence around the figure already says it
            said = says_hedge(sentence_around(markdown, ref.start, ref.end), fact.status, code)
            hedge = "" if said else fact.hedge(code)
            return (
                get("partials/fact.html")
                .render(fact=fact, hedge=hedge, hedge_format=hedge_format(code), **common)
                .strip()
            )
        if ref.name == "keynumbers":
            facts = [build.facts[fact_id] for fact_id in ref.args]
            return _block(get("partials/keynumbers.html").render(facts=facts, **common))
        if ref.name == "fact_table":
            facts = list(build.facts.values())
            how = {fact.id: derivation(fact, build.facts, code) for fact in facts}
            return _block(
                get("partials/fact_table.html").render(facts=facts, how=how, facts_by_id=build.facts, **common)
            )
        if ref.name == "claim":
            claim = build.claims[ref.args[0]]
            text = claim.text[code]
            if starts_sentence(markdown, ref.start):
                text = text[:1].upper() + text[1:]
            # the link to the article's words covers the speaker's name, not the whole clause
            before, named, after = split_at_name(text, words_in_use().speakers[claim.speaker].names(code))
            return (
                get("partials/claim.html")
                .render(claim=claim, text=text, before=before, named=named, after=after, **common)
                .strip()
            )
        if ref.name == "quote":
            return get("partials/quote.html").render(claim=build.claims[ref.args[0]], **common).strip()
        if ref.name == "claim_table":
            return _block(get("partials/claim_table.html").render(claims=list(build.claims.values()), **common))
        if ref.name == "glossary":
            return _block(get("partials/glossary.html").render(terms=list(build.glossary.values()), **common))
        if ref.name == "term":
            term = build.glossary[ref.args[0]]
            word = ref.args[1] if len(ref.args) > 1 else term.word[code]
            noted = self.notes.setdefault(url, [])
            number = None
            if term not in noted:
                noted.append(term)
                number = len(noted)
            return get("partials/term.html").render(term=term, word=word, number=number, **common).strip()
        if ref.name == "chart":
            chart = build.charts[ref.args[0]]
            links = FigureLinks(root_url=to_root(prefix + url), sources_url=sources_url)
            caption = ref.args[1] if len(ref.args) > 1 else None
            plotted = [row["fact"] for row in chart.rows if "fact" in row]
            corrected = chart_corrections(build.corrections, chart.chart_id, plotted, code)
            # the glossary terms the chart is the first on this page to use: their notes are in its caption
            noted = self.notes.setdefault(url, [])
            firsts = [term for term in terms_in(chart.words, build.glossary.values(), code) if term not in noted]
            noted += firsts
            terms = [(term, noted.index(term) + 1) for term in firsts]

            def draw() -> str:
                return figure_html(
                    self.partials,
                    build.settings,
                    build.lang,
                    chart,
                    build.facts,
                    build.ui,
                    links,
                    caption,
                    citations=build.citations,
                    corrections=corrected,
                    terms=terms,
                )

            # the figure cache's context has no data: the facts the chart was drawn from are in its key
            where = (
                chart.chart_id,
                json.dumps(caption),
                links.root_url,
                links.sources_url,
                self._chart_data(chart.chart_id),
            )
            where += (repr(corrected), json.dumps([(term.id, term.word[code], number) for term, number in terms]))
            figure = build.figures.figure(draw, *where) if build.figures is not None else draw()
            self.first_chart.setdefault(url, chart.chart_id)
            slots = self.slots.setdefault(url, [])
            slots.append(figure)
            return f'<div data-chart-slot="{len(slots) - 1}"></div>'
        msg = f"no renderer for macro '{ref.name}'"
        raise BuildError(msg)


def split_at_name(text: str, names: Sequence[str]) -> tuple[str, str, str]:
    """Split a claim's text around the first place it names its speaker (the longest name there):
    (before, name, after); ("", "", text) when it names none."""
    low = text.lower()
    found = [(low.find(name.lower()), -len(name)) for name in names if name and name.lower() in low]
    if not found:
        return "", "", text
    start, minus = min(found)
    return text[:start], text[start : start - minus], text[start - minus :]


def opening(content: str, meta: dict[str, Any]) -> dict[str, Any]:
    """Split a page's HTML into its first screen's parts for the theme: the headline, the
    standfirst (front matter `standfirst:`, else `description:`), the dateline note, and the rest."""
    found = OPENING.match(content)
    standfirst = meta.get("standfirst") or meta.get("description") or ""
    if found is None:
        return {"headline": Markup(""), "standfirst": standfirst, "dateline": Markup(""), "body": Markup(content)}
    return {
        "headline": Markup(found.group(1)),
        "standfirst": standfirst,
        "dateline": Markup(found.group(2) or ""),
        "body": Markup(content[found.end() :]),
    }


def _block(html: str) -> str:
    """Make HTML safe to drop into Markdown as one raw block: no blank lines inside (the partial's
    own; a value's line breaks are entities by then, so its text is kept whole)."""
    lines = [line for line in markdown_inert(html).split("\n") if line.strip()]
    return "\n".join(lines)


def _untitle_notes(page: Page, html: str) -> None:
    """A heading that carries a glossary note is listed in the page's contents by its words alone:
    the toc's text of `## The loop{{ term loop }}` was 'The loop1', the note's number glued on."""
    noted = {match.group(2): match.group(3) for match in HEADING.finditer(html) if "note-ref" in match.group(3)}
    items = list(getattr(page.toc, "items", None) or [])
    while noted and items:
        item = items.pop()
        if item.id in noted:
            item.title = html_text.unescape(TAG.sub("", NOTE_REF.sub("", noted[item.id]))).strip()
        items.extend(item.children)
