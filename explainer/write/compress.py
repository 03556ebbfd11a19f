"""Write a gzip (.gz) and a brotli (.br) copy beside every text file of the built site.

A server then sends the smaller file as it is (nginx's gzip_static and brotli_static, see
deploy/nginx.conf) instead of compressing each response again. The copies are made once per
content: they are kept in a cache keyed by a hash of the file, so a rebuild only compresses
files that changed. Both formats are byte-for-byte repeatable (gzip with a zero timestamp).
The copies are written into the site from the verified cache entry, never linked to it: a file
edited in site/ cannot change the cache, nor a damaged entry reach the site.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable
from pathlib import Path

import brotli

from explainer.core.files import place
from explainer.core.fingerprint import digest
from explainer.core.store import BYTES, Store, Stores

# Pages, styles, scripts, chart specs and pictures, the search index, chart data. (MkDocs
# writes sitemap.xml.gz itself.)
COMPRESSIBLE = frozenset({".html", ".css", ".js", ".json", ".svg", ".csv", ".txt"})
# Brotli's quality 8 is within 1% of 9-10 on these files at a tenth of the time; the one
# large file, the chart runtime, comes already compressed at 11 (see explainer/write/assets.py).
BROTLI_QUALITY = 8
GZIP_LEVEL = 9
# Brotli's window, sized to the file (16 bits at least): with its default of 22 bits, quality 8
# prepares a 16 MB table whatever the file's size, which cost a fresh process 15 ms for its
# first two small files (a text edit's page and search index); a window that holds the whole
# file compresses this site's files as small (within 0.01% in all), in half the time.
MIN_WINDOW, MAX_WINDOW = 16, 24
# the cache of copies is keyed by how they are made too: other settings, other bytes
ENCODING = f"gzip {GZIP_LEVEL}, brotli {BROTLI_QUALITY} sized window"
# two copies of each of the site's text files (about 1,500 here) and room for a few versions
BOUND = {"entries": 8192, "max_bytes": 256 << 20}


def compressed_store(stores: Stores) -> Store:
    """The cache of compressed copies (.cache/compressed)."""
    return stores.open("compressed", BYTES, **BOUND)


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with no timestamp and no file name, so the same input gives the same bytes."""
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def brotli_window(size: int) -> int:
    """The smallest window (in bits, 16 to 24) that holds a file of `size` bytes."""
    return max(MIN_WINDOW, min(MAX_WINDOW, (size - 1).bit_length()))


def brotli_bytes(data: bytes, quality: int = BROTLI_QUALITY, window: int | None = None) -> bytes:
    """Brotli with a window sized to the data unless `window` is given."""
    return brotli.compress(data, quality=quality, lgwin=window or brotli_window(len(data)))


ENCODERS: dict[str, Callable[[bytes], bytes]] = {".gz": gzip_bytes, ".br": brotli_bytes}


def precompress(site: Path, cache: Store) -> int:
    """Write <file>.gz and <file>.br beside each compressible file of site that has none yet,
    where they are smaller than the file; return how many were written."""
    written = 0
    # by the names in each folder: a file linked from the published site comes with its copies,
    # and a stat of each of the site's files and of its copies was most of a rebuild's share here
    for folder, _, names in sorted(os.walk(site)):
        present = set(names)
        for name in sorted(names):
            todo = [suffix for suffix in ENCODERS if name + suffix not in present]
            if todo and os.path.splitext(name)[1] in COMPRESSIBLE:
                written += _compress(Path(folder, name), todo, cache)
    return written


def _compress(path: Path, todo: list[str], cache: Store) -> int:
    """Write path's missing copies (from the cache, or compressed now); return how many."""
    written = 0
    data = path.read_bytes()
    for suffix in todo:
        key = f"{ENCODING}|{suffix}|{digest(data)}"
        packed = cache.get_bytes(key)
        if packed is None:
            packed = ENCODERS[suffix](data)
            # a copy no smaller than the file is kept as empty: nothing to serve
            packed = packed if len(packed) < len(data) else b""
            cache.put(key, packed)
        if packed:
            place(path.with_name(path.name + suffix), packed)
            written += 1
    return written
