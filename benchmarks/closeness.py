"""The closeness guard's calibration: how closely each paragraph follows its closest article line.

Prints, for the pages in the article's language (at a git revision, or as they are now) and for
the hand-written summaries in benchmarks/closeness_summaries.txt, each paragraph's closeness (the
harmonic mean of the longest common subsequence's share of the paragraph and of the line), then
the distribution against the guard's limit. The limit must fall between the two: the retelling
(`--rev 3498690`, the pages before the third editorial pass) above it, the summaries below.

Usage: python benchmarks/closeness.py [--rev REV] [--article PATH]. Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

import yaml

from explainer.check.guards import CLOSENESS_LIMIT, closest_line, paragraphs

ROOT = Path(__file__).resolve().parent.parent
SUMMARIES = Path(__file__).with_name("closeness_summaries.txt")


def article_text(path: Path | None) -> str:
    """The article's own lines (1..last_line), from mkdocs.yml unless a path is given."""
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["article"]
    source = path or (ROOT / settings["path"])
    return "\n".join(source.read_text(encoding="utf-8").splitlines()[: settings["last_line"]])


def pages(rev: str | None, lang: str = "zh") -> dict[str, str]:
    """Each page's body (front matter dropped), at a revision or in the working tree."""
    folder = ROOT / "content" / lang
    if rev is None:
        texts = {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.md"))}
    else:
        names = subprocess.run(
            ["git", "ls-tree", "--name-only", rev, f"content/{lang}/"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        texts = {
            Path(name).name: subprocess.run(
                ["git", "show", f"{rev}:{name}"], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout
            for name in names
            if name.endswith(".md")
        }
    return {name: text.split("---", 2)[2] if text.startswith("---") else text for name, text in texts.items()}


def scores(name: str, body: str, article: str) -> list[tuple[str, float, int]]:
    """(paragraph, closeness, article line) for each measured paragraph of one text."""
    found = []
    for offset, paragraph in paragraphs(body):
        if paragraph.startswith("#"):
            continue
        close = closest_line(paragraph, article)
        if close is not None:
            found.append((f"{name}+{offset}", close.score, close.line))
    return found


def report(title: str, rows: list[tuple[str, float, int]]) -> None:
    """Print each paragraph's score, then how many reach the limit."""
    print(f"\n{title}: {len(rows)} paragraphs")
    for where, score, line in sorted(rows, key=lambda row: -row[1]):
        print(f"  {score:.2f}  {where:18} line {line}{'  <- over the limit' if score >= CLOSENESS_LIMIT else ''}")
    if rows:
        values = sorted(score for _, score, _ in rows)
        over = sum(score >= CLOSENESS_LIMIT for score in values)
        print(
            f"  range {values[0]:.2f}-{values[-1]:.2f}, median {values[len(values) // 2]:.2f}; {over} at or over {CLOSENESS_LIMIT:.2f}"
        )


def main() -> None:
    """Print the calibration tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", help="a git revision of the pages (default: the working tree)")
    parser.add_argument("--article", type=Path, help="the article (default: mkdocs.yml's extra.article.path)")
    args = parser.parse_args()
    article = article_text(args.article)
    rows = [row for name, body in pages(args.rev).items() for row in scores(name, body, article)]
    report(f"pages ({args.rev or 'working tree'})", rows)
    report("hand-written summaries", scores("summary", SUMMARIES.read_text(encoding="utf-8"), article))


if __name__ == "__main__":
    main()
