"""Stage 5, publish: the staged site replaces site/ in one rename, only once the whole build
succeeded, so readers (and the preview) never see half a site; then what this build learnt is kept
for the next one (which parts of the site it may link, which quotes it verified)."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from explainer.write.site import spare_dir
from explainer.write.site_writer import Staged


def publish_site(staged: Staged, site_dir: Path, preview: bool = False, record_quotes: bool = True) -> None:
    """Swap the staged site in for site_dir; then save the record of its parts and, with
    `record_quotes`, the quotes it verified in the article (hashes only) for clones without it.
    `preview`: the old site is removed in the background (the preview need not wait for it)."""
    try:
        # the files linked from the last site were recorded with their permissions (0644)
        publish(staged.staging, site_dir, remove_in_background if preview else None, staged.parts.linked)
    except BaseException:
        shutil.rmtree(staged.staging, ignore_errors=True)
        raise
    staged.parts.save()
    staged.project.stores.prune()  # each cache held to its bound, keeping what this build used
    if record_quotes:
        staged.project.quotes.refresh_lock()


def publish(
    staging: Path,
    site_dir: Path,
    remove: Callable[[Path, Path], None] | None = None,
    settled: frozenset[str] | set[str] = frozenset(),
) -> None:
    """Swap the finished build in for site/, keeping the old one until the swap is done, then
    remove the old one (with `remove`, e.g. in a thread of the preview, which need not wait).
    `settled`: files known to be readable already (see prepare_tree)."""
    prepare_tree(staging, settled)
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        site_dir.rename(old)
    staging.rename(site_dir)
    if old is not None:
        (remove or _remove)(old, spare_dir(site_dir))


def prepare_tree(folder: Path, settled: frozenset[str] | set[str] = frozenset()) -> None:
    """Remove the folders with no file below them (spare folders the build did not fill), and make
    the rest world-readable: folders 0755 and files 0644, whatever the umask (mkdtemp makes 0700),
    since a web server running as its own user (nginx's www-data) must read every file.
    `settled`: files (relative to folder) known to be 0644 already, such as those linked from the
    published site. In one walk: a site of 400 pages per language has 800 folders, and each walk
    of them was ~12 ms of a text edit; a folder already 0755 (the spare folders) is not changed
    again (a chmod writes the folder's inode even so)."""
    emptied: set[str] = set()
    top = str(folder)
    for dirpath, dirnames, filenames in os.walk(top, topdown=False):  # the top folder last
        if dirpath != top:
            if not filenames and all(os.path.join(dirpath, d) in emptied for d in dirnames):
                os.rmdir(dirpath)
                emptied.add(dirpath)
                continue
            prefix = dirpath[len(top) + 1 :] + os.sep  # os.walk joins each folder to the top
        else:
            prefix = ""
        if os.stat(dirpath).st_mode & 0o7777 != 0o755:
            os.chmod(dirpath, 0o755)
        for name in filenames:
            if prefix + name not in settled:
                os.chmod(os.path.join(dirpath, name), 0o644)


def _remove(folder: Path, spare: Path) -> None:
    """Remove the replaced site's files, and keep its folders, empty, for the next build's staging
    folder (explainer/write/site.py: staging_dir): removing a folder costs milliseconds on a disk
    mounted with discard. Removed whole when a spare is there already, or on any error."""
    try:
        for dirpath, _, filenames in os.walk(folder):
            for name in filenames:
                os.unlink(os.path.join(dirpath, name))
        os.rename(folder, spare)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def remove_in_background(folder: Path, spare: Path) -> None:
    """Remove a folder in a thread: the preview shows the new site without waiting for it (a build
    that finds the folder still there, as after a crash, removes it: explainer/core/buildlock.py)."""
    threading.Thread(target=_remove, args=(folder, spare), name=f"remove {folder.name}", daemon=True).start()
