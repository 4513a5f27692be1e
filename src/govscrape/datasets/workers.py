"""Parse report units into Arrow batches: in this process, or in a pool of worker processes.

Batches go to a `sink(index, tables)` as they finish (in any order; the sink puts them back in
order), so a build never holds more than the batches in flight.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Protocol

import pyarrow as pa

from govscrape.datasets.parsing import Parser, ReportUnit, parse_batch, raw_root
from govscrape.datasets.progress import BuildProgress

# Without --jobs, fewer reports than this are parsed in-process: starting workers costs up to a
# second of CPU, more than it saves on a few hundred reports at ~4 ms each.
INLINE_BELOW = 300
BATCH = 64  # reports per task sent to a worker: big enough to amortise, small for progress
IN_FLIGHT = 4  # tasks per worker submitted ahead: keeps workers busy, bounds memory
Progress = Callable[[int, int], None]  # (reports parsed so far, reports to parse)


class Sink(Protocol):
    """Where parsed batches go (datasets.staging.Staging): `add` them by number; `waiting`
    are those that arrived before their turn (held in memory)."""

    waiting: dict

    def add(self, index: int, batch: dict[str, pa.Table]) -> None: ...


def available_cores() -> int:
    """Cores this process may run on (respects affinity / container limits)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def worker_count(jobs: int | None, reports: int) -> int:
    """Processes to parse `reports` with: `jobs` as given, else the cores available unless
    there are too few reports for a pool to pay off (then 1: this process)."""
    if jobs is None:
        jobs = available_cores() if reports >= INLINE_BELOW else 1
    return max(1, min(jobs, reports))


def batches_of(todo: list[ReportUnit], workers: int) -> list[list[ReportUnit]]:
    """The units cut into batches, in order: BATCH units, fewer when a batch per worker
    would otherwise leave workers idle."""
    size = max(1, min(BATCH, math.ceil(len(todo) / (workers * IN_FLIGHT))))
    return [todo[i : i + size] for i in range(0, len(todo), size)]


def parse_units(
    todo: list[ReportUnit],
    data_dir: Path,
    jobs: int | None,
    progress: Progress | None,
    parse: Parser | None,
    sink: Sink,
) -> None:
    """Parse the units (in worker processes when there are enough), batch by batch into `sink`."""
    if not todo:
        return
    workers = worker_count(jobs, len(todo))
    display = BuildProgress(len(todo), workers) if progress is None else nullcontext(progress)
    with display as report:
        counter = _Counter(len(todo), report)
        if workers == 1:
            for index, batch in enumerate(batches_of(todo, 1)):
                sink.add(index, parse_batch(batch, raw_root(data_dir), parse, counter.add))
            return
        _parse_in_pool(batches_of(todo, workers), raw_root(data_dir), workers, parse, counter, sink)


def _parse_in_pool(
    batches: list[list[ReportUnit]],
    root: str,
    jobs: int,
    parse: Parser | None,
    counter: _Counter,
    sink: Sink,
) -> None:
    queue = list(enumerate(batches))[::-1]
    running: dict[Future, tuple[int, int]] = {}
    # spawn, not fork: the caller (e.g. a crawl) may have threads a fork would copy mid-flight
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
        while queue or running:
            while queue and len(running) + len(sink.waiting) < jobs * IN_FLIGHT:
                index, batch = queue.pop()
                running[pool.submit(parse_batch, batch, root, parse)] = (index, len(batch))
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                index, count = running.pop(future)
                sink.add(index, future.result())
                counter.add(count)


@dataclass
class _Counter:
    total: int
    progress: Progress
    done: int = 0

    def add(self, n: int = 1) -> None:
        self.done += n
        self.progress(self.done, self.total)
