"""The glossary guard: a page's glossary note comes at the term's first use, as readers meet it.

A note the reader only reaches after the headline, the standfirst, a key number or a chart has
already used the term explains it too late. This guard reads each page in the order it shows
(headline, standfirst, then the body with every fact, key number, claim and quote written out,
as the page prints them, and each chart's drawn text and caption) and finds each glossary word's
first use. That use must be in the sentence the term's note (`{{ term id }}`) ends, not in an
earlier sentence, heading or block. A chart needs no `{{ term }}`: its caption carries the notes
of the terms it is the first on its page to use (explainer/write). It runs once the charts are
drawn (explainer/draw/drawing.py), as their text is part of the page.

Not read: the tables (`{{ fact_table }}` and the like: reference pages), text inside 《》 (a
work's title, quoted, with a translation of it in brackets after it), and the glossary page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from explainer.core.errors import Problem, relative
from explainer.load.claims import ClaimBook
from explainer.load.facts import FactBook
from explainer.load.glossary import Term, terms_in
from explainer.load.pages import Page
from explainer.load.refs import Reference

# What ends a sentence or a block: a use of the term before one of these and its note after it
# are in different sentences (the note came too late).
BREAK = re.compile(r"[。！？!?；;]|\.(?=\s|$)|\n")
MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")  # keep a link's text, drop its target
NOT_SHOWN = re.compile(r"<[^>\n]+>|\{:[^}\n]*\}|^ {0,3}#+ *|^ {0,3}[-*+>] +|^ {0,3}\d+\. +|[*_`]", re.M)
UNREAD = ("fact_table", "claim_table", "glossary")  # reference tables


@dataclass(frozen=True)
class Shown:
    """A page's text in the order a reader meets it, with each glossary note's place in it."""

    text: str
    pieces: list[tuple[int, int, str]]  # (offset in text, page line, what it is: "" for the page's own)
    notes: dict[str, int]  # term id -> offset of its first note in text

    def _piece(self, offset: int) -> tuple[int, int, str]:
        found = (0, 1, "")
        for piece in self.pieces:
            if piece[0] > offset:
                break
            found = piece
        return found

    def line_at(self, offset: int) -> int:
        """The page line a place in the text comes from: a piece of the page's own Markdown keeps
        its line breaks; what a reference prints is on the reference's line."""
        start, line, what = self._piece(offset)
        return line + (0 if what else self.text.count("\n", start, offset))

    def what_at(self, offset: int) -> str:
        """What shows a place: '' (the page's own text), 'the standfirst', 'the chart x'..."""
        return self._piece(offset)[2]

    def excerpt(self, offset: int, length: int, around: int = 12) -> str:
        """The words around a place, within its line."""
        start = max(self.text.rfind("\n", 0, offset) + 1, offset - around)
        end = self.text.find("\n", offset)
        end = min(len(self.text) if end < 0 else end, offset + length + around)
        return " ".join(self.text[start:end].split())


def _plain(markdown: str) -> str:
    """Markdown as its reader sees it: link text without targets, no tags, marks or attribute lists."""
    return NOT_SHOWN.sub("", MARKDOWN_LINK.sub(r"\1", markdown))


def _ref_text(
    ref: Reference, lang: str, facts: FactBook, claims: ClaimBook, charts: Mapping[tuple[str, str], str]
) -> str:
    """What a reference prints, as text (the hedge is always counted: it adds no glossary word)."""
    if ref.name == "chart":
        return charts.get((ref.args[0], lang), "")
    if ref.name == "fact" and ref.args[0] in facts:
        return facts[ref.args[0]].hedged(lang)
    if ref.name == "keynumbers":
        shown = [facts[fact_id] for fact_id in ref.args if fact_id in facts]
        return "\n".join(f"{fact.hedged(lang)} {fact.label.get(lang, '')}" for fact in shown) + "\n"
    if ref.name == "claim" and ref.args[0] in claims:
        return claims[ref.args[0]].text.get(lang, "")
    if ref.name == "quote" and ref.args[0] in claims:
        return f"“{claims[ref.args[0]].translation(lang)}”"
    return ""


def shown_text(
    page: Page,
    facts: FactBook,
    claims: ClaimBook,
    terms: Mapping[str, Term],
    charts: Mapping[tuple[str, str], str] | None = None,
) -> Shown:
    """The page's headline, standfirst and body as shown, notes placed (explainer/write renders the
    same references; this reads them as plain text). `charts`: each (chart, language)'s drawn text
    and caption, once drawn."""
    parts: list[str] = []
    pieces: list[tuple[int, int, str]] = []
    notes: dict[str, int] = {}
    size = 0

    def add(text: str, line: int, what: str = "") -> None:
        nonlocal size
        pieces.append((size, line, what))
        parts.append(text)
        size += len(text)

    body, first = page.body, page.body_first_line
    headline = re.match(r"\s*(# [^\n]*\n)", body)  # the headline comes before the standfirst
    if headline:
        add(_plain(headline.group(1)), first + body[: headline.start(1)].count("\n"), "the headline")
    key = "standfirst" if page.meta.get("standfirst") else "description"
    standfirst = page.meta.get(key)
    if isinstance(standfirst, str) and standfirst.strip():
        add(_plain(standfirst) + "\n", page.front_matter_line(key), f"the {key}")
    position = headline.end() if headline else 0
    for ref in page.references:
        if ref.start < position:
            continue
        before = body[position : ref.start]
        add(_plain(before), first + body[:position].count("\n"))
        if ref.name == "term" and ref.args and ref.args[0] in terms:
            term = terms[ref.args[0]]
            add(ref.args[1] if len(ref.args) > 1 else term.word.get(page.lang, ""), ref.line, "its note")
            notes.setdefault(term.id, size)
        elif ref.name not in UNREAD:
            what = {"keynumbers": "the key numbers", "chart": f"the chart {ref.args[0]}"}.get(ref.name, "")
            text = _ref_text(ref, page.lang, facts, claims, charts or {})
            if ref.name == "chart":  # its caption notes each term it is the first to use, where it uses it
                for term in terms_in(text, terms.values(), page.lang):
                    used = term.first_use(text, page.lang)
                    notes.setdefault(term.id, size + (used.start() if used else 0))
            add(text, ref.line, what or f"{ref.name} {ref.args[0]}")
        position = ref.end
    add(_plain(body[position:]), first + body[:position].count("\n"))
    return Shown("".join(parts), pieces, notes)


def late_notes(shown: Shown, terms: Mapping[str, Term], lang: str) -> Iterator[tuple[Term, int, int | None]]:
    """Each term the page uses before its note, or uses with no note: (term, use, note or None)."""
    for term in terms.values():
        used = term.first_use(shown.text, lang)
        note = shown.notes.get(term.id)
        if used is None:
            continue
        if note is None or (used.end() <= note and BREAK.search(shown.text, used.end(), note)):
            yield term, used.start(), note


def _advice(what: str, term_id: str) -> str:
    """What to do about a use before the note, by what shows it."""
    if what in ("the headline", "the standfirst", "the description"):
        return f"{what} cannot carry a note: word it without the term, and note the term where the body first uses it"
    if what == "the key numbers":
        return f"put the key numbers after the sentence that notes the term ({{{{ term {term_id} }}}})"
    if what.startswith("the chart "):
        return f"a chart cannot carry a note: note the term ({{{{ term {term_id} }}}}) in the text before the chart"
    if what:  # a claim, quote or fact that says the word
        return f'put {{{{ term {term_id} "" }}}} right after it (its note mark only)'
    return f"put {{{{ term {term_id} }}}} at this first use"


def check_term_notes(
    pages: Mapping[str, Mapping[str, Page]],
    facts: FactBook,
    claims: ClaimBook,
    terms: Mapping[str, Term],
    charts: Mapping[tuple[str, str], str] | None = None,
) -> list[Problem]:
    """Every glossary note at the term's first use on its page, headline and standfirst included
    (and the charts' text, given `charts`: (chart id, language) -> what it draws and its caption)."""
    problems = []
    for by_src in pages.values():
        for page in by_src.values():
            if not terms or any(ref.name == "glossary" for ref in page.references):
                continue
            shown = shown_text(page, facts, claims, terms, charts)
            for term, used, note in late_notes(shown, terms, page.lang):
                word = term.word[page.lang]
                what = shown.what_at(used)
                late = (
                    f"before its note at line {shown.line_at(note)}" if note is not None else "with no note on the page"
                )
                message = (
                    f"the glossary term {word!r} ({term.id}) is used {'in ' + what if what else 'here'} "
                    f"(…{shown.excerpt(used, len(word))}…) {late}; {_advice(what, term.id)}"
                )
                problems.append(Problem(relative(page.file), shown.line_at(used), message))
    return problems


def chart_texts(charts: Iterable[Any]) -> dict[tuple[str, str], str]:
    """Each drawn chart's text as a reader meets it: what its widest layout draws, then its caption."""
    return {(chart.chart_id, chart.lang): chart.words for chart in charts}
