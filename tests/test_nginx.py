"""The published setup: Debian's nginx, run with deploy/nginx.conf exactly as `make nginx` runs it,
serving the built site. What a reader's browser gets: compressed responses, year-long caching for
fingerprinted files only, the security headers, the 404 page in the reader's language; and every
page works in Chromium under those headers (no console error, no blocked chart, no request off
the machine)."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import brotli
import pytest
import yaml

from deploy import nginx as runner
from tests.conftest import LANGS, PAGES, ROOT
from tests.test_browser import make_charts_live, reuse_page, serving, url_path, wait_until, watch_reused

__all__ = ["watch_reused"]  # a fixture, used by name

EMBEDS = ("ono_loop", "openai_losses", "nvidia_tranches", "chatgpt_paying", "dollar_scale")
YEAR = "max-age=31536000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def nginx(built_site: Path) -> Iterator[str]:
    """nginx in the foreground on a free port, serving a world-readable copy of the built site
    (run as root, its workers are www-data, who cannot enter pytest's private temp dir)."""
    try:
        runner.nginx_binary()
    except SystemExit as missing:
        pytest.fail(f"{missing}; `make test` installs it")
    public = Path(tempfile.mkdtemp(prefix="explainer-nginx-test-"))
    server = None
    try:
        site = public / "site"
        shutil.copytree(built_site, site)
        os.chmod(public, 0o755)
        runner.open_to_all(site)
        run_dir = public / "run"
        run_dir.mkdir()
        port = free_port()
        conf = runner.write_config(site, port, run_dir)
        with (run_dir / "stderr.log").open("wb") as log:
            server = subprocess.Popen(runner.command(conf), stdout=subprocess.DEVNULL, stderr=log)

        def listening() -> bool:
            if server.poll() is not None:
                pytest.fail(f"nginx stopped: {(run_dir / 'stderr.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return True
            except OSError:
                return False

        wait_until(listening, 20, "nginx")
        yield f"http://127.0.0.1:{port}"
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(public, ignore_errors=True)


def get(base: str, path: str, encoding: str | None = None) -> http.client.HTTPResponse:
    """One GET, redirects not followed, with the Accept-Encoding a browser would send (or none)."""
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=10)
    connection.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def decoded(response: http.client.HTTPResponse) -> bytes:
    encoding = response.getheader("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.body)
    if encoding == "gzip":
        return gzip.decompress(response.body)
    assert encoding is None, encoding
    return response.body


def some_files(site: Path) -> list[str]:
    """A page per language, every asset, a search index, a chart's spec, picture and data."""
    files = ["/index.html", "/en/loop/index.html", "/embed/ono_loop/index.html"]
    files += [f"/{p.relative_to(site)}" for p in sorted((site / "assets").iterdir()) if p.suffix in (".js", ".css")]
    files += [f"/{p.relative_to(site)}" for p in sorted(site.rglob("search.json"))]
    files += ["/charts/ono_loop/en.vg.json", "/charts/ono_loop/zh.svg", "/charts/ono_loop/en.csv"]
    return files


def test_the_build_writes_compressed_copies_of_every_text_file(built_site):
    for path in built_site.rglob("*"):
        if path.suffix in (".html", ".css", ".js", ".json", ".svg") and path.stat().st_size > 256:
            data = path.read_bytes()
            packed_gz, packed_br = (path.with_name(path.name + s).read_bytes() for s in (".gz", ".br"))
            assert gzip.decompress(packed_gz) == data and brotli.decompress(packed_br) == data, path
            assert len(packed_br) < len(data), path


@pytest.mark.parametrize(("accept", "expected"), [("gzip", "gzip"), ("br, gzip", "br"), (None, None)])
def test_responses_are_the_precompressed_copies_when_the_reader_accepts_them(nginx, built_site, accept, expected):
    for path in some_files(built_site):
        response = get(nginx, path, accept)
        assert response.status == 200, path
        assert response.getheader("Content-Encoding") == expected, path
        assert decoded(response) == (built_site / path.lstrip("/")).read_bytes(), path
        assert "Accept-Encoding" in (response.getheader("Vary") or ""), path
        if expected:
            assert int(response.getheader("Content-Length")) < len(decoded(response)), path


def test_fingerprinted_files_are_cached_a_year_and_everything_else_briefly(nginx, built_site):
    fingerprinted = [f"/{p.relative_to(built_site)}" for p in sorted((built_site / "assets").iterdir())]
    assert any("/vega." in p for p in fingerprinted)
    for path in fingerprinted:
        if path.endswith((".gz", ".br")):
            continue
        cache = get(nginx, path, "br").getheader("Cache-Control")
        assert YEAR in cache and "immutable" in cache, (path, cache)
    for path in (
        "/",
        "/en/loop/",
        "/en/search.json",
        "/embed/ono_loop/",
        "/charts/ono_loop/en.png",
        "/robots.txt",
        "/nope/",
    ):
        cache = get(nginx, path).getheader("Cache-Control")
        assert "immutable" not in cache, (path, cache)
        assert int(re.search(r"max-age=(\d+)", cache).group(1)) <= 300, (path, cache)


class MetaPolicy(HTMLParser):
    """The Content-Security-Policy a page sets for itself in a <meta http-equiv>, if any."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.policy: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.policy = a.get("content")


def directives(policy: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in policy.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in parts}


@pytest.mark.parametrize(
    ("path", "framing"),
    [
        ("/", "'self'"),
        ("/en/loop/", "'self'"),
        ("/assets/", "'self'"),
        ("/embed/ono_loop/", "*"),
        ("/en/embed/dollar_scale/", "*"),
        ("/en/no-such-page/", "'self'"),
    ],
)
def test_every_response_carries_the_security_headers(nginx, built_site, path, framing):
    response = get(nginx, path)
    policy = directives(response.getheader("Content-Security-Policy"))
    assert policy["frame-ancestors"] == framing
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["script-src"].split()[0] == "'self'" and "'unsafe-inline'" not in policy["script-src"]
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert response.getheader("X-Frame-Options") == (None if framing == "*" else "SAMEORIGIN")
    assert response.getheader("Server") == "nginx"  # no version
    if response.status == 200 and path.endswith("/") and "assets" not in path:
        # the header may add to the page's own policy (frame-ancestors) but never contradict it
        meta = MetaPolicy(decoded(response).decode("utf-8")).policy
        for name, value in directives(meta or "").items():
            assert policy.get(name) == value, (name, value, policy.get(name))


@pytest.mark.parametrize(
    ("path", "readable"),
    [
        ("/charts/ono_loop/en.wide.vg.json", True),  # the script embed fetches it from a writer's page
        ("/charts/ono_loop/zh.embed.js", True),
        ("/charts/ono_loop/en.csv", True),
        ("/", False),
        ("/en/loop/", False),
        ("/embed/ono_loop/", False),
    ],
)
def test_a_charts_files_may_be_read_by_other_sites_and_nothing_else(nginx, path, readable):
    response = get(nginx, path, "br, gzip")
    assert response.status == 200
    assert response.getheader("Access-Control-Allow-Origin") == ("*" if readable else None)
    assert (static_host_headers(path).get("Access-Control-Allow-Origin") == ["*"]) == readable


@pytest.mark.parametrize(
    ("path", "lang"), [("/nope", "zh"), ("/loop/nope/", "zh"), ("/en/nope", "en"), ("/en/loop/missing.png", "en")]
)
def test_an_unknown_address_gets_the_404_page_of_its_language(nginx, built_site, path, lang):
    response = get(nginx, path, "gzip")
    assert response.status == 404
    expected = built_site / ("404.html" if lang == "zh" else "en/404.html")
    assert decoded(response) == expected.read_bytes()
    assert response.getheader("Content-Type").startswith("text/html")


def test_a_folder_without_its_slash_is_redirected_to_it(nginx):
    response = get(nginx, "/en/loop")
    assert response.status == 301
    assert response.getheader("Location") == "/en/loop/"


# In Chromium: the same page checks as against the plain test server, now under nginx's headers
# (a Content-Security-Policy that forbids what the pages do shows as console errors and charts
# that never go live).
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", [*PAGES, *(f"embed/{chart}" for chart in EMBEDS)])
def test_pages_work_under_the_servers_headers(watch_reused, nginx, lang, page):
    watched = watch_reused(nginx, lang, page, viewport={"width": 1280, "height": 900})
    tab = watched.page
    figures = make_charts_live(tab)
    watched.network.settle()  # ready, and nothing it asked for still loading
    assert not watched.off_host, f"requests off the machine: {watched.off_host}"
    assert not watched.failed, f"failed requests: {watched.failed}"
    assert not watched.errors, f"console errors: {watched.errors}"
    if page != "index" or figures:
        assert tab.locator(".chart.is-live").count() == figures


@pytest.fixture(scope="session")
def writers_site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """Another origin, as a writer's own site."""
    folder = tmp_path_factory.mktemp("writer")
    with serving(folder) as url:
        yield url, folder


@pytest.mark.parametrize(("lang", "framed"), [("zh", "embed/ono_loop"), ("en", "embed/openai_losses")])
def test_another_site_can_frame_an_embed_page_but_not_an_article_page(
    context_factory, nginx, writers_site, lang, framed
):
    host, folder = writers_site
    frames = {"embed": url_path(lang, framed), "article": url_path(lang, "loop")}
    (folder / f"frames-{lang}.html").write_text(
        "<!doctype html><html lang=en><title>A writer's post</title><body>"
        + "".join(f'<iframe id="{name}" title="{name}" src="{nginx}{src}"></iframe>' for name, src in frames.items())
        + "</body></html>",
        encoding="utf-8",
    )
    tab = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    tab.goto(f"{host}/frames-{lang}.html", wait_until="load")
    tab.frame_locator("#embed").locator(".chart-view:visible").locator("svg").wait_for()
    article = tab.frame(url=f"{nginx}{frames['article']}")
    # Chromium replaces a refused frame with its own error page: no page of ours inside
    assert article is None or article.locator("main").count() == 0


@pytest.mark.parametrize("lang", LANGS)
def test_a_chart_embedded_by_script_in_another_sites_page_turns_interactive_from_nginx(
    context_factory, reused_tab, nginx, writers_site, lang
):
    article = reuse_page(reused_tab, nginx, lang, "loop", viewport={"width": 1280, "height": 900})
    snippet = article.locator("#embed-script-ono_loop").input_value()
    host, folder = writers_site
    (folder / f"script-{lang}.html").write_text(
        f"<!doctype html><html lang=en><title>A writer's post</title><link rel=icon href='data:,'><body>{snippet}</body></html>",
        encoding="utf-8",
    )
    tab = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    errors: list[str] = []
    tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
    tab.goto(f"{host}/script-{lang}.html")
    view = tab.locator("[data-explainer-chart=ono_loop] .chart-view:visible")
    view.locator("svg").first.wait_for()
    view.hover()
    # the spec comes from nginx to the writer's origin: allowed by the header nginx sends for /charts/
    tab.locator("[data-explainer-chart=ono_loop] .chart.is-live .chart-live svg").wait_for(timeout=15000)
    assert errors == []


# The static-host files and the workflow say the same as the nginx setup.
def nginx_header(name: str) -> str:
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    return re.search(rf'add_header {name} "([^"]+)"', text).group(1)


def static_host_rules() -> list[tuple[str, list[tuple[str, str]]]]:
    """deploy/_headers as [(path pattern, [(header, value)])] (Netlify / Cloudflare Pages format)."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in (ROOT / "deploy" / "_headers").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def static_host_headers(path: str) -> dict[str, list[str]]:
    """Every header value the hosts send for path: all matching rules apply (`*` matches the
    rest of the path, `:name` one segment)."""
    sent: dict[str, list[str]] = {}
    for pattern, headers in static_host_rules():
        regex = "".join(
            ".*" if part == "*" else "[^/]+" if part.startswith(":") else re.escape(part)
            for part in re.split(r"(\*|:[a-z]+)", pattern)
        )
        if re.fullmatch(regex, path):
            for name, value in headers:
                sent.setdefault(name, []).append(value)
    return sent


def test_static_hosts_send_the_same_headers_as_nginx(built_site):
    policy = nginx_header("Content-Security-Policy")
    pages = [p.relative_to(built_site).parent for p in built_site.rglob("index.html")]
    assert len(pages) >= 2 * (len(PAGES) + len(EMBEDS))
    for page in pages:
        path = "/" if page == Path(".") else f"/{page}/"
        embed = re.match(r"/([a-z]{2}/)?embed/", path) is not None
        headers = static_host_headers(path)
        # exactly one policy (two would both apply), the nginx one with the same framing rule
        assert headers["Content-Security-Policy"] == [
            policy.replace("$explainer_frame_ancestors", "*" if embed else "'self'")
        ], path
        assert headers.get("X-Frame-Options") == (None if embed else ["SAMEORIGIN"]), path
        assert headers["X-Content-Type-Options"] == [nginx_header("X-Content-Type-Options")], path
        assert headers["Referrer-Policy"] == [nginx_header("Referrer-Policy")], path
        assert "Cache-Control" not in headers, path
    for asset in (built_site / "assets").iterdir():
        cache = static_host_headers(f"/assets/{asset.name}")["Cache-Control"]
        assert len(cache) == 1 and YEAR in cache[0] and "immutable" in cache[0]


def test_the_static_host_redirects_send_unknown_english_addresses_to_the_english_404():
    rules = [line.split() for line in (ROOT / "deploy" / "_redirects").read_text(encoding="utf-8").splitlines()]
    rules = [rule for rule in rules if rule and not rule[0].startswith("#")]
    assert ["/en/*", "/en/404.html", "404"] in rules
    assert rules[-1] == ["/*", "/404.html", "404"]  # the catch-all last: the first match wins


def test_the_pages_workflow_builds_and_publishes_the_site():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert "push" in triggers
    build_steps = workflow["jobs"]["build"]["steps"]
    commands = " ".join(step.get("run", "") for step in build_steps)
    assert "make site" in commands
    upload = next(step for step in build_steps if "upload-pages-artifact" in step.get("uses", ""))
    assert upload["with"]["path"] == "site"
    assert any("deploy-pages" in step.get("uses", "") for step in workflow["jobs"]["deploy"]["steps"])
