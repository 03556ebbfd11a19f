"""Bad input, second corpus: addresses with two owners, characters that are not what they seem,
formulas nested without end, Ctrl-C and a full disk. Each is refused with one located message
(no traceback, site/ byte-identical), or builds safe and complete output.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from explainer import cli
from tests.conftest import copy_code


def build(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["--config", str(project / "mkdocs.yml"), "--site-dir", str(project / "site"), "-q"])
    return code, capsys.readouterr().err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def page(title: str, body: str = "Text.") -> str:
    return f"---\ntitle: {title}\ndescription: {title}.\n---\n\n# {title}\n\n{body}\n"


def both(project: Path, src: str, zh: str | None = None, en: str | None = None) -> None:
    """Write a page in both languages (every page has its counterpart)."""
    for lang, text in (("zh", zh or page("页")), ("en", en or page("Page"))):
        path = project / "content" / lang / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def refused(project: Path, capsys: pytest.CaptureFixture[str], *expected: str) -> str:
    """Build a good site, make the change (already made), build again: refused, site kept."""
    code, err = build(project, capsys)
    assert code == 1, err
    assert "Traceback" not in err
    for message in expected:
        assert message in err, err
    return err


@pytest.fixture
def good_site(project: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, bytes]:
    code, err = build(project, capsys)
    assert code == 0, err
    return snapshot(project / "site")


# -- every published address has one owner --


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("en.md", "content/zh/en.md: this page would be published at /en/index.html, where the 'en' pages are (/en/)"),
        (
            "embed/ferry_losses.md",
            "content/zh/embed/ferry_losses.md: this page would be published at /embed/ferry_losses/index.html, "
            "where the build writes the charts' embed pages (/embed/)",
        ),
        (
            "charts/index.md",
            "content/zh/charts/index.md: this page would be published at /charts/index.html, where the build "
            "writes the charts' downloads (/charts/)",
        ),
        ("assets/notes.md", "where the build writes the theme's assets (/assets/)"),
    ],
)
def test_a_page_at_an_address_the_build_owns_is_refused(project, capsys, good_site, src, message):
    both(project, src)
    refused(project, capsys, message)
    assert snapshot(project / "site") == good_site


def test_an_english_page_at_its_embed_address_is_refused(project, capsys, good_site):
    both(project, "embed/x/index.md")
    err = refused(
        project, capsys, "content/en/embed/x/index.md: this page would be published at /en/embed/x/index.html"
    )
    assert "content/zh/embed/x/index.md" in err  # the root language's, too
    assert snapshot(project / "site") == good_site


@pytest.mark.parametrize(
    ("first", "second"),
    [("notes.md", "notes/index.md"), ("index.md", "README.md"), ("guide/index.md", "guide/README.md")],
)
def test_two_pages_at_one_address_are_refused_naming_both(project, capsys, good_site, first, second):
    both(project, first) if first != "index.md" else None
    both(project, second)
    err = refused(project, capsys, "is; rename or remove one of them")
    for lang in ("zh", "en"):  # one line per language, at one page, naming the other
        line = next(line for line in err.splitlines() if f"content/{lang}/" in line)
        assert f"content/{lang}/{first}" in line and f"content/{lang}/{second}" in line, line
    assert snapshot(project / "site") == good_site


def test_a_content_folders_other_files_are_published_only_when_listed(project, capsys):
    for lang in ("zh", "en"):
        (project / "content" / lang / "draft.txt").write_text("not for readers", encoding="utf-8")
        (project / "content" / lang / "images").mkdir()
        (project / "content" / lang / "images" / "map.svg").write_text("<svg/>", encoding="utf-8")
    code = cli.main(["--config", str(project / "mkdocs.yml"), "--site-dir", str(project / "site")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "note: Not published: content/zh/draft.txt, content/zh/images/map.svg, content/en/draft.txt" in err
    assert "extra.publish" in err
    assert not list((project / "site").rglob("draft.txt")) and not list((project / "site").rglob("map.svg"))
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace("extra:\n", 'extra:\n  publish: ["images/*.svg"]\n'))
    code = cli.main(["--config", str(mkdocs), "--site-dir", str(project / "site")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert (project / "site/images/map.svg").read_text() == "<svg/>"
    assert (project / "site/en/images/map.svg").is_file()
    assert not list((project / "site").rglob("draft.txt"))
    assert "content/en/draft.txt" in err and "map.svg" not in err


def test_a_published_file_at_an_address_the_build_owns_is_refused(project, capsys, good_site):
    for lang in ("zh", "en"):
        (project / "content" / lang / "search.json").write_text("[]", encoding="utf-8")
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace("extra:\n", 'extra:\n  publish: ["*.json"]\n'))
    refused(
        project,
        capsys,
        "content/en/search.json: this file would be published at /en/search.json, where the build writes its own search.json",
    )
    assert snapshot(project / "site") == good_site


def test_a_published_file_at_the_feed_or_a_share_cards_address_is_refused(project, capsys, good_site):
    """The Atom feed and the share cards came after the list of the build's own files: a project's
    feed.xml or og.png beside a page was replaced by the build's, without a word."""
    (project / "content" / "en" / "feed.xml").write_text("<feed/>", encoding="utf-8")
    (project / "content" / "zh" / "og.png").write_bytes(b"not the card")
    (project / "content" / "zh" / "images").mkdir()
    (project / "content" / "zh" / "images" / "og.png").write_bytes(b"no page here: free")
    mkdocs = project / "mkdocs.yml"
    patterns = 'publish: ["feed.xml", "og.png", "images/og.png"]'
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace("extra:\n", f"extra:\n  {patterns}\n"))
    err = refused(
        project,
        capsys,
        "content/en/feed.xml: this file would be published at /en/feed.xml, where the build writes its own feed.xml",
        "content/zh/og.png: this file would be published at /og.png, where the build writes the share card of "
        "content/zh/index.md",
    )
    assert "images/og.png" not in err
    assert snapshot(project / "site") == good_site


# -- characters that are not what they seem --


def test_a_byte_order_mark_is_read_as_the_editor_meant(project, capsys, good_site):
    """Windows editors start a file with one: MkDocs drops it, and so does the check of front matter."""
    about = project / "content/en/about.md"
    about.write_bytes(b"\xef\xbb\xbf" + about.read_bytes())
    facts = project / "content/facts.yaml"
    facts.write_bytes(b"\xef\xbb\xbf" + facts.read_bytes())
    code, err = build(project, capsys)
    assert code == 0, err
    assert snapshot(project / "site") == good_site


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("ferry_\u200bloss_2025", "it has an invisible U+200B ZERO WIDTH SPACE at position 7"),
        ("ferry_l\u043ess_2025", "it has 'о' (U+043E CYRILLIC SMALL LETTER O, which looks like 'o') at position 8"),
        (
            "ferry_loss_２０25",
            "it has '２' (U+FF12 FULLWIDTH DIGIT TWO, which looks like '2') at position 12, "
            "'０' (U+FF10 FULLWIDTH DIGIT ZERO, which looks like '0') at position 13",
        ),
    ],
)
def test_an_id_with_an_invisible_or_look_alike_character_is_named(project, capsys, good_site, typed, named):
    index = project / "content/en/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("ferry_loss_2025", typed), encoding="utf-8")
    refused(project, capsys, f"content/en/index.md:8: unknown fact '{typed}'; {named}; did you mean 'ferry_loss_2025'?")
    assert snapshot(project / "site") == good_site


def test_a_fact_id_with_a_look_alike_letter_is_named_at_its_line(project, capsys, good_site):
    facts = project / "content/facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("ferry_loss_2026:", "ferry_l\u043ess_2026:"))
    refused(
        project,
        capsys,
        "content/facts.yaml:10: facts[ferry_l\u043ess_2026]: ids are lower_snake_case (letters, digits, underscores); "
        "it has 'о' (U+043E CYRILLIC SMALL LETTER O, which looks like 'o') at position 8",
    )
    assert snapshot(project / "site") == good_site


@pytest.mark.parametrize("where", ["page", "facts"])
def test_a_control_that_reorders_text_is_refused_at_its_line_and_column(project, capsys, good_site, where):
    if where == "page":
        path, old, new = project / "content/en/index.md", "Loss:", "Loss \u202e:"
        expected = "content/en/index.md:8: column 6 has U+202E RIGHT-TO-LEFT OVERRIDE"
    else:
        path, old, new = project / "content/facts.yaml", "LakeFerry 2025", "LakeFerry \u202d2025"
        expected = "content/facts.yaml:5: column 25 has U+202D LEFT-TO-RIGHT OVERRIDE"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    err = refused(project, capsys, expected, "another order than they are stored; remove it")
    assert err.count("error:") == 1
    assert snapshot(project / "site") == good_site


# -- formulas --


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("(" * 340 + "ferry_loss_2025" + ")" * 340, "the formula is longer than 400 ids, numbers and operators"),
        ("(" * 40 + "ferry_loss_2025" + ")" * 40, "the formula nests more than 32 parentheses or signs deep"),
        ("-" * 60 + "ferry_loss_2025", "the formula nests more than 32 parentheses or signs deep"),
        (" + ".join(["ferry_loss_2025"] * 300), "the formula is longer than 400 ids"),
    ],
)
def test_a_formula_beyond_the_limits_is_refused_at_its_line(project, capsys, good_site, formula, message):
    facts = project / "content/facts.yaml"
    derived = (
        'ferry_deep:\n  unit: usd\n  period: "2025"\n  label: {zh: 深, en: Deep}\n'
        f'  derived: {{formula: "{formula}"}}\n'
    )
    facts.write_text(facts.read_text(encoding="utf-8") + derived, encoding="utf-8")
    err = refused(project, capsys, "content/facts.yaml:", message)
    assert "RecursionError" not in err
    assert snapshot(project / "site") == good_site


# -- the machine: Ctrl-C, a full disk --


WAITING_CHART = '''"""A chart that waits until the test has pressed Ctrl-C."""

import altair as alt


def chart(facts, lang, layout):
    with open({fifo!r}, encoding="utf-8") as fifo:  # blocks until the test opens it
        fifo.read()
    return alt.Chart(alt.Data(values=[{{"value": 1}}])).mark_bar().encode(x="value:Q")
'''


@pytest.mark.slow
def test_ctrl_c_stops_quietly_and_keeps_the_site(project, capsys, good_site):
    script = copy_code(project)
    fifo = project / "waiting.fifo"
    os.mkfifo(fifo)
    (project / "charts/waiting.py").write_text(WAITING_CHART.format(fifo=str(fifo)), encoding="utf-8")
    for lang in ("zh", "en"):
        index = project / "content" / lang / "index.md"
        index.write_text(index.read_text(encoding="utf-8") + "\n{{ chart waiting }}\n", encoding="utf-8")
    build_process = subprocess.Popen(
        [sys.executable, str(script), "--config", str(project / "mkdocs.yml"), "--site-dir", str(project / "site")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: Ctrl-C reaches it and its chart workers
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        with open(fifo, "w", encoding="utf-8"):  # returns once a chart worker waits on it
            os.killpg(build_process.pid, signal.SIGINT)
        _, err = build_process.communicate(timeout=120)
    finally:
        if build_process.poll() is None:
            os.killpg(build_process.pid, signal.SIGKILL)
    assert build_process.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "Interrupted: the previous site was left as it was." in err
    assert snapshot(project / "site") == good_site
    assert not list(project.glob(".site.*")), "the staging folder is removed"


def test_a_full_disk_names_the_folder_that_is_full(project, capsys, good_site, tmp_path_factory):
    """A real full disk: a 1 MB tmpfs for site/ (mounting needs root: skipped without it)."""
    small = tmp_path_factory.mktemp("small-disk")
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root and mount(8)")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(small)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        site = small / "site"
        code = cli.main(["--config", str(project / "mkdocs.yml"), "--site-dir", str(site), "-q"])
        err = capsys.readouterr().err
        assert code == 1
        assert "Traceback" not in err
        assert f"{site}: no space left on its disk; free some space there (or build elsewhere) and build again" in err
        assert not list(small.glob(".site.*")), "the staging folder is removed"
    finally:
        subprocess.run(["umount", "-l", str(small)], check=False)
