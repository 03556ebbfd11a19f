"""`explainer new DIR`: a small working explainer to start from, in the languages asked for.

It writes a project that builds and passes `explainer check` at once: settings, a home page and
one section per language, a sources page, a short sample source that we wrote ourselves and mark
as a sample, three facts bound to its quotes, and one chart. A language the engine has no sample
text in gets placeholders (explainer/load/placeholders.py), which every build reports until written.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path
from typing import Any

import yaml

from explainer.language.locales import engine_file
from explainer.load.placeholders import mark
from explainer.load.settings import LANGUAGE_CODE

SAMPLES = Path(__file__).resolve().parent / "samples"
FALLBACK = "en"  # the sample a language without its own is translated from
NAV = ("index.md", "trips.md", "about.md")
FACTS: dict[str, dict[str, Any]] = {  # the sample's figures, as its source states them
    "trips_last_year": {
        "value": 30000000,
        "unit": "trips",
        "period": "last year",
        "qualifier": "about",
        "speaker": "transport_office",
        "status": "stated",
    },
    "bike_spending": {
        "value": 120000000,
        "unit": "usd",
        "period": "last year",
        "speaker": "author",
        "status": "stated",
    },
    "trips_2027": {
        "value": 50000000,
        "unit": "trips",
        "period": "2027",
        "qualifier": "more_than",
        "speaker": "transport_office",
        "status": "expected",
    },
}


def sample(code: str) -> dict[str, Any]:
    """The sample's words in a language: its own, or the fallback's marked as placeholders."""
    own = SAMPLES / f"{code}.yaml"
    if own.is_file():
        return yaml.safe_load(own.read_text(encoding="utf-8"))
    words = yaml.safe_load((SAMPLES / f"{FALLBACK}.yaml").read_text(encoding="utf-8"))
    words = _placeholders(words)
    words["language"] = {"name": mark(code), "html_lang": code}
    return words


def _placeholders(value: Any, key: str = "") -> Any:
    """Mark every text to translate (not the source, which stays the source's own words)."""
    if isinstance(value, dict):
        return {k: v if k in ("source", "quote") else _placeholders(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_placeholders(item, key) for item in value]
    if isinstance(value, str) and key == "body":
        return "\n".join(_placeholder_line(line) for line in value.splitlines()) + "\n"
    if isinstance(value, str) and value.strip():
        return mark(value)
    return value


def _placeholder_line(line: str) -> str:
    """A page line to translate, its Markdown markup kept; reference-only lines need no words."""
    if not line.strip() or re.fullmatch(r"\s*\{\{[^}]*\}\}\s*", line):
        return line
    markup = re.match(r"^(\s*(?:#+ |- |\* |\d+\. )?\**)", line)
    head = markup.group(1) if markup else ""
    return head + mark(line[len(head) :])


def new_project(folder: Path, languages: str, quiet: bool = False) -> int:
    """Write a new explainer into `folder` (new, or empty); say what to do next (unless `quiet`).
    0 on success."""
    codes = [code.strip() for code in languages.split(",") if code.strip()]
    if languages.strip() and any(not code.strip() for code in languages.split(",")):
        print("error: --languages: an empty item; name the codes with commas between, e.g. zh,en", file=sys.stderr)
        return 2
    problem = _problem(folder, codes)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    words = {code: sample(code) for code in codes}
    files = project_files(codes, words)
    try:
        for name, text in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:  # a parent that is a file, a folder we may not write in, a full disk
        where = exc.filename or folder
        print(f"error: {where}: {exc.strerror or exc}; name a folder you can create", file=sys.stderr)
        return 2
    if quiet:
        return 0
    missing = [code for code in codes if not (SAMPLES / f"{code}.yaml").is_file()]
    print(f"Created {folder} ({', '.join(codes)}): {len(files)} files.")
    if missing:
        print(
            f"The engine has no sample text in {', '.join(missing)}: its pages, labels and chart text are "
            f"placeholders marked TODO(translate), which `explainer check` lists at their lines until written."
        )
    no_words = [code for code in codes if not engine_file(code).is_file()]
    if no_words:
        print(
            f"The engine has no words for {', '.join(no_words)} either: "
            f"{', '.join(f'content/ui/{code}.yaml' for code in no_words)} holds every interface word, number "
            "convention and hedge of English, marked as placeholders, to translate."
        )
    print(f"Next: cd {shlex.quote(str(folder))} && explainer build (or explainer serve for a live preview)")
    return 0


def _problem(folder: Path, codes: list[str]) -> str | None:
    """Why the project cannot be made (a bad language list, a folder in use), or None."""
    if not codes:
        return "--languages: name at least one language code, e.g. zh,en"
    bad = [code for code in codes if not LANGUAGE_CODE.match(code)]
    if bad:
        return f"--languages: {', '.join(bad)} is not a language code such as zh, en or pt-BR"
    if len(set(codes)) != len(codes):
        return "--languages: a language is listed twice; name each once"
    if not (SAMPLES / f"{codes[0]}.yaml").is_file():
        known = ", ".join(sorted(path.stem for path in SAMPLES.glob("*.yaml")))
        return (
            f"--languages: the first language is the source's own, and there is no sample source in "
            f"{codes[0]!r}; put one of {known} first (then replace the sample with your source)"
        )
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        return f"{folder}: already exists and is not empty; name a new folder"
    return None


def locale_placeholders(code: str) -> str:
    """A language the engine has no words for: its English words, each marked to translate (the
    number conventions included: a Babel locale id, a d3 locale), under the comments that explain them."""
    lines = [f"# The words of '{code}', which the engine has none for: translate every value marked as a placeholder."]
    source = engine_file(FALLBACK).read_text(encoding="utf-8").splitlines()
    body = source[next(i for i, line in enumerate(source) if line and not line.startswith("#")) :]
    for line in body:
        key, colon, rest = line.partition(":")
        value, _, comment = rest.partition(" #")
        text = value.strip()
        if line.lstrip().startswith("#") or not colon or not text:
            lines.append(line)
        elif text.startswith(("{", "[")):
            lines.append(_mark_flow(key, text) + (f" #{comment}" if comment else ""))
        elif isinstance(yaml.safe_load(text), (bool, int, float)):
            lines.append(line)  # a setting, not a word
        else:
            lines.append(f"{key}: {_quoted(mark(str(yaml.safe_load(text))))}" + (f" #{comment}" if comment else ""))
    return "\n".join(lines) + "\n"


def _mark_flow(key: str, text: str) -> str:
    """A `name: {...}` or `name: [...]` line of a section, its texts marked to translate."""
    return f"{key}: {json.dumps(_placeholders(yaml.safe_load(text)), ensure_ascii=False)}"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def project_files(codes: list[str], words: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Every file of the new project, by its path in the project."""
    source = words[codes[0]]
    files = {
        "mkdocs.yml": settings_file(codes, words),
        f"source/sample-article.{codes[0]}.txt": "\n".join(source["source"]) + "\n",
        "content/facts.yaml": facts_file(codes, words),
        "content/claims.yaml": CLAIMS,
        "content/glossary.yaml": GLOSSARY,
        "content/corrections.yaml": CORRECTIONS,
        "content/speakers.yaml": speakers_file(codes, words),
        "content/units.yaml": units_file(codes, words),
        "charts/trips.py": chart_file(codes, words),
        ".gitignore": "site/\n.site.*\n.site-build.lock\n.cache/\n",
        "templates/README.md": TEMPLATES_README,
        "README.md": README,
    }
    for code in codes:
        if not engine_file(code).is_file():  # every word the engine would give, to translate
            files[f"content/ui/{code}.yaml"] = locale_placeholders(code)
        for page in NAV:
            entry = words[code]["pages"][page.removesuffix(".md")]
            front = f"---\ntitle: {_quoted(entry['title'])}\ndescription: {_quoted(entry['description'])}\n---\n\n"
            files[f"content/{code}/{page}"] = front + entry["body"]
    return files


def settings_file(codes: list[str], words: dict[str, dict[str, Any]]) -> str:
    first = words[codes[0]]
    lines = [
        "# This explainer's settings: MkDocs' own, and the engine's under `extra:`.",
        f"site_name: {_quoted(first['site_name'])}",
        f"site_description: {_quoted(first['site_description'])}",
        "# The public address, before publishing (share cards, hreflang, sitemaps need it).",
        'site_url: ""',
        f"docs_dir: content/{codes[0]}",
        "use_directory_urls: true",
        "strict: true",
        "plugins: []",
        "nav:",
        *(f"  - {page}" for page in NAV),
        "markdown_extensions:",
        "  - toc:",
        "      permalink: false",
        "  - attr_list",
        "  - tables",
        "extra:",
        "  # The source every figure must come from: here a sample we wrote; replace it with yours.",
        "  article:",
        f"    path: source/sample-article.{codes[0]}.txt",
        f"    last_line: {len(first['source'])}",
        '    url: ""',
        "    # who and what the source is: every chart's source line, the footer, downloads, citations",
        "    cite:",
        f"      author: {_per_language(codes, words, 'author')}",
        f"      title: {_quoted(first['cite']['title'])}",
        *([f"      translated_title: {_per_language(codes[1:], words, 'title')}"] if len(codes) > 1 else []),
        f"      publisher: {_per_language(codes, words, 'publisher')}",
        "  # The page with every figure's source.",
        "  sources_page: about.md",
        "  # The first language is the source's own, served at the site root; the others under /<code>/.",
        "  languages:",
    ]
    for code in codes:
        language = words[code]["language"]
        lines += [
            f"    {code}:",
            f"      name: {_quoted(language['name'])}",
            f"      html_lang: {_quoted(language['html_lang'])}",
            f"      site_name: {_quoted(words[code]['site_name'])}",
        ]
    return "\n".join(lines) + "\n"


def _per_language(codes: list[str], words: dict[str, dict[str, Any]], key: str) -> str:
    """A credit field in each language, as a YAML flow mapping: {zh: ..., en: ...}."""
    return "{" + ", ".join(f"{code}: {_quoted(words[code]['cite'][key])}" for code in codes) + "}"


def facts_file(codes: list[str], words: dict[str, dict[str, Any]]) -> str:
    lines = [
        "# Every figure the site states, with the sentence of the source that supports it",
        "# (the keys are explained in the engine's docs: docs/editing.md).",
    ]
    for fact_id, fact in FACTS.items():
        lines += [
            "",
            f"{fact_id}:",
            f"  value: {fact['value']}",
            f"  unit: {fact['unit']}",
            f"  period: {_quoted(fact['period'])}",
        ]
        if fact.get("qualifier"):
            lines.append(f"  qualifier: {fact['qualifier']}")
        lines.append("  label:")
        lines += [f"    {code}: {_quoted(words[code]['facts'][fact_id]['label'])}" for code in codes]
        lines.append(f"  quote: {_quoted(words[codes[0]]['facts'][fact_id]['quote'])}")
        if len(codes) > 1:
            lines.append("  translations:")
            lines += [f"    {code}: {_quoted(_translation(words, codes, code, fact_id))}" for code in codes[1:]]
        else:
            lines.append("  translations: {}  # our translation of the quote, per other language of the site")
        lines += [f"  speaker: {fact['speaker']}", f"  status: {fact['status']}"]
    return "\n".join(lines) + "\n"


def _translation(words: dict[str, dict[str, Any]], codes: list[str], code: str, fact_id: str) -> str:
    """A quote in another language: the sample's own sentence there, or a placeholder."""
    quote = words[code]["facts"][fact_id]["quote"]
    return quote if (SAMPLES / f"{code}.yaml").is_file() else mark(quote)


def speakers_file(codes: list[str], words: dict[str, dict[str, Any]]) -> str:
    lines = ["# Who says a fact, besides the engine's own `author` (the source's) and `explainer` (this site)."]
    for speaker_id in words[codes[0]]["speakers"]:
        lines += [f"{speaker_id}:", "  name:"]
        lines += [f"    {code}: {_quoted(words[code]['speakers'][speaker_id]['name'])}" for code in codes]
        lines.append("  aliases:")
        for code in codes:
            aliases = ", ".join(_quoted(alias) for alias in words[code]["speakers"][speaker_id].get("aliases", []))
            lines.append(f"    {code}: [{aliases}]")
    return "\n".join(lines) + "\n"


def units_file(codes: list[str], words: dict[str, dict[str, Any]]) -> str:
    lines = ["# This explainer's own units, beside the engine's (usd, share, people, count, year, date)."]
    for unit in words[codes[0]]["units"]:
        lines += [f"{unit}:", "  number: compact"]
        for code in codes:
            form = words[code]["units"][unit]
            if isinstance(form, dict):
                lines.append(f"  {code}: {{{', '.join(f'{k}: {_quoted(v)}' for k, v in form.items())}}}")
            else:
                lines.append(f"  {code}: {_quoted(form)}")
    return "\n".join(lines) + "\n"


def chart_file(codes: list[str], words: dict[str, dict[str, Any]]) -> str:
    text = {code: words[code]["chart"] for code in codes}
    table = json.dumps(text, ensure_ascii=False, indent=4)
    return CHART.replace("TEXT_TABLE", table)


CLAIMS = """\
# Statements without a number that the site relies on (a view, a denial, a forecast): each with
# its speaker, status, quote and our own sentence in every language. None yet.
{}
"""

GLOSSARY = """\
# Terms a newcomer needs, explained once in each language; pages say {{ term id }}. None yet.
{}
"""

CORRECTIONS = """\
# Corrections in the open: every change to a published figure, claim or chart, dated, with what
# changed and why in every language, and what it touched (ids checked by the build). Each one is
# listed on the corrections page, noted on the pages and under the charts it touched, in embeds,
# downloads and the feed. None yet; the format (docs/editing.md, "Correct a published figure"):
#
# - date: 2027-01-15
#   what:
#     <language>: The 2027 figure read 5 million; it now reads 50 million, as the source gives it.
#   why:
#     <language>: A digit was lost when the figure was copied.
#   touches:
#     facts: [a_fact_id]
#     pages: [index.md]
#     charts: [a_chart_id]
[]
"""

CHART = '''"""Trips on the city's public bicycles: last year's count, and the expectation for 2027."""

from __future__ import annotations

import altair as alt

from explainer.chartkit import kit, theme

TEXT = TEXT_TABLE
FACTS = ("trips_last_year", "trips_2027")
ROW = 44  # px a year takes: its name, then its bar
BAR = 18  # px: a bar's thickness


def chart(facts, lang: str, layout: kit.Layout) -> alt.LayerChart:
    """One bar a year, from zero; the expectation is hollow, and every bar is labelled with its
    figure and its hedge; a figure the source does not give is a labelled gap, never a bar."""
    text = TEXT[lang]
    rows = [
        kit.row(facts[f], lang, "count", what=text["names"][f], projected=f == "trips_2027") for f in FACTS
    ]
    for i, row in enumerate(rows):
        row["label"] = kit.gap_words(row, lang) if row["gap"] else facts[row["fact"]].hedged(lang, short=True)
        row.update(x=0, y=i * ROW, lines=[row["what"]], start=0, top=i * ROW + 20, bottom=i * ROW + 20 + BAR)
    bars, gaps = kit.split(rows)
    largest = max([r["value"] for r in bars] or [1])
    room = max([kit.text_width(r["label"], theme.TEXT_SIZE) + 12 for r in bars] or [0])  # the labels' width
    scale = alt.Scale(domain=[0, largest * layout.inner / max(layout.inner - room, layout.inner / 3)], zero=True)
    x = alt.X("start:Q", axis=None, scale=scale)
    fill = alt.condition("datum.projected", alt.value("transparent"), alt.value(theme.ACCENT))
    base = alt.Chart(kit.data(bars)).encode(tooltip=kit.tooltip(lang, "what", "display"))
    layers = alt.layer(
        kit.text(rows, lang),  # each year's name, above its bar
        base.mark_rect(stroke=theme.ACCENT, strokeWidth=2).encode(x=x, x2="value:Q", y=kit.pixels("top"), y2="bottom:Q", fill=fill),
        base.mark_text(align="left", baseline="middle", dx=6).encode(
            x=alt.X("value:Q", axis=None, scale=scale), y=alt.Y("middle:Q", axis=None, scale=None), text="label:N"
        ).transform_calculate(middle="datum.top + 9"),
        kit.text([{**r, "x": 0, "y": r["top"], "lines": [r["label"]]} for r in gaps], lang),
    ).resolve_scale(x="independent", y="independent")  # the names are placed in pixels, the bars by amount
    layers = layers.properties(width=layout.inner, height=len(rows) * ROW)
    say = {"last": rows[0]["display"], "next": rows[1]["display"]}
    return kit.finish(layers, layout, text["title"], text["subtitle"], text["description"].format(**say))
'''

TEMPLATES_README = """\
# This explainer's templates

Empty at first: the site uses the engine's theme (explainer/theme/ in the engine's package).
To change one template or asset for this explainer, copy it here under the same path (for
example partials/figure.html or assets/site.css) and edit the copy: a file here overrides the
engine's file of the same path, and every other file still comes from the engine.
"""

README = """\
# A new explainer

Made by `explainer new`: a small working data explainer in the languages asked for, built from a sample source
that we wrote and marked as a sample. Replace it with your own, and rewrite the pages.

- `source/`: the source every figure comes from (here the sample).
- `content/facts.yaml`: every figure, with the sentence of the source that states it.
- `content/<language>/`: the pages, written in each language in your own words.
- `content/corrections.yaml`: every change to a published figure or claim, dated, in every language.
- `charts/`: one module per chart (`chart(facts, lang, layout)`), drawn with Altair.
- `mkdocs.yml`: the settings.

    explainer build    # the site, into site/
    explainer serve    # a live preview on http://127.0.0.1:8000/
    explainer check    # every check a build runs; writes nothing
"""
