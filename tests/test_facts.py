"""The facts file: every figure with its quote, checked when it loads."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from explainer.errors import ContentError
from explainer.facts import load_facts
from tests.conftest import ROOT, article_text

GOOD = """\
openai_loss_2025:
  value: 5000000000
  unit: usd
  period: "2025"
  label: {zh: OpenAI 2025年预计亏损, en: OpenAI's expected loss in 2025}
  quote: "财务文件显示,OpenAI 在2025年预计亏损50亿美元"
"""


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    """Messages show paths relative to the working directory, as a user runs the build."""
    monkeypatch.chdir(tmp_path)


def load(tmp_path: Path, text: str):
    path = tmp_path / "facts.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_facts(path, ["zh", "en"], article_text())


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(tmp_path, text)
    return [str(p) for p in caught.value.problems]


def test_the_real_facts_file_loads_and_every_quote_is_in_the_article():
    facts = load_facts(ROOT / "content" / "facts.yaml", ["zh", "en"], article_text())
    assert len(facts) >= 30
    article = article_text()
    for fact in facts.values():
        assert fact.quote in article, fact.id


def test_every_fact_in_the_file_is_quoted_verbatim_from_the_article_lines_only():
    """Checked independently of the loader: the raw YAML against lines 1-131 of the capture."""
    raw = yaml.safe_load((ROOT / "content" / "facts.yaml").read_text(encoding="utf-8"))
    article = article_text()
    assert raw
    for fact_id, entry in raw.items():
        assert entry["quote"] in article, fact_id


def test_figures_the_article_does_not_give_say_so_instead_of_a_number():
    facts = load_facts(ROOT / "content" / "facts.yaml", ["zh", "en"], article_text())
    for fact_id in ("oracle_nvidia_gpu_spend", "openai_loss_2027", "openai_loss_2028"):
        assert facts[fact_id].value is None
        assert facts[fact_id].display("zh") == "文章未给出"
        assert facts[fact_id].display("en") == "not in the article"


def test_a_good_fact_loads_with_its_displays(tmp_path):
    fact = load(tmp_path, GOOD)["openai_loss_2025"]
    assert (fact.display("zh"), fact.display("en"), fact.line) == ("50亿美元", "$5 billion", 1)


def test_a_quote_not_in_the_article_is_reported_with_its_line(tmp_path):
    found = problems(tmp_path, GOOD.replace("预计亏损50亿美元", "预计亏损60亿美元"))
    assert found == [
        "facts.yaml:6: facts[openai_loss_2025].quote: quote not found verbatim in the article; "
        "copy it exactly from ../shared/source"
    ]


def test_a_missing_translation_names_the_language(tmp_path):
    found = problems(tmp_path, GOOD.replace(", en: OpenAI's expected loss in 2025", ""))
    assert len(found) == 1
    assert ":5: facts[openai_loss_2025].label: missing the 'en' translation" in found[0]


def test_a_value_of_the_wrong_type_is_reported(tmp_path):
    found = problems(tmp_path, GOOD.replace("value: 5000000000", "value: five billion"))
    assert ":2: facts[openai_loss_2025].value: expected a number" in found[0]


def test_a_share_above_one_is_reported(tmp_path):
    text = GOOD.replace("value: 5000000000", "value: 3").replace("unit: usd", "unit: share")
    assert "a share is a fraction between 0 and 1" in problems(tmp_path, text)[0]


def test_an_unknown_unit_and_qualifier_are_reported_together(tmp_path):
    text = GOOD.replace("unit: usd", "unit: dollars\n  qualifier: roughly")
    found = problems(tmp_path, text)
    assert len(found) == 2
    assert "unknown unit 'dollars'" in found[0]
    assert "unknown qualifier 'roughly'" in found[1]


def test_a_duplicate_id_is_reported_at_its_second_line(tmp_path):
    found = problems(tmp_path, GOOD + GOOD)
    assert any(":7: duplicate key 'openai_loss_2025'" in p for p in found)


def test_malformed_yaml_names_the_line(tmp_path):
    found = problems(tmp_path, GOOD.replace('  period: "2025"', '  period: "2025'))
    assert len(found) == 1
    assert "malformed YAML" in found[0]
    assert found[0].startswith("facts.yaml:")


def test_an_unknown_fact_suggests_the_nearest(tmp_path):
    facts = load(tmp_path, GOOD)
    with pytest.raises(KeyError, match="did you mean 'openai_loss_2025'"):
        facts["openai_loss_2052"]
