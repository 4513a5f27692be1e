"""Progress of a long build: a progress bar on a terminal, periodic log lines otherwise (cron)."""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

log = logging.getLogger("govscrape.datasets")

BAR_FROM = 200  # reports: a smaller build is over in a second or two, too soon for a bar
LOG_EVERY = 15.0  # seconds between log lines: a cron log stays short, a long build shows life


class BuildProgress:
    """The default `progress(done, total)` of build_datasets, used as a context manager."""

    def __init__(self, total: int, jobs: int, stream: TextIO | None = None) -> None:
        self.total, self.jobs = total, jobs
        self.stream = stream if stream is not None else sys.stderr
        self.started = self.last_log = time.monotonic()
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __enter__(self) -> BuildProgress:
        big = self.total >= BAR_FROM
        level = logging.INFO if big else logging.DEBUG
        workers = "in this process" if self.jobs <= 1 else f"in {self.jobs} worker processes"
        log.log(level, "parsing %d report(s) %s", self.total, workers)
        if big and _is_terminal(self.stream) and log.isEnabledFor(logging.INFO):  # not with -q
            self._start_bar()
        return self

    def _start_bar(self) -> None:
        # rich only when a bar is shown: a build under cron never loads it.
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self.bar = Progress(
            "parsing reports", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(file=self.stream), transient=True,
        )  # fmt: skip
        self.bar.start()
        self.task = self.bar.add_task("parse", total=self.total)

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=done, total=total)
            return
        now = time.monotonic()
        if now - self.last_log >= LOG_EVERY and done < total:
            self.last_log = now
            rate = done / max(now - self.started, 1e-9)
            log.info("parsed %d/%d reports (%.0f%%, %.0f/s)", done, total, 100 * done / total, rate)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
        seconds = time.monotonic() - self.started
        level = logging.INFO if self.total >= BAR_FROM else logging.DEBUG
        log.log(level, "parsed %d report(s) in %.1f s", self.total, seconds)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream: no bar
        return False
