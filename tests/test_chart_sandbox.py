"""Chart code stays on the site: no byte leaves a chart worker, no file appears outside its temp
folder, and a spec that would load from a URL is refused at the chart's line.

Each case builds the small invented project with one chart added (charts/bad.py, its `chart()`
body given; its first line is line 7) in a process of its own, with a listener on 127.0.0.1 that
the chart tries to reach. A case that the kernel must stop (ctypes, a program started behind the
audit hook's back) skips, with the reason, where this system cannot confine the workers; the
note such a system prints is checked in a process the kernel refuses them to.
"""

from __future__ import annotations

import multiprocessing
import platform
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from explainer.draw import confine
from explainer.draw.chart_result import MAX_ROWS
from tests.test_hostile_input import bad_chart, good_site, problem_lines, snapshot

pytestmark = pytest.mark.slow  # each case builds in a process of its own, with its chart workers


def _probe(scratch: str) -> tuple[str, ...]:
    return confine.confine(Path(scratch))


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ...]:
    """What this system lets a chart worker be confined by (tried in a spawned process, as a worker)."""
    scratch = tmp_path_factory.mktemp("probe")
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_probe, (str(scratch),))


def needs(applied: tuple[str, ...], *kinds: str) -> None:
    if not any(kind in applied for kind in kinds):
        pytest.skip(
            f"this system cannot confine chart workers by {' or '.join(kinds)} (it allows: {applied or 'none'})"
        )


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP listener on 127.0.0.1 that a chart tries to reach; nothing may arrive."""
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    try:
        yield server
    finally:
        server.close()


def received(server: socket.socket) -> bool:
    """Whether anyone connected (a connection completes in the kernel before the build goes on)."""
    try:
        connection, _ = server.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


@dataclass
class Built:
    code: int
    err: str
    lines: list[str]


def build(project: Path, *, launcher: list[str] | None = None) -> Built:
    """Build the project in a process of its own (as an editor would), by `launcher` if given."""
    config = ["--config", str(project / "mkdocs.yml"), "--site-dir", str(project / "site"), "-q"]
    command = [*(launcher or [sys.executable, "-m", "explainer"]), *config]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=project)
    return Built(result.returncode, result.stderr, problem_lines(result.stderr))


@pytest.fixture(scope="module")
def last_good() -> dict[str, bytes]:
    """The small project's good site, built by the first test that needs it and copied for the others."""
    return {}


@pytest.fixture
def site(project: Path, last_good: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> dict[str, bytes]:
    """The project's last good site, and its files before the bad build."""
    return snapshot(good_site(project, last_good, capsys))


def refused(project: Path, before: dict[str, bytes], message: str) -> None:
    """Build; assert one located message, exit 1, no traceback, site/ unchanged."""
    result = build(project)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert result.lines == [message], result.err
    assert snapshot(project / "site") == before, "a failed build changed site/"


BAR = 'return alt.Chart(alt.Data(values=[{"value": 1}])).mark_bar().encode(x="value:Q").properties(description="A bar.")\n'


# Chart code that tries to reach the listener through Python: refused at its line by the audit
# hook (before any byte is sent), whatever the kernel offers.
NETWORK_IN_PYTHON = {
    "_socket directly": (
        "import _socket\ns = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)\n"
        "s.connect(('127.0.0.1', {port}))\ns.send(b'leak')\n",
        "charts/bad.py:8: chart code may not open network connections",
    ),
    "socket": (
        "import socket\nsocket.create_connection(('127.0.0.1', {port})).sendall(b'leak')\n",
        "charts/bad.py:8: chart code may not open network connections",
    ),
    "subprocess": (
        "import subprocess, sys\n"
        "subprocess.run([sys.executable, '-c', \"import socket; socket.create_connection(('127.0.0.1', {port}))\"])\n",
        "charts/bad.py:8: chart code may not start other programs",
    ),
}


@pytest.mark.parametrize("case", NETWORK_IN_PYTHON, ids=list(NETWORK_IN_PYTHON))
def test_a_chart_that_opens_a_connection_is_refused_at_its_line(project, site, listener, case):
    body, message = NETWORK_IN_PYTHON[case]
    bad_chart(body.format(port=listener.getsockname()[1]) + BAR)(project)
    refused(project, site, message)
    assert not received(listener), "a byte left the chart worker"


# Chart code that goes around Python (ctypes; a program started by libc's system()): only the
# kernel stops it. The chart draws anyway; nothing arrives.
NETWORK_PAST_PYTHON = {
    "ctypes connect": (
        "import ctypes, struct\nlibc = ctypes.CDLL(None, use_errno=True)\nfd = libc.socket(2, 1, 0)\n"
        "address = struct.pack('=H', 2) + struct.pack('!H', {port}) + bytes([127, 0, 0, 1]) + bytes(8)\n"
        "if libc.connect(fd, address, 16) == 0:\n    libc.send(fd, b'leak', 4, 0)\n"
    ),
    "a program started by libc": (
        "import ctypes, shlex, sys\n"
        "code = \"import socket; socket.create_connection(('127.0.0.1', {port})).sendall(b'leak')\"\n"
        "ctypes.CDLL(None).system(f'{{sys.executable}} -c {{shlex.quote(code)}} 2>/dev/null'.encode())\n"
    ),
}


@pytest.mark.parametrize("case", NETWORK_PAST_PYTHON, ids=list(NETWORK_PAST_PYTHON))
def test_chart_code_that_goes_past_python_reaches_no_one(project, listener, applied, case):
    needs(applied, confine.NETWORK_NAMESPACE, confine.LANDLOCK_TCP)
    bad_chart(NETWORK_PAST_PYTHON[case].format(port=listener.getsockname()[1]) + BAR)(project)
    result = build(project)
    assert result.code == 0, result.err  # it drew: the connection failed in the kernel
    assert not received(listener), "a byte left the chart worker"


def test_a_chart_that_writes_outside_its_temp_folder_is_refused_and_no_file_appears(project, site, tmp_path):
    target = tmp_path / "written-by-a-chart.txt"
    bad_chart(f"open({str(target)!r}, 'w').write('x')\n" + BAR)(project)
    refused(project, site, f"charts/bad.py:7: chart code may not write files outside its temp folder ({target})")
    assert not target.exists()


def test_chart_code_that_writes_past_python_leaves_no_file(project, tmp_path, applied):
    needs(applied, confine.LANDLOCK_FILES)
    targets = [tmp_path / "by-libc.txt", project / "charts" / "by-libc.txt"]
    calls = "".join(f"libc.open({str(t).encode()!r}, 0o101, 0o644)\n" for t in targets)  # O_WRONLY | O_CREAT
    bad_chart("import ctypes\nlibc = ctypes.CDLL(None)\n" + calls + BAR)(project)
    result = build(project)
    assert result.code == 0, result.err
    assert not [t for t in targets if t.exists()]


def test_a_chart_may_write_in_its_own_temp_folder(project):
    bad_chart("import tempfile\nwith tempfile.NamedTemporaryFile('w') as scratch:\n    scratch.write('x')\n" + BAR)(
        project
    )
    result = build(project)
    assert result.code == 0, result.err


REMOTE = {
    "data from a URL": (
        'bar = alt.Chart(alt.Data(url="https://data.example/rows.csv")).mark_bar()\n'
        'return bar.encode(x="value:Q").properties(description="A bar.")\n',
        "charts/bad.py:7: the chart loads data from a URL ('https://data.example/rows.csv', at data.url)",
    ),
    "an image mark's URL": (
        'rows = [{"value": 1, "picture": "https://img.example/a.png"}]\n'
        "chart = alt.Chart(alt.Data(values=rows)).mark_image()\n"
        'return chart.encode(x="value:Q", url="picture:N").properties(description="A picture.")\n',
        "charts/bad.py:8: the chart loads an image from a URL (a value drawn from the data or a signal, at encoding.url)",
    ),
    "a lookup from a URL": (
        'rows = alt.Chart(alt.Data(values=[{"value": 1}])).mark_bar()\n'
        'more = alt.LookupData(data=alt.UrlData("https://data.example/more.json"), key="value")\n'
        'return rows.transform_lookup(lookup="value", from_=more).encode(x="value:Q").properties(description="A bar.")\n',
        "charts/bad.py:8: the chart loads data from a URL ('https://data.example/more.json', at transform[0].from.data.url)",
    ),
}


def test_a_mark_linking_anywhere_is_refused_at_the_charts_line(project, site):
    """Vega's href channel draws links: one from the data could run code in readers' pages."""
    bad_chart(
        'rows = [{"value": 1, "link": " JavaScript:alert(1)"}]\n'
        "bar = alt.Chart(alt.Data(values=rows)).mark_bar()\n"
        'return bar.encode(x="value:Q", href="link:N").properties(description="A bar.")\n'
    )(project)
    refused(
        project,
        site,
        "charts/bad.py:6: the chart's marks link somewhere (href, at encoding.href): a chart draws no links; put links in the page's text, next to the chart",
    )


@pytest.mark.parametrize("case", REMOTE, ids=list(REMOTE))
def test_a_spec_that_loads_from_a_url_is_refused_at_the_charts_line(project, site, case):
    body, message = REMOTE[case]
    bad_chart(body)(project)
    refused(
        project,
        site,
        message + ": every reader's browser would fetch it; put the data in the chart "
        "(kit.data, alt.Data(values=...)) and draw no images from URLs",
    )


MESSAGES = {
    "chart() returning None": (
        'alt.Chart(alt.Data(values=[{"value": 1}])).mark_bar()\n',
        "charts/bad.py:6: chart() must return an Altair chart (alt.Chart, alt.LayerChart, ...), got None",
    ),
    "chart() returning a dict": (
        'return {"mark": "bar"}\n',
        "charts/bad.py:7: chart() must return an Altair chart (alt.Chart, alt.LayerChart, ...), got dict",
    ),
    "a chart too large": (
        f'rows = [{{"value": n}} for n in range({MAX_ROWS + 1})]\n'
        'return alt.Chart(alt.Data(values=rows)).mark_tick().encode(x="value:Q").properties(description="Ticks.")\n',
        f"charts/bad.py:8: the chart plots {MAX_ROWS + 1:,} rows of data; a chart may draw at most {MAX_ROWS:,}",
    ),
    "a worker killed by a signal": (
        "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n" + BAR,
        "charts/bad.py: the worker drawing it in '",  # whichever language is drawn first
    ),
    "a worker that segfaults": (
        "import ctypes\nctypes.string_at(0)\n" + BAR,
        "charts/bad.py:8: the worker drawing it in '",
    ),
    "a worker that ends itself": (
        "import os\nos._exit(3)\n" + BAR,
        "charts/bad.py: the worker drawing it in '",
    ),
}
CAUSES = {
    "a worker killed by a signal": "crashed: signal 9 (SIGKILL), perhaps out of memory",
    "a worker that segfaults": "crashed: signal 11 (SIGSEGV), a fault in native code the chart called",
    "a worker that ends itself": "crashed: it exited with status 3 (os._exit, or a library that ended the process)",
}


@pytest.mark.parametrize("case", MESSAGES, ids=list(MESSAGES))
def test_a_chart_that_fails_oddly_gets_a_message_with_its_line(project, site, case):
    body, message = MESSAGES[case]
    bad_chart(body)(project)
    result = build(project)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert len(result.lines) == 1, result.err
    assert result.lines[0].startswith(message), result.err
    assert CAUSES.get(case, "") in result.lines[0]
    assert "did not finish" not in result.err
    assert snapshot(project / "site") == site


# A seccomp filter for x86_64 that answers Landlock's calls with ENOSYS (an old kernel) and
# unshare with EPERM (no namespaces): the build runs as on a system that offers neither.
REFUSING_LAUNCHER = """
import ctypes, runpy, struct, sys
def op(code, k, jt=0, jf=0):
    return struct.pack("=HBBI", code, jt, jf, k)
LD, JEQ, RET = 0x20, 0x15, 0x06
program = b"".join([
    op(LD, 4), op(JEQ, 0xC000003E, 0, 5),  # not x86_64: allow
    op(LD, 0), op(JEQ, 444, 4), op(JEQ, 445, 3), op(JEQ, 446, 2), op(JEQ, 272, 2),
    op(RET, 0x7FFF0000), op(RET, 0x00050000 | 38), op(RET, 0x00050000 | 1),
])
class Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]
libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(38, 1, 0, 0, 0) == 0
assert libc.prctl(22, 2, ctypes.byref(Program(len(program) // 8, program)), 0, 0) == 0, ctypes.get_errno()
sys.argv = ["explainer", *sys.argv[1:]]
runpy.run_module("explainer", run_name="__main__")
"""


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the refusing filter is written for x86_64")
def test_a_system_that_refuses_confinement_says_so_once_and_builds(project, applied):
    bad_chart(BAR)(project)
    result = build(project, launcher=[sys.executable, "-c", REFUSING_LAUNCHER])
    assert result.code == 0, result.err
    unconfined = "chart code runs unconfined: this system offers neither Landlock nor network namespaces"
    assert result.err.count(unconfined) == 1, result.err
    if confine.note(applied) is None:  # this system confines them: a build here says nothing of it
        shutil.rmtree(project / ".cache" / "charts")  # drawn again
        result = build(project)
        assert result.code == 0, result.err
        assert "unconfined" not in result.err and "chart code may" not in result.err


def test_a_spec_is_searched_for_urls_wherever_vega_reads_one():
    vega = {
        "data": [
            {"name": "rows", "values": [{"url": "a row's column, not loaded"}]},
            {"name": "x", "url": {"signal": "s"}},
        ],
        "marks": [{"type": "image", "encode": {"update": {"url": {"field": "u"}}}}],
        "usermeta": {"url": "a note"},
    }
    assert [where for where, _ in confine_urls(vega)] == ["data[1].url", "marks[0].encode.update.url"]


def confine_urls(spec: dict) -> list:
    from explainer.draw.remote_data import url_fields

    return list(url_fields(spec))


def test_every_thread_of_a_chart_worker_is_in_its_network_namespace(project, applied):
    """vl-convert starts threads (2.0 at import): each must start after the confinement, or it
    keeps the machine's network (a namespace binds the threads started after it)."""
    needs(applied, confine.NETWORK_NAMESPACE)
    probe = (
        "import os\n"
        "nets = {os.readlink(f'/proc/self/task/{t}/ns/net') for t in os.listdir('/proc/self/task')}\n"
        "assert len(nets) == 1 and len(os.listdir('/proc/self/task')) > 1, nets\n"
    )
    bad_chart(probe + BAR)(project)
    result = build(project)
    assert result.code == 0, result.err
