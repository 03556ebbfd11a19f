"""Editorial guards that run in every build: own words, closeness, parity between languages, hedges.

- own words: no run of OWN_WORDS_RUN (12) or more characters of the article's wording in a page (or a
  claim's text) outside quotation marks; punctuation and spaces are ignored, a run of Latin
  letters or digits counts as one character. Skipped, with one notice, when the article is absent.
- closeness: no paragraph of a page in the article's language that follows one article line in
  order (a retelling that swaps words slips past the 12-character runs): the longest common
  subsequence of the two, as the harmonic mean of its share of each, stays under CLOSENESS_LIMIT.
  Skipped with the own-words guard, under the same notice.
- parity: a page and its counterpart reference the same facts, claims and charts, section by
  section (the `## ` headings split a page into sections).
- hedges: a figure whose status needs a hedge (expected, reported, claimed...) is never typed by
  hand, where its hedge would be lost; the tables show every figure with its hedge.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Protocol

import jinja2

from explainer.core.errors import ContentError, Problem, relative
from explainer.core.fingerprint import digest
from explainer.core.passed import PassedChecks
from explainer.language.attribution import STATUSES, says_hedge
from explainer.load.claims import ClaimBook
from explainer.load.facts import Fact, FactBook, derivation
from explainer.load.pages import Page
from explainer.load.refs import CODE, REFERENCE

OWN_WORDS_RUN = 12
# Quotation marks the site uses; what is inside them is a quote, credited, not our wording.
QUOTED = re.compile(r"“[^”\n]*”|「[^」\n]*」|《[^》\n]*》|‘[^’\n]*’|\"[^\"\n]*\"")
# Parts of Markdown that are not prose: link targets, HTML tags, front matter is already gone.
NOT_PROSE = re.compile(r"\]\([^)]*\)|<[^>\n]+>")
TOKEN = re.compile(r"[A-Za-z0-9]+|[^\W\d_A-Za-z]", re.UNICODE)
REFERENCE_KINDS = {"fact": "fact", "keynumbers": "fact", "claim": "claim", "quote": "claim", "chart": "chart"}
ARTICLE_ABSENT = "own-words and closeness checks skipped: the article is not at hand ({path}); the other checks ran"
# Closeness: a paragraph whose longest common subsequence with one article line is this share of
# both (their harmonic mean) retells that line. Calibrated on the site's zh pages (docs/editing.md,
# benchmarks/closeness.py): hand-written summaries and the non-summary pages score 0.11-0.38,
# the paragraph-by-paragraph retelling 0.35-0.62.
CLOSENESS_LIMIT = 0.40
CLOSENESS_MIN_PARAGRAPH = 20  # tokens: a shorter paragraph shares little with any line by chance
CLOSENESS_MIN_LINE = 10  # tokens: the portal's header lines and the credits are not prose


@dataclass(frozen=True)
class Token:
    """One character of prose (a CJK character, or a whole Latin word) and where it is."""

    text: str
    start: int
    end: int


def _is_prose(ch: str) -> bool:
    return unicodedata.category(ch)[0] not in "PZSC"


def tokens(text: str, offset: int = 0) -> list[Token]:
    """Split prose into comparable tokens, dropping punctuation and spaces."""
    return [
        Token(m.group().lower(), offset + m.start(), offset + m.end())
        for m in TOKEN.finditer(text)
        if _is_prose(m.group()[0])
    ]


def prose_segments(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, text) for the stretches of a page that are our own prose.

    Quotes, references, code, link targets and HTML tags are cut out; a run never crosses them.
    """
    cut = [m.span() for pattern in (CODE, REFERENCE, QUOTED, NOT_PROSE) for m in pattern.finditer(text)]
    cut.sort()
    position = 0
    for start, end in cut:
        if start > position:
            yield position, text[position:start]
        position = max(position, end)
    if position < len(text):
        yield position, text[position:]


@functools.lru_cache(maxsize=2)  # the preview checks the same article on every save
def _shingles(article: str, size: int) -> frozenset[tuple[str, ...]]:
    # the words alone, without building a Token (with its place) for each: a third of the time
    words = [m.group().lower() for m in TOKEN.finditer(article) if _is_prose(m.group()[0])]
    return frozenset(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def copied_runs(
    text: str, article_shingles: frozenset[tuple[str, ...]] | set[tuple[str, ...]], size: int
) -> list[tuple[int, int, int]]:
    """Find (start, end, length) of each run of `size`+ tokens shared with the article."""
    runs: list[tuple[int, int, int]] = []
    for offset, segment in prose_segments(text):
        words = tokens(segment, offset)
        texts = [word.text for word in words]  # sliced, not generated, for each window: half the time
        first = last = None
        for i in range(len(words) - size + 1):
            if tuple(texts[i : i + size]) in article_shingles:
                if last is not None and i <= last:
                    last = i + size - 1
                else:
                    if first is not None and last is not None:
                        runs.append((words[first].start, words[last].end, last - first + 1))
                    first, last = i, i + size - 1
        if first is not None and last is not None:
            runs.append((words[first].start, words[last].end, last - first + 1))
    return runs


def _line_at(text: str, offset: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, offset)


def _excerpt(text: str, limit: int = 30) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def check_own_words(
    pages: Mapping[str, Mapping[str, Page]],
    article: str,
    claims: ClaimBook,
    claims_file: Path,
    size: int = OWN_WORDS_RUN,
    passed: PassedChecks | None = None,
) -> list[Problem]:
    """Report every run of the article's wording outside quotation marks, in pages and claims.

    With `passed`, a page (or the claims) that passed on the same text and article is skipped."""
    shingles: frozenset[tuple[str, ...]] | None = None  # made only when something needs checking
    problems = []
    hint = "say it in your own words, or quote it in “…” and credit the speaker"

    def report(where: str, text: str, first_line: int) -> bool:
        nonlocal shingles
        if shingles is None:
            shingles = _shingles(article, size)
        found = False
        for start, end, length in copied_runs(text, shingles, size):
            line = _line_at(text, start, first_line)
            what = f"{length} characters follow the article's wording outside quotation marks"
            problems.append(Problem(where, line, f"{what}: “{_excerpt(text[start:end])}”; {hint}"))
            found = True
        return found

    checked = _Remembered(passed, "own-words", article, str(size))
    for by_src in pages.values():
        for page in by_src.values():
            description = page.meta.get("description")
            description = description if isinstance(description, str) else ""
            name = relative(page.file)
            if checked.before(name, page.body, description):
                continue
            found = report(name, page.body, page.body_first_line)
            if description:
                found = report(name, description, page.front_matter_line("description")) or found
            if not found:
                checked.now(name, page.body, description)
    texts = json.dumps([claim.text for claim in claims.values()], ensure_ascii=False, sort_keys=True)
    if not checked.before(relative(claims_file), texts):
        found = False
        for claim in claims.values():
            for lang, text in claim.text.items():
                found = report(relative(claims_file), text, claim.text_lines.get(lang, claim.line or 1)) or found
        if not found:
            checked.now(relative(claims_file), texts)
    return problems


def common_subsequence(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two token lists.

    Bit-parallel (Allison-Dix, Hyyrö): one big-integer step per token of `a`, so comparing a
    paragraph with every article line costs milliseconds, not the seconds a table would."""
    masks: dict[str, int] = {}
    for i, token in enumerate(b):
        masks[token] = masks.get(token, 0) | (1 << i)
    full = (1 << len(b)) - 1
    row = full
    for token in a:
        matched = row & masks.get(token, 0)
        row = ((row + matched) | (row - matched)) & full
    return len(b) - row.bit_count()


@dataclass(frozen=True)
class Closeness:
    """How closely one paragraph follows its closest article line, in order."""

    score: float  # harmonic mean of the common subsequence's share of the paragraph and of the line
    line: int  # the article line (1-based, as in the article's file)
    common: int  # tokens in the longest common subsequence
    paragraph_tokens: int
    line_tokens: int


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Yield (line offset, text) of each paragraph: lines between blank lines."""
    start, block = 0, []
    for number, line in enumerate([*text.splitlines(), ""]):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, "\n".join(block)
            block = []


@functools.lru_cache(maxsize=2)  # the preview checks the same article on every save
def _article_lines(article: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    lines = ((number, tuple(t.text for t in tokens(line))) for number, line in enumerate(article.splitlines(), 1))
    return tuple((number, words) for number, words in lines if len(words) >= CLOSENESS_MIN_LINE)


def closest_line(paragraph: str, article: str) -> Closeness | None:
    """The article line a paragraph's own prose follows most closely; None for a short paragraph.

    Quotes, references, code and link targets are not our prose and are left out, as for own words."""
    words = [t.text for offset, segment in prose_segments(paragraph) for t in tokens(segment, offset)]
    if len(words) < CLOSENESS_MIN_PARAGRAPH:
        return None
    best: Closeness | None = None
    for number, line in _article_lines(article):
        common = common_subsequence(words, list(line))
        score = 2 * common / (len(words) + len(line))
        if best is None or score > best.score:
            best = Closeness(score, number, common, len(words), len(line))
    return best


def check_closeness(
    pages: Mapping[str, Page],
    article: str,
    limit: float = CLOSENESS_LIMIT,
    passed: PassedChecks | None = None,
) -> list[Problem]:
    """Report every paragraph (of pages in the article's language) that retells one article line.

    With `passed`, a page that passed on the same text and article is skipped."""
    problems = []
    checked = _Remembered(passed, "closeness", article, str(limit))
    for page in pages.values():
        name = relative(page.file)
        if checked.before(name, page.body):
            continue
        found = False
        for offset, paragraph in paragraphs(page.body):
            close = closest_line(paragraph, article)
            if close is None or close.score < limit:
                continue
            found = True
            problems.append(
                Problem(
                    name,
                    page.body_first_line + offset,
                    f"this paragraph follows article line {close.line} in order: closeness "
                    f"{close.score:.2f} ({close.common} characters in the same order, of its "
                    f"{close.paragraph_tokens} and the line's {close.line_tokens}; the limit is {limit:.2f}); "
                    "summarise it around the question it answers instead of retelling the line",
                )
            )
        if not found:
            checked.now(name, page.body)
    return problems


class _Remembered:
    """One guard's view of the passed-checks record: which items passed on which input."""

    def __init__(self, passed: PassedChecks | None, guard: str, *shared: str) -> None:
        # what every item's key shares (the article, for two guards) hashed once, not once per page
        self.passed, self.guard, self.shared = passed, guard, digest(*shared)

    def _key(self, inputs: tuple[str, ...]) -> str:
        assert self.passed is not None
        return self.passed.key(self.guard, self.shared, *inputs)

    def before(self, item: str, *inputs: str) -> bool:
        """Did this guard pass on this item with the same inputs in an earlier build?"""
        return self.passed is not None and self.passed.passed(f"{self.guard} {item}", self._key(inputs))

    def now(self, item: str, *inputs: str) -> None:
        """Record that this guard passed on this item with these inputs."""
        if self.passed is not None:
            self.passed.remember(f"{self.guard} {item}", self._key(inputs))


# -- parity ------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One `## ` section of a page: its heading, line, and what it references."""

    title: str
    line: int
    uses: dict[tuple[str, str], int]  # (kind, id) -> the line of its first use


def sections(page: Page) -> list[Section]:
    """Split a page at its `## ` headings (outside code) and gather each section's references."""
    starts: list[tuple[int, str]] = [(page.body_first_line, "")]
    fenced = False
    for number, line in enumerate(page.body.splitlines(), start=page.body_first_line):
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            starts.append((number, line[3:].strip()))
    found = [Section(title, line, {}) for line, title in starts]
    for ref in page.references:
        kind = REFERENCE_KINDS.get(ref.name)
        if kind is None:
            continue
        index = max(i for i, (line, _) in enumerate(starts) if line <= ref.line)
        ids = ref.args if ref.name == "keynumbers" else ref.args[:1]
        for item in ids:
            found[index].uses.setdefault((kind, item), ref.line)
    return found


def _name(section: Section, index: int) -> str:
    return f"section {index} “{section.title}”" if section.title else "the opening (before the first ## heading)"


def check_parity(pages: Mapping[str, Mapping[str, Page]], codes: list[str]) -> list[Problem]:
    """Each page and its counterpart: same number of sections, same references in each."""
    problems = []
    first, *others = codes
    for src, page in pages.get(first, {}).items():
        for code in others:
            other = pages.get(code, {}).get(src)
            if other is None:
                continue  # a missing counterpart is reported when pages load
            mine, theirs = sections(page), sections(other)
            if len(mine) != len(theirs):
                message = (
                    f"{len(mine) - 1} sections (## headings) here but {len(theirs) - 1} in {relative(other.file)}; "
                    "give both languages the same sections, in the same order"
                )
                problems.append(Problem(relative(page.file), mine[-1].line, message))
                continue
            for index, (a, b) in enumerate(zip(mine, theirs, strict=True)):
                for this, that, this_page, that_page in ((a, b, page, other), (b, a, other, page)):
                    for (kind, item), line in this.uses.items():
                        if (kind, item) not in that.uses:
                            message = (
                                f"{kind} '{item}' is used in {_name(this, index)} but not in the same section of "
                                f"{relative(that_page.file)} ({_name(that, index)}, line {that.line}); "
                                "reference the same facts, claims and charts in both languages"
                            )
                            problems.append(Problem(relative(this_page.file), line, message))
    return problems


# -- hedges ------------------------------------------------------------------


def _hedged(fact: Fact) -> bool:
    return fact.disclosed and STATUSES[fact.status].hedged


def check_typed_figures(
    pages: Mapping[str, Mapping[str, Page]], facts: FactBook, passed: PassedChecks | None = None
) -> list[Problem]:
    """A hedged figure typed by hand loses its hedge: ask for {{ fact id }} instead.

    With `passed`, a page that passed with the same text and the same hedged figures is skipped."""
    problems = []
    for code, by_src in pages.items():
        figures = {}
        for fact in facts.values():
            if _hedged(fact):
                for text in sorted({fact.display(code), fact.short(code)}):
                    if any(ch.isdigit() for ch in text):
                        figures.setdefault(text, fact)
        checked = _Remembered(passed, "typed-figures", json.dumps(sorted(figures), ensure_ascii=False))
        for page in by_src.values():
            if checked.before(relative(page.file), page.body):
                continue
            found = len(problems)
            for offset, segment in prose_segments(page.body):
                for text, fact in figures.items():
                    for match in re.finditer(_whole_figure(text), segment):
                        line = _line_at(page.body, offset + match.start(), page.body_first_line)
                        message = (
                            f"'{text}' is typed by hand: it is fact '{fact.id}', {fact.status_name(code)} "
                            f"({fact.speaker_name(code)}), and shows only with its hedge; "
                            f"write {{{{ fact {fact.id} }}}}"
                        )
                        problems.append(Problem(relative(page.file), line, message))
            if len(problems) == found:
                checked.now(relative(page.file), page.body)
    return problems


def _whole_figure(text: str) -> str:
    """A pattern for a figure as a whole number: '50亿美元' is not in '150亿美元', nor '2029' in
    '120291' or '1,2029' (another figure, which need not carry this one's hedge)."""
    before = r"(?<!\d)(?<!\d[.,])" if text[:1].isdigit() else ""
    after = r"(?!\d)(?![.,]\d)" if text[-1:].isdigit() else ""
    return before + re.escape(text) + after


def _shows_with_hedge(html: str, fact: Fact, lang: str) -> bool:
    """Tell whether rendered HTML shows a figure immediately followed by its hedge."""
    text = unescape(re.sub(r"<[^>]+>", "", html))
    figure, hedge = re.escape(fact.display(lang)), re.escape(fact.hedge(lang))
    return re.search(rf"{figure}\W{{0,3}}{hedge}", text) is not None


def check_table_hedges(
    env: jinja2.Environment,
    facts: FactBook,
    ui: Mapping[str, Mapping[str, str]],
    codes: list[str],
    passed: PassedChecks | None = None,
) -> list[Problem]:
    """Render the fact table and key numbers in each language; every hedged figure keeps its hedge.

    With `passed`, skipped when it passed on the same facts, interface strings and templates."""
    problems = []
    hedged = [fact for fact in facts.values() if _hedged(fact)]
    checked = _Remembered(passed, "table-hedges")
    inputs = (repr(sorted(facts.items())), json.dumps([ui, codes], sort_keys=True), _partials_source(env))
    if checked.before("templates", *inputs):
        return problems
    for name, row_start in (("fact_table", '<tr id="fact-'), ("keynumbers", "<li>")):
        template = env.get_template(f"partials/{name}.html")
        for code in codes:
            html = template.render(
                facts=hedged,
                facts_by_id=facts,
                how={fact.id: derivation(fact, facts, code) for fact in hedged},
                lang=code,
                t=ui[code],
                sources_url="",
                article_lang=codes[0],
            )
            rows = html.split(row_start)[1:]
            for fact, row in zip(hedged, rows, strict=False):
                if not _shows_with_hedge(row, fact, code):
                    message = (
                        f"shows fact '{fact.id}' without its hedge ({fact.hedge(code)!r}, {code}); "
                        "print fact.hedged(lang) or fact.hedge(lang) beside the figure"
                    )
                    problems.append(Problem(relative(Path(template.filename or name)), None, message))
    if not problems:
        checked.now("templates", *inputs)
    return problems


def _partials_source(env: jinja2.Environment) -> str:
    """Every partial template's source (the tables include others), for the table check's key."""
    assert env.loader is not None
    names = sorted(name for name in env.list_templates() if name.startswith("partials/"))
    return "\0".join(f"{name}\0{env.loader.get_source(env, name)[0]}" for name in names)


class ChartText(Protocol):
    """What the chart hedge check reads of a rendered chart (explainer/draw/render.py's RenderedChart)."""

    chart_id: str
    lang: str
    title: str
    description: str
    vega_lite_json: str  # its Vega-Lite spec as JSON text
    facts_used: tuple[str, ...]


def check_chart_hedges(rendered: Iterable[ChartText], facts: FactBook, charts_dir: Path) -> list[Problem]:
    """A chart that plots a hedged figure must say the hedge somewhere in its text or tooltips.

    Charts say it with fact.hedged(lang) / fact.hedged(lang, short=True), or in their title.
    """
    problems = []
    for chart in rendered:
        text = chart.vega_lite_json + chart.title + chart.description
        bare = [
            fact
            for fact in (facts[fact_id] for fact_id in chart.facts_used)
            if _hedged(fact) and fact.hedge(chart.lang) not in text and not says_hedge(text, fact.status, chart.lang)
        ]
        if bare:
            listed = ", ".join(f"{fact.id} ({fact.hedged(chart.lang, short=True)})" for fact in bare)
            message = f"plots without their hedges in {chart.lang}: {listed}; label them with fact.hedged(lang)"
            problems.append(Problem(relative(charts_dir / f"{chart.chart_id}.py"), None, message))
    return problems


def run_guards(
    pages: Mapping[str, Mapping[str, Page]],
    facts: FactBook,
    claims: ClaimBook,
    claims_file: Path,
    ui: Mapping[str, Mapping[str, str]],
    env: jinja2.Environment,
    codes: list[str],
    article: str | None,
    article_path: Path | str = "the article",
    passed: PassedChecks | None = None,
) -> list[str]:
    """Run every guard; raise ContentError with all problems; return notices (a guard skipped).

    With `passed`, what passed before on the same input is not checked again (explainer/core/passed.py)."""
    notices = []
    problems = check_parity(pages, codes)
    problems += check_typed_figures(pages, facts, passed)
    problems += check_table_hedges(env, facts, ui, codes, passed)
    if article is None:
        notices.append(ARTICLE_ABSENT.format(path=article_path))
    else:
        problems += check_own_words(pages, article, claims, claims_file, passed=passed)
        if codes and codes[0] in pages:  # the first language is the article's
            problems += check_closeness(pages[codes[0]], article, passed=passed)
    if passed is not None:
        passed.save()  # what passed is kept even when another check failed
    if problems:
        raise ContentError(problems)
    return notices
