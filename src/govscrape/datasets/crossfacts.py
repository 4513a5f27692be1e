"""The cross-report rules over a whole build in bounded memory: the facts stay in Arrow columns
(tens of bytes a report), and the rules (crossreport.py) see a slice of reports at a time —
report_id order for publication.late, whole agencies at a time for year.continuity."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from govscrape.datasets import crossreport
from govscrape.datasets.partfile import plain_schema
from govscrape.datasets.rows import empty_rows, finding_values
from govscrape.datasets.staging import sort_by_report

FACT_COLUMNS = ["report_id", "agency", "agency_kind", "year", "published", "first_seen", "site"]
CELL_COLUMNS = ["report_id", "row", "value", "kind"]
CARRIED = ("carried_over", "carried_forward")
SLICE = 20_000  # reports whose facts are Python objects at one time


def cross_report_rows(
    reports: pa.Table, cells: pa.Table, site_since: dict[str, datetime] | None = None
) -> pa.Table:
    """The findings rows of the cross-report rules, sorted by report (plain findings schema).

    `reports`: FACT_COLUMNS of every report; `cells`: their requests cells of applicant
    total in the rows carried_over / carried_forward (the last one counts where repeated)."""
    facts = _with_carried(reports.select(FACT_COLUMNS), cells.select(CELL_COLUMNS))
    since = site_since or {}
    rows = empty_rows()["findings"]
    for chunk in _slices(facts.sort_by("report_id"), None):
        for report in _facts(chunk, since):
            found = crossreport.late_publication(report)
            if found is not None:
                _append(rows, report, found)
    known = facts.filter(pc.and_(pc.is_valid(facts["agency"]), pc.is_valid(facts["year"])))
    by_agency = known.sort_by([("agency", "ascending"), ("report_id", "ascending")])
    for chunk in _slices(by_agency, "agency"):
        for report, found in crossreport.year_continuity(_facts(chunk, since)):
            _append(rows, report, found)
    return sort_by_report(pa.Table.from_pydict(rows, schema=plain_schema("findings")))


def _with_carried(reports: pa.Table, cells: pa.Table) -> pa.Table:
    """reports plus <row>_value / <row>_kind columns for the two carried rows."""
    cells = cells.append_column("at", pa.array(range(len(cells)), pa.int64()))
    last = cells.group_by(["report_id", "row"]).aggregate([("at", "max")])
    cells = cells.take(last["at_max"])
    for row in CARRIED:
        part = cells.filter(pc.equal(cells["row"], row)).select(["report_id", "value", "kind"])
        part = part.rename_columns(["report_id", f"{row}_value", f"{row}_kind"])
        reports = reports.join(part, "report_id", join_type="left outer")
    return reports


def _slices(table: pa.Table, group: str | None) -> Iterator[pa.Table]:
    """Slices of about SLICE rows; with `group`, never cutting a run of equal values."""
    start = 0
    while start < len(table):
        end = min(start + SLICE, len(table))
        if group is not None and end < len(table):
            column = table[group]
            edge = column[end - 1]
            while end < len(table) and column[end] == edge:
                end += 1
        yield table.slice(start, end - start)
        start = end


def _facts(chunk: pa.Table, since: dict[str, datetime]) -> list[crossreport.ReportFacts]:
    facts = []
    for r in chunk.to_pylist():
        facts.append(
            crossreport.ReportFacts(
                **{k: r[k] for k in FACT_COLUMNS if k != "site"},
                site_since=since.get(r["site"]),
                carried_over=_cell(r, "carried_over"),
                carried_forward=_cell(r, "carried_forward"),
            )
        )
    return facts


def _cell(r: dict, row: str) -> tuple[float | None, str] | None:
    kind = r[f"{row}_kind"]
    return None if kind is None else (r[f"{row}_value"], kind)


def _append(rows: dict[str, list], report: crossreport.ReportFacts, found: object) -> None:
    rows["report_id"].append(report.report_id)
    rows["agency"].append(report.agency)
    rows["year"].append(report.year)
    for key, value in finding_values(found).items():  # type: ignore[arg-type]
        rows[key].append(value)
