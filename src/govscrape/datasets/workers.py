"""Parse report units into Arrow batches: in this process, in a pool of worker processes, or on
a Dask cluster (datasets.cluster).

Wherever a report is parsed, one that kills the process reading it costs that report only: in
this process every document is read in the guarded worker (extract/guard.py); a pool worker
that dies is found and its batch read again report by report; Dask retries and then records it.

Batches go to a `sink(index, tables)` as they finish (in any order; the sink puts them back in
order), so a build never holds more than the batches in flight.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import chain
from multiprocessing import get_context

import pyarrow as pa

from govscrape.datasets.parsing import Parser, ReportUnit, lost_batch, parse_batch
from govscrape.datasets.progress import BuildProgress
from govscrape.datasets.staging import Sink
from govscrape.extract.guard import isolated
from govscrape.extract.guard_child import die_with_parent

# Without --jobs, fewer reports than this are parsed in-process: starting workers costs up to a
# second of CPU, more than it saves on a few hundred reports at ~4 ms each.
INLINE_BELOW = 300
BATCH = 64  # reports per task sent to a worker: big enough to amortise, small for progress
IN_FLIGHT = 4  # tasks per worker submitted ahead: keeps workers busy, bounds memory
Progress = Callable[[int, int], None]  # (reports parsed so far, reports to parse)


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


def batch_size(count: int, workers: int, cluster: str | None = None) -> int:
    """Units per batch: BATCH, fewer when a batch per worker would otherwise leave workers
    idle (on a cluster: BATCH, its workers are not known here)."""
    if cluster is not None:
        return BATCH
    return max(1, min(BATCH, math.ceil(count / (workers * IN_FLIGHT))))


def parse_units(
    batches: Iterable[list[ReportUnit]],
    count: int,
    root: str,
    jobs: int | None,
    progress: Progress | None,
    parse: Parser | None,
    sink: Sink,
    cluster: str | None = None,
) -> None:
    """Parse `count` units, coming in `batches` (read lazily: a build never holds them all), in
    worker processes when there are enough, or on the Dask cluster at `cluster`, batch by batch
    into `sink`; `root` names the raw store(s) (parsing.raw_root)."""
    if not count:
        return
    workers = worker_count(jobs, count)
    display = BuildProgress(count, workers) if progress is None else nullcontext(progress)
    with display as report:
        counter = _Counter(count, report)
        if cluster is not None:
            # Dask is optional (the cluster extra): imported only for a cluster build.
            from govscrape.datasets.cluster import parse_on_cluster

            total = math.ceil(count / BATCH)
            parse_on_cluster(batches, root, cluster, parse, sink, counter.add, total)
            return
        if workers == 1:  # here, but every document is read in the guarded worker process
            with isolated():
                for index, batch in enumerate(batches):
                    sink.add(index, parse_batch(batch, root, parse, counter.add))
            return
        _parse_in_pool(batches, root, workers, parse, counter, sink)


Task = tuple[int, int, list[ReportUnit]]  # (batch number, position in the batch, units)


def _parse_in_pool(
    batches: Iterable[list[ReportUnit]],
    root: str,
    jobs: int,
    parse: Parser | None,
    counter: _Counter,
    sink: Sink,
) -> None:
    """Batches through a pool of workers; a worker that dies (an abort, an OOM kill, a crash
    in a native library) costs its document only. A dead worker breaks the whole pool, so the
    batches in flight then are read again report by report, one at a time in a pool of one:
    the report in flight when that pool breaks is the one that kills, and is recorded as lost
    with a finding."""
    out = _Outlet(sink)
    tasks: Iterator[Task] = ((i, 0, batch) for i, batch in enumerate(batches))
    while True:  # a pool per round: a dead worker breaks its pool
        broken = _run_pool(tasks, root, jobs, jobs * IN_FLIGHT, parse, counter, out)
        if not broken:
            return
        suspects: list[Task] = []
        for index, _, units in broken:
            out.split(index, len(units))
            suspects += [(index, k, [unit]) for k, unit in enumerate(units)]
        singles: Iterator[Task] = iter(suspects)
        while lost := _run_pool(singles, root, 1, 1, parse, counter, out):
            index, position, units = lost[0]  # the one in flight: one at a time
            why = "the worker process reading this report died (out of memory or a crash)"
            out.add(index, position, lost_batch(units, root, why))
            counter.add(1)
            singles = chain(lost[1:], singles)


def _run_pool(
    tasks: Iterator[Task],
    root: str,
    jobs: int,
    in_flight: int,
    parse: Parser | None,
    counter: _Counter,
    out: _Outlet,
) -> list[Task]:
    """Run tasks through one pool, at most `in_flight` at a time, until `tasks` is exhausted
    or the pool breaks (a worker died); the tasks that were in flight then (the rest stay in
    `tasks` for the next pool)."""
    running: dict[Future, Task] = {}
    broken: list[Task] = []
    more = True
    # spawn, not fork: the caller (e.g. a crawl) may have threads a fork would copy mid-flight
    pool = ProcessPoolExecutor(jobs, mp_context=get_context("spawn"), initializer=die_with_parent)
    try:
        while more or running:
            while more and not broken and len(running) < max(1, in_flight - out.waiting):
                task = next(tasks, None)
                if task is None:
                    more = False
                    break
                try:
                    running[pool.submit(parse_batch, task[2], root, parse)] = task
                except BrokenProcessPool:  # it broke before a result said so
                    broken.append(task)
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                task = running.pop(future)
                try:
                    tables = future.result()
                except BrokenProcessPool:
                    broken.append(task)
                    continue
                out.add(task[0], task[1], tables)
                counter.add(len(task[2]))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return broken


class _Outlet:
    """Hands batches to the sink; a batch split into single reports is handed on once all its
    pieces are back, joined in their order."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.pieces: dict[int, dict[int, dict[str, pa.Table]]] = {}
        self.expected: dict[int, int] = {}

    @property
    def waiting(self) -> int:
        return len(self.sink.waiting)

    def split(self, index: int, count: int) -> None:
        self.expected[index] = count
        self.pieces[index] = {}

    def add(self, index: int, position: int, tables: dict[str, pa.Table]) -> None:
        if index not in self.expected:
            self.sink.add(index, tables)
            return
        self.pieces[index][position] = tables
        if len(self.pieces[index]) == self.expected[index]:
            pieces, count = self.pieces.pop(index), self.expected.pop(index)
            parts = [pieces[k] for k in range(count)]
            self.sink.add(
                index, {name: pa.concat_tables([p[name] for p in parts]) for name in parts[0]}
            )


@dataclass
class _Counter:
    total: int
    progress: Progress
    done: int = 0

    def add(self, n: int = 1) -> None:
        self.done += n
        self.progress(self.done, self.total)
