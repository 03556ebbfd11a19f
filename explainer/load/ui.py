"""Interface strings, one table per language: the engine's defaults (explainer/language/locales/<code>.yaml)
overridden by the project's content/ui/<code>.yaml, checked to have the same keys everywhere."""

from __future__ import annotations

from explainer.language.locales import load_locales
from explainer.load.settings import Settings


def load_ui(settings: Settings) -> dict[str, dict[str, str]]:
    """Every language's interface strings; report any key missing in one of them, at its file."""
    return {code: locale.ui for code, locale in load_locales(settings.content_dir, settings.codes).items()}
