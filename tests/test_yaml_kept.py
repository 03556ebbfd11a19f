"""YAML documents parsed by one build are read back by the next, equal; a problem is never kept."""

from __future__ import annotations

import datetime

import pytest

from explainer.core import yamlfile
from explainer.core.store import Store, Stores
from explainer.core.yamlfile import ParsedYaml, parse_yaml, yaml_store

FACTS = "facts:\n  - id: loss\n    value: 5.0\n    label: {en: Loss, zh: 亏损}\n    tags: [a, b]\n"


@pytest.fixture
def kept(tmp_path) -> Store:
    """A store of parsed documents of this test's own."""
    return yaml_store(Stores(tmp_path))


def build_reads(kept: Store, *texts: str) -> list:
    """What one build's parse of each text gives: (data, lines, problems)."""
    parsed = ParsedYaml(kept)
    results = [parse_yaml(text, "content/facts.yaml", first_line=2, kept=parsed) for text in texts]
    parsed.save()
    return [(doc.data if doc else None, doc.lines if doc else None, problems) for doc, problems in results]


def test_a_document_read_back_equals_the_parsed_one_and_an_edit_is_parsed_again(kept):
    first = build_reads(kept, FACTS)
    assert first[0][0]["facts"][0]["label"]["zh"] == "亏损" and first[0][1][("facts", "0", "id")] == 3
    calls = []
    original = yamlfile.LOADER
    counting = type(
        "Counting", (original,), {"__init__": lambda self, text: calls.append(1) or original.__init__(self, text)}
    )
    yamlfile.LOADER, saved = counting, yamlfile.LOADER
    try:
        assert build_reads(kept, FACTS) == first and calls == [], "read back, not parsed"
        edited = FACTS.replace("5.0", "6.0")
        ((data, _, _),) = build_reads(kept, edited)
        assert data["facts"][0]["value"] == 6.0 and calls == [1]
    finally:
        yamlfile.LOADER = saved
    assert len(ParsedYaml(kept).kept) == 1, "only what the last build used is kept"


def test_a_document_with_a_problem_or_a_date_is_parsed_every_time(kept):
    duplicate = "title: One\ntitle: Two\n"
    ((_, _, problems),) = build_reads(kept, duplicate)
    assert [p.message for p in problems] == ["duplicate key 'title'; keep one of them"]
    ((_, _, again),) = build_reads(kept, duplicate)
    assert again == problems
    ((data, _, _),) = build_reads(kept, "when: 2025-09-01\n")
    assert data == {"when": datetime.date(2025, 9, 1)}
    assert ParsedYaml(kept).kept == {}
