"""A mistake in the shared chart code (charts/kit.py, charts/theme.py) said as one located message.

The build imports the chart kit itself (its layouts and colours) before it can check anything, so
a syntax error or a failing import there would end the build with a traceback. This hook turns
such an uncaught error into the message every other bad input gets: the file, the line, what to
do, and that the last good site was kept (nothing was written yet). Errors elsewhere are ours:
they keep Python's traceback, for the bug report.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType

from .errors import relative

CHART_CODE = Path(__file__).resolve().parents[1] / "charts"


def chart_code_line(exc: BaseException) -> tuple[Path, int | None] | None:
    """Where in charts/ an exception was raised (the deepest frame there), or None if not there."""
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename).resolve().parent == CHART_CODE:
        return Path(exc.filename), exc.lineno
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve().parent == CHART_CODE]
    return (Path(frames[-1].filename), frames[-1].lineno) if frames else None


def report(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """sys.excepthook: a located message for the chart code's errors, a traceback for the rest."""
    where = chart_code_line(exc)
    if where is None:
        sys.__excepthook__(kind, exc, tb)
        return
    path, line = where
    shown = relative(path)
    reason = exc.msg if isinstance(exc, SyntaxError) else (str(exc).strip().splitlines() or [""])[0]
    located = f"{shown}:{line}" if line else f"{shown}"
    print(
        f"error: {located}: the chart code cannot be loaded ({kind.__name__}: {reason}); fix it and build again",
        file=sys.stderr,
    )
    print("The previous site was left as it was.", file=sys.stderr)


def install() -> None:
    """Use `report` for uncaught errors, unless something else (a debugger, pytest) set its own hook."""
    if sys.excepthook is sys.__excepthook__:
        sys.excepthook = report
