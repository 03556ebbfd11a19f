"""Addresses for people and programs outside the site: absolute with site_url, else root-relative."""

from __future__ import annotations

from .settings import Language, Settings


def page_url(settings: Settings, lang: Language, path: str) -> str:
    """A page's address outside the site: absolute with site_url, else root-relative."""
    base = settings.site_url.rstrip("/")
    return f"{base}/{lang.prefix}{path}" if base else f"/{lang.prefix}{path}"


def file_url(settings: Settings, path: str) -> str:
    """A file shared by every language (a chart's PNG, its downloads): absolute with site_url."""
    base = settings.site_url.rstrip("/")
    return f"{base}/{path}" if base else f"/{path}"
