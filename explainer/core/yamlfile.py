"""Read YAML with line numbers, so every message can point at the line to fix."""

from __future__ import annotations

import datetime
import hashlib
import marshal
from pathlib import Path
from typing import Any

import yaml

from explainer.core.characters import UNPRINTABLE, name_of, reordering_problems, unprintable_problem
from explainer.core.errors import Problem, relative
from explainer.core.inputs import InputProblem, read_input
from explainer.core.store import MARSHAL, Store, Stores

# libyaml's safe loader when PyYAML has it (its wheels do): several times faster, same marks.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Aliases (*name) can expand a few lines into gigabytes ("billion laughs"); our files need none,
# and a handful keeps the worst expansion small (at most about 3^(limit/3) nodes).
MAX_ALIASES = 12


_CODE = Path(__file__).read_bytes() + yaml.__version__.encode()
_CODE_HASHED = hashlib.sha256(_CODE)  # each key goes on from here: this file's bytes hashed once, not per document
RECORD = "yaml"


def yaml_store(stores: Stores) -> Store:
    """Where parsed documents are kept (.cache/yaml): one record, of the documents the last build read."""
    return stores.open("yaml", MARSHAL, entries=1)


class ParsedYaml:
    """Documents parsed without a problem, kept between builds by a hash of their text and of this
    code: a rebuild reads the same settings, facts, claims, glossary and front matter every time,
    and parsing them was 6 ms of a text edit's rebuild; reading them back, 0.5. A document marshal
    cannot keep (one with a date) is parsed every time. The build makes one and hands it to every
    loader; `save` keeps what this build read, and only that."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store
        self.kept: dict[str, bytes] = {}  # hash -> marshalled (data, lines), from the store and this build
        self.used: set[str] = set()  # what this build parsed or read back: all the record keeps
        loaded = store.get(RECORD) if store is not None else None
        if isinstance(loaded, dict):
            self.kept.update((k, blob) for k, blob in loaded.items() if isinstance(k, str) and isinstance(blob, bytes))
        self.on_disk = set(self.kept)  # what the record holds

    @staticmethod
    def key(text: str, first_line: int) -> str:
        """The hash a document is kept by: its text, where it starts, and this code."""
        hashed = _CODE_HASHED.copy()  # the same hash as of _CODE + the rest, without copying _CODE
        hashed.update(b"\0%d\0" % first_line + text.encode())
        return hashed.hexdigest()

    def get(self, key: str) -> LocatedYaml | None:
        """A document parsed before, or None."""
        if key not in self.kept:
            return None
        self.used.add(key)
        data, lines = marshal.loads(self.kept[key])
        return LocatedYaml(data, lines)

    def data(self, text: str, first_line: int) -> Any | None:
        """The data of a document parsed before from this text (a copy of its own), or None."""
        found = self.get(self.key(text, first_line))
        return None if found is None else found.data

    def put(self, key: str, doc: LocatedYaml) -> None:
        """Keep a document parsed without a problem (unless marshal cannot keep it)."""
        try:
            self.kept[key] = marshal.dumps((doc.data, doc.lines))
            self.used.add(key)
        except ValueError:  # a type marshal cannot keep, such as a date
            pass

    def save(self) -> None:
        """Keep the documents this build parsed or read back, and only those, for the next build."""
        if self.store is not None and self.on_disk != self.used:
            self.store.put(RECORD, {key: self.kept[key] for key in sorted(self.used)})
            self.on_disk = set(self.used)


class LocatedYaml:
    """A parsed YAML document plus the line of every mapping key, by key path."""

    def __init__(self, data: Any, lines: dict[tuple[str, ...], int]) -> None:
        self.data = data
        self.lines = lines

    def line(self, *path: str) -> int | None:
        """Return the line of the deepest known key on a path (1-based)."""
        for depth in range(len(path), 0, -1):
            if path[:depth] in self.lines:
                return self.lines[path[:depth]]
        return None


def _walk(node: yaml.Node, prefix: tuple[str, ...], lines: dict, dupes: list) -> None:
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*prefix, str(index))] = item.start_mark.line + 1
            _walk(item, (*prefix, str(index)), lines, dupes)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            path = (*prefix, key)
            if key in seen:
                dupes.append((path, key_node.start_mark.line + 1))
            seen.add(key)
            lines[path] = key_node.start_mark.line + 1
            _walk(value_node, path, lines, dupes)


def _syntax_problem(exc: yaml.MarkedYAMLError, source: Path | str, first_line: int) -> Problem:
    """Point at the line where YAML broke, naming the construct it was inside and where that began.

    The problem mark is the line to fix (a bad indent, a tab), except when the file ended inside
    a construct (an unclosed quote or bracket): then the construct's start is the useful line.
    """
    problem, context = exc.problem_mark, exc.context_mark
    construct = (exc.context or "").removeprefix("while scanning ").removeprefix("while parsing ")
    construct = construct.removeprefix("a ").removeprefix("an ")
    # an unclosed quote or bracket is fixed where it opens, not where YAML gave up
    unclosed = "end of stream" in (exc.problem or "") or construct.startswith(("flow ", "quoted "))
    mark = context if (unclosed and context) or not problem else problem
    line = mark.line + first_line if mark else first_line
    what = exc.problem or str(exc)
    if construct and context is not None and mark is not context:
        what += f", inside the {construct} that starts on line {context.line + first_line}"
    elif construct and unclosed and problem is not None:
        what += f": the {construct} that starts here is not closed before line {problem.line + first_line}"
    return Problem(source, line, f"malformed YAML: {what}; fix the syntax (indentation, quotes, colons)")


def _too_many_aliases(text: str, source: Path | str, first_line: int) -> Problem | None:
    """Count the aliases before anything is built from them; refuse more than MAX_ALIASES, and an
    alias inside the value its anchor names (`a: &a [1, *a]`: a value that holds itself, which no
    walk over it ends; it was a RecursionError)."""
    if "&" not in text:  # no anchor, no alias: the common case costs nothing
        return None
    count = 0
    open_anchors: list[str | None] = []  # the anchors of the collections being read, outermost first
    for event in yaml.parse(text, Loader=LOADER):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            open_anchors.append(event.anchor)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            open_anchors.pop()
        elif isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + first_line
            if event.anchor in open_anchors:
                msg = f"the alias *{event.anchor} is inside the value &{event.anchor} names, which would hold itself; write the value out"
                return Problem(source, line, msg)
            count += 1
            if count > MAX_ALIASES:
                msg = f"more than {MAX_ALIASES} YAML aliases (*name); write the values out instead of repeating them"
                return Problem(source, line, msg)
    return None


def _escaped_characters(doc: LocatedYaml, source: Path | str, first_line: int) -> list[Problem]:
    """A problem at each value whose escapes ("\\x02", "\\uffff") write a character no file's
    text may hold (UNPRINTABLE): no page, feed or SVG can hold one either."""
    found = []
    stack: list[tuple[tuple[str, ...], Any]] = [((), doc.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*path, str(key)), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, str(index)), item) for index, item in reversed(list(enumerate(value))))
        elif isinstance(value, str) and (char := UNPRINTABLE.search(value)) is not None:
            where = ".".join(path) or "the document"
            why = f"{name_of(char.group(0))} at position {char.start() + 1}, written as an escape; remove it"
            found.append(Problem(source, doc.line(*path) or first_line, f"'{where}': {why}"))
    return found


def _impossible_date(node: yaml.Node, exc: ValueError, source: Path | str, first_line: int) -> Problem:
    """Where a date that does not exist is written (PyYAML's constructor says only why)."""
    stack = [node]
    while stack:
        here = stack.pop()
        if isinstance(here, yaml.ScalarNode) and here.tag.endswith(":timestamp"):
            try:
                yaml.constructor.SafeConstructor().construct_yaml_timestamp(here)
            except ValueError:
                line = here.start_mark.line + first_line
                msg = f"'{here.value}' is not a day of the calendar ({exc}); write a real date as YYYY-MM-DD"
                return Problem(source, line, msg)
        elif isinstance(here, yaml.SequenceNode):
            stack.extend(reversed(here.value))
        elif isinstance(here, yaml.MappingNode):
            stack.extend(value for pair in reversed(here.value) for value in reversed(pair))
    return Problem(source, first_line, f"a value YAML cannot read: {exc}")


def parse_yaml(
    text: str, source: Path | str, first_line: int = 1, kept: ParsedYaml | None = None
) -> tuple[LocatedYaml | None, list[Problem]]:
    """Parse YAML text (or take it from `kept`, the build's parsed documents); on failure return
    the problem with its line instead of raising."""
    key = ParsedYaml.key(text, first_line) if kept is not None else ""
    if kept is not None and (found := kept.get(key)) is not None:
        return found, []
    if (unprintable := unprintable_problem(text, source, first_line)) is not None:
        return None, [unprintable]
    try:
        if (aliases := _too_many_aliases(text, source, first_line)) is not None:
            return None, [aliases]
        loader = LOADER(text)
        lines: dict[tuple[str, ...], int] = {}
        dupes: list = []
        try:
            node = loader.get_single_node()
            if node is not None:  # the keys as written: building the data merges `<<: *entry` into a
                _walk(node, (), lines, dupes)  # mapping, and a key written beside it is no duplicate
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, source, first_line)]
    except ValueError as exc:  # a value YAML reads as a date but no calendar has (2026-13-07)
        return None, [_impossible_date(node, exc, source, first_line)]
    offset = first_line - 1
    lines = {path: line + offset for path, line in lines.items()}
    problems = [
        Problem(source, line + offset, f"duplicate key '{'.'.join(path)}'; keep one of them") for path, line in dupes
    ]
    doc = LocatedYaml(data, lines)
    if "\\" in text:  # only an escape in a double-quoted value can write what the text may not hold
        problems += _escaped_characters(doc, source, first_line)
    if kept is not None and not problems:
        kept.put(key, doc)
    return doc, problems


def as_written(value: Any) -> str:
    """A YAML value as a file writes it, for a message: 2026-12-07, true, [2025], 'text' (not
    Python's repr: datetime.date(2026, 12, 7), True)."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, datetime.datetime):
        return f"{value.isoformat(sep=' ')} (a time of day)"
    try:
        return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).removesuffix("\n...\n").strip()
    except yaml.YAMLError:
        return repr(value)


def read_yaml(
    path: Path, root: Path | None = None, kept: ParsedYaml | None = None
) -> tuple[LocatedYaml | None, list[Problem]]:
    """Read and parse a YAML file, reporting a missing, huge or undecodable file as a problem."""
    try:
        raw = read_input(path, root)
    except InputProblem as exc:
        return None, [exc.problem]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(relative(path), line, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")]
    if reordering := reordering_problems(text, relative(path)):
        return None, reordering
    return parse_yaml(text, relative(path), kept=kept)
