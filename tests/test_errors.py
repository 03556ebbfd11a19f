"""Bad input: one clear message naming the file and line, a non-zero exit, and the last site kept."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from explainer import cli


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Build the project over an existing site and check the site is untouched when it fails."""
    site = project / "site"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text("<p>the last good site</p>", encoding="utf-8")
    before = snapshot(site)
    code = cli.main(["--config", str(project / "mkdocs.yml"), "--site-dir", str(site), "-q"])
    err = capsys.readouterr().err
    if code != 0:
        assert snapshot(site) == before, "a failed build changed site/"
        assert not list(project.glob(".site.*")), "a failed build left its staging folder behind"
        assert "Traceback" not in err
    return code, err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_small_project_builds(project, capsys):
    code, err = run(project, capsys)
    assert code == 0, err
    assert "50亿美元" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "$5 billion" in (project / "site" / "en" / "index.html").read_text(encoding="utf-8")


def test_an_unknown_fact_names_page_line_and_the_nearest_id(project, capsys):
    edit(project / "content/en/index.md", "ferry_loss_2025", "ferry_los_2025")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/en/index.md:8: unknown fact 'ferry_los_2025'; did you mean 'ferry_loss_2025'?" in err


def test_an_unknown_chart_names_page_line_and_the_known_ids(project, capsys):
    edit(project / "content/zh/index.md", "亏损:", "{{ chart ferry_loses }}\n\n亏损:")
    code, err = run(project, capsys)
    assert code == 1
    assert (
        "content/zh/index.md:8: unknown chart 'ferry_loses'; did you mean 'ferry_losses'? known charts: ferry_losses"
        in err
    )


def test_a_chart_file_python_cannot_import_is_explained(project, capsys):
    """charts/ferry-2.py is a file, but no module: 'unknown chart' alone left the editor puzzled."""
    (project / "charts/ferry-2.py").write_text((project / "charts/ferry_losses.py").read_text(encoding="utf-8"))
    edit(project / "content/zh/index.md", "亏损:", "{{ chart ferry-2 }}\n\n亏损:")
    code, err = run(project, capsys)
    assert code == 1
    assert (
        "content/zh/index.md:8: unknown chart 'ferry-2'; known charts: ferry_losses; a chart's id is its file's "
        "name in charts/, which Python must be able to import (letters, digits and _): name the file ferry_2.py "
        "and say {{ chart ferry_2 }}"
    ) in err


def test_malformed_front_matter_names_its_line(project, capsys):
    edit(project / "content/en/about.md", "title: About", "title: [About")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/en/about.md:2: malformed YAML" in err


def test_a_page_without_counterpart_is_reported(project, capsys):
    (project / "content/en/extra.md").write_text(
        "---\ntitle: Extra\ndescription: Extra.\n---\n\n# Extra\n", encoding="utf-8"
    )
    code, err = run(project, capsys)
    assert code == 1
    assert "content/en/extra.md: no 'zh' counterpart; add content/zh/extra.md" in err


def test_a_missing_interface_translation_is_reported(project, capsys):
    edit(project / "content/ui/en.yaml", "original: Chinese original\n", "")
    edit(project / "content/ui/zh.yaml", "original: 中文原文", "original: 中文原文\nsources_note: 出处说明")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/ui/en.yaml: missing translation 'sources_note'; add `sources_note: ...`" in err
    assert "original" not in err  # the engine's own word stands in for the site's


def test_a_fact_whose_quote_is_not_in_the_article_is_reported(project, capsys):
    edit(project / "content/facts.yaml", "2026年扩大到140亿美元", "2026年扩大到150亿美元")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/facts.yaml:15: facts[ferry_loss_2026].quote: " in err
    assert "quote not found verbatim in the article" in err or "never verified against the article" in err


def test_every_problem_is_reported_in_one_run(project, capsys):
    edit(project / "content/en/index.md", "ferry_loss_2025", "nope_one")
    edit(project / "content/zh/index.md", "ferry_loss_2025", "nope_two")
    code, err = run(project, capsys)
    assert code == 1
    assert "nope_one" in err and "nope_two" in err
    assert "Aborted: 2 problems in the content." in err


def test_a_broken_internal_link_fails_in_strict_mode(project, capsys):
    edit(project / "content/en/index.md", "Loss:", "See [missing](nowhere.md). Loss:")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/en/index.md:8: contains a link 'nowhere.md', but the target is not found" in err


def test_broken_links_in_every_language_are_reported_in_one_run(project, capsys):
    edit(project / "content/zh/index.md", "亏损:", "见[别处](elsewhere.md)。亏损:")
    edit(project / "content/en/index.md", "Loss:", "See [missing](nowhere.md). Loss:")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/zh/index.md:8: contains a link 'elsewhere.md'" in err
    assert "content/en/index.md:8: contains a link 'nowhere.md'" in err
    assert "Aborted: 2 problems in the content." in err


def test_malformed_facts_yaml_names_its_line(project, capsys):
    edit(project / "content/facts.yaml", '  unit: usd\n  period: "2026"', '  unit: usd\n  period: "2026')
    code, err = run(project, capsys)
    assert code == 1
    # a quote may span lines, so YAML notices two lines later; the entry's start is named too
    assert "content/facts.yaml:15: malformed YAML: did not find expected key, inside the block mapping" in err


def test_a_badly_indented_line_in_the_facts_is_the_line_reported(project, capsys):
    edit(project / "content/facts.yaml", '  period: "2026"', ' period: "2026"')
    code, err = run(project, capsys)
    assert code == 1
    assert "content/facts.yaml:13: malformed YAML: did not find expected key, inside the block mapping" in err


def test_a_value_of_the_wrong_type_is_reported(project, capsys):
    edit(project / "content/facts.yaml", "value: 14000000000", "value: fourteen billion")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/facts.yaml:11: facts[ferry_loss_2026].value: expected a number" in err


def test_a_duplicate_fact_id_is_reported(project, capsys):
    text = (project / "content/facts.yaml").read_text(encoding="utf-8")
    (project / "content/facts.yaml").write_text(text + text.split("ferry_loss_2026:")[0], encoding="utf-8")
    code, err = run(project, capsys)
    assert code == 1
    assert "duplicate key 'ferry_loss_2025'" in err


RIDERS_CHART = '''"""Riders a year: a fact this project does not have."""


def chart(facts, lang, layout):
    """Read the fact (and fail: there is none)."""
    return facts["ferry_riders"]
'''


def test_an_unknown_fact_in_a_chart_names_the_chart_file(project, capsys):
    (project / "charts/ferry_riders.py").write_text(RIDERS_CHART, encoding="utf-8")
    edit(project / "content/en/index.md", "Loss:", "{{ chart ferry_riders }}\n\nLoss:")
    edit(project / "content/zh/index.md", "亏损:", "{{ chart ferry_riders }}\n\n亏损:")
    code, err = run(project, capsys)
    assert code == 1
    assert "charts/ferry_riders.py:6: unknown fact 'ferry_riders'; known facts: " in err


def test_an_interface_key_that_shadows_a_template_name_is_reported(project, capsys):
    edit(project / "content/ui/en.yaml", "original: Chinese original", "original: Chinese original\nitems: Items")
    edit(project / "content/ui/zh.yaml", "original: 中文原文", "original: 中文原文\nitems: 条目")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/ui/en.yaml:" in err and "'items' is a reserved name in templates; rename the key" in err


def test_a_malformed_reference_is_reported_not_printed(project, capsys):
    edit(project / "content/en/index.md", "{{ fact ferry_loss_2025 }}", "{{ fact ferry_loss_2025 }")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/en/index.md:8: malformed reference; write {{ fact id }} or {{ chart id }}" in err


def test_an_empty_interface_string_is_reported(project, capsys):
    edit(project / "content/ui/en.yaml", "original: Chinese original", "original:")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/ui/en.yaml:5: 'original' has no text; write it (or remove the key from every language)" in err


def test_a_page_that_is_not_utf8_names_its_line(project, capsys):
    page = project / "content/en/about.md"
    page.write_bytes(page.read_bytes().replace(b"# About", "# Ab\u00f6ut".encode("latin-1")))
    code, err = run(project, capsys)
    assert code == 1
    assert "content/en/about.md:6: not UTF-8 text (byte" in err and "save the file as UTF-8" in err


def test_a_nav_entry_without_its_page_names_the_nav_line(project, capsys):
    edit(project / "mkdocs.yml", "  - about.md\n", "  - about.md\n  - timeline.md\n")
    code, err = run(project, capsys)
    assert code == 1
    line = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index("nav:") + 1
    assert f"mkdocs.yml:{line}: nav lists 'timeline.md' but content/zh/timeline.md does not exist" in err


def without_article(project: Path) -> None:
    """Point the project at an article that is not there, as in a clone with nothing beside it."""
    config = project / "mkdocs.yml"
    text = re.sub(r"(?m)^    path: .*$", "    path: ../nowhere/article.txt", config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")


def test_without_the_article_the_recorded_quotes_build_and_say_so_once(project, capsys):
    without_article(project)
    code, err = run(project, capsys)
    assert code == 0, err
    assert err.count("note: ") == 1
    assert "note: the article is not at hand (" in err
    assert "nowhere/article.txt), so no quote was looked up in it: 3 quotes were matched against" in err
    assert "content/quotes.lock" in err and "EXPLAINER_ARTICLE" in err


def test_without_the_article_an_edited_quote_is_still_caught(project, capsys):
    without_article(project)
    edit(project / "content/facts.yaml", "2026年扩大到140亿美元", "2026年扩大到150亿美元")
    code, err = run(project, capsys)
    assert code == 1
    assert (
        "content/facts.yaml:15: facts[ferry_loss_2026].quote: this quote was never verified against the "
        "article, which is not at hand"
    ) in err
    assert "set EXPLAINER_ARTICLE=<path to the article> (or `--article`" in err
    assert err.count("content/facts.yaml:") == 1


def test_without_the_article_or_its_record_every_quote_is_reported(project, capsys):
    without_article(project)
    (project / "content/quotes.lock").unlink()
    code, err = run(project, capsys)
    assert code == 1
    assert err.count("this quote was never verified against the article") == 3
    assert "Aborted: 3 problems in the content." in err


def test_with_the_article_the_build_records_the_quotes_it_verified_as_hashes(project, capsys):
    (project / "content/quotes.lock").unlink()
    code, err = run(project, capsys)
    assert code == 0, err
    assert "note:" not in err
    lock = (project / "content/quotes.lock").read_text(encoding="utf-8")
    records = dict(line.split() for line in lock.splitlines() if not line.startswith("#"))
    assert set(records) == {"article", "ferry_loss_2025", "ferry_loss_2026", "ferry_boat_spend"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in records.values())
    assert not re.search(r"[\u4e00-\u9fff]", lock), "the record holds hashes, never the article's text"
    # and --article overrides mkdocs.yml: the build finds the article and says nothing
    source = project / "source" / "invented.zh.txt"
    without_article(project)
    site = str(project / "site")
    assert cli.main(["--config", str(project / "mkdocs.yml"), "--site-dir", site, "-q", "--article", str(source)]) == 0
    assert "note:" not in capsys.readouterr().err


def test_the_preview_says_a_note_once_and_built_after_every_build():
    """The preview's filter repeats a record marked to be said every time (each build's "Built ...")
    and says any other message once: the mark decides, not the message's words."""
    say_once = cli.SayOnce()

    def record(message: str, **extra: object) -> logging.LogRecord:
        return logging.makeLogRecord({"msg": message, **extra})

    built = record("Built site in 1.00 s", **{cli.EVERY_TIME: True})
    assert say_once.filter(built) and say_once.filter(built)
    assert say_once.filter(record("site_url is not set")) and not say_once.filter(record("site_url is not set"))
    assert say_once.filter(record("Built soon")) and not say_once.filter(record("Built soon"))
