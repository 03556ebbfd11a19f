"""The Markdown reference syntax: found with their lines, expanded by a callback, code left alone."""

from explainer.load.refs import expand, find_references, sentence_around, starts_sentence, syntax_problem

TEXT = """Intro with {{ fact ferry_loss_2025 }} inline.

{{ chart ferry_losses }}

`{{ fact in_code }}` and

```
{{ chart in_fence }}
```
{{ keynumbers a b c }}
"""


def test_references_are_found_with_their_lines_and_code_is_skipped():
    refs = find_references(TEXT, first_line=5)
    assert [(r.name, r.args, r.line, r.alone) for r in refs] == [
        ("fact", ("ferry_loss_2025",), 5, False),
        ("chart", ("ferry_losses",), 7, True),
        ("keynumbers", ("a", "b", "c"), 14, True),
    ]


def test_expand_replaces_each_reference_by_the_callback_result():
    out = expand("a {{ fact x }} b {{fact y}} c", lambda r: f"<{r.args[0]}>")
    assert out == "a <x> b <y> c"


def test_shape_problems_are_explained():
    (inline_chart,) = find_references("see {{ chart ferry_losses }} here")
    assert "must stand alone on its line" in syntax_problem(inline_chart)
    (too_many,) = find_references("{{ fact a b }}")
    assert syntax_problem(too_many) == "'fact' takes 1 argument, got 2; write {{ fact id }}"
    (unknown,) = find_references("{{ figure a }}")
    assert syntax_problem(unknown).startswith("unknown macro 'figure'")


def test_a_chart_may_carry_a_quoted_caption():
    (ref,) = find_references('{{ chart ferry_losses "The losses, year by year: one picture" }}')
    assert ref.args == ("ferry_losses", "The losses, year by year: one picture")
    assert syntax_problem(ref) is None


def test_claims_quotes_terms_and_the_sources_tables_are_macros():
    refs = find_references(
        '{{ claim a }} {{ quote a }} {{ term gigawatt }} {{ term air_pocket "" }}\n\n{{ claim_table }}\n'
    )
    assert [(r.name, r.args) for r in refs] == [
        ("claim", ("a",)),
        ("quote", ("a",)),
        ("term", ("gigawatt",)),
        ("term", ("air_pocket", "")),
        ("claim_table", ()),
    ]
    assert all(syntax_problem(r) is None for r in refs)
    (inline_table,) = find_references("see {{ glossary }} here")
    assert "must stand alone on its line" in syntax_problem(inline_table)


def test_the_sentence_around_a_reference_is_read_without_other_references():
    text = "First. OpenAI expects to lose {{ fact a }} in 2025, and {{ fact b }} in 2026. Next one."
    at = text.index("{{ fact b }}")
    assert sentence_around(text, at, at + 12).split() == [
        "OpenAI",
        "expects",
        "to",
        "lose",
        "in",
        "2025,",
        "and",
        "in",
        "2026",
    ]
    zh = "作者说。OpenAI 预计2025年亏损{{ fact a }}；2026年{{ fact b }}。下一句"
    at = zh.index("{{ fact b }}")
    assert sentence_around(zh, at, at + 12) == "OpenAI 预计2025年亏损 ；2026年 "


def test_a_reference_after_a_full_stop_starts_a_sentence():
    text = "One. {{ claim a }}, and {{ claim b }}"
    first, second = find_references(text)
    assert starts_sentence(text, first.start) and not starts_sentence(text, second.start)
    assert starts_sentence("{{ claim a }}", 0)
