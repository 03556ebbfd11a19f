"""Write the site: chart files, shared assets, one MkDocs build per language, then publish.

Everything is written into a staging folder beside site/; only a complete build replaces
site/, so a failed build leaves the last good site exactly as it was.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import jinja2

from explainer.core.errors import BuildError, ContentError, Problem, relative
from explainer.core.escape import one_line_url
from explainer.core.mkdocs_adapter import BrokenLink, DocsBroken, DocsStopped, build_docs, writes_some_pages
from explainer.draw.exports import CHART_SCALE, chart_csv, download_svg
from explainer.draw.render import RenderedChart
from explainer.load.settings import Settings
from explainer.write.corrections import download_line
from explainer.write.credit import source_line
from explainer.write.mkdocs_plugin import ExplainerPlugin, LanguageBuild
from explainer.write.site_content import SiteContent
from explainer.write.template_errors import template_problem
from explainer.write.urls import language_url, page_url

log = logging.getLogger("explainer")


def _framed(chart: RenderedChart, content: SiteContent) -> str:
    """The chart as downloaded: with the source line, its corrections and the site's name and
    address drawn in (in the chart's language)."""
    settings, ui = content.settings, content.ui[chart.lang]
    language = settings.language(chart.lang)
    address = " · ".join(filter(None, (language.site_name, settings.site_url.rstrip("/"))))
    source = f"{source_line(settings, chart.lang, ui)} {settings.article_url}".strip()
    corrected = download_line(settings, language, content.chart_corrections(chart), ui)
    return download_svg(chart, f"{source} {corrected}".strip(), address)


def prefetch_chart_images(content: SiteContent) -> None:
    """Start drawing each chart's PNG download now (those not cached), so that the workers draw
    them while the pages are built; write_chart_files puts them in place."""
    for _, chart in sorted(content.charts.items()):
        content.images.prefetch(_framed(chart, content), CHART_SCALE)


def write_chart_files(out_dir: Path, content: SiteContent) -> None:
    """Write each chart's downloads under charts/<id>/<lang>.*: SVG and PNG with the source line
    and the site's address drawn in, CSV, Vega-Lite, and the Vega spec of each layout
    (<lang>.<layout>.vg.json, and <lang>.vg.json for the widest)."""
    settings, facts, images = content.settings, content.facts, content.images
    for (chart_id, lang), chart in sorted(content.charts.items()):
        folder = out_dir / "charts" / chart_id
        folder.mkdir(parents=True, exist_ok=True)
        framed = _framed(chart, content)
        (folder / f"{lang}.svg").write_text(framed, encoding="utf-8")
        (folder / f"{lang}.vg.json").write_text(_json(chart.vega), encoding="utf-8")
        for view in chart.views:
            (folder / f"{lang}.{view.layout}.vg.json").write_text(_json(view.vega), encoding="utf-8")
        (folder / f"{lang}.vl.json").write_text(_json(chart.vega_lite), encoding="utf-8")
        # a byte-order mark, so Excel reads the Chinese as UTF-8
        corrected = download_line(settings, settings.language(lang), content.chart_corrections(chart), content.ui[lang])
        (folder / f"{lang}.csv").write_text(chart_csv(chart, facts, corrected), encoding="utf-8-sig")
        images.place_chart(folder / f"{lang}.png", framed)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def locate_warning(warning: BrokenLink, docs_dir: Path) -> Problem:
    """A broken link as a problem at the line of its page that names the target."""
    if warning.page is None:
        return Problem(relative(docs_dir), None, warning.message)
    path = docs_dir / warning.page
    line = None
    if warning.target and path.exists():
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if warning.target in text:
                line = number
                break
    message = warning.message
    return Problem(relative(path), line, message[0].lower() + message[1:] + " Fix or remove the link.")


def build_language(settings: Settings, build: LanguageBuild, out_dir: Path) -> ExplainerPlugin:
    """Run MkDocs for one language into out_dir/<prefix>, with our plugin handed the checked data
    (with build.before, only the pages that changed are written); return the plugin, which knows
    what was written."""
    lang = build.lang
    docs_dir = settings.content_dir / lang.code
    plugin = ExplainerPlugin(build)
    try:
        build_docs(
            settings.config_file,
            docs_dir,
            out_dir / lang.prefix,
            lang.site_name,
            language_url(settings, lang),
            settings.theme_dirs,
            {"explainer": plugin},
            # whenever this MkDocs can: it empties the folder first otherwise, and the staging
            # folder has no file, only the spare folders staging_dir put there for this build to fill
            plugin.write_page if writes_some_pages() else None,
            build.front_matter,
        )
        if build.pages is not None:  # only a successful build's conversions are kept
            build.pages.save()
        if build.figures is not None:
            build.figures.save()
        return plugin
    except DocsStopped as exc:
        problems = [locate_warning(warning, docs_dir) for warning in exc.warnings]
        if not problems:
            problems = [
                Problem(relative(settings.config_file), None, f"MkDocs stopped the '{lang.code}' build: {exc.reason}")
            ]
        raise ContentError(problems) from exc
    except DocsBroken as exc:
        msg = f"{relative(settings.config_file)}: {exc}"
        raise BuildError(msg) from exc
    except jinja2.TemplateError as exc:  # our theme's templates: located, not a traceback
        raise ContentError([template_problem(exc, settings.theme_dirs)]) from exc


def write_robots(settings: Settings, out_dir: Path) -> None:
    """Allow every crawler, and point at each language's sitemap when the public address is known."""
    robots = "User-agent: *\nAllow: /\n"
    if settings.site_url:
        # an address is one value on one line, whatever the settings hold (no line of their own)
        sitemaps = (one_line_url(page_url(settings, lang, "sitemap.xml")) for lang in settings.languages)
        robots += "".join(f"Sitemap: {address}\n" for address in sitemaps)
    (out_dir / "robots.txt").write_text(robots, encoding="utf-8")


def spare_dir(site_dir: Path) -> Path:
    """Where the folders of the site a build replaced wait, emptied of files, for the next build."""
    return site_dir.with_name(f".{site_dir.name}.spare")


def staging_dir(site_dir: Path) -> Path:
    """Make a folder beside site/ (same file system, so the final rename is atomic) with no file
    in it: the last replaced site's folders when they are there (spare_dir), else an empty one.

    A site of 400 pages per language is 800 folders, and a disk mounted with `discard` (as here)
    takes about 3 ms to remove each (it trims the folder's block): 2.3 s a build, to remove the
    folders of the site it replaced. Taking them for the next build's instead, no folder is
    removed but those no page uses any more (publish removes the empty ones)."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    spare = spare_dir(site_dir)
    try:
        os.rename(spare, staging)  # replaces the empty folder; fails if there is no spare
    except OSError:
        return staging
    if any(names for _, _, names in os.walk(staging)):  # not as publish left it: not ours to reuse
        shutil.rmtree(staging)
        staging.mkdir()
    return staging
