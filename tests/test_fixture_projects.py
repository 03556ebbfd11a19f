"""The engine on three small invented projects (tests/fixtures/), as their readers and editors see
them: a complete zh/en/ja explainer builds and passes `explainer check`, with each language's own
figures and words; an incomplete one has every missing Japanese string named at its file and line
in one run, with no traceback; one with folders of its own names looks nowhere else, and its one
template override shows while every other theme file is the engine's."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from explainer import builder, cli
from explainer.language.locales import load_locales
from tests.conftest import FIXTURES, ROOT, build_once, own_cache, page_path

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's engine, wherever the test runs
TECHNICAL = ("SVG", "PNG", "CSV", "Vega-Lite", "JSON", "ZIP", "BibTeX", "CSL", "metadata.json", "iframe")


def copy_fixture(name: str, into: Path) -> Path:
    """A fixture copied where a test may build it (the fixture itself is never built in place)."""
    project = into / name
    shutil.copytree(FIXTURES / name, project, ignore=shutil.ignore_patterns("__pycache__", "site", ".cache"))
    return project


def build(project: Path) -> int:
    """Build a project as `explainer build` does, into its site/."""
    return cli.main(["build", "--config", str(project / "mkdocs.yml"), "--site-dir", str(project / "site"), "-q"])


def visible_text(html: str) -> str:
    """A page's words as a reader reads them: no tags, attributes, scripts, styles, code to copy or addresses."""
    html = re.sub(r"<(script|style|svg|textarea|code|pre)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\S*/\S*", " ", text)


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def line_of(path: Path, text: str) -> int:
    """The line of a file where a text first stands (so a fixture's edits move no expectation)."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# -- complete: zh, en and ja ---------------------------------------------------------------


@pytest.fixture(scope="session")
def complete(tmp_path_factory: pytest.TempPathFactory, vega_cache: Path) -> Path:
    """The complete fixture, built once per run (its own cache, the Vega runtime shared), whichever
    xdist worker asks first (build_once); its tests only read it (check writes nothing)."""

    def make(folder: Path) -> builder.BuildReport:
        project = copy_fixture("complete", folder)
        own_cache(project, vega_cache)
        assert build(project) == 0
        return builder.BuildReport()

    return build_once(tmp_path_factory, "complete-fixture", make) / "complete"


def pages(project: Path, lang: str) -> list[str]:
    settings_nav = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    return [page_path(project / "site", lang, Path(entry).stem).read_text(encoding="utf-8") for entry in settings_nav]


def test_the_complete_fixture_passes_check_and_check_writes_nothing(complete, capsys):
    before = files(complete)
    assert cli.main(["check", "--config", str(complete / "mkdocs.yml"), "-q"]) == 0, capsys.readouterr().err
    assert files(complete) == before


@pytest.mark.parametrize(
    ("lang", "figures"),
    [
        ("zh", ("约3000万次", "1.2亿美元", "超过5000万次")),
        ("en", ("about 30 million trips", "$120 million", "more than 50 million trips")),
        ("ja", ("約3000万回", "1.2億ドル", "5000万回超")),  # 万 and 億, as CLDR says them in Japanese
    ],
)
def test_each_language_says_the_figures_its_own_way_with_the_chart_drawn_in(complete, lang, figures):
    home = page_path(complete / "site", lang, "index").read_text(encoding="utf-8")
    words = visible_text(home)
    for figure in figures:
        assert figure in words, (lang, figure)
    chart = re.search(r'<figure aria-labelledby="chart-trips-caption">.*?</figure>', home, flags=re.S)
    assert chart and "<svg" in chart.group(0), "the chart is not drawn into the page as SVG"
    assert f'<html lang="{"zh-Hans" if lang == "zh" else lang}"' in home


def test_japanese_pages_show_no_english_interface_string_or_translation(complete):
    english = load_locales(None, ["en"])["en"].ui.values()
    fragments = {part.strip() for text in english for part in re.split(r"\{\w*\}", text)}
    facts = yaml.safe_load((complete / "content/facts.yaml").read_text(encoding="utf-8"))
    fragments |= {fact["label"]["en"] for fact in facts.values()} | {f["translations"]["en"] for f in facts.values()}
    config = yaml.safe_load((complete / "mkdocs.yml").read_text(encoding="utf-8"))
    fragments.add(config["extra"]["languages"]["en"]["site_name"])
    fragments = {f for f in fragments if re.search(r"[A-Za-z]{3,}", f) and f not in TECHNICAL}
    for html in pages(complete, "ja"):
        words = visible_text(html)
        shown = sorted(f for f in fragments if f in words)
        assert not shown, f"English on a Japanese page: {shown}"


# -- incomplete: Japanese missing once in every place it can be -----------------------------


def test_every_missing_japanese_string_is_named_at_its_file_and_line_in_one_run(tmp_path):
    project = copy_fixture("incomplete", tmp_path)
    content = project / "content"
    chart_ja = line_of(project / "charts/trips.py", '"ja": {')
    expected = {
        f"mkdocs.yml:{line_of(project / 'mkdocs.yml', '    ja:')}: extra.languages.ja.site_name: missing translation",
        f"content/ui/ja.yaml:{line_of(content / 'ui/ja.yaml', 'search:')}: 'search' has no text",
        "content/ui/ja.yaml: missing translation 'sample_notice'; add `sample_notice: ...` "
        f"(content/ui/zh.yaml:{line_of(content / 'ui/zh.yaml', 'sample_notice')} has it)",
        f"content/units.yaml:{line_of(content / 'units.yaml', 'stations:')}: units[stations]: missing the 'ja' words",
        f"content/speakers.yaml:{line_of(content / 'speakers.yaml', 'name:')}: speakers[transport_office].name: "
        "missing the 'ja' name",
        f"content/facts.yaml:{line_of(content / 'facts.yaml', 'label:')}: facts[trips_last_year].label: "
        "missing the 'ja' translation",
        f"content/facts.yaml:{line_of(content / 'facts.yaml', 'The city spent') - 1}: facts[bike_spending].translations: "
        "missing our 'ja' translation of the quote",
        f"content/facts.yaml:{line_of(content / 'facts.yaml', 'TODO(translate)')}: missing translation: "
        "'ja: \"TODO(translate) Trips the transport office expects in …' is a placeholder",
        f"content/claims.yaml:{line_of(content / 'claims.yaml', 'translations:')}: "
        "claims[office_expects_growth].translations: missing our 'ja' translation of the quote",
        f"content/claims.yaml:{line_of(content / 'claims.yaml', 'text:')}: claims[office_expects_growth].text: "
        "missing the 'ja' text",
        f"content/glossary.yaml:{line_of(content / 'glossary.yaml', 'bike_share:')}: glossary[bike_share].ja: "
        "needs `word:` and `note:`",
        "content/zh/about.md: no 'ja' counterpart; add content/ja/about.md",
        f"mkdocs.yml:{line_of(project / 'mkdocs.yml', 'nav:')}: nav lists 'about.md' but content/ja/about.md "
        "does not exist",
        f"charts/trips.py:{chart_ja}: TEXT['ja']: missing 'subtitle' (TEXT['zh'] has it)",
    }
    checked = subprocess.run(
        [sys.executable, "-m", "explainer", "check", "-q"], cwd=project, env=ENV, capture_output=True, text=True
    )
    assert checked.returncode == 1, checked.stderr
    assert "Traceback" not in checked.stderr
    said = [line.removeprefix("error: ") for line in checked.stderr.splitlines()]
    problems = [line for line in said if line and not line.startswith(("Aborted:", "The previous site"))]
    unmatched = [want for want in expected if not any(line.startswith(want) for line in problems)]
    assert not unmatched, f"not reported: {unmatched}\n{checked.stderr}"
    assert len(problems) == len(expected), checked.stderr  # nothing else: no problem caused by another
    assert f"Aborted: {len(expected)} problems in the content." in checked.stderr
    assert not (project / "site").exists()


# -- folders of its own names, and one template override ------------------------------------


def test_a_project_with_folders_of_its_own_names_looks_nowhere_else(tmp_path, monkeypatch):
    project = copy_fixture("folders", tmp_path)
    # the default names hold decoys: a broken facts file, a chart that fails, a template that shows
    (project / "content").mkdir()
    (project / "content/facts.yaml").write_text("broken: [\n", encoding="utf-8")
    (project / "charts").mkdir()
    (project / "charts/trips.py").write_text('raise SystemExit("the decoy chart was loaded")\n', encoding="utf-8")
    (project / "templates/partials").mkdir(parents=True)
    (project / "templates/partials/pager.html").write_text("DECOY TEMPLATE", encoding="utf-8")
    decoys = files(project / "content") | files(project / "charts") | files(project / "templates")
    monkeypatch.chdir(project)  # as a user runs it: the cache goes where the settings say
    assert cli.main(["build", "-q"]) == 0
    home = (project / "site/index.html").read_text(encoding="utf-8")
    assert "DECOY" not in home
    assert (files(project / "content") | files(project / "charts") | files(project / "templates")) == decoys
    assert (project / "build-cache").is_dir() and not (project / ".cache").exists()
    assert {p.name for p in project.iterdir()} == {
        "mkdocs.yml", "source", "text", "drawings", "looks", "build-cache", "site",
        "content", "charts", "templates", ".site-build.lock",
    }  # fmt: skip
    for lang in ("zh", "en"):
        html = page_path(project / "site", lang, "index").read_text(encoding="utf-8")
        assert 'class="pager fixture-pager"' in html, "the project's own template does not show"
        assert '<footer class="colophon">' in html  # the rest is the engine's theme
        chart = re.search(r'<figure aria-labelledby="chart-trips-caption">.*?</figure>', html, flags=re.S)
        assert chart and "<svg" in chart.group(0), "the chart from the drawings folder is not in the page"
    engine_icon = (ROOT / "explainer/theme/assets/favicon.svg").read_bytes()  # an asset published as it is
    assert [path.read_bytes() for path in (project / "site/assets").glob("favicon.*.svg")] == [engine_icon]


def test_a_chart_without_a_language_in_its_text_table_is_named_at_the_table(tmp_path, monkeypatch, capsys):
    project = copy_fixture("complete", tmp_path)
    chart = project / "charts/trips.py"
    source = chart.read_text(encoding="utf-8")
    japanese = source[source.index('    "ja": {') : source.index("    },\n}\n") + len("    },\n")]
    chart.write_text(source.replace(japanese, ""), encoding="utf-8")
    monkeypatch.chdir(project)
    assert cli.main(["check", "-q"]) == 1
    err = capsys.readouterr().err
    table = line_of(chart, "TEXT = {")
    assert f"charts/trips.py:{table}: TEXT: missing the 'ja' words; add `\"ja\": {{...}}`" in err
    assert "Aborted: 1 problem in the content." in err and "Traceback" not in err


def test_a_build_from_another_folder_writes_the_projects_own_site_not_the_folders(tmp_path, vega_cache, monkeypatch):
    """`explainer build --config other/mkdocs.yml` run in a folder that holds a site of its own
    (another project's) wrote over that site/: the default site/ is the config's project's."""
    from tests.conftest import small_project

    project = small_project(tmp_path / "project", vega_cache)
    here = tmp_path / "another"
    (here / "site").mkdir(parents=True)
    (here / "site" / "index.html").write_text("another project's site", encoding="utf-8")
    monkeypatch.chdir(here)
    assert cli.main(["build", "--config", str(project / "mkdocs.yml"), "-q"]) == 0
    assert sorted(p.name for p in (here / "site").iterdir()) == ["index.html"]
    assert (here / "site" / "index.html").read_text(encoding="utf-8") == "another project's site"
    assert "LakeFerry" in (project / "site" / "index.html").read_text(encoding="utf-8")
