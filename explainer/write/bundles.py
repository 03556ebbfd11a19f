"""A chart's data, ready to reuse and to cite, at stable addresses beside its other downloads:

    charts/<id>/<lang>.metadata.json   every plotted fact: value, unit, period, labels, quote...
    charts/<id>/<lang>.bib             BibTeX
    charts/<id>/<lang>.csl.json        CSL-JSON, for reference managers
    charts/<id>/<lang>.zip             the CSV, metadata.json and a README, as Our World in Data
                                       bundles a chart's data

The zip's entries carry a fixed date, so two builds of the same content are byte-identical.
"""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path

from explainer.core.escape import markdown_fence, markdown_text, one_line_url
from explainer.draw.render import RenderedChart
from explainer.load.corrections import Correction
from explainer.load.facts import FactBook
from explainer.load.settings import Language, Settings
from explainer.write.citations import Citation, Citations, citation
from explainer.write.corrections import PATH, download_line
from explainer.write.credit import source_line
from explainer.write.site_content import SiteContent
from explainer.write.urls import page_url

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold: no build time leaks in


def chart_metadata(
    settings: Settings,
    lang: Language,
    chart: RenderedChart,
    facts: FactBook,
    citation: Citation,
    corrections: Sequence[Correction] = (),
) -> dict[str, object]:
    """What the chart shows and every fact behind it, with the article's words for each, and its
    corrections (when there are any: day, what changed, why, and where it is told on the site)."""
    plotted = []
    for row in chart.rows:
        record = dataclasses.asdict(facts[row["fact"]])
        record.pop("line", None)  # where it sits in facts.yaml is not the reader's business
        record.pop("said", None)  # the figure in every language: `display` gives this one's
        record["display"] = facts[row["fact"]].display(lang.code)
        plotted.append({"name": row["name"], **record})
    return {
        "chart": chart.chart_id,
        "language": lang.html_lang,
        "title": chart.title,
        "description": chart.description,
        "source": {"url": settings.article_url, **settings.article_cite},
        "license": settings.license,
        "citation": {"apa": citation.apa, "apa_source": citation.apa_source},
        "facts": plotted,
    } | ({"corrections": [_correction(settings, lang, entry) for entry in corrections]} if corrections else {})


def _correction(settings: Settings, lang: Language, entry: Correction) -> dict[str, str]:
    """A correction as the metadata lists it (the address: absolute with site_url, else none)."""
    address = page_url(settings, lang, f"{PATH}#{entry.id}") if settings.site_url else ""
    return {"date": entry.date.isoformat(), "what": entry.what[lang.code], "why": entry.why[lang.code], "url": address}


def readme(
    lang: Language,
    chart: RenderedChart,
    citation: Citation,
    settings: Settings,
    ui: dict[str, str],
    corrections: Sequence[Correction] = (),
) -> str:
    """The bundle's README.md: what the chart shows, where the figures come from, licence, citation."""
    files = ui["bundle_files"].format(csv=f"{chart.chart_id}-{lang.code}.csv")
    text = markdown_text  # every value is plain text here, whatever Markdown it looks like
    fence = markdown_fence(citation.bibtex)
    return (
        f"# {text(chart.title)}\n\n{text(chart.description)}\n\n"
        f"## {text(ui['bundle_sources'])}\n\n{text(source_line(settings, lang.code, ui))}\n"
        + (f"<{one_line_url(settings.article_url).replace('>', '%3E')}>\n" if settings.article_url else "")
        + f"\n{text(files)}\n\n"
        + (
            f"## {text(ui['corrections'])}\n\n{text(download_line(settings, lang, corrections, ui))}\n\n"
            if corrections
            else ""
        )
        # a project that names no licence gets no licence section (an empty one reads as "none")
        + (
            f"## {text(ui['bundle_license'])}\n\n{text(settings.license[lang.code])}\n\n"
            if settings.license.get(lang.code)
            else ""
        )
        + f"## {text(ui['cite_this_chart'])}\n\n{text(citation.apa)}\n\n"
        f"{text(ui['data_from'])} {text(citation.apa_source)}\n\n"
        f"{fence}bibtex\n{citation.bibtex.strip()}\n{fence}\n"
    )


def zip_bytes(entries: dict[str, str]) -> bytes:
    """A zip of text files with fixed dates, in the order given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, text in entries.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            bundle.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def write_bundle(
    folder: Path,
    settings: Settings,
    lang: Language,
    chart: RenderedChart,
    facts: FactBook,
    citation: Citation,
    ui: dict[str, str],
    corrections: Sequence[Correction] = (),
) -> None:
    """Write the chart's metadata, citations and zip beside its CSV (which must exist already)."""
    metadata = json.dumps(
        chart_metadata(settings, lang, chart, facts, citation, corrections),
        ensure_ascii=False,
        indent=1,
        sort_keys=True,
        allow_nan=False,
    )
    csv_text = (folder / f"{lang.code}.csv").read_text(encoding="utf-8")  # keeps its byte-order mark
    (folder / f"{lang.code}.metadata.json").write_text(metadata + "\n", encoding="utf-8")
    (folder / f"{lang.code}.bib").write_text(citation.bibtex, encoding="utf-8")
    (folder / f"{lang.code}.csl.json").write_text(citation.csl_json, encoding="utf-8")
    entries = {
        f"{chart.chart_id}-{lang.code}.csv": csv_text,
        "metadata.json": metadata + "\n",
        "README.md": readme(lang, chart, citation, settings, ui, corrections),
    }
    (folder / f"{lang.code}.zip").write_bytes(zip_bytes(entries))


def write_bundles(out_dir: Path, content: SiteContent, citations: Citations | None = None) -> None:
    """Write every chart's bundle, in every language (`citations`: those kept by earlier builds)."""
    settings, ui = content.settings, content.ui
    for (chart_id, code), chart in sorted(content.charts.items()):
        lang = settings.language(code)
        cited = citation(settings, lang, chart, ui[code]["chart_medium"], citations)
        corrected = content.chart_corrections(chart)
        write_bundle(out_dir / "charts" / chart_id, settings, lang, chart, content.facts, cited, ui[code], corrected)
