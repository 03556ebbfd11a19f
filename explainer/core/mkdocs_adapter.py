"""The one module that imports MkDocs.

The engine builds its pages with MkDocs 1.6, the last 1.x release. Every MkDocs name it uses, and
everything it knows of MkDocs' behaviour (its loggers, the wording of its warnings), is here, so
that a move to a MkDocs 1.x-compatible engine (ProperDocs, a maintained fork) changes this module
only. What MkDocs says only in words (a refused setting, a broken link) becomes data at this
border: the rest of the engine never reads a MkDocs message.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mkdocs
import yaml
from mkdocs.commands.build import build as _build_docs
from mkdocs.config import defaults as mkdocs_defaults
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents, get_toc
from mkdocs.utils import meta as mkdocs_meta

from explainer.core.logs import LogCollector

__all__ = [
    "LOGGERS",
    "BasePlugin",
    "BrokenLink",
    "DocsBroken",
    "DocsStopped",
    "Files",
    "MkDocsConfig",
    "Page",
    "RefusedSetting",
    "TableOfContents",
    "build_docs",
    "front_matter_reader",
    "generated_page",
    "get_toc",
    "live_reload_server",
    "log_level",
    "quiet",
    "refused_settings",
    "say_where_served",
    "writes_some_pages",
]

LOGGERS = ("mkdocs", "markdown")  # what a build or a page's conversion says, it says through these
_CONFIG_VALUE = re.compile(r"^Config value '([^']+)': (.*)$", re.DOTALL)
_DOC_FILE = re.compile(r"^Doc file '([^']+)' (.*)$", re.DOTALL)
_QUOTED = re.compile(r"'([^']+)'")
# A build that writes only some pages is MkDocs' "dirty" build (`build(config, dirty=True)`): it
# reads and converts every page, then builds only those whose File.is_modified() says so. It was
# written against this MkDocs: tests/test_some_pages.py fails when another one changes it.
WRITES_SOME_PAGES_FOR = "1.6.1"
_DIRTY_WARNING = "A 'dirty' build is being performed"


@dataclass(frozen=True)
class RefusedSetting:
    """An option of mkdocs.yml that MkDocs refused: its dotted key, and why."""

    key: str
    why: str


@dataclass(frozen=True)
class BrokenLink:
    """A warning MkDocs gave while building: the page it is about (relative to docs_dir; None when
    about no page), the quoted target it names, and what it says of it ("contains a link ...")."""

    page: str | None
    target: str | None
    message: str


class DocsStopped(Exception):
    """MkDocs stopped a build (strict mode): the warnings that made it stop, as data."""

    def __init__(self, reason: str, warnings: list[BrokenLink]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.warnings = warnings


class DocsBroken(Exception):
    """MkDocs could not build at all: its settings or its own error."""


def refused_settings(config_file: Path, docs_dir: Path) -> list[RefusedSetting] | None:
    """Let MkDocs validate its own options: None when it accepts them, else each refused option
    (an empty list when it refused without naming one)."""
    with LogCollector(*LOGGERS) as heard:
        try:
            load_config(config_file=str(config_file), docs_dir=str(docs_dir))
            return None
        except (ConfigurationError, Abort):
            pass
    refused = []
    for message in heard.messages:
        if (match := _CONFIG_VALUE.match(message)) is not None:
            refused.append(RefusedSetting(match.group(1), match.group(2).strip()))
    return refused


def build_docs(
    config_file: Path,
    docs_dir: Path,
    site_dir: Path,
    site_name: str,
    site_url: str | None,
    theme_dirs: tuple[Path, ...],
    plugins: dict[str, BasePlugin],
    write_page: Callable[[str], bool] | None = None,
    front_matter: Callable[[str], Any] | None = None,
) -> None:
    """One MkDocs build: the pages of docs_dir into site_dir, with the theme's folders (the first
    overrides the rest, file by file) and our plugins; raise DocsStopped or DocsBroken.

    `write_page`: every page is still read and converted (the navigation, search and links need
    them all), but only those whose source path (relative to docs_dir) it says yes to are
    rendered and written, asked once every page is converted; the site, its static files and
    templates (404.html, sitemap.xml) are written as usual.

    `front_matter`: the data of a page's front matter (the YAML text between its fences) as parsed
    before, or None (see front_matter_reader)."""
    some = _SomePages(write_page) if write_page is not None else None
    with (
        LogCollector(*LOGGERS) as heard,
        _unwarned(some is not None),
        _front_matter_from(front_matter),
        _settings_by_libyaml(),
    ):
        try:
            config = load_config(
                config_file=str(config_file),
                docs_dir=str(docs_dir),
                site_dir=str(site_dir),
                site_name=site_name,
                site_url=site_url,
                theme={"name": None, "custom_dir": str(theme_dirs[-1]), "static_templates": ["404.html"]},
            )
            for folder in reversed(theme_dirs[:-1]):
                config.theme.dirs.insert(0, str(folder))
            for name, plugin in plugins.items():
                config.plugins[name] = plugin
            if some is not None:  # last: it asks write_page after every other plugin's on_env
                config.plugins["explainer-some-pages"] = some
            _build_docs(config, dirty=some is not None)
        except Abort as exc:
            warnings = [_located(message) for message in heard.messages]
            raise DocsStopped(exc.message, warnings) from exc
        except (ConfigurationError, MkDocsException) as exc:
            raise DocsBroken(str(exc)) from exc


def generated_page(config: MkDocsConfig, src_uri: str, markdown: str) -> File:
    """A page the build makes (not a file of the docs folder), at src_uri, kept out of the nav."""
    return File.generated(config, src_uri, content=markdown, inclusion=InclusionLevel.NOT_IN_NAV)


def front_matter_reader(front_matter: Callable[[str], Any]) -> Callable[[str], tuple[str, dict[str, Any]]]:
    """MkDocs' meta.get_data (a page's Markdown and front matter, from its source), taking the
    front matter's data from `front_matter` (given the YAML text between the fences) instead of
    parsing it again: 400 pages' front matter was ~25 ms of a text edit's rebuild, and the build
    had parsed each already with the loader MkDocs uses (libyaml's safe loader). A dict from it
    is what MkDocs' parse of the same text gives; anything else (None: not parsed before, or not
    a mapping) is left to MkDocs' own get_data, which then parses it as always."""
    original = mkdocs_meta.get_data

    def get_data(doc: str) -> tuple[str, dict[str, Any]]:
        found = mkdocs_meta.YAML_RE.match(doc)
        if found is not None:
            data = front_matter(found.group(1))
            if isinstance(data, dict):  # as MkDocs: the source after the fence, its blank lines dropped
                return doc[found.end() :].lstrip("\n"), data
        return original(doc)

    return get_data


@contextlib.contextmanager
def _settings_by_libyaml() -> Iterator[None]:
    """While a build runs, MkDocs parses mkdocs.yml with libyaml's parser (PyYAML's CLoader: the
    same constructor and resolver as the pure-Python yaml.Loader it wraps by default, so the same
    data, its !ENV and !relative tags included): a nav of 400 pages took ~30 ms to parse in Python.
    The build has parsed the file with libyaml already (explainer/core/yamlfile.py), so a file
    only Python's parser reads never gets this far."""
    original = mkdocs_defaults.get_yaml_loader
    if not getattr(yaml, "__with_libyaml__", False):
        yield
        return
    mkdocs_defaults.get_yaml_loader = functools.partial(original, yaml.CLoader)
    try:
        yield
    finally:
        mkdocs_defaults.get_yaml_loader = original


@contextlib.contextmanager
def _front_matter_from(front_matter: Callable[[str], Any] | None) -> Iterator[None]:
    """While a build runs, MkDocs reads front matter through front_matter_reader (Page.read_source
    calls meta.get_data, looked up in its module on every call)."""
    if front_matter is None:
        yield
        return
    original = mkdocs_meta.get_data
    mkdocs_meta.get_data = front_matter_reader(front_matter)
    try:
        yield
    finally:
        mkdocs_meta.get_data = original


class _SomePages(BasePlugin):
    """Makes a dirty build read and convert every page, then write those write_page picks: each
    page's File.is_modified() (all a dirty build asks) says yes until on_env, the event between
    converting the pages and writing them, then asks write_page."""

    def __init__(self, write_page: Callable[[str], bool]) -> None:
        super().__init__()
        self.write_page = write_page
        self.writing = False

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for file in files.documentation_pages():
            file.is_modified = functools.partial(self._modified, file.src_uri)  # type: ignore[method-assign]
        return files

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self.writing = True
        return env

    def _modified(self, src_uri: str) -> bool:
        return not self.writing or self.write_page(src_uri)


class _NotDirtyWarning(logging.Filter):
    """Drops MkDocs' warning that a dirty build may link wrongly (strict mode stops on it): ours
    converts every page, and writes the others from a build of the same inputs."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)


@contextlib.contextmanager
def _unwarned(dirty: bool) -> Iterator[None]:
    """While a dirty build runs, without its warning (logged by mkdocs.commands.build)."""
    if not dirty:
        yield
        return
    logger, quiet_filter = logging.getLogger(f"{LOGGERS[0]}.commands.build"), _NotDirtyWarning()
    logger.addFilter(quiet_filter)
    try:
        yield
    finally:
        logger.removeFilter(quiet_filter)


def writes_some_pages() -> bool:
    """Whether this MkDocs is the one a build of some pages was written against."""
    return mkdocs.__version__ == WRITES_SOME_PAGES_FOR


def _located(message: str) -> BrokenLink:
    """ "Doc file 'x.md' contains a link 'y.md' ..." as the page, the target and the rest."""
    match = _DOC_FILE.match(message)
    if match is None:
        return BrokenLink(None, None, message)
    page, rest = match.groups()
    target = _QUOTED.search(rest)
    return BrokenLink(page, target.group(1) if target else None, rest)


def log_level() -> int:
    """How much MkDocs says (a page's conversion kept at one level is not kept at another)."""
    return logging.getLogger(LOGGERS[0]).getEffectiveLevel()


def quiet() -> None:
    """MkDocs' own progress lines are not ours to print: only its warnings."""
    logging.getLogger(LOGGERS[0]).setLevel(logging.WARNING)


def say_where_served() -> None:
    """Let the preview server say "Serving on <address>" once it listens."""
    logging.getLogger(f"{LOGGERS[0]}.livereload").setLevel(logging.INFO)


def live_reload_server(builder: Callable[[], None], host: str, port: int, root: Path, polling_interval: float) -> Any:
    """MkDocs' preview server: it serves root and calls builder, then reloads the browser, on an edit."""
    from mkdocs.livereload import LiveReloadServer  # only the preview needs it

    return LiveReloadServer(builder=builder, host=host, port=port, root=str(root), polling_interval=polling_interval)
