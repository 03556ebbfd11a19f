"""Interface strings, one table per language, checked to have the same keys everywhere."""

from __future__ import annotations

from .errors import ContentError, Problem, relative
from .settings import Settings
from .yamlfile import read_yaml

# Templates say t.key; Jinja looks up attributes before items, so these would be dict methods.
RESERVED = frozenset(name for name in dir(dict) if not name.startswith("_"))


def load_ui(settings: Settings) -> dict[str, dict[str, str]]:
    """Read content/ui/<lang>.yaml for every language; report any key missing in one of them."""
    tables: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for code in settings.codes:
        path = settings.ui_file(code)
        doc, found = read_yaml(path)
        problems.extend(found)
        if doc is not None and isinstance(doc.data, dict):
            tables[code] = {str(k): v for k, v in doc.data.items()}
            for key, value in tables[code].items():
                if not isinstance(value, str) or not value.strip():
                    problems.append(
                        Problem(
                            relative(path),
                            doc.line(key),
                            f"'{key}' has no text; write it (or remove the key from every language)",
                        )
                    )
            for key in sorted(set(tables[code]) & RESERVED):
                problems.append(
                    Problem(relative(path), doc.line(key), f"'{key}' is a reserved name in templates; rename the key")
                )
        elif doc is not None:
            problems.append(Problem(relative(path), 1, "expected `key: text` lines"))
    keys = set().union(*(table.keys() for table in tables.values())) if tables else set()
    for code, table in tables.items():
        for key in sorted(keys - table.keys()):
            problems.append(
                Problem(relative(settings.ui_file(code)), None, f"missing translation '{key}'; add `{key}: ...`")
            )
    if problems:
        raise ContentError(problems)
    return tables
