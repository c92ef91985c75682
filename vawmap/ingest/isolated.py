"""Ingest in a child process with a memory limit and a time limit.

read.py refuses, before parsing, the workbooks whose size it can see coming (too many cells,
too many bytes unpacked, a zip bomb). This module is the second line, for what cannot be seen
coming (a reader that crashes or runs away on a file crafted some other way): the check runs
in a child process whose address space is limited (RLIMIT_AS) and which is killed after a time
limit. Whatever goes wrong ends that child, never the server and the other users' sessions. The
child sends back the IngestResult, pickled. When it fails, the answer is an IngestResult with
one problem naming the files ("could not be read within the limits"), which loads nothing, so
what is already loaded stays as it is.

Children are forked from a helper process started once (`python -m vawmap.ingest.isolated`),
with ingest imported and warmed up: a check starts in a few milliseconds instead of the second
a fresh interpreter takes to import pandas, and each check gets a fresh process whose memory is
handed back to the system when it ends. multiprocessing's own "forkserver" is not used: it
runs the parent's `__main__` again in every child, and in a Streamlit server `__main__` is the
page being run.

The parent hands the helper one end of a new socket pair per check (SCM_RIGHTS); the child
forked for it sends its process id, reads the files, and answers on that socket.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from vawmap.ingest.mapping import Mapping
from vawmap.ingest.mapping import to_json as mapping_json
from vawmap.ingest.pipeline import IngestResult, ingest
from vawmap.ingest.problems import ERROR, ProblemLog, plain_number
from vawmap.messages import Message, message

# The child's address space in all: everything it maps counts, so the memory it uses stays
# within it. It starts with 0.4 GB mapped (ingest imported), 0.14 GB of it resident. Arrow is
# told to take its memory from the system's allocator (ARROW_DEFAULT_MEMORY_POOL): its own
# (mimalloc) reserves a gigabyte of address space up front, then uses it unseen by this limit.
# The 100,000-service benchmark workbook needs between 0.5 and 0.6 GB in all.
MEMORY_LIMIT_MB = 1024
# The 100,000-service benchmark workbook takes 2-5 s to check on a busy 2-core machine; the
# user hears back within 10 s whatever the file.
TIME_LIMIT_S = 8.0
# The answer a check sends back, pickled: the server unpickles it, so it is bounded too. The
# 100,000-service benchmark workbook answers in 22 MB; a million-row CSV of one service
# repeated, every row but one set aside with a problem, in 250 MB.
ANSWER_LIMIT_MB = 128
REASON_TIME, REASON_MEMORY, REASON_STOPPED, REASON_ANSWER = "time", "memory", "stopped", "answer"
_OUT_OF_MEMORY, _TOO_LARGE = b"out of memory", b"answer too large"
_FAILURES = {_OUT_OF_MEMORY: REASON_MEMORY, _TOO_LARGE: REASON_ANSWER}
# The cache of upload checks holds pickled results up to this many bytes in all (least
# recently used first out): a result over it is not kept.
CHECK_CACHE_MB = 64
_LENGTH = 8  # bytes of the length before each message on a check's socket, and of the child's pid


@dataclass(frozen=True)
class Limits:
    """What one check may take (the defaults above; the tests lower them)."""

    memory_mb: float = MEMORY_LIMIT_MB
    seconds: float = TIME_LIMIT_S
    answer_mb: float = ANSWER_LIMIT_MB


def ingest_isolated(
    uploads: Sequence[tuple[str, bytes]],
    known: dict[str, pd.DataFrame] | None = None,
    mapping: Mapping | None = None,
    **limits: float,
) -> IngestResult:
    """ingest(uploads, known, mapping), run in a limited child process (see the module's
    docstring); `limits` are fields of Limits."""
    return pickle.loads(pickled_ingest(uploads, known, Limits(**limits), mapping=mapping))


def pickled_ingest(
    uploads: Sequence[tuple[str, bytes]],
    known: dict[str, pd.DataFrame] | None = None,
    limits: Limits = Limits(),
    on_start: Callable[[int], object] | None = None,
    mapping: Mapping | None = None,
) -> bytes:
    """The pickled IngestResult of ingest(uploads, known) run in a limited child process; when the
    child fails, the pickled result saying so. `on_start` is called with the child's process id
    (the benchmark watches its memory)."""
    request = pickle.dumps((list(uploads), known or {}, limits, mapping), pickle.HIGHEST_PROTOCOL)
    answer, reason = _check(request, limits.seconds, on_start)
    if reason is None and answer is not None:
        return answer
    why = _limit_reason(reason or REASON_STOPPED, limits)
    return pickle.dumps(beyond_limits([name for name, _ in uploads], why))


def _check(request: bytes, seconds: float, on_start: Callable[[int], object] | None) -> tuple[bytes | None, str | None]:
    """(pickled result, None), or (None, why the child gave none)."""
    deadline = time.monotonic() + seconds
    try:
        connection = _FORK_SERVER.connect()
    except OSError:  # no process could be started (the system is out of them, or of memory)
        return None, REASON_STOPPED
    pid = None
    with connection:
        try:
            pid = int.from_bytes(_receive(connection, _LENGTH, deadline), "little")
            if on_start is not None:
                on_start(pid)
            connection.settimeout(max(deadline - time.monotonic(), 0.001))
            _send(connection, request)
            size = int.from_bytes(_receive(connection, _LENGTH, deadline), "little")
            answer = _receive(connection, size, deadline)
        except TimeoutError:
            if pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            return None, REASON_TIME
        except (EOFError, OSError):  # the child died: a reader aborted (Rust does when an allocation fails)
            return None, REASON_STOPPED
    return (None, _FAILURES[answer]) if answer in _FAILURES else (answer, None)


def _receive(connection: socket.socket, size: int, deadline: float | None = None) -> bytes:
    """Exactly `size` bytes, by the deadline (TimeoutError) or until the other end closes (EOFError)."""
    chunks, left = [], size
    while left:
        if deadline is not None:
            connection.settimeout(max(deadline - time.monotonic(), 0.001))
        chunk = connection.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _send(connection: socket.socket, data: bytes) -> None:
    connection.sendall(len(data).to_bytes(_LENGTH, "little") + data)


class _ForkServer:
    """The helper process that forks one child per check, started on first use and again if it
    has ended. One per server process, shared by the sessions: it holds no one's data."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._control: socket.socket | None = None

    def connect(self) -> socket.socket:
        """One end of a socket whose other end a freshly forked child holds."""
        with self._lock:
            try:
                return self._hand_over()
            except OSError:  # the helper has ended since: start it again, once
                self._start()
                return self._hand_over()

    def _hand_over(self) -> socket.socket:
        if self._control is None or self._process is None or self._process.poll() is not None:
            self._start()
        assert self._control is not None
        ours, theirs = socket.socketpair()
        with theirs:
            socket.send_fds(self._control, [b"c"], [theirs.fileno()])
        return ours

    def _start(self) -> None:
        if self._control is not None:
            self._control.close()
        control, theirs = socket.socketpair()
        package_root = str(Path(__file__).resolve().parents[2])
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
            "ARROW_DEFAULT_MEMORY_POOL": "system",  # see MEMORY_LIMIT_MB
            # glibc gives each new thread (Arrow's compute pool) its own arena and reserves 64 MB
            # of address space for each: a regex over a 10 MB cell mapped 1 GB that way, unused.
            "MALLOC_ARENA_MAX": "2",
        }
        with theirs:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "vawmap.ingest.isolated", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                env=environment,
                stdin=subprocess.DEVNULL,
            )
        self._control = control


_FORK_SERVER = _ForkServer()


# ── the helper process and its children ──────────────────────────────────────


def serve(control_fd: int) -> None:
    """The helper's loop: a child forked for each socket the parent hands over; ends when the
    parent closes its end (the parent has ended)."""
    _warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    control = socket.socket(fileno=control_fd)
    while True:
        try:
            message_bytes, fds, _, _ = socket.recv_fds(control, 1, 1)
        except OSError:
            return
        if not message_bytes:
            return
        for fd in fds[1:]:
            os.close(fd)
        if not fds:
            continue
        if os.fork() == 0:
            control.close()
            try:
                _check_in_child(socket.socket(fileno=fds[0]))
            finally:
                os._exit(0)
        os.close(fds[0])


def _warm_up() -> None:
    """The first ingest in a process builds what later ones reuse (validation schemas,
    catalogues, vocabularies): about 0.15 s, spared to every child by doing it here once."""
    ingest([("warm-up.csv", b"Provider,Service type,Region\nA,Helpline,B\n")])


def _check_in_child(connection: socket.socket) -> None:
    with connection:
        connection.sendall(os.getpid().to_bytes(_LENGTH, "little"))
        size = int.from_bytes(_receive(connection, _LENGTH), "little")
        uploads, known, limits, mapping = pickle.loads(_receive(connection, size))
        limit = int(limits.memory_mb * 2**20)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        # CPU time as well: should the parent die before killing it, the child still ends.
        cpu = int(limits.seconds) + 2
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        try:
            answer = pickle.dumps(ingest(uploads, known, mapping=mapping), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            answer = _OUT_OF_MEMORY
        if len(answer) > limits.answer_mb * 2**20:
            answer = _TOO_LARGE
        _send(connection, answer)


# ── answers ───────────────────────────────────────────────────────────────────


def beyond_limits(file_names: Sequence[str], why: Message) -> IngestResult:
    """The answer when the files could not be checked within the limits: one error naming them."""
    log = ProblemLog()
    if len(file_names) > 1:
        said, fix = message("read.beyond_limits_files", why=why), message("read.beyond_limits_files_fix")
    else:
        said, fix = message("read.beyond_limits", why=why), message("read.beyond_limits_fix")
    log.add(", ".join(file_names), "", ERROR, said, suggestion=fix)
    return IngestResult(frames={}, counts={}, problems=log.frame(), unreadable=tuple(file_names), sources=())


def _limit_reason(reason: str, limits: Limits) -> Message:
    """Which limit a check went past, with its figure."""
    if reason == REASON_TIME:
        return message("read.limit_reason.time", limit=plain_number(limits.seconds))
    if reason == REASON_MEMORY:
        return message("read.limit_reason.memory", limit=plain_number(limits.memory_mb))
    if reason == REASON_ANSWER:
        return message("read.limit_reason.answer", limit=plain_number(limits.answer_mb))
    return message("read.limit_reason.stopped", limit=plain_number(limits.memory_mb))


# ── the cache of upload checks ────────────────────────────────────────────────


def upload_digest(
    uploads: Sequence[tuple[str, bytes]], known: dict[str, pd.DataFrame] | None = None, mapping: Mapping | None = None
) -> str:
    """A digest of the files (names and bytes), of the known frames and of the mapping: the key of a check."""
    digest = hashlib.sha256()
    for name, data in uploads:
        digest.update(name.encode("utf-8", "surrogatepass") + b"\0" + len(data).to_bytes(8, "little"))
        digest.update(data)
    digest.update(pickle.dumps(known or {}, protocol=pickle.HIGHEST_PROTOCOL))
    if mapping is not None:
        digest.update(mapping_json(mapping).encode("utf-8"))
    return digest.hexdigest()


class PickledResults:
    """Pickled results by key, at most `max_bytes` of them in all, the least recently used
    dropped first; one larger than `max_bytes` is not kept. Safe to share between threads (the
    sessions of a Streamlit server); a hit is unpickled anew, so no two sessions share a frame."""

    def __init__(self, max_bytes: int = CHECK_CACHE_MB * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
            return self._items.get(key)

    def put(self, key: str, pickled: bytes) -> None:
        with self._lock:
            self._items.pop(key, None)
            if len(pickled) > self.max_bytes:
                return
            self._items[key] = pickled
            while self.held_bytes() > self.max_bytes:
                self._items.popitem(last=False)

    def held_bytes(self) -> int:
        return sum(map(len, self._items.values()))


if __name__ == "__main__":
    serve(int(sys.argv[1]))
