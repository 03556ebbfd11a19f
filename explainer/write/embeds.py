"""Write the standalone embed page of every chart in every language: /embed/<id>/, /en/embed/<id>/."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from explainer.write.figures import EMBED_MESSAGE, FigureLinks, figure_html
from explainer.write.oembed import OEMBED_FILE, oembed_response, write_oembed
from explainer.write.site_content import SiteContent
from explainer.write.urls import chart_files, file_url, href, origin, page_url, sources_path, to_root


def write_embed_pages(out_dir: Path, content: SiteContent) -> None:
    """Render templates/embed.html for each chart and language; link back to the page that shows it."""
    settings, env, facts, ui, assets, chart_pages = (
        content.settings,
        content.theme,
        content.facts,
        content.ui,
        content.assets,
        content.chart_pages,
    )
    template = env.get_template("embed.html")
    # the host-side script of the oEmbed html, as the panel's iframe code has it
    resize_script = (
        env.get_template("partials/iframe_resize.html").render(origin=origin(settings), message=EMBED_MESSAGE).strip()
    )
    for (chart_id, code), chart in sorted(content.charts.items()):
        lang = settings.language(code)
        folder = out_dir / lang.prefix / "embed" / chart_id
        here = f"{lang.prefix}embed/{chart_id}/"
        root_url = to_root(here)
        page = chart_pages[code].get(chart_id, "")  # the home page if this language never shows it
        links = FigureLinks(root_url=root_url, sources_url=href(here, sources_path(settings, lang)))
        corrected = content.chart_corrections(chart)
        figure = figure_html(env, settings, lang, chart, facts, ui[code], links, embedded=True, corrections=corrected)
        html = template.render(
            lang=lang,
            t=ui[code],
            chart=chart,
            figure=Markup(figure),
            root_url=root_url,
            assets=assets,
            article_url=f"{href(here, lang.prefix + page)}#chart-{chart_id}",
            oembed_url=page_url(settings, lang, f"embed/{chart_id}/{OEMBED_FILE}") if settings.site_url else None,
        )
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(html, encoding="utf-8")
        if settings.site_url:  # oEmbed consumers need absolute addresses
            thumbnail = file_url(settings, f"{chart_files(chart_id, code)}.png")
            png = out_dir / "charts" / chart_id / f"{code}.png"
            embed_url = page_url(settings, lang, f"embed/{chart_id}/")
            response = oembed_response(settings, lang, chart, embed_url, (thumbnail, png), resize_script)
            write_oembed(folder, response)
