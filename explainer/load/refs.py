"""Find and expand the references an editor writes in Markdown: {{ fact id }}, {{ chart id }}.

The syntax is one pair of double braces around a macro name and its arguments:

    {{ fact revenue_2025 }}              a figure, in the page's language
    {{ chart revenue }}                  a chart, alone on its line
    {{ chart revenue "Caption" }}        the same, with a caption of the editor's own
    {{ keynumbers id id ... }}           a row of key figures
    {{ fact_table }}                     every fact with its quote (the sources page)
    {{ claim id }}                       a statement without a number, in our words, attributed
    {{ quote id }}                       a claim's own words: the original, or our marked translation
    {{ term id }} / {{ term id "text" }} a glossary term, with a note at the foot of the page
    {{ claim_table }}                    every claim with its quote (the sources page)
    {{ glossary }}                       every glossary term (the glossary page)

References inside fenced or inline code are left alone, so the syntax can be documented.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

REFERENCE = re.compile(r'\{\{\s*([a-z_]+)((?:\s+(?:"[^"\n]*"|[^\s{}"]+))*)\s*\}\}')
ARGUMENT = re.compile(r'"([^"\n]*)"|([^\s"]+)')
CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|`[^`\n]+`", re.MULTILINE | re.DOTALL)

# name -> (least arguments, most arguments, must stand alone on its line)
MACROS: dict[str, tuple[int, int | None, bool]] = {
    "fact": (1, 1, False),
    "chart": (1, 2, True),
    "keynumbers": (1, None, True),
    "fact_table": (0, 0, True),
    "claim": (1, 1, False),
    "quote": (1, 1, False),
    "term": (1, 2, False),
    "claim_table": (0, 0, True),
    "glossary": (0, 0, True),
}
USAGE = {
    "fact": "{{ fact id }}",
    "chart": '{{ chart id }} or {{ chart id "caption" }}',
    "keynumbers": "{{ keynumbers id id ... }}",
    "fact_table": "{{ fact_table }}",
    "claim": "{{ claim id }}",
    "quote": "{{ quote id }}",
    "term": '{{ term id }} or {{ term id "text" }}',
    "claim_table": "{{ claim_table }}",
    "glossary": "{{ glossary }}",
}
# Where a sentence ends, in either language (a full stop in English needs a space after it).
SENTENCE_END = re.compile(r"[。！？!?]|\.(?=\s)|\n\s*\n|\n(?=\s*(?:[-*+]|\d+\.|#)\s)")


@dataclass(frozen=True)
class Reference:
    """One macro found in a page, with the line it is on (1-based, in the page file)."""

    name: str
    args: tuple[str, ...]
    line: int
    start: int
    end: int
    alone: bool


def _code_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in CODE.finditer(text)]


def find_references(text: str, first_line: int = 1) -> list[Reference]:
    """List every macro in a Markdown text, skipping code (in one pass: lines are counted from
    the reference before, not from the top, so a page's thousands of references cost linear time)."""
    code = _code_spans(text)
    code_starts = [start for start, _ in code]
    found = []
    line, counted = first_line, 0
    for match in REFERENCE.finditer(text):
        index = bisect.bisect_right(code_starts, match.start()) - 1
        if index >= 0 and code[index][0] <= match.start() < code[index][1]:
            continue
        line += text.count("\n", counted, match.start())
        counted = match.start()
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end == -1 else line_end
        alone = not text[line_start : match.start()].strip() and not text[match.end() : line_end].strip()
        found.append(
            Reference(
                name=match.group(1),
                args=tuple(quoted or bare for quoted, bare in ARGUMENT.findall(match.group(2))),
                line=line,
                start=match.start(),
                end=match.end(),
                alone=alone,
            )
        )
    return found


def stray_braces(text: str, first_line: int = 1, refs: Sequence[Reference] | None = None) -> list[int]:
    """Lines with a '{{' that is not a well-formed reference (a typo the build would print as is).
    `refs`: find_references(text), when found already (the loaded page's, so not found twice).

    In one pass over the page: a page with thousands of references is read once, not once per
    reference (the spans are sorted and do not overlap, so each '{{' is looked up by bisection)."""
    if "{{" not in text:
        return []
    found = find_references(text) if refs is None else refs
    spans = sorted([*_code_spans(text), *((ref.start, ref.end) for ref in found)])
    starts = [start for start, _ in spans]
    lines = []
    line, counted = first_line, 0
    for match in re.finditer(r"\{\{", text):
        at = match.start()
        index = bisect.bisect_right(starts, at) - 1
        if index >= 0 and spans[index][0] <= at < spans[index][1]:
            continue
        line += text.count("\n", counted, at)
        counted = at
        lines.append(line)
    return lines


# A link's or an image's text, in Markdown ([text](url), [text][id]) or HTML (<a ...>text</a>)
LINK_TEXT = re.compile(r"!?\[((?:[^\[\]\\]|\\.)*)\](?=[(\[])|<a\b[^>]*>(.*?)</a\s*>", re.DOTALL | re.IGNORECASE)


def in_link_text(text: str, refs: Sequence[Reference]) -> list[Reference]:
    """The references inside a link's (or an image's) text: each prints a link (a figure, a
    claim, a note) or a block, and a link inside a link is no HTML (the browser breaks both)."""
    if not refs or ("[" not in text and "<a" not in text.lower()):
        return []
    spans = [match.span(1) if match.group(1) is not None else match.span(2) for match in LINK_TEXT.finditer(text)]
    return [ref for ref in refs if any(start <= ref.start < end for start, end in spans)]


def syntax_problem(ref: Reference) -> str | None:
    """Say what is wrong with a macro's shape (name, argument count, placement), or None."""
    if ref.name not in MACROS:
        return f"unknown macro '{ref.name}'; use one of: {', '.join(MACROS)}"
    least, most, alone = MACROS[ref.name]
    count = len(ref.args)
    if count < least or (most is not None and count > most):
        expected = str(least) if least == most else f"{least} to {most}" if most else f"at least {least}"
        plural = "" if least == most == 1 else "s"
        return f"'{ref.name}' takes {expected} argument{plural}, got {count}; write {USAGE[ref.name]}"
    if alone and not ref.alone:
        return f"'{{{{ {ref.name} ... }}}}' must stand alone on its line, with blank lines around it"
    return None


def expand(text: str, render: Callable[[Reference], str], first_line: int = 1) -> str:
    """Replace every macro by what `render` returns for it."""
    parts = []
    position = 0
    for ref in find_references(text, first_line):
        parts.append(text[position : ref.start])
        parts.append(render(ref))
        position = ref.end
    parts.append(text[position:])
    return "".join(parts)


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence a reference sits in, with every reference taken out (for reading its hedges)."""
    ends = _sentence_ends(text)
    index = bisect.bisect_right(ends, (start, -1)) - 1  # the last sentence end before the reference
    while index >= 0 and ends[index][1] > start:
        index -= 1
    after = SENTENCE_END.search(text, end)
    sentence = text[ends[index][1] if index >= 0 else 0 : after.start() if after else len(text)]
    return REFERENCE.sub(" ", sentence)


@functools.lru_cache(maxsize=4)
def _sentence_ends(text: str) -> list[tuple[int, int]]:
    """Where each sentence of a page ends: (start, end) of each end mark, found once per page
    (each reference used to search the page from its start)."""
    return [match.span() for match in SENTENCE_END.finditer(text)]


def starts_sentence(text: str, start: int) -> bool:
    """Tell whether a reference opens a sentence (so an English claim starts with a capital)."""
    before = text[:start].rstrip(" *_")
    return not before or before.endswith(("\n", ".", "!", "?", "。", "！", "？"))


# What Python-Markdown (with toc, attr_list, tables and smarty) reads as syntax in running text,
# besides the <, > and & that Jinja's autoescape has already turned into entities: backslash
# escapes, code spans, emphasis, links and images, attribute lists, a line break (which could
# end the paragraph or start a list, heading or quote), and smarty's dashes and ellipses.
_TAG = re.compile(r"(<[^>]*>)")
_ACTIVE = re.compile(r"[\\`*_\[\]{}]|\r|\n|-(?=-)|\.(?=\.\.)")
_BLOCK_START = re.compile(r"[#>+\-*=|\s]|\d+[.)]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _entity(match: re.Match[str]) -> str:
    return f"&#{ord(match.group(0)[0])};"


def markdown_inert(html: str) -> str:
    """Make a partial's HTML pass through Markdown as it is: the text a value brought in (a claim,
    a quote, a label, a word) keeps its characters as entities where Markdown would read syntax.

    A reference's HTML goes into the page's Markdown, which would otherwise turn a value's
    `[x](javascript:...)` into a link or `![](https://...)` into an image that the page's own text
    could not carry (the content policy checks the page, not the values). Tags are the partial's
    own (values are escaped by Jinja, so no `<` in the output comes from a value); only the text
    between them is touched, and text with none of these characters comes out byte for byte."""
    parts = _TAG.split(html)
    for index in range(0, len(parts), 2):  # even parts are text, odd ones tags
        text = parts[index]
        if not text or (text.isspace() and "\r" not in text):  # the partial's own line breaks
            continue
        text = _CONTROL.sub("\ufffd", text)  # Markdown's placeholders are made of \x02 and \x03
        text = _ACTIVE.sub(_entity, text)
        if index == 0 and _BLOCK_START.match(text):  # a value at the start of a line: no block
            text = _entity(_BLOCK_START.match(text)) + text[1:]  # type: ignore[arg-type]
        parts[index] = text
    return "".join(parts)
