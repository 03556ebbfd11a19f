"""The source article: the only place a figure may come from."""

from __future__ import annotations

from pathlib import Path

from .errors import BuildError


def load_article(path: Path, last_line: int) -> str:
    """Return the article's own lines (1..last_line); the rest of the capture is page chrome."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        msg = f"{path}: the source article is missing; check `extra.article.path` in mkdocs.yml"
        raise BuildError(msg) from exc
    return "\n".join(lines[:last_line])
