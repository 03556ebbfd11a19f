"""Stage 1, load: a project read from its folder into one object, each file checked as it is read,
and every reference between them resolved.

Every loader and check runs even when another failed, so that one build reports every problem of
every file at once; nothing later runs until all of them passed.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from explainer.core.errors import ContentError, Problem, Problems, relative
from explainer.core.passed import PassedChecks, passed_store
from explainer.core.store import Stores
from explainer.core.yamlfile import ParsedYaml, yaml_store
from explainer.language.words import Words, load_words, use_words
from explainer.load.addresses import address_problems, other_files, page_output
from explainer.load.chart_folder import ChartFolder
from explainer.load.chart_text import chart_text_problems
from explainer.load.claims import ClaimBook, load_claims
from explainer.load.corrections import FILE_NAME as CORRECTIONS_FILE
from explainer.load.corrections import PAGE_SRC as CORRECTIONS_PAGE
from explainer.load.corrections import Corrections, load_corrections
from explainer.load.facts import FactBook, load_facts
from explainer.load.glossary import Term, load_glossary
from explainer.load.html_policy import check_content_values, check_pages_html
from explainer.load.pages import Page, check_references, load_pages, published_day, used_charts
from explainer.load.placeholders import placeholder_problems, project_text_files
from explainer.load.quotes import LOCK_NAME, QuoteChecker, quote_checker
from explainer.load.sections import section_ids
from explainer.load.settings import Settings, load_settings

log = logging.getLogger("explainer")

NO_SITE_URL = (
    "site_url is not set: until it is, pages have no share previews (a crawler needs an absolute "
    "image address, so no share card is drawn), no oEmbed is written (a chart's address pasted into WordPress "
    "stays a link), pages have no hreflang alternates and the sitemaps list nothing, the downloaded citations "
    "(.bib, .csl.json, the zip) name no address; the Embed panel and the citations on the pages fill in the "
    "address they are served from; there is no Atom feed of corrections and new pages (its entries need absolute addresses). "
    "Set site_url in mkdocs.yml or pass --site-url before publishing."
)


@dataclass(frozen=True)
class Project:
    """Everything a build reads, loaded: the settings, the article's quotes, each language's words,
    the facts, claims and glossary, every page, and the charts folder."""

    settings: Settings
    cache_dir: Path
    stores: Stores  # every cache of the build, verified on read, bounded (explainer/core/store.py)
    passed: PassedChecks  # what passed on the same input before is not checked again
    article_path: Path
    quotes: QuoteChecker
    words: Words
    facts: FactBook
    claims: ClaimBook
    glossary: dict[str, Term]
    pages: dict[str, dict[str, Page]]  # language code -> file name -> page
    charts: ChartFolder
    used: list[str]  # the charts the pages show, in the order they first appear
    notes: list[str]  # what the build leaves out, said once
    # file name -> the ids of its `## ` sections, the same in every language (explainer/load/sections.py)
    sections: dict[str, list[str]] = field(default_factory=dict)
    corrections: Corrections = field(default_factory=Corrections)  # content/corrections.yaml, newest first
    parsed: ParsedYaml | None = None  # the YAML documents this build parsed (MkDocs reuses the front matter)

    @property
    def ui(self) -> dict[str, dict[str, str]]:
        """Each language's interface strings."""
        return self.words.ui

    @property
    def claims_file(self) -> Path:
        return self.settings.content_dir / "claims.yaml"

    @property
    def glossary_file(self) -> Path:
        return self.settings.content_dir / "glossary.yaml"

    @property
    def article_name(self) -> str:
        """The article's path as messages show it."""
        return relative(self.article_path)


def load_project(config_file: Path, stores: Stores, site_url: str | None, article: Path | None) -> Project:
    """Read the project of config_file, or raise ContentError with every problem of every file.

    `site_url` and `article` override mkdocs.yml's (the command line's --site-url and --article)."""
    passed = PassedChecks(passed_store(stores))
    parsed = ParsedYaml(yaml_store(stores))  # the YAML documents parsed by the last build
    problems = Problems()  # every loader runs; their problems are reported together
    settings = problems.attempt(load_settings, config_file, passed, parsed)
    if settings is None:
        problems.raise_any()
    assert settings is not None
    if site_url is not None:
        settings = replace(settings, site_url=site_url)
    if not settings.site_url:
        log.info(NO_SITE_URL)
    article_path = article.resolve() if article is not None else settings.article_path
    content = settings.content_dir
    quotes = problems.attempt(quote_checker, article_path, settings.article_last_line, content / LOCK_NAME)
    # each language's words (engine locales < content/ui), the units and the speakers
    words = problems.attempt(load_words, content, settings.codes, parsed)
    use_words(words)
    facts = claims = None
    if quotes is not None and words is not None:
        facts = problems.attempt(load_facts, settings.facts_file, settings.codes, quotes, words, parsed)
        claims = problems.attempt(load_claims, content / "claims.yaml", settings.codes, quotes, words, parsed)
    glossary = problems.attempt(load_glossary, content / "glossary.yaml", settings.codes, parsed)
    pages = problems.attempt(load_pages, settings, parsed)
    # text still to be translated (explainer new's placeholders) is never published
    problems.found.extend(placeholder_problems(project_text_files(settings.config_file, content, settings.charts_dir)))
    charts = ChartFolder(settings.charts_dir)
    problems.found.extend(chart_text_problems(charts, settings.codes))  # the charts' own words
    parsed.save()
    # every reference in every page resolves, and raw HTML keeps to the content policy, in the
    # pages and in the sentences a reference prints from the content files
    sections: dict[str, list[str]] = {}
    if pages is not None:
        problems.found.extend(check_pages_html(pages, passed))
        sections, found = section_ids(pages, settings.codes)  # one id per section in every language
        problems.found.extend(found)
        if facts is not None and claims is not None and glossary is not None:
            ids = (frozenset(facts), frozenset(charts.ids()), frozenset(claims), frozenset(glossary))
            problems.attempt(check_references, pages, *ids)
    published, left_out = other_files(settings)  # a content folder's files that are not pages
    if pages is not None:  # every published address has one owner
        sources = {code: list(paths) for code, paths in published.items()}
        for code, by_src in pages.items():
            sources.setdefault(code, []).extend(page.file for page in by_src.values())
        problems.found.extend(address_problems(settings, sources))
    corrections = None
    if facts is not None and claims is not None and pages is not None:
        corrections = problems.attempt(_corrections, settings, facts, claims, pages, parsed, published)
    prose = {"facts": settings.facts_file, "claims": content / "claims.yaml", "glossary": content / "glossary.yaml"}
    problems.found.extend(check_content_values(prose, parsed))
    problems.raise_any()
    assert quotes is not None and words is not None and facts is not None and claims is not None
    assert glossary is not None and pages is not None
    return Project(
        settings=settings,
        cache_dir=stores.root,
        stores=stores,
        passed=passed,
        article_path=article_path,
        quotes=quotes,
        words=words,
        facts=facts,
        claims=claims,
        glossary=glossary,
        pages=pages,
        charts=charts,
        used=used_charts(pages),
        sections=sections,
        corrections=corrections or Corrections(),
        notes=[_left_out(left_out)] if left_out else [],
        parsed=parsed,
    )


def _corrections(
    settings: Settings,
    facts: FactBook,
    claims: ClaimBook,
    pages: dict[str, dict[str, Page]],
    parsed: ParsedYaml,
    files: dict[str, list[Path]] | None = None,
) -> Corrections:
    """The corrections log, its ids checked against the project's (pages: those of every language,
    charts: those the pages show); its page's address must be free of the pages and of the files
    extra.publish publishes (`files`, per language)."""
    path = settings.content_dir / CORRECTIONS_FILE
    in_every = set.intersection(*(set(by_src) for by_src in pages.values())) if pages else set()
    known = {"facts": facts, "claims": claims, "pages": in_every, "charts": used_charts(pages)}
    published: dict[str, datetime.date] = {}
    for by_src in pages.values():
        for src, page in by_src.items():
            if (day := published_day(page.meta.get("published"))) is not None:
                published[src] = min(day, published.get(src, day))
    corrections = load_corrections(path, settings.codes, known, parsed, published)
    # what the corrections page writes: its index.html (and, with site_url, its share card)
    own = {page_output(CORRECTIONS_PAGE), page_output(CORRECTIONS_PAGE).replace("index.html", "og.png")}
    taken = [f"content/{code}/{src}" for code, by_src in pages.items() for src in by_src if page_output(src) in own]
    for code, paths in (files or {}).items():
        folder = settings.content_dir / code
        taken += [
            f"content/{code}/{path.relative_to(folder).as_posix()}"
            for path in paths
            if path.relative_to(folder).as_posix() in own
        ]
    if corrections and taken:
        where = ", ".join(taken)
        message = (
            f"the corrections page is published at corrections/ in every language, and {where} has that "
            "address already; rename or move it"
        )
        raise ContentError([Problem(relative(path), 1, message)])
    return corrections


def _left_out(files: list[str]) -> str:
    shown = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
    return (
        f"Not published: {shown} (a content folder publishes its pages, and other files only when "
        'extra.publish in mkdocs.yml lists them, e.g. `publish: ["images/*.png"]`).'
    )
