"""The editor's loop: charts re-render only when what they depend on changed; builds repeat exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explainer import builder
from explainer.write import mkdocs_plugin
from tests.conftest import ColdBuild, copy_project, link_copy

ALL_CHARTS = {"ono_loop", "openai_losses", "nvidia_tranches", "chatgpt_paying", "dollar_scale"}


@pytest.fixture
def full_project(tmp_path: Path, cold_build: ColdBuild) -> Path:
    """A copy of the real content and theme, with a copy of the chart cache the session's one
    cold build left: what an editor has after building once."""
    copy_project(tmp_path)
    link_copy(cold_build.cache, tmp_path / ".cache")
    return tmp_path


def run(project: Path, site: str = "site") -> builder.BuildReport:
    return builder.build(project / "mkdocs.yml", project / site, cache_dir=project / ".cache")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_cold_build_renders_each_chart_once_per_language_and_a_rebuild_none(cold_build, full_project):
    cold = cold_build.report
    assert sorted(cold.rendered) == sorted((c, lang) for c in ALL_CHARTS for lang in ("zh", "en"))
    assert cold.reused == []
    warm = run(full_project)
    assert warm.rendered == []
    assert len(warm.reused) == len(cold.rendered)


def test_a_text_edit_re_renders_no_chart(full_project):
    edit(full_project / "content/en/loop.md", "## ", "A new sentence from the editor.\n\n## ")
    report = run(full_project)
    assert report.rendered == []
    assert "A new sentence from the editor." in (full_project / "site/en/loop/index.html").read_text(encoding="utf-8")


def test_a_fact_edit_re_renders_only_the_charts_that_use_it(full_project):
    edit(full_project / "content/facts.yaml", "en: Share of ChatGPT users who pay", "en: Paying share of ChatGPT users")
    report = run(full_project)
    assert report.rendered == [("chatgpt_paying", "en")], "an English label: the Chinese chart never saw it"
    spec = (full_project / "site/charts/chatgpt_paying/en.vg.json").read_text(encoding="utf-8")
    assert "Paying share of ChatGPT users" in spec
    edit(full_project / "content/facts.yaml", "zh: ChatGPT 付费用户占比", "zh: ChatGPT 用户中付费者占比")
    report = run(full_project)
    assert report.rendered == [("chatgpt_paying", "zh")]
    assert "ChatGPT 用户中付费者占比" in (full_project / "site/charts/chatgpt_paying/zh.vg.json").read_text(
        encoding="utf-8"
    )
    # the figure said another way (a value must stay the number its quote states: 140亿美元)
    said = "value: 14000000000\n  display: {zh: 一百四十亿美元, en: 14 billion dollars}\n"
    edit(full_project / "content/facts.yaml", "value: 14000000000\n", said)
    report = run(full_project)
    assert {chart for chart, _ in report.rendered} == {"openai_losses", "dollar_scale"}


def test_two_builds_of_the_same_input_are_byte_identical(cold_build, full_project):
    """The cold build and a rebuild from its cache, in another folder: every file the same,
    the compressed copies (.gz, .br) included."""
    run(full_project, "site-b")
    a, b = cold_build.site, full_project / "site-b"
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    for name in files_a:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_moving_facts_around_in_the_file_re_renders_nothing(full_project):
    edit(full_project / "content/facts.yaml", "# Every figure", "# A comment an editor added.\n# Every figure")
    assert run(full_project).rendered == []


def test_a_fact_set_to_null_is_drawn_as_a_labelled_gap_not_an_error(full_project):
    """The article not giving a figure is content, not a bug: the chart says so where the figure was."""
    run(full_project)
    edit(full_project / "content/facts.yaml", "value: 0.03\n", "value: null\n")
    report = run(full_project)
    assert sorted(report.rendered) == [("chatgpt_paying", "en"), ("chatgpt_paying", "zh")]
    charts = full_project / "site" / "charts" / "chatgpt_paying"
    assert "文章未给出" in (charts / "zh.svg").read_text(encoding="utf-8")
    assert "not in the article" in (charts / "en.svg").read_text(encoding="utf-8")


def test_a_damaged_chart_entry_is_rendered_again(full_project):
    entries = sorted((full_project / ".cache/charts").glob("ono_loop.en.*"))
    assert len(entries) == 1, entries
    data = entries[0].read_bytes()
    entries[0].unlink()  # linked from the session's cache: replaced, never written into
    entries[0].write_bytes(data[: len(data) // 2])
    report = run(full_project)
    assert report.rendered == [("ono_loop", "en")]
    assert len(report.reused) == len(ALL_CHARTS) * 2 - 1
    assert run(full_project).rendered == [], "the entry is whole again"


def test_a_text_edit_of_a_page_with_charts_draws_no_figure_and_publishes_a_clean_builds_bytes(
    full_project, monkeypatch
):
    run(full_project)  # an editor's build: pages and figures kept
    drawn: list[str] = []
    draw = mkdocs_plugin.figure_html
    monkeypatch.setattr(
        mkdocs_plugin, "figure_html", lambda *args, **kw: drawn.append(args[3].chart_id) or draw(*args, **kw)
    )
    edit(full_project / "content/en/loop.md", "## ", "A sentence from the editor.\n\n## ")
    report = run(full_project)
    assert (report.pages_converted, drawn) == (1, []), "the edited page's two charts were kept"
    assert "A sentence from the editor." in (full_project / "site/en/loop/index.html").read_text(encoding="utf-8")
    assert_as_clean(full_project, "clean-1")
    assert {"ono_loop", "nvidia_tranches"} <= set(drawn)
    # an interface string a figure shows: every figure is drawn again
    drawn.clear()
    edit(
        full_project / "content/ui/en.yaml",
        "original: Chinese original",
        'original: Chinese original\ncite_this_chart: "Cite it"',
    )
    run(full_project)
    assert {"ono_loop", "nvidia_tranches"} <= set(drawn)
    assert "Cite it" in (full_project / "site/en/loop/index.html").read_text(encoding="utf-8")
    assert_as_clean(full_project, "clean-2")


def assert_as_clean(project: Path, name: str) -> None:
    """The published site has the bytes of a build that draws every figure (the same charts, no
    kept pages or figures)."""
    link_copy(project / ".cache", project / f"{name}-cache")
    for kept in (project / f"{name}-cache").iterdir():  # pages-<code> and figures-<code>
        if kept.name.startswith(("pages-", "figures-")):
            shutil.rmtree(kept)
    builder.build(project / "mkdocs.yml", project / name, cache_dir=project / f"{name}-cache")
    site, clean = project / "site", project / name
    files = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())
    assert files == sorted(str(p.relative_to(clean)) for p in clean.rglob("*") if p.is_file())
    assert [name for name in files if (site / name).read_bytes() != (clean / name).read_bytes()] == []
