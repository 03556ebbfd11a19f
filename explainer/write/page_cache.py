"""Keep each page's converted HTML between builds, so a text edit converts only the edited page.

MkDocs converts every page of a language on every build (Markdown -> HTML, link rewriting,
anchors, the table of contents), and our plugin expands every macro and draws every figure
first: most of a text edit's rebuild went to pages that did not change. A page's entry holds
what the conversion produced that the rest of the build reads: the final HTML (figures in
place), the table of contents, the title found in it, the anchors it defines, the links it
makes to other pages' anchors (MkDocs checks those after every page is converted, so a cached
page's links are still checked against the other pages as they are now), its search entries,
its headline and first chart (its share card).

The key is everything the conversion can read: the hash of what any part of the site reads but
the pages and the data (our code, the charts, the theme, settings, library versions, every
page's front matter: the write stage's shared inputs without the facts, claims and glossary),
the facts, claims, glossary terms and charts the page's references read (so a fact edit
converts only the pages that show that fact, or a chart drawn from it), the names of every file of the language (MkDocs
rewrites and checks links against them), the page's address, its Markdown and front matter, and
MkDocs' log level (which decides whether anchor links are recorded). A page whose conversion
logged anything is not kept, so a warning is never silenced by the cache. Entries are written
only after the language's build succeeded; then the entries no page used are pruned to the
store's bound (explainer/core/store.py), least recently used first.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from explainer.core.fingerprint import digest
from explainer.core.logs import LogCollector
from explainer.core.mkdocs_adapter import LOGGERS, Files, Page, TableOfContents, get_toc, log_level
from explainer.core.store import JSON, Store, Stores


def page_store(stores: Stores, code: str) -> Store:
    """One language's page conversions (.cache/pages-<code>): a few versions of a few hundred pages."""
    return stores.open(f"pages-{code}", JSON, entries=1024, max_bytes=64 << 20)


def _toc_tokens(items: Any) -> list[dict[str, Any]]:
    """The table of contents as the tokens MkDocs builds it from (get_toc gives it back)."""
    return [
        {"level": item.level, "id": item.id, "name": item.title, "children": _toc_tokens(item.children)}
        for item in items
    ]


class PageCache:
    """One language's converted pages, in a store, keyed by everything a conversion reads."""

    def __init__(self, store: Store, context: str) -> None:
        self.store = store
        self.context = context
        self.used: set[str] = set()  # keys of this build's pages: the entries kept at save()
        self.fresh: dict[str, dict[str, Any]] = {}  # entries converted in this build, written at save()
        self.hits = 0

    def key(self, page: Page, markdown: str, data: str = "") -> str:
        """The key of a page's conversion (see the module's docstring); `data`: a hash of the
        facts, claims, terms and charts it uses."""
        meta = json.dumps(page.meta, sort_keys=True, default=str, ensure_ascii=False)
        level = str(log_level())
        return digest(self.context, page.file.src_uri, page.url, meta, markdown, level, data)

    def lookup(self, key: str, files: Files) -> dict[str, Any] | None:
        """The entry of a page converted before from the same inputs, or None."""
        self.used.add(key)
        entry = self.store.get(key)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        links = entry.get("links")
        if links is not None and any(files.get_file_from_path(src) is None for src in links):
            return None
        self.hits += 1
        return entry

    def restore(self, page: Page, entry: dict[str, Any], files: Files) -> Callable[..., None]:
        """A stand-in for page.render that sets what the conversion would set, from the entry."""

        def render(config: Any, files_now: Files) -> None:
            page.content = entry["content"]
            page.toc = get_toc(entry["toc"])
            page._title_from_render = entry["title"]
            page.present_anchor_ids = set(entry["anchors"])
            if entry["links"] is not None:
                page.links_to_anchors = {
                    files.get_file_from_path(src): dict(anchors) for src, anchors in entry["links"].items()
                }

        return render

    def listen(self, page: Page) -> Callable[[Any, Files], None]:
        """A stand-in for page.render that converts as usual and notes whether anything was logged."""
        original = Page.render

        def render(config: Any, files: Files) -> None:
            with LogCollector(*LOGGERS, level=logging.NOTSET, keep_printing=True) as heard:
                original(page, config, files)
            page._explainer_logged = len(heard.records)  # type: ignore[attr-defined]

        return render

    def keep(self, key: str, page: Page, extra: dict[str, Any]) -> None:
        """Remember a page's conversion (written at save()), unless it logged anything."""
        if getattr(page, "_explainer_logged", 1):
            return
        toc = page.toc if isinstance(page.toc, TableOfContents) else TableOfContents([])
        links = page.links_to_anchors
        self.fresh[key] = {
            "key": key,
            "content": page.content,
            "toc": _toc_tokens(toc.items),
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": None if links is None else {file.src_uri: anchors for file, anchors in links.items()},
            **extra,
        }

    def save(self) -> None:
        """After the language's build succeeded: write the new entries, prune the unused ones."""
        for key, entry in self.fresh.items():
            self.store.put(key, entry)
        self.fresh = {}
        self.store.prune()
