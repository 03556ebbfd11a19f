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
# as character references, and no reader wants them in a CSV or a citation.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_XML_WHITESPACE = {"\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


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


def robots_value(text: str) -> str:
    """Percent-encode whitespace and controls in a robots.txt value (a URL), so a setting can
    never start a line of its own (a `Disallow:` of its choosing)."""
    return re.sub(r"[\x00-\x20\x7f]", lambda m: f"%{ord(m.group(0)):02X}", text)
