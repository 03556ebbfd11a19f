"""The built site, as a reader and a crawler get it: both languages, counterparts, charts, facts;
and this explainer's own content as its readers get it (its facts and claims from the article,
its figures as they always read, its credit), where the engine's own tests use small fixtures."""

from __future__ import annotations

import html as html_text
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from explainer.language.locales import load_locales
from explainer.load.claims import load_claims
from explainer.load.facts import load_facts
from explainer.load.settings import load_settings
from explainer.load.ui import load_ui
from explainer.write.credit import source_line
from tests.conftest import LANGS, PAGES, ROOT, article_checker, article_text, needs_article, page_path, real_quotes
from tests.data.dump_fact_displays import displays

OTHER = {"zh": "en", "en": "zh"}
HTML_LANG = {"zh": "zh-Hans", "en": "en"}


class Page(HTMLParser):
    """Collect what the tests look at: tags with attributes, and the visible text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def read(site: Path, lang: str, page: str) -> str:
    return page_path(site, lang, page).read_text(encoding="utf-8")


def url_of(lang: str, page: str) -> str:
    prefix = "/" if lang == "zh" else "/en/"
    return prefix if page == "index" else f"{prefix}{page}/"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_exists_in_its_language_without_relative_alternates(built_site, lang, page):
    parsed = Page(read(built_site, lang, page))
    assert parsed.find("html")[0]["lang"] == HTML_LANG[lang]
    # hreflang needs absolute URLs; a preview without site_url has none to give
    assert parsed.find("link", rel="alternate") == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", ["index", "loop"])
def test_with_a_site_url_every_page_names_its_counterparts_absolutely(published_site, lang, page):
    parsed = Page(read(published_site, lang, page))
    base = "https://ono.example/explainer"
    links = parsed.find("link", rel="alternate")
    alternates = {a["hreflang"]: a["href"] for a in links if a.get("hreflang")}
    # the one alternate without a language: the feed of the language's corrections
    assert [a["href"] for a in links if a.get("type") == "application/atom+xml"] == [
        base + url_of(lang, "index") + "feed.xml"
    ]
    assert alternates == {
        "zh-Hans": base + url_of("zh", page),
        "en": base + url_of("en", page),
        "x-default": base + url_of("zh", page),
    }
    sitemap = (published_site / ("" if lang == "zh" else lang) / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{base + url_of(lang, page)}</loc>" in sitemap


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_the_language_switch_leads_to_the_counterpart_page(built_site, lang, page):
    path = page_path(built_site, lang, page)
    links = Page(path.read_text(encoding="utf-8")).find("a", hreflang=HTML_LANG[OTHER[lang]])
    assert len(links) == 1
    target = (path.parent / links[0]["href"]).resolve() / "index.html"
    assert target == page_path(built_site, OTHER[lang], page).resolve()


@pytest.mark.parametrize(
    ("page", "zh", "en"),
    [
        (
            "loop",
            ["3000亿美元", "至多1000亿美元", "约2%", "文章未给出"],
            ["$300 billion", "up to $100 billion", "about 2%", "not in the article"],
        ),
        (
            "losses",
            ["50亿美元", "140亿美元", "2029年", "8000亿美元", "不到3%"],
            ["$5 billion", "$14 billion", "2029", "$800 billion", "less than 3%"],
        ),
        ("index", ["约14万亿美元", "3000亿美元"], ["about $14 trillion", "$300 billion"]),
    ],
)
def test_facts_are_rendered_in_each_languages_format(built_site, page, zh, en):
    for lang, expected in (("zh", zh), ("en", en)):
        text = " ".join(Page(read(built_site, lang, page)).text)
        for figure in expected:
            assert figure in text, (lang, page, figure)
    # no reference left unexpanded (BibTeX's {{Whole Name}} braces are not references)
    unexpanded = re.compile(r"\{\{\s*[a-z_]+(\s[^}]*)?\}\}")
    assert not unexpanded.search(read(built_site, "zh", page)) and not unexpanded.search(read(built_site, "en", page))


@pytest.mark.parametrize(
    ("page", "chart_ids"),
    [
        ("index", ["ono_loop", "openai_losses"]),
        ("loop", ["ono_loop", "nvidia_tranches"]),
        ("losses", ["openai_losses", "chatgpt_paying"]),
        ("bets", ["dollar_scale"]),
    ],
)
def test_charts_are_inline_svg_with_text_in_the_page_language(built_site, page, chart_ids):
    for lang, title in (
        ("zh", "甲骨文买英伟达的 GPU，英伟达投资 OpenAI"),
        ("en", "triangle as the author describes it"),
    ):
        html = read(built_site, lang, page)
        for chart_id in chart_ids:
            figure = re.search(rf'<div class="chart" id="chart-{chart_id}".*?</details>', html, re.DOTALL)
            assert figure, (lang, page, chart_id)
            assert "<svg" in figure.group(0) and "</svg>" in figure.group(0)
            assert 'data-spec="' in figure.group(0)
        if "ono_loop" in chart_ids:
            assert title in html


def test_the_interactive_spec_and_downloads_exist_for_every_chart(built_site):
    import json

    for folder in (built_site / "charts").iterdir():
        for lang in LANGS:
            assert (folder / f"{lang}.svg").read_text().startswith("<svg")
            assert "marks" in json.loads((folder / f"{lang}.vg.json").read_text())


def test_each_chart_lists_its_figures_with_their_quotes(built_site):
    html = read(built_site, "en", "loop")
    figure = re.search(r'<div class="chart" id="chart-ono_loop".*?</details>', html, re.DOTALL).group(0)
    assert "Oracle → Nvidia: GPU purchases" in figure
    # the English table gives our translation, marked as ours; the original is on the sources page
    assert "Oracle buys GPUs from Nvidia" in figure and "(our translation)" in figure
    assert 'href="../about/#fact-oracle_nvidia_gpu_spend"' in figure
    zh = re.search(r'<div class="chart" id="chart-ono_loop".*?</details>', read(built_site, "zh", "loop"), re.DOTALL)
    assert "甲骨文向英伟达购买 GPU 来搭建 AI 基础设施" in zh.group(0)


def test_the_sources_page_credits_the_article_and_lists_every_fact(built_site):
    for lang in LANGS:
        html = read(built_site, lang, "about")
        assert "https://www.huxiu.com/article/4787562.html" in html
        assert "何伊然" in html and "刘宇翔" in html
        assert html.count('<tr id="fact-') >= 30


def test_home_has_key_numbers_and_the_two_headline_charts(built_site):
    for lang in LANGS:
        html = read(built_site, lang, "index")
        assert 'class="keynumbers"' in html
        assert 'id="chart-ono_loop"' in html and 'id="chart-openai_losses"' in html


def test_every_page_loads_one_small_deferred_script_and_no_runtime(built_site):
    for lang in LANGS:
        for page in PAGES:
            scripts = Page(read(built_site, lang, page)).find("script")
            assert len(scripts) == 1 and "defer" in scripts[0], (lang, page)
            assert "/assets/site." in scripts[0]["src"] and "vega" not in scripts[0]["src"]


def test_search_index_has_every_section_in_its_language(built_site):
    import json

    for lang, folder, word in (("zh", built_site, "甲骨文"), ("en", built_site / "en", "Oracle")):
        index_file = folder / "search.json"
        entries = json.loads(index_file.read_text(encoding="utf-8"))
        html = read(built_site, lang, "loop")
        assert f'data-index="../{index_file.name}"' in html
        loop = [e for e in entries if e["u"].startswith("loop/")]
        assert len(loop) >= 4 and all("#" in e["u"] for e in loop[1:])
        assert any(word in e["x"] for e in loop)
        assert not any("<" in e["x"] for e in entries)


def test_nothing_points_off_the_site_except_plain_links(built_site):
    for path in built_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for tag, attrs in Page(html).tags:
            for name in ("src", "srcset", "data-vega", "data-spec"):
                assert not re.match(r"(https?:)?//", attrs.get(name, "")), (path, tag, attrs)
            if tag == "link":
                assert not re.match(r"(https?:)?//", attrs.get("href", "")) or attrs.get("rel") == "alternate"
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), f"inline event handler in {path}"
        assert "@import" not in html


def test_every_internal_link_and_anchor_resolves(built_site):
    ids: dict[Path, set[str]] = {}

    def ids_of(target: Path) -> set[str]:
        if target not in ids:
            ids[target] = {a["id"] for _, a in Page(target.read_text(encoding="utf-8")).tags if "id" in a}
        return ids[target]

    checked = 0
    for path in built_site.rglob("*.html"):
        for _, attrs in Page(path.read_text(encoding="utf-8")).tags:
            href = attrs.get("href", "")
            if not href or re.match(r"[a-z]+:", href):
                continue
            address, _, fragment = href.partition("#")
            base = built_site if address.startswith("/") else path.parent
            target = (base / address.lstrip("/")).resolve() if address else path
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), (path, href)
            if fragment and target.suffix == ".html":
                assert fragment in ids_of(target), (path, href)
            checked += 1
    assert checked > 500


# -- the editorial guards, on the real site (from test_guards.py, which builds the small fixture) --


def test_every_hedged_figure_on_the_real_site_carries_its_hedge(built_site):
    """Each figure with a hedged status shows the hedge in the sources table of both languages."""
    facts = load_facts(ROOT / "content/facts.yaml", ["zh", "en"], real_quotes())
    for lang, folder in (("zh", built_site), ("en", built_site / "en")):
        about = (folder / "about/index.html").read_text(encoding="utf-8")
        for fact in facts.values():
            row = about.split(f'<tr id="fact-{fact.id}">')[1].split("</tr>")[0]
            if fact.hedge(lang):
                assert fact.hedge(lang).replace("'", "&#39;") in row, (lang, fact.id)


def test_the_real_glossary_notes_work_without_javascript(built_site):
    html = (built_site / "en/loop/index.html").read_text(encoding="utf-8")
    assert '<sup class="note-ref"><a id="note-ref-gigawatt" href="#note-gigawatt"' in html
    note = html.split('<li id="note-gigawatt">')[1].split("</li>")[0]
    assert "A unit of power" in note and 'href="#note-ref-gigawatt"' in note
    glossary = (built_site / "glossary/index.html").read_text(encoding="utf-8")
    assert '<dt id="air_pocket">空中陷阱</dt>' in glossary


def test_the_real_dateline_is_on_home_and_about_in_both_languages(built_site):
    for folder, word in ((built_site, "未注明日期"), (built_site / "en", "undated")):
        for page in ("index.html", "about/index.html"):
            assert word in (folder / page).read_text(encoding="utf-8"), (folder, page)


def test_a_derived_figure_is_marked_and_shows_how(built_site):
    about = (built_site / "en/about/index.html").read_text(encoding="utf-8")
    row = about.split('<tr id="fact-bain_revenue_implied_2030">')[1].split("</tr>")[0]
    assert "$1.2 trillion (derived)" in row
    assert "Our arithmetic: $2 trillion − $800 billion" in row
    assert '<a href="#fact-bain_revenue_needed_2030">' in row
    zh = (built_site / "about/index.html").read_text(encoding="utf-8")
    assert "1.2万亿美元（推算）" in zh


def test_facts_file_entries_each_name_a_speaker_and_status():
    """Checked on the raw file, so a fact cannot fall back on a default attribution."""
    raw = yaml.safe_load((ROOT / "content/facts.yaml").read_text(encoding="utf-8"))
    for fact_id, entry in raw.items():
        if "derived" not in entry:
            assert {"speaker", "status", "translations"} <= set(entry), fact_id


@needs_article
def test_claim_texts_match_in_both_languages_by_construction():
    """The real claims file loads: every claim names its speaker and carries its hedge in both languages."""
    claims = load_claims(ROOT / "content/claims.yaml", ["zh", "en"], article_checker())
    assert len(claims) >= 20
    assert {claim.speaker for claim in claims.values()} >= {"author", "huang", "altman", "bloomberg", "zuckerberg"}
    article = article_text()
    for claim in claims.values():
        assert claim.quote in article and claim.translations["en"], claim.id


# -- the words moved out of the code: this site reads as before (from test_locales.py) --

BEFORE = Path(__file__).with_name("data") / "fact_displays.json"  # written by the old code

# What reads differently now, on purpose: (fact, language, form) -> (before, now, why).
ROUNDED = "the old English formatter rounded to 2 decimals; the article says 607.24亿美元, which is $60.724 billion"
INTENDED = {
    ("nvidia_free_cash_flow", "en", "display"): ("$60.72 billion", "$60.724 billion", ROUNDED),
    ("nvidia_free_cash_flow", "en", "hedged"): ("$60.72 billion", "$60.724 billion", ROUNDED),
    ("nvidia_free_cash_flow", "en", "short"): ("$60.72B", "$60.724B", ROUNDED),
    ("nvidia_free_cash_flow", "en", "hedged_short"): ("$60.72B", "$60.724B", ROUNDED),
}


RUMOUR = "the third editorial pass: a rumour the article passes on ('也有传闻称') is 'rumoured', not 'reported'"
NEW_CLAIM = "the third editorial pass: the loop page explains its missing piece and the demand-technology-product loop"
INTENDED_CLAIMS = {
    "chip_leasing_rumour": RUMOUR,
    "author_missing_piece": NEW_CLAIM,
    "author_demand_loop": NEW_CLAIM,
}


def test_every_fact_reads_as_before_but_for_the_listed_changes():
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    now = displays()  # as tests/data/dump_fact_displays.py wrote them before the words moved out of the code
    assert set(now["facts"]) == set(before["facts"])
    changed_claims = {
        claim_id
        for claim_id in set(now["claims"]) | set(before["claims"])
        if now["claims"].get(claim_id) != before["claims"].get(claim_id)
    }
    assert changed_claims == set(INTENDED_CLAIMS)
    assert now["claims"]["chip_leasing_rumour"]["zh"]["status"] == "传闻"
    changed = {
        (fact_id, lang, form): (before["facts"][fact_id][lang][form], text)
        for fact_id, languages in now["facts"].items()
        for lang, forms in languages.items()
        for form, text in forms.items()
        if text != before["facts"][fact_id][lang][form]
    }
    assert changed == {key: (old, new) for key, (old, new, _why) in INTENDED.items()}


def test_the_site_gives_only_its_own_words_and_overrides():
    """content/ui holds this site's own strings; the generic ones are the engine's, not copies."""
    engine = load_locales(None, ["zh", "en"])
    for code in ("zh", "en"):
        own = yaml.safe_load((ROOT / "content" / "ui" / f"{code}.yaml").read_text(encoding="utf-8"))
        same = sorted(key for key, text in own.items() if engine[code].ui.get(key) == text)
        assert not same, f"content/ui/{code}.yaml repeats the engine's words: {same}"


# -- the one credit, worded by this site (from test_credit.py, which tests the wording on the small fixture) --

FLAGSHIP = load_settings(ROOT / "mkdocs.yml")
FLAGSHIP_UI = load_ui(FLAGSHIP)
CREDIT = {code: source_line(FLAGSHIP, code, FLAGSHIP_UI[code]) for code in FLAGSHIP.codes}


def test_the_flagships_credit_reads_as_its_pages_always_did():
    cite = FLAGSHIP.article_cite
    assert CREDIT["zh"] == f"来源：{cite['author']['zh']}，《{cite['title']}》，{cite['publisher']['zh']}"
    assert CREDIT["en"] == (
        f"Source: {cite['author']['en']}, 《{cite['title']}》 (“{cite['translated_title']['en']}”, our translation), "
        f"{cite['publisher']['en']}"
    )


PAIRS = {")": "(", "）": "（", "》": "《", "〉": "〈", "]": "[", "】": "【", "”": "“"}  # not ’: an apostrophe too


def unbalanced(text: str) -> list[str]:
    """The brackets and quotation marks of a text that close nothing, or are never closed."""
    opened: list[str] = []
    stray = []
    for char in text:
        if char in PAIRS.values():
            opened.append(char)
        elif char in PAIRS:
            if opened and opened[-1] == PAIRS[char]:
                opened.pop()
            else:
                stray.append(char)
    return stray + opened


@pytest.mark.parametrize("code", FLAGSHIP.codes)
def test_the_source_line_closes_every_bracket_it_opens(code):
    """The credit under every chart (and in the footer, the downloads and the bundles) has no stray
    ')' nor an unclosed '(' in any language (the English line once ended in one)."""
    assert not unbalanced(CREDIT[code]), (code, CREDIT[code])


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_and_figure_prints_the_one_credit(built_site, lang):
    credit = CREDIT[lang]
    for page in ("index", "loop"):
        html = html_text.unescape(page_path(built_site, lang, page).read_text(encoding="utf-8"))
        footer = re.search(r'<footer class="colophon">.*?</footer>', html, re.DOTALL).group(0)
        assert f'<a href="{FLAGSHIP.article_url}" rel="noopener">{credit}</a>' in footer
        captions = re.findall(r'<span class="chart-source"><a [^>]*>(.*?)</a></span>', html)
        assert captions and set(captions) == {credit}, page
    bundle = zipfile.ZipFile(built_site / "charts" / "ono_loop" / f"{lang}.zip")
    assert f"\n\n{credit}\n<{FLAGSHIP.article_url}>\n\n" in bundle.read("README.md").decode("utf-8")


# -- the facts file: every quote from the article (from test_facts.py, which tests the loader on the small fixture) --


@needs_article
def test_the_real_facts_file_loads_and_every_quote_is_in_the_article():
    facts = load_facts(ROOT / "content" / "facts.yaml", ["zh", "en"], article_checker())
    assert len(facts) >= 30
    article = article_text()
    for fact in facts.values():
        assert fact.derived or fact.quote in article, fact.id


@needs_article
def test_every_fact_in_the_file_is_quoted_verbatim_from_the_article_lines_only():
    """Checked independently of the loader: the raw YAML against lines 1-131 of the capture."""
    raw = yaml.safe_load((ROOT / "content" / "facts.yaml").read_text(encoding="utf-8"))
    article = article_text()
    assert raw
    for fact_id, entry in raw.items():
        if "derived" in entry:  # computed from other facts, each quoted
            assert "quote" not in entry, fact_id
            continue
        assert entry["quote"] in article, fact_id


def test_no_page_shows_an_entity_as_text(built_site):
    """Text escaped twice shows its entity to the reader (“&ldquo;” in the contents list of a page
    whose heading has quotation marks). The embed code boxes are the exception: they show HTML."""
    for page in built_site.rglob("*.html"):
        shown = re.sub(r"<textarea\b.*?</textarea>", "", page.read_text(encoding="utf-8"), flags=re.S)
        twice = sorted(set(re.findall(r"&amp;#?\w+;", shown)))
        assert not twice, f"{page.relative_to(built_site)} shows {twice} as text"


def test_a_figure_the_article_does_not_give_is_credited_to_no_one(built_site):
    """The sources table's "who says it" for a gap row: nobody states a figure the article lacks
    (it read "the author, stated" next to "not in the article")."""
    for lang in LANGS:
        rows = re.findall(r'<tr id="fact-[^"]+">(.*?)</tr>', read(built_site, lang, "about"), flags=re.S)
        cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S) for row in rows]
        gaps = [row for row in cells if row[0] in ("文章未给出", "not in the article")]
        assert len(gaps) >= 3
        for value, who, *_ in gaps:
            assert re.sub(r"<[^>]+>", "", who) == "–" + value, who
