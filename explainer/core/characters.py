"""Characters that look like others or like nothing: named, with their position, in messages.

An id typed with a Cyrillic 'о' or carrying a zero-width space looks right and matches nothing;
a right-to-left override in a page shows its words in another order than they are stored. A
message that says which character, and where, saves the editor a hex dump.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from explainer.core.errors import Problem

# Letters of other scripts drawn like Latin ones (Unicode's confusables, the ones an id meets)
LOOK_ALIKES = {
    **dict.fromkeys("аА", "a"),
    **dict.fromkeys("еЕ", "e"),
    **dict.fromkeys("оОοΟ", "o"),
    **dict.fromkeys("рРρΡ", "p"),
    **dict.fromkeys("сС", "c"),
    **dict.fromkeys("хХχΧ", "x"),
    **dict.fromkeys("уУ", "y"),
    **dict.fromkeys("іІιΙ", "i"),
    **dict.fromkeys("јЈ", "j"),
    **dict.fromkeys("ѕЅ", "s"),
    **dict.fromkeys("ԁ", "d"),
    **dict.fromkeys("ɡ", "g"),
    **dict.fromkeys("һҺ", "h"),
    **dict.fromkeys("ԛ", "q"),
    **dict.fromkeys("ԝ", "w"),
    **dict.fromkeys("νΝ", "v"),
    **dict.fromkeys("κΚ", "k"),
    **dict.fromkeys("τΤ", "t"),
    **dict.fromkeys("αΑ", "a"),
    **dict.fromkeys("ΒВ", "b"),
    **dict.fromkeys("ΜМ", "m"),
    **dict.fromkeys("ΗН", "h"),
    **dict.fromkeys("ΤТ", "t"),
}
# Controls that reorder how text is shown (embeddings and overrides; Unicode deprecates them in
# favour of isolates): they can make a line show other words than it holds ("Trojan Source")
REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e")
# What no input text may hold: what YAML's reader refuses (C0 and C1 controls but tab, line
# breaks and NEL; DEL, surrogates, U+FFFE and U+FFFF). HTML calls them parse errors, XML cannot
# hold them at all, and an SVG that has one cannot be drawn as a PNG.
UNPRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# What a character Unicode gives no name is, by its category
UNNAMED = {"Cc": "a control character", "Cs": "a surrogate", "Co": "a private-use character", "Cn": "not a character"}


def name_of(char: str) -> str:
    """'U+200B ZERO WIDTH SPACE', or 'U+0002 (a control character)' for one without a name."""
    name = unicodedata.name(char, "")
    return (
        f"U+{ord(char):04X} {name}"
        if name
        else f"U+{ord(char):04X} ({UNNAMED.get(unicodedata.category(char), 'unnamed')})"
    )


def describe(char: str) -> str:
    """How a message names a character that is not what it seems."""
    if unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp") or char.isspace():
        return f"an invisible {name_of(char)}"
    twin = LOOK_ALIKES.get(char) or _compatible(char)
    if twin:
        return f"'{char}' ({name_of(char)}, which looks like '{twin}')"
    return f"'{char}' ({name_of(char)})"


def _compatible(char: str) -> str | None:
    """The plain letter a full-width or styled one stands for ('ｆ' -> 'f'), if it differs."""
    plain = unicodedata.normalize("NFKC", char)
    return plain if plain != char and plain.isascii() else None


def odd_characters(text: str) -> str | None:
    """Name every character of an id that is not printable ASCII, with its position (1 = the
    first), or None: "it has an invisible U+200B ZERO WIDTH SPACE at position 7"."""
    found = [
        f"{describe(char)} at position {index}"
        for index, char in enumerate(text, 1)
        if not (char.isascii() and char.isprintable())
    ]
    if not found:
        return None
    return "it has " + ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")


def reordering_problems(text: str, shown: str) -> list[Problem]:
    """A problem at each character of a file's text that reorders how text is shown."""
    if not REORDERING.intersection(text):
        return []
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for column, char in enumerate(line, 1):
            if char in REORDERING:
                why = "it makes the line show its words in another order than they are stored; remove it"
                found.append(Problem(shown, number, f"column {column} has {name_of(char)}: {why}"))
    return found


def shows_anything(text: str) -> bool:
    """Whether a text has a character a reader sees: not only spaces and invisible format
    characters (a zero-width space, a joiner, a direction mark), which str.strip() keeps."""
    return any(not char.isspace() and unicodedata.category(char) not in ("Cf", "Cc", "Zs") for char in text)


def unprintable_problem(text: str, shown: Path | str, first_line: int = 1) -> Problem | None:
    """A problem at the first character of a file's text (or of its part starting at first_line)
    that no input may hold (UNPRINTABLE), naming it and its column; None if there is none."""
    found = UNPRINTABLE.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + first_line
    column = found.start() - text.rfind("\n", 0, found.start())
    return Problem(
        shown, line, f"column {column} has {name_of(found.group(0))}, which no text file may hold; remove it"
    )


def id_problem(record_id: str) -> str:
    """Why an id is refused, naming an invisible or look-alike character where it has one."""
    odd = odd_characters(record_id)
    return "ids are lower_snake_case (letters, digits, underscores)" + (f"; {odd}" if odd else "")
