"""Assemble the datasets: kept rows plus new ones, cross-report findings, findings counts, and
the datasets derived from them (agencies)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from govscrape.datasets import crossreport
from govscrape.datasets.agencies import agency_table
from govscrape.datasets.parsing import ReportUnit
from govscrape.datasets.rows import empty_rows, finding_values
from govscrape.datasets.schema import REPORT_DATASETS
from govscrape.datasets.store import plain_schema, read_table

CROSS_REPORT_CODES = frozenset({"year.continuity", "publication.late"})


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
            for name in REPORT_DATASETS
        }
    except (OSError, pa.ArrowException):  # missing or from an incompatible version: rebuild
        return set(), None
    codes = old["findings"].column("code")
    old["findings"] = old["findings"].filter(
        pc.invert(pc.is_in(codes, pa.array(sorted(CROSS_REPORT_CODES))))
    )
    return keep, old


def assemble(
    old: dict[str, pa.Table] | None, batches: list[dict[str, pa.Table]]
) -> dict[str, pa.Table]:
    """Kept rows plus new rows, per dataset, sorted by report (stable: source order kept)."""
    tables = {}
    for name in REPORT_DATASETS:
        parts = ([old[name]] if old is not None else []) + [b[name] for b in batches]
        table = pa.concat_tables(parts) if parts else plain_schema(name).empty_table()
        tables[name] = sort_by_report(table)
    return tables


def sort_by_report(table: pa.Table) -> pa.Table:
    return table.take(pc.sort_indices(table, sort_keys=[("report_id", "ascending")]))


def finish_tables(
    tables: dict[str, pa.Table],
    site_since: dict[str, datetime] | None = None,
    sites: Mapping[str, Mapping[str, object]] | None = None,
) -> tuple[dict[str, pa.Table], int]:
    """Add the cross-report findings, the per-report findings counts and the derived datasets
    (`sites`: the crawl state's site records); the tables and how many findings the
    cross-report rules added."""
    tables, cross = add_cross_report_findings(tables, site_since or {})
    tables["reports"] = count_findings(tables["reports"], tables["findings"])
    tables["agencies"] = agency_table(tables["reports"], sites)
    return tables, cross


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
