"""One escaper per output format the build writes by hand, each applied where the text lands.

A label, a quote or a chart's title travels into SVG, CSV, BibTeX and robots.txt as well as into
pages (pages: Jinja's autoescape and refs.markdown_inert). Each format has its own specials, and
text without them comes out byte for byte, so the published files only change where a value
needs it. JSON is written by the json module with allow_nan=False (NaN and Infinity are not JSON:
JSON.parse rejects them), HTML by Jinja or html.escape.
"""

from __future__ import annotations

import html
import re

# C0 controls other than tab, line feed and carriage return, and DEL: XML 1.0 forbids them even
# as character references, and no reader wants them in a CSV or a citation; and what XML 1.0
# forbids besides (surrogates, U+FFFE, U+FFFF: an SVG holding one cannot be drawn as a PNG).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_XML_WHITESPACE = {"\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


def xml_chars(text: str) -> str:
    """Text XML 1.0 can hold: its forbidden characters as U+FFFD (for a writer that escapes the
    rest itself, such as ElementTree, which would write these as they are)."""
    return _CONTROL.sub("\ufffd", text)


def xml_text(text: str) -> str:
    """Escape text for an XML (SVG) text node: &, < and >; a carriage return as a reference (an
    XML parser reads a raw one as a line feed); forbidden controls as U+FFFD."""
    text = html.escape(_CONTROL.sub("\ufffd", text), quote=False)
    return text.replace("\r", "&#13;")


def xml_attribute(text: str) -> str:
    """Escape text for a double-quoted XML attribute: as xml_text, plus quotes, and tab, line feed
    and carriage return as references (a parser turns raw ones into spaces)."""
    text = html.escape(_CONTROL.sub("\ufffd", text), quote=True)
    return re.sub(r"[\t\n\r]", lambda m: _XML_WHITESPACE[m.group(0)], text)


# OWASP's CSV injection rule: a cell that starts with one of these is read as a formula by
# Excel, LibreOffice and Google Sheets ("=HYPERLINK(...)", "=cmd|' /C calc'!A0").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: object) -> object:
    """Neutralise a text cell that a spreadsheet would run as a formula, with a leading ' (which
    spreadsheets hide); numbers, and text that is only a number (-5, +3.2), stay as they are."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START) or _NUMBER.fullmatch(value):
        return value
    return "'" + value


# BibTeX's specials, each as a LaTeX command that prints the character itself. Braces must
# balance inside a field's {...}, and an unescaped } or @ would end the entry early.
_BIBTEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL = re.compile(r"[\\{}%&#$_~^]")
_BIBTEX_UNESCAPE = re.compile(r"\\textbackslash\{\}|\\textasciitilde\{\}|\\textasciicircum\{\}|\\[{}%&#$_]")
_BIBTEX_BACK = {escaped: char for char, escaped in _BIBTEX.items()}


def bibtex_text(text: str) -> str:
    """Escape BibTeX's specials ({}\\%&#$_~^) in a field's text, so its braces balance and no
    `}` or `@` of a value can end the entry; controls become spaces. Letters of every script are
    kept as they are (no LaTeX encoder, which warns once per Chinese character): a .bib file is
    UTF-8, as biber and bibtexparser read it."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX[m.group(0)], _CONTROL.sub(" ", text))


def bibtex_url(url: str) -> str:
    """Make an address safe inside a BibTeX field: braces, backslashes, whitespace and controls
    percent-encoded (a url field is read verbatim by biblatex and the url package, so LaTeX
    escapes would end up in the link)."""
    return re.sub(r"[\x00-\x20\x7f{}\\]", lambda m: f"%{ord(m.group(0)):02X}", url)


def bibtex_unescape(text: str) -> str:
    """Undo bibtex_text's escapes (for reading an entry back)."""
    return _BIBTEX_UNESCAPE.sub(lambda m: _BIBTEX_BACK[m.group(0)], text)


def one_line_url(text: str) -> str:
    """Percent-encode whitespace and controls in an address written into a line-based file
    (robots.txt, a README's autolink), so a setting can never start a line of its own (a
    `Disallow:` of its choosing) or end the address early."""
    return re.sub(r"[\x00-\x20\x7f]", lambda m: f"%{ord(m.group(0)):02X}", text)


# What CommonMark (and GitHub's tables and strikethrough) reads as syntax inside a line of text
# besides <, > and &: code, emphasis with *, a table cell, a strikethrough, and a
# ] that would close a link or image's text (before its address, its label or a definition's
# colon); and what opens a block at a line's start. "[Chart]" alone, or an intraword _, is text.
_MARKDOWN_INLINE = re.compile(r"[\\`*|~]|\](?=[(\[:]|$)")
_MARKDOWN_BLOCK_START = re.compile(r"^(\s*)([#>+\-=]|\d+(?=[.)]))", re.MULTILINE)


def markdown_text(text: str) -> str:
    """Escape plain text for a Markdown file (a bundle's README) with backslashes, so a title
    shows as typed and adds no link, image or HTML where a reader's viewer renders it; line
    breaks become spaces (a heading is one line)."""
    text = re.sub(r"\s*[\r\n]+\s*", " ", _CONTROL.sub(" ", text))
    text = html.escape(text, quote=False)  # <, > and & as entities: a backslash before them is
    # CommonMark's escape but not Python-Markdown's, and both read entities as text
    text = _MARKDOWN_INLINE.sub(lambda m: "\\" + m.group(0), text)
    return _MARKDOWN_BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def markdown_fence(text: str) -> str:
    """A code fence longer than any run of backticks in text, so the text cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)
