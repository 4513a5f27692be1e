"""Build the Parquet datasets from the crawl state and the raw store, incrementally and atomically."""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from govscrape.datasets import crossreport
from govscrape.datasets.parsing import (
    Parser,
    ReportUnit,
    SourceDoc,
    parse_batch,
    parser_available,
    raw_root,
)
from govscrape.datasets.progress import BuildProgress
from govscrape.datasets.rows import (
    Provenance,
    add_report_rows,
    empty_rows,
    finding_values,
    report_id_for,
    utc_time,
)
from govscrape.datasets.store import (
    plain_schema,
    read_manifest,
    read_table,
    to_tables,
    write_build,
)
from govscrape.errors import GovscrapeError, InputError, LockedError
from govscrape.model import Report
from govscrape.schema import DATASETS
from govscrape.state import CrawlState, StoredDocument

FORMAT_VERSION = 1  # bump when the meaning of stored rows changes: forces a full rebuild
CROSS_REPORT_CODES = frozenset({"year.continuity", "publication.late"})
# Without --jobs, fewer reports than this are parsed in-process: starting workers costs up to a
# second of CPU, more than it saves on a few hundred reports at ~4 ms each.
INLINE_BELOW = 300
BATCH = 64  # reports per task sent to a worker: big enough to amortise, small for progress
# The code a report's rows depend on: when any of it changes, every report is parsed again.
PARSE_INPUTS = (
    "parse",
    "extract",
    "validate.py",
    "template.py",
    "findings.py",
    "model.py",
    "document.py",
    "encoding.py",
    "schema.py",
    "datasets/rows.py",
    "datasets/parsing.py",
)
ASSEMBLY_INPUTS = ("build.py", "crossreport.py", "store.py")
Progress = Callable[[int, int], None]  # (reports parsed so far, reports to parse)


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

    `jobs`: worker processes (default: the cores this process may use). `progress(done, total)`
    is called as reports are parsed; by default a long build shows a progress bar on a
    terminal and log lines otherwise. `parse` replaces govscrape.parse_report (a top-level
    function, so worker processes can import it).
    """
    started = time.perf_counter()
    data_dir = Path(data_dir)
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
        tables, summary.cross_report = finish_tables(assemble(old, batches), site_since)
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


def finish_tables(
    tables: dict[str, pa.Table], site_since: dict[str, datetime] | None = None
) -> tuple[dict[str, pa.Table], int]:
    """Add the cross-report findings and the per-report findings counts; the tables and how
    many findings the cross-report rules added."""
    tables, cross = add_cross_report_findings(tables, site_since or {})
    tables["reports"] = count_findings(tables["reports"], tables["findings"])
    return tables, cross


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
    """One build at a time per data folder (a second one would race for the swap)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "build.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(
                f"another govscrape process is building the datasets in {data_dir}; "
                "wait for it to finish and run the command again"
            ) from None
        yield


def plan_units(data_dir: Path) -> tuple[list[ReportUnit], dict[str, datetime]]:
    """One unit per report page (with its attachments; an orphan attachment is its own
    report), and when the crawler first looked at each site."""
    state_path = data_dir / "state.sqlite"
    if not state_path.exists():
        raise InputError(f"{data_dir} has no crawl state (state.sqlite): run govscrape crawl first")
    with CrawlState(state_path) as state:
        docs = list(state.documents())
        sites = state.sites()
        since = state.db.execute("SELECT site, MIN(first_seen) FROM urls GROUP BY site").fetchall()
    pages = {d.url: d for d in docs if d.kind == "report"}
    attachments: dict[str, list[StoredDocument]] = {url: [] for url in pages}
    orphans = []
    for doc in docs:
        if doc.kind == "attachment" and doc.parent_url in pages:
            attachments[doc.parent_url].append(doc)
        elif doc.kind == "attachment":
            orphans.append(doc)
    units = [_unit(p, attachments[p.url], sites) for p in pages.values()]
    units += [_unit(doc, [], sites) for doc in orphans]
    site_since = {site: utc_time(first) for site, first in since if first}
    return sorted(units, key=lambda u: u.page.url), site_since


def _unit(page: StoredDocument, attached: list[StoredDocument], sites: dict) -> ReportUnit:
    unit = ReportUnit(
        report_id=report_id_for(page.url),
        site=page.site,
        page=_source(page),
        attachments=tuple(_source(d) for d in sorted(attached, key=lambda d: d.url)),
        link_title=page.title,
        site_meta=dict(sites.get(page.site, {})),
    )
    return dataclasses.replace(unit, key=unit_key(unit))


def _source(doc: StoredDocument) -> SourceDoc:
    fetched = doc.changed_at or doc.first_fetched  # when these bytes were first fetched
    return SourceDoc(doc.url, doc.sha256, doc.content_type, doc.first_seen, fetched)


def unit_key(unit: ReportUnit) -> str:
    """Fingerprint of everything a report's rows depend on: bytes, crawl facts, site, code."""
    facts = dataclasses.asdict(unit) | {"key": None, "code": code_fingerprint()}
    blob = json.dumps(facts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha1 over the source of the parser and the row conversion."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1(str(FORMAT_VERSION).encode())
    for name in PARSE_INPUTS:
        path = package / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if file.exists():
                digest.update(file.relative_to(package).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def assembly_fingerprint() -> str:
    """sha1 over the code that assembles kept rows (cross-report rules, writing): when it
    changes, the datasets are rewritten, though no report is parsed again."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha1(str(FORMAT_VERSION).encode())
    for name in ASSEMBLY_INPUTS:
        digest.update(name.encode())
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


def reusable(
    data_dir: Path, units: list[ReportUnit], previous: dict
) -> tuple[set[str], dict[str, pa.Table] | None]:
    """Reports whose rows can be kept from the current build, and those rows."""
    keep = {u.report_id for u in units if previous.get(u.report_id) == u.key}
    if not previous:
        return set(), None
    try:
        ids = pa.array(sorted(keep), pa.string())
        old = {
            name: read_table(data_dir, name, pc.field("report_id").isin(ids), plain=True)
            for name in DATASETS
        }
    except (OSError, pa.ArrowException):  # missing or from an incompatible version: rebuild
        return set(), None
    codes = old["findings"].column("code")
    old["findings"] = old["findings"].filter(
        pc.invert(pc.is_in(codes, pa.array(sorted(CROSS_REPORT_CODES))))
    )
    return keep, old


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


def available_cores() -> int:
    """Cores this process may run on (respects affinity / container limits)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def assemble(
    old: dict[str, pa.Table] | None, batches: list[dict[str, pa.Table]]
) -> dict[str, pa.Table]:
    """Kept rows plus new rows, per dataset, sorted by report (stable: source order kept)."""
    tables = {}
    for name in DATASETS:
        parts = ([old[name]] if old is not None else []) + [b[name] for b in batches]
        table = pa.concat_tables(parts) if parts else plain_schema(name).empty_table()
        tables[name] = sort_by_report(table)
    return tables


def sort_by_report(table: pa.Table) -> pa.Table:
    return table.take(pc.sort_indices(table, sort_keys=[("report_id", "ascending")]))


def add_cross_report_findings(
    tables: dict[str, pa.Table], site_since: dict[str, datetime] | None = None
) -> tuple[dict[str, pa.Table], int]:
    """Run the cross-report rules and add their findings to the findings table."""
    facts = report_facts(tables["reports"], tables["requests"], site_since or {})
    found = crossreport.cross_report_findings(facts)
    rows = empty_rows()["findings"]
    for report, finding in found:
        rows["report_id"].append(report.report_id)
        rows["agency"].append(report.agency)
        rows["year"].append(report.year)
        for key, value in finding_values(finding).items():
            rows[key].append(value)
    extra = pa.Table.from_pydict(rows, schema=plain_schema("findings"))
    tables["findings"] = sort_by_report(pa.concat_tables([tables["findings"], extra]))
    return tables, len(found)


def report_facts(
    reports: pa.Table, requests: pa.Table, site_since: dict[str, datetime] | None = None
) -> list[crossreport.ReportFacts]:
    """The facts the cross-report rules read, in report_id order (so findings are stable)."""
    totals = requests.filter(
        pc.and_(
            pc.equal(requests.column("applicant"), "total"),
            pc.is_in(requests.column("row"), pa.array(["carried_over", "carried_forward"])),
        )
    )
    cells = {
        (r["report_id"], r["row"]): (r["value"], r["kind"])
        for r in totals.select(["report_id", "row", "value", "kind"]).to_pylist()
    }
    columns = ["report_id", "agency", "agency_kind", "year", "published", "first_seen", "site"]
    since = site_since or {}
    facts = [
        crossreport.ReportFacts(
            **{k: v for k, v in r.items() if k != "site"},
            site_since=since.get(r["site"]),
            carried_over=cells.get((r["report_id"], "carried_over")),
            carried_forward=cells.get((r["report_id"], "carried_forward")),
        )
        for r in reports.select(columns).to_pylist()
    ]
    return sorted(facts, key=lambda f: f.report_id)


def count_findings(reports: pa.Table, findings: pa.Table) -> pa.Table:
    """Fill the reports' findings_error / _warning / _info counts."""
    counts = findings.group_by(["report_id", "severity"]).aggregate([("code", "count")])
    by_key = {(r["report_id"], r["severity"]): r["code_count"] for r in counts.to_pylist()}
    ids = reports.column("report_id").to_pylist()
    for severity in ("error", "warning", "info"):
        values = pa.array([by_key.get((i, severity), 0) for i in ids], pa.int32())
        name = f"findings_{severity}"
        reports = reports.set_column(reports.schema.get_field_index(name), name, values)
    return reports


def _fill_summary(summary: BuildSummary, tables: dict[str, pa.Table]) -> None:
    summary.written = True
    summary.rows = {name: len(table) for name, table in tables.items()}
    summary.status = _value_counts(tables["reports"].column("parse_status"))
    summary.findings = _value_counts(tables["findings"].column("severity"))


def _value_counts(column: pa.ChunkedArray) -> dict[str, int]:
    counts = pc.value_counts(column).to_pylist()
    return {c["values"]: c["counts"] for c in counts if c["values"] is not None}
