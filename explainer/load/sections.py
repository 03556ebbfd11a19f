"""Give each page's `## ` sections one id shared by every language, and check that they agree.

The language switch keeps the reader's section (`/en/loop/#triangle` -> `/loop/#triangle`), so a
section must have the same id in every language. A heading may name its id with an attr_list,
`## 三角形的资金流 {: #triangle }`; a section without one takes the id its counterparts give it,
and when no language gives one, the slug of its heading in the first language (the source's).
Only the first language needs the ids written, then; a different id written in another language
is an error at its line, as is one id given to two sections of a page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from markdown.extensions.toc import slugify_unicode

from explainer.core.errors import Problem, relative
from explainer.load.pages import Page

SECTION = "## "
FENCE = "```"
ATTR_LIST = re.compile(r"\s*\{:?([^{}]*)\}\s*$")  # Python-Markdown's attr_list at the end of a heading
ID = re.compile(r"(?:^|\s)#([^\s#.{}=]+)")


@dataclass(frozen=True)
class Heading:
    """One `## ` heading: where it is, its words, and the id it gives itself (if any)."""

    index: int  # its line's index in the page's body
    line: int  # its line number in the file
    title: str
    explicit: str | None


def headings(page: Page) -> list[Heading]:
    """The page's `## ` headings, outside fenced code, in order."""
    found = []
    fenced = False
    for index, text in enumerate(page.body.split("\n")):
        if text.lstrip().startswith(FENCE):
            fenced = not fenced
        elif not fenced and text.startswith(SECTION):
            title = text[len(SECTION) :].strip()
            explicit = None
            if attrs := ATTR_LIST.search(title):
                title = title[: attrs.start()].strip()
                if named := ID.search(attrs.group(1)):
                    explicit = named.group(1)
            found.append(Heading(index, page.body_first_line + index, title, explicit))
    return found


def slug(title: str) -> str:
    """The id MkDocs' table of contents would give a heading (Chinese characters kept)."""
    return slugify_unicode(re.sub(r"[*_`]", "", title), "-")


def section_ids(
    pages: Mapping[str, Mapping[str, Page]], codes: list[str]
) -> tuple[dict[str, list[str]], list[Problem]]:
    """The shared ids of each page's sections (by file name), and the problems: an id written
    differently in two languages, or one id for two sections of a page. Pages whose languages
    have different numbers of sections are left to the parity guard (explainer/check/guards.py)."""
    ids: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for src in sorted({src for by_src in pages.values() for src in by_src}):
        versions = [(pages[code][src], headings(pages[code][src])) for code in codes if src in pages[code]]
        if not versions or len({len(found) for _, found in versions}) != 1:
            continue
        shared: list[str] = []
        for position in range(len(versions[0][1])):
            written = [(page, found[position]) for page, found in versions if found[position].explicit]
            first_page, first = versions[0][0], versions[0][1][position]
            if written:
                given_page, given = written[0]
                chosen = given.explicit or ""
                for page, heading in written[1:]:
                    if heading.explicit != chosen:
                        problems.append(
                            Problem(
                                relative(page.file),
                                heading.line,
                                f"section “{heading.title}” has the id '{heading.explicit}' but its counterpart in "
                                f"{relative(given_page.file)}:{given.line} has '{chosen}'; a section has one id in "
                                f"every language (the language switch keeps it): write {{: #{chosen} }} or none",
                            )
                        )
            else:
                chosen = slug(first.title) or f"section-{position + 1}"
                given_page, given = first_page, first
            if chosen in shared:
                earlier = shared.index(chosen)
                if given.explicit:
                    problems.append(
                        Problem(
                            relative(given_page.file),
                            given.line,
                            f"section “{given.title}” has the id '{chosen}' of section {earlier + 1} too; "
                            "give each section an id of its own",
                        )
                    )
                else:  # two headings with the same words: number the second, as MkDocs would
                    chosen = f"{chosen}_{shared.count(chosen) + 1}"
            shared.append(chosen)
        ids[src] = shared
    return ids, problems


def with_section_ids(markdown: str, ids: list[str]) -> str:
    """Give each `## ` heading of a page's Markdown its shared id, as an attr_list."""
    lines = markdown.split("\n")
    fenced = False
    position = 0
    for index, text in enumerate(lines):
        if text.lstrip().startswith(FENCE):
            fenced = not fenced
        elif not fenced and text.startswith(SECTION) and position < len(ids):
            section_id = ids[position]
            position += 1
            attrs = ATTR_LIST.search(text)
            if attrs is None:
                lines[index] = f"{text.rstrip()} {{: #{section_id} }}"
            elif not ID.search(attrs.group(1)):
                inner = attrs.group(1).strip()
                lines[index] = f"{text[: attrs.start()].rstrip()} {{: #{section_id} {inner} }}"
    return "\n".join(lines)
