"""Read the site's settings (languages, nav, the article) from mkdocs.yml and check them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, Problem, relative
from .yamlfile import read_yaml


@dataclass(frozen=True)
class Language:
    """One language of the site; the first is the article's own and lives at the root."""

    code: str
    name: str
    html_lang: str
    site_name: str
    prefix: str  # "" for the first language, "en/" for the others


@dataclass(frozen=True)
class Settings:
    """What build.py needs from mkdocs.yml before MkDocs itself runs."""

    root: Path
    config_file: Path
    languages: tuple[Language, ...]
    nav: tuple[str, ...]
    site_url: str
    article_path: Path
    article_last_line: int
    article_url: str
    article_cite: dict = field(default_factory=dict)  # extra.article.cite: how citations name the source
    license: dict = field(default_factory=dict)  # extra.license: {lang: the licence of our charts and data}
    nav_line: int | None = None  # where nav: is in mkdocs.yml, for messages about it

    @property
    def codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def facts_file(self) -> Path:
        return self.content_dir / "facts.yaml"

    def ui_file(self, code: str) -> Path:
        return self.content_dir / "ui" / f"{code}.yaml"


def load_settings(config_file: Path) -> Settings:
    """Read mkdocs.yml; raise ContentError naming the key and line of anything missing."""
    doc, problems = read_yaml(config_file)
    if doc is None:
        raise ContentError(problems)
    data = doc.data if isinstance(doc.data, dict) else {}
    extra = data.get("extra") or {}
    root = config_file.parent

    def need(value: object, kind: type, *path: str) -> None:
        if not isinstance(value, kind):
            line = doc.line(*path)
            problems.append(Problem(relative(config_file), line, f"{'.'.join(path)}: expected a {kind.__name__}"))

    article = extra.get("article") or {}
    langs = extra.get("languages") or {}
    need(article.get("path"), str, "extra", "article", "path")
    need(article.get("last_line"), int, "extra", "article", "last_line")
    need(langs, dict, "extra", "languages")
    need(data.get("nav"), list, "nav")
    languages: list[Language] = []
    if isinstance(langs, dict):
        for index, (code, entry) in enumerate(langs.items()):
            entry = entry or {}
            for key in ("name", "html_lang", "site_name"):
                need(entry.get(key), str, "extra", "languages", code, key)
            languages.append(
                Language(
                    code=code,
                    name=str(entry.get("name", code)),
                    html_lang=str(entry.get("html_lang", code)),
                    site_name=str(entry.get("site_name", "")),
                    prefix="" if index == 0 else f"{code}/",
                )
            )
    if isinstance(langs, dict) and not langs:
        problems.append(
            Problem(relative(config_file), doc.line("extra", "languages"), "extra.languages: add at least one language")
        )
    if problems:
        raise ContentError(problems)
    return Settings(
        root=root,
        config_file=config_file,
        languages=tuple(languages),
        nav=tuple(str(item) for item in data["nav"]),
        site_url=str(data.get("site_url") or ""),
        article_path=(root / article["path"]).resolve(),
        article_last_line=article["last_line"],
        article_url=str(article.get("url", "")),
        article_cite=dict(article.get("cite") or {}),
        license=dict(extra.get("license") or {}),
        nav_line=doc.line("nav"),
    )
