"""Each `## ` section has one id in every language (the language switch keeps it): given in any
language with `{: #id }`, else the first language's heading slug; a clash is reported at its line."""

from __future__ import annotations

from pathlib import Path

from explainer.load.pages import Page
from explainer.load.sections import section_ids, with_section_ids


def page(lang: str, body: str, first_line: int = 5) -> Page:
    return Page(lang, "loop.md", Path(f"content/{lang}/loop.md"), {"title": "x"}, body, first_line)


def ids_of(zh: str, en: str) -> tuple[dict[str, list[str]], list[str]]:
    found, problems = section_ids({"zh": {"loop.md": page("zh", zh)}, "en": {"loop.md": page("en", en)}}, ["zh", "en"])
    return found, [str(problem) for problem in problems]


def test_an_id_given_in_one_language_is_every_languages():
    found, problems = ids_of(
        "# 标题\n\n## 三角形 {: #triangle }\n\n## 协议\n", "# Title\n\n## The triangle\n\n## The deal\n"
    )
    assert problems == []
    assert found == {"loop.md": ["triangle", "协议"]}


def test_ids_inside_fenced_code_are_not_sections():
    found, _ = ids_of("```\n## 不是\n```\n## 是 {: #yes }\n", "```\n## no\n```\n## Yes\n")
    assert found == {"loop.md": ["yes"]}


def test_two_ids_for_one_section_are_reported_at_the_line():
    _, problems = ids_of("# 标题\n\n## 三角形 {: #triangle }\n", "# Title\n\n## The triangle {: #the-triangle }\n")
    assert problems == [
        "content/en/loop.md:7: section “The triangle” has the id 'the-triangle' but its counterpart in "
        "content/zh/loop.md:7 has 'triangle'; a section has one id in every language (the language switch "
        "keeps it): write {: #triangle } or none"
    ]


def test_one_id_for_two_sections_is_reported():
    _, problems = ids_of("## 一 {: #same }\n\n## 二 {: #same }\n", "## One\n\n## Two\n")
    assert problems == [
        "content/zh/loop.md:7: section “二” has the id 'same' of section 1 too; give each section an id of its own"
    ]


def test_pages_with_different_sections_are_left_to_the_parity_guard():
    assert ids_of("## 一\n", "## One\n\n## Two\n") == ({}, [])


def test_the_ids_are_written_into_each_heading():
    markdown = "# T\n\n## One\n\n## Two {: .note }\n\n## Three {: #three }\n"
    assert with_section_ids(markdown, ["one", "two", "three"]) == (
        "# T\n\n## One {: #one }\n\n## Two {: #two .note }\n\n## Three {: #three }\n"
    )
