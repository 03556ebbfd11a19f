"""Faults of the machine rather than the content: permissions, two builds at once, a build that
was killed, a read-only folder, a busy preview port."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from explainer.cli import main as explainer_main
from explainer.core.buildlock import lock_file
from tests.conftest import ROOT


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cli(project: Path, *extra: str) -> list[str]:
    config = ["--config", str(project / "mkdocs.yml"), "--site-dir", str(project / "site"), "-q"]
    return [sys.executable, str(ROOT / "build.py"), *extra, *config]


def test_the_site_is_world_readable_whatever_the_umask(project):
    old = os.umask(0o077)
    try:
        assert explainer_main(["--config", str(project / "mkdocs.yml"), "--site-dir", str(project / "site"), "-q"]) == 0
    finally:
        os.umask(old)
    site = project / "site"
    modes = {stat.S_IMODE(p.stat().st_mode) for p in [site, *site.rglob("*")] if p.is_dir()}
    assert modes == {0o755}
    modes = {stat.S_IMODE(p.stat().st_mode) for p in site.rglob("*") if p.is_file()}
    assert modes == {0o644}


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to run a server as nobody")
def test_a_web_server_running_as_another_user_serves_every_page(project):
    """As nginx's www-data would: a server running as `nobody` reads every page and asset."""
    public = Path(tempfile.mkdtemp())
    try:
        public.chmod(0o755)
        old = os.umask(0o077)
        try:
            site = public / "site"
            assert explainer_main(["--config", str(project / "mkdocs.yml"), "--site-dir", str(site), "-q"]) == 0
        finally:
            os.umask(old)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c"]
        command.append(
            "import http.server, functools, sys; "
            f"h = functools.partial(http.server.SimpleHTTPRequestHandler, directory={str(site)!r}); "
            f"s = http.server.HTTPServer(('127.0.0.1', {port}), h); print('ready', flush=True); s.serve_forever()"
        )
        server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            assert server.stdout.readline().strip() == "ready"
            files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
            assert len(files) > 10
            for name in files:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{name}") as response:
                    assert response.status == 200, name
        finally:
            server.kill()
            server.wait()
    finally:
        shutil.rmtree(public, ignore_errors=True)


def test_a_second_build_waits_for_the_first_and_says_who_holds_the_lock(project):
    lock = lock_file(project / "site")
    handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        os.pwrite(handle, b"build pid 4242", 0)
        second = subprocess.Popen(cli(project), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert second.stderr.readline().startswith("waiting: build pid 4242 is building ")
        assert second.poll() is None, "the second build did not wait"
        assert not (project / "site").exists()
    finally:
        os.close(handle)  # the first build is done: the second goes on
    assert second.wait(timeout=300) == 0, second.stderr.read()
    assert (project / "site" / "index.html").exists()


def test_staging_folders_left_by_a_killed_build_are_cleaned_by_the_next(project):
    for leftover in (".site.building-x1y2z3", ".site.old-999"):
        (project / leftover / "en").mkdir(parents=True)
        (project / leftover / "en" / "index.html").write_text("half a site", encoding="utf-8")
    assert explainer_main(["--config", str(project / "mkdocs.yml"), "--site-dir", str(project / "site"), "-q"]) == 0
    assert sorted(p.name for p in project.glob(".site.*")) == []


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make a folder read-only, even for root (the immutable attribute), for the test's duration."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
            pytest.skip("cannot make a folder read-only for root here (chattr +i)")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)


def test_a_read_only_folder_is_one_line_and_the_site_is_kept(project):
    parent = project / "out"
    site = parent / "site"
    assert explainer_main(["--config", str(project / "mkdocs.yml"), "--site-dir", str(site), "-q"]) == 0
    before = snapshot(site)
    with read_only(parent):
        command = [sys.executable, str(ROOT / "build.py"), "--config", str(project / "mkdocs.yml")]
        result = subprocess.run([*command, "--site-dir", str(site), "-q"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: out: cannot write here (") and "choose another --site-dir" in lines[0]
    assert lines[1:] == ["The previous site was left as it was."]
    assert snapshot(site) == before


def test_a_busy_preview_port_is_one_line(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(cli(project, "serve", "--port", str(port)), capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert (
        result.stderr
        == f"error: 127.0.0.1:{port}: Address already in use (another preview?); stop it or pass --port <another>\n"
    )
