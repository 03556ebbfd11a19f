"""Reuse chart renders across builds: a render is redone only when something it depends on changed.

A cache entry is keyed by everything that shapes a chart except the facts: the chart's code,
the shared theme and the code that formats and renders it, the language and the library
versions. The entry records the facts the chart read and their values; it is reused only if
those facts are unchanged. So a text edit re-renders nothing, and a fact edit re-renders just
the charts that read that fact. The folder is git-ignored and safe to delete.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import altair
import vl_convert

import charts

from .assets import write_atomically
from .facts import Fact, FactBook
from .render import RenderedChart, render_chart

_EXPLAINER = Path(__file__).resolve().parent
_CODE = (_EXPLAINER / "render.py", _EXPLAINER / "formatting.py", _EXPLAINER / "facts.py")


def _fact_record(fact: Fact) -> dict:
    """What a chart can see of a fact: everything but where it sits in the file."""
    record = dataclasses.asdict(fact)
    record.pop("line")
    return json.loads(json.dumps(record, sort_keys=True, default=str))


@dataclass
class ChartCache:
    """Chart renders on disk under folder/, with counts of what this build rendered and reused."""

    folder: Path
    rendered: list[tuple[str, str]] = field(default_factory=list)
    reused: list[tuple[str, str]] = field(default_factory=list)

    def key(self, chart_id: str, lang: str) -> str:
        """Hash everything but the facts that a chart's render depends on."""
        digest = hashlib.sha256()
        module = charts.chart_file(chart_id)
        for path in (
            module,
            *(Path(charts.__file__).with_name(f"{name}.py") for name in sorted(charts.HELPERS)),
            *_CODE,
        ):
            digest.update(path.read_bytes())
        digest.update(f"{lang}|altair {altair.__version__}|vl-convert {vl_convert.__version__}".encode())
        return digest.hexdigest()[:20]

    def get(self, chart_id: str, facts: FactBook, lang: str) -> RenderedChart:
        """Return the chart from the cache when still valid, else render it and store it."""
        path = self.folder / f"{chart_id}.{lang}.{self.key(chart_id, lang)}.json"
        if path.exists():
            entry = json.loads(path.read_text(encoding="utf-8"))
            if all(f in facts and _fact_record(facts[f]) == record for f, record in entry["facts"].items()):
                self.reused.append((chart_id, lang))
                return RenderedChart.from_dict(entry["chart"])
        chart = render_chart(chart_id, facts, lang)
        self.rendered.append((chart_id, lang))
        entry = {
            "facts": {f: _fact_record(facts[f]) for f in chart.facts_used},
            "chart": dataclasses.asdict(chart),
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob(f"{chart_id}.{lang}.*.json"):
            stale.unlink(missing_ok=True)
        write_atomically(path, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        return chart
