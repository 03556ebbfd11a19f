"""oEmbed for every chart, as static files: paste a chart's address into WordPress (or any
consumer that does oEmbed discovery) and get the chart, with no plugin and no server code.

Each embed page links to `oembed.json` beside it (rel="alternate", type application/json+oembed).
A static file cannot negotiate `maxwidth`/`maxheight`: the response gives the chart's natural
size, and the iframe fits any narrower column by itself (the embed page is fluid, and it
reports its height to the host).
"""

from __future__ import annotations

import html
import json
import struct
from pathlib import Path

from explainer.core.escape import xml_attribute
from explainer.draw.render import RenderedChart
from explainer.load.settings import Language, Settings
from explainer.write.urls import page_url

OEMBED_FILE = "oembed.json"
CACHE_AGE = 86400  # a day: charts change when the article's figures are corrected
EMBED_CHROME = 150  # the embed page's title, source line and table toggle under the chart, in px
# the embed page's side padding (.75rem each side, site.css's .embed-main): an iframe this much
# wider than the chart shows its widest layout at its natural size, not the narrower one
EMBED_GUTTER = 24


def png_size(path: Path) -> tuple[int, int]:
    """Read a PNG's pixel size from its header (the thumbnail's width and height)."""
    with path.open("rb") as png:
        header = png.read(24)
    return struct.unpack(">II", header[16:24])


def oembed_response(
    settings: Settings,
    lang: Language,
    chart: RenderedChart,
    embed_url: str,
    thumbnail: tuple[str, Path],
    resize_script: str = "",
) -> dict[str, object]:
    """The oEmbed 1.0 `rich` response for one chart in one language (URLs are absolute).
    `resize_script`: the theme's partials/iframe_resize.html, for hosts that put the html in
    their page as it is (Ghost, a Python or Node consumer's page): it fits the iframe to the
    height the embed page reports, which no static response can know (the caption wraps with
    the reader's fonts). WordPress drops it and fits the iframe by its own handshake."""
    width, height = round(chart.width + EMBED_GUTTER), round(chart.height + EMBED_CHROME)
    title = xml_attribute(chart.title)  # quotes, and line breaks as references (kept in an attribute)
    # The blockquote is what a host shows until the iframe reports its height (WordPress hides
    # the iframe until then; the resize script hides the blockquote then), and all that remains
    # where iframes are stripped.
    markup = (
        f'<blockquote class="explainer-embed-fallback"><a href="{html.escape(embed_url, quote=True)}">{title}</a></blockquote>'
        f'<iframe src="{html.escape(embed_url, quote=True)}" width="{width}" height="{height}" title="{title}" '
        'frameborder="0" scrolling="no" data-explainer-embed></iframe>' + resize_script
    )
    home = page_url(settings, lang, "")
    thumbnail_url, thumbnail_path = thumbnail
    thumb_width, thumb_height = png_size(thumbnail_path)
    return {
        "version": "1.0",
        "type": "rich",
        "title": chart.title,
        "html": markup,
        "width": width,
        "height": height,
        "author_name": lang.site_name,
        "author_url": home,
        "provider_name": lang.site_name,
        "provider_url": home,
        "thumbnail_url": thumbnail_url,
        "thumbnail_width": thumb_width,
        "thumbnail_height": thumb_height,
        "cache_age": CACHE_AGE,
    }


def write_oembed(folder: Path, response: dict[str, object]) -> None:
    """Write one response beside its embed page (sorted keys: builds stay byte-identical)."""
    text = json.dumps(response, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False)
    (folder / OEMBED_FILE).write_text(text + "\n", encoding="utf-8")
