"""Bad input and faults, as a careless editor or an attacker would try them, one table row each.

For every row: exit status 1, exactly one message, naming the file (and the line where there is
one), no traceback, and the last good site/ byte-identical.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from explainer import cli
from tests.conftest import copy_code

Setup = Callable[[Path], None]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def page_edit(lang: str, new: str) -> Setup:
    """Put a line of Markdown into a page's body, after the line 'Loss: ...' (line 8)."""

    def setup(project: Path) -> None:
        page = project / "content" / lang / "index.md"
        text = page.read_text(encoding="utf-8")
        page.write_text(text + f"\n{new}\n", encoding="utf-8")

    return setup


def fact_edit(old: str, new: str) -> Setup:
    return lambda project: edit(project / "content/facts.yaml", old, new)


def config_edit(old: str, new: str) -> Setup:
    return lambda project: edit(project / "mkdocs.yml", old, new)


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, and the one message it must give (file:line: text).
    A case that edits code runs the project's own copy of build.py in a process of its own."""

    name: str
    setup: Setup
    message: str
    code: bool = False


CHART_PAGE = "{{ chart bad }}"


def bad_chart(body: str, timeout: int = 3) -> Setup:
    """Add charts/bad.py (its chart() body given) to a copy of the code, placed on both home pages,
    with a chart time limit of `timeout` CPU seconds."""

    def setup(project: Path) -> None:
        source = (
            '"""A chart that misbehaves."""\n\nimport altair as alt\n\n\n'
            "def chart(facts, lang, layout):\n" + textwrap.indent(textwrap.dedent(body), "    ")
        )
        (project / "charts" / "bad.py").write_text(source, encoding="utf-8")
        (project / "mkdocs.yml").write_text(
            (project / "mkdocs.yml")
            .read_text(encoding="utf-8")
            .replace("extra:\n", f"extra:\n  chart_timeout: {timeout}\n", 1),
            encoding="utf-8",
        )
        for lang in ("zh", "en"):
            page_edit(lang, CHART_PAGE)(project)

    return setup


ROWS = """\
fact = facts["ferry_loss_2025"]
rows = [{row}]
return alt.Chart(alt.Data(values=rows)).mark_bar().encode(x="value:Q").properties(description="A bar.")
"""


# Page bodies are 8 lines long: the appended line is line 10.
CASES = [
    # raw HTML and links in pages: the content policy (nh3)
    Case(
        "script from another host",
        page_edit("en", '<script src="https://evil.example/x.js"></script>'),
        "content/en/index.md:10: <script> is not allowed in a page; scripts, styles, iframes",
    ),
    Case(
        "inline script",
        page_edit("zh", "<script>alert(1)</script>"),
        "content/zh/index.md:10: <script> is not allowed in a page",
    ),
    Case(
        "iframe",
        page_edit("en", '<iframe src="https://evil.example/"></iframe>'),
        "content/en/index.md:10: <iframe> is not allowed in a page",
    ),
    Case(
        "image from another host",
        page_edit("en", '<img src="https://evil.example/t.png" alt="">'),
        'content/en/index.md:10: <img src="https://evil.example/t.png">: images, media and stylesheets must come from this site',
    ),
    Case(
        "protocol-relative image",
        page_edit("en", '<img src="//evil.example/t.png" alt="">'),
        'content/en/index.md:10: <img src="//evil.example/t.png">: images, media and stylesheets must come from this site',
    ),
    Case(
        "Markdown image from another host",
        page_edit("zh", "![x](https://evil.example/t.png)"),
        'content/zh/index.md:10: <img src="https://evil.example/t.png">: images, media and stylesheets must come from',
    ),
    Case(
        "onclick handler",
        page_edit("en", '<a href="#" onclick="alert(1)">x</a>'),
        "content/en/index.md:10: attribute 'onclick' on <a> is not allowed; event handlers are never allowed",
    ),
    Case(
        "slash-separated onerror",
        page_edit("en", "<img/src=x onerror=alert(1)>"),
        "content/en/index.md:10: attribute 'onerror' on <img> is not allowed",
    ),
    Case(
        "javascript: link in HTML",
        page_edit("en", '<a href="JavaScript:alert(1)">x</a>'),
        'content/en/index.md:10: <a href="JavaScript:alert(1)">: addresses may be relative or use http:, https:, mailto:',
    ),
    Case(
        "javascript: link in Markdown",
        page_edit("zh", "[x](javascript:void)"),
        'content/zh/index.md:10: <a href="javascript:void">: addresses may be relative or use',
    ),
    Case(
        "data: URL",
        page_edit("en", '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>'),
        'content/en/index.md:10: <a href="data:text/html;base64,PHNjcmlwdD4=">: addresses may be relative or use '
        "http:, https:, mailto: (no javascript: or data: URLs)",
    ),
    Case(
        "style with url()",
        page_edit("en", '<span style="background:url(https://evil.example/t.png)">x</span>'),
        "content/en/index.md:10: attribute 'style' on <span> is not allowed",
    ),
    Case(
        "object",
        page_edit("en", '<object data="x.swf"></object>'),
        "content/en/index.md:10: <object> is not allowed in a page",
    ),
    Case(
        "stylesheet from another host",
        page_edit("en", '<link rel="stylesheet" href="https://evil.example/x.css">'),
        "content/en/index.md:10: <link> is not allowed in a page",
    ),
    Case(
        "event handler through attr_list",
        page_edit("en", '## Title {: onmouseover="alert(1)" }'),
        "content/en/index.md:10: attribute 'onmouseover' on <span> is not allowed",
    ),
    Case(
        "form",
        page_edit("zh", '<form action="https://evil.example/"></form>'),
        "content/zh/index.md:10: <form> is not allowed in a page",
    ),
    # every field validated where it loads
    Case(
        "a value of .nan",
        fact_edit("value: 14000000000", "value: .nan"),
        "content/facts.yaml:11: facts[ferry_loss_2026].value: expected a finite number, got nan (.nan or .inf)",
    ),
    Case(
        "a value of .inf",
        fact_edit("value: 14000000000", "value: -.inf"),
        "content/facts.yaml:11: facts[ferry_loss_2026].value: expected a finite number, got -inf",
    ),
    Case(
        "a range reaching .inf",
        fact_edit("value: 14000000000", "value: [1, .inf]"),
        "content/facts.yaml:11: facts[ferry_loss_2026].value: expected a range [low, high] of two numbers",
    ),
    Case(
        "a display that is a number",
        fact_edit('  period: "2026"\n', '  period: "2026"\n  display: {zh: 140亿美元, en: 14}\n'),
        "content/facts.yaml:14: facts[ferry_loss_2026].display.en: expected text, got 14; write it in quotes",
    ),
    Case(
        "a display that is a list",
        fact_edit('  period: "2026"\n', '  period: "2026"\n  display: [a, b]\n'),
        "content/facts.yaml:14: facts[ferry_loss_2026].display: expected one text per language (zh, en)",
    ),
    Case(
        "a display in an unknown language",
        fact_edit('  period: "2026"\n', '  period: "2026"\n  display: {fr: 14 milliards}\n'),
        "content/facts.yaml:14: facts[ferry_loss_2026].display.fr: unknown language 'fr'; the site's languages are zh, en",
    ),
    Case(
        "a label that is a number",
        fact_edit("  label: {zh: LakeFerry 2026年预计亏损, en: LakeFerry's expected loss in 2026}", "  label: 2026"),
        "content/facts.yaml:14: facts[ferry_loss_2026].label: expected one text per language (zh, en)",
    ),
    Case(
        "a qualifier that is a list",
        fact_edit('  period: "2025"\n', '  period: "2025"\n  qualifier: [expected]\n'),
        "content/facts.yaml:5: facts[ferry_loss_2025].qualifier: unknown qualifier ['expected']; use one of",
    ),
    Case(
        "a period that is a mapping",
        fact_edit('  period: "2026"', "  period: {from: 2026}"),
        "content/facts.yaml:13: facts[ferry_loss_2026].period: expected the period as text",
    ),
    Case(
        "YAML aliases that expand without end",
        lambda project: (project / "content/facts.yaml").write_text(
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)),
            encoding="utf-8",
        ),
        "content/facts.yaml:3: more than 12 YAML aliases (*name); write the values out",
    ),
    Case(
        # one alias, but inside the value it names: every walk over it recursed (RecursionError)
        "an alias inside the value it names",
        lambda project: (project / "content/facts.yaml").write_text("a: &a [1, *a]\n", encoding="utf-8"),
        "content/facts.yaml:1: the alias *a is inside the value &a names, which would hold itself; write the value out",
    ),
    Case(
        "a page without a description",
        lambda project: edit(project / "content/en/about.md", "description: About.\n", ""),
        "content/en/about.md:2: front matter needs `description: ...` (one sentence for search results",
    ),
    Case(
        # MkDocs' own `template:` chose a theme file for the page: not found, it was an error naming
        # the theme folder, not the page; a typo such as `publihsed:` was ignored without a word
        "a front matter key the engine does not read",
        lambda project: edit(project / "content/en/about.md", "title: About\n", "title: About\ntemplate: ../x.html\n"),
        "content/en/about.md:3: front matter: unknown key 'template'; known keys: title, description, standfirst, "
        "published",
    ),
    Case(
        "a page whose title YAML reads as a number",
        lambda project: edit(project / "content/en/about.md", "title: About", "title: 2026"),
        'content/en/about.md:2: front matter `title:` must be text; write it in quotes (`title: "..."`)',
    ),
    Case(
        "a page with an empty title",
        lambda project: edit(project / "content/zh/about.md", "title: 关于", "title: ''"),
        "content/zh/about.md:2: front matter needs `title: ...` (the page's name in the navigation)",
    ),
    Case(
        "a page that is too big",
        lambda project: (project / "content/en/about.md").write_text(
            "---\ntitle: About\ndescription: About.\n---\n" + "x" * 2_100_000, encoding="utf-8"
        ),
        "content/en/about.md: is 2,100,041 bytes, over the 2,000,000-byte limit for an input file",
    ),
    Case(
        "facts.yaml that is not UTF-8",
        lambda project: (project / "content/facts.yaml").write_bytes(
            (project / "content/facts.yaml").read_bytes().replace("预计".encode(), "预计".encode("gb18030"), 1)
        ),
        "content/facts.yaml:5: not UTF-8 text (byte",
    ),
    # characters no page, feed or SVG can hold: a NUL in a file, or a control written as an escape
    Case(
        "a NUL byte in facts.yaml",
        fact_edit("en: LakeFerry's expected", "en: LakeFerry's\x00 expected"),
        "content/facts.yaml:5: column 51 has U+0000 (a control character), which no text file may hold; remove it",
    ),
    Case(
        "a control character written as an escape in a fact's label",
        fact_edit("en: LakeFerry's expected loss in 2025}", 'en: "LakeFerry\\x1b expected loss in 2025"}'),
        "content/facts.yaml:5: 'ferry_loss_2025.label.en': U+001B (a control character) at position 10, written as an "
        "escape; remove it",
    ),
    Case(
        "U+FFFF written as an escape in a page's front matter",
        lambda project: edit(project / "content/en/about.md", "title: About", 'title: "About \\uffff"'),
        "content/en/about.md:2: 'title': U+FFFF (not a character) at position 7, written as an escape; remove it",
    ),
    # a reference prints a link (a figure, a claim, a note): inside a link's text it made <a> in <a>
    Case(
        "a figure inside a Markdown link's text",
        page_edit("en", "See [the loss, {{ fact ferry_loss_2025 }}](https://source.example/lakeferry)."),
        "content/en/index.md:10: '{{ fact ... }}' would put a link inside a link's text (no browser keeps both); "
        "move it out of the link's text",
    ),
    Case(
        "a figure inside an HTML link's text",
        page_edit("zh", '见<a href="https://source.example/">{{ fact ferry_loss_2025 }}</a>。'),
        "content/zh/index.md:10: '{{ fact ... }}' would put a link inside a link's text",
    ),
    Case(
        # #chart-<id> and the SVG's clip ids were each on the page twice (invalid HTML, the wrong clip)
        "a chart placed twice on a page",
        page_edit("en", "{{ chart ferry_losses }}\n\nAgain:\n\n{{ chart ferry_losses }}"),
        "content/en/index.md:14: chart 'ferry_losses' is placed already at line 10; a chart appears once a page",
    ),
    Case(
        "a control character in a page's text",
        page_edit("en", "Bell \x07 here."),
        "content/en/index.md:10: column 6 has U+0007 (a control character), which no text file may hold; remove it",
    ),
    Case(
        # it lands in every page's lang and hreflang and the feed's xml:lang, escaped but no language
        "a page language that is no language tag",
        config_edit("html_lang: en", 'html_lang: "en\\" onload=\\"x"'),
        "mkdocs.yml:{html_lang+4}: extra.languages.en.html_lang: 'en\" onload=\"x' is not a language tag (BCP 47) "
        "such as en, zh-Hans or pt-BR",
    ),
    Case(
        # str.strip() keeps a zero-width space: the word was 'there' and matched nothing
        "a glossary word that is a zero-width space",
        lambda project: (project / "content/glossary.yaml").write_text(
            'loss:\n  zh: {word: 亏损, note: 花的比挣的多。}\n  en: {word: "\\u200b", note: Spending more than earning.}\n',
            encoding="utf-8",
        ),
        "content/glossary.yaml:3: glossary[loss].en: needs `word:` and `note:`",
    ),
    Case(
        # the site's languages only, as facts and corrections: a typo was never shown, without a word
        "a glossary entry in a language the site does not have",
        lambda project: (project / "content/glossary.yaml").write_text(
            "loss:\n  zh: {word: 亏损, note: 花的比挣的多。}\n  en: {word: loss, note: Spending more than earning.}\n"
            "  eng: {word: loss, note: A typo.}\n",
            encoding="utf-8",
        ),
        "content/glossary.yaml:4: glossary[loss]: unknown language 'eng'; the site's languages are zh, en",
    ),
    Case(
        # linked from every chart's credit and the downloads: the pages' own links may be no such thing
        "a source address that is a javascript: URL",
        config_edit("url: https://source.example/lakeferry", 'url: "javascript:alert(1)"'),
        "mkdocs.yml:{url}: extra.article.url: expected the source's web address (https://... or http://...), "
        "got 'javascript:alert(1)'",
    ),
    Case(
        "a licence that is a list",  # was a traceback writing the bundles' README
        config_edit('en: "Charts and data tables: CC BY 4.0 (a test fixture)."', "en: [a]"),
        "mkdocs.yml:{license+2}: extra.license.en: expected text, got ['a']",
    ),
    Case(
        "a nav entry with a title",
        config_edit("  - about.md\n", "  - About: about.md\n"),
        "mkdocs.yml:{nav+2}: nav: {'About': 'about.md'} is not a page; write the file name",
    ),
    Case(
        "a nav entry leading out of the content",
        config_edit("  - about.md\n", "  - ../../etc/passwd.md\n"),
        "mkdocs.yml:{nav+2}: nav: '../../etc/passwd.md' is not a page",
    ),
    Case(
        "a nav entry listed twice",
        config_edit("  - about.md\n", "  - about.md\n  - index.md\n"),
        "mkdocs.yml:{nav+3}: nav: 'index.md' is listed twice; keep one",
    ),
    Case(
        "a sources page that is not in the nav",
        config_edit("sources_page: about.md", "sources_page: sources.md"),
        "mkdocs.yml:{sources_page}: extra.sources_page: 'sources.md' is not a page of the nav; name the page with "
        "the fact table, e.g. `sources_page: about.md`",
    ),
    Case(
        "a credit without the author's name in the article's language",
        config_edit("author: {zh: 样例作者, en: A. Sample}", "author: {en: A. Sample}"),
        "mkdocs.yml:{author}: extra.article.cite.author: give it in the article's language too: `zh: ...`",
    ),
    Case(
        "a name split for citations without its comma",
        config_edit(
            "author: {zh: 样例作者, en: A. Sample}",
            "author: {zh: 样例作者, en: A. Sample}\n      author_cited: {en: Sample A.}",
        ),
        "mkdocs.yml:{author+1}: extra.article.cite.author_cited.en: expected 'Family, Given' (one comma), got 'Sample A.'",
    ),
    Case(
        "a credit whose publisher is a list",
        config_edit("publisher: {zh: 样例出版社, en: Sample Press}", "publisher: [a, b]"),
        "mkdocs.yml:{publisher}: extra.article.cite.publisher: expected text, or text per language "
        "({zh: ..., ...}), got ['a', 'b']",
    ),
    Case(
        "a credit's wording naming a field it cannot have",
        lambda project: edit(project / "content/ui/en.yaml", "Source: {author}", "Source: {auther}"),
        "content/ui/en.yaml:7: 'source_line': unknown field {auther}; it can name {author}, {title}, "
        "{translated_title}, {publisher}",
    ),
    # every interface string the engine fills in, not only the credit's: each was a traceback
    # (KeyError, IndexError) when the corrections were written, or printed Python's insides
    Case(
        "a correction's wording naming a field the engine does not give",
        lambda project: edit(
            project / "content/ui/en.yaml", "original:", 'correction_line: "Fixed {day}: {what}"\noriginal:'
        ),
        "content/ui/en.yaml:5: 'correction_line': unknown field {day}; it can name {date}, {what}",
    ),
    Case(
        "an interface string reaching into a value's attributes",
        lambda project: edit(
            project / "content/ui/en.yaml", "original:", 'correction_see: "See {address.__class__}"\noriginal:'
        ),
        "content/ui/en.yaml:5: 'correction_see': unknown field {address.__class__}; it can name {address}",
    ),
    Case(
        "a credit's wording with a lone brace",
        lambda project: edit(project / "content/ui/zh.yaml", "original:", 'source_line: "来源：{publisher"\noriginal:'),
        "content/ui/zh.yaml:5: 'source_line': expected '}' before end of string; write {{ or }} for a brace itself",
    ),
    Case(
        "an MkDocs option of the wrong type",
        config_edit("use_directory_urls: true", "use_directory_urls: sometimes"),
        "mkdocs.yml:{use_directory_urls}: use_directory_urls: Expected type: <class 'bool'> but received: <class 'str'>",
    ),
    Case(
        "an unknown MkDocs option",
        config_edit("strict: true", "strict: true\nsitename: typo"),
        "mkdocs.yml:{strict+1}: sitename: Unrecognised configuration name: sitename",
    ),
    Case(
        "a language that is not a mapping",
        lambda project: edit(
            project / "mkdocs.yml",
            "    en:\n      name: English\n      html_lang: en\n",
            "    en: English\n    xx:\n      name: X\n      html_lang: en\n",
        ),
        "mkdocs.yml:{languages+5}: extra.languages.en: expected a mapping (`key: value` lines), got 'English'",
    ),
    Case(
        "the article's last line as text",
        config_edit("last_line: 13", "last_line: all"),
        "mkdocs.yml:{last_line}: extra.article.last_line: expected a whole number, got 'all'",
    ),
    Case(
        "a site_url that is a list",
        config_edit('site_url: ""', "site_url: [a, b]"),
        "mkdocs.yml:{site_url}: site_url: expected text, got ['a', 'b']",
    ),
    # templates
    Case(
        "a template with a syntax error",
        lambda project: edit(project / "templates/main.html", "{% block content %}", "{% block content %"),
        "templates/main.html:4: expected token 'end of statement block', got '%'; fix the template's syntax",
    ),
    Case(
        "a template naming an unknown variable",
        lambda project: edit(
            project / "templates/main.html", "{% block content %}", "{% block content %}{{ pgae.title }}"
        ),
        "templates/main.html:4: 'pgae' is undefined; fix the template",
    ),
    Case(
        "a partial with an unknown filter",
        lambda project: edit(
            project / "templates/partials/fact.html", "{{ fact.display(lang) }}", "{{ fact.display(lang) | shout }}"
        ),
        "templates/partials/fact.html:3: No filter named 'shout'; fix the template's syntax",
    ),
    Case(
        "a template including a missing partial",
        lambda project: edit(
            project / "templates/main.html",
            "{% block content %}",
            '{% block content %}{% include "partials/nope.html" %}',
        ),
        "templates: template not found: partials/nope.html; create it or fix the name",
    ),
    # charts that misbehave (each in its own copy of the code)
    Case(
        "a chart that never returns",
        # a limit of 1 s: each language's worker spins that long before it is stopped
        bad_chart("while True: pass  # one line: the stack names it wherever the loop is stopped\n", timeout=1),
        "charts/bad.py:7: did not finish in 1 s (rendering it in '",  # whichever language's render is cut off first
        code=True,
    ),
    Case(
        "a chart that plots a hedged figure without its hedge",
        bad_chart(ROWS.format(row='{"fact": fact.id, "name": "loss", "value": 5, "label": fact.hedged("en")}')),
        "charts/bad.py: plots without their hedges in zh: ferry_loss_2025 (50亿美元（预计）); "
        "label them with fact.hedged(lang)",
        code=True,
    ),
    Case(
        "a chart whose rows lack a value",
        bad_chart(ROWS.format(row='{"fact": fact.id, "name": "loss"}')),
        "charts/bad.py:8: a plotted row lacks 'value' (row with fact 'ferry_loss_2025'); every row that plots",
        code=True,
    ),
    Case(
        "a chart whose rows name an unknown fact",
        bad_chart(ROWS.format(row='{"fact": "ferry_loss_2099", "name": "loss", "value": 1}')),
        "charts/bad.py:8: a plotted row names an unknown fact 'ferry_loss_2099'; use an id from content/facts.yaml",
        code=True,
    ),
    Case(
        "a chart that reads an unknown fact",
        bad_chart('return facts["ferry_los_2025"]\n'),
        "charts/bad.py:7: unknown fact 'ferry_los_2025'; did you mean 'ferry_loss_2025'?",
        code=True,
    ),
    Case(
        "a chart that calls sys.exit",
        bad_chart("raise SystemExit(3)\n"),
        "charts/bad.py:7: the chart stopped the renderer (SystemExit: 3)",
        code=True,
    ),
    Case(
        "a syntax error in a helper of the project's charts",  # every chart that imports it, said once
        lambda project: (
            bad_chart("from . import _style\nreturn alt.Chart().mark_point()\n")(project),
            edit(project / "charts/_style.py", '"""', 'def broken(:\n"""'),
        ),
        "charts/_style.py:1: the chart module cannot be imported (SyntaxError: invalid syntax)",
        code=True,
    ),
    Case(
        "a chart with a property Altair does not know",  # found at its line, though drawn without checks first
        bad_chart(
            'bar = alt.Chart(alt.Data(values=[{"value": 1}]))\n'
            'bar = bar.mark_bar(colour="red") if lang == "en" else bar.mark_bar()\n'
            'return bar.properties(description="A bar.")\n'
        ),
        "charts/bad.py:8: the chart failed in 'en' (SchemaValidationError: `MarkDef` has no parameter named 'colour')",
        code=True,
    ),
    # files that are not what they seem
    Case(
        "a dangling symlink among the pages",
        lambda project: (project / "content/en/gone.md").symlink_to(project / "nowhere.md"),
        "content/en/gone.md: is a symlink to a file that does not exist",
    ),
    Case(
        "a symlink loop among the pages",
        lambda project: (project / "content/zh/loop.md").symlink_to(project / "content/zh/loop.md"),
        "content/zh/loop.md: is a symlink loop; replace it with the file itself",
    ),
    Case(
        "a symlink to a file outside the project",
        lambda project: (project / "content/en/secret.txt").symlink_to("/etc/hostname"),
        "content/en/secret.txt: is a symlink to /etc/hostname, outside the project",
    ),
]


def expected_message(message: str, project: Path) -> str:
    """Fill in `{key}` / `{key+n}` with the line of that key in the (edited) mkdocs.yml."""
    lines = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()

    def line_of(match: re.Match) -> str:
        key, offset = match.group(1), int(match.group(2) or 0)
        number = next(i for i, text in enumerate(lines, 1) if text.strip().startswith(f"{key}:"))
        return str(number + offset)

    return re.sub(r"\{(\w+)(?:\+(\d+))?\}", line_of, message) if message.startswith("mkdocs.yml") else message


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def last_good() -> dict[str, bytes]:
    """The small project's good site, built by the first case and laid down for the others."""
    return {}


def good_site(project: Path, last_good: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> Path:
    """Give the project its last good site/ (built once per module, then copied)."""
    site = project / "site"
    if not last_good:
        code = cli.main(["--config", str(project / "mkdocs.yml"), "--site-dir", str(site), "-q"])
        assert code == 0, capsys.readouterr().err
        last_good.update(snapshot(site))
    else:
        for name, data in last_good.items():
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_bytes(data)
    capsys.readouterr()
    return site


def problem_lines(err: str) -> list[str]:
    """The located messages of a failed build (not the header or the closing totals)."""
    lines = [line.removeprefix("error: ") for line in err.splitlines()]
    return [line for line in lines if line and not line.startswith(("Aborted:", "The previous site"))]


@pytest.mark.parametrize(
    "case",
    # a broken chart is built in a fresh process with its chart workers: `make test`, not `make check`
    [pytest.param(case, id=case.name, marks=[pytest.mark.slow] if case.code else []) for case in CASES],
)
def test_bad_input_is_one_located_message_and_the_site_is_kept(project, capsys, last_good, case):
    site = good_site(project, last_good, capsys)
    config = ["--config", str(project / "mkdocs.yml"), "--site-dir", str(site), "-q"]
    before = snapshot(site)
    if case.code:
        script = copy_code(project)
        case.setup(project)
        result = subprocess.run([sys.executable, str(script), *config], capture_output=True, text=True, timeout=300)
        code, err = result.returncode, result.stderr
    else:
        case.setup(project)
        code = cli.main(config)
        err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err
    assert expected_message(case.message, project) in err
    lines = problem_lines(err)
    assert len(lines) == 1, lines
    assert snapshot(site) == before, "a failed build changed site/"
    assert not list(project.glob(".site.*")), "a failed build left its staging folder behind"


def test_allowed_html_links_to_other_sites_and_code_samples_build(project, capsys):
    """The policy refuses what is dangerous, not what an editor needs: these all publish."""
    page_edit(
        "en",
        '<abbr title="LakeFerry Financial Documents">LFD</abbr> <a href="https://source.example/">Sample Press</a> '
        "[mail](mailto:editor@example.org) <sup>1</sup>\n\n"
        '`<script>` in a code span\n\n```html\n<script src="https://x.example/"></script>\n```\n\n'
        "## Heading {: #own-id .note }\n\n<https://source.example/lakeferry>",
    )(project)
    page_edit("zh", "## 小节\n")(project)  # the same sections in both languages (the parity guard)
    code = cli.main(["--config", str(project / "mkdocs.yml"), "--site-dir", str(project / "site"), "-q"])
    assert code == 0, capsys.readouterr().err
    html = (project / "site/en/index.html").read_text(encoding="utf-8")
    assert '<abbr title="LakeFerry Financial Documents">LFD</abbr>' in html
    assert "&lt;script&gt;" in html and '<script src="https://x.example/' not in html
    assert 'id="own-id"' in html
