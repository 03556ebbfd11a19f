"""Render charts in worker processes, each render with a time limit.

A chart is code, and code can loop forever: rendered in the build's own process, it would hang
the build and the live preview with no message. Here each render runs in a worker process
(spawned, two at a time on a two-core machine, which also makes a cold build faster); one that
has not finished in time is reported as `charts/x.py: did not finish in 20 s` and its worker is
killed, and the build (or the preview) goes on. The workers are kept between builds, and
replaced when a chart or the rendering code changes, so the preview renders with fresh code.

Each worker confines itself before any chart code runs (explainer/draw/confine.py): no network,
writes only in a temp folder of its own; what the system refuses is said once. A worker that dies
(a signal, the out-of-memory killer, `os._exit`) is reported as a crash, with its signal.
"""

from __future__ import annotations

import atexit
import faulthandler
import logging
import multiprocessing
import multiprocessing.pool
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from explainer.core.errors import ContentError, Problem, relative
from explainer.core.paths import ENGINE
from explainer.draw.chart_fonts import TextFont, latin_folder
from explainer.draw.confine import confine, note, refuse_in_chart_code
from explainer.draw.converter import converter
from explainer.draw.exports import rasterise
from explainer.draw.render import RenderedChart, chart_problem, render_chart
from explainer.draw.spec_check import schema_check
from explainer.load.chart_folder import ChartFolder
from explainer.load.facts import FactBook

Job = tuple[str, str]  # (chart id, language)
POLL = 0.02  # seconds between looks at the running renders
WALL_FACTOR = 10  # a render may wait (not compute) this many times its limit on the wall clock
STARTUP = 180.0  # seconds a new worker may take to start (imports, Vega) before a render begins
REQUIRED_ROW_FIELDS = ("fact", "name", "value")
_ENGINE = ENGINE
log = logging.getLogger("explainer")


_started: Any = None  # in a worker: the queue on which it says when it starts a render
_stack_file: Any = None  # in a worker: where it writes its Python stack when asked (SIGUSR1)
# renders worth a worker's start: a worker takes about a second of CPU to start (Python, Altair,
# Vega) and then renders a chart in 30-40 ms (vl-convert 2.0), so a fact edit's two renders are
# done sooner by one worker than by two starting side by side on a two-core machine
RENDERS_PER_WORKER = 8
STACK_WAIT = 2.0  # seconds to wait for an overdue worker's stack before stopping it anyway
_noted: set[str] = set()  # what this process has said about the workers' confinement
_processes: list[multiprocessing.process.BaseProcess] = []  # the pools' workers, for their exit codes


def _start_worker(started: Any, folder: str) -> None:
    """Run once in each new worker: confine it (first, while it has one thread), warm Vega up, so
    a chart's time limit counts only the chart, and be ready to write the Python stack on SIGUSR1
    (a hang) or a fatal signal (a crash), so either is reported at its line."""
    global _started, _stack_file
    _started = started
    _stack_file = open(Path(folder) / f"{os.getpid()}.stack", "w")  # noqa: SIM115 (open while it lives)
    faulthandler.register(signal.SIGUSR1, file=_stack_file, all_threads=False)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle: it stops the pool
    faulthandler.enable(file=_stack_file, all_threads=False)
    scratch = Path(folder) / f"{os.getpid()}.tmp"
    scratch.mkdir()
    started.put(("confined", confine(scratch)))
    text = {"mark": "text", "data": {"values": [{"t": "Aa 亿"}]}, "encoding": {"text": {"field": "t"}}}
    # vl-convert loaded only now, confined (its threads with it); fonts loaded before a chart measures labels
    converter().vegalite_to_svg(text)
    schema_check()  # Vega-Lite's schema read and compiled, once per worker
    sys.addaudithook(refuse_in_chart_code(scratch))  # last: the engine's own start-up is not chart code


def _cpu_seconds(pid: int) -> float | None:
    """CPU seconds a process has used (Linux /proc), so a busy machine does not look like a hang;
    None once it has ended and been reaped (a crash, which `_exitcode` reports, not a hang)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None if os.path.exists("/proc/self") else time.monotonic()  # no /proc: the wall clock


def _render_job(
    charts: ChartFolder, chart_id: str, facts: FactBook, lang: str, font: TextFont | None
) -> RenderedChart | ContentError:
    """Run in a worker: render one chart and check its rows; return (not raise) any problem."""
    if _started is not None:
        _started.put(("began", (chart_id, lang, os.getpid(), _cpu_seconds(os.getpid()) or 0.0)))
    try:
        chart = render_chart(charts, chart_id, facts, lang, font=font)
    except ContentError as exc:
        return exc
    except BaseException as exc:  # sys.exit() or the like inside a chart: still the chart's fault
        message = f"the chart stopped the renderer ({type(exc).__name__}: {exc})"
        return chart_problem(exc, charts, charts.file(chart_id), message)
    problems = row_problems(charts, chart, facts)
    return ContentError(problems) if problems else chart


def _line_of(file: Path, *needles: str) -> int | None:
    """The first line of a chart's source that holds one of the needles (in the order given)."""
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for needle in needles:
        for number, text in enumerate(lines, start=1):
            if needle in text:
                return number
    return None


def row_problems(charts: ChartFolder, chart: RenderedChart, facts: FactBook) -> list[Problem]:
    """Check the rows a chart plots: each names a known fact and has a name and a value."""
    file = charts.file(chart.chart_id)
    problems = []
    for row in chart.rows:
        missing = [key for key in REQUIRED_ROW_FIELDS if key not in row]
        fact_id = row.get("fact")
        if missing:
            message = (
                f"a plotted row lacks {', '.join(repr(m) for m in missing)} (row with fact {fact_id!r}); "
                f"every row that plots a figure carries {', '.join(REQUIRED_ROW_FIELDS)}"
            )
            problems.append(Problem(relative(file), _line_of(file, '"fact"'), message))
        elif not isinstance(fact_id, str) or fact_id not in facts:
            line = _line_of(file, f'"{fact_id}"', '"fact"')
            message = f"a plotted row names an unknown fact {fact_id!r}; use an id from content/facts.yaml"
            problems.append(Problem(relative(file), line, message))
    return list(dict.fromkeys(problems))


def hang_line(pid: int, stacks: Path, chart_file: Path) -> int | None:
    """Ask a stuck worker for its Python stack and return the innermost line it was running in
    the chart's own file (faulthandler writes it even while the worker is busy in a loop)."""
    stack = stacks / f"{pid}.stack"
    try:
        os.kill(pid, signal.SIGUSR1)
    except OSError:
        return None
    deadline = time.monotonic() + STACK_WAIT
    pattern = re.compile(rf'File "{re.escape(str(chart_file))}", line (\d+)')
    while time.monotonic() < deadline:
        text = stack.read_text(encoding="utf-8", errors="replace") if stack.exists() else ""
        if "File " in text:  # faulthandler lists the most recent call first
            found = pattern.search(text)
            return int(found.group(1)) if found else None
        time.sleep(POLL)
    return None


def crash_line(pid: int, stacks: Path, chart_file: Path) -> int | None:
    """The line of the chart's own file a worker was running when a fatal signal ended it (what
    faulthandler wrote as it died), if it was in the chart's code."""
    try:
        text = (stacks / f"{pid}.stack").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = re.search(rf'File "{re.escape(str(chart_file))}", line (\d+)', text)
    return int(found.group(1)) if found else None


def crashed(charts: ChartFolder, job: Job, exitcode: int, line: int | None = None) -> ContentError:
    """The message for a worker that died while drawing a chart: its signal, or its exit status."""
    chart_id, lang = job
    if exitcode < 0:
        number = -exitcode
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = "an unknown signal"
        why = {
            signal.SIGKILL: ", perhaps out of memory (the kernel's out-of-memory killer sends it)",
            signal.SIGSEGV: ", a fault in native code the chart called",
            signal.SIGABRT: ", a fault in native code the chart called",
            signal.SIGBUS: ", a fault in native code the chart called",
        }.get(number, "")
        cause = f"signal {number} ({name}){why}"
    else:
        cause = f"it exited with status {exitcode} (os._exit, or a library that ended the process)"
    message = f"the worker drawing it in '{lang}' crashed: {cause}"
    return ContentError([Problem(relative(charts.file(chart_id)), line, message)])


class _Pool(multiprocessing.pool.Pool):
    """A pool whose worker processes are remembered after they die: the pool replaces a dead
    worker at once and forgets it, and with it the signal that ended it (Pool.Process is the
    hook the standard library's own ThreadPool overrides)."""

    @staticmethod
    def Process(ctx: Any, *args: Any, **kwds: Any) -> multiprocessing.process.BaseProcess:
        process = ctx.Process(*args, **kwds)
        _processes.append(process)
        return process


def _exitcode(pid: int) -> int | None:
    """How a worker ended (a negative number: the signal), or None while it runs. A worker that
    has ended is waited for briefly (reaped by us or by the pool's thread), so a crash on a busy
    machine is reported as a crash, not later as a time-out."""
    process = next((p for p in reversed(_processes) if p.pid == pid), None)  # the newest: pids are reused
    if process is None:
        return None if os.path.exists(f"/proc/{pid}") else -signal.SIGKILL  # gone, how unknown
    if process.exitcode is None and not _alive(pid):
        process.join(STACK_WAIT)
        # the pool's own thread may have reaped it as we did: it records the code once it holds
        # the GIL again, so give it a moment rather than take the crash for a running render
        deadline = time.monotonic() + STACK_WAIT
        while process.exitcode is None and time.monotonic() < deadline:
            time.sleep(POLL)
    return process.exitcode


def _alive(pid: int) -> bool:
    """Whether a process still runs (a zombie, dead but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return not os.path.exists("/proc/self")  # no /proc: assume it runs (the time limit still holds)
    return state not in ("Z", "X")


def _say_confinement(applied: tuple[str, ...]) -> None:
    """Say once per process what the workers could not be confined by (never a silent pass)."""
    said = note(applied)
    if said is not None and said not in _noted:
        _noted.add(said)
        log.warning(said)


def _code_fingerprint(charts: ChartFolder | None) -> tuple[tuple[str, float], ...]:
    """The chart and rendering code's files and times: workers are replaced when it changes."""
    files = [*_ENGINE.rglob("*.py"), *(charts.path.glob("*.py") if charts is not None else ())]
    return tuple(sorted((str(path), path.stat().st_mtime) for path in files))


class ChartWorkers:
    """A small pool of spawned worker processes that render charts under a time limit."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or max(1, min(2, os.cpu_count() or 1))
        self._size = 0  # workers in the running pool: no more than the renders asked for
        self._pool: multiprocessing.pool.Pool | None = None
        self._started: Any = None
        self._code: tuple[tuple[str, float], ...] = ()
        self._stacks = Path()  # where the workers write their stacks when asked: made with the pool
        self._charts: ChartFolder | None = None  # the project whose chart code the workers run

    def _ready_pool(self, needed: int | None = None, check_code: bool = True) -> multiprocessing.pool.Pool:
        """The running pool, or a new one with as many workers as `needed` (at most one per core):
        a worker costs a second of start-up, wasted on an edit that re-renders one chart.
        `check_code`: replace the pool if the engine's or the charts' code changed (a stat of a
        hundred files: once a build, not for each of its PNGs)."""
        if not check_code and self._pool is not None:
            return self._pool
        size = min(self.workers, -(-needed // RENDERS_PER_WORKER)) if needed else self.workers
        code = _code_fingerprint(self._charts)
        if self._pool is not None and (code != self._code or (needed and self._size < size)):
            self.close()
        if self._pool is None:
            latin_folder()  # made here if missing: a worker may write in its own temp folder only
            self._stacks = Path(tempfile.mkdtemp(prefix="explainer-workers-"))  # stacks, and each one's temp folder
            context = multiprocessing.get_context("spawn")
            self._started = context.SimpleQueue()  # written at once: a worker that dies next has said it began
            # Ctrl-C reaches the workers too (one process group): a worker still importing would print
            # a KeyboardInterrupt traceback. Workers (and the pool's threads, which start replacements)
            # are born with SIGINT blocked; this thread's Ctrl-C waits the few ms of the start.
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                self._pool = _Pool(
                    size, initializer=_start_worker, initargs=(self._started, str(self._stacks)), context=context
                )
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            self._code, self._size = code, size
        return self._pool

    @staticmethod
    def _overdue(job: Job, began: dict, submitted: dict, timeout: float) -> bool:
        """A render is overdue after `timeout` CPU seconds (a loop), or ten times that on the wall
        clock (a chart that sleeps or waits); a worker that never starts it, after STARTUP."""
        now = time.monotonic()
        if job not in began:
            return now - submitted[job] > STARTUP
        wall, pid, cpu = began[job]
        used = _cpu_seconds(pid)
        return (used is not None and used - cpu > timeout) or now - wall > timeout * WALL_FACTOR

    def close(self) -> None:
        """Stop the workers at once (a stuck render cannot be interrupted any other way)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            shutil.rmtree(self._stacks, ignore_errors=True)
            _processes[:] = [p for p in _processes if p.exitcode is None]

    def start(self, charts: ChartFolder, renders: int) -> None:
        """Start workers for this many renders (if not running) without waiting for them: they
        import and warm up Vega while the build goes on."""
        self._charts = charts
        self._ready_pool(renders)

    def draw(
        self, svg: str, scale: float, font: TextFont | None = None, check_code: bool = True
    ) -> multiprocessing.pool.AsyncResult:
        """Start drawing an SVG as PNG in a worker; the workers draw side by side while the build
        goes on (our own SVGs: the caller's wait has a time limit in case a worker dies).
        `check_code`: False for a build's later PNGs (its first one checked)."""
        return self._ready_pool(check_code=check_code).apply_async(rasterise, (svg, scale, font))

    def render(
        self,
        charts: ChartFolder,
        jobs: Iterable[Job],
        facts: FactBook,
        timeout: float,
        meanwhile: Callable[[RenderedChart], object] | None = None,
        font: TextFont | None = None,
    ) -> dict[Job, RenderedChart | ContentError]:
        """Render every job, at most one per worker at a time, each within `timeout` seconds.

        `meanwhile` is called with each chart as it arrives, once the next render has started:
        this process's own work on a chart (its citation) then overlaps the renders still running
        instead of following them. `font`: the CJK font's copy to draw with (chart_fonts.py)."""
        self._charts = charts
        waiting = list(jobs)
        arrived: list[RenderedChart] = []
        running: dict[Job, Any] = {}  # job -> its result
        began: dict[Job, tuple[float, int, float]] = {}  # job -> (wall clock, worker pid, its CPU seconds)
        done: dict[Job, RenderedChart | ContentError] = {}
        submitted: dict[Job, float] = {}
        checked = False  # the code is checked once a render, not at each turn of the loop
        while waiting or running:
            pool = self._ready_pool(len(waiting) + len(running), check_code=not checked)
            checked = True
            while waiting and len(running) < self._size:
                chart_id, lang = job = waiting.pop(0)
                running[job] = pool.apply_async(_render_job, (charts, chart_id, facts, lang, font))
                submitted[job] = time.monotonic()
            while arrived and meanwhile is not None:
                meanwhile(arrived.pop(0))
            while not self._started.empty():  # a render began (its own clock starts now), or a worker
                kind, said = self._started.get()
                if kind == "began":
                    chart_id, lang, pid, cpu = said
                    began[(chart_id, lang)] = (time.monotonic(), pid, cpu)
                else:
                    _say_confinement(said)
            next(iter(running.values())).wait(POLL)
            for job, result in list(running.items()):
                if result.ready():
                    done[job] = result.get()
                    del running[job]
                    if isinstance(done[job], RenderedChart):
                        arrived.append(done[job])
            dead = next((job for job in running if job in began and _exitcode(began[job][1]) is not None), None)
            late = dead or next((job for job in running if self._overdue(job, began, submitted, timeout)), None)
            if late is not None:
                pid = began[late][1] if late in began else None
                chart_file = charts.file(late[0]).resolve()
                if dead is None and pid is not None and _exitcode(pid) is not None:
                    dead = late  # it ended while we looked (a worker takes a while to exit): a crash
                if dead is not None and pid is not None:
                    exitcode = _exitcode(pid) or 0
                    done[late] = crashed(charts, late, exitcode, crash_line(pid, self._stacks, chart_file))
                else:
                    line = hang_line(pid, self._stacks, chart_file) if pid else None
                    done[late] = timed_out(charts, late, timeout, line)
                # its other languages would hang (or crash) too: say it once; the rest start again in a new pool
                waiting = [other for other in [*running, *waiting] if other[0] != late[0]]
                running.clear()
                began.clear()
                self.close()
        for chart in arrived if meanwhile is not None else ():
            meanwhile(chart)
        return done


def timed_out(charts: ChartFolder, job: Job, timeout: float, line: int | None = None) -> ContentError:
    """The message for a chart stopped at its time limit, at the line it was running if known."""
    chart_id, lang = job
    file = relative(charts.file(chart_id))
    running = "; it was running this line when stopped" if line else ""
    message = (
        f"did not finish in {timeout:g} s (rendering it in '{lang}'{running}); look for a loop that never "
        f"ends, or raise `extra.chart_timeout` in mkdocs.yml"
    )
    return ContentError([Problem(file, line, message)])


WORKERS = ChartWorkers()
atexit.register(WORKERS.close)
