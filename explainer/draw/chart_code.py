"""Where in a project's chart code an error was raised: its file and line, for the message."""

from __future__ import annotations

import traceback
from pathlib import Path


def chart_code_line(exc: BaseException, folder: Path) -> tuple[Path, int | None] | None:
    """Where in the charts folder an exception was raised (the deepest frame there), or None."""
    folder = folder.resolve()
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename).resolve().parent == folder:
        return Path(exc.filename), exc.lineno
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve().parent == folder]
    return (Path(frames[-1].filename), frames[-1].lineno) if frames else None
