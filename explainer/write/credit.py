"""The source's credit line in each language, made from the one description of the source.

mkdocs.yml's `extra.article` says who and what the source is (`url`, and under `cite`: `author`,
`title`, `publisher`, and `translated_title` per language); each language's interface strings say
how a credit is worded there (`source_line`, and `source_translated_title` for a page in another
language than the article's, which adds the title's translation marked as ours). Chart captions,
the pages' footer, the downloads and the data bundles all print this one line.
"""

from __future__ import annotations

import string
from pathlib import Path

from explainer.core.errors import ContentError, Problem, relative
from explainer.language.locales import ENGINE_DIR
from explainer.load.settings import Settings

# the interface strings that word a credit, and the fields each may name
FIELDS = {
    "source_line": ("author", "title", "translated_title", "publisher"),
    "source_translated_title": ("title", "our_translation"),
}


def in_language(settings: Settings, texts: object, code: str) -> str:
    """A setting given as {lang: text} in one language, else in the article's own (a name is
    written as the source writes it until translated); plain text is every language's."""
    if isinstance(texts, dict):
        return str(texts.get(code) or texts.get(settings.codes[0]) or "")
    return str(texts or "")


def source_line(settings: Settings, lang_code: str, ui: dict[str, str]) -> str:
    """Credit the source in a language: its author, title (with our translation of it, in a
    language other than the article's, when the settings give one) and publisher."""
    cite = settings.article_cite
    translated = ""
    titles = cite.get("translated_title")
    if lang_code != settings.codes[0] and isinstance(titles, dict) and titles.get(lang_code):
        translated = _fill(
            settings,
            lang_code,
            ui,
            "source_translated_title",
            title=str(titles[lang_code]),
            our_translation=ui["our_translation"],
        )
    return _fill(
        settings,
        lang_code,
        ui,
        "source_line",
        author=in_language(settings, cite.get("author"), lang_code),
        title=str(cite.get("title") or ""),
        translated_title=translated,
        publisher=in_language(settings, cite.get("publisher"), lang_code),
    )


def _fill(settings: Settings, code: str, ui: dict[str, str], key: str, **fields: str) -> str:
    """Fill one credit pattern, or raise ContentError at the interface string if it names a field
    it cannot have (a typo in a translation is the editor's mistake, not a traceback)."""
    pattern = ui[key]
    try:
        named = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
        unknown = sorted(named - set(FIELDS[key]))
        why = f"unknown field {{{unknown[0]}}}" if unknown else ""
    except ValueError as exc:  # a lone { or }
        why = f"{exc}; write {{{{ or }}}} for a brace itself"
    if why:
        known = ", ".join(f"{{{name}}}" for name in FIELDS[key])
        path = settings.ui_file(code)  # the project's wording, else the engine's default
        if _line_of(path, key) is None and _line_of(ENGINE_DIR / f"{code}.yaml", key) is not None:
            path = ENGINE_DIR / f"{code}.yaml"
        msg = f"'{key}': {why}; the credit can name {known}"
        raise ContentError([Problem(relative(path), _line_of(path, key), msg)])
    return pattern.format(**fields)


def _line_of(path: Path, key: str) -> int | None:
    """The line where an interface string's key is written, if the file says it plainly."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((number for number, text in enumerate(lines, 1) if text.startswith(f"{key}:")), None)
