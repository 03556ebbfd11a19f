"""What a rebuild skips, and that every edit which could change a check's verdict checks again.

The guards remember what passed, by a hash of what they read (explainer/core/passed.py); the chart
cache remembers each module's imports by a hash of its source. A stale record must never hide a
problem: a page edited to copy the article, a fact that now needs a hedge, a template that
drops one, a changed article or a change of our own code all re-run the check.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explainer.check import guards
from explainer.core.errors import ContentError
from explainer.core.passed import RECORD, PassedChecks, passed_store
from explainer.core.store import Stores
from explainer.draw.chart_cache import IMPORTS_INDEX, ChartCache, chart_stores
from explainer.load.chart_folder import ChartFolder
from tests.conftest import SMALL, small_source
from tests.test_guards import COPIED, edit, guard_inputs, run


@pytest.fixture
def own_words_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the own-words guard compared with the article, in order."""
    calls: list[str] = []
    compare = guards.copied_runs

    def counting(text: str, *args: object, **kwargs: object) -> list[tuple[int, int, int]]:
        calls.append(text)
        return compare(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(guards, "copied_runs", counting)
    return calls


def test_a_page_that_passed_is_not_compared_again_until_its_text_changes(project, own_words_calls, tmp_path):
    inputs = guard_inputs(project)
    guards.run_guards(
        **inputs, article=small_source().article, passed=PassedChecks(passed_store(Stores(tmp_path / "record")))
    )
    assert own_words_calls  # every page and the claims, the first time
    own_words_calls.clear()
    guards.run_guards(
        **inputs, article=small_source().article, passed=PassedChecks(passed_store(Stores(tmp_path / "record")))
    )
    assert own_words_calls == []  # nothing changed: nothing compared

    edit(project / "content/zh/index.md", "亏损:", f"{COPIED}。亏损:")
    inputs = guard_inputs(project)
    for _ in range(2):  # a problem is never remembered: reported again on the next build
        with pytest.raises(ContentError, match=r"content/zh/index.md:8: 28 characters follow the article"):
            guards.run_guards(
                **inputs, article=small_source().article, passed=PassedChecks(passed_store(Stores(tmp_path / "record")))
            )
    assert all(COPIED in text for text in own_words_calls if "亏损" in text)


def test_a_build_reports_a_copy_added_after_a_clean_build(project, capsys):
    assert run(project, capsys)[0] == 0
    assert passed_store(Stores(project / ".cache")).get(RECORD)
    edit(project / "content/en/index.md", "Loss:", "Loss. The article said LakeFerry is not yet self-sufficient. Loss:")
    assert run(project, capsys)[0] == 0  # our words, checked and passed
    edit(project / "content/zh/index.md", "亏损:", f"{COPIED}。亏损:")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/zh/index.md:8: 28 characters follow the article's wording" in err


def test_a_changed_article_compares_every_page_again(project, own_words_calls, tmp_path):
    own_sentence = "Loss: the figure the company expects for this coming year is large indeed, as the papers show."
    edit(project / "content/en/index.md", "Loss:", own_sentence)
    inputs = guard_inputs(project)
    guards.run_guards(
        **inputs,
        article="An article about something else entirely.",
        passed=PassedChecks(passed_store(Stores(tmp_path))),
    )
    with pytest.raises(ContentError, match=r"content/en/index.md:8: \d+ characters follow the article"):
        guards.run_guards(
            **inputs, article=f"Long ago: {own_sentence}", passed=PassedChecks(passed_store(Stores(tmp_path)))
        )


def test_a_change_of_our_code_checks_everything_again(project, own_words_calls, tmp_path):
    inputs = guard_inputs(project)
    guards.run_guards(
        **inputs, article="Another article.", passed=PassedChecks(passed_store(Stores(tmp_path)), code="ours, before")
    )
    own_words_calls.clear()
    guards.run_guards(
        **inputs, article="Another article.", passed=PassedChecks(passed_store(Stores(tmp_path)), code="ours, before")
    )
    assert own_words_calls == []
    guards.run_guards(
        **inputs, article="Another article.", passed=PassedChecks(passed_store(Stores(tmp_path)), code="ours, after")
    )
    assert len(own_words_calls) >= 4  # two pages per language, and the claims


def set_2025_loss_status(project: Path, old: str, new: str) -> None:
    """Say how sure the 2025 loss is (its entry ends just before ferry_loss_2026's)."""
    before = "  speaker: ferry_documents\n  status: {}\nferry_loss_2026"
    edit(project / "content/facts.yaml", before.format(old), before.format(new))


def test_a_fact_that_now_needs_a_hedge_is_reported_where_it_was_typed_by_hand(project, capsys):
    edit(
        project / "content/zh/index.md",
        "亏损:{{ fact ferry_loss_2025 }}。",
        "亏损:{{ fact ferry_loss_2025 }}，约50亿美元。",
    )
    set_2025_loss_status(project, "expected", "stated")
    code, err = run(project, capsys)
    assert code == 0, err  # a stated figure may be typed by hand
    set_2025_loss_status(project, "stated", "expected")
    code, err = run(project, capsys)
    assert code == 1
    assert "content/zh/index.md:8: '50亿美元' is typed by hand: it is fact 'ferry_loss_2025'" in err


def test_a_template_edited_after_a_clean_build_to_drop_a_hedge_is_reported(project, capsys):
    assert run(project, capsys)[0] == 0
    edit(
        project / "templates/partials/fact_table.html",
        '<td data-label="{{ t.value }}">{{ fact.hedged(lang) }}</td>',
        '<td data-label="{{ t.value }}">{{ fact.display(lang) }}</td>',
    )
    code, err = run(project, capsys)
    assert code == 1
    assert "templates/partials/fact_table.html: shows fact 'ferry_loss_2025' without its hedge" in err


# -- the chart cache's index of imports ------------------------------------------------------


def chart_cache(folder: Path, charts: ChartFolder) -> ChartCache:
    """A chart cache with its stores in folder."""
    renders, imports = chart_stores(Stores(folder))
    return ChartCache(renders, charts, imports)


@pytest.fixture
def charts(tmp_path: Path) -> ChartFolder:
    """The small project's charts, and a second chart beside them that imports the same helper."""
    folder = tmp_path / "project" / "charts"  # apart from the caches the tests make in tmp_path
    shutil.copytree(SMALL / "charts", folder)
    shutil.copy(folder / "ferry_losses.py", folder / "ferry_losses_again.py")
    return ChartFolder(folder)


def test_the_index_of_imports_gives_the_keys_that_parsing_gives(tmp_path, charts):
    fresh = chart_cache(tmp_path / "a", charts)
    keys = {chart: fresh.key(chart, "en") for chart in ("ferry_losses", "ferry_losses_again")}
    index = chart_stores(Stores(tmp_path / "a"))[1].get(IMPORTS_INDEX)
    assert index  # each module's imports, by a hash of its source
    assert {chart: chart_cache(tmp_path / "a", charts).key(chart, "en") for chart in keys} == keys
    # a damaged index is read as empty: the modules are parsed again, and the keys are the same
    chart_stores(Stores(tmp_path / "a"))[1].path(IMPORTS_INDEX).write_text("{not json", encoding="utf-8")
    assert {chart: chart_cache(tmp_path / "a", charts).key(chart, "en") for chart in keys} == keys
    assert chart_cache(tmp_path / "a", charts).key("ferry_losses", "zh") != keys["ferry_losses"]


def test_an_entry_of_the_index_is_found_only_by_the_source_it_was_made_from(tmp_path, charts):
    cache = chart_cache(tmp_path, charts)
    cache.key("ferry_losses", "en")
    index = chart_stores(Stores(tmp_path))[1]
    # poison every entry: if an entry were found by file name rather than by source, the key would change
    stale = {f"not-{name}": [] for name in index.get(IMPORTS_INDEX)}
    index.put(IMPORTS_INDEX, stale)
    assert chart_cache(tmp_path, charts).key("ferry_losses", "en") == cache.key("ferry_losses", "en")
