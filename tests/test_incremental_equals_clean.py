"""An incremental build always equals a clean one, byte for byte: after editing a fact (one a
chart finds only by iterating over the facts), a helper module a chart imports, a template and
a page, and adding a correction, the cached build and a build from an empty cache publish the
same files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_code

pytestmark = pytest.mark.slow  # three builds in fresh processes: `make test`, not the quick `make check`

KIT = '''"""Helpers shared by charts."""


def label(fact, lang):
    return fact.label[lang] + " (A)"
'''

BY_PATTERN = '''"""LakeFerry's losses, every one the facts hold (found by pattern, not by name)."""

import altair as alt

from ._kit import label


def chart(facts, lang, layout):
    rows = [
        {"fact": fact_id, "name": label(facts[fact_id], lang), "value": facts[fact_id].value or 0}
        for fact_id in facts
        if fact_id.startswith("ferry_loss_")
    ]
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(x="value:Q", y="name:N")
        .properties(title="Losses", description="LakeFerry's losses by year.")
    )
'''

NEW_FACT = """ferry_loss_2027:
  value: null
  unit: usd
  period: "2027"
  label: {zh: LakeFerry 2027年亏损, en: LakeFerry's loss in 2027}
  quote: "财务文件显示,LakeFerry 在2025年预计亏损50亿美元,2026年扩大到140亿美元。按照最乐观的预测,2029年才有可能实现盈利。"
  translations: {en: "LakeFerry's financial documents show an expected loss of $5 billion in 2025"}
  speaker: ferry_documents
  status: stated
"""

CORRECTION = """- date: 2026-12-07
  what: {zh: 亏损数字已更正。, en: The loss now reads as the documents give it.}
  why: {zh: 原来抄错了。, en: It was copied wrongly.}
  touches: {facts: [ferry_loss_2025], pages: [about.md], charts: [by_pattern]}
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_incremental_build_after_edits_equals_a_clean_build(project):
    script = copy_code(project)
    (project / "charts" / "_kit.py").write_text(KIT, encoding="utf-8")
    (project / "charts" / "by_pattern.py").write_text(BY_PATTERN, encoding="utf-8")
    for lang in ("zh", "en"):
        page = project / "content" / lang / "index.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n{{ chart by_pattern }}\n", encoding="utf-8")

    def run(site: str) -> dict[str, bytes]:
        command = [sys.executable, str(script), "--config", str(project / "mkdocs.yml"), "-q"]
        result = subprocess.run([*command, "--site-dir", str(project / site)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return snapshot(project / site)

    first = run("site")
    # the edits: a helper, a fact found only by iterating, a template and a page
    (project / "charts" / "_kit.py").write_text(KIT.replace("(A)", "(B)"), encoding="utf-8")
    facts = project / "content" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + NEW_FACT, encoding="utf-8")
    base = project / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- edited --></body>"), encoding="utf-8")
    page = project / "content" / "en" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAn edit.\n", encoding="utf-8")
    (project / "content" / "corrections.yaml").write_text(CORRECTION, encoding="utf-8")

    incremental = run("site")
    for folder in ("charts", "png"):
        shutil.rmtree(project / ".cache" / folder, ignore_errors=True)
    clean = run("site-clean")

    assert incremental.keys() == clean.keys()
    differ = sorted(name for name in clean if incremental[name] != clean[name])
    assert differ == [], f"the incremental build differs from a clean one in {differ[:10]}"
    chart = "charts/by_pattern/en.vl.json"
    assert b"(B)" in incremental[chart] and b"(A)" not in incremental[chart], "the helper edit was not seen"
    assert b"ferry_loss_2027" in incremental[chart], "the fact found by iteration was not seen"
    assert b"ferry_loss_2027" not in first[chart]
    assert "en/corrections/index.html" in incremental and "en/corrections/index.html" not in first
    assert "as the documents give it" in incremental["charts/by_pattern/en.csv"].decode("utf-8-sig")
    assert b"chart-correction" in incremental["index.html"] and b"corrections-notice" in incremental["about/index.html"]
