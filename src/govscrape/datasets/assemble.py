"""Assemble a build from files: the previous build's partitions, the staged new rows and the
cross-report findings, one partition at a time (memory flat in the corpus size); then the
datasets derived from the written ones (agencies, from the reports' agency columns).

A partition (a dataset's rows of one year) is rewritten only when something in its year changed:
a report parsed, removed or moved there, or a cross-report finding of that year; every other
partition file is kept from the previous build by a hard link.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from govscrape.datasets.agencies import REPORT_COLUMNS, agency_table
from govscrape.datasets.crossfacts import Source, cross_report_rows
from govscrape.datasets.partfile import (
    partition_name,
    partition_year,
    plain_schema,
    read_partition,
    write_partition,
)
from govscrape.datasets.schema import DERIVED, DERIVED_FILE, REPORT_DATASETS
from govscrape.datasets.staging import Staging, merge_by_report

CROSS_REPORT_CODES = frozenset({"year.continuity", "publication.late"})
AGENCY_SLICE = 50_000  # reports grouped into agencies at one time
SPILL = "spill"  # DuckDB's temporary files, in the staging folder (gone with it)
# Findings first: the reports' findings counts are read from the written findings partition.
WRITE_ORDER = (
    "findings",
    *(d for d in REPORT_DATASETS if d not in ("findings", "reports")),
    "reports",
)
Sites = Mapping[str, Mapping[str, object]]  # site id -> its record in the crawl state


@dataclass
class Previous:
    """The build being replaced: its folder and what its manifest says (empty for none)."""

    folder: Path | None = None
    cross: dict[str, str] = field(default_factory=dict)  # partition -> digest of its findings
    files: dict[str, dict[str, int]] = field(default_factory=dict)  # dataset -> file -> rows
    same_rules: bool = False  # written by the same assembly code (else: rewrite every partition)
    header: dict = field(default_factory=dict)  # its manifest's header

    def file(self, dataset: str, year: int | None) -> Path | None:
        name = DERIVED_FILE if dataset in DERIVED else partition_name(year)
        if self.folder is None or not self.files.get(dataset, {}).get(name):
            return None
        return self.folder / dataset / name


@dataclass
class Assembled:
    """What assembling wrote: rows and files per dataset, cross-report digests, counts."""

    files: dict[str, dict[str, int]] = field(default_factory=dict)
    cross: dict[str, str] = field(default_factory=dict)
    cross_findings: int = 0
    rewritten: set[str] = field(default_factory=set)  # partition files written anew
    linked: set[str] = field(default_factory=set)  # partition files kept from the previous build


def assemble(
    build: Path,
    previous: Previous,
    staging: Staging,
    kept_years: set[int | None],
    drop_by_year: dict[int | None, pa.Array],
    site_since: dict[str, datetime] | None = None,
    sites: Sites | None = None,
) -> Assembled:
    """Write every dataset of the new build into `build`.

    `kept_years`: the years of the reports kept from the previous build (those parsed are in
    `staging`); `drop_by_year`: previous year -> ids of the reports whose old rows must not be
    kept (parsed again, or gone); `sites`: the crawl state's site records (for the agencies of
    sites that gave no report).
    """
    cross = cross_report_tables(previous, staging, drop_by_year, site_since or {})
    out = Assembled(cross={partition_name(y): _digest(t) for y, t in cross.items()})
    out.cross_findings = sum(len(t) for t in cross.values())
    final = kept_years | staging.years
    affected = set(drop_by_year) | staging.years
    affected |= {y for y in final if _cross_changed(y, out.cross, previous.cross)}
    if not previous.same_rules:
        affected = final
    for dataset in WRITE_ORDER:
        out.files[dataset] = {}
        for year in sorted(final, key=lambda y: (y is None, y or 0)):
            _partition(build, dataset, year, year in affected, previous, staging,
                       drop_by_year.get(year), cross.get(year), out)  # fmt: skip
        if not out.files[dataset]:  # an empty dataset still gets one file: readers see its columns
            _empty(build, dataset, previous)
            out.files[dataset][partition_name(None)] = 0
    out.files["agencies"] = write_agencies(build, previous, sites, out)
    return out


def write_agencies(
    build: Path, previous: Previous, sites: Sites | None, out: Assembled
) -> dict[str, int]:
    """The agencies dataset, from the written reports' agency columns: one file, kept from the
    previous build by a hard link when its rows are the same.

    Grouped a range of sites at a time (an agency row is an (agency, site) group, and rows are
    in site order), so only about AGENCY_SLICE reports are held at once."""
    paths = sorted((build / "reports").glob("*.parquet"))
    target, name = build / "agencies" / DERIVED_FILE, f"agencies/{DERIVED_FILE}"
    chunks = (agency_table(reports, part) for reports, part in _site_ranges(paths, sites or {}))
    rows = write_partition(target, "agencies", chunks)
    old = previous.file("agencies", None)
    # Same rows, same bytes (a file's bytes depend on its rows alone, given the same code).
    if old is not None and previous.same_rules and filecmp.cmp(old, target, shallow=False):
        target.unlink()
        link_or_copy(old, target)
        out.linked.add(name)
    else:
        out.rewritten.add(name)
    return {DERIVED_FILE: rows}


def _site_ranges(paths: list[Path], sites: Sites) -> Iterator[tuple[pa.Table, dict]]:
    """(the reports' REPORT_COLUMNS, the configured sites) of consecutive ranges of sites in the
    agencies' order (no site first), each range of about AGENCY_SLICE reports."""
    counts: dict[str | None, int] = {}
    for path in paths:
        for item in _read_columns(path, ["site"], None)["site"].value_counts().to_pylist():
            counts[item["values"]] = counts.get(item["values"], 0) + item["counts"]
    order = sorted(set(counts) | set(sites), key=lambda site: site or "")
    start = 0
    while start < len(order):
        end, held = start, 0
        while end < len(order) and (
            end == start or held + counts.get(order[end], 0) <= AGENCY_SLICE
        ):
            held += counts.get(order[end], 0)
            end += 1
        part = order[start:end]
        named = [site for site in part if site is not None]
        where = pc.field("site").is_null() if None in part else None
        if named:
            within = pc.field("site").isin(named)
            where = within if where is None else where | within
        tables = [_read_columns(path, REPORT_COLUMNS, where) for path in paths]
        reports = pa.concat_tables(tables) if tables else plain_schema("reports").empty_table()
        yield reports.select(REPORT_COLUMNS), {s: sites[s] for s in named if s in sites}
        start = end


def _cross_changed(year: int | None, new: dict[str, str], old: dict[str, str]) -> bool:
    name = partition_name(year)
    return new.get(name) != old.get(name)


def _partition(
    build: Path,
    dataset: str,
    year: int | None,
    affected: bool,
    previous: Previous,
    staging: Staging,
    drop: pa.Array | None,
    cross: pa.Table | None,
    out: Assembled,
) -> None:
    name = partition_name(year)
    target = build / dataset / name
    old = previous.file(dataset, year)
    if not affected:
        if old is not None:
            link_or_copy(old, target)
            out.files[dataset][name] = previous.files[dataset][name]
            out.linked.add(f"{dataset}/{name}")
        return
    sources: list[Iterator[pa.Table]] = []
    if old is not None:
        codes = pa.array(sorted(CROSS_REPORT_CODES)) if dataset == "findings" else None
        sources.append(read_partition(old, dataset, drop, codes))
    sources.append(staging.rows(dataset, year))
    if dataset == "findings" and cross is not None:
        sources.append(iter([cross]))
    chunks = merge_by_report(sources)
    if dataset == "reports":
        counts = findings_counts(build / "findings" / name)
        chunks = (with_findings_counts(chunk, counts) for chunk in chunks)
    rows = write_partition(target, dataset, chunks)
    if rows:
        out.files[dataset][name] = rows
        out.rewritten.add(f"{dataset}/{name}")
    else:
        target.unlink()


def _empty(build: Path, dataset: str, previous: Previous) -> None:
    target = build / dataset / partition_name(None)
    if previous.folder is not None and previous.files.get(dataset) == {target.name: 0}:
        link_or_copy(previous.folder / dataset / target.name, target)
    else:
        write_partition(target, dataset, [])


def link_or_copy(source: Path, target: Path) -> None:
    """Keep a file of the previous build: a hard link (no bytes copied), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(source, target)


def cross_report_tables(
    previous: Previous,
    staging: Staging,
    drop_by_year: dict[int | None, pa.Array],
    site_since: dict[str, datetime],
) -> dict[int | None, pa.Table]:
    """The cross-report findings of the new build, as findings rows per year, from the files
    (read, joined and sorted out of core by DuckDB, spilling into the staging folder)."""
    reports = _sources("reports", previous, staging, drop_by_year)
    requests = _sources("requests", previous, staging, drop_by_year)
    table = cross_report_rows(reports, requests, staging.folder / SPILL, site_since)
    by_year: dict[int | None, pa.Table] = {}
    for year in set(table.column("year").to_pylist()):
        mask = pc.is_null(table["year"]) if year is None else pc.equal(table["year"], year)
        by_year[year] = table.filter(mask)
    return by_year


def _sources(
    dataset: str, previous: Previous, staging: Staging, drop_by_year: dict[int | None, pa.Array]
) -> list[Source]:
    """A dataset's files in the new build: the previous build's partitions (without the reports
    parsed again or gone), then the staged ones."""
    sources = []
    for name, rows in previous.files.get(dataset, {}).items() if previous.folder else ():
        if previous.folder is not None and rows:
            drop = drop_by_year.get(partition_year(name))
            sources.append(Source(previous.folder / dataset / name, drop))
    for year in staging.partitions(dataset):
        sources.append(Source(staging.path(dataset, year)))
    return sources


def _read_columns(path: Path, columns: list[str], where: pc.Expression | None) -> pa.Table:
    table = pq.read_table(path, columns=columns, filters=where)
    plain = [pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type)
             else f.with_nullable(True) for f in table.schema]  # fmt: skip
    return table.cast(pa.schema(plain))


def findings_counts(path: Path) -> dict[tuple[str, str], int]:
    """(report_id, severity) -> findings, from a written findings partition (none: {})."""
    if not path.exists():
        return {}
    findings = pq.read_table(path, columns=["report_id", "severity"])
    findings = findings.set_column(1, "severity", findings["severity"].cast(pa.string()))
    counts = findings.group_by(["report_id", "severity"]).aggregate([("report_id", "count")])
    return {(r["report_id"], r["severity"]): r["report_id_count"] for r in counts.to_pylist()}


def with_findings_counts(reports: pa.Table, counts: dict[tuple[str, str], int]) -> pa.Table:
    """Fill the reports' findings_error / _warning / _info counts."""
    ids = reports.column("report_id").to_pylist()
    for severity in ("error", "warning", "info"):
        values = pa.array([counts.get((i, severity), 0) for i in ids], pa.int32())
        name = f"findings_{severity}"
        reports = reports.set_column(reports.schema.get_field_index(name), name, values)
    return reports


def _digest(table: pa.Table) -> str:
    blob = json.dumps(table.to_pylist(), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()
