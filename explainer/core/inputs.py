"""Read the project's input files defensively: a size limit, and no symlink leading out.

Every file the build reads from content/ or mkdocs.yml goes through here, so a huge file, a
dangling symlink, a symlink loop or a link to a file outside the project (which MkDocs would
otherwise publish) is a one-line problem naming the file, not a traceback or a leak.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from explainer.core.errors import Problem, relative

# Far above any real page, facts file or settings file; far below what would hurt a build.
MAX_BYTES = 2_000_000


class InputProblem(Exception):
    """Raised by read_input for a file that cannot or must not be read; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def symlink_problem(path: Path, root: Path) -> Problem | None:
    """Say what is wrong with a symlink (dangling, looping, leading out of root), or None."""
    if not path.is_symlink():
        return None
    shown = relative(path)
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # a loop on Python 3.11
        return Problem(shown, None, "is a symlink loop; replace it with the file itself")
    except OSError as exc:
        what = "a symlink loop" if exc.errno == errno.ELOOP else "a symlink to a file that does not exist"
        return Problem(shown, None, f"is {what} ({os.readlink(path)}); replace it with the file itself")
    if not target.is_relative_to(root.resolve()):
        return Problem(
            shown, None, f"is a symlink to {target}, outside the project; copy the file into the project instead"
        )
    return None


def read_input(path: Path, root: Path | None = None, limit: int = MAX_BYTES) -> bytes:
    """Return a file's bytes, or raise InputProblem naming it (missing, too big, bad symlink)."""
    if root is not None:  # the common case, a file that is no symlink, in one open (no lstat, no stat)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            pass  # a symlink (ELOOP), or not to be read: said below
        else:
            try:
                with open(fd, "rb") as file:
                    info = os.fstat(fd)
                    if stat.S_ISREG(info.st_mode) and info.st_size <= limit:
                        return file.read()
            except OSError:
                pass  # said below, as for any file that cannot be read
    shown = relative(path)
    if root is not None and (problem := symlink_problem(path, root)) is not None:
        raise InputProblem(problem)
    try:
        size = path.stat().st_size
        if size > limit:
            msg = f"is {size:,} bytes, over the {limit:,}-byte limit for an input file; split or shorten it"
            raise InputProblem(Problem(shown, None, msg))
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputProblem(Problem(shown, None, "file not found; create it or fix the path")) from exc
    except IsADirectoryError as exc:
        raise InputProblem(Problem(shown, None, "is a folder, expected a file")) from exc
    except OSError as exc:
        raise InputProblem(Problem(shown, None, f"cannot be read ({exc.strerror}); fix its permissions")) from exc


def check_tree(folder: Path, root: Path) -> list[Problem]:
    """Check every file under a content folder (MkDocs publishes all of them): no bad symlink."""
    problems = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        base = Path(dirpath)
        for name in sorted(dirnames + filenames):
            if (problem := symlink_problem(base / name, root)) is not None:
                problems.append(problem)
    return problems
