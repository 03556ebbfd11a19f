"""Run Debian's nginx in the foreground with deploy/nginx.conf, serving a built site on 127.0.0.1.

Usage:  python -m deploy.nginx [--site site] [--port 8080]      (what `make nginx` runs)

The site's own configuration (deploy/nginx.conf) is used as published; only its `listen` and
`root` lines are set here. A small wrapper supplies what a system nginx.conf would: the MIME
types, the brotli module when Debian's package is installed, and a private folder for the pid
file and temp files, so nothing under /etc or /var is touched and no root is needed. Run as
root, nginx's workers drop to www-data, so the site is made readable by everyone.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE_CONF = HERE / "nginx.conf"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
WORKER_USER = "www-data"

WRAPPER = """\
# Written by deploy/nginx.py: deploy/nginx.conf in the foreground, everything in {run}.
{user}daemon off;
worker_processes 1;
pid {run}/nginx.pid;
error_log stderr warn;
{modules}
events {{ worker_connections 256; }}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include {run}/site.conf;
}}
"""


def nginx_binary() -> str:
    """Debian's nginx (in /usr/sbin, which a non-root PATH may lack)."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        msg = "nginx is not installed; `make nginx` installs Debian's nginx with apt-get"
        raise SystemExit(msg)
    return found


def site_conf(site: Path, port: int, brotli: bool) -> str:
    """deploy/nginx.conf with its listen address and root set; without the brotli module, no brotli_static."""
    text = SITE_CONF.read_text(encoding="utf-8")
    text, listens = re.subn(r"(?m)^(\s*)listen \S+;", rf"\g<1>listen 127.0.0.1:{port};", text)
    text, roots = re.subn(r"(?m)^(\s*)root \S+;", lambda m: f"{m.group(1)}root {site};", text)
    if (listens, roots) != (1, 1):
        msg = f"{SITE_CONF}: expected one `listen` and one `root` line in the server block"
        raise ValueError(msg)
    if not brotli:
        text = re.sub(r"(?m)^\s*brotli_static .*\n", "", text)
    return text


def write_config(site: Path, port: int, run_dir: Path) -> Path:
    """Write the wrapper and the site block into run_dir; return the wrapper's path."""
    brotli = BROTLI_MODULE.exists()
    (run_dir / "site.conf").write_text(site_conf(site.resolve(), port, brotli), encoding="utf-8")
    wrapper = WRAPPER.format(
        run=run_dir,
        user=f"user {WORKER_USER};\n" if os.geteuid() == 0 else "",
        modules=f"load_module {BROTLI_MODULE};" if brotli else "",
    )
    conf = run_dir / "nginx.conf"
    conf.write_text(wrapper, encoding="utf-8")
    return conf


def command(conf: Path) -> list[str]:
    """The nginx command line for a wrapper written by write_config."""
    return [nginx_binary(), "-p", str(conf.parent), "-c", str(conf), "-e", "stderr"]


def closed_parent(site: Path) -> Path | None:
    """The first folder on the way to site/ that others (nginx's www-data workers) cannot enter."""
    for folder in reversed(site.resolve().parents):
        if folder.stat().st_mode & 0o005 != 0o005:
            return folder
    return None


def open_to_all(site: Path) -> None:
    """Make the built site readable by everyone, as anything published is (a/r files, a/rx folders)."""
    for folder, _dirs, files in os.walk(site):
        os.chmod(folder, os.stat(folder).st_mode | 0o755)
        for name in files:
            path = os.path.join(folder, name)
            os.chmod(path, os.stat(path).st_mode | 0o644)


def main(argv: list[str] | None = None) -> int:
    """Serve a built site with nginx until Ctrl-C."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=HERE.parent / "site", help="the built site folder")
    parser.add_argument("--port", type=int, default=8080, help="port on 127.0.0.1")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        print(f"error: {args.site}/index.html is missing; build the site first (make site)", file=sys.stderr)
        return 1
    if os.geteuid() == 0:
        if blocked := closed_parent(args.site):
            print(
                f"error: {blocked} cannot be entered by {WORKER_USER}, which nginx's workers run as; "
                f"build into a folder others can reach (python build.py --site-dir ...) and serve that",
                file=sys.stderr,
            )
            return 1
        open_to_all(args.site)
    with tempfile.TemporaryDirectory(prefix="explainer-nginx-") as run:
        conf = write_config(args.site, args.port, Path(run))
        check = subprocess.run([*command(conf), "-t", "-q"], check=False)
        if check.returncode:
            return check.returncode
        print(f"Serving {args.site.resolve()} with nginx on http://127.0.0.1:{args.port}/ (Ctrl-C stops)")
        server = subprocess.Popen(command(conf))
        # `kill` stops nginx too; Ctrl-C reaches it directly (same process group)
        signal.signal(signal.SIGTERM, lambda *_: server.terminate())
        try:
            return server.wait()
        except KeyboardInterrupt:
            server.wait()
            return 0


if __name__ == "__main__":
    sys.exit(main())
