"""The chart kit: what every chart module shares, so a module reads like a gallery example.

What is drawn where (the contract with the page and the downloads):
- A chart module is `chart(facts, lang, layout) -> alt.TopLevelMixin`. The chart draws its own
  title (the finding, as a sentence) and subtitle (what is measured, in what unit), wrapped for
  the layout's width, and sets `description` (one sentence: the figure's caption and aria-label).
- The rendered SVG is `layout.width` CSS px wide, everything included (padding, axes, legends),
  so it is shown at its natural size, never scaled. Its text is 12-20 px.
- The chart does NOT draw the source line. The page shows `source_line(lang)` under the figure,
  linked to the article (`SOURCE_URL`); the downloads and share cards draw title, source line and
  the site's address into the image.
- Every data row that plots a figure carries `fact` (its id) and `value` (the fact's value).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    """A width a chart is laid out for (whole drawing, CSS px, as vl-convert outputs it)."""

    name: str
    width: int

    @property
    def narrow(self) -> bool:
        """Tell whether the chart must stack what a wide one sets side by side."""
        return self.width < 480


# The page column is 40rem (640 px) wide; on a 320 px phone it is 320 - 2 x 16 px = 288 px.
LAYOUTS = (Layout("narrow", 288), Layout("wide", 640))
WIDE = LAYOUTS[-1]

SOURCE_URL = "https://www.huxiu.com/article/4787562.html"

TEXT = {
    "zh": {
        "source": "来源：何伊然，《AI股和黄金同涨不止是“杠铃交易”》，最话 FunTalk（经虎嗅转载）",
    },
    "en": {
        "source": "Source: He Yiran (何伊然), “AI stocks and gold rising together is more than a ‘barbell trade’”, "
        "FunTalk 最话 (via Huxiu 虎嗅)",
    },
}


def layout_named(name: str) -> Layout:
    """Find a layout by its name."""
    for layout in LAYOUTS:
        if layout.name == name:
            return layout
    msg = f"unknown layout {name!r}; known layouts: {', '.join(layout.name for layout in LAYOUTS)}"
    raise KeyError(msg)


def source_line(lang: str) -> str:
    """Say where the chart's figures come from: the article, its author and publication."""
    return TEXT[lang]["source"]
