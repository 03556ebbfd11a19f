"""The chart workers start no more processes than the renders need: each costs a second of
start-up (imports and Vega), which an edit that re-renders one chart would pay for nothing."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from explainer.draw import chart_pool
from explainer.draw.chart_pool import RENDERS_PER_WORKER, ChartWorkers
from explainer.draw.render import RenderedChart
from explainer.load.chart_folder import ChartFolder
from explainer.load.facts import load_facts
from explainer.load.settings import load_settings
from tests.conftest import SMALL, small_source

pytestmark = pytest.mark.slow  # starts worker processes


def children() -> int:
    return len(multiprocessing.active_children())


def test_few_renders_start_one_worker_and_many_renders_start_more():
    settings = load_settings(SMALL / "mkdocs.yml")  # the small invented project's chart
    langs, charts = settings.codes, ChartFolder(settings.charts_dir)
    facts = load_facts(settings.facts_file, langs, small_source())
    workers = ChartWorkers(workers=2)
    before = children()
    try:
        workers.start(charts, 1)
        assert children() - before == 1
        results = workers.render(charts, [("ferry_losses", "en")], facts, timeout=60)
        assert isinstance(results[("ferry_losses", "en")], RenderedChart)
        assert children() - before == 1, "the one worker rendered it"

        chart = results[("ferry_losses", "en")]
        assert workers.draw(chart.svg, 1.0).get(60).startswith(b"\x89PNG\r\n\x1a\n"), "and draws its PNG"

        workers.start(charts, RENDERS_PER_WORKER)
        assert children() - before == 1, "a fact edit's few renders: one worker, not a second start-up"
        workers.start(charts, RENDERS_PER_WORKER + 1)
        assert children() - before == 2, "more renders than one worker is worth: one per core (two here)"
        arrived: list[RenderedChart] = []  # this process's own work on each chart, done as it arrives
        results = workers.render(charts, [("ferry_losses", lang) for lang in langs], facts, 60, arrived.append)
        assert all(isinstance(result, RenderedChart) for result in results.values())
        assert sorted(chart.lang for chart in arrived) == sorted(langs)
    finally:
        workers.close()
    assert children() == before


def test_a_worker_that_ended_while_we_looked_is_not_taken_for_a_hang():
    """A crashed worker can be reaped between the look for a crash and the look at its CPU time;
    its missing CPU time must not read as a render over its limit (CI once said "did not finish
    in 3 s" for a chart that called os._exit)."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()  # reaped: gone from /proc, as the pool's own thread leaves a crashed worker
    job = ("bad", "zh")
    began = {job: (time.monotonic(), ended.pid, 0.0)}
    assert not ChartWorkers._overdue(job, began, {job: time.monotonic()}, timeout=3)
    began = {job: (time.monotonic() - 31, ended.pid, 0.0)}
    assert ChartWorkers._overdue(job, began, {job: time.monotonic()}, timeout=3), "the wall clock still holds"


def test_a_worker_reaped_by_the_pools_thread_is_reported_with_its_exit_status():
    """The pool's thread and the render loop both wait for a dead worker; whichever reaps it,
    the loop must learn how it ended (the pool's thread records the status a moment later)."""
    process = multiprocessing.get_context("spawn").Process(target=os._exit, args=(3,))
    process.start()
    chart_pool._processes.append(process)
    try:
        os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)  # dead, not yet reaped
        _, status = os.waitpid(process.pid, 0)  # reaped, as the pool's thread does, behind our back

        def record() -> None:  # the pool's thread, once it holds the GIL again
            time.sleep(0.2)
            process._popen.returncode = os.waitstatus_to_exitcode(status)

        recorder = threading.Thread(target=record)
        recorder.start()
        try:
            assert chart_pool._exitcode(process.pid) == 3
        finally:
            recorder.join()
    finally:
        chart_pool._processes.remove(process)


def test_workers_are_born_deaf_to_ctrl_c():
    """Ctrl-C reaches the build's whole process group: a worker still importing must not print a
    KeyboardInterrupt traceback, so workers start with SIGINT blocked (inherited, not set later)."""
    settings = load_settings(SMALL / "mkdocs.yml")
    workers = ChartWorkers(workers=1)
    before = set(multiprocessing.active_children())  # other tests' workers, in this process
    try:
        workers.start(ChartFolder(settings.charts_dir), 1)
        (child,) = set(multiprocessing.active_children()) - before
        status = Path(f"/proc/{child.pid}/status").read_text()
        blocked = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigBlk:")), 16)
        assert blocked & (1 << (signal.SIGINT - 1)), "SIGINT blocked from the worker's first instruction"
        assert not signal.pthread_sigmask(signal.SIG_BLOCK, set()) & {signal.SIGINT}, "the build still hears it"
    finally:
        workers.close()
