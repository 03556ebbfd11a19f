"""The engine knows no explainer: nothing in the package (its code, docstrings, default theme,
chart kit, locale files and the new project's files) names this explainer's facts, claims, terms,
charts, speakers, labels, article, author, outlet or site. The list is read from this project's
own content and settings, so a new fact or speaker is covered without editing the test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

import explainer
from explainer.language.speakers import ROLES
from explainer.load.chart_folder import ChartFolder
from explainer.load.settings import load_settings
from tests.conftest import ROOT

ENGINE = Path(explainer.__file__).resolve().parent
TEXT_FILES = {".py", ".html", ".js", ".css", ".yaml", ".yml", ".md", ".txt", ".json", ".svg", ".xml", ".toml"}
ENGINE_ROLES = set(ROLES)  # the speakers every project may cite, which the engine names itself
SHORTEST = 4  # a shorter name or label could be an ordinary word of the engine's


def _yaml(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    return data if isinstance(data, dict) else {}


def _strings(value: object) -> Iterator[str]:
    """Every string inside a YAML value (mappings by their values, lists by their items)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def flagship_words() -> tuple[set[str], set[str]]:
    """(ids, names): this project's ids (matched as whole words) and its names, labels, article,
    author, outlet and site names (matched anywhere, case-insensitively)."""
    settings = load_settings(ROOT / "mkdocs.yml")
    content = settings.content_dir
    facts, claims, glossary = (_yaml(content / f"{name}.yaml") for name in ("facts", "claims", "glossary"))
    speakers = _yaml(content / "speakers.yaml")
    ids = {*facts, *claims, *glossary, *ChartFolder(settings.charts_dir).ids(), *(set(speakers) - ENGINE_ROLES)}
    names: set[str] = set()
    for fact in facts.values():
        names.update(_strings(fact.get("label")) if isinstance(fact, dict) else ())
    for term in glossary.values():
        names.update(entry.get("word", "") for entry in term.values() if isinstance(entry, dict))
    for speaker_id, speaker in speakers.items():
        if speaker_id not in ENGINE_ROLES:
            names.update(_strings(speaker))
    article = settings.article_cite
    names.update([settings.article_url, *_strings(article.get("author")), *_strings(article.get("publisher"))])
    names.update(_strings(article.get("title")))
    names.update(lang.site_name for lang in settings.languages)
    # the outlets and people the settings name, also by their parts ("FunTalk (republished by Huxiu)")
    for outlet in _strings(article.get("publisher")):
        names.update(part for part in re.split(r"[\s（）()，,]+", outlet) if len(part) >= 2 and not part.isascii())
        names.update(part for part in re.findall(r"[A-Z][A-Za-z]{3,}", outlet))
    return {i for i in ids if i}, {n.strip() for n in names if len(n.strip()) >= SHORTEST or not n.isascii()}


def engine_files() -> list[Path]:
    return sorted(
        path
        for path in ENGINE.rglob("*")
        if path.is_file() and path.suffix in TEXT_FILES and "__pycache__" not in path.parts
    )


def test_the_flagship_list_is_read_from_its_content():
    ids, names = flagship_words()
    assert {"ono_loop", "openai_loss_2025"} <= ids  # a chart and a fact of this explainer
    assert any("huxiu.com" in name for name in names)  # its article's address
    assert len(ids) > 50 and len(names) > 50


def test_the_engine_never_names_the_flagship():
    ids, names = flagship_words()
    id_pattern = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, sorted(ids))) + r")(?![A-Za-z0-9_])")
    lowered = [(name, name.lower()) for name in sorted(names)]
    found = []
    for path in engine_files():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            low = line.lower()
            hits = [m.group(1) for m in id_pattern.finditer(line)] + [name for name, n in lowered if n in low]
            found.extend(f"{path.relative_to(ROOT)}:{number}: {hit!r}" for hit in hits)
    assert not found, "the engine names this explainer:\n" + "\n".join(found)
