"""Build the Parquet datasets from the crawl state and the raw store, incrementally and atomically.

The steps live beside this module: plan.py (what to parse, from the crawl state and the previous
build's manifest), workers.py (parsing, in worker processes when there are many reports),
assemble.py (kept rows + new rows + cross-report findings) and store.py (the atomic write).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from govscrape.crawl.lock import FolderLock
from govscrape.datasets.assemble import assemble, finish_tables, reusable
from govscrape.datasets.parsing import Parser, ReportUnit, parser_available
from govscrape.datasets.plan import (
    FORMAT_VERSION,
    assembly_fingerprint,
    plan_units,
    require_crawl_state,
    site_records,
)
from govscrape.datasets.rows import Provenance, add_report_rows, empty_rows
from govscrape.datasets.store import read_manifest, to_tables, write_build
from govscrape.datasets.workers import Progress, available_cores, parse_units, worker_count
from govscrape.errors import GovscrapeError, LockedError
from govscrape.model import Report

# available_cores is re-exported: bench/dataset_bench.py imports it from here.
__all__ = ["BuildSummary", "available_cores", "build_datasets", "build_from_reports"]
LOCK_FILE = "build.lock"


@dataclass
class BuildSummary:
    """What a build did, for the CLI and the crawl summary."""

    data_dir: Path
    reports: int = 0
    parsed: int = 0
    reused: int = 0
    removed: int = 0
    written: bool = False
    status: dict[str, int] = field(default_factory=dict)  # parse_status -> reports
    findings: dict[str, int] = field(default_factory=dict)  # severity -> findings
    cross_report: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # dataset -> rows
    workers: int = 1  # processes the reports were parsed in
    seconds: float = 0.0

    @property
    def exit_status(self) -> int:
        """0: the datasets are written or up to date (odd reports are findings, not failures)."""
        return 0

    def _where(self) -> str:
        if not self.parsed:
            return ""
        return " in this process" if self.workers <= 1 else f" in {self.workers} worker processes"

    def format(self) -> str:
        """A short human summary."""
        where = Path(self.data_dir) / "parquet"
        if not self.written:
            return f"datasets up to date in {where}: {self.reports} reports ({self.seconds:.1f} s)"
        status = ", ".join(f"{n} {s}" for s, n in sorted(self.status.items())) or "none"
        found = ", ".join(f"{n} {s}" for s, n in sorted(self.findings.items())) or "none"
        rows = ", ".join(f"{name} {n}" for name, n in self.rows.items())
        return "\n".join(
            [
                f"datasets written to {where} in {self.seconds:.1f} s",
                f"  reports: {self.reports} ({self.parsed} parsed{self._where()}, "
                f"{self.reused} unchanged, "
                f"{self.removed} removed)",
                f"  parse status: {status}",
                f"  findings: {found} ({self.cross_report} from cross-report rules)",
                f"  rows: {rows}",
            ]
        )


def build_datasets(
    data_dir: Path | str,
    *,
    full: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
    parse: Parser | None = None,
) -> BuildSummary:
    """Parse new/changed stored documents (all with `full`) and write the datasets atomically.

    `jobs`: worker processes, at least 1 (default: the cores this process may use, or this
    process alone for fewer than workers.INLINE_BELOW reports). `progress(done, total)`
    is called as reports are parsed; by default a long build shows a progress bar on a
    terminal and log lines otherwise. `parse` replaces govscrape.parse_report (a top-level
    function, so worker processes can import it).
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    started = time.perf_counter()
    data_dir = Path(data_dir)
    require_crawl_state(data_dir)  # before the lock: a wrong folder is left as it was
    with build_lock(data_dir):
        units, site_since = plan_units(data_dir)
        manifest = {} if full else read_manifest(data_dir)
        fresh = manifest.get("format") == FORMAT_VERSION
        previous: dict[str, str] = manifest.get("reports", {}) if fresh else {}
        reused, old = reusable(data_dir, units, previous)
        todo = [u for u in units if u.report_id not in reused]
        summary = BuildSummary(data_dir, reports=len(units), parsed=len(todo), reused=len(reused))
        summary.removed = len(set(previous) - {u.report_id for u in units})
        summary.workers = worker_count(jobs, len(todo))
        same_rules = manifest.get("assembly") == assembly_fingerprint()
        if not todo and not summary.removed and old is not None and previous and same_rules:
            summary.seconds = time.perf_counter() - started
            return summary
        if todo and parse is None and not parser_available():
            raise GovscrapeError("the report parser (govscrape.parse) is not installed")
        batches = parse_units(todo, data_dir, jobs, progress, parse)
        sites = site_records(data_dir)
        tables, summary.cross_report = finish_tables(assemble(old, batches), site_since, sites)
        write_build(data_dir, tables, _manifest(units))
    _fill_summary(summary, tables)
    summary.seconds = time.perf_counter() - started
    return summary


def _manifest(units: list[ReportUnit]) -> dict:
    return {
        "format": FORMAT_VERSION,
        "assembly": assembly_fingerprint(),
        "reports": {u.report_id: u.key for u in units},
    }


def build_from_reports(
    data_dir: Path | str, reports: Iterable[tuple[Report, Provenance]]
) -> BuildSummary:
    """Write datasets straight from Report objects (no crawl state, no parsing): for tests,
    notebooks and benchmarks. Replaces whatever datasets `data_dir` had."""
    started = time.perf_counter()
    data_dir = Path(data_dir)
    rows = empty_rows()
    for report, prov in reports:
        add_report_rows(rows, report, prov)
    with build_lock(data_dir):
        tables, cross = finish_tables(assemble(None, [to_tables(rows)]))
        write_build(data_dir, tables, _manifest([]))
    summary = BuildSummary(data_dir, reports=len(tables["reports"]), cross_report=cross)
    summary.parsed = summary.reports
    _fill_summary(summary, tables)
    summary.seconds = time.perf_counter() - started
    return summary


@contextmanager
def build_lock(data_dir: Path) -> Iterator[None]:
    """One build at a time per data folder (a second one would race for the swap).

    An flock (govscrape.crawl.lock): the kernel drops it when the build ends in any way, even killed,
    so the lock file a dead build leaves behind never blocks the next one.
    """
    lock = FolderLock(data_dir / LOCK_FILE)
    try:
        lock.acquire()
    except LockedError:
        raise LockedError(
            f"another govscrape process (pid {_holder(lock)}) is building the datasets in "
            f"{data_dir}; wait for it to finish and run the command again"
        ) from None
    try:
        yield
    finally:
        lock.release()


def _holder(lock: FolderLock) -> str:
    try:
        words = lock.path.read_text("utf-8", "replace").split()
    except OSError:
        words = []
    return words[0] if words else "unknown"


def _fill_summary(summary: BuildSummary, tables: dict[str, pa.Table]) -> None:
    summary.written = True
    summary.rows = {name: len(table) for name, table in tables.items()}
    summary.status = _value_counts(tables["reports"].column("parse_status"))
    summary.findings = _value_counts(tables["findings"].column("severity"))


def _value_counts(column: pa.ChunkedArray) -> dict[str, int]:
    counts = pc.value_counts(column).to_pylist()
    return {c["values"]: c["counts"] for c in counts if c["values"] is not None}
