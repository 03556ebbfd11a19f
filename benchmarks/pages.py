"""Bytes, requests and Lighthouse scores of every page: ours against the naive setup.

The naive setup is what a MkDocs user would reach for: MkDocs Material with its defaults,
mkdocs-static-i18n, and every chart embedded with vega-embed (vega, vega-lite and vega-embed
self-hosted and loaded on every page). Both sites are built here, in the same run, from the
same content, and audited by benchmarks/audit/site_audit.py side by side.

Usage: python benchmarks/pages.py [--pages / /loop/ ...] [--presets mobile,desktop]
Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import vl_convert as vlc  # noqa: E402

import build  # noqa: E402
from explainer.draw.render import render_chart  # noqa: E402
from explainer.load.facts import load_facts  # noqa: E402
from explainer.load.pages import load_pages  # noqa: E402
from explainer.load.quotes import LOCK_NAME, quote_checker  # noqa: E402
from explainer.load.refs import Reference, expand  # noqa: E402
from explainer.load.settings import load_settings  # noqa: E402

AUDIT = ROOT / "benchmarks" / "audit" / "site_audit.py"
# The public address both sites are built for: hreflang alternates must be absolute URLs.
SITE_URL = "https://ono-explainer.example/"


def naive_site(out: Path) -> None:
    """Build the naive MkDocs Material + static-i18n + vega-embed site from our content."""
    settings = load_settings(ROOT / "mkdocs.yml")
    quotes = quote_checker(settings.article_path, settings.article_last_line, settings.content_dir / LOCK_NAME)
    facts = load_facts(settings.facts_file, settings.codes, quotes)
    pages = load_pages(settings)
    project = out.parent / "naive-project"
    docs = project / "docs"
    (docs / "assets").mkdir(parents=True)
    (docs / "assets" / "vega-embed-bundle.js").write_text(vlc.javascript_bundle(), encoding="utf-8")
    chart_ids = itertools.count()
    for lang, by_src in pages.items():

        def render(ref: Reference, lang: str = lang) -> str:
            if ref.name == "fact":
                return facts[ref.args[0]].display(lang)
            if ref.name == "keynumbers":
                return "\n".join(f"- **{facts[i].display(lang)}** {facts[i].label[lang]}" for i in ref.args)
            if ref.name == "fact_table":
                rows = [f"| {f.label[lang]} | {f.display(lang)} | {f.quote} |" for f in facts.values()]
                return "| | | |\n|---|---|---|\n" + "\n".join(rows)
            chart = render_chart(ref.args[0], facts, lang)
            div = f"vis{next(chart_ids)}"
            spec = html.escape(json.dumps(chart.vega_lite, ensure_ascii=False), quote=False)
            return f'<div id="{div}"></div>\n<script>vegaEmbed("#{div}", {spec});</script>'

        for src, page in by_src.items():
            target = docs / lang / src
            target.parent.mkdir(parents=True, exist_ok=True)
            meta = f"---\ntitle: {json.dumps(page.title)}\n---\n"
            target.write_text(meta + expand(page.body, render, page.body_first_line), encoding="utf-8")
    config = {
        "site_name": settings.languages[0].site_name,
        "site_url": SITE_URL,
        "docs_dir": "docs",
        "theme": {"name": "material"},
        "extra_javascript": ["assets/vega-embed-bundle.js"],
        "nav": list(settings.nav),
        "plugins": [
            "search",
            {
                "i18n": {
                    "docs_structure": "folder",
                    "languages": [
                        {"locale": "zh", "default": True, "name": "中文", "build": True},
                        {"locale": "en", "name": "English", "build": True},
                    ],
                }
            },
        ],
    }
    (project / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(out)], check=True
    )


def audit(site: Path, pages: list[str], presets: str, report: Path) -> dict:
    """Run the audit tool (benchmarks/audit/) on a site and return its JSON report."""
    subprocess.run(
        [sys.executable, str(AUDIT), str(site), *pages, "--presets", presets, "--json", str(report)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return json.loads(report.read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_pages = ["/", "/rally/", "/huang/", "/loop/", "/circular/", "/losses/", "/bets/", "/about/"]
    default_pages += ["/en" + p for p in default_pages]
    parser.add_argument("--pages", nargs="+", default=default_pages)
    parser.add_argument("--presets", default="mobile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ours, naive = Path(tmp) / "ours", Path(tmp) / "naive"
        build.build(ROOT / "mkdocs.yml", ours, site_url=SITE_URL)
        naive_site(naive)
        reports = {
            name: audit(site, args.pages, args.presets, Path(tmp) / f"{name}.json")
            for name, site in (("ours", ours), ("naive", naive))
        }
    cats = ("performance", "accessibility", "best-practices", "seo")
    print(f"Both sites built in this run for {SITE_URL}; audited by site_audit.py ({args.presets}).")
    print(
        f"{'page':14} {'preset':8} {'ours KB':>8} {'req':>4} {'perf a11y  bp seo':>18} | {'naive KB':>8} {'req':>4} {'perf a11y  bp seo':>18} | {'ours/naive':>10} {'off-host':>9}"
    )
    totals = {"ours": 0, "naive": 0}
    for page in args.pages:
        for preset in args.presets.split(","):
            row = {}
            for name in ("ours", "naive"):
                data = reports[name]["pages"][page][preset]
                totals[name] += data["transfer_bytes"]
                scores = " ".join(f"{data['scores'].get(c) or 0:>4}" for c in cats)
                row[name] = (data["transfer_bytes"] / 1024, data["requests"], scores, len(data["offhost_requests"]))
            o, n = row["ours"], row["naive"]
            print(
                f"{page:14} {preset:8} {o[0]:8.1f} {o[1]:4} {o[2]:>18} | {n[0]:8.1f} {n[1]:4} {n[2]:>18} | {o[0] / n[0]:10.3f} {o[3]:>4}/{n[3]:<4}"
            )
    print(
        f"all pages: ours {totals['ours'] / 1024:.1f} KB, naive {totals['naive'] / 1024:.1f} KB, ratio {totals['ours'] / totals['naive']:.3f} (naive is {totals['naive'] / totals['ours']:.1f}x heavier)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
