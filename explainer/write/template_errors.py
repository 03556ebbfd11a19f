"""Turn a Jinja error in our theme into `templates/x.html:line: what is wrong`, not a traceback."""

from __future__ import annotations

import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import jinja2

from explainer.core.errors import ContentError, Problem, relative


def template_problem(exc: jinja2.TemplateError, theme: Sequence[Path]) -> Problem:
    """Locate a template error: the syntax error's own line, else the deepest template frame
    (in the project's templates or the engine's theme, `theme` being both, in lookup order)."""
    folders = [folder.resolve() for folder in theme]
    folder = folders[0]
    what = (getattr(exc, "message", None) or str(exc) or type(exc).__name__).rstrip(".")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = Path(exc.filename) if exc.filename else folder / (exc.name or "?")
        return Problem(relative(path), exc.lineno, f"{what}; fix the template's syntax")
    if isinstance(exc, jinja2.TemplateNotFound):
        return Problem(relative(folder), None, f"template not found: {exc.name}; create it or fix the name")
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if any(Path(frame.filename).resolve().is_relative_to(each) for each in folders)
    ]
    if frames:
        return Problem(relative(Path(frames[-1].filename)), frames[-1].lineno, f"{what}; fix the template")
    return Problem(relative(folder), None, f"{what}; fix the template")


@contextmanager
def template_errors(theme: Sequence[Path]) -> Iterator[None]:
    """Report a Jinja error raised while writing pages as a located problem."""
    try:
        yield
    except jinja2.TemplateError as exc:
        raise ContentError([template_problem(exc, theme)]) from exc
