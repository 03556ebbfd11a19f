"""The engine's command line: `explainer build | serve | check | new`.

    explainer build  [--config mkdocs.yml] [--site-dir site] [--site-url URL] [--article PATH]
    explainer serve  [--port 8000]           live preview on 127.0.0.1, rebuilt on every edit
    explainer check                          load and run every check; write nothing
    explainer new DIR [--languages zh,en]    a small working explainer to start from

A project is the folder its mkdocs.yml is in: `--config`, else ./mkdocs.yml.
"""

from __future__ import annotations

import argparse
import errno
import gc
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from explainer.core.errors import BuildError, IncompleteError, relative
from explainer.core.mkdocs_adapter import live_reload_server, quiet, say_where_served
from explainer.load.quotes import ENV_VAR
from explainer.load.settings import cache_folder

if TYPE_CHECKING:
    from explainer.builder import BuildReport
    from explainer.preview import BuildOutcome

log = logging.getLogger("explainer")
ENGINE = Path(__file__).resolve().parent


EVERY_TIME = "every_time"  # a record with this attribute set (extra=) is said after every build: "Built ..."


class SayOnce(logging.Filter):
    """Let each distinct message through once: the preview rebuilds on every save, and a standing
    note (no site_url, no article) repeated after each one would bury what the save changed."""

    def __init__(self) -> None:
        super().__init__()
        self.said: set[str] = set()

    def first(self, message: str) -> bool:
        """True the first time a message is seen."""
        if message in self.said:
            return False
        self.said.add(message)
        return True

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, EVERY_TIME, False) or self.first(record.getMessage())


SAY_ONCE = SayOnce()  # the build's notes, and in the preview its log too


def _failed(message: str, wrote: bool = True, outcome: BuildOutcome | None = None) -> bool:
    print(f"error: {message}", file=sys.stderr)
    if wrote:  # `check` writes no site, so it has none to keep
        print("The previous site was left as it was.", file=sys.stderr)
    if outcome is not None:  # the preview shows it over its pages too
        outcome.failure = message
    return False


def run_build(args: argparse.Namespace, preview: bool = False, outcome: BuildOutcome | None = None) -> bool:
    """Build once (or only check, for `explainer check`); print a user's mistake as a message,
    not a traceback. `outcome`: the preview's record of the last build's failure."""
    from explainer.builder import build, check

    checking = getattr(args, "command", "build") == "check"
    try:
        if checking:
            report = check(args.config.resolve(), article=args.article)
        else:
            report = build(
                args.config.resolve(), args.site_dir.resolve(), args.site_url, article=args.article, preview=preview
            )
    except BuildError as exc:
        return _failed(str(exc), not checking, outcome)
    except OSError as exc:  # the machine, not the content: a read-only folder, a full disk
        return _failed(machine_problem(exc, args, checking), not checking, outcome)
    if outcome is not None:
        outcome.failure = None
    for note in report.notes:
        if SAY_ONCE.first(note):
            print(f"note: {note}", file=sys.stderr)
    _say_done(args, report, checking)
    return True


def machine_problem(exc: OSError, args: argparse.Namespace, checking: bool) -> str:
    """A failure of the machine, not the content, in one line that names the folder to fix: for
    a full disk, the folder of ours (the site's, the cache, the temporary one) whose disk is full,
    since the failed write may name a file in a staging folder since removed, or no file at all."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        site_parent = args.site_dir.resolve().parent
        folders = {
            **({} if checking else {relative(args.site_dir): site_parent}),
            relative(cache_folder(args.config.resolve())): cache_folder(args.config.resolve()),
            tempfile.gettempdir(): Path(tempfile.gettempdir()),
        }
        full = [name for name, folder in folders.items() if _free_bytes(folder) < FULL_BELOW]
        where = " and ".join(full) if full else (relative(Path(exc.filename)) if exc.filename else "the build")
        return f"{where}: no space left on its disk; free some space there (or build elsewhere) and build again"
    where = relative(Path(exc.filename)) if exc.filename else "the build"
    return f"{where}: {exc.strerror or exc}; fix the folder (permissions, space) and build again"


FULL_BELOW = 16 * 1024 * 1024  # bytes free under which a disk counts as the full one


def _free_bytes(folder: Path) -> int:
    """Free bytes on the disk that holds a folder (or its nearest existing parent)."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return FULL_BELOW


def _say_done(args: argparse.Namespace, report: BuildReport, checking: bool) -> None:
    stages = ", ".join(f"{k} {v:.2f} s" for k, v in report.timings.items())
    charts_done = f"{_count(len(report.rendered), 'chart')} rendered, {len(report.reused)} reused"
    charts_done += f", {_count(report.pages_converted, 'page')} converted, {report.pages_kept} kept"
    charts_done += f", {report.pages_written} written"
    if checking:
        log.info("Checked %s: no problem (%s; %s)", relative(args.config), stages, charts_done)
    else:
        took = sum(report.timings.values())
        log.info("Built %s in %.2f s (%s; %s)", args.site_dir, took, stages, charts_done, extra={EVERY_TIME: True})


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def preview_build(args: argparse.Namespace, outcome: BuildOutcome) -> None:
    """Rebuild for the preview; never raise, or MkDocs' server would hold every request until
    the next good build (the last good site stays served, with the failure shown over it, and
    the next save tries again)."""
    try:
        run_build(args, preview=True, outcome=outcome)
    except Exception as exc:  # a bug of ours, not the content's: say it in one line
        message = f"the build failed unexpectedly ({type(exc).__name__}: {exc}); please report it"
        print(f"error: {message}", file=sys.stderr)
        outcome.failure = message


def serve(args: argparse.Namespace) -> int:
    """Serve the site on 127.0.0.1 and rebuild it, then reload the browser, on every edit."""
    from explainer.load.settings import load_settings
    from explainer.preview import BuildOutcome, allow_livereload, listen_for_changes, show_build_failure

    port_free = _port_problem(args.port)
    if port_free is not None:
        print(f"error: {port_free}", file=sys.stderr)
        return 1
    log.addFilter(SAY_ONCE)
    outcome = BuildOutcome()
    run_build(args, outcome=outcome)
    server = live_reload_server(
        builder=lambda: preview_build(args, outcome),
        host="127.0.0.1",
        port=args.port,
        root=args.site_dir.resolve(),
        # where the system cannot tell of changes (listen_for_changes): polling every 0.05 s (and
        # rebuilding after 0.05 s of quiet) measured twice as slow from save to browser as 0.1 s
        polling_interval=0.1,
    )
    # its reload script, allowed by hash in our CSP; a failed build's messages over every page
    server.set_app(show_build_failure(allow_livereload(server.get_app()), outcome))
    listen_for_changes(server)  # told of a save at once (inotify), not polling every watched file
    if not args.quiet:  # MkDocs says "Serving on <address>" once it listens
        say_where_served()
    config = args.config.resolve()
    try:
        settings = load_settings(config)
    except IncompleteError as exc:  # only a language's words missing: its folders are known
        settings = exc.partial
    except BuildError:  # the first build said what is wrong; watch the usual folders meanwhile
        settings = None
    watched = (
        [settings.content_dir, settings.templates_dir, settings.charts_dir]
        if settings is not None
        else [config.parent / name for name in ("content", "templates", "charts")]
    )
    for path in (*watched, ENGINE):
        if path.exists():
            server.watch(str(path))
    server.watch(str(config), recursive=False)
    # stopped by its service manager (SIGTERM) as by Ctrl-C: the chart workers are shut down cleanly
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server.serve()
    except KeyboardInterrupt:
        log.info("Stopped.")
    finally:
        server.shutdown()
    return 0


def _port_problem(port: int) -> str | None:
    """Say why the preview cannot listen on 127.0.0.1:port, or None when it can."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the preview's server does
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            return f"127.0.0.1:{port}: {exc.strerror} (another preview?); stop it or pass --port <another>"
    return None


def parser(project: Path | None = None) -> argparse.ArgumentParser:
    """The command line. `project`: the folder whose mkdocs.yml and site/ are the defaults (the
    current folder for `explainer`, the project's own for its build.py)."""
    here = project or Path.cwd()
    main_parser = argparse.ArgumentParser(
        prog="explainer",
        description=(__doc__ or "").splitlines()[0],
        epilog="With no command, `explainer` builds (as `explainer build`).",
    )
    commands = main_parser.add_subparsers(dest="command", metavar="{build,serve,check,new}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=here / "mkdocs.yml", help="the project's mkdocs.yml")
    common.add_argument(
        "--article",
        type=Path,
        default=os.environ.get(ENV_VAR) or None,
        help=f"the source article (default: ${ENV_VAR}, else extra.article.path in mkdocs.yml)",
    )
    common.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    site = argparse.ArgumentParser(add_help=False)
    site.add_argument(
        "--site-dir", type=Path, default=None, help="where to write the site (default: site/ beside the config)"
    )
    site.add_argument("--site-url", default=None, help="public address (overrides site_url in mkdocs.yml)")
    commands.add_parser("build", parents=[common, site], help="build the site into site/")
    serve_parser = commands.add_parser("serve", parents=[common, site], help="live preview on 127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1")
    commands.add_parser("check", parents=[common], help="run every check a build runs; write nothing")
    new = commands.add_parser("new", help="start a new explainer in a folder")
    new.add_argument("folder", type=Path, help="the new project's folder (new, or empty)")
    new.add_argument("--languages", default="zh,en", help="language codes, the source's own first (default: zh,en)")
    new.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    return main_parser


def main(argv: list[str] | None = None, project: Path | None = None) -> int:
    """Run one command; `build` when none is given."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or (arguments[0].startswith("-") and arguments[0] not in ("-h", "--help")):
        arguments.insert(0, "build")
    args = parser(project).parse_args(arguments)
    if getattr(args, "site_dir", "") is None:  # the project's own site: beside its mkdocs.yml, wherever the
        args.site_dir = args.config.parent / "site"  # command runs (not another project's site/ in the cwd)
    # The build's modules make only objects that live until the process ends: collecting garbage
    # while they are imported found none and cost a text edit's rebuild ~12 ms.
    gc.disable()
    from explainer import builder  # noqa: F401

    gc.freeze()  # what the imports made is kept to the end: later collections need not look at it
    gc.enable()
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s - %(message)s")
    quiet()
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetter says what it pruned, per font
    if args.command == "new":
        from explainer.scaffold import new_project

        return new_project(args.folder, args.languages, quiet=args.quiet)
    if args.command == "serve":
        return serve(args)
    try:
        done = run_build(args)
    except KeyboardInterrupt:  # Ctrl-C: the build cleaned up after itself; no traceback
        print("Interrupted: the previous site was left as it was.", file=sys.stderr)
        return 130
    # Everything is written and closed: what is left is freed by the process's end. The collection
    # Python runs as it exits went through every object of the build for nothing (~50 ms of a
    # text edit's ~0.4 s); frozen objects are left to the exit (stdout, stderr and atexit still run).
    gc.freeze()
    return 0 if done else 1
