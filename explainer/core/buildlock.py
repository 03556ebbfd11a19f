"""One build at a time per site folder, and nothing left behind by a build that was killed.

`make serve` rebuilding while `make site` is typed would race in the final rename. A lock file
beside site/ (an flock, released by the kernel even when the holder is killed) makes the second
build wait, saying who holds it. Holding the lock, a build also removes the staging and old
folders that a killed build left beside site/: no other build can be using them.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from explainer.core.errors import BuildError, relative


def cannot_write(folder: Path, exc: OSError) -> BuildError:
    """The one-line message for a folder the build may not write in."""
    msg = f"{relative(folder)}: cannot write here ({exc.strerror}); choose another --site-dir or fix the folder's permissions"
    return BuildError(msg)


def lock_file(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}-build.lock")


def leftovers(site_dir: Path) -> list[Path]:
    """Staging and old folders beside site/ (only a build that died leaves any while unlocked)."""
    parent = site_dir.parent
    patterns = (f".{site_dir.name}.building-*", f".{site_dir.name}.old-*")
    return sorted(path for pattern in patterns for path in parent.glob(pattern))


@contextmanager
def build_lock(site_dir: Path, wait: float = 600.0) -> Iterator[None]:
    """Hold the site's build lock (waiting up to `wait` seconds for another build to finish)."""
    path = lock_file(site_dir)
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise cannot_write(site_dir.parent, exc) from exc
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 200, 0).decode("utf-8", "replace").strip() or "another build"
            print(f"waiting: {holder} is building {relative(site_dir)} ({relative(path)})", file=sys.stderr)
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        msg = f"{relative(path)}: {holder} still holds the build lock after {wait:.0f} s; stop it or try again"
                        raise BuildError(msg) from None
                    time.sleep(0.1)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"build pid {os.getpid()}".encode(), 0)
        for stale in leftovers(site_dir):
            shutil.rmtree(stale, ignore_errors=True)
        yield
    finally:
        os.close(handle)  # releases the lock
