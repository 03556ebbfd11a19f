"""Verify every fact's quote: against the article where it is at hand, else against a record.

The article may not be republished, so a clone of the project does not carry it. Where it is
at hand (our checkouts and CI have it at ../shared/source/), each quote is looked up in it and
the build refreshes `content/quotes.lock`: a sha256 of the article's own lines and one per
quote, hashes only. Where it is not, each quote's hash must be one of those recorded, so an
edited or new quote is still caught, and the build says once what it could not verify.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from explainer.core.errors import ContentError, Problem, relative

log = logging.getLogger("explainer")

LOCK_HEADER = (
    "# Quotes verified against the article: `article <sha256 of its lines 1..last_line>`, then\n"
    "# `<fact id> <sha256 of its quote>`. Written by the build where the article is at hand and\n"
    "# read where it is not (a clone has no article). Hashes only: never the article's text.\n"
)
LOCK_NAME = "quotes.lock"
ENV_VAR = "EXPLAINER_ARTICLE"


def sha256(text: str) -> str:
    """Hash a text as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class QuoteLock:
    """What the last build with the article verified: the article's hash and each quote's."""

    path: Path
    article: str | None = None
    quotes: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """Render the record, sorted, so it only changes when a quote or the article does."""
        lines = [f"article {self.article}"] + [f"{fact_id} {digest}" for fact_id, digest in sorted(self.quotes.items())]
        return LOCK_HEADER + "\n".join(lines) + "\n"


def read_lock(path: Path) -> QuoteLock:
    """Read the record of verified quotes; a missing file is an empty record."""
    lock = QuoteLock(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return lock
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"cannot read it ({exc}); delete it and build where the article is at hand to rewrite it"
        raise ContentError([Problem(relative(path), None, msg)]) from exc
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[1]) != 64 or any(c not in "0123456789abcdef" for c in parts[1]):
            msg = "expected `<fact id> <sha256>`; delete the file and build where the article is at hand"
            problems.append(Problem(relative(path), number, msg))
        elif parts[0] == "article":
            lock.article = parts[1]
        else:
            lock.quotes[parts[0]] = parts[1]
    if problems:
        raise ContentError(problems)
    return lock


@dataclass
class QuoteChecker:
    """Check quotes against the article (text at hand) or against the lock (text absent)."""

    article_path: Path
    article: str | None
    lock: QuoteLock
    checked: dict[str, str] = field(default_factory=dict)  # fact id -> quote hash, as checked

    @property
    def article_at_hand(self) -> bool:
        return self.article is not None

    def check(self, fact_id: str, quote: str) -> str | None:
        """Return what is wrong with a fact's quote, or None when it is verified."""
        digest = sha256(quote)
        if self.article is not None:
            if quote not in self.article:
                return "quote not found verbatim in the article; copy it exactly from the article"
        elif digest not in self.lock.quotes.values():
            return (
                f"this quote was never verified against the article, which is not at hand "
                f"({relative(self.article_path)}); set {ENV_VAR}=<path to the article> "
                f"(or `--article`, or `extra.article.path` in mkdocs.yml) and build again"
            )
        self.checked[fact_id] = digest
        return None

    def unverified_note(self) -> str | None:
        """Say, once per build, what could not be checked because the article is absent."""
        if self.article_at_hand:
            return None
        return (
            f"the article is not at hand ({relative(self.article_path)}), so no quote was looked up in it: "
            f"{len(self.checked)} quotes were matched against {relative(self.lock.path)} instead "
            f"(the hashes recorded when they were last verified). To verify them against the article, "
            f"set {ENV_VAR}=<path> or pass --article <path>."
        )

    def refresh_lock(self) -> bool:
        """Rewrite the lock after a build that verified every quote in the article; True if it changed."""
        if self.article is None:
            return False
        fresh = QuoteLock(self.lock.path, sha256(self.article), dict(self.checked))
        try:
            old = self.lock.path.read_text(encoding="utf-8")
        except OSError:
            old = None
        if old == fresh.text():
            return False
        self.lock.path.write_text(fresh.text(), encoding="utf-8")
        return True


def load_article(path: Path, last_line: int) -> str | None:
    """Return the article's own lines (1..last_line), or None when it is not at hand."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"cannot read the article ({exc}); fix `extra.article.path`, {ENV_VAR} or --article"
        raise ContentError([Problem(relative(path), None, msg)]) from exc
    return "\n".join(lines[:last_line])


def quote_checker(article_path: Path, last_line: int, lock_path: Path) -> QuoteChecker:
    """Load the article if it is at hand and the record of verified quotes.

    With the article at hand the record is only rewritten, so a damaged one is no obstacle."""
    article = load_article(article_path, last_line)
    try:
        lock = read_lock(lock_path)
    except ContentError:
        if article is None:
            raise
        lock = QuoteLock(lock_path)
    return QuoteChecker(article_path, article, lock)
