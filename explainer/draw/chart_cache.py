"""Reuse chart renders across builds: a render is redone only when something it depends on changed.

A cache entry is keyed by everything that shapes a chart except the facts: the chart's code and
every project module it imports (found by reading its imports, helpers of helpers included),
the shared theme and the code that formats and renders it, the language and the library
versions. The entry records the facts the chart read and their values, or, when the chart
iterated over the facts (picking them by pattern), all of them; it is reused only if those are
unchanged. So a text edit re-renders nothing, a fact edit re-renders just the charts that read
that fact, and an incremental build always equals a clean one. The folder is git-ignored and
safe to delete.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from explainer.core.fingerprint import installed_version, vl_convert_version
from explainer.core.paths import ENGINE
from explainer.core.store import JSON, MARSHAL, Store, Stores
from explainer.draw.render import RenderedChart, render_chart
from explainer.load.chart_folder import ChartFolder
from explainer.load.facts import Fact, FactBook

_EXPLAINER = ENGINE
# the code that renders a chart, and this module (how an entry is kept)
_CODE = (
    _EXPLAINER / "draw" / "render.py",
    _EXPLAINER / "language" / "formatting.py",
    _EXPLAINER / "load" / "facts.py",
    Path(__file__).resolve(),
)


# read from the installed packages' folders: importing Altair only for its version cost every
# build (even a no-op) a third of a second
ALTAIR_VERSION = installed_version("altair")
VL_CONVERT_VERSION = vl_convert_version()

IMPORTS_INDEX = "imports"  # source hash -> the modules it imports
IMPORTS_KEPT = 2048  # modules in the record at most (a build of ours reads about 20)
_PARSER_SOURCE = Path(__file__).read_bytes()


def _module_file(name: str, packages: dict[str, Path]) -> Path | None:
    """The file of a module of the project's charts or of the engine (a package's __init__), if any."""
    package, _, rest = name.partition(".")
    folder = packages.get(package)
    if folder is None:
        return None
    path = folder.joinpath(*rest.split(".")) if rest else folder
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_modules(file: Path, package: str) -> frozenset[str]:
    """The module names a file imports (absolute, relative resolved to its package)."""
    try:
        return _parsed_imports(file.read_text(encoding="utf-8"), package)
    except (OSError, ValueError):
        return frozenset()


@functools.lru_cache(maxsize=256)
def _parsed_imports(source: str, package: str) -> frozenset[str]:
    """Read a module's imports once per content: every chart of a build shares the kit and theme,
    and parsing them again for each chart and language cost a no-op build a tenth of its time."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return frozenset()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)  # `from . import theme`
    return frozenset(names)


def _located(name: str, packages: dict[str, Path]) -> Path | None:
    """The resolved file of a module of the charts or the engine, if any."""
    path = _module_file(name, packages)
    return path.resolve() if path is not None else None


def project_imports(
    file: Path,
    package: str,
    imports: Callable[[Path, str], frozenset[str]] = _imported_modules,
    locate: Callable[[str], Path | None] = lambda name: None,
) -> list[Path]:
    """Every project and engine file a chart module (in `package`) depends on through its
    imports, itself included."""
    found: dict[Path, None] = {}
    todo = [(file.resolve(), package)]
    while todo:
        current, package = todo.pop()
        if current in found:
            continue
        found[current] = None
        for name in sorted(imports(current, package)):
            if (path := locate(name)) is not None and path not in found:
                todo.append((path, name if path.name == "__init__.py" else name.rpartition(".")[0]))
    return sorted(found)


def _all_facts_digest(facts: FactBook, lang: str) -> str:
    """One hash of every fact as a chart in a language sees it (for a chart that iterated over them)."""
    records = {fact_id: _fact_record(facts[fact_id].in_language(lang)) for fact_id in sorted(facts)}
    return hashlib.sha256(json.dumps(records, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _words_digest(facts: FactBook, lang: str) -> str:
    """One hash of the words a chart in a language is drawn with (the kit's tooltip titles, gap and
    derived marks, units, qualifiers: the locale as the project says it), so editing one redraws."""
    words = facts.words
    if words is None or lang not in words.locales:
        return ""
    return hashlib.sha256(repr((words.locales[lang], sorted(words.units.items()))).encode()).hexdigest()


def _fact_record(fact: Fact) -> dict:
    """What a chart can see of a fact: everything but where it sits in the file."""
    record = dataclasses.asdict(fact)
    record.pop("line")
    return json.loads(json.dumps(record, sort_keys=True, default=str))


# Entries are kept in marshal's format (plain dicts, lists and strings only): every build reads
# every chart's entry (SVG and specs, ~1 MB in all), and parsing it as JSON took 10 ms where
# marshal takes 3, and 1 with the specs kept as JSON text (RenderedChart.stored, parsed when
# read). An entry written by another Python that cannot be read is rendered again.
# One entry per chart and language (storing a new one removes the older), within the bound.
RENDERS = {"entries": 1024, "max_bytes": 256 << 20}


def chart_stores(stores: Stores) -> tuple[Store, Store]:
    """The chart renders (.cache/charts) and the index of the modules' imports (.cache/chart-imports)."""
    return stores.open("charts", MARSHAL, **RENDERS), stores.open("chart-imports", JSON, entries=1)


@dataclass
class ChartCache:
    """Chart renders kept in a store, with counts of what this build rendered and reused."""

    renders: Store
    charts: ChartFolder
    index: Store | None = None  # the imports of each module, by a hash of its source (one record)
    rendered: list[tuple[str, str]] = field(default_factory=list)
    reused: list[tuple[str, str]] = field(default_factory=list)
    # what each fact looks like to a chart, and all of them at once, worked out once per build
    # (not once per chart and language: that was a fifth of a no-op build)
    # (keyed by the object, which is kept, so that its id is never reused for another)
    _records: dict[tuple[int, str], tuple[Fact, dict]] = field(default_factory=dict)
    _digests: dict[tuple[int, str], tuple[FactBook, str]] = field(default_factory=dict)
    # each chart's key but the language, once per build (both languages share it)
    _keys: dict[str, str] = field(default_factory=dict)
    # the imports of each module, by a hash of its source, kept on disk: parsing the charts and
    # their helpers with `ast` was a quarter of a no-op build
    _imports: dict[str, list[str]] | None = None
    _imports_used: set[str] = field(default_factory=set)  # what the record keeps: this build's modules
    _imports_added: bool = False
    # within one build, each file is read, and each module's imports and file found, once (every
    # chart walks the same helpers); not across builds, which may add or edit a helper
    _sources: dict[Path, bytes] = field(default_factory=dict)
    _walked: dict[tuple[Path, str], frozenset[str]] = field(default_factory=dict)
    _files: dict[str, Path | None] = field(default_factory=dict)

    def _source(self, path: Path) -> bytes:
        if path not in self._sources:
            self._sources[path] = path.read_bytes()
        return self._sources[path]

    def _locate(self, name: str) -> Path | None:
        if name not in self._files:
            packages = {self.charts.package: self.charts.path, "explainer": _EXPLAINER}
            self._files[name] = _located(name, packages)
        return self._files[name]

    def _record(self, fact: Fact, lang: str) -> dict:
        """What a chart in a language saw of a fact (Fact.in_language)."""
        if (id(fact), lang) not in self._records:
            self._records[(id(fact), lang)] = (fact, _fact_record(fact.in_language(lang)))
        return self._records[(id(fact), lang)][1]

    def _all_facts(self, facts: FactBook, lang: str) -> str:
        if (id(facts), lang) not in self._digests:
            self._digests[(id(facts), lang)] = (facts, _all_facts_digest(facts, lang))
        return self._digests[(id(facts), lang)][1]

    def _imports_of(self, file: Path, package: str) -> frozenset[str]:
        """A module's imports, from the index on disk when its source was parsed before."""
        if (file, package) not in self._walked:
            self._walked[(file, package)] = self._indexed_imports(file, package)
        return self._walked[(file, package)]

    def _indexed_imports(self, file: Path, package: str) -> frozenset[str]:
        if self._imports is None:
            kept = self.index.get(IMPORTS_INDEX) if self.index is not None else None
            self._imports = kept if isinstance(kept, dict) else {}
        try:
            source = self._source(file)
        except OSError:
            return frozenset()
        # the parser's own code is in the key: a change to how imports are read re-reads them all
        name = hashlib.sha256(_PARSER_SOURCE + b"\0" + package.encode() + b"\0" + source).hexdigest()
        known = self._imports.get(name)
        self._imports_used.add(name)
        if isinstance(known, list):
            return frozenset(known)
        found = _imported_modules(file, package)
        self._imports[name] = sorted(found)
        self._imports_added = True
        return found

    def _save_imports(self) -> None:
        """Keep the imports of the modules this build read (only those: the record stays small)."""
        if self._imports_added and self._imports is not None and self.index is not None:
            if len(self._imports) > IMPORTS_KEPT:  # the bound: then only what this build read
                self._imports = {name: found for name, found in self._imports.items() if name in self._imports_used}
            self.index.put(IMPORTS_INDEX, self._imports)
            self._imports_added = False

    def key(self, chart_id: str, lang: str) -> str:
        """Hash everything but the facts that a chart's render depends on."""
        if chart_id not in self._keys:
            digest = hashlib.sha256()
            module = self.charts.file(chart_id)
            # its imports, and the folder's helpers (a chart may reach one without importing it)
            files = (
                *project_imports(module, self.charts.package, self._imports_of, self._locate),
                *(helper.resolve() for helper in self.charts.helpers()),
            )
            for path in (*files, *_CODE):
                digest.update(str(path.name).encode() + b"\0" + self._source(path))
            self._save_imports()
            self._keys[chart_id] = digest.hexdigest()
        digest = hashlib.sha256(self._keys[chart_id].encode())
        digest.update(f"{lang}|altair {ALTAIR_VERSION}|vl-convert {VL_CONVERT_VERSION}".encode())
        return digest.hexdigest()[:20]

    def get(self, chart_id: str, facts: FactBook, lang: str) -> RenderedChart:
        """Return the chart from the cache when still valid, else render it (here) and store it."""
        chart = self.lookup(chart_id, facts, lang)
        if chart is None:
            chart = render_chart(self.charts, chart_id, facts, lang)
            self.store(chart, facts)
        return chart

    def lookup(self, chart_id: str, facts: FactBook, lang: str) -> RenderedChart | None:
        """Return the chart from the cache when still valid, else None."""
        entry = self.renders.get(self.key(chart_id, lang), label=f"{chart_id}.{lang}")
        if not isinstance(entry, dict):  # absent, or damaged: render again
            return None
        if entry.get("all_facts") not in (None, self._all_facts(facts, lang)):
            return None
        if entry.get("words") != _words_digest(facts, lang):  # the kit's words, units, hedges
            return None
        if all(f in facts and self._record(facts[f], lang) == record for f, record in entry["facts"].items()):
            self.reused.append((chart_id, lang))
            return RenderedChart.from_stored(entry["chart"])
        return None

    def store(self, chart: RenderedChart, facts: FactBook) -> None:
        """Keep a fresh render, with the facts it read, for the next build."""
        chart_id, lang = chart.chart_id, chart.lang
        key, label = self.key(chart_id, lang), f"{chart_id}.{lang}"
        self.rendered.append((chart_id, lang))
        entry = {
            "facts": {f: self._record(facts[f], lang) for f in chart.facts_used},
            "all_facts": self._all_facts(facts, lang) if chart.read_all else None,
            "words": _words_digest(facts, lang),
            "chart": chart.stored(),
        }
        self.renders.discard_label(label, keep=key)  # the older keys of this chart and language
        self.renders.put(key, entry, label=label)
