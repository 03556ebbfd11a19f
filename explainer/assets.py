"""Write the site's shared files once, fingerprinted: CSS, the chart loader, the Vega runtime.

A content hash in each name lets browsers cache them for good; pages in every language
point at the same copies at the site root.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import rcssmin
import rjsmin
import vl_convert as vlc

# The interactive runtime: vega-embed, handed Vega specs compiled at build time. (vl-convert's
# bundler exposes a bare `vega` as a null default export, so Vega alone cannot be bundled
# this way; vega-embed is the one entry point that works.)
VEGA_SNIPPET = "window.vegaEmbed = vegaEmbed;"


REM = re.compile(r"(?<![\w.-])(\d*\.?\d+)rem\b")


def fixed_size_css(css: str) -> str:
    """The stylesheet with rem turned into px, for charts embedded by script in another site's
    page: rem follows that page's root font size, which the site does not control."""
    return REM.sub(lambda match: f"{float(match.group(1)) * 16:g}px", css)


def fingerprint(name: str, data: bytes) -> str:
    """Return 'assets/<stem>.<hash>.<ext>' for a file's content."""
    stem, _, ext = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"assets/{stem}.{digest}.{ext}"


def vega_bundle(cache_dir: Path) -> Path:
    """Bundle the Vega runtime with vl-convert once per library version; return the cached file."""
    key = hashlib.sha256(f"{vlc.__version__}|{VEGA_SNIPPET}".encode()).hexdigest()[:12]
    cached = cache_dir / f"vega-{key}.js"
    if not cached.exists():
        write_atomically(cached, vlc.javascript_bundle(VEGA_SNIPPET).encode("utf-8"))
    return cached


def write_atomically(path: Path, data: bytes) -> None:
    """Write a cache file so that a reader never sees it half-written (temp file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


def place(target: Path, data: bytes | None = None, source: Path | None = None) -> None:
    """Write bytes to target, or hard-link an unchanged cached file there (no copy), else copy it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source is None:
        target.write_bytes(data or b"")
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


@dataclass(frozen=True)
class Asset:
    """A shared file's fingerprinted path from the site root, and its bytes or cached file."""

    path: str
    data: bytes | None = None
    source: Path | None = None


def prepare_assets(templates: Path, cache_dir: Path) -> dict[str, Asset]:
    """Read, minify and fingerprint every shared file; templates need the names before pages exist."""
    folder = templates / "assets"

    def text(name: str) -> str:
        return (folder / name).read_text(encoding="utf-8")

    sources: dict[str, bytes] = {
        "site.css": rcssmin.cssmin(text("site.css")).encode("utf-8"),
        "embed.css": rcssmin.cssmin(fixed_size_css(text("site.css"))).encode("utf-8"),
        # every page: the chart loader (a no-op without charts) and the search button
        "site.js": rjsmin.jsmin("\n".join(text(f) for f in ("charts.js", "search-boot.js", "share.js"))).encode(
            "utf-8"
        ),
        "embed.js": rjsmin.jsmin(text("embed.js")).encode("utf-8"),
        # on demand: the search code, and the interactive chart runtime
        "search.js": rjsmin.jsmin(text("search.js")).encode("utf-8"),
        "favicon.svg": (folder / "favicon.svg").read_bytes(),
    }
    assets = {name: Asset(fingerprint(name, data), data) for name, data in sources.items()}
    bundle = vega_bundle(cache_dir)  # its name already carries the library version's hash
    assets["vega.js"] = Asset(f"assets/vega.{bundle.stem.removeprefix('vega-')[:10]}.js", source=bundle)
    return assets


def write_assets(assets: dict[str, Asset], out_dir: Path) -> None:
    """Write the prepared assets under out_dir."""
    for asset in assets.values():
        place(out_dir / asset.path, asset.data, asset.source)
