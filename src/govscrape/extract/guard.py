"""Read documents in a guarded worker process: rlimits, a deadline per document, one death.

For what no cheap check can bound in advance (pdfium inflating a content stream, aborting the
process when memory runs out; a crash in any native library): the extraction runs in a child
process (extract/guard_child.py) under the memory and time limits of extract/limits.py.
Whatever becomes of the child while it reads a document (an abort, an OOM kill, a segfault, a
hang past the deadline) costs that document only: it comes back as a Document with a
`parse.resource_limit` finding, and the next document goes to a fresh child.

The child is long-lived: started on first use, fed documents one at a time over a pipe
(length-prefixed bytes in, the Document as JSON out: never a pickle, its input was hostile),
and replaced after a document that took it near its memory limit, when its resident memory
stays high, and every RECYCLE_DOCUMENTS documents, so fragmentation cannot accumulate. A
process has one child per thread reading at the same moment (usually one). Children die with
their parent (PR_SET_PDEATHSIG) and end when its pipe closes.
"""

from __future__ import annotations

import atexit
import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar
from queue import SimpleQueue

from govscrape.document import Document
from govscrape.extract.guard_child import EXIT_NO_MEMORY
from govscrape.extract.guard_wire import LENGTH, decode, from_json, request
from govscrape.extract.limits import MIB, limit, limit_finding
from govscrape.findings import finding

# The extractors that run guarded: kind -> (module, function). "pdf" is always guarded;
# "document" (every format, sniffed as extract_document does) where a caller asks for isolation.
GUARDED: dict[str, tuple[str, str]] = {
    "pdf": ("govscrape.extract.pdf", "extract_pdf"),
    "document": ("govscrape.extract", "extract_unguarded"),
}
STARTUP_S = 60  # a child imports its extractors before it is ready; a loaded machine is slow
GRACE_S = 3  # beyond the seconds budget: the answer (extractors are imported before "ready")
RECYCLE_DOCUMENTS = 500  # a restart costs ~0.3 s CPU: under 1% of 500 PDFs' reading
RECYCLE_RSS = 384 * MIB  # a child holding this much after a document keeps what it no longer needs
NEAR_LIMIT = 0.75  # share of the memory cap whose reaching leaves a heap not worth keeping
STDERR_TAIL = 4096  # bytes of the child's stderr kept, for the last line of a death

_isolating: ContextVar[bool] = ContextVar("govscrape_isolating", default=False)


@contextmanager
def isolated() -> Iterator[None]:
    """Within: extract_document reads every document in the guarded worker, not only PDFs, so
    a crash in any native library (lexbor, lxml, pdfium) costs that document only. For code
    whose own process must survive (a build's main process); pool workers need not."""
    token = _isolating.set(True)
    try:
        yield
    finally:
        _isolating.reset(token)


def isolating() -> bool:
    return _isolating.get()


def run_guarded(kind: str, data: bytes, **options: str | None) -> Document:
    """Extract `data` with the `kind` extractor (keyword `options` passed on) in a guarded
    child process; never raises for anything the document does."""
    return _guard().read(kind, data, options)


class _Guard:
    """This process's children: one per thread reading at the same moment, kept between
    documents. Thread-safe: a child serves one thread at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[_Child] = []
        self.spawner = _Spawner()

    def read(self, kind: str, data: bytes, options: dict[str, str | None]) -> Document:
        """Read in a kept child; a document that kills a child which had read others first is
        read once more by a fresh one: the earlier documents may have left it less room, and a
        document's answer must not depend on what was read before it."""
        with self.lock:
            child = self.idle.pop() if self.idle else _Child(self.spawner)
        worn = child.documents > 0
        doc = self._read_in(child, kind, data, options)
        if worn and child.died:
            doc = self._read_in(_Child(self.spawner), kind, data, options)
        return doc

    def _read_in(
        self, child: _Child, kind: str, data: bytes, options: dict[str, str | None]
    ) -> Document:
        try:
            return child.read(kind, data, options)
        finally:
            if child.usable:
                with self.lock:
                    self.idle.append(child)
            else:
                child.close()

    def close(self) -> None:
        with self.lock:
            children, self.idle = self.idle, []
        for child in children:
            child.close()


class _Spawner:
    """Starts children from one thread that lives as long as the process: PR_SET_PDEATHSIG
    fires when the *thread* that started a child ends, and a caller's thread (a pool's, a Dask
    worker's) may end while its child is still wanted."""

    def __init__(self) -> None:
        self.requests: SimpleQueue[tuple[list[str], Future[subprocess.Popen[bytes]]]]
        self.requests = SimpleQueue()
        threading.Thread(target=self._serve, name="govscrape-guard", daemon=True).start()

    def _serve(self) -> None:
        while True:
            command, future = self.requests.get()
            try:
                future.set_result(
                    subprocess.Popen(
                        command,
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        bufsize=0,
                    )
                )
            except BaseException as exc:  # handed to the caller's thread
                future.set_exception(exc)

    def start(self, command: list[str]) -> subprocess.Popen[bytes]:
        future: Future[subprocess.Popen[bytes]] = Future()
        self.requests.put((command, future))
        return future.result()


class _Died(Exception):
    """The child's answer ended before it was whole (the child died)."""


class _Child:
    """One guarded reader process, from its start to its end."""

    def __init__(self, spawner: _Spawner) -> None:
        self.spawner = spawner
        self.proc: subprocess.Popen[bytes] | None = None
        self.usable = True  # False once it died, was killed or should be replaced
        self.died = False  # True once it died while reading (not at a deadline)
        self.documents = 0
        self.memory_cap = limit("memory")
        self.stderr_tail = b""

    def read(self, kind: str, data: bytes, options: dict[str, str | None]) -> Document:
        if self.proc is None and not self._start():
            return _internal("the guarded reader could not start", self._last_words())
        deadline = time.monotonic() + limit("seconds") + GRACE_S
        answer = self._answer(request(kind, data, options), deadline)
        if isinstance(answer, Document):
            return answer
        self.documents += 1
        self._retire_if_worn(answer)
        if "error" in answer:
            return _internal("extraction failed", str(answer["error"]))
        try:
            return from_json(answer["document"])
        except (KeyError, ValueError, TypeError) as exc:
            self.usable = False
            return _not_read("memory", f"the reader's answer was unreadable ({exc})")

    def _start(self) -> bool:
        """Start the process and wait until it is ready (its extractors imported)."""
        table = json.dumps({kind: list(where) for kind, where in GUARDED.items()})
        command = [sys.executable, "-m", "govscrape.extract.guard_child", table]
        self.proc = self.spawner.start(command)
        ready = self._answer(b"", time.monotonic() + STARTUP_S)
        if isinstance(ready, Document) or not ready.get("ready"):
            self.usable = False
            return False
        self.memory_cap = int(ready.get("memory_cap", self.memory_cap))
        return True

    def _answer(self, message: bytes, deadline: float) -> dict | Document:
        """Send `message`, read one answer; a Document with a finding when the child died or
        missed the deadline (it is then killed and not used again)."""
        self.stderr_tail = b""
        try:
            return decode(self._exchange(message, deadline))
        except TimeoutError:
            self._kill()
            return _not_read("seconds", "the reader was stopped at the deadline")
        except (_Died, ValueError) as exc:
            self.died = True
            status = self._wait_for_end()
            if isinstance(exc, ValueError) and status is None:
                return _not_read("memory", f"the reader's answer was unreadable ({exc})")
            return _not_read(*_death(status, self._last_words()))

    def _exchange(self, message: bytes, deadline: float) -> bytes:
        """Write `message` to the child while reading its answer frame (and stderr), all under
        the deadline: a child that stops reading or answering cannot block the parent."""
        assert self.proc is not None and self.proc.stdin and self.proc.stdout and self.proc.stderr
        sent, answer, out = 0, bytearray(), memoryview(message)
        pipes = (self.proc.stdin, self.proc.stdout, self.proc.stderr)
        stdin, stdout, stderr = (pipe.fileno() for pipe in pipes)
        with selectors.DefaultSelector() as selector:
            if message:
                os.set_blocking(stdin, False)
                selector.register(stdin, selectors.EVENT_WRITE)
            selector.register(stdout, selectors.EVENT_READ)
            selector.register(stderr, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                for key, _ in selector.select(left):
                    if key.fd == stdin:
                        try:
                            sent += os.write(stdin, out[sent : sent + 65536])
                        except BrokenPipeError:  # it died: its stdout ends too
                            sent = len(message)
                        if sent >= len(message):
                            selector.unregister(stdin)
                        continue
                    chunk = os.read(key.fd, 1 << 20)
                    if key.fd == stderr:
                        self.stderr_tail = (self.stderr_tail + chunk)[-STDERR_TAIL:]
                        if not chunk:
                            selector.unregister(stderr)
                        continue
                    if not chunk:
                        raise _Died
                    answer += chunk
                    if len(answer) >= LENGTH.size:
                        (size,) = LENGTH.unpack_from(answer)
                        if len(answer) >= LENGTH.size + size:
                            return bytes(answer[LENGTH.size : LENGTH.size + size])

    def _retire_if_worn(self, answer: dict) -> None:
        """Replace the child after a document that took it near its memory cap, when it keeps
        much memory resident, or after RECYCLE_DOCUMENTS documents."""
        peak, rss = int(answer.get("vm_peak", 0)), int(answer.get("rss", 0))
        if (
            peak >= NEAR_LIMIT * self.memory_cap
            or rss >= RECYCLE_RSS
            or self.documents >= RECYCLE_DOCUMENTS
        ):
            self.usable = False

    def _kill(self) -> None:
        self.usable = False
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()

    def _wait_for_end(self) -> int | None:
        """The exit status of a child whose answer ended (it is dying); None if it lives on."""
        self.usable = False
        assert self.proc is not None
        try:
            return self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._kill()
            return None

    def _last_words(self) -> str:
        lines = self.stderr_tail.decode("utf-8", "replace").strip().splitlines()
        return lines[-1][:200] if lines else ""

    def close(self) -> None:
        """End the child: its input closes and it exits (killed if it does not, promptly)."""
        self.usable = False
        if self.proc is None:
            return
        self.let_go()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._kill()

    def let_go(self) -> None:
        """Close this end of the pipes (the child sees its input end)."""
        if self.proc is not None:
            for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if pipe is not None:
                    pipe.close()


def _death(status: int | None, last_words: str) -> tuple[str, str]:
    """The limit a child's death stands for, and what happened, in a user's words."""
    deaths = {
        EXIT_NO_MEMORY: "the reader ran out of memory",
        -signal.SIGABRT: "the reader aborted (pdfium does so when memory runs out)",
        -signal.SIGKILL: "the reader was killed (out of memory)",
        -signal.SIGSEGV: "the reader crashed (segmentation fault in a native library)",
    }
    if status in deaths:
        return "memory", deaths[status]
    if status == -signal.SIGXCPU:
        return "seconds", "the reader used up its CPU time"
    return "memory", f"the reader died ({last_words or f'exit status {status}'})"


def _not_read(name: str, what: str) -> Document:
    return Document("unsupported", findings=[limit_finding(name, f"{what}; nothing was read")])


def _internal(what: str, detail: str) -> Document:
    note = finding("parse.internal_error", f"{what}: {detail}" if detail else what)
    return Document("unknown", findings=[note])


# --- one guard per process ------------------------------------------------------------------

_GUARD: _Guard | None = None
_GUARD_LOCK = threading.Lock()


def _guard() -> _Guard:
    global _GUARD
    with _GUARD_LOCK:
        if _GUARD is None:
            _GUARD = _Guard()
        return _GUARD


def close_children() -> None:
    """End this process's guarded readers (they end by themselves with the process, too)."""
    global _GUARD
    with _GUARD_LOCK:
        guard, _GUARD = _GUARD, None
    if guard is not None:
        guard.close()


def _forget_after_fork() -> None:
    """In a forked child: the children are the parent's; let go of their pipes, start afresh
    (the lock too: another thread may have held it at the fork)."""
    global _GUARD, _GUARD_LOCK
    guard, _GUARD, _GUARD_LOCK = _GUARD, None, threading.Lock()
    for child in guard.idle if guard is not None else []:
        child.let_go()
        child.proc = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
# At a normal exit the children are ended and waited for (their CPU time then counts in this
# process's children's usage, as a pool worker's does); a killed process's die by PDEATHSIG.
atexit.register(close_children)
