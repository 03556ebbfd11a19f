"""Confine a chart worker: no network, and writes only in its own temp folder.

A chart is a project's code, run at build time: it could post the project's files to another
host, or write outside the build. Each chart worker confines itself before any chart code runs,
with what the kernel offers, found at run time:

- a network namespace of its own (`unshare(CLONE_NEWNET)`, with a user namespace first when the
  build lacks CAP_SYS_ADMIN): no interface but a loopback that is down, so no connection of any
  kind, to any host, 127.0.0.1 included;
- Landlock (Linux 5.13+): writes only beneath the worker's temp folder (reads stay open: the
  project's files, the fonts); from ABI 4 (Linux 6.7) no TCP bind or connect either, and from
  ABI 6 no abstract Unix sockets or signals to processes outside the worker.

Both are applied where both are offered. They last for the worker's life and pass to anything it
starts. What the kernel refuses is said once in the build's output (`note`), never skipped in
silence. On top, an audit hook (PEP 578) turns a chart's attempt into an exception at the chart's
own line with a clear message; it is not the barrier (ctypes and the like pass it), the kernel is.
Linux-only; elsewhere chart code runs unconfined, and the note says so.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Landlock (include/uapi/linux/landlock.h); the syscall numbers are the same on every architecture
_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446
_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_FS_WRITES_BY_ABI = {  # the rights that change a file system, by the ABI that added them
    1: (1 << 1) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12),
    2: 1 << 13,  # REFER: link or rename across folders
    3: 1 << 14,  # TRUNCATE
    5: 1 << 15,  # IOCTL_DEV: ioctl on devices opened after (a terminal's TIOCSTI)
}
_WRITE_FILE, _TRUNCATE = 1 << 1, 1 << 14
_NET_TCP = (1 << 0) | (1 << 1)  # BIND_TCP, CONNECT_TCP (ABI 4)
_SCOPES = (1 << 0) | (1 << 1)  # ABSTRACT_UNIX_SOCKET, SIGNAL (ABI 6)
_PR_SET_NO_NEW_PRIVS = 38
_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000

NETWORK_NAMESPACE = "a network namespace of its own"
LANDLOCK_FILES = "Landlock (writes)"
LANDLOCK_TCP = "Landlock (TCP)"

NETWORK_MESSAGE = "chart code may not open network connections"
PROGRAM_MESSAGE = "chart code may not start other programs"
_NETWORK_EVENTS = frozenset(
    {
        "socket.__new__",
        "socket.connect",
        "socket.bind",
        "socket.sendto",
        "socket.sendmsg",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.getnameinfo",
    }
)
_PROGRAM_EVENTS = frozenset(
    {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty"}
)
_PATH_EVENTS = frozenset({"os.mkdir", "os.remove", "os.rmdir", "os.rename", "os.link", "os.symlink", "os.truncate"})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class ChartRefused(PermissionError):
    """Raised inside chart code (by the audit hook) when it tries what chart code may not."""


def confine(scratch: Path) -> tuple[str, ...]:
    """Confine this process to `scratch` for writes and deny it the network; return what was
    applied. Call it while the process is still single-threaded (a user namespace needs that, and
    Landlock binds only the calling thread and the threads and processes it starts afterwards)."""
    applied = []
    if _own_network():
        applied.append(NETWORK_NAMESPACE)
    with contextlib.suppress(OSError):  # a file system Landlock cannot tag: said as not applied
        applied.extend(_landlock(scratch))
    tempfile.tempdir = str(scratch)  # the worker's temp files, where it may write
    os.environ["TMPDIR"] = str(scratch)
    sys.dont_write_bytecode = True  # a chart module's .pyc would go beside it, in the project
    return tuple(applied)


def note(applied: tuple[str, ...]) -> str | None:
    """What the build says when the kernel refused some of the confinement (None: all applied)."""
    network = NETWORK_NAMESPACE in applied or LANDLOCK_TCP in applied
    files = LANDLOCK_FILES in applied
    if not network and not files:
        return (
            "chart code runs unconfined: this system offers neither Landlock nor network namespaces, "
            "so a chart may open network connections and write files wherever the build may"
        )
    if not network:
        return "chart code may open network connections: this system offers no network namespace nor Landlock 4"
    if not files:
        return "chart code may write files wherever the build may: this system offers no Landlock (Linux 5.13+)"
    return None


def _libc() -> Any:
    """The C library, for the system calls Python 3.11 has no function for (None off Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here: the build's own process imports this module for ChartRefused only

    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def _own_network() -> bool:
    """Move this process into a network namespace of its own; False if the kernel refuses."""
    libc = _libc()
    if libc is None:
        return False
    if libc.unshare(_CLONE_NEWNET) == 0:
        return True
    uid, gid = os.getuid(), os.getgid()  # without CAP_SYS_ADMIN: a user namespace first
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
        return False
    try:  # keep our own ids inside it (else files and checks see "nobody")
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    except OSError:
        pass  # still without a network; the ids read as nobody's
    return True


def landlock_abi() -> int:
    """The kernel's Landlock ABI version (0: none, or switched off)."""
    libc = _libc()
    if libc is None:
        return 0
    import ctypes

    version = libc.syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_RULESET_VERSION))
    return max(0, int(version))


def _landlock(scratch: Path) -> list[str]:
    """Allow writes only beneath `scratch` (and to /dev/null), and no TCP where the ABI can say so."""
    abi, libc = landlock_abi(), _libc()
    if abi < 1 or libc is None:
        return []
    import ctypes

    class RulesetAttr(ctypes.Structure):  # struct landlock_ruleset_attr
        _fields_ = (
            ("handled_access_fs", ctypes.c_uint64),
            ("handled_access_net", ctypes.c_uint64),
            ("scoped", ctypes.c_uint64),
        )

    writes = 0
    for version, rights in _FS_WRITES_BY_ABI.items():
        if abi >= version:
            writes |= rights
    attr = RulesetAttr(writes, _NET_TCP if abi >= 4 else 0, _SCOPES if abi >= 6 else 0)
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = int(libc.syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0)))
    if ruleset < 0:
        return []
    try:
        _allow(libc, ruleset, scratch, writes, os.O_PATH | os.O_DIRECTORY)
        _allow(libc, ruleset, Path(os.devnull), (_WRITE_FILE | _TRUNCATE) & writes, os.O_PATH)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return []
        if libc.syscall(_RESTRICT_SELF, ruleset, ctypes.c_uint32(0)) != 0:
            return []
    finally:
        os.close(ruleset)
    return [LANDLOCK_FILES, LANDLOCK_TCP] if abi >= 4 else [LANDLOCK_FILES]


def _allow(libc: Any, ruleset: int, path: Path, rights: int, flags: int) -> None:
    """Add one rule: these rights beneath this path (a file: on it)."""
    import ctypes

    class PathBeneathAttr(ctypes.Structure):  # struct landlock_path_beneath_attr (packed)
        _pack_ = 1
        _fields_ = (("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32))

    fd = os.open(path, flags | os.O_CLOEXEC)
    try:
        rule = PathBeneathAttr(rights, fd)
        if libc.syscall(_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), ctypes.c_uint32(0)) != 0:
            number = ctypes.get_errno()
            raise OSError(number, os.strerror(number), str(path))
    finally:
        os.close(fd)


def refuse_in_chart_code(scratch: Path) -> Callable[[str, tuple[object, ...]], None]:
    """An audit hook that raises ChartRefused where chart code opens a socket, starts a program or
    writes outside `scratch`: the build then names the chart's line and says why."""
    inside = os.path.abspath(scratch) + os.sep

    def writes_outside(path: object) -> bool:
        if isinstance(path, (str, bytes, os.PathLike)):
            where = os.path.abspath(os.fsdecode(path))
            return not (where + os.sep).startswith(inside) and where != os.devnull
        return False

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event in _NETWORK_EVENTS:
            raise ChartRefused(NETWORK_MESSAGE)
        if event in _PROGRAM_EVENTS:
            raise ChartRefused(PROGRAM_MESSAGE)
        if event == "open" and len(args) == 3:
            path, mode, flags = args
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE_FLAGS
            )
            if writing and writes_outside(path):
                raise ChartRefused(_files_message(path))
        elif (
            event in _PATH_EVENTS and args and (writes_outside(args[0]) or (len(args) > 1 and writes_outside(args[1])))
        ):
            raise ChartRefused(_files_message(args[0]))

    return hook


def _files_message(path: object) -> str:
    return f"chart code may not write files outside its temp folder ({os.fsdecode(path)})"  # type: ignore[arg-type]
