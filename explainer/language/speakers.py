"""Who may say a fact or claim: the project's speakers (content/speakers.yaml) and the roles every
explainer has (the author, this site), whose names are in the locale files.

content/speakers.yaml, one entry per speaker:

    chair:
      name: {zh: 董事长, en: the chair}       # as a table cell and inside a hedge tag
      aliases: {en: [chairwoman, chairman]}   # other words by which a text may name them
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explainer.core.characters import id_problem
from explainer.core.errors import Problem, Untranslated, fail_with, relative
from explainer.core.yamlfile import ParsedYaml, read_yaml
from explainer.language.locales import Locale

ROLES = ("author", "explainer", "insiders", "unnamed_sources", "rumour")
# the engine's own speakers, whom any explainer may cite: the article's author, this site, people
# familiar with the matter, unnamed sources and rumour (named in the locale files, `roles:`)
ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


@dataclass(frozen=True)
class Speaker:
    """A speaker's name in each language and the other words that name them."""

    id: str
    name: dict[str, str]
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def names(self, lang: str) -> tuple[str, ...]:
        """Every word that names this speaker in a language, the name first."""
        return (self.name[lang], *self.aliases.get(lang, ()))


def roles(locales: dict[str, Locale]) -> dict[str, Speaker]:
    """The engine's speakers, named by each language's locale."""
    return {
        role: Speaker(
            role,
            {code: locale.roles[role].name for code, locale in locales.items()},
            {code: locale.roles[role].aliases for code, locale in locales.items()},
        )
        for role in ROLES
    }


def load_speakers(path: Path | None, locales: dict[str, Locale], kept: ParsedYaml | None = None) -> dict[str, Speaker]:
    """The roles and the project's speakers (the file is optional); raise every problem at once."""
    speakers = roles(locales)
    if path is None or not path.exists():
        return speakers
    doc, problems = read_yaml(path, kept=kept)
    shown = relative(path)
    if doc is not None and doc.data is not None and not isinstance(doc.data, dict):
        problems.append(Problem(shown, 1, "expected a mapping of speaker ids to `name:` and `aliases:`"))
    elif doc is not None and doc.data is not None:
        for speaker_id, entry in doc.data.items():
            speaker_id = str(speaker_id)
            found = _speaker_problems(speaker_id, entry, list(locales))
            for message, key in found:
                label = f"speakers[{speaker_id}]{''.join('.' + k for k in key)}"
                problems.append(Problem(shown, doc.line(speaker_id, *key), f"{label}: {message}"))
            missing = _missing_names(speaker_id, entry, list(locales))
            for code in missing:
                message = f"speakers[{speaker_id}].name: missing the '{code}' name; add `{code}: ...`"
                problems.append(Untranslated(shown, doc.line(speaker_id, "name"), message))
            if not found:
                aliases = entry.get("aliases") or {}
                names = {code: entry["name"][code].strip() for code in locales if code not in missing}
                stand_in = next(iter(names.values()), speaker_id)  # for a name not written yet
                speakers[speaker_id] = Speaker(
                    speaker_id,
                    {code: names.get(code, stand_in) for code in locales},
                    {code: tuple(aliases.get(code, ())) for code in locales},
                )
    if problems:
        fail_with(problems, speakers)
    return speakers


def _missing_names(speaker_id: str, entry: Any, codes: list[str]) -> list[str]:
    """The site's languages a speaker has no name in (checked once its entry has a `name:` mapping)."""
    well_formed = speaker_id and set(speaker_id) <= ID_CHARS and speaker_id[0].isalpha()
    if speaker_id in ROLES or not well_formed or not isinstance(entry, dict) or not isinstance(entry.get("name"), dict):
        return []
    names = entry["name"]
    return [code for code in codes if not isinstance(names.get(code), str) or not names[code].strip()]


def _speaker_problems(speaker_id: str, entry: Any, codes: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """What is wrong with one speaker: (message, key path) pairs."""
    if speaker_id in ROLES:
        return [(f"'{speaker_id}' is the engine's own; rename it in content/ui/<lang>.yaml `roles:`", ())]
    if not speaker_id or not set(speaker_id) <= ID_CHARS or not speaker_id[0].isalpha():
        return [(id_problem(str(speaker_id)), ())]
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), dict):
        return [("expected `name: {" + ", ".join(f"{c}: ..." for c in codes) + "}`", ())]
    found: list[tuple[str, tuple[str, ...]]] = []
    for key in entry:
        if key not in ("name", "aliases"):
            found.append((f"unknown key '{key}'; known keys: name, aliases", (str(key),)))
    aliases = entry.get("aliases") or {}
    if not isinstance(aliases, dict):
        found.append(("expected `aliases: {" + codes[0] + ": [...]}`", ("aliases",)))
        return found
    for code, words in aliases.items():
        if code not in codes:
            found.append(
                (f"unknown language '{code}'; the site's languages are {', '.join(codes)}", ("aliases", str(code)))
            )
        elif not (isinstance(words, list) and all(isinstance(w, str) and w.strip() for w in words)):
            found.append(("expected a list of words, e.g. [chairwoman]", ("aliases", str(code))))
    for code in entry["name"]:
        if code not in codes:
            found.append(
                (f"unknown language '{code}'; the site's languages are {', '.join(codes)}", ("name", str(code)))
            )
    return found
