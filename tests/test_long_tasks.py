"""No long task comes from our scripts: every article page in every language, loaded on a phone
with its CPU slowed down as Lighthouse slows it (4x), scrolled through so that each chart turns
interactive, and a chart stepped through with the arrow keys, all inside a Chromium performance
trace. A task over 50 ms blocks the reader's taps and keys (Lighthouse's total blocking time is
the sum of what each one lasts beyond 50 ms); this fails on any such task whose time is mostly
our own scripts' (site.js, search.js, embed.js).

Whose time a task is comes from the trace's CPU samples: each sample goes to the innermost frame
of its stack that belongs to one of the site's files (a browser function our code calls, or a
layout it forces, counts as ours), so a frame of rendering in which our 1 ms scroll handler ran is
the browser's, and a 100 ms loop in our code is ours. The chart runtime's own work (Vega
evaluating itself once, then drawing each chart) is counted apart: nothing outside Vega can split
it, charts.js gives each piece a task of its own, and its time is reported, not failed
(docs/testing.md says why, and what the rate is chosen for).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from tests.conftest import LANGS, PAGES
from tests.test_browser import url_path

playwright_api = pytest.importorskip("playwright.sync_api")

RATE = 4  # Lighthouse's mobile CPU slowdown (docs/testing.md)
LONG_MS = 50  # a long task, as the browser and Lighthouse count it
# Lighthouse's phone (a Moto G Power): its viewport, pixel ratio and touch
PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True, "has_touch": True}
CATEGORIES = [
    "toplevel",  # the tasks (ThreadControllerImpl::RunTask)
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-v8.cpu_profiler",  # the samples that say whose code a task ran
]
TASKS = frozenset({"ThreadControllerImpl::RunTask", "RunTask"})


@dataclass
class Task:
    start: int  # µs, trace clock
    duration: int  # µs, wall clock
    cpu: int  # µs the thread ran (slowed down by RATE, not by other processes on the box)
    sampled: float = 0.0  # ms of CPU samples in the task
    in_ours: float = 0.0  # of which in our scripts
    in_runtime: float = 0.0  # of which in the chart runtime

    @property
    def ms(self) -> float:
        return self.cpu / 1000

    @property
    def ours(self) -> float:
        """Our scripts' share of the task's running time, in ms."""
        return self.ms * self.in_ours / self.sampled if self.sampled else 0.0

    @property
    def runtime(self) -> float:
        return self.ms * self.in_runtime / self.sampled if self.sampled else 0.0


def renderer_threads(events: list[dict], origin: str) -> set[tuple[int, int]]:
    """The main threads of the renderers that ran our pages (the ones whose events name our server)."""
    mains = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }
    return {
        (e["pid"], e["tid"])
        for e in events
        if (e.get("pid"), e.get("tid")) in mains and origin in json.dumps(e.get("args", {}))
    }


def long_tasks(events: list[dict], threads: set[tuple[int, int]]) -> list[Task]:
    """The outermost tasks on those threads that ran over LONG_MS, in order. Their length is the
    time the thread ran (the trace's thread time, `tdur`): the same slowed-down CPU, but not the
    time the box's other processes took it away (wall-clock lengths varied threefold on a busy
    2-core box; this is also how Lighthouse's simulation counts, from CPU time)."""
    found: list[Task] = []
    candidates = sorted(
        (
            e
            for e in events
            if e.get("name") in TASKS and e.get("ph") == "X" and (e.get("pid"), e.get("tid")) in threads
        ),
        key=lambda e: (e["ts"], -e.get("dur", 0)),
    )
    end = -1
    for event in candidates:
        if event["ts"] < end:  # nested in the task before
            continue
        end = event["ts"] + event.get("dur", 0)
        cpu = event.get("tdur", event.get("dur", 0))
        if cpu > LONG_MS * 1000:
            found.append(Task(event["ts"], event["dur"], cpu))
    return found


def samples(events: list[dict], threads: set[tuple[int, int]]):
    """(time, ms, url of the innermost site frame or '') for every CPU sample on those threads."""
    starts = {}
    for e in events:
        if e.get("name") == "Profile" and (e.get("pid"), e.get("tid")) in threads:
            starts[(e["pid"], e["id"])] = e["args"]["data"]["startTime"]
    nodes: dict[tuple, dict] = {}
    clock: dict[tuple, int] = {}
    chunks = sorted(
        (e for e in events if e.get("name") == "ProfileChunk" and (e["pid"], e.get("id")) in starts),
        key=lambda e: e["ts"],
    )
    for chunk in chunks:
        key = (chunk["pid"], chunk["id"])
        data = chunk["args"]["data"]
        profile = data.get("cpuProfile", {})
        for node in profile.get("nodes", []):
            nodes[(*key, node["id"])] = node
        at = clock.get(key, starts[key])
        for node_id, delta in zip(profile.get("samples", []), data.get("timeDeltas", []), strict=False):
            at += delta
            yield at, delta / 1000, site_frame(nodes, key, node_id)
        clock[key] = at


def site_frame(nodes: dict[tuple, dict], key: tuple, node_id: int) -> str:
    """The URL of the innermost frame on a sample's stack that has one ('' if none)."""
    node = nodes.get((*key, node_id))
    while node is not None:
        url = node.get("callFrame", {}).get("url", "")
        if url.startswith("http"):
            return url
        node = nodes.get((*key, node["parent"])) if "parent" in node else None
    return ""


def attribute(events: list[dict], origin: str) -> list[Task]:
    """The long tasks of our pages' renderers, each with the time our scripts and the runtime took in it."""
    threads = renderer_threads(events, origin)
    tasks = long_tasks(events, threads)
    for at, ms, url in samples(events, threads):
        for task in tasks:
            if task.start <= at <= task.start + task.duration:
                task.sampled += ms
                if url.startswith(origin + "/assets/vega."):
                    task.in_runtime += ms
                elif url.startswith(origin + "/assets/"):
                    task.in_ours += ms
                break
    return tasks


def ours(task: Task) -> bool:
    """A long task is ours when most of it, or over LONG_MS of it, is our scripts' time."""
    return task.ours >= task.ms / 2 or task.ours > LONG_MS


def read_through(tab) -> None:
    """What a reader does: each chart brought into view until it is interactive (or has kept its
    static drawing), a chart stepped through with the arrow keys, then back up a little, which
    brings the header (and the language switch) back."""
    figures = tab.locator(".chart[data-spec]")
    for index in range(figures.count()):
        figure = figures.nth(index).element_handle()
        figure.scroll_into_view_if_needed()
        tab.wait_for_function(
            "f => f.classList.contains('is-live') || f.classList.contains('is-static')", arg=figure, timeout=60_000
        )
    live = tab.locator(".chart.is-live .chart-view:visible")
    if live.count():
        live.first.focus()
        tab.keyboard.press("ArrowRight")
        tab.wait_for_selector(".chart-focus:not([hidden])")
    tab.mouse.wheel(0, 4000)
    tab.wait_for_function("() => scrollY > 0")
    tab.mouse.wheel(0, -300)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_no_long_task_comes_from_our_scripts(browser, server, page, lang):
    context = browser.new_context(**PHONE)  # a reader's first visit: nothing compiled or cached
    try:
        tab = context.new_page()
        context.new_cdp_session(tab).send("Emulation.setCPUThrottlingRate", {"rate": RATE})
        browser.start_tracing(page=tab, categories=CATEGORIES)
        try:
            tab.goto(server + url_path(lang, page), wait_until="load")
            read_through(tab)
        finally:
            trace = json.loads(browser.stop_tracing())
    finally:
        context.close()
    tasks = attribute(trace["traceEvents"], server)
    report = [f"{t.ms:.0f} ms (ours {t.ours:.0f} ms, runtime {t.runtime:.0f} ms)" for t in tasks if t.ours or t.runtime]
    blocking = [t for t in tasks if ours(t)]
    assert not blocking, f"{url_path(lang, page)} at {RATE}x CPU: long tasks from our scripts: {report}"
