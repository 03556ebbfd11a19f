"""Where the engine's own files are: its code (part of every cache key), its theme and its words."""

from __future__ import annotations

import os
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1]  # the explainer package
THEME = ENGINE / "theme"  # the default theme: templates and assets
LOCALES = ENGINE / "language" / "locales"  # the engine's words per language
CHARTKIT = ENGINE / "chartkit"  # the default chart kit


def runtime_cache_dir(fallback: Path) -> Path:
    """Where the runtime bundle is kept: per user ($XDG_CACHE_HOME/explainer, ~/.cache/explainer),
    so every clone and every cold build reuses it; fallback when that folder cannot be written."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "explainer"
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        return fallback
    return base if os.access(base, os.W_OK) else fallback
