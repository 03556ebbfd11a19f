"""Build each language's search index from its rendered pages: one entry per section.

A substring search over a few dozen sections finds Chinese words without segmentation, so
the index is plain text; the reader's browser loads it only when search is opened.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

_DROP = re.compile(r"<(svg|details|script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_HEADING = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.DOTALL)
_BLOCK_TAGS = re.compile(r"</?(?:p|li|ol|ul|h[1-6]|div|section|table|tr|td|th|blockquote|figure|figcaption|br)\b[^>]*>")
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_NOTE_REF = re.compile(r'<sup class="note-ref">.*?</sup>', re.DOTALL)  # a glossary note's number: "loop1"


def plain_text(fragment: str) -> str:
    """Strip tags and entities from an HTML fragment, folding whitespace."""
    text = _TAGS.sub("", _BLOCK_TAGS.sub(" ", _PERMALINK.sub("", _NOTE_REF.sub("", fragment))))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def sections(page_url: str, title: str, content: str) -> list[dict[str, str]]:
    """Split a page's HTML at its h2 headings into entries {u, t, h, x} for the index."""
    content = _DROP.sub(" ", content)
    entries = []
    parts = _HEADING.split(content)
    intro = re.sub(r"<h1\b.*?</h1>", " ", parts[0], flags=re.DOTALL)
    entries.append({"u": page_url, "t": title, "h": "", "x": plain_text(intro)})
    for index in range(1, len(parts), 3):
        anchor, heading, body = parts[index], parts[index + 1], parts[index + 2]
        entries.append({"u": f"{page_url}#{anchor}", "t": title, "h": plain_text(heading), "x": plain_text(body)})
    return [entry for entry in entries if entry["x"] or entry["h"]]


@dataclass
class SearchIndex:
    """The entries of one language, gathered page by page while MkDocs renders Markdown."""

    entries: list[dict[str, str]] = field(default_factory=list)
    _data: bytes | None = None

    def add(self, page_url: str, title: str, content: str) -> None:
        self.extend(sections(page_url, title, content))

    def extend(self, entries: list[dict[str, str]]) -> None:
        """Add a page's entries (made by sections(), or kept with the page's conversion)."""
        self.entries.extend(entries)
        self._data = None

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = json.dumps(self.entries, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
                "utf-8"
            )
        return self._data

    # One stable name per language, not a content hash: every page names the index, so a hashed
    # name changed every page of the site on any text edit. The index is fetched only when a reader
    # opens search, and is cached as briefly as the pages (deploy/nginx.conf).
    filename = "search.json"
