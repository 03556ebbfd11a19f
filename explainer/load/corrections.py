"""Load content/corrections.yaml: every change to a published figure or claim, in the open.

A list, one entry per correction, newest or oldest first (the site shows the newest first):

    - date: 2026-12-07          # when the corrected version was published (YYYY-MM-DD)
      what:                     # what changed, in every site language, in our own words
        zh: ...
        en: ...
      why:                      # why, in every site language
        zh: ...
        en: ...
      touches:                  # what it corrected, each id checked against the project
        facts: [fact_id]
        claims: [claim_id]
        pages: [index.md]       # file names, the same in every language
        charts: [chart_id]
      languages: [en]           # optional: the languages whose pages and charts were wrong (a
                                # translation's error); their notices show only there. Default: all

The corrections page and feed list every correction in every language; the notices on pages,
charts, embeds and downloads appear in the languages a correction names.

An absent file or an empty list is a site without corrections: no page, no notice, no feed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from explainer.core.characters import shows_anything
from explainer.core.errors import ContentError, Problem, relative
from explainer.core.yamlfile import ParsedYaml, as_written, read_yaml
from explainer.load.facts import unknown_message
from explainer.load.pages import published_day

FILE_NAME = "corrections.yaml"
FIELDS = ("date", "what", "why", "touches")  # every entry has these
OPTIONAL = ("languages",)
KINDS = ("facts", "claims", "pages", "charts")  # what a correction can touch
# what an unknown id's message adds, per kind
HINTS = {
    "facts": " (an id of content/facts.yaml)",
    "claims": " (an id of content/claims.yaml)",
    "pages": " (a page's file name, as nav lists it, e.g. index.md)",
    "charts": " (a chart a page shows: {{ chart id }})",
}
# The longest what or why, in characters: each is drawn under the chart in the SVG and PNG
# downloads (200,000 characters made a PNG no worker finished drawing)
MAX_TEXT = 2000
PAGE_SRC = "corrections.md"  # the corrections page, in every language (corrections/, en/corrections/)


@dataclass(frozen=True)
class Correction:
    """One correction: when, what changed and why in every language, and what it touched."""

    id: str  # its anchor on the corrections page: 'correction-2026-12-07' (-2, -3... on the same day)
    date: datetime.date
    what: dict[str, str]
    why: dict[str, str]
    facts: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    charts: tuple[str, ...] = ()
    line: int | None = None
    languages: tuple[str, ...] = ()  # the languages it corrected; () for all

    def shown_in(self, lang: str | None) -> bool:
        """Whether its notices show in a language's pages, charts and downloads (None: any)."""
        return lang is None or not self.languages or lang in self.languages


@dataclass(frozen=True)
class Corrections:
    """Every correction, newest first (on the same day, the later entry in the file first)."""

    entries: tuple[Correction, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __iter__(self) -> Any:
        return iter(self.entries)

    def of_chart(self, chart_id: str, lang: str | None = None) -> list[Correction]:
        """The corrections that touch a chart (in a language, if given)."""
        return [entry for entry in self.entries if chart_id in entry.charts and entry.shown_in(lang)]

    def of_page(self, src: str, charts: Iterable[str] = (), lang: str | None = None) -> list[Correction]:
        """The corrections that touch a page: named, or touching a chart it shows (in a language, if given)."""
        shown = set(charts)
        return [
            entry
            for entry in self.entries
            if (src in entry.pages or shown & set(entry.charts)) and entry.shown_in(lang)
        ]


def _texts(entry: dict, key: str, languages: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """What is wrong with a per-language text: (message, key path) pairs."""
    texts = entry.get(key)
    example = ", ".join(f"{code}: ..." for code in languages)
    if not isinstance(texts, dict):
        return [(f"'{key}': expected one text per language: `{key}: {{{example}}}`", (key,))]
    found = []
    for code in languages:
        text = texts.get(code)
        if not isinstance(text, str) or not shows_anything(text):  # "", spaces, or a zero-width space alone
            found.append((f"'{key}': missing the '{code}' text; add `{code}: ...` (every language says it)", (key,)))
        elif len(text.strip()) > MAX_TEXT:
            message = (
                f"'{key}.{code}': {len(text.strip()):,} characters, over the {MAX_TEXT:,} a correction may say "
                "(it is printed under the chart in every download); say what changed in a few sentences"
            )
            found.append((message, (key, code)))
    for code in texts:
        if code not in languages:
            message = f"'{key}': unknown language '{code}'; the site's languages are {', '.join(languages)}"
            found.append((message, (key, str(code))))
    return found


def _languages(entry: dict, languages: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """What is wrong with a correction's `languages:`: a list of the site's language codes."""
    named = entry["languages"]
    example = f"`languages: [{languages[-1]}]`"
    if not isinstance(named, list) or not named:
        return [(f"'languages': expected a list of the languages it corrected, e.g. {example}", ("languages",))]
    return [
        (
            f"'languages': unknown language {as_written(code)}; the site's languages are {', '.join(languages)}",
            ("languages", str(index)),
        )
        for index, code in enumerate(named)
        if code not in languages
    ]


def _touches(entry: dict, known: Mapping[str, Iterable[str]]) -> list[tuple[str, tuple[str, ...]]]:
    """What is wrong with what a correction touches: every id must be the project's."""
    touches = entry.get("touches")
    if not isinstance(touches, dict):
        return [(f"'touches': expected a mapping of {', '.join(KINDS)} to lists of ids", ("touches",))]
    found = []
    for kind, ids in touches.items():
        if kind not in KINDS:
            found.append((f"'touches': unknown key '{kind}'; known keys: {', '.join(KINDS)}", ("touches", str(kind))))
            continue
        if not isinstance(ids, list):
            found.append((f"'touches.{kind}': expected a list, e.g. `{kind}: [...]`", ("touches", kind)))
            continue
        for index, record_id in enumerate(ids):
            if not isinstance(record_id, str) or record_id not in known[kind]:
                name = "page" if kind == "pages" else kind[:-1]
                why = unknown_message(name, str(record_id), list(known[kind]))
                found.append((f"'touches.{kind}': {why}{HINTS[kind]}", ("touches", kind, str(index))))
    if not found and not any(touches.get(kind) for kind in KINDS):
        found.append((f"'touches': name what was corrected (at least one of {', '.join(KINDS)})", ("touches",)))
    return found


def load_corrections(
    path: Path,
    languages: list[str],
    known: Mapping[str, Iterable[str]],
    kept: ParsedYaml | None = None,
    published: Mapping[str, datetime.date] | None = None,
) -> Corrections:
    """Read and check the corrections log (`known`: the project's ids of each kind in KINDS, pages
    as file names; `published`: the day each page that says so was first published, in its
    earliest language); raise ContentError listing every problem at its line. No file: none."""
    if not path.exists():
        return Corrections()
    known = {kind: sorted(set(known.get(kind, ()))) for kind in KINDS}
    doc, problems = read_yaml(path, kept=kept)
    shown = relative(path)
    entries: list[Correction] = []
    if doc is not None and doc.data is not None:
        if not isinstance(doc.data, list):
            problems.append(Problem(shown, 1, "expected a list of corrections (`- date: ...`), or `[]` for none"))
        else:
            for index, entry in enumerate(doc.data):
                at = str(index)
                if not isinstance(entry, dict):
                    message = f"corrections[{index}]: expected a mapping with {', '.join(FIELDS)}"
                    problems.append(Problem(shown, doc.line(at), message))
                    continue
                found: list[tuple[str, tuple[str, ...]]] = [
                    (f"missing '{key}'; add it (a correction has {', '.join(FIELDS)})", ())
                    for key in FIELDS
                    if key not in entry
                ]
                found += [
                    (f"unknown key '{key}'; known keys: {', '.join(FIELDS + OPTIONAL)}", (str(key),))
                    for key in entry
                    if key not in FIELDS + OPTIONAL
                ]
                if "languages" in entry:
                    found += _languages(entry, languages)
                date = published_day(entry.get("date"))
                if "date" in entry and date is None:
                    found.append((f"'date': expected a day as YYYY-MM-DD, not {as_written(entry['date'])}", ("date",)))
                touched = entry.get("touches") if isinstance(entry.get("touches"), dict) else {}
                pages = touched.get("pages") if isinstance(touched.get("pages"), list) else []
                for src in pages if date is not None else ():
                    first = (published or {}).get(src) if isinstance(src, str) else None
                    if first is not None and date < first:
                        message = (
                            f"'date': {date.isoformat()} is before {src} was published ({first.isoformat()}, its "
                            "front matter's `published:`); a correction is dated the day the corrected version went out"
                        )
                        found.append((message, ("date",)))
                if entry in doc.data[:index]:  # a copy, or an alias (*entry) of an earlier one
                    same = doc.data.index(entry)
                    message = f"repeats corrections[{same}] (line {doc.line(str(same))}) word for word; remove one"
                    found.append((message, ()))
                for key in ("what", "why"):
                    if key in entry:
                        found += _texts(entry, key, languages)
                if "touches" in entry:
                    found += _touches(entry, known)
                for message, keys in found:
                    problems.append(Problem(shown, doc.line(at, *keys), f"corrections[{index}]: {message}"))
                if found or date is None:
                    continue
                touches = entry["touches"]
                entries.append(
                    Correction(
                        id="",
                        date=date,
                        what={code: entry["what"][code].strip() for code in languages},
                        why={code: entry["why"][code].strip() for code in languages},
                        **{kind: tuple(dict.fromkeys(touches.get(kind) or ())) for kind in KINDS},
                        line=doc.line(at),
                        languages=tuple(dict.fromkeys(entry.get("languages") or ())),
                    )
                )
    if problems:
        raise ContentError(problems)
    return Corrections(_with_ids(entries))


def _with_ids(entries: list[Correction]) -> tuple[Correction, ...]:
    """Newest first, each with its anchor: the day, and -2, -3... for the later ones of a day."""
    numbered: list[Correction] = []
    count: dict[datetime.date, int] = {}
    # oldest first: the first of a day keeps the day's plain anchor, whatever is added later
    for entry in sorted(entries, key=lambda e: (e.date, e.line or 0)):
        count[entry.date] = count.get(entry.date, 0) + 1
        suffix = f"-{count[entry.date]}" if count[entry.date] > 1 else ""
        numbered.append(replace(entry, id=f"correction-{entry.date.isoformat()}{suffix}"))
    return tuple(reversed(numbered))
