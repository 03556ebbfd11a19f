"""Languages are data: every fact reads as it did before the words moved out of the code, a
language the engine ships (ja) needs no code, and a missing word is a located problem."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from explainer.core.errors import ContentError
from explainer.language.locales import engine_codes, load_locales
from explainer.language.words import load_words
from explainer.load.facts import load_facts
from tests.conftest import ROOT, small_source

# -- a third language ----------------------------------------------------------------

QUOTE = "财务文件显示,LakeFerry 在2025年预计亏损50亿美元"  # in the small invented source: its lock vouches for it
JA_FACTS = f"""\
ferry_loss_2025:
  value: 5000000000
  unit: usd
  period: "2025"
  label: {{zh: 亏损, en: Loss, ja: 損失}}
  quote: "{QUOTE}"
  translations: {{en: "LakeFerry expects to lose $5 billion in 2025", ja: "LakeFerryは2025年に50億ドルの損失を見込む"}}
  speaker: ferry_documents
  status: expected
harbour_gain:
  value: 14000000000000
  unit: usd
  qualifier: about
  period: "2025"
  label: {{zh: 增长, en: Gain, ja: 増加}}
  quote: "港口的总价值将达到约14万亿美元"
  translations: {{en: "the port will be worth about $14 trillion", ja: "港の価値は約14兆ドルに達する"}}
  speaker: gao_feng
  status: forecast
cranes:
  value: [4000000, 5000000]
  unit: cranes
  period: "2025"
  label: {{zh: 吊车, en: Cranes, ja: クレーン}}
  quote: "港务局计划添置400万到500万台吊车"
  translations: {{en: "the port plans to add 4 to 5 million cranes", ja: "港は400万～500万基のクレーンを加える"}}
  speaker: author
  status: stated
"""
JA_SPEAKERS = """\
ferry_documents:
  name: {zh: LakeFerry 财务文件, en: LakeFerry's financial documents, ja: LakeFerryの財務資料}
gao_feng:
  name: {zh: 高峰, en: Gao Feng, ja: ガオ・フォン}
"""
JA_UNITS = """\
cranes:
  number: compact
  zh: "{amount}台"
  en: "{amount} cranes"
  ja: "{amount}基"
"""


def ja_project(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    (content / "facts.yaml").write_text(JA_FACTS, encoding="utf-8")
    (content / "speakers.yaml").write_text(JA_SPEAKERS, encoding="utf-8")
    (content / "units.yaml").write_text(JA_UNITS, encoding="utf-8")
    return content


def test_a_japanese_site_says_its_figures_with_oku_and_cho_and_no_english(tmp_path):
    content = ja_project(tmp_path)
    facts = load_facts(content / "facts.yaml", ["zh", "en", "ja"], small_source())
    loss, gain, gpus = facts["ferry_loss_2025"], facts["harbour_gain"], facts["cranes"]
    assert loss.hedged("ja") == "50億ドル（見込み）"
    assert gain.hedged("ja") == "約14兆ドル（ガオ・フォンの予測）"
    assert gpus.display("ja") == "400万～500万基"
    assert loss.translation("ja").startswith("LakeFerryは")
    for fact in facts.values():
        for text in (fact.hedged("ja"), fact.hedged("ja", short=True), fact.speaker_name("ja"), fact.status_name("ja")):
            assert not re.search(r"[A-Za-z]", text.replace("LakeFerry", "")), text
    # the other languages are as before
    assert (loss.hedged("zh"), gain.hedged("en")) == (
        "50亿美元（预计）",
        "about $14 trillion (Gao Feng's forecast)",
    )


def test_the_engines_languages_have_every_key_and_japanese_no_english_interface_string():
    assert {"zh", "en", "ja"} <= set(engine_codes())
    locales = load_locales(None, engine_codes())  # raises if a file lacks a key the reference has
    assert set(locales["ja"].ui) == set(locales["en"].ui) == set(locales["zh"].ui)
    technical = ("BibTeX", "iframe", "metadata.json")
    for key, text in locales["ja"].ui.items():
        for word in technical:
            text = text.replace(word, "")
        text = re.sub(r"\{\w+\}", "", text)  # the names a pattern fills in: {text}, {csv}
        assert not re.search(r"[A-Za-z]{2,}", text), (key, text)


# -- a missing word ---------------------------------------------------------------------


def test_a_language_without_engine_words_reports_each_missing_key_at_its_file(tmp_path, monkeypatch):
    """Korean: the engine has no file, so the project's must give every key; each missing one is
    a problem at content/ui/ko.yaml, never a KeyError."""
    monkeypatch.chdir(tmp_path)
    content = ja_project(tmp_path)
    (content / "ui").mkdir()
    english = (ROOT / "explainer" / "language" / "locales" / "en.yaml").read_text(encoding="utf-8")
    korean = english.replace("search: Search\n", "").replace("  guess: {name: guess", "  guesss: {name: guess")
    (content / "ui" / "ko.yaml").write_text(korean, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_words(content, ["zh", "ko"])
    found = [str(p) for p in caught.value.problems]
    statuses = korean.splitlines().index("statuses:") + 1
    line = next(i for i, text in enumerate(korean.splitlines(), 1) if text.startswith("  guesss:"))
    hint = "(the engine has no words for 'ko': give every key of "
    assert found[0].startswith("content/ui/ko.yaml: missing translation 'search'; add `search: ...` " + hint)
    assert found[1].startswith(f"content/ui/ko.yaml:{statuses}: missing 'statuses.guess'; add `guess: ...` under")
    assert found[2].startswith(f"content/ui/ko.yaml:{line}: statuses.guesss: unknown status; the statuses are")
    assert len(found) == 3
    # with every key, the language works: the engine's code needs nothing for it
    (content / "ui" / "ko.yaml").write_text(english.replace("babel: en_US", "babel: ko_KR"), encoding="utf-8")
    (content / "speakers.yaml").unlink()
    (content / "units.yaml").unlink()
    words = load_words(content, ["zh", "ko"])
    assert words.locale("ko").babel == "ko_KR" and words.locale("ko").ui["search"] == "Search"


def test_a_project_overrides_one_engine_word_and_keeps_the_rest(tmp_path):
    content = ja_project(tmp_path)
    (content / "ui").mkdir()
    (content / "ui" / "en.yaml").write_text(
        textwrap.dedent(
            """\
            not_in_article: not in the source
            statuses:
              expected: {tag: projected}
            """
        ),
        encoding="utf-8",
    )
    words = load_words(content, ["zh", "en", "ja"])
    en = words.locale("en")
    assert en.not_in_article == "not in the source" and en.ui["search"] == "Search"
    assert (en.statuses["expected"].tag, en.statuses["expected"].name) == ("projected", "expected")


def test_a_bad_speakers_or_units_file_is_located(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    content = ja_project(tmp_path)
    (content / "speakers.yaml").write_text("gao_feng:\n  name: {zh: 高峰}\n  role: ceo\n", encoding="utf-8")
    (content / "units.yaml").write_text('gw:\n  number: plain\n  zh: "{amount}吉瓦"\n  en: "GW"\n', encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_words(content, ["zh", "en"])
    assert [str(p) for p in caught.value.problems] == [
        "content/units.yaml:4: units[gw].en: expected a pattern with {amount}, e.g. '{amount} GW'",
        "content/speakers.yaml:3: speakers[gao_feng].role: unknown key 'role'; known keys: name, aliases",
        "content/speakers.yaml:2: speakers[gao_feng].name: missing the 'en' name; add `en: ...`",
    ]


def test_the_engine_has_no_branch_on_a_language_code():
    """Behaviour comes from the locale files: no `lang == "zh"` left in the engine's code."""
    branch = re.compile(r"""(lang|code)\w*\s*[!=]=\s*["'][a-z]{2}["']|["'][a-z]{2}["']\s*[!=]=\s*\w*(lang|code)""")
    for path in sorted((ROOT / "explainer").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not branch.search(line), f"{path.relative_to(ROOT)}:{number}: {line.strip()}"


# -- quotes in the page's language ------------------------------------------------------


def test_a_quote_shows_the_pages_language_and_is_marked_ours_only_outside_the_articles(tmp_path):
    from explainer.write.figures import partials_env

    content = ja_project(tmp_path)
    facts = load_facts(content / "facts.yaml", ["zh", "en", "ja"], small_source())
    ui = load_words(content, ["zh", "en", "ja"]).ui
    env = partials_env((ROOT / "explainer" / "theme",))
    claim = facts["ferry_loss_2025"]  # a fact stands in for a claim: the partials read the same fields
    common = {"claim": claim, "fact": claim, "sources_url": "about/", "article_lang": "zh"}
    ja = env.get_template("partials/quote.html").render(lang="ja", t=ui["ja"], **common)
    assert "LakeFerryは2025年に50億ドルの損失を見込む" in ja and "当サイト訳" in ja and "expects" not in ja
    zh = env.get_template("partials/quote.html").render(lang="zh", t=ui["zh"], **common)
    assert QUOTE in zh and "译" not in zh
    table = env.get_template("partials/translated_quote.html").render(lang="en", t=ui["en"], **common)
    assert "LakeFerry expects to lose $5 billion in 2025" in table and "(our translation)" in table


def test_odd_keys_in_an_interface_file_are_named_not_a_traceback(tmp_path, monkeypatch):
    """YAML reads `no:` as false and `1:` as a number: still keys, named as text, never a TypeError."""
    monkeypatch.chdir(tmp_path)
    content = ja_project(tmp_path)
    (content / "ui").mkdir()
    (content / "ui" / "en.yaml").write_text('no: "No"\n1: one\nstatuses:\n  2: {name: two}\n', encoding="utf-8")
    (content / "ui" / "zh.yaml").write_text("no: 否\n1: 一\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_locales(content, ["zh", "en"])
    assert [str(p) for p in caught.value.problems] == [
        "content/ui/en.yaml:4: statuses.2: unknown status; the statuses are stated, expected, forecast, view, "
        "reported, rumoured, claimed, possible, estimate, guess, opinion, derived"
    ]
    assert load_locales(content, ["zh"])["zh"].ui["False"] == "否"
