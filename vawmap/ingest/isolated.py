"""Ingest in a child process with a memory limit and a time limit.

read.py refuses, before parsing, the workbooks whose size it can see coming (too many cells,
too many bytes unpacked, a zip bomb). This module is the second line, for what cannot be seen
coming (a file that lies about its size, a reader that crashes or runs away): the check runs in a
child process whose address space is limited (RLIMIT_AS) and which is stopped after a time
limit. Whatever goes wrong ends that child, never the server and the other users' sessions, nor
the CLI. The child sends back the IngestResult, pickled. When it fails, the answer is an
IngestResult with one problem naming the files ("could not be read within the limits"), which
loads nothing, so what is already loaded stays as it is.

Children are forked from a server process started once, with the ingest modules already
imported (multiprocessing's "forkserver"): a check starts in a few milliseconds instead of the
second a fresh interpreter takes to import pandas, and each check gets a fresh process whose
memory is handed back to the system when it ends.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import pickle
import resource
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection

import pandas as pd

from vawmap.ingest.pipeline import IngestResult, ingest
from vawmap.ingest.problems import ERROR, ProblemLog, plain_number
from vawmap.messages import Message, message

# Address space the child may map beyond what it has when it starts (pandas, pyarrow and pandera
# imported: 1.4 GB mapped, of which 0.1 GB resident; pyarrow reserves the rest and never touches
# it). Everything mapped counts, so what the child uses stays within this plus its 0.1 GB: 1 GB.
# The 100,000-service benchmark workbook needs less than 0.15 GB of it.
MEMORY_LIMIT_MB = 900
# The 100,000-service benchmark workbook takes 2-5 s to check on a busy 2-core machine; the
# user hears back within 10 s whatever the file.
TIME_LIMIT_S = 8.0
# The answer a check sends back, pickled: the server unpickles it, so it is bounded too. The
# 100,000-service benchmark workbook answers in 22 MB; a million-row CSV of one service
# repeated, every row but one set aside with a problem, in 250 MB.
ANSWER_LIMIT_MB = 128
REASON_TIME, REASON_MEMORY, REASON_STOPPED, REASON_ANSWER = "time", "memory", "stopped", "answer"
# The cache of upload checks holds pickled results up to this many bytes in all (least
# recently used first out): a result over it is not kept.
CHECK_CACHE_MB = 64


def ingest_isolated(
    uploads: Sequence[tuple[str, bytes]],
    known: dict[str, pd.DataFrame] | None = None,
    *,
    memory_mb: int = MEMORY_LIMIT_MB,
    seconds: float = TIME_LIMIT_S,
    answer_mb: float = ANSWER_LIMIT_MB,
) -> IngestResult:
    """ingest(uploads, known), run in a limited child process (see the module's docstring)."""
    return pickle.loads(pickled_ingest(uploads, known, memory_mb=memory_mb, seconds=seconds, answer_mb=answer_mb))


def pickled_ingest(
    uploads: Sequence[tuple[str, bytes]],
    known: dict[str, pd.DataFrame] | None = None,
    *,
    memory_mb: int = MEMORY_LIMIT_MB,
    seconds: float = TIME_LIMIT_S,
    answer_mb: float = ANSWER_LIMIT_MB,
    on_start: Callable[[int], object] | None = None,
) -> bytes:
    """The pickled IngestResult of ingest(uploads, known) run in a limited child process; when the
    child fails, the pickled result saying so. `on_start` is called with the child's process id
    (the benchmark watches its memory)."""
    context = _context()
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(
        target=_check_in_child,
        args=(writer, list(uploads), known or {}, memory_mb, seconds, answer_mb),
        daemon=True,  # ended with its parent
    )
    try:
        child.start()
    except OSError:  # no process could be started (the system is out of them, or of memory)
        reader.close()
        writer.close()
        reason: str | None = REASON_STOPPED
        answer = None
    else:
        writer.close()  # the child holds the only writing end: its death is an end of file here
        if on_start is not None and child.pid is not None:
            on_start(child.pid)
        try:
            answer, reason = _answer(reader, seconds)
        finally:
            child.kill()  # the answer is in; a child still running is past its time
            child.join()
            reader.close()
    if reason is None and answer is not None:
        return answer
    why = _limit_reason(reason or REASON_STOPPED, memory_mb, seconds, answer_mb)
    return pickle.dumps(beyond_limits([name for name, _ in uploads], why))


def _answer(reader: Connection, seconds: float) -> tuple[bytes | None, str | None]:
    """(pickled result, None), or (None, why the child gave none)."""
    if not reader.poll(seconds):
        return None, REASON_TIME
    try:
        answer = reader.recv_bytes()
    except EOFError:  # the child died: a reader aborted (Rust aborts when an allocation fails), a signal
        return None, REASON_STOPPED
    return (None, _FAILURES[answer]) if answer in _FAILURES else (answer, None)


_OUT_OF_MEMORY, _TOO_LARGE = b"out of memory", b"answer too large"
_FAILURES = {_OUT_OF_MEMORY: REASON_MEMORY, _TOO_LARGE: REASON_ANSWER}


def _check_in_child(
    writer: Connection, uploads: list[tuple[str, bytes]], known: dict, memory_mb: int, seconds: float, answer_mb: float
) -> None:
    # On top of what the child has mapped already: pyarrow's allocator reserves about a gigabyte
    # of address space it never touches, so a limit on the total would leave nothing to read with.
    limit = _address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # CPU time as well: should the parent die before stopping it, the child still ends.
    cpu = int(seconds) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        answer = pickle.dumps(ingest(uploads, known), protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        answer = _OUT_OF_MEMORY
    if len(answer) > answer_mb * 1024 * 1024:
        answer = _TOO_LARGE
    writer.send_bytes(answer)
    writer.close()


def _address_space() -> int:
    """The bytes of address space this process has mapped (Linux; 0 where that cannot be read)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _context():
    """The forkserver context, its server importing this module (hence ingest) once when it starts."""
    context = multiprocessing.get_context("forkserver")
    # Imported once by the server when it starts, on first use. "__main__" too: each child would
    # otherwise run the main script again (multiprocessing does, to find functions defined there).
    context.set_forkserver_preload(["__main__", __name__, "vawmap.ingest.warm_child"])
    return context


def beyond_limits(file_names: Sequence[str], why: Message) -> IngestResult:
    """The answer when the files could not be checked within the limits: one error naming them."""
    log = ProblemLog()
    if len(file_names) > 1:
        said, fix = message("read.beyond_limits_files", why=why), message("read.beyond_limits_files_fix")
    else:
        said, fix = message("read.beyond_limits", why=why), message("read.beyond_limits_fix")
    log.add(", ".join(file_names), "", ERROR, said, suggestion=fix)
    return IngestResult(frames={}, counts={}, problems=log.frame(), unreadable=tuple(file_names), sources=())


def _limit_reason(reason: str, memory_mb: int, seconds: float, answer_mb: float) -> Message:
    """Which limit a check went past, with its figure."""
    if reason == REASON_TIME:
        return message("read.limit_reason.time", limit=plain_number(seconds))
    if reason == REASON_MEMORY:
        return message("read.limit_reason.memory", limit=memory_mb)
    if reason == REASON_ANSWER:
        return message("read.limit_reason.answer", limit=plain_number(answer_mb))
    return message("read.limit_reason.stopped", limit=memory_mb)


# ── the cache of upload checks ────────────────────────────────────────────────


def upload_digest(uploads: Sequence[tuple[str, bytes]], known: dict[str, pd.DataFrame] | None = None) -> str:
    """A digest of the files (names and bytes) and of the known frames: the key of a check."""
    digest = hashlib.sha256()
    for name, data in uploads:
        digest.update(name.encode("utf-8", "surrogatepass") + b"\0" + len(data).to_bytes(8, "little"))
        digest.update(data)
    digest.update(pickle.dumps(known or {}, protocol=pickle.HIGHEST_PROTOCOL))
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
