"""Read the site's settings (languages, nav, the article) from mkdocs.yml and check them."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from explainer.core.errors import ContentError, IncompleteError, Problem, Untranslated, relative
from explainer.core.mkdocs_adapter import refused_settings
from explainer.core.passed import PassedChecks
from explainer.core.paths import THEME
from explainer.core.yamlfile import LocatedYaml, ParsedYaml, read_yaml

KINDS = {str: "text", int: "a whole number", float: "a number", dict: "a mapping (`key: value` lines)", list: "a list"}
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
# A page's lang and hreflang, the feed's xml:lang: a BCP 47 tag (en, zh-Hans, zh-Hant-TW, pt-BR)
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
NAV_ENTRY = re.compile(r"^[\w./-]+\.md$")
# extra.folders: the project's folders, relative to mkdocs.yml, and their names when not set
DEFAULT_FOLDERS = {"content": "content", "charts": "charts", "templates": "templates", "cache": ".cache"}


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
    chart_timeout: float = 20.0  # seconds a chart may take to render (extra.chart_timeout)
    # where this project keeps its parts (extra.folders, relative to mkdocs.yml): the engine never
    # looks beside its own code for a project's content, charts or templates
    folders: dict[str, Path] = field(default_factory=dict)
    sources_page: str = ""  # the nav page every figure's source links to (extra.sources_page)
    # files of a language folder that are not pages, published as they are (extra.publish: glob
    # patterns relative to the language folder, e.g. "images/*.png"); any other is left out
    publish: tuple[str, ...] = ()

    @property
    def codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    def folder(self, name: str) -> Path:
        """One of the project's folders (content, charts, templates, cache), by its setting."""
        return self.folders.get(name) or self.root / DEFAULT_FOLDERS[name]

    @property
    def content_dir(self) -> Path:
        return self.folder("content")

    @property
    def charts_dir(self) -> Path:
        return self.folder("charts")

    @property
    def templates_dir(self) -> Path:
        """The project's own templates: they override the engine's theme, file by file."""
        return self.folder("templates")

    @property
    def theme_dirs(self) -> tuple[Path, ...]:
        """Where templates and theme assets are looked up: the project's own folder first (a file
        there overrides the engine's of the same path), then the engine's default theme."""
        own = self.templates_dir
        return (own, THEME) if own.is_dir() else (THEME,)

    @property
    def cache_dir(self) -> Path:
        return self.folder("cache")

    @property
    def facts_file(self) -> Path:
        return self.content_dir / "facts.yaml"

    def ui_file(self, code: str) -> Path:
        return self.content_dir / "ui" / f"{code}.yaml"


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def load_settings(config_file: Path, passed: PassedChecks | None = None, kept: ParsedYaml | None = None) -> Settings:
    """Read mkdocs.yml; raise ContentError naming the key and line of anything missing or wrong.

    With `passed`, MkDocs' own validation is skipped when it passed on the same file before."""
    doc, problems = read_yaml(config_file, kept=kept)
    if doc is None:
        raise ContentError(problems)
    shown = relative(config_file)
    if not isinstance(doc.data, dict):
        raise ContentError([Problem(shown, 1, "expected MkDocs settings (`site_name: ...` and so on)")])
    data = doc.data
    root = config_file.parent

    def need(value: object, kind: type | tuple[type, ...], *path: str) -> None:
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            names = " or ".join(KINDS.get(k, k.__name__) for k in (kind if isinstance(kind, tuple) else (kind,)))
            problems.append(Problem(shown, doc.line(*path), f"{'.'.join(path)}: expected {names}, got {value!r}"))

    need(data.get("extra"), dict, "extra")
    extra = _mapping(data.get("extra"))
    need(extra.get("article"), dict, "extra", "article")
    article = _mapping(extra.get("article"))
    langs = extra.get("languages")
    need(article.get("path"), str, "extra", "article", "path")
    need(article.get("last_line"), int, "extra", "article", "last_line")
    if isinstance(article.get("last_line"), int) and article["last_line"] < 1:
        problems.append(
            Problem(
                shown,
                doc.line("extra", "article", "last_line"),
                "extra.article.last_line: expected a line number, 1 or more",
            )
        )
    need(article.get("url", ""), str, "extra", "article", "url")
    url = article.get("url", "")
    if isinstance(url, str) and url and not _web_address(url):
        # linked from every chart's credit, every page's footer and the downloads: a javascript: or
        # data: address there is what the pages' own links may not be
        msg = f"extra.article.url: expected the source's web address (https://... or http://...), got {url!r}"
        problems.append(Problem(shown, doc.line("extra", "article", "url"), msg))
    license_ = extra.get("license", {})
    if license_ is not None and not isinstance(license_, dict):
        need(license_, dict, "extra", "license")
    for code, text in (license_ or {}).items() if isinstance(license_, dict) else ():
        need(text, str, "extra", "license", str(code))
    need(data.get("site_url") or "", str, "site_url")
    timeout = extra.get("chart_timeout", 20)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not 0 < timeout < 3600:
        msg = f"extra.chart_timeout: expected seconds a chart may take to render (e.g. 20), got {timeout!r}"
        problems.append(Problem(shown, doc.line("extra", "chart_timeout"), msg))
    need(langs, dict, "extra", "languages")
    folders = _folders(extra.get("folders", {}), root, doc, shown, problems)
    nav_problems = _nav_problems(data.get("nav"), doc, shown)
    problems.extend(nav_problems)
    sources_page = "" if nav_problems else _sources_page(extra, data["nav"], doc, shown, problems)
    publish = _publish_patterns(extra.get("publish", []), doc, shown, problems)
    languages: list[Language] = []
    for index, (code, entry) in enumerate(_mapping(langs).items()):
        if not isinstance(code, str) or not LANGUAGE_CODE.match(code):
            msg = f"extra.languages: '{code}' is not a language code such as zh, en or pt-BR"
            problems.append(Problem(shown, doc.line("extra", "languages", str(code)), msg))
        need(entry, dict, "extra", "languages", str(code))
        for key in ("name", "html_lang", "site_name") if isinstance(entry, dict) else ():
            if key != "html_lang" and entry.get(key) is None:  # its words, not given yet: one of many
                at = ("extra", "languages", str(code), key)
                message = f"{'.'.join(at)}: missing translation; add `{key}: ...` in that language"
                problems.append(Untranslated(shown, doc.line(*at[:-1]), message))
            else:
                need(entry.get(key), str, "extra", "languages", str(code), key)
        tag = entry.get("html_lang") if isinstance(entry, dict) else None
        if isinstance(tag, str) and not LANGUAGE_TAG.match(tag):
            at = ("extra", "languages", str(code), "html_lang")
            msg = f"{'.'.join(at)}: {tag!r} is not a language tag (BCP 47) such as en, zh-Hans or pt-BR"
            problems.append(Problem(shown, doc.line(*at), msg))
        entry = _mapping(entry)
        languages.append(
            Language(
                code=str(code),
                name=str(entry.get("name", code)),
                html_lang=str(entry.get("html_lang", code)),
                site_name=str(entry.get("site_name", "")),
                prefix="" if index == 0 else f"{code}/",
            )
        )
    if isinstance(langs, dict) and not langs:
        problems.append(Problem(shown, doc.line("extra", "languages"), "extra.languages: add at least one language"))
    if languages and isinstance(extra.get("article"), dict):
        problems.extend(_cite_problems(article.get("cite"), languages[0].code, doc, shown))
    if all(isinstance(problem, Untranslated) for problem in problems):
        content = folders.get("content") or root / DEFAULT_FOLDERS["content"]
        problems.extend(mkdocs_problems(config_file, doc, content / languages[0].code, passed))
    if any(not isinstance(problem, Untranslated) for problem in problems):
        raise ContentError(problems)
    settings = Settings(
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
        chart_timeout=float(timeout),
        folders=folders,
        sources_page=sources_page,
        publish=publish,
    )
    if problems:  # only a language's words are missing: the build checks the rest in the same run
        raise IncompleteError(problems, settings)
    return settings


def _web_address(url: str) -> bool:
    """An absolute http(s) address with a host, and no space or control in it."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"[\x00-\x20\x7f\"<>]", url)


def _publish_patterns(value: object, doc: LocatedYaml, shown: str, problems: list[Problem]) -> tuple[str, ...]:
    """extra.publish: glob patterns of a language folder's files to publish besides its pages."""
    line = doc.line("extra", "publish")
    example = 'e.g. `publish: ["images/*.png"]`'
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        problems.append(
            Problem(shown, line, f"extra.publish: expected a list of file patterns, {example}; got {value!r}")
        )
        return ()
    for pattern in value:
        if pattern.startswith("/") or ".." in pattern.split("/") or pattern.endswith(".md"):
            msg = f"extra.publish: {pattern!r} must name files inside a language folder, not pages; {example}"
            problems.append(Problem(shown, line, msg))
    return tuple(value)


def _folders(value: object, root: Path, doc: LocatedYaml, shown: str, problems: list[Problem]) -> dict[str, Path]:
    """Read extra.folders: each a folder name relative to mkdocs.yml (content, charts, templates, cache)."""
    if not isinstance(value, dict):
        msg = f"extra.folders: expected a mapping such as `content: content`, got {value!r}"
        problems.append(Problem(shown, doc.line("extra", "folders"), msg))
        return {}
    folders: dict[str, Path] = {}
    for name, folder in value.items():
        line = doc.line("extra", "folders", str(name))
        if name not in DEFAULT_FOLDERS:
            msg = f"extra.folders: unknown folder {name!r}; known: {', '.join(DEFAULT_FOLDERS)}"
            problems.append(Problem(shown, line, msg))
        elif not isinstance(folder, str) or not folder.strip() or Path(folder).is_absolute():
            msg = f"extra.folders.{name}: expected a folder name relative to {shown}, e.g. `{DEFAULT_FOLDERS[name]}`"
            problems.append(Problem(shown, line, msg))
        else:
            folders[name] = root / folder
    return folders


def _sources_page(extra: dict, pages: list[str], doc: LocatedYaml, shown: str, problems: list[Problem]) -> str:
    """Find the page every figure's source links to (its fact table): extra.sources_page, a page of
    the (checked) nav; by default the nav's last page, where a site's sources usually go."""
    if "sources_page" not in extra:
        return pages[-1]
    page = extra["sources_page"]
    if not isinstance(page, str) or page not in pages:
        msg = (
            f"extra.sources_page: {page!r} is not a page of the nav; name the page with the fact table, "
            f"e.g. `sources_page: {pages[-1]}`"
        )
        problems.append(Problem(shown, doc.line("extra", "sources_page"), msg))
        return ""
    return page


def _cite_problems(cite: object, article_lang: str, doc: LocatedYaml, shown: str) -> list[Problem]:
    """Check extra.article.cite, which every credit and citation is made from: the title as text,
    author and publisher as text or per language (the article's own language at least), the
    author's name split for citations ('Family, Given') and the title's translations, if any,
    per language."""
    at = ("extra", "article", "cite")
    if not isinstance(cite, dict):
        msg = f"extra.article.cite: expected a mapping (author, title, publisher), got {cite!r}"
        return [Problem(shown, doc.line(*at), msg)]
    problems = []

    def need_text(value: object, expected: str, *path: str) -> None:
        if not isinstance(value, str) or not value.strip():
            problems.append(
                Problem(shown, doc.line(*at, *path), f"{'.'.join((*at, *path))}: expected {expected}, got {value!r}")
            )

    need_text(cite.get("title"), "text", "title")
    per_language = f"text, or text per language ({{{article_lang}: ..., ...}})"
    for key in ("author", "publisher"):
        value = cite.get(key)
        if not isinstance(value, dict):
            need_text(value, per_language, key)
            continue
        if article_lang not in value:
            msg = f"{'.'.join((*at, key))}: give it in the article's language too: `{article_lang}: ...`"
            problems.append(Problem(shown, doc.line(*at, key), msg))
        for code, text in value.items():
            need_text(text, "text", key, str(code))

    def texts_per_language(key: str, expected: str) -> dict:
        """An optional mapping of language to text: each text checked, a non-mapping refused."""
        value = cite.get(key, {})
        if not isinstance(value, dict):
            msg = f"extra.article.cite.{key}: expected {expected}, got {value!r}"
            problems.append(Problem(shown, doc.line(*at, key), msg))
            return {}
        for code, text in value.items():
            need_text(text, "text", key, str(code))
        return value

    for code, name in texts_per_language("author_cited", "'Family, Given' per language (en: He, Yiran)").items():
        if isinstance(name, str) and name.count(",") != 1:
            msg = f"extra.article.cite.author_cited.{code}: expected 'Family, Given' (one comma), got {name!r}"
            problems.append(Problem(shown, doc.line(*at, "author_cited", str(code)), msg))
    texts_per_language("translated_title", "text per language (en: ...)")
    return problems


def _nav_problems(nav: object, doc: LocatedYaml, shown: str) -> list[Problem]:
    """Check the nav: a list of page file names (the same in every language), each once."""
    if not isinstance(nav, list) or not nav:
        return [Problem(shown, doc.line("nav"), "nav: expected a list of pages, e.g. `- index.md`")]
    problems = []
    seen: set[str] = set()
    for index, item in enumerate(nav):
        line = doc.line("nav", str(index))
        if not isinstance(item, str) or not NAV_ENTRY.match(item) or ".." in item.split("/"):
            msg = f"nav: {item!r} is not a page; write the file name, e.g. `- loop.md` (titles come from front matter)"
            problems.append(Problem(shown, line, msg))
        elif item in seen:
            problems.append(Problem(shown, line, f"nav: '{item}' is listed twice; keep one"))
        else:
            seen.add(str(item))
    return problems


def mkdocs_problems(
    config_file: Path, doc: LocatedYaml, docs_dir: Path, passed: PassedChecks | None = None
) -> list[Problem]:
    """Let MkDocs validate its own options once, and report each at its line in mkdocs.yml
    (skipped when it passed on the same file, folders and environment before)."""
    name, key = "mkdocs-settings", ""
    if passed is not None:
        # what MkDocs may look for beside its settings (docs_dir, custom_dir, hooks); not the build's
        # own dot-folders (.cache, .site.spare, the lock), which come and go between builds
        around = sorted(path.name for path in config_file.parent.iterdir() if not path.name.startswith("."))
        environment = json.dumps(sorted(os.environ.items()))  # MkDocs reads !ENV tags
        key = passed.key(
            config_file.read_bytes(), str(config_file), str(docs_dir), str(docs_dir.is_dir()), *around, environment
        )
        if passed.passed(name, key):
            return []
    refused = refused_settings(config_file, docs_dir)
    if refused is None:
        if passed is not None:
            passed.remember(name, key)
        return []
    problems = [
        Problem(relative(config_file), doc.line(*setting.key.split(".")), f"{setting.key}: {setting.why}")
        for setting in refused
    ]
    return problems or [Problem(relative(config_file), None, "MkDocs refused these settings; check them")]


def cache_folder(config_file: Path) -> Path:
    """Where the project keeps what its builds reuse (extra.folders.cache, else .cache beside
    mkdocs.yml): needed before the settings are loaded, since their checks are cached there."""
    doc, _ = read_yaml(config_file)
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    folders = _mapping(_mapping(data.get("extra")).get("folders"))
    name = folders.get("cache")
    if isinstance(name, str) and name.strip() and not Path(name).is_absolute():
        return config_file.parent / name
    return config_file.parent / DEFAULT_FOLDERS["cache"]
