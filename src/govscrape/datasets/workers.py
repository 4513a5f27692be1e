"""Parse report units into Arrow tables: in this process, or in a pool of worker processes."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import nullcontext
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import pyarrow as pa

from govscrape.datasets.parsing import Parser, ReportUnit, parse_batch, raw_root
from govscrape.datasets.progress import BuildProgress

# Without --jobs, fewer reports than this are parsed in-process: starting workers costs up to a
# second of CPU, more than it saves on a few hundred reports at ~4 ms each.
INLINE_BELOW = 300
BATCH = 64  # reports per task sent to a worker: big enough to amortise, small for progress
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


def parse_units(
    todo: list[ReportUnit],
    data_dir: Path,
    jobs: int | None,
    progress: Progress | None,
    parse: Parser | None,
) -> list[dict[str, pa.Table]]:
    """Parse the units (in worker processes when there are enough) into batches of tables."""
    if not todo:
        return []
    workers = worker_count(jobs, len(todo))
    display = BuildProgress(len(todo), workers) if progress is None else nullcontext(progress)
    with display as report:
        counter = _Counter(len(todo), report)
        if workers == 1:
            return [parse_batch(todo, raw_root(data_dir), parse, counter.add)]
        return _parse_in_pool(todo, raw_root(data_dir), workers, parse, counter)


def _parse_in_pool(
    todo: list[ReportUnit], root: str, jobs: int, parse: Parser | None, counter: _Counter
) -> list[dict[str, pa.Table]]:
    size = max(1, min(BATCH, math.ceil(len(todo) / (jobs * 4))))
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    results: dict[int, dict[str, pa.Table]] = {}
    # spawn, not fork: the caller (e.g. a crawl) may have threads a fork would copy mid-flight
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
        futures = {
            pool.submit(parse_batch, batch, root, parse): (i, len(batch))
            for i, batch in enumerate(batches)
        }
        for future in as_completed(futures):
            index, count = futures[future]
            results[index] = future.result()
            counter.add(count)
    return [results[i] for i in range(len(batches))]


@dataclass
class _Counter:
    total: int
    progress: Progress
    done: int = 0

    def add(self, n: int = 1) -> None:
        self.done += n
        self.progress(self.done, self.total)
