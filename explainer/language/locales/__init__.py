"""Each language's words and number conventions, as data: a third language is a file, not code.

The engine ships explainer/language/locales/<code>.yaml (zh, en, ja); a project's content/ui/<code>.yaml
overrides any key of it (a section such as `statuses:` key by key). A language the engine has no
file for works when the project gives every key; each missing one is a problem at its file.
Digits, separators, magnitude words and plural forms come from Babel for `locale.babel`.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explainer.core.errors import Problem, Untranslated, fail_with, relative
from explainer.core.yamlfile import LocatedYaml, ParsedYaml, read_yaml

ENGINE_DIR = Path(__file__).resolve().parent
# the engine's file every other language is checked against: the keys it has, all must have
REFERENCE = "en"
# mappings merged key by key; every other key is a word or an interface string
SECTIONS = ("locale", "qualifiers", "statuses", "roles", "units")
# sections a language may leave out: the other ways a sentence hedges a figure (`cues:`, e.g.
# `about: ["{n}左右"]`), read by the figure check beside the qualifiers' own words
OPTIONAL_SECTIONS = ("cues",)
MATCHES = ("word_start", "anywhere")
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
# Templates say t.key; Jinja looks up attributes before items, so these would be dict methods.
RESERVED = frozenset(name for name in dir(dict) if not name.startswith("_"))


@dataclass(frozen=True)
class StatusWords:
    """A status in one language: its name, the tag beside a hedged figure, the words that carry it."""

    name: str
    tag: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class RoleWords:
    """A speaker every explainer has (the author, this site) in one language."""

    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class UnitWords:
    """Where a unit's amount goes in one language: a pattern per plural form, and for ranges."""

    forms: dict[str, str]  # plural form (Babel's: one, other...) -> "{amount} GPUs"
    range: str | None = None  # "{low}%–{high}%" when the unit is said on both ends

    @classmethod
    def read(cls, value: Any) -> UnitWords:
        """Make one from a pattern or a mapping of plural forms (checked by unit_words_problem)."""
        if isinstance(value, str):
            return cls({"other": value})
        forms = {k: v for k, v in value.items() if k in PLURAL_FORMS}
        return cls(forms, value.get("range"))


@dataclass(frozen=True)
class Locale:
    """One language's conventions and words, merged from the engine's file and the project's."""

    code: str
    babel: str  # Babel's locale id: zh_CN, en_US, ja_JP
    web: str  # d3 and og:locale: zh-CN
    compact_from: float
    range: str
    range_shares_magnitude: bool
    date: str  # a Babel date skeleton
    words_match: str  # "word_start" or "anywhere"
    qualifiers: dict[str, str]
    statuses: dict[str, StatusWords]
    roles: dict[str, RoleWords]
    units: dict[str, UnitWords]
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)  # other ways to say a qualifier
    ui: dict[str, str] = field(default_factory=dict)  # every word and interface string (t.key)

    @property
    def hedge(self) -> str:
        """How a hedge follows a figure: '{text}（{tag}）'."""
        return self.ui["hedge"]

    @property
    def not_in_article(self) -> str:
        """What a figure the article does not give reads as."""
        return self.ui["not_in_article"]


def engine_file(code: str) -> Path:
    """The engine's own file for a language (it may not exist)."""
    return ENGINE_DIR / f"{code}.yaml"


def engine_codes() -> list[str]:
    """The languages the engine has words for."""
    return sorted(path.stem for path in ENGINE_DIR.glob("*.yaml"))


@dataclass
class _Source:
    """One language's documents, engine first, and where each key came from."""

    code: str
    project_path: Path
    docs: list[tuple[Path, LocatedYaml]] = field(default_factory=list)

    def where(self, *keys: str) -> tuple[str, int | None]:
        """The file and line that set a key last (the project's file when it sets none)."""
        for path, doc in reversed(self.docs):
            if _has(doc.data, keys):
                return relative(path), doc.line(*keys)
        return relative(self.project_path), None


def _has(data: Any, keys: tuple[str, ...]) -> bool:
    """Tell whether a document sets a key path (keys compared as text: `2:` is '2')."""
    for key in keys:
        found = [value for name, value in data.items() if str(name) == key] if isinstance(data, dict) else []
        if not found:
            return False
        data = found[0]
    return True


def merged(docs: list[dict]) -> dict:
    """Later documents override earlier ones; sections merge key by key, one level down too.
    Keys are text, as messages name them (YAML reads `no:` as false and `1:` as a number)."""
    out: dict = {}
    for data in docs:
        for key, value in data.items():
            key = str(key)
            if key in SECTIONS + OPTIONAL_SECTIONS and isinstance(value, dict):
                value = {str(name): entry for name, entry in value.items()}
            if key in SECTIONS + OPTIONAL_SECTIONS and isinstance(value, dict) and isinstance(out.get(key), dict):
                section = dict(out[key])
                for name, entry in value.items():
                    both = isinstance(entry, dict) and isinstance(section.get(name), dict) and key != "units"
                    section[name] = {**section[name], **entry} if both else entry
                out[key] = section
            else:
                out[key] = value
    return out


def load_locales(content_dir: Path | None, codes: list[str], kept: ParsedYaml | None = None) -> dict[str, Locale]:
    """Read every language's words, engine < project; raise ContentError with every problem.

    Without a content folder, the engine's words alone."""
    problems: list[Problem] = []
    sources: dict[str, _Source] = {}
    reference_doc, found = read_yaml(engine_file(REFERENCE), kept=kept)
    problems.extend(found)
    reference = reference_doc.data if reference_doc is not None else {}
    for code in codes:
        source = _Source(code, content_dir / "ui" / f"{code}.yaml" if content_dir else engine_file(code))
        for path in dict.fromkeys((engine_file(code), source.project_path)):
            if not path.exists():
                continue
            doc, found = read_yaml(path, kept=kept)
            problems.extend(found)
            if doc is not None and isinstance(doc.data, dict):
                source.docs.append((path, doc))
            elif doc is not None and doc.data is not None:
                problems.append(Problem(relative(path), 1, "expected `key: text` lines"))
        sources[code] = source
    datas = {code: merged([doc.data for _, doc in source.docs]) for code, source in sources.items()}
    # the project's own interface strings: a key one language has, every language needs
    # (each with where a language gives it, for the message to a language that lacks it)
    own: dict[str, str] = {}
    for code, data in datas.items():
        for key in data:
            if key not in reference and key not in own:
                shown, line = sources[code].where(key)
                own[key] = f"{shown}:{line}" if line else shown
    locales: dict[str, Locale] = {}
    for code, data in datas.items():
        found = _problems(sources[code], data, reference, own)
        problems.extend(found)
        if all(isinstance(problem, Untranslated) for problem in found):
            # an interface string missing or empty: the reference language's (or its key) stands
            # in, so the facts and pages are still checked and every missing word named in one run
            blank = [key for key in _word_keys(reference, own) if not _is_text(data.get(key))]
            locales[code] = _locale(code, {**data, **{key: str(reference.get(key) or key) for key in blank}})
    if problems:
        fail_with(problems, locales)
    return locales


def _word_keys(reference: dict, own: dict[str, str]) -> set[str]:
    """The keys every language gives as text: the reference's words and the project's own."""
    return (set(reference) | set(own)) - set(SECTIONS) - set(OPTIONAL_SECTIONS)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _missing(source: _Source, *keys: str, given_at: str | None = None) -> Problem:
    """A key the language lacks, said at the project's file (where it would be added)."""
    name = ".".join(keys)
    has_engine_file = engine_file(source.code).exists()
    hint = (
        ""
        if has_engine_file
        else f" (the engine has no words for '{source.code}': give every key of {relative(engine_file(REFERENCE))})"
    )
    shown, line = source.where(*keys[:-1]) if len(keys) > 1 else (relative(source.project_path), None)
    if len(keys) == 1:  # a word, or a whole section (the language cannot be made without it)
        kind = Problem if name in SECTIONS else Untranslated
        given = f" ({given_at} has it)" if given_at else ""  # a project's own word: where to translate it from
        return kind(shown, line, f"missing translation '{name}'; add `{name}: ...`{given}{hint}")
    return Problem(shown, line, f"missing '{name}'; add `{keys[-1]}: ...` under `{'.'.join(keys[:-1])}:`{hint}")


def _problems(source: _Source, data: dict, reference: dict, own: dict[str, str]) -> list[Problem]:
    """What is missing or wrong in one language's merged words."""
    problems: list[Problem] = []

    def wrong(message: str, *keys: str) -> None:
        shown, line = source.where(*keys)
        problems.append(Problem(shown, line, f"{'.'.join(keys)}: {message}"))

    for key in sorted(_word_keys(reference, own)):
        if key not in data:
            problems.append(_missing(source, key, given_at=own.get(key)))
            continue
        value = data[key]
        if not _is_text(value):  # where it is set, looked up only for a problem (a few hundred keys)
            message = f"'{key}' has no text; write it (or remove the key from every language)"
            problems.append(Untranslated(*source.where(key), message))
        elif key in RESERVED:
            problems.append(Problem(*source.where(key), f"'{key}' is a reserved name in templates; rename the key"))
    for key in sorted(_word_keys(reference, own)):
        if (why := _pattern_problem(data.get(key), reference.get(key))) is not None:
            problems.append(Problem(*source.where(key), f"'{key}': {why}"))
    for key in ("hedge",):
        if isinstance(data.get(key), str) and not {"{text}", "{tag}"} <= _fields(data[key]):
            wrong("expected a pattern with {text} and {tag}, e.g. '{text} ({tag})'", key)
    for section in SECTIONS:
        value = data.get(section)
        if value is None:
            problems.append(_missing(source, section))
            continue
        if not isinstance(value, dict):
            wrong("expected a mapping (`key: value` lines)", section)
            continue
        for name in reference.get(section, {}):
            if name not in value:
                problems.append(_missing(source, section, name))
        for name, entry in value.items():
            why = _entry_problem(section, str(name), entry, reference.get(section, {}))
            if why is not None:
                wrong(why, section, str(name))
    cues = data.get("cues", {})
    if not isinstance(cues, dict):
        wrong("expected a mapping of qualifiers to lists of patterns with {n}", "cues")
        cues = {}
    for name, entry in cues.items():
        if str(name) not in reference.get("qualifiers", {}):
            wrong(
                f"unknown qualifier; the qualifiers are {', '.join(reference.get('qualifiers', {}))}", "cues", str(name)
            )
        elif not (isinstance(entry, list) and all(isinstance(p, str) and _fields(p) == {"{n}"} for p in entry)):
            wrong("expected a list of patterns with {n} where the figure stands, e.g. ['{n} or so']", "cues", str(name))
    return problems


def _pattern_problem(value: Any, reference: Any) -> str | None:
    """What is wrong with an interface string the engine fills in (its reference names {fields}):
    a field the engine does not give ({day}, {0}, {date.year}) or a lone brace, each of which
    stopped the build with a traceback where it was filled; None if nothing is."""
    allowed = _fields(reference) if isinstance(reference, str) else set()
    if not allowed or not isinstance(value, str):
        return None
    in_order = sorted(allowed, key=reference.index)  # as the engine's own wording names them
    try:
        named = {"{" + name + "}" for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:  # a lone { or }
        return f"{exc}; write {{{{ or }}}} for a brace itself"
    if unknown := sorted(named - allowed):
        return f"unknown field {unknown[0]}; it can name {', '.join(in_order)}"
    return None


def _fields(pattern: str) -> set[str]:
    """The {names} a pattern uses."""
    try:
        return {"{" + name + "}" for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError:
        return set()


def _entry_problem(section: str, name: str, entry: Any, reference: dict) -> str | None:
    """What is wrong with one key of a section, or None."""
    if section == "locale":
        return _setting_problem(name, entry)
    if section == "qualifiers":
        ok = isinstance(entry, str) and _fields(entry) == {"{figure}"}
        return None if ok else "expected a pattern with {figure}, e.g. 'about {figure}'"
    if section == "statuses":
        if name not in reference:
            return f"unknown status; the statuses are {', '.join(reference)}"
        if not (isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"].strip()):
            return "expected `{name: ..., tag: ..., words: [...]}`"
        if not isinstance(entry.get("tag"), str) or _fields(entry["tag"]) - {"{speaker}"}:
            return "expected its tag as text ('' for none); {speaker} is the only name it may use"
        if bool(entry["tag"].strip()) != bool(reference[name].get("tag")):
            return (
                "a hedged status needs its tag, and 'stated' has none" if entry["tag"] == "" else "'stated' has no tag"
            )
        if not (isinstance(entry.get("words"), list) and all(isinstance(w, str) and w for w in entry["words"])):
            return "expected `words: [...]`, the words that carry this status in a sentence"
        return None
    if section == "roles":
        ok = isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"].strip()
        aliases = entry.get("aliases", []) if isinstance(entry, dict) else None
        if not ok or not (isinstance(aliases, list) and all(isinstance(a, str) and a for a in aliases)):
            return "expected `{name: ..., aliases: [...]}`"
        return None
    return unit_words_problem(entry)


def unit_words_problem(entry: Any) -> str | None:
    """What is wrong with a unit's words in one language, or None."""
    if isinstance(entry, str):
        return None if _fields(entry) == {"{amount}"} else "expected a pattern with {amount}, e.g. '{amount} GW'"
    if not isinstance(entry, dict) or not isinstance(entry.get("other"), str):
        return "expected a pattern with {amount}, or plural forms `{one: ..., other: ...}`"
    for key, pattern in entry.items():
        if key == "range":
            if not isinstance(pattern, str) or _fields(pattern) != {"{low}", "{high}"}:
                return "range: expected a pattern with {low} and {high}"
        elif key not in PLURAL_FORMS:
            return f"unknown key '{key}'; use plural forms ({', '.join(PLURAL_FORMS)}) and range"
        elif not isinstance(pattern, str) or _fields(pattern) != {"{amount}"}:
            return f"{key}: expected a pattern with {{amount}}"
    return None


def _setting_problem(name: str, value: Any) -> str | None:
    """What is wrong with one of the `locale:` settings, or None."""
    if name == "babel":
        from babel import Locale as BabelLocale
        from babel.core import UnknownLocaleError

        try:
            BabelLocale.parse(value)
        except (UnknownLocaleError, ValueError, TypeError):
            return f"{value!r} is not a locale Babel knows; use one such as zh_CN, en_US or ja_JP"
        return None
    if name in ("web", "date"):
        return None if isinstance(value, str) and value.strip() else "expected text"
    if name == "compact_from":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        return None if ok else "expected a number (0: Babel's own threshold)"
    if name == "range":
        ok = isinstance(value, str) and _fields(value) == {"{low}", "{high}"}
        return None if ok else "expected a pattern with {low} and {high}, e.g. '{low}–{high}'"
    if name == "range_shares_magnitude":
        return None if isinstance(value, bool) else "expected true or false"
    if name == "words_match":
        return None if value in MATCHES else f"expected one of {', '.join(MATCHES)}"
    return (
        "unknown setting; the settings are babel, web, compact_from, range, range_shares_magnitude, date, words_match"
    )


def _locale(code: str, data: dict) -> Locale:
    """Build a checked language's Locale."""
    settings = data["locale"]
    return Locale(
        code=code,
        babel=settings["babel"],
        web=settings["web"],
        compact_from=settings["compact_from"],
        range=settings["range"],
        range_shares_magnitude=settings["range_shares_magnitude"],
        date=settings["date"],
        words_match=settings["words_match"],
        qualifiers=dict(data["qualifiers"]),
        statuses={
            name: StatusWords(entry["name"], entry["tag"], tuple(w.lower() for w in entry["words"]))
            for name, entry in data["statuses"].items()
        },
        roles={
            name: RoleWords(entry["name"], tuple(entry.get("aliases", ()))) for name, entry in data["roles"].items()
        },
        units={name: UnitWords.read(entry) for name, entry in data["units"].items()},
        cues={str(name): tuple(entry) for name, entry in (data.get("cues") or {}).items()},
        ui={key: value for key, value in data.items() if key not in SECTIONS + OPTIONAL_SECTIONS},
    )
