"""`explainer new` makes a working explainer a newsroom can start from: it builds and passes
`explainer check` at once, in two languages or three, and from a wheel of the engine installed
in a fresh environment. A language the engine has no sample text in is written as placeholders
that every check lists at their lines."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

CLI = [sys.executable, "-m", "explainer"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's engine, wherever the test runs


def explainer(*args: str, cwd: Path, command: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(command or CLI), *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=600, check=False
    )


def visible_text(html: str) -> str:
    """A page's words as a reader reads them: no tags, attributes, scripts, styles, or code to copy."""
    html = re.sub(r"<(script|style|svg|textarea|code|pre)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\S*/\S*", " ", text)  # addresses (a citation's) are not words


@pytest.fixture(scope="module")
def three_languages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new zh/en/ja explainer, built once for the module."""
    folder = tmp_path_factory.mktemp("new") / "x"
    made = explainer("new", str(folder), "--languages", "zh,en,ja", cwd=folder.parent)
    assert made.returncode == 0, made.stderr
    built = explainer("build", "-q", cwd=folder)
    assert built.returncode == 0, built.stderr
    return folder


def test_a_new_explainer_builds_and_passes_check_at_once(tmp_path):
    made = explainer("new", "x", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "x"
    assert "Next: cd" in made.stdout
    checked = explainer("check", cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert not (project / "site").exists(), "check wrote a site"
    built = explainer("build", "-q", cwd=project)
    assert built.returncode == 0, built.stderr
    home, english = (project / "site" / "index.html").read_text(), (project / "site/en/index.html").read_text()
    assert "约3000万次" in home and "about 30 million trips" in english
    assert (project / "site/charts/trips/zh.svg").is_file() and (project / "site/charts/trips/en.png").is_file()
    assert 'class="chart' in home and "<svg" in home  # the chart drawn into the page, no script needed


def test_the_sample_is_marked_as_ours_and_invented(tmp_path):
    assert explainer("new", "x", cwd=tmp_path).returncode == 0
    source = next((tmp_path / "x" / "source").glob("*.txt")).read_text(encoding="utf-8")
    assert source.startswith("【样例】") and "虚构" in source.splitlines()[0]
    home = (tmp_path / "x/content/en/index.md").read_text(encoding="utf-8")
    assert "invented" in home


def test_japanese_pages_say_figures_the_japanese_way_with_no_english(three_languages):
    page = (three_languages / "site/ja/index.html").read_text(encoding="utf-8")
    words = visible_text(page)
    assert "約3000万回" in words and "5000万回超" in words and "1.2億ドル" in words  # 万 and 億, as CLDR says them
    english = [
        w for w in ("about", "million", "trips", "Key numbers", "our translation", "Source", "Download") if w in words
    ]
    assert not english, f"English on the Japanese page: {english}"
    assert '<html lang="ja"' in page


def test_a_language_without_sample_text_is_placeholders_that_check_lists(tmp_path):
    made = explainer("new", "x", "--languages", "zh,en,fr", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "no sample text in fr" in made.stdout
    checked = explainer("check", cwd=tmp_path / "x")
    assert checked.returncode == 1
    assert "Traceback" not in checked.stderr
    located = re.findall(r"^error: (\S+?):(\d+): missing translation", checked.stderr, flags=re.M)
    located += re.findall(r"^(\S+?):(\d+): missing translation", checked.stderr, flags=re.M)
    files = {path for path, _ in located}
    assert {"content/fr/index.md", "content/facts.yaml", "charts/trips.py", "content/ui/fr.yaml"} <= files
    assert "content/units.yaml" in files and "mkdocs.yml" in files  # the unit's words and the language's name


def test_new_refuses_a_folder_in_use_and_a_bad_language_list(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("mine", encoding="utf-8")
    taken = explainer("new", "x", cwd=tmp_path)
    assert taken.returncode == 2 and "not empty" in taken.stderr
    assert (tmp_path / "x" / "notes.txt").read_text(encoding="utf-8") == "mine"
    bad = explainer("new", "y", "--languages", "zh,english", cwd=tmp_path)
    assert bad.returncode == 2 and "english is not a language code" in bad.stderr
    assert not (tmp_path / "y").exists()


def test_a_wheel_of_the_engine_in_a_fresh_environment_builds_a_new_explainer(tmp_path):
    """The package as a user installs it: its theme, locales and sample files ship inside it.
    (The fresh environment borrows the pinned dependencies from this one: no network.)"""
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("explainer-*.whl")
    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=False)
    site_packages = next(fresh.glob("lib/python3*/site-packages"))
    here = next(p for p in sys.path if p.endswith("site-packages") and Path(p, "mkdocs").is_dir())
    (site_packages / "dependencies.pth").write_text(here + "\n", encoding="utf-8")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(site_packages), str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    python = fresh / "bin" / "python"
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run(
        [python, "-c", "import explainer; print(explainer.__file__)"],
        capture_output=True,
        text=True,
        env=clean,
        cwd=tmp_path,
    )
    assert where.stdout.startswith(str(site_packages)), where.stdout + where.stderr  # the wheel's, not ours
    for args, cwd in ((["new", "x"], tmp_path), (["build", "-q"], tmp_path / "x")):
        run = subprocess.run(
            [python, "-m", "explainer", *args], cwd=cwd, capture_output=True, text=True, env=clean, timeout=600
        )
        assert run.returncode == 0, run.stderr
    assert (tmp_path / "x/site/en/trips/index.html").is_file()
    shutil.rmtree(fresh)


def test_new_says_nothing_when_asked_to_be_quiet(tmp_path):
    made = explainer("new", "x", "-q", cwd=tmp_path)
    assert made.returncode == 0 and made.stdout == "" and made.stderr == ""


def test_an_edited_chart_word_redraws_the_charts_as_a_clean_build_would(tmp_path):
    """The kit's words come from the locale files: the chart cache is keyed by them too."""
    assert explainer("new", "x", "-q", cwd=tmp_path).returncode == 0
    project = tmp_path / "x"
    assert explainer("build", "-q", cwd=project).returncode == 0
    (project / "content/ui").mkdir()
    (project / "content/ui/en.yaml").write_text('chart_what: "Which"\n', encoding="utf-8")
    (project / "content/ui/zh.yaml").write_text('chart_what: "哪项"\n', encoding="utf-8")
    assert explainer("build", "-q", cwd=project).returncode == 0
    again = (project / "site/charts/trips/en.vl.json").read_text(encoding="utf-8")
    assert '"title": "Which"' in again or '"title":"Which"' in again
    shutil.rmtree(project / ".cache")
    assert explainer("build", "-q", "--site-dir", str(tmp_path / "clean"), cwd=project).returncode == 0
    assert (tmp_path / "clean/charts/trips/en.vl.json").read_text(encoding="utf-8") == again
