"""How the load and check stages grow with the number of facts: 500 against 5,000, side by side.

Each size is a copy of the small fixture project (tests/fixtures/small) with that many more
facts, each quoting the fixture's own source (so every check runs as for a real fact), and every
fact referenced once from a page of each language. `explainer check` runs in a fresh process
with an empty cache folder, in interleaved rounds (500, 5000, 500, ...) so that the noise of a
shared machine hits both; the ratio is the median over rounds of 5000's time over its round's 500.

Usage: python benchmarks/facts_scale.py [--rounds 3] [--sizes 500 5000]. Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "fixtures" / "small"
FACT = """\
ferry_spend_{n}:
  value: 5000000000
  unit: usd
  period: "2025"
  label: {{zh: LakeFerry 第{n}号账目, en: "LakeFerry's item {n}"}}
  quote: "财务文件显示,LakeFerry 在2025年预计亏损50亿美元"
  translations: {{en: "Financial documents show that LakeFerry expects to lose $5 billion in 2025"}}
  speaker: ferry_documents
  status: expected
"""
TIMED = """\
import json, sys
from pathlib import Path
from explainer.builder import check
report = check(Path(sys.argv[1]))
print(json.dumps(report.timings))
"""


def make_project(into: Path, count: int) -> Path:
    """The small fixture with `count` more facts, each referenced from a page in each language."""
    shutil.copytree(SMALL, into, ignore=shutil.ignore_patterns("__pycache__", ".cache", "site"))
    facts = into / "content" / "facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8") + "".join(FACT.format(n=n) for n in range(count)), encoding="utf-8"
    )
    for lang in ("zh", "en"):
        index = into / "content" / lang / "index.md"
        references = "".join(f"{{{{ fact ferry_spend_{n} }}}}\n\n" for n in range(count))
        index.write_text(index.read_text(encoding="utf-8") + "\n" + references, encoding="utf-8")
    return into


def timed_check(project: Path) -> dict[str, float]:
    """`explainer check` in a fresh process, with an empty cache: its seconds per stage."""
    shutil.rmtree(project / ".cache", ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "-c", TIMED, str(project / "mkdocs.yml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs=2, default=[500, 5000])
    args = parser.parse_args()
    small, large = args.sizes
    with tempfile.TemporaryDirectory(prefix="facts-scale-") as scratch:
        projects = {size: make_project(Path(scratch) / str(size), size) for size in (small, large)}
        rows: dict[int, list[dict[str, float]]] = {small: [], large: []}
        for _ in range(args.rounds):
            for size in (small, large):
                rows[size].append(timed_check(projects[size]))
    print(f"explainer check with {small} and {large} more facts, {args.rounds} interleaved rounds (seconds)")
    print(f"{'stage':<10}{small:>10}{large:>10}{'ratio':>10}")
    for stage in ("load", "check", "load+check"):

        def seconds(timings: dict[str, float], stage: str = stage) -> float:
            return sum(timings[name] for name in stage.split("+"))

        ratios = [seconds(b) / seconds(a) for a, b in zip(rows[small], rows[large], strict=True)]
        low = statistics.median(seconds(t) for t in rows[small])
        high = statistics.median(seconds(t) for t in rows[large])
        print(f"{stage:<10}{low:>10.2f}{high:>10.2f}{statistics.median(ratios):>9.1f}x")


if __name__ == "__main__":
    main()
