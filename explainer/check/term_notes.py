"""The glossary guard: a page's glossary note comes at the term's first use, as readers meet it.

A note the reader only reaches after the headline, the standfirst or a key number has already
used the term explains it too late. This guard reads each page in the order it shows (headline,
standfirst, then the body with every fact, key number, claim and quote written out, as the page
prints them) and finds each glossary word's first use. That use must be in the sentence the
term's note (`{{ term id }}`) ends, not in an earlier sentence, heading or block.

Not read: what a chart draws (a note cannot be attached to a drawing: give the note in the text
before the chart), the tables (`{{ fact_table }}` and the like: reference pages), text inside
《》 (a work's title, quoted, with a translation of it in brackets after it), and the glossary page itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from explainer.core.errors import Problem, relative
from explainer.load.claims import ClaimBook
from explainer.load.facts import FactBook
from explainer.load.glossary import Term
from explainer.load.pages import Page
from explainer.load.refs import Reference

# What ends a sentence or a block: a use of the term before one of these and its note after it
# are in different sentences (the note came too late).
BREAK = re.compile(r"[。！？!?；;]|\.(?=\s|$)|\n")
TITLE = re.compile(r"《[^》\n]*》(?:\s*[（(][^)）\n]*[)）])?")  # a work's title (and its translation): not a use
MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")  # keep a link's text, drop its target
NOT_SHOWN = re.compile(r"<[^>\n]+>|\{:[^}\n]*\}|^ {0,3}#+ *|^ {0,3}[-*+>] +|^ {0,3}\d+\. +|[*_`]", re.M)
UNREAD = ("chart", "fact_table", "claim_table", "glossary")  # drawings and reference tables


@dataclass(frozen=True)
class Shown:
    """A page's text in the order a reader meets it, with each glossary note's place in it."""

    text: str
    pieces: list[tuple[int, int, bool]]  # (offset in text, page line, whether its lines are the page's)
    notes: dict[str, int]  # term id -> offset of its first note in text

    def line_at(self, offset: int) -> int:
        """The page line a place in the text comes from: a piece of the page's own Markdown keeps
        its line breaks; what a reference prints is on the reference's line."""
        start, line, own = 0, 1, False
        for piece in self.pieces:
            if piece[0] > offset:
                break
            start, line, own = piece
        return line + (self.text.count("\n", start, offset) if own else 0)

    def excerpt(self, offset: int, length: int, around: int = 12) -> str:
        """The words around a place, within its line."""
        start = max(self.text.rfind("\n", 0, offset) + 1, offset - around)
        end = self.text.find("\n", offset)
        end = min(len(self.text) if end < 0 else end, offset + length + around)
        return " ".join(self.text[start:end].split())


def _plain(markdown: str) -> str:
    """Markdown as its reader sees it: link text without targets, no tags, marks or attribute lists."""
    return NOT_SHOWN.sub("", MARKDOWN_LINK.sub(r"\1", markdown))


def _ref_text(ref: Reference, lang: str, facts: FactBook, claims: ClaimBook) -> str:
    """What a reference prints, as text (the hedge is always counted: it adds no glossary word)."""
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


def shown_text(page: Page, facts: FactBook, claims: ClaimBook, terms: Mapping[str, Term]) -> Shown:
    """The page's headline, standfirst and body as shown, notes placed (explainer/write renders the
    same references; this reads them as plain text)."""
    parts: list[str] = []
    pieces: list[tuple[int, int, bool]] = []
    notes: dict[str, int] = {}
    size = 0

    def add(text: str, line: int, own: bool = True) -> None:
        nonlocal size
        pieces.append((size, line, own))
        parts.append(text)
        size += len(text)

    body, first = page.body, page.body_first_line
    headline = re.match(r"\s*(# [^\n]*\n)", body)  # the headline comes before the standfirst
    if headline:
        add(_plain(headline.group(1)), first + body[: headline.start(1)].count("\n"))
    key = "standfirst" if page.meta.get("standfirst") else "description"
    standfirst = page.meta.get(key)
    if isinstance(standfirst, str) and standfirst.strip():
        add(_plain(standfirst) + "\n", page.front_matter_line(key), own=False)
    position = headline.end() if headline else 0
    for ref in page.references:
        if ref.start < position:
            continue
        before = body[position : ref.start]
        add(_plain(before), first + body[:position].count("\n"))
        if ref.name == "term" and ref.args and ref.args[0] in terms:
            term = terms[ref.args[0]]
            add(ref.args[1] if len(ref.args) > 1 else term.word.get(page.lang, ""), ref.line, own=False)
            notes.setdefault(term.id, size)
        elif ref.name not in UNREAD:
            add(_ref_text(ref, page.lang, facts, claims), ref.line, own=False)
        position = ref.end
    add(_plain(body[position:]), first + body[:position].count("\n"))
    return Shown("".join(parts), pieces, notes)


def _word_pattern(word: str) -> re.Pattern[str]:
    """A glossary word as the text may write it: in any case, its words split by any spaces or a
    line break (Markdown wraps lines), and a word of Latin letters as a whole word, plurals
    included ('loop' and 'loops', not 'loophole')."""

    def latin(char: str) -> bool:
        return char.isascii() and char.isalnum()

    written = r"\s+".join(re.escape(part) for part in word.split()) or re.escape(word)
    # a Latin word's edges are Latin letters and digits, not \b: Chinese characters are word
    # characters to \b, and 'AI泡沫' or '用AI' uses 'AI'
    start = r"(?<![A-Za-z0-9])" if latin(word[:1]) else ""
    end = r"(?:e?s)?(?![A-Za-z0-9])" if latin(word[-1:]) else ""
    return re.compile(start + written + end, re.IGNORECASE)


def first_use(text: str, word: str) -> re.Match[str] | None:
    """The first place the text uses a glossary word (_word_pattern), outside a quoted title."""
    titles = [match.span() for match in TITLE.finditer(text)]
    pattern = _word_pattern(word)
    for match in pattern.finditer(text):
        if not any(start <= match.start() < end for start, end in titles):
            return match
    return None


def late_notes(shown: Shown, terms: Mapping[str, Term], lang: str) -> Iterator[tuple[Term, int, int | None]]:
    """Each term the page uses before its note, or uses with no note: (term, use, note or None)."""
    for term in terms.values():
        used = first_use(shown.text, term.word.get(lang, ""))
        note = shown.notes.get(term.id)
        if used is None:
            continue
        if note is None or (used.end() <= note and BREAK.search(shown.text, used.end(), note)):
            yield term, used.start(), note


def check_term_notes(
    pages: Mapping[str, Mapping[str, Page]], facts: FactBook, claims: ClaimBook, terms: Mapping[str, Term]
) -> list[Problem]:
    """Every glossary note at the term's first use on its page, headline and standfirst included."""
    problems = []
    for by_src in pages.values():
        for page in by_src.values():
            if not terms or any(ref.name == "glossary" for ref in page.references):
                continue
            shown = shown_text(page, facts, claims, terms)
            for term, used, note in late_notes(shown, terms, page.lang):
                excerpt = shown.excerpt(used, len(term.word[page.lang]))
                where = shown.line_at(used)
                late = (
                    f"before its note at line {shown.line_at(note)}" if note is not None else "with no note on the page"
                )
                message = (
                    f"the glossary term {term.word[page.lang]!r} ({term.id}) is used here (…{excerpt}…) {late}; "
                    f"put {{{{ term {term.id} }}}} at this first use, or word this place without the term "
                    "(a headline cannot carry a note)"
                )
                problems.append(Problem(relative(page.file), where, message))
    return problems
