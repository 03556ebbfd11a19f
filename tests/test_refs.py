"""The Markdown reference syntax: found with their lines, expanded by a callback, code left alone."""

from explainer.refs import expand, find_references, syntax_problem

TEXT = """Intro with {{ fact openai_loss_2025 }} inline.

{{ chart ono_loop }}

`{{ fact in_code }}` and

```
{{ chart in_fence }}
```
{{ keynumbers a b c }}
"""


def test_references_are_found_with_their_lines_and_code_is_skipped():
    refs = find_references(TEXT, first_line=5)
    assert [(r.name, r.args, r.line, r.alone) for r in refs] == [
        ("fact", ("openai_loss_2025",), 5, False),
        ("chart", ("ono_loop",), 7, True),
        ("keynumbers", ("a", "b", "c"), 14, True),
    ]


def test_expand_replaces_each_reference_by_the_callback_result():
    out = expand("a {{ fact x }} b {{fact y}} c", lambda r: f"<{r.args[0]}>")
    assert out == "a <x> b <y> c"


def test_shape_problems_are_explained():
    (inline_chart,) = find_references("see {{ chart ono_loop }} here")
    assert "must stand alone on its line" in syntax_problem(inline_chart)
    (too_many,) = find_references("{{ fact a b }}")
    assert syntax_problem(too_many) == "'fact' takes 1 argument, got 2; write {{ fact id }}"
    (unknown,) = find_references("{{ figure a }}")
    assert syntax_problem(unknown).startswith("unknown macro 'figure'")


def test_a_chart_may_carry_a_quoted_caption():
    (ref,) = find_references('{{ chart ono_loop "Who pays whom: the loop, in one picture" }}')
    assert ref.args == ("ono_loop", "Who pays whom: the loop, in one picture")
    assert syntax_problem(ref) is None
