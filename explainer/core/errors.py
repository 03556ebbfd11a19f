"""The few exceptions the build raises; a user's mistake never becomes a traceback."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we know."""

    path: Path | str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Untranslated(Problem):
    """A text missing in one language (a label, a name, a unit's words, a page's string): the rest
    of the content can still be checked without it, so one run names every one."""


class BuildError(Exception):
    """Raised by any stage when the build cannot go on; the message is for the user."""


class ContentError(BuildError):
    """Raised by the loaders and checks with every problem found in the content at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{lines}\nAborted: {count} problem{'s' if count != 1 else ''} in the content.")

    def __reduce__(self) -> tuple:
        """Pickle with the problems (a chart's problems come back from a worker process)."""
        return (type(self), (self.problems,))


class IncompleteError(ContentError):
    """Raised by a loader whose only problems are missing translations, with what it made anyway
    (`partial`, a stand-in word where one is missing), so the build goes on checking the rest."""

    def __init__(self, problems: list[Problem], partial: Any) -> None:
        super().__init__(problems)
        self.partial = partial

    def __reduce__(self) -> tuple:
        return (type(self), (self.problems, self.partial))


def fail_with(problems: list[Problem], partial: Any) -> None:
    """Raise for a loader's problems: IncompleteError with what it made when each is a missing
    translation, else ContentError."""
    if all(isinstance(problem, Untranslated) for problem in problems):
        raise IncompleteError(problems, partial)
    raise ContentError(problems)


@dataclass
class Problems:
    """Gather the problems of several steps (each chart, each language), then fail once with all."""

    found: list[Problem] = field(default_factory=list)

    @contextmanager
    def collecting(self) -> Iterator[None]:
        """Run one step; keep its problems instead of stopping at them."""
        try:
            yield
        except ContentError as exc:
            self.found.extend(p for p in exc.problems if p not in self.found)

    def attempt(self, step: Callable[..., T], *args: Any) -> T | None:
        """Run one loader or check; keep its problems and return None instead of stopping (or,
        when it lacks only translations, what it made anyway, so later checks still run)."""
        try:
            return step(*args)
        except IncompleteError as exc:
            self.found.extend(p for p in exc.problems if p not in self.found)
            return exc.partial
        except ContentError as exc:
            self.found.extend(p for p in exc.problems if p not in self.found)
            return None

    def raise_any(self) -> None:
        """Raise one ContentError with every problem gathered, if there was any."""
        if self.found:
            raise ContentError(self.found)


def relative(path: Path) -> str:
    """Show a path relative to the working directory when it is inside it (a symlink as itself)."""
    # once per path and working directory: a 400-page rebuild asks ~7,000 times (each page, by
    # each check), for ~800 paths, and making each absolute again was ~20 ms of a text edit
    return _relative(os.fspath(path), os.getcwd())


@functools.lru_cache(maxsize=8192)
def _relative(given: str, cwd: str) -> str:
    absolute = os.path.normpath(given if os.path.isabs(given) else os.path.join(cwd, given))  # os.path.abspath
    # the common case without pathlib
    if cwd != os.sep and absolute.startswith(cwd + os.sep):
        return absolute[len(cwd) + 1 :]
    return _relative_elsewhere(absolute, cwd, given)


@functools.lru_cache(maxsize=4096)
def _relative_elsewhere(absolute: str, cwd: str, given: str) -> str:
    """relative() for a path outside the working directory (a project built with --config from
    elsewhere): through symlinks, which takes a resolve() of both, so once per path."""
    try:
        return str(Path(absolute).relative_to(os.path.abspath(cwd)))
    except ValueError:
        pass
    try:
        return str(_resolved(absolute).relative_to(_resolved(cwd)))
    except (ValueError, RuntimeError, OSError):
        return given


def _resolved(absolute: str) -> Path:
    """The path with every symlink followed, its folder's looked up once: a build outside the working
    directory asked for ~7,000 paths (one per page and check), and resolving each one component by
    component was 1.8 s of a 400-page rebuild."""
    folder, name = os.path.split(absolute)
    if not name or os.path.islink(absolute):
        return Path(absolute).resolve()
    return _resolved_folder(folder) / name


@functools.lru_cache(maxsize=1024)
def _resolved_folder(folder: str) -> Path:
    return Path(folder).resolve()
