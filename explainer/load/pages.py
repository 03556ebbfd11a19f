"""Load the Markdown pages of every language and check them before anything is written."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explainer.core.characters import reordering_problems, unprintable_problem
from explainer.core.errors import ContentError, Problem, relative
from explainer.core.inputs import InputProblem, check_tree, read_input
from explainer.core.yamlfile import ParsedYaml, parse_yaml
from explainer.load.facts import unknown_message
from explainer.load.refs import Reference, find_references, in_link_text, stray_braces, syntax_problem
from explainer.load.settings import Settings

FRONT_MATTER_FENCE = "---"
FRONT_MATTER_LINE = 2  # where a page's front matter starts, after its fence
# What every page's front matter must say, and why.
FRONT_MATTER = {
    "title": "the page's name in the navigation",
    "description": "one sentence for search results and share previews",
}
# What a page's front matter may say, and why.
OPTIONAL_FRONT_MATTER = {
    "standfirst": "one or two sentences under the headline that state the page's point; "
    "without it the page shows its description there",
    "published": "the day the page was first published (YYYY-MM-DD): with site_url, the language's Atom feed "
    "announces it as a new page",
}


@dataclass(frozen=True)
class Page:
    """One Markdown page of one language."""

    lang: str
    src: str  # path inside the language folder, e.g. "loop.md"
    file: Path
    meta: dict = field(default_factory=dict)
    body: str = ""
    body_first_line: int = 1
    references: tuple[Reference, ...] = ()

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    def front_matter_line(self, key: str) -> int:
        """The line of a front-matter key, for messages about what it says."""
        head = self.file.read_text(encoding="utf-8").splitlines()[: self.body_first_line]
        return next((number for number, line in enumerate(head, 1) if line.startswith(f"{key}:")), 1)


def published_day(value: object) -> datetime.date | None:
    """A day written in YAML: a date (unquoted 2026-12-07) or its text; None for anything else
    (a time of day too: pages and corrections keep days)."""
    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def split_front_matter(text: str, file: Path, kept: ParsedYaml | None = None) -> tuple[dict, str, int, list[Problem]]:
    """Split '---' front matter from the body; return meta, body, the body's first line, problems."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != FRONT_MATTER_FENCE:
        return {}, text, 1, []
    for index in range(1, len(lines)):
        if lines[index].rstrip() == FRONT_MATTER_FENCE:
            doc, problems = parse_yaml("".join(lines[1:index]), file, first_line=FRONT_MATTER_LINE, kept=kept)
            meta = doc.data if doc is not None and isinstance(doc.data, dict) else {}
            if doc is not None and doc.data is not None and not isinstance(doc.data, dict):
                problems.append(Problem(file, 2, "front matter must be a mapping such as `title: ...`"))
            return meta, "".join(lines[index + 1 :]), index + 2, problems
    return {}, text, 1, [Problem(file, 1, "front matter opened with '---' but never closed; add a closing '---' line")]


def kept_front_matter(kept: ParsedYaml) -> Callable[[str], Any]:
    """A page's front matter data, given its YAML text, as this build's loader parsed it, or None."""
    return lambda text: kept.data(text, FRONT_MATTER_LINE)


def read_page(
    lang: str, src: str, file: Path, root: Path | None = None, kept: ParsedYaml | None = None
) -> tuple[Page, list[Problem]]:
    """Read one page, its front matter and its references."""
    shown = relative(file)
    try:
        raw = read_input(file, root)
    except InputProblem as exc:
        return Page(lang, src, file), [exc.problem]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problem = Problem(shown, line, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")
        return Page(lang, src, file), [problem]
    # a byte-order mark (Windows editors write one) is not text: MkDocs drops it too
    meta, body, first, problems = split_front_matter(text.removeprefix("\ufeff"), Path(shown), kept)
    problems += reordering_problems(text, shown)
    if (unprintable := unprintable_problem(body, shown, first)) is not None:  # the front matter's: said by its YAML
        problems.append(unprintable)
    known = [*FRONT_MATTER, *OPTIONAL_FRONT_MATTER]
    for key in meta if not problems else ():
        if key not in known:  # a typo (`publihsed:`), or one of MkDocs' own (`template: ...`) the theme never reads
            head = text.splitlines()[:first]
            line = next((number for number, said in enumerate(head, 1) if said.startswith(f"{key}:")), 2)
            problems.append(Problem(shown, line, f"front matter: unknown key '{key}'; known keys: {', '.join(known)}"))
    for key, why in FRONT_MATTER.items():
        if not problems and meta.get(key) is not None and not isinstance(meta[key], str):
            # `title: 2026` is a number to YAML, `title: [x]` a list: there, but not text
            message = f'front matter `{key}:` must be text; write it in quotes (`{key}: "..."`)'
            problems.append(Problem(shown, 2, message))
        elif not problems and not (isinstance(meta.get(key), str) and meta[key].strip()):
            problems.append(Problem(shown, 2 if meta else 1, f"front matter needs `{key}: ...` ({why})"))
    for key, why in OPTIONAL_FRONT_MATTER.items():
        if key == "published":
            if not problems and key in meta and published_day(meta[key]) is None:
                problems.append(Problem(shown, 2, f"front matter `{key}:` must be a day as YYYY-MM-DD ({why})"))
        elif not problems and key in meta and not (isinstance(meta[key], str) and meta[key].strip()):
            problems.append(Problem(shown, 2, f"front matter `{key}:` must be text ({why}), or left out"))
    refs = tuple(find_references(body, first))
    return Page(lang, src, file, meta, body, first, refs), problems


def load_pages(settings: Settings, kept: ParsedYaml | None = None) -> dict[str, dict[str, Page]]:
    """Read every page of every language (`kept`: the build's parsed front matter); report pages
    that have no counterpart."""
    pages: dict[str, dict[str, Page]] = {}
    problems: list[Problem] = check_tree(settings.content_dir, settings.root)
    broken = {problem.path for problem in problems}  # reported once, not again as a missing counterpart
    broken_srcs: set[str] = set()
    for lang in settings.codes:
        folder = settings.content_dir / lang
        pages[lang] = {}
        for file in sorted(folder.rglob("*.md")):
            src = file.relative_to(folder).as_posix()
            if relative(file) in broken:
                broken_srcs.add(src)
                continue
            page, found = read_page(lang, src, file, settings.root, kept)
            pages[lang][src] = page
            problems.extend(found)
    all_srcs = sorted({src for by_src in pages.values() for src in by_src} - broken_srcs)
    for src in all_srcs:
        have = [lang for lang in settings.codes if src in pages[lang]]
        for lang in settings.codes:
            if src not in pages[lang]:
                other = have[0]
                problems.append(
                    Problem(
                        relative(pages[other][src].file),
                        None,
                        f"no '{lang}' counterpart; add content/{lang}/{src} (every page exists in every language)",
                    )
                )
    for src in settings.nav:
        for lang in settings.codes:
            if src not in pages[lang]:
                problems.append(
                    Problem(
                        relative(settings.config_file),
                        settings.nav_line,
                        f"nav lists '{src}' but content/{lang}/{src} does not exist; write it or remove it from nav",
                    )
                )
    if problems:
        raise ContentError(problems)
    return pages


def check_references(
    pages: Mapping[str, Mapping[str, Page]],
    fact_ids: Collection[str],
    chart_ids: Collection[str],
    claim_ids: Collection[str] = (),
    term_ids: Collection[str] = (),
) -> None:
    """Check every macro in every page: known name, right arguments, known ids of what it names."""
    problems: list[Problem] = []
    for by_src in pages.values():
        for page in by_src.values():
            where = relative(page.file)  # once per page: a path made relative is not cheap
            for line in stray_braces(page.body, page.body_first_line, page.references):
                problems.append(Problem(where, line, "malformed reference; write {{ fact id }} or {{ chart id }}"))
            linked = in_link_text(page.body, page.references)
            for ref in linked:
                why = "would put a link inside a link's text (no browser keeps both); move it out of the link's text"
                problems.append(Problem(where, ref.line, f"'{{{{ {ref.name} ... }}}}' {why}"))
            placed: dict[str, int] = {}  # chart id -> the line that places it first
            for ref in page.references:
                if ref in linked:
                    continue
                if (why := syntax_problem(ref)) is not None:
                    problems.append(Problem(where, ref.line, why))
                    continue
                if ref.name == "chart" and ref.args[0] in placed:
                    # its id is its address on the page (#chart-<id>), and its SVG's ids are the chart's:
                    # twice, every one of them was there twice
                    why = f"chart '{ref.args[0]}' is placed already at line {placed[ref.args[0]]}; a chart appears once a page"
                    problems.append(Problem(where, ref.line, f"{why} (link to it: #chart-{ref.args[0]})"))
                    continue
                if ref.name == "chart":
                    placed[ref.args[0]] = ref.line
                if ref.name in ("fact", "keynumbers"):
                    for fact_id in ref.args:
                        if fact_id not in fact_ids:
                            problems.append(Problem(where, ref.line, unknown_message("fact", fact_id, list(fact_ids))))
                elif ref.name in ("claim", "quote") and ref.args[0] not in claim_ids:
                    problems.append(Problem(where, ref.line, unknown_message("claim", ref.args[0], list(claim_ids))))
                elif ref.name == "term" and ref.args[0] not in term_ids:
                    problems.append(
                        Problem(where, ref.line, unknown_message("term", ref.args[0], list(term_ids), list_all=True))
                    )
                elif ref.name == "chart" and ref.args[0] not in chart_ids:
                    message = unknown_message("chart", ref.args[0], list(chart_ids), list_all=True)
                    if not ref.args[0].isidentifier():  # charts/ferry-2.py is a file, but no module: no chart
                        fixed = re.sub(r"\W", "_", ref.args[0])
                        message += (
                            f"; a chart's id is its file's name in charts/, which Python must be able to import "
                            f"(letters, digits and _): name the file {fixed}.py and say {{{{ chart {fixed} }}}}"
                        )
                    problems.append(Problem(where, ref.line, message))
    if problems:
        raise ContentError(problems)


def used_charts(pages: Mapping[str, Mapping[str, Page]]) -> list[str]:
    """List the chart ids that some page places, sorted."""
    return sorted(
        {
            ref.args[0]
            for by_src in pages.values()
            for page in by_src.values()
            for ref in page.references
            if ref.name == "chart"
        }
    )


def first_pages_of_charts(pages: Mapping[str, Page], nav: tuple[str, ...]) -> dict[str, str]:
    """Map each chart to the URL of the first page, in reading order, that shows it."""
    order = [src for src in nav if src in pages] + sorted(set(pages) - set(nav))
    found: dict[str, str] = {}
    for src in order:
        for ref in pages[src].references:
            if ref.name == "chart" and ref.args[0] not in found:
                found[ref.args[0]] = "" if src == "index.md" else src.removesuffix(".md") + "/"
    return found
