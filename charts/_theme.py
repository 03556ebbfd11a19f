"""This explainer's chart colours on top of the engine's chart theme: one colour per company.

Each reaches 3:1 against both the white and the dark page, as every mark colour must
(tests/test_charts.py checks them with the engine's own `contrast`).
"""

from __future__ import annotations

from explainer.chartkit import kit
from explainer.chartkit.theme import *  # noqa: F403  (the engine's colours and sizes, by their names)
from explainer.chartkit.theme import marks as engine_marks

kit.keep_with_numbers("吉瓦")  # gigawatts, as the article writes them: "10吉瓦" is one word

COMPANY = {"openai": "#0e7c66", "oracle": "#c2410c", "nvidia": "#4f7a0b"}


def marks() -> dict[str, str]:
    """Name every mark colour, the engine's and this explainer's (3:1 on both page backgrounds)."""
    return {**engine_marks(), **{f"company.{k}": v for k, v in COMPANY.items()}}
