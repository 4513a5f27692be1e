"""Build the Parquet datasets from the crawl state and the raw store, incrementally and atomically.

The steps live beside this module: plan.py (what to parse, from the crawl state and the previous
build's manifest), workers.py (parsing, in worker processes when there are many reports),
assemble.py (kept rows + new rows + cross-report findings) and store.py (the atomic write).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from govscrape.crawl.lock import FolderLock
from govscrape.crawl.storage import is_url
from govscrape.datasets.assemble import Assembled, Previous, Sites, assemble
from govscrape.datasets.delta import Delta, compare, final_reports, todo_batches
from govscrape.datasets.fingerprint import FORMAT_VERSION, assembly_fingerprint, code_fingerprint
from govscrape.datasets.manifest import (
    files_present,
    read_header,
    sources_record,
    up_to_date,
    write_header,
)
from govscrape.datasets.manifest_reports import REPORTS, EntryWriter, read_reports
from govscrape.datasets.parsing import Parser, parser_available, raw_root
from govscrape.datasets.plan import (
    FolderFacts,
    plan_sources,
    require_crawl_state,
    sites_digest,
    sources_facts,
)
from govscrape.datasets.remote import POINTER, download, publish, read_pointer, working_copy
from govscrape.datasets.rows import Provenance, add_report_rows, empty_rows
from govscrape.datasets.schema import DATASETS
from govscrape.datasets.staging import Staging
from govscrape.datasets.store import (
    BUILDS,
    STAGING,
    current_build,
    finish_build,
    new_build,
    swap_link,
    to_tables,
)
from govscrape.datasets.workers import (
    Progress,
    available_cores,
    batch_size,
    parse_units,
    worker_count,
)
from govscrape.errors import (
    ConfigError,
    DiskFullError,
    GovscrapeError,
    LockedError,
    disk_full_is_an_error,
    is_disk_full,
)
from govscrape.model import Report

# available_cores is re-exported: bench/dataset_bench.py imports it from here.
__all__ = ["BuildSummary", "available_cores", "build_datasets", "build_from_reports"]
LOCK_FILE = "build.lock"
_ORDER = list(DATASETS)


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
    cluster: str | None = None  # the Dask cluster they were parsed on, if any
    seconds: float = 0.0
    location: str | None = None  # where the datasets are published (an s3:// URL), if not here

    @property
    def exit_status(self) -> int:
        """0: the datasets are written or up to date (odd reports are findings, not failures)."""
        return 0

    def _where(self) -> str:
        if not self.parsed:
            return ""
        if self.cluster:
            return f" on the Dask cluster {self.cluster}"
        return " in this process" if self.workers <= 1 else f" in {self.workers} worker processes"

    def format(self) -> str:
        """A short human summary."""
        where = self.location or Path(self.data_dir) / "parquet"
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
    cluster: str | None = None,
    sources: list[Path | str] | None = None,
) -> BuildSummary:
    """Parse new/changed stored documents (all with `full`) and write the datasets atomically.

    `jobs`: worker processes, at least 1 (default: the cores this process may use, or this
    process alone for fewer than workers.INLINE_BELOW reports). `progress(done, total)`
    is called as reports are parsed; by default a long build shows a progress bar on a
    terminal and log lines otherwise. `parse` replaces govscrape.parse_report (a top-level
    function, so worker processes can import it). `cluster`: parse on Dask workers instead
    (`tcp://host:8786`, or `local:N` for a LocalCluster of N processes; see datasets.cluster):
    the datasets are byte-identical to a build in this process. `sources`: the crawl folders
    to build from (default: `data_dir` itself), e.g. one per crawl shard.
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if is_url(data_dir):  # built in a local working copy, then published (datasets/remote.py)
        local = working_copy(_remote_sources(str(data_dir), sources), str(data_dir))
        _follow_published(local, str(data_dir))
        summary = build_datasets(local, full=full, jobs=jobs, progress=progress, parse=parse,
                                 cluster=cluster, sources=sources)  # fmt: skip
        _publish(summary, local, str(data_dir))
        return summary
    started = time.perf_counter()
    data_dir = Path(data_dir)
    crawl_dirs = [Path(s) for s in sources] if sources else [data_dir]
    for folder in crawl_dirs:
        require_crawl_state(folder)  # before the lock: a wrong folder is left as it was
    fresh = None if full else up_to_date(data_dir, crawl_dirs)
    if fresh is not None:  # nothing changed: decided from the manifest's header alone
        count = int(fresh.get("reports", 0))
        return BuildSummary(data_dir, reports=count, reused=count,
                            seconds=time.perf_counter() - started)  # fmt: skip
    data_dir.mkdir(parents=True, exist_ok=True)
    unbuilt = "the datasets were not built; the previous datasets are intact"
    with disk_full_is_an_error(data_dir, unbuilt), build_lock(data_dir):
        facts, sites, site_since = sources_facts(crawl_dirs)
        previous = previous_build(data_dir, full)
        with _removed_on_failure(data_dir) as build:
            staging = Staging(build / STAGING)
            units = plan_sources(crawl_dirs, sites)
            delta = compare(units, read_reports(previous.folder), staging.folder, full)
            summary = _summary(data_dir, delta, jobs, cluster)
            header = _header(crawl_dirs, facts, sites, delta)
            if _nothing_to_do(delta, previous, header):
                refresh_header(previous, header)  # the counters seen: the next night is quick
                shutil.rmtree(build, ignore_errors=True)
                summary.seconds = time.perf_counter() - started
                return summary
            if delta.todo and parse is None and not parser_available():
                raise GovscrapeError("the report parser (govscrape.parse) is not installed")
            batches = todo_batches(delta, batch_size(delta.todo, summary.workers, cluster))
            parse_units(batches, delta.todo, raw_root(*crawl_dirs), jobs, progress, parse,
                        staging, cluster)  # fmt: skip
            done = _write(data_dir, build, previous, staging, delta, header, site_since, sites)
    _fill_summary(summary, build, done)
    summary.seconds = time.perf_counter() - started
    return summary


def _remote_sources(url: str, sources: list[Path | str] | None) -> list[Path]:
    if not sources:
        raise ConfigError(
            f"--data {url}: datasets at a URL are built from crawl states on this machine's "
            "disk: name their folders with --state DIR (or --from DIR ...)"
        )
    return [Path(s) for s in sources]


def _follow_published(local: Path, url: str) -> None:
    """Start the working copy from the published build when that one is newer (a new machine,
    an emptied cache, another machine published since): downloaded once, so the build stays
    incremental. A newer local build (its publish died) is kept and published next."""
    pointer = read_pointer(url)
    name, current = pointer.get("build"), current_build(local)
    if not name or (current is not None and current.name >= name):  # names start with the time
        return
    folder = local / BUILDS / name
    shutil.rmtree(folder, ignore_errors=True)
    download(url, pointer, folder)
    swap_link(local, folder)


def _publish(summary: BuildSummary, local: Path, url: str) -> None:
    """Publish the working copy's current build at `url` (also when a previous publish died)."""
    started = time.perf_counter()
    build = current_build(local)
    if build is not None and publish(build, url):
        summary.written = True
    summary.location = f"{url.rstrip('/')}/{POINTER}"
    summary.seconds += time.perf_counter() - started


def _summary(data_dir: Path, delta: Delta, jobs: int | None, cluster: str | None) -> BuildSummary:
    summary = BuildSummary(data_dir, reports=delta.reports, parsed=delta.todo)
    summary.reused, summary.removed = delta.reused, delta.gone
    summary.workers = worker_count(jobs, delta.todo)
    summary.cluster = cluster
    return summary


def _header(crawl_dirs: list[Path], facts: list[FolderFacts], sites: Sites, delta: Delta) -> dict:
    """The new manifest's header, but for what assembling adds (cross digests, files)."""
    return {
        "format": FORMAT_VERSION,
        "code": code_fingerprint(),
        "assembly": assembly_fingerprint(),
        "sources": sources_record(crawl_dirs, [f.state for f in facts]),
        "sites": sites_digest(sites),
        "reports": delta.reports,
    }


def _nothing_to_do(delta: Delta, previous: Previous, header: dict) -> bool:
    """Nothing parsed, nothing gone, the same rules and site records: the datasets stand."""
    return (
        not delta.todo
        and not delta.gone
        and previous.folder is not None
        and previous.same_rules
        and previous.header.get("sites") == header["sites"]
    )


def refresh_header(previous: Previous, header: dict) -> None:
    """Record in the current build's header the crawl states' counters it is up to date with."""
    if previous.folder is not None:
        write_header(previous.folder, previous.header | header)


@contextmanager
def _removed_on_failure(data_dir: Path) -> Iterator[Path]:
    """A new build folder, removed again when the build fails (the current datasets stay as
    they were); a full disk is a DiskFullError a user can act on, not a traceback."""
    build: Path | None = None
    try:
        build = new_build(data_dir)
        yield build
    except BaseException as exc:
        if build is not None:
            shutil.rmtree(build, ignore_errors=True)
        if is_disk_full(exc):
            raise DiskFullError(
                f"the disk holding {data_dir} is full: the datasets could not be written "
                f"({exc}). The half-written build was removed and the previous datasets are "
                "intact; free some space and run the command again"
            ) from None
        raise


def _write(
    data_dir: Path,
    build: Path,
    previous: Previous,
    staging: Staging,
    delta: Delta,
    header: dict,
    site_since: dict[str, datetime] | None,
    sites: Sites | None = None,
) -> Assembled:
    """Assemble the staged rows with the kept ones and swap the finished build in."""
    staging.close()
    done = assemble(build, previous, staging, delta.kept_years, delta.drop_by_year, site_since,
                    sites)  # fmt: skip
    writer = EntryWriter(build / REPORTS)
    final_reports(delta, iter(staging.staged()), writer)
    writer.close()
    finish_build(data_dir, build, header | {"cross": done.cross, "files": done.files})
    return done


def previous_build(data_dir: Path, full: bool = False) -> Previous:
    """The current build as the next one may reuse it (nothing when `full`, when it is of
    another format, or when a file its manifest names is missing)."""
    folder = current_build(data_dir)
    header = {} if full else read_header(folder)
    if header.get("format") != FORMAT_VERSION or folder is None:
        return Previous()
    if not files_present(folder, header):
        return Previous()
    same_rules = header.get("assembly") == assembly_fingerprint()
    return Previous(folder, header.get("cross", {}), header.get("files", {}), same_rules, header)


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
    with build_lock(data_dir), _removed_on_failure(data_dir) as build:
        staging = Staging(build / STAGING)
        staging.add(0, to_tables(rows))
        delta = compare([], [], staging.folder)
        done = _write(data_dir, build, Previous(), staging, delta, _header([], [], {}, delta),
                      None)  # fmt: skip
    summary = BuildSummary(data_dir, cross_report=done.cross_findings)
    _fill_summary(summary, build, done)
    summary.reports = summary.parsed = summary.rows["reports"]
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


def _fill_summary(summary: BuildSummary, build: Path, done: Assembled) -> None:
    summary.written = True
    summary.cross_report = done.cross_findings
    summary.rows = {name: sum(files.values()) for name, files in sorted(done.files.items(),
                    key=lambda item: _ORDER.index(item[0]))}  # fmt: skip
    summary.status = _value_counts(build, "reports", "parse_status")
    summary.findings = _value_counts(build, "findings", "severity")


def _value_counts(build: Path, dataset: str, column: str) -> dict[str, int]:
    """Counts of a code column over a dataset's files (that column only is read)."""
    counts: dict[str, int] = {}
    for path in sorted((build / dataset).glob("*.parquet")):
        values = pq.read_table(path, columns=[column]).column(column)
        for c in pc.value_counts(values.cast(pa.string())).to_pylist():
            if c["values"] is not None:
                counts[c["values"]] = counts.get(c["values"], 0) + c["counts"]
    return counts
