"""Parse on a Dask cluster: batches of report units go to the workers, which read the raw bytes
themselves and send back Arrow tables; this process stages them in order (datasets.staging).

`address` is a scheduler (`tcp://host:8786`) or `local:N` (a LocalCluster of N worker processes
on this machine). A worker that dies mid-batch costs only a re-run of its batches: the scheduler
gives them to another worker, and each batch is staged once, by its number, whoever parsed it.
A batch that keeps killing workers is split into single reports, run one at a time (so that a
death is the fault of the report running); a report that still kills its worker is recorded as
failed (a parse.internal_error finding), so a build never loops forever.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from govscrape.datasets.parsing import Parser, ReportUnit, lost_batch, parse_batch
from govscrape.errors import InputError

if TYPE_CHECKING:
    from distributed import Client

    from govscrape.datasets.staging import Sink

log = logging.getLogger("govscrape.datasets")
IN_FLIGHT = 4  # batches per worker thread submitted ahead: busy workers, bounded memory
LOG_EVERY = 15.0  # seconds between progress log lines
NO_WORKERS_S = 600.0  # a cluster without a worker this long stops the build (a restart is ~1 s)
WORKER_CHECK_S = 5.0  # seconds between asking the scheduler whether it has workers
CONNECT_TIMEOUT = 30.0  # seconds to reach a scheduler: a cluster starting up may be slow
# A local cluster closes a worker for good when its restart (after a report killed it) has not
# registered within lost-worker-timeout (15 s by default): on a loaded machine a restart takes
# longer, and a cluster that lost every worker that way leaves the build waiting forever.
LOCAL_CLUSTER_CONFIG = {"distributed.deploy.lost-worker-timeout": "30 minutes"}
KILLED = (
    "reading this report killed the Dask worker process again and again (out of memory or a "
    "crash in a parser library)"
)


def parse_on_cluster(
    batches: Iterable[list[ReportUnit]],
    root: str,
    address: str,
    parse: Parser | None,
    sink: Sink,
    done: Any,
    total: int | None = None,
) -> None:
    """Parse `batches` (`total` of them, when known) on the cluster at `address` into `sink`;
    `done(n)` counts reports. The batches are read as they are sent: never all at once."""
    with cluster_client(address) as client:
        Runner(client, root, parse, sink, done).run(batches, total)


class Runner:
    """Submits batches in a window, stages results, splits batches that kill workers."""

    def __init__(self, client: Client, root: str, parse: Parser | None, sink: Sink, done: Any):
        from distributed import as_completed  # optional library: only cluster builds load it

        self.client, self.root, self.parse, self.sink, self.done = client, root, parse, sink, done
        self.results = as_completed()
        self.pending: dict[Any, tuple[int, list[ReportUnit]]] = {}
        self.parts: dict[int, list[dict | None]] = {}  # a split batch: its reports' tables
        self.order: dict[tuple[int, str], int] = {}  # (batch, report) -> place in its batch
        self.suspects: list[tuple[int, ReportUnit, int]] = []  # singles of split batches
        self.suspect_running = False
        self.token = uuid.uuid4().hex[:12]  # task keys of this build only (a shared cluster)
        self.window = IN_FLIGHT * max(1, sum(client.nthreads().values()))

    def run(self, batches: Iterable[list[ReportUnit]], total: int | None = None) -> None:
        queue = enumerate(batches)
        more, finished, last_log = True, 0, time.monotonic()
        while more or self.pending or self.suspects:
            while more and len(self.pending) + len(self.sink.waiting) < self.window:
                item = next(queue, None)
                if item is None:
                    more = False
                    break
                self._submit(*item)
            if not self.pending and not self.suspects:
                break
            if self.suspects and not self.suspect_running:
                index, unit, part = self.suspects.pop(0)
                self._submit(index, [unit], part)
                self.suspect_running = True
            future = self._next_finished()
            index, units = self.pending.pop(future)
            if index in self.parts:
                self.suspect_running = False
            finished += self._collect(future, index, units)
            if time.monotonic() - last_log >= LOG_EVERY:
                last_log = time.monotonic()
                log.info("parsed %d/%s batches on the cluster", finished, total or "?")
        log.info("parsed %d batches on the cluster", finished)

    def _next_finished(self) -> Any:
        """The next finished batch; an InputError once the cluster has had no worker for
        NO_WORKERS_S: with every worker gone, the build would wait forever."""
        checked = alone_since = time.monotonic()
        while not self.results.has_ready():
            with self.results.thread_condition:  # as as_completed's own __next__ waits
                self.results.thread_condition.wait(timeout=0.1)
            now = time.monotonic()
            if now - checked < WORKER_CHECK_S:
                continue
            checked = now
            if self.client.nthreads():
                alone_since = now
            elif now - alone_since >= NO_WORKERS_S:
                raise InputError(
                    f"the Dask cluster has had no workers for {NO_WORKERS_S:.0f} s; the build "
                    "stopped (nothing was changed): start workers and run it again"
                )
        return next(self.results)

    def _submit(self, index: int, units: list[ReportUnit], part: int | None = None) -> None:
        key = f"govscrape-parse-{self.token}-{index}" + ("" if part is None else f"-{part}")
        future = self.client.submit(parse_batch, units, self.root, self.parse, key=key, pure=False)
        self.pending[future] = (index, units)
        self.results.add(future)

    def _collect(self, future: Any, index: int, units: list[ReportUnit]) -> int:
        """Stage a finished batch (or split one whose worker died); batches finished."""
        from distributed import KilledWorker  # as above

        try:
            tables = future.result()
        except KilledWorker:
            return self._killed(index, units)
        if index in self.parts:  # one report of a split batch
            return self._part_done(index, units, tables)
        self.sink.add(index, tables)
        self.done(len(units))
        return 1

    def _killed(self, index: int, units: list[ReportUnit]) -> int:
        if index in self.parts or len(units) == 1:
            log.warning("a report kept killing Dask workers; recorded as failed: %s",
                        units[0].page.url)  # fmt: skip
            tables = lost_batch(units, self.root, KILLED)
            if index in self.parts:
                return self._part_done(index, units, tables)
            self.sink.add(index, tables)
            self.done(len(units))
            return 1
        log.warning("batch %d killed Dask workers; parsing its %d reports one by one",
                    index, len(units))  # fmt: skip
        self.parts[index] = [None] * len(units)
        for i, unit in enumerate(units):
            self.order[(index, unit.report_id)] = i
            self.suspects.append((index, unit, i))
        return 0

    def _part_done(self, index: int, units: list[ReportUnit], tables: dict) -> int:
        import pyarrow as pa  # with the cluster only (pyarrow is loaded by then anyway)

        parts = self.parts[index]
        parts[self.order[(index, units[0].report_id)]] = tables
        self.done(1)
        if any(p is None for p in parts):
            return 0
        del self.parts[index]
        merged = {name: pa.concat_tables([p[name] for p in parts if p is not None])
                  for name in parts[0] or {}}  # fmt: skip
        self.sink.add(index, merged)
        return 1


@contextmanager
def cluster_client(address: str) -> Iterator[Client]:
    """A client of the scheduler at `address`, or of a LocalCluster for `local:N`."""
    try:  # optional library (the cluster extra): imported for a cluster build only
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError(
            "--cluster needs Dask distributed: pip install 'govscrape[cluster]'"
        ) from None
    if address.startswith("local:"):
        workers = _count(address)
        with (
            dask.config.set(LOCAL_CLUSTER_CONFIG),
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,  # fmt: skip
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(address, timeout=f"{CONNECT_TIMEOUT}s")
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        yield client


def _count(address: str) -> int:
    try:
        workers = int(address.removeprefix("local:"))
    except ValueError:
        workers = 0
    if workers < 1:
        raise InputError(
            f"--cluster {address}: write local:N with N worker processes, e.g. local:2"
        )
    return workers
