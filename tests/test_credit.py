"""The source's credit (explainer/write/credit.py): one line per language, made from the settings'
description of the source and worded by each language's interface strings, printed the same
under every chart, in every page's footer, in the downloads and in the data bundles."""

from __future__ import annotations

import dataclasses

import pytest

from explainer.core.errors import ContentError
from explainer.load.settings import Language, load_settings
from explainer.write.credit import in_language, source_line
from tests.conftest import SMALL

SETTINGS = load_settings(SMALL / "mkdocs.yml")  # the small invented project's source and credit
WORDS = {
    "source_line": "Source: {author}, 《{title}》{translated_title}, {publisher}",
    "source_translated_title": " (“{title}”, {our_translation})",
    "our_translation": "our translation",
}


def with_cite(**cite: object) -> object:
    """The site's settings with another source, and a third language (ja) that the cite does not name."""
    ja = Language(code="ja", name="日本語", html_lang="ja", site_name="サイト", prefix="ja/")
    return dataclasses.replace(SETTINGS, article_cite=cite, languages=(*SETTINGS.languages, ja))


def test_a_name_not_given_in_a_language_is_written_as_in_the_articles():
    settings = with_cite(author={"zh": "作者", "en": "The Author"}, title="标题", publisher="Outlet")
    assert in_language(settings, settings.article_cite["author"], "ja") == "作者"
    assert in_language(settings, settings.article_cite["author"], "en") == "The Author"
    assert in_language(settings, settings.article_cite["publisher"], "ja") == "Outlet"  # plain text: every language's
    assert source_line(settings, "ja", WORDS) == "Source: 作者, 《标题》, Outlet"


def test_the_titles_translation_is_marked_as_ours_and_never_shown_in_the_articles_language():
    settings = with_cite(author="A", title="标题", publisher="P", translated_title={"en": "The Title", "zh": "标题二"})
    assert source_line(settings, "en", WORDS) == "Source: A, 《标题》 (“The Title”, our translation), P"
    assert source_line(settings, "zh", WORDS) == "Source: A, 《标题》, P"
    assert source_line(settings, "ja", WORDS) == "Source: A, 《标题》, P"  # no translation given: none shown


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("Source: {writer}", "unknown field {writer}"),
        ("Source: {0}", "unknown field {0}"),
        ("Source: {author", "expected '}' before end of string; write {{ or }} for a brace itself"),
    ],
)
def test_a_wording_that_names_what_a_credit_has_not_is_a_located_problem(pattern, why, monkeypatch):
    monkeypatch.chdir(SMALL)  # messages name files as seen from the project, where the build runs
    with pytest.raises(ContentError) as raised:
        source_line(SETTINGS, "en", {**WORDS, "source_line": pattern})
    (problem,) = raised.value.problems
    assert str(problem) == (
        f"content/ui/en.yaml:7: 'source_line': {why}; the credit can name {{author}}, {{title}}, "
        "{translated_title}, {publisher}"
    )


def test_braces_doubled_in_a_wording_are_printed_as_braces():
    assert source_line(SETTINGS, "zh", {**WORDS, "source_line": "{{{author}}}"}) == "{样例作者}"
