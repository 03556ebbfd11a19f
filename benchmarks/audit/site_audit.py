#!/usr/bin/env python3
"""Audit pages of a built static site, offline, with Lighthouse.

Usage:
    python3 benchmarks/audit/site_audit.py SITE_DIR PAGE [PAGE ...] [--json OUT] [--runs N]
                                [--presets mobile,desktop] [--no-gzip] [--strict]

SITE_DIR is served on 127.0.0.1 (random free port) from a thread of this
process.  For every PAGE (a path relative to SITE_DIR: "index.html", "en/",
"charts/") and every preset, a fresh headless Chromium (fresh profile, flags
that keep it off the network) is started and Lighthouse 12 connects to it.
Reported per page and preset (medians over --runs):
  * Lighthouse category scores 0-100: performance, accessibility,
    best-practices, seo;
  * cold-load network use from Lighthouse's network-requests audit: request
    count, transferred bytes (on the wire, headers included), resource bytes
    (decoded);
  * requests to any host that is not loopback (an offline site must have 0),
    failed requests, and console errors (errors-in-console audit).

The table goes to stderr; the JSON report to --json OUT, else to stdout.
Bytes are as Lighthouse's network-requests counts them; like any page-level
CDP view it sees only the headers of a worker's own script (e.g. Material's
search worker), not its body.

Requirements: python3 (stdlib only), node >= 18.20 + npm, Chromium.
Lighthouse is installed on first use from package.json/package-lock.json
beside this file into $SITE_AUDIT_NPM_DIR (default: ~/.cache/site-audit/npm).
Chromium: $CHROME_PATH (default /usr/bin/chromium).

Exit status: 0 ok; 1 an audit failed; 2 (--strict only) an off-host request
or a console error was seen.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
NPM_DIR = Path(os.environ.get("SITE_AUDIT_NPM_DIR", Path.home() / ".cache" / "site-audit" / "npm"))
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Flags that keep headless Chromium off the (closed) network; a fresh
# --user-data-dir is added per launch.
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--mute-audio",
    "--password-store=basic",
    "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication",
]
COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "application/xml",
    "application/manifest+json",
)


def log(msg: str) -> None:
    print(f"[site_audit] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# npm dependency (Lighthouse), installed on demand into a cache folder
# --------------------------------------------------------------------------
def lighthouse_cli() -> Path:
    cli = NPM_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
    want = json.loads((HERE / "package.json").read_text())["dependencies"]["lighthouse"]
    pkg = NPM_DIR / "node_modules" / "lighthouse" / "package.json"
    if cli.exists() and json.loads(pkg.read_text()).get("version") == want:
        return cli
    for tool in ("node", "npm"):
        if not shutil.which(tool):
            sys.exit(f"site_audit: '{tool}' not found on PATH (need Node >= 18.20)")
    log(f"installing lighthouse@{want} into {NPM_DIR} ...")
    NPM_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        if (HERE / name).exists():
            shutil.copy2(HERE / name, NPM_DIR / name)
    cmd = [
        "npm",
        "ci" if (NPM_DIR / "package-lock.json").exists() else "install",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
    ]
    subprocess.run(cmd, cwd=NPM_DIR, check=True, timeout=600, stdout=sys.stderr)
    if not cli.exists():
        sys.exit(f"site_audit: lighthouse not found after install in {NPM_DIR}")
    return cli


# --------------------------------------------------------------------------
# Static server on loopback (optionally gzip, like common static hosts)
# --------------------------------------------------------------------------
class Handler(SimpleHTTPRequestHandler):
    use_gzip = True
    _cache: ClassVar[dict] = {}

    def log_message(self, *args):  # keep stderr clean
        pass

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        if (
            not self.use_gzip
            or not os.path.isfile(path)
            or "gzip" not in self.headers.get("Accept-Encoding", "")
            or not ctype.startswith(COMPRESSIBLE)
        ):
            return super().do_GET()
        key = (path, os.stat(path).st_mtime_ns)
        body = self._cache.get(key)
        if body is None:
            body = self._cache[key] = gzip.compress(Path(path).read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def start_server(site_dir: Path, use_gzip: bool):
    handler = functools.partial(type("H", (Handler,), {"use_gzip": use_gzip}), directory=str(site_dir))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


# --------------------------------------------------------------------------
# Chromium (one fresh instance per Lighthouse run) and Lighthouse
# --------------------------------------------------------------------------
def start_chrome(timeout: float = 30):
    profile = tempfile.mkdtemp(prefix="site_audit_chrome_")
    proc = subprocess.Popen(
        [CHROME, *CHROME_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    port_file = Path(profile) / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        if port_file.exists():
            first = port_file.read_text().splitlines()[:1]
            if first and first[0].isdigit():
                return proc, int(first[0]), profile
        time.sleep(0.1)
    stop_process(proc)
    shutil.rmtree(profile, ignore_errors=True)
    msg = f"Chromium ({CHROME}) did not open a DevTools port"
    raise RuntimeError(msg)


def stop_process(proc: subprocess.Popen, grace: float = 5) -> None:
    """Stop a process we started (and its process group) by its PID."""
    if proc.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)  # own session: pgid == pid
        except ProcessLookupError:
            return
        try:
            proc.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


def run_lighthouse(cli: Path, url: str, preset: str, timeout: float) -> dict:
    chrome, port, profile = start_chrome()
    out = Path(profile).with_suffix(".json")
    cmd = [
        "node",
        str(cli),
        url,
        f"--port={port}",
        "--hostname=127.0.0.1",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--no-enable-error-reporting",
        "--max-wait-for-load=30000",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if preset == "desktop":
        cmd.append("--preset=desktop")
    lh = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _, err = lh.communicate(timeout=timeout)
        if lh.returncode != 0 or not out.exists():
            msg = f"lighthouse exit {lh.returncode}: {err.strip()[-800:]}"
            raise RuntimeError(msg)
        return json.loads(out.read_text())
    except subprocess.TimeoutExpired as exc:
        msg = f"lighthouse timed out after {timeout:.0f}s"
        raise RuntimeError(msg) from exc
    finally:
        stop_process(lh)
        stop_process(chrome)
        shutil.rmtree(profile, ignore_errors=True)
        out.unlink(missing_ok=True)


def summarize(lhr: dict) -> dict:
    audits = lhr.get("audits", {})
    items = (audits.get("network-requests", {}).get("details") or {}).get("items", [])
    # data:/blob: URLs show up in network-requests but never touch the network
    reqs = [r for r in items if not r.get("url", "").startswith(("data:", "blob:"))]
    offhost, failed = [], []
    for r in reqs:
        u = urlsplit(r.get("url", ""))
        if u.scheme in ("http", "https", "ws", "wss") and u.hostname not in LOOPBACK:
            offhost.append(r["url"])
        status = r.get("statusCode") or 0
        if not r.get("finished", True) or status >= 400 or status <= 0:
            failed.append({"url": r.get("url"), "status": r.get("statusCode")})
    by_type: dict = {}
    for r in reqs:
        t = by_type.setdefault(r.get("resourceType") or "Other", {"requests": 0, "transfer_bytes": 0})
        t["requests"] += 1
        t["transfer_bytes"] += r.get("transferSize") or 0
    console = [
        {
            "source": i.get("source"),
            "description": (i.get("description") or "")[:300],
            "url": (i.get("sourceLocation") or {}).get("url") or i.get("url"),
        }
        for i in (audits.get("errors-in-console", {}).get("details") or {}).get("items", [])
    ]
    return {
        "scores": {
            c: None if lhr["categories"].get(c, {}).get("score") is None else round(lhr["categories"][c]["score"] * 100)
            for c in CATEGORIES
        },
        "requests": len(reqs),
        "transfer_bytes": sum(r.get("transferSize") or 0 for r in reqs),
        "resource_bytes": sum(r.get("resourceSize") or 0 for r in reqs),
        "by_type": dict(sorted(by_type.items())),
        "inline_data_urls": len(items) - len(reqs),
        "request_list": [
            {
                "url": r.get("url"),
                "type": r.get("resourceType"),
                "status": r.get("statusCode"),
                "transfer_bytes": r.get("transferSize"),
            }
            for r in reqs
        ],
        "offhost_requests": sorted(set(offhost)),
        "failed_requests": failed,
        "console_errors": console,
        "runtime_error": (lhr.get("runtimeError") or {}).get("message"),
        "run_warnings": lhr.get("runWarnings", []),
        "metrics_ms": {
            k: round(audits[k]["numericValue"])
            for k in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time")
            if audits.get(k, {}).get("numericValue") is not None
        },
        "lighthouse": lhr.get("lighthouseVersion"),
        "chrome_ua": lhr.get("environment", {}).get("hostUserAgent"),
    }


def median_of(runs: list[dict]) -> dict:
    """Median scores/bytes over runs; lists are taken from the last run."""

    def med(vals):
        vals = [v for v in vals if v is not None]
        return statistics.median_low(vals) if vals else None

    agg = dict(runs[-1])
    agg["scores"] = {c: med([r["scores"][c] for r in runs]) for c in CATEGORIES}
    for k in ("requests", "transfer_bytes", "resource_bytes"):
        agg[k] = med([r[k] for r in runs])
    agg["offhost_requests"] = sorted({u for r in runs for u in r["offhost_requests"]})
    if len(runs) > 1:
        agg["all_scores"] = [r["scores"] for r in runs]
    return agg


def _raise_interrupt(*_):
    """SIGTERM -> KeyboardInterrupt, so that the finally blocks stop everything."""
    raise KeyboardInterrupt


def page_url(base: str, site: Path, page: str) -> str:
    page = page.lstrip("/")
    target = site / page
    if not (target.is_file() or (target / "index.html").is_file()):
        log(f"warning: {page!r} not found in {site}")
    return base + page


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site_dir", type=Path)
    ap.add_argument("pages", nargs="+")
    ap.add_argument("--json", type=Path, help="write the full report here")
    ap.add_argument("--presets", default="mobile,desktop")
    ap.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page and preset (median)")
    ap.add_argument("--timeout", type=float, default=180, help="seconds per Lighthouse run")
    ap.add_argument("--no-gzip", action="store_true", help="serve files uncompressed")
    ap.add_argument("--strict", action="store_true", help="exit 2 on off-host requests or console errors")
    args = ap.parse_args(argv)
    site = args.site_dir.resolve()
    if not site.is_dir():
        ap.error(f"{site} is not a directory")
    presets = [p.strip() for p in args.presets.split(",") if p.strip()]
    if not set(presets) <= {"mobile", "desktop"}:
        ap.error("--presets takes mobile and/or desktop")
    if not (os.path.isfile(CHROME) and os.access(CHROME, os.X_OK)):
        sys.exit(f"site_audit: Chromium not found at {CHROME} (set CHROME_PATH)")

    cli = lighthouse_cli()
    signal.signal(signal.SIGTERM, _raise_interrupt)
    httpd, base = start_server(site, not args.no_gzip)
    report = {"site_dir": str(site), "served_at": base, "gzip": not args.no_gzip, "runs": args.runs, "pages": {}}
    failures = 0
    try:
        for page in args.pages:
            url = page_url(base, site, page)
            entry = report["pages"][page] = {}
            for preset in presets:
                runs, errors = [], []
                for i in range(args.runs):
                    t0 = time.monotonic()
                    try:
                        summary = summarize(run_lighthouse(cli, url, preset, args.timeout))
                        if summary["runtime_error"]:  # page did not load properly
                            raise RuntimeError(summary["runtime_error"])
                        runs.append(summary)
                        log(f"{page} {preset} run {i + 1}: {summary['scores']} ({time.monotonic() - t0:.0f}s)")
                    except RuntimeError as exc:
                        failures += 1
                        errors.append(str(exc))
                        log(f"{page} {preset} run {i + 1} FAILED: {exc}")
                entry[preset] = median_of(runs) if runs else {"error": "; ".join(errors)}
                if runs and errors:
                    entry[preset]["errors"] = errors
    except KeyboardInterrupt:
        log("interrupted")
        failures += 1
    finally:
        httpd.shutdown()
        httpd.server_close()

    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.json:
        args.json.write_text(text + "\n")
    print_table(report)
    if not args.json:
        print(text)
    if failures:
        return 1
    dirty = any(
        r.get("offhost_requests") or r.get("console_errors") for p in report["pages"].values() for r in p.values()
    )
    return 2 if args.strict and dirty else 0


def print_table(report: dict) -> None:
    hdr = (
        f"{'page':28} {'preset':8} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} "
        f"{'reqs':>5} {'xfer KiB':>9} {'offhost':>7} {'console':>7}"
    )
    print(hdr, file=sys.stderr)
    for page, presets in report["pages"].items():
        for preset, r in presets.items():
            if "error" in r:
                print(f"{page[:28]:28} {preset:8} ERROR {r['error']}", file=sys.stderr)
                continue
            s = r["scores"]
            print(
                f"{page[:28]:28} {preset:8} {s['performance']!s:>4} {s['accessibility']!s:>4} "
                f"{s['best-practices']!s:>4} {s['seo']!s:>4} {r['requests']:>5} "
                f"{r['transfer_bytes'] / 1024:>9.1f} {len(r['offhost_requests']):>7} "
                f"{len(r['console_errors']):>7}",
                file=sys.stderr,
            )


if __name__ == "__main__":
    sys.exit(main())
