"""Write the site's shared files once, fingerprinted: CSS, the chart loader, the Vega runtime.

A content hash in each name lets browsers cache them for good; pages in every language
point at the same copies at the site root.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import rcssmin
import rjsmin

from explainer.core.files import place
from explainer.core.fingerprint import vl_convert_version
from explainer.core.paths import runtime_cache_dir
from explainer.core.store import BYTES, Store
from explainer.draw.chart_css import FOLLOWS_SYSTEM, FORCED_DARK, chart_css
from explainer.draw.converter import converter
from explainer.write.compress import brotli_bytes, gzip_bytes

# The interactive runtime: vega-embed, handed Vega specs compiled at build time. (vl-convert's
# bundler exposes a bare `vega` as a null default export, so Vega alone cannot be bundled
# this way; vega-embed is the one entry point that works.) The bundle declares hundreds of
# top-level names, which a classic script makes globals: on another site's page (a script
# embed) they could clash with the host's own. So it is wrapped in a function, and hands
# vegaEmbed to the <script> element that loaded it (charts.js reads it there): no global at all.
VEGA_SNIPPET = "var script = document.currentScript; if (script) script.vegaEmbed = vegaEmbed;"
VEGA_WRAPPER = ("(function () {\n", "\n})();\n")
# site.js, every page's one script: these theme assets, in this order (ready.js last: it marks
# <html data-ready="1"> once the others have done their startup work)
SITE_JS = ("charts.js", "search-boot.js", "share.js", "switch.js", "ready.js")


REM = re.compile(r"(?<![\w.-])(\d*\.?\d+)rem\b")


# An embed page reads the host's choices from flags on <html> (embed.js sets them from ?theme=,
# ?plain=, ?static=); a script embed's shadow root cannot see <html>, so there the same rules
# read the writer's attributes on the host element, <div data-explainer-chart data-theme="dark">.
HOST_FLAGS = (
    (FOLLOWS_SYSTEM, ':host([data-theme="auto"])'),  # in the dark media query
    (FORCED_DARK, ':host([data-theme="dark"])'),
    ("html[data-plain]", ":host([data-plain])"),
)


def shadow_root_css(css: str) -> str:
    """The stylesheet for charts embedded by script in another site's page: rem turned into px
    (rem follows that page's root font size, which the site does not control), and the embed
    page's flags on <html> read from the host element's attributes instead."""
    for page_flag, host_flag in HOST_FLAGS:
        css = css.replace(page_flag, host_flag)
    return REM.sub(lambda match: f"{float(match.group(1)) * 16:g}px", css)


def theme_file(theme: Sequence[Path], name: str) -> Path:
    """A theme file by its path in the theme: the project's own if it has one, else the engine's."""
    for folder in theme:
        if (folder / name).is_file():
            return folder / name
    return theme[-1] / name  # absent everywhere: the engine's path, for the message


def chart_loader_js(theme: Sequence[Path]) -> str:
    """charts.js minified: the interactive view's loader, for script embeds (site.js has its own copy)."""
    return rjsmin.jsmin(theme_file(theme, "assets/charts.js").read_text(encoding="utf-8"))


def fingerprint(name: str, data: bytes) -> str:
    """Return 'assets/<stem>.<hash>.<ext>' for a file's content."""
    stem, _, ext = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"assets/{stem}.{digest}.{ext}"


def vega_store(folder: Path) -> Store:
    """The per-user cache of the runtime bundle (a few versions of three files, 2 MB each version)."""
    return Store(folder / "vega", "vega", BYTES, entries=12, max_bytes=32 << 20)


def vega_bundle(store: Store) -> tuple[str, dict[str, bytes]]:
    """Bundle the Vega runtime with vl-convert once per library version, with its gzip and brotli
    copies (brotli at its best quality takes seconds on 900 KB: paid once per version, it saves
    readers 8% over quality 8); return its key and the bytes by suffix ("", ".gz", ".br")."""
    key = hashlib.sha256(f"{vl_convert_version()}|{VEGA_SNIPPET}|{VEGA_WRAPPER}".encode()).hexdigest()[:12]
    found = {suffix: store.get_bytes(key + suffix) for suffix in ("", ".gz", ".br")}
    if any(data is None for data in found.values()):
        # vl-convert loaded only when the runtime is bundled (once per version)
        data = (VEGA_WRAPPER[0] + converter().javascript_bundle(VEGA_SNIPPET) + VEGA_WRAPPER[1]).encode("utf-8")
        # as made before: kept per user
        found = {"": data, ".gz": gzip_bytes(data), ".br": brotli_bytes(data, quality=11, window=22)}
        for suffix, made in found.items():
            store.put(key + suffix, made)
        store.prune()
    return key, {suffix: data for suffix, data in found.items() if data is not None}


@dataclass(frozen=True)
class Asset:
    """A shared file's fingerprinted path from the site root, its bytes, and its compressed copies
    when it comes with them."""

    path: str
    data: bytes
    copies: tuple[tuple[str, bytes], ...] = ()


def prepare_assets(
    theme: Sequence[Path], cache_dir: Path, chart_boxes: str = "", chart_colours: Iterable[str] = ()
) -> dict[str, Asset]:
    """Read, minify and fingerprint every shared file; templates need the names before pages exist.
    `chart_boxes` sizes each chart layout's box, `chart_colours` are the colours the charts draw
    with (both from the rendered charts)."""
    colours = tuple(chart_colours)

    def text(name: str) -> str:
        return theme_file(theme, f"assets/{name}").read_text(encoding="utf-8")

    sources: dict[str, bytes] = {
        # the chart rules generated from the chart kit (layouts, dark-mode colours) come last
        "site.css": rcssmin.cssmin(text("site.css") + chart_css(text("site.css"), colours) + chart_boxes).encode(
            "utf-8"
        ),
        "embed.css": rcssmin.cssmin(
            shadow_root_css(text("site.css") + chart_css(text("site.css"), colours) + chart_boxes)
        ).encode("utf-8"),
        # every page: the chart loader (a no-op without charts), the search button, the language
        # switch that keeps the section and the readiness mark, in one function so that enhanceCharts stays out of the
        # page's globals
        "site.js": rjsmin.jsmin("(function () {\n" + "\n".join(text(f) for f in SITE_JS) + "\n})();").encode("utf-8"),
        "embed.js": rjsmin.jsmin(text("embed.js")).encode("utf-8"),
        # on demand: the search code, and the interactive chart runtime
        "search.js": rjsmin.jsmin(text("search.js")).encode("utf-8"),
        "favicon.svg": theme_file(theme, "assets/favicon.svg").read_bytes(),
    }
    assets = {name: Asset(fingerprint(name, data), data) for name, data in sources.items()}
    # its name already carries the library version's hash
    key, bundle = vega_bundle(vega_store(runtime_cache_dir(fallback=cache_dir)))
    copies = tuple((suffix, data) for suffix, data in bundle.items() if suffix)
    assets["vega.js"] = Asset(f"assets/vega.{key[:10]}.js", bundle[""], copies)
    return assets


def write_assets(assets: dict[str, Asset], out_dir: Path) -> None:
    """Write the prepared assets under out_dir, with the compressed copies that came with them."""
    for asset in assets.values():
        place(out_dir / asset.path, asset.data)
        for suffix, data in asset.copies:
            place(out_dir / (asset.path + suffix), data)
