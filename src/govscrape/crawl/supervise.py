"""A crawl in a child process under a thin supervisor: a page that kills the process costs that page.

Reading pages for links runs native code (lexbor) on hostile bytes. When the crawl process dies
from a signal (a segfault, an abort, the OOM killer's SIGKILL), the supervisor learns from the
reading marker (crawl/reading_marker.py) which page it was reading, quarantines that page in the
crawl state with a `crawl.document_crashed` finding, and starts the crawl again: it resumes (what
was stored is not fetched again) and does not read the quarantined page. Nothing crosses between
the two processes per page: the child is forked once per start and sends back only its result.

The supervisor holds the crawl lock for the whole run (the child shares it; the lock outlives
neither), forwards SIGINT/SIGTERM to the child (a second one kills it) and the child dies with it
(PR_SET_PDEATHSIG). Restarts are bounded: the same page crashing twice, or MAX_CRASHES crashes in
one run, stop the run with CrawlCrashedError (exit status 4).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from govscrape.crawl.lock import FolderLock
from govscrape.crawl.reading_marker import CRASHED, MARKER_NAME, pages_being_read
from govscrape.crawl.state import CrawlState
from govscrape.errors import CrawlCrashedError, GovscrapeError, disk_full_is_an_error

T = TypeVar("T")
log = logging.getLogger("govscrape.crawl.crawler")  # one logger for the crawl (cli/crawl.py)

# Crashes in one run before it stops: one bad page is one crash; several in a row mean the
# trouble is elsewhere (a broken library, a machine out of memory), and each restart re-fetches
# the listings (conditionally).
MAX_CRASHES = 5
PR_SET_PDEATHSIG = 1  # linux/prctl.h
_STOPS = (signal.SIGINT, signal.SIGTERM)


def supervised(
    job: Callable[[frozenset[str]], T], state_dir: Path | str, *, stopped_when_full: str
) -> T:
    """`job(suspects)` run in a child process, restarted after a crash while reading a page (see
    the module's docstring), under the lock of `state_dir` (held here, for all children).
    `suspects`: the pages being read, several, when a child died; the next child reads them
    again, one page at a time (crawler.run_crawl). Its result, or its exception
    (KeyboardInterrupt when it was stopped), is ours."""
    state_dir = Path(state_dir)
    with disk_full_is_an_error(state_dir, stopped_when_full), FolderLock(state_dir / "crawl.lock"):
        if not hasattr(os, "fork"):  # no fork (Windows): the crawl runs here, unguarded
            return job(frozenset())
        return _Supervisor(job, state_dir).run()


class _Supervisor(Generic[T]):
    def __init__(self, job: Callable[[frozenset[str]], T], state_dir: Path) -> None:
        self.job, self.state_dir = job, state_dir
        self.child: int | None = None
        self.stops = 0  # SIGINT/SIGTERM received
        self.crashed: set[str] = set()  # pages quarantined in this run
        self.crashes = 0
        self.suspects: frozenset[str] = frozenset()  # several pages read at a crash

    def run(self) -> T:
        previous = self._forward_stops()
        try:
            while True:
                if self.stops:
                    raise KeyboardInterrupt
                kind, value = self._run_child()
                if kind == "ok":
                    self._say_restarted()
                    return value
                if kind in ("error", "interrupted"):
                    raise value if kind == "error" else KeyboardInterrupt
                if self.stops:  # killed after being asked to stop: an interrupt, not a crash
                    raise KeyboardInterrupt
                self._after_crash(value)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _forward_stops(self) -> dict[int, Any]:
        """Handlers passing SIGINT/SIGTERM on to the child (SIGKILL the second time); the
        previous handlers, to restore. None outside the main thread (signals go there)."""
        if threading.current_thread() is not threading.main_thread():
            return {}

        def forward(signum: int, frame: object) -> None:
            self.stops += 1
            if self.child is not None:
                os.kill(self.child, signal.SIGKILL if self.stops > 1 else signum)

        return {signum: signal.signal(signum, forward) for signum in _STOPS}

    def _run_child(self) -> tuple[str, Any]:
        """("ok", result) | ("error", exception) | ("interrupted", None) | ("died", signal)."""
        with contextlib.suppress(OSError):
            (self.state_dir / MARKER_NAME).unlink()  # a marker of an earlier child says nothing
        read_end, write_end = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
            stream.flush()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _be_the_child(self.job, self.suspects, write_end)
        os.close(write_end)
        self.child = pid
        if self.stops:  # asked to stop before the child was known
            os.kill(pid, signal.SIGTERM)
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()  # until the child ends (a signal meanwhile: forwarded, read on)
        _, status = os.waitpid(pid, 0)
        self.child = None
        try:
            return pickle.loads(data)
        except Exception:  # nothing, or cut short: the child died before it could answer
            if os.WIFSIGNALED(status):
                return "died", os.WTERMSIG(status)
            raise GovscrapeError(
                f"the crawl process ended without a result (exit status "
                f"{os.waitstatus_to_exitcode(status)}); what was stored is kept"
            ) from None

    def _say_restarted(self) -> None:
        if self.crashes:
            quarantined = ", ".join(sorted(self.crashed)) or "none"
            log.warning("the crawl process died %d time(s) and was restarted: the summary counts"
                        " its last start only; quarantined: %s", self.crashes, quarantined)  # fmt: skip

    def _after_crash(self, signum: int) -> None:
        """Quarantine the page whose reading killed the child; when several were being read
        (which one did it is unknown), the next child reads them again one page at a time.
        CrawlCrashedError when restarting again would not help."""
        self.crashes += 1
        name = _signal_name(signum)
        reading = pages_being_read(self.state_dir / MARKER_NAME)
        with CrawlState(self.state_dir / "state.sqlite") as state:
            state.crashed_run(name)
        if len(reading) == 1:
            site, url = reading[0]
            if url in self.crashed:
                raise CrawlCrashedError(
                    f"the crawl process died ({name}) reading {url} again after it was"
                    " quarantined; what was stored is kept"
                )
            self.crashed.add(url)
            message = f"reading {url} for links killed the crawl process ({name})"
            with CrawlState(self.state_dir / "state.sqlite") as state:
                state.quarantine(url, site, name, CRASHED, message)
            log.error("%s: %s: quarantined (%s); the crawl restarts", site, message, CRASHED)
        elif reading:
            self.suspects |= {url for _, url in reading}
            pages = ", ".join(url for _, url in reading)
            log.error("the crawl process died (%s) reading %s: the crawl restarts, reading one"
                      " page at a time to find which", name, pages)  # fmt: skip
        else:
            log.error("the crawl process died (%s), not while reading a page: it restarts", name)
        if self.crashes >= MAX_CRASHES:
            raise CrawlCrashedError(
                f"the crawl process died {self.crashes} times in this run (last: {name});"
                f" what was stored is kept (quarantined pages: `govscrape findings --code {CRASHED}`)"
            )


def _be_the_child(
    job: Callable[[frozenset[str]], Any], suspects: frozenset[str], answer: int
) -> None:
    """Run the job and send its outcome up the pipe; never returns (the caller's stack is the
    supervisor's)."""
    status = 0
    try:
        _stop_once_on_signal()
        _die_with_parent()
        try:
            outcome: tuple[str, Any] = ("ok", job(suspects))
        except KeyboardInterrupt:
            outcome = ("interrupted", None)
        except BaseException as exc:
            if not isinstance(exc, GovscrapeError):
                traceback.print_exc()  # a bug: its traceback where it happened
            outcome = ("error", exc)
        try:
            data = pickle.dumps(outcome)
        except Exception as exc:  # an exception that cannot cross: its words do
            data = pickle.dumps(("error", GovscrapeError(f"{type(outcome[1]).__name__}: {exc}")))
        with os.fdopen(answer, "wb") as pipe:
            pipe.write(data)
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _stop_once_on_signal() -> None:
    """SIGINT/SIGTERM end the crawl like Ctrl-C (the run recorded as interrupted), once: a
    terminal's Ctrl-C reaches the child both directly and forwarded by the supervisor, and the
    second must not break the clean ending."""

    def stop(signum: int, frame: object) -> None:
        for s in _STOPS:
            signal.signal(s, signal.SIG_IGN)
        raise KeyboardInterrupt

    for signum in _STOPS:
        signal.signal(signum, stop)


def _die_with_parent() -> None:
    """The kernel sends SIGTERM to the child when the supervisor dies (even by SIGKILL): the
    crawl ends cleanly instead of running on unsupervised."""
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):  # not Linux: it runs to its end
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the supervisor died before the signal was asked for
        raise KeyboardInterrupt


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"
