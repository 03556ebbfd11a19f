"""A throwaway WordPress on 127.0.0.1, as a writer's blog: Debian's `wordpress` package (6.1),
PHP's built-in web server and a private MariaDB reached by socket only (no TCP port).

Nothing outside a temp folder is written: the package's files are read in place through a
tree of symlinks, and our own wp-config.php is found through `auto_prepend_file`, which
defines ABSPATH as that tree (PHP resolves symlinks in __DIR__, so wp-load.php would
otherwise find Debian's config in /etc/wordpress).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

WORDPRESS = Path("/usr/share/wordpress")
NEEDED = ("php", "mariadbd", "mariadb-install-db", "mariadb-admin", "mariadb")

# Allow WordPress to fetch oEmbed data from the test's own static server on 127.0.0.1 (WordPress
# refuses local hosts and ports other than 80, 443 and 8080 unless told otherwise), and send no mail.
MU_PLUGIN = """<?php
add_filter('http_request_host_is_external', function ($external, $host) {
    return $host === '127.0.0.1' ? true : $external;
}, 10, 2);
add_filter('http_allowed_safe_ports', function ($ports) { $ports[] = %(port)d; return $ports; });
add_filter('pre_wp_mail', '__return_false');
"""

CONFIG = """<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:%(socket)s');
define('DB_CHARSET', 'utf8mb4');
define('WP_CONTENT_DIR', '%(content)s');
define('WP_HOME', '%(url)s');
define('WP_SITEURL', '%(url)s');
define('AUTOMATIC_UPDATER_DISABLED', true);
define('DISABLE_WP_CRON', true);
$table_prefix = 'wp_';
require_once ABSPATH . 'wp-settings.php';
"""

INSTALL = """<?php
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require ABSPATH . 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('A writer\\'s blog', 'writer', 'writer@example.invalid', true, '', 'not-a-secret');
"""

POST = """<?php
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require ABSPATH . 'wp-load.php';
echo wp_insert_post(['post_title' => $argv[1], 'post_content' => $argv[2], 'post_status' => 'publish'], true);
"""


def missing() -> list[str]:
    """What this machine lacks to run WordPress (`make test` installs it with apt-get)."""
    lacking = [name for name in NEEDED if shutil.which(name) is None]
    return lacking + ([] if (WORDPRESS / "wp-settings.php").exists() else [str(WORDPRESS)])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    """Return once something listens on 127.0.0.1:port; fail if the process died or time ran out."""
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            msg = f"{process.args[0]} exited with {process.returncode}"
            raise RuntimeError(msg)
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        if time.monotonic() > deadline:
            msg = f"nothing listens on 127.0.0.1:{port} after {seconds} s"
            raise RuntimeError(msg)


class WordPress:
    """One WordPress site in `folder`, serving on 127.0.0.1, allowed to embed from `embed_port`."""

    def __init__(self, folder: Path, embed_port: int) -> None:
        self.folder = folder
        self.root = folder / "wordpress"
        self.socket = folder / "mysql.sock"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.embed_port = embed_port
        self.processes: list[subprocess.Popen] = []

    def php(self, *args: str) -> list[str]:
        return ["php", "-d", f"auto_prepend_file={self.folder / 'prepend.php'}", *args]

    def start(self) -> None:
        """Lay out the files, start MariaDB, install WordPress, start PHP's web server."""
        self.root.mkdir(parents=True)
        for entry in WORDPRESS.iterdir():
            if entry.name not in ("wp-config.php", "wp-content"):
                (self.root / entry.name).symlink_to(entry)
        content = self.folder / "wp-content"
        (content / "mu-plugins").mkdir(parents=True)
        (content / "uploads").mkdir()
        (content / "themes").symlink_to(WORDPRESS / "wp-content" / "themes")
        (content / "mu-plugins" / "local-embeds.php").write_text(MU_PLUGIN % {"port": self.embed_port})
        (self.folder / "prepend.php").write_text(f"<?php define('ABSPATH', '{self.root}/');\n")
        config = {"socket": self.socket, "content": content, "url": self.url}
        (self.root / "wp-config.php").write_text(CONFIG % config)
        self._start_database()
        for name, script in (("install.php", INSTALL), ("post.php", POST)):
            (self.folder / name).write_text(script)
        self._run(self.php(str(self.folder / "install.php")), "install WordPress")
        server = subprocess.Popen(
            self.php("-S", f"127.0.0.1:{self.port}", "-t", str(self.root)),
            stdout=subprocess.DEVNULL,
            stderr=(self.folder / "php.log").open("wb"),
        )
        self.processes.append(server)
        wait_for_port(self.port, server)

    def _start_database(self) -> None:
        data = self.folder / "mysql"
        user = ["--user=root"] if os.geteuid() == 0 else []
        self._run(
            ["mariadb-install-db", f"--datadir={data}", *user, "--auth-root-authentication-method=normal"],
            "initialise MariaDB",
        )
        files = [f"--pid-file={self.folder / 'mysql.pid'}", f"--log-error={self.folder / 'mysql.log'}"]
        database = subprocess.Popen(
            [
                "mariadbd",
                "--no-defaults",
                f"--datadir={data}",
                f"--socket={self.socket}",
                "--skip-networking",
                *user,
                *files,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.processes.append(database)
        # mariadb-admin retries the connection itself until the server answers (or 60 tries)
        self._run(["mariadb-admin", f"--socket={self.socket}", "-uroot", "--wait=60", "ping"], "reach MariaDB")
        self._run(["mariadb", f"--socket={self.socket}", "-uroot", "-e", "CREATE DATABASE wordpress"], "create the db")

    def _run(self, command: list[str], what: str) -> str:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            msg = f"could not {what}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
            raise RuntimeError(msg)
        return done.stdout

    def post(self, title: str, body: str) -> str:
        """Publish a post; return its address."""
        post_id = self._run(self.php(str(self.folder / "post.php"), title, body), "publish a post").strip()
        return f"{self.url}/?p={int(post_id)}"

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@contextlib.contextmanager
def wordpress(folder: Path, embed_port: int) -> Iterator[WordPress]:
    """A running WordPress for the length of the block."""
    site = WordPress(folder, embed_port)
    try:
        site.start()
        yield site
    finally:
        site.stop()
