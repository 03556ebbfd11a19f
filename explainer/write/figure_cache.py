"""Keep each chart's figure HTML between builds, so a text edit of a page with charts draws none.

A page whose Markdown changed is converted again, and each of its charts went through the
figure template, its citations and its embed snippets again (4 ms for the two charts of a long
page). A figure depends only on what the page cache's context covers (our code, the charts and
their facts, the theme, settings, interface strings, library versions: the shared inputs) and on
where the page is (its links) and the caption it gives: that is its key. The record holds the
figures of one context; a new context starts it afresh (so it is bounded by one site's figures).
"""

from __future__ import annotations

from collections.abc import Callable

from explainer.core.fingerprint import digest
from explainer.core.store import MARSHAL, Store, Stores

RECORD = "figures"


def figure_store(stores: Stores, code: str) -> Store:
    """One language's record of figures (.cache/figures-<code>): one record, one context."""
    return stores.open(f"figures-{code}", MARSHAL, entries=1)


class FigureCache:
    """One language's figures, in one record, for one page-cache context."""

    def __init__(self, store: Store, context: str) -> None:
        self.store = store
        self.context = context
        self.figures: dict[str, str] | None = None  # read when a page first needs one
        self.added = False

    def _load(self) -> dict[str, str]:
        record = self.store.get(RECORD)
        ok = isinstance(record, dict) and record.get("context") == self.context
        figures = record.get("figures") if ok else None
        return figures if isinstance(figures, dict) else {}

    def figure(self, make: Callable[[], str], *where: str) -> str:
        """The figure made before at the same place with the same caption, else make() it."""
        if self.figures is None:
            self.figures = self._load()
        key = digest(*where)
        found = self.figures.get(key)
        if not isinstance(found, str):
            found = self.figures[key] = make()
            self.added = True
        return found

    def save(self) -> None:
        """After the language's build succeeded: keep what was added."""
        if self.added and self.figures is not None:
            self.store.put(RECORD, {"context": self.context, "figures": self.figures})
            self.added = False
