"""Text still to be written: `explainer new` fills a language it has no sample text in with
placeholders, and every build and `explainer check` names each one at its file and line, so a
half-translated site is never published by mistake."""

from __future__ import annotations

from pathlib import Path

from explainer.core.errors import Problem, relative

MARKER = "TODO(translate)"
LONGEST = 60  # characters of the placeholder's line quoted in its message


def mark(text: str) -> str:
    """A placeholder for a text still to be translated: the marker, then the text to translate."""
    return f"{MARKER} {text}"


def placeholder_problems(files: list[Path]) -> list[Problem]:
    """One problem per line that still holds a placeholder, in the given files (missing are skipped)."""
    problems = []
    marker = MARKER.encode()
    for path in files:
        try:
            raw = path.read_bytes()
            if marker not in raw:  # the common case: no line to look at (the marker is ASCII)
                continue
            lines = raw.decode("utf-8").splitlines()
        except (OSError, UnicodeDecodeError):  # the loaders report what they cannot read
            continue
        for number, line in enumerate(lines, start=1):
            if MARKER in line:
                text = line.strip()
                shown = text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"
                message = f"missing translation: {shown!r} is a placeholder; write it in this file's language"
                problems.append(Problem(relative(path), number, message))
    return problems


def project_text_files(config_file: Path, content: Path, charts: Path) -> list[Path]:
    """Every file of a project an editor writes text in: its settings, content and chart code."""
    found = [config_file]
    for folder, patterns in ((content, ("*.md", "*.yaml")), (charts, ("*.py",))):
        for pattern in patterns:
            found.extend(sorted(folder.rglob(pattern)) if folder.is_dir() else [])
    return found
