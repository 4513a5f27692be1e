"""The cross-report rules over a whole build in bounded memory: DuckDB joins the reports' facts
with their carried-over/forward totals and sorts them out of core (spilling into the build's own
staging folder), straight from the Parquet files; the rules (crossreport.py) see a slice of reports
at a time — report_id order for publication.late, whole agencies at a time for year.continuity."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from govscrape.datasets import crossreport
from govscrape.datasets.partfile import plain_schema
from govscrape.datasets.rows import empty_rows, finding_values
from govscrape.datasets.staging import sort_by_report

if TYPE_CHECKING:
    import duckdb

FACT_COLUMNS = ["report_id", "agency", "agency_kind", "year", "published", "first_seen", "site"]
CELL_COLUMNS = ["report_id", "row", "value", "kind"]
CARRIED = ("carried_over", "carried_forward")
SLICE = 20_000  # reports whose facts are Python objects at one time
# DuckDB's share of the build's main process: beyond it, joins and sorts spill to disk.
DUCKDB_SETTINGS: dict[str, str | bool | int | float | list[str]] = {
    "memory_limit": "100MB",  # DuckDB's buffers; its process share is about twice that
    "threads": 1,
    "preserve_insertion_order": False,
}


@dataclass(frozen=True)
class Source:
    """A Parquet file the rules read: a reports or requests partition, without `drop`'s ids."""

    path: Path
    drop: pa.Array | None = None  # report ids whose rows in this file no longer count


def cross_report_rows(
    reports: Iterable[Source],
    requests: Iterable[Source],
    spill: Path,
    site_since: dict[str, datetime] | None = None,
) -> pa.Table:
    """The findings rows of the cross-report rules, sorted by report (plain findings schema).

    `reports`: the reports partitions of the build (FACT_COLUMNS are read); `requests`: its
    requests partitions (their cells of applicant total in the rows carried_over /
    carried_forward; the last one in a file counts where repeated). DuckDB spills into `spill`."""
    since = site_since or {}
    rows = empty_rows()["findings"]
    spill.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=spill) as folder, _connection(Path(folder)) as con:
        _facts_table(con, list(reports), list(requests))
        for chunk in _slices(_stream(con, "SELECT * FROM facts ORDER BY report_id"), None):
            for report in _facts(chunk, since):
                found = crossreport.late_publication(report)
                if found is not None:
                    _append(rows, report, found)
        by_agency = ("SELECT * FROM facts WHERE agency IS NOT NULL AND year IS NOT NULL "
                     "ORDER BY agency, report_id")  # fmt: skip
        for chunk in _slices(_stream(con, by_agency), "agency"):
            for report, found in crossreport.year_continuity(_facts(chunk, since)):
                _append(rows, report, found)
    return sort_by_report(pa.Table.from_pydict(rows, schema=plain_schema("findings")))


def _connection(folder: Path) -> duckdb.DuckDBPyConnection:
    """DuckDB on a database file of its own in `folder`: its tables can leave memory (an
    in-memory database's could not), and it spills its sorts and windows there too."""
    import duckdb  # here: the CLI's start-up does not load DuckDB, only a build's assembly does

    config: dict[str, str | bool | int | float | list[str]] = {
        "temp_directory": str(folder / "tmp"),
        **DUCKDB_SETTINGS,
    }
    con = duckdb.connect(str(folder / "facts.duckdb"), config=config)
    con.execute("SET TimeZone = 'UTC'")  # instants as read; the rules take China dates of them
    return con


def _facts_table(
    con: duckdb.DuckDBPyConnection, reports: list[Source], requests: list[Source]
) -> None:
    """Table `facts`: FACT_COLUMNS plus <row>_value / <row>_kind of the two carried rows.

    Windows over sorted partitions, not GROUP BY or hash joins: within its memory limit DuckDB
    spills windows to disk, where an aggregate or a join of a million reports ran out of memory."""
    columns = ", ".join(f'"{c}"' for c in FACT_COLUMNS)
    facts = _union(con, reports, f"SELECT {columns}, true AS is_report, NULL::DOUBLE AS value, "
                   "NULL::VARCHAR AS kind, NULL::VARCHAR AS \"row\" FROM", "")  # fmt: skip
    if not reports:
        facts = f"SELECT *, true AS is_report, NULL::DOUBLE AS value, NULL::VARCHAR AS kind, " \
            f"NULL::VARCHAR AS \"row\" FROM ({_empty_reports()}) WHERE false"  # fmt: skip
    carried = ", ".join(f"'{row}'" for row in CARRIED)
    where = f"WHERE applicant = 'total' AND \"row\" IN ({carried})"
    # key: the cell's place in the build, (file, row in the file) as one BIGINT
    cells = _union(con, requests, "SELECT report_id, \"row\", value, kind, "
                   "({k}::BIGINT << 40) + file_row_number AS key FROM", where, row_numbers=True)  # fmt: skip
    if not requests:
        cells = ("SELECT NULL::VARCHAR AS report_id, NULL::VARCHAR AS \"row\", NULL::DOUBLE AS "
                 "value, NULL::VARCHAR AS kind, 0::BIGINT AS key WHERE false")  # fmt: skip
    # The last cell of a (report, row) counts: the one of the greatest key.
    con.execute(f"CREATE TABLE cells AS SELECT report_id, \"row\", value, kind FROM ({cells}) "
                "QUALIFY key = max(key) OVER (PARTITION BY report_id, \"row\")")  # fmt: skip
    # The join: reports and their (at most one a row) cells side by side, a window per report.
    picks = ", ".join(
        f"max({c}) FILTER (WHERE \"row\" = '{row}') OVER report AS {row}_{c}"
        for row in CARRIED
        for c in ("value", "kind")
    )
    cell_rows = ("SELECT report_id, NULL, NULL, NULL, NULL, NULL, NULL, false, value, kind, "
                 "\"row\" FROM cells")  # fmt: skip
    con.execute(f"CREATE TABLE facts AS SELECT * EXCLUDE (is_report, value, kind, \"row\") "
                f"FROM (SELECT *, {picks} FROM ({facts} UNION ALL {cell_rows}) "
                "WINDOW report AS (PARTITION BY report_id)) WHERE is_report")  # fmt: skip


def _union(con: duckdb.DuckDBPyConnection, sources: list[Source], select: str, where: str,
           row_numbers: bool = False) -> str:  # fmt: skip
    """UNION ALL of one SELECT per file, each without its dropped report ids."""
    parts = []
    for k, source in enumerate(sources):
        path = str(source.path).replace("'", "''")
        numbered = ", file_row_number = true" if row_numbers else ""
        part = f"{select.format(k=k)} read_parquet('{path}'{numbered}) {where}"
        if source.drop is not None and len(source.drop):
            name = f"drop_{id(source)}_{k}"
            con.register(name, pa.table({"report_id": source.drop.cast(pa.string())}))
            glue = "AND" if where else "WHERE"
            part += f" {glue} report_id NOT IN (SELECT report_id FROM {name})"
        parts.append(part)
    return " UNION ALL ".join(parts)


def _empty_reports() -> str:
    return ("SELECT NULL::VARCHAR AS report_id, NULL::VARCHAR AS agency, NULL::VARCHAR AS "
            "agency_kind, NULL::SMALLINT AS year, NULL::TIMESTAMPTZ AS published, "
            "NULL::TIMESTAMPTZ AS first_seen, NULL::VARCHAR AS site")  # fmt: skip


def _stream(con: duckdb.DuckDBPyConnection, query: str) -> Iterator[pa.Table]:
    """A query's rows in order, a record batch at a time."""
    result = con.execute(query)
    fetch = getattr(result, "to_arrow_reader", None) or result.fetch_record_batch  # duckdb 1.0-1.5
    for batch in fetch(SLICE):
        yield pa.Table.from_batches([batch])


def _slices(tables: Iterator[pa.Table], group: str | None) -> Iterator[pa.Table]:
    """Slices of about SLICE rows from an ordered stream; with `group`, never cutting a run of
    equal values (a run longer than SLICE stays whole)."""
    held: list[pa.Table] = []
    for table in tables:
        held.append(table)
        if sum(len(t) for t in held) < SLICE:
            continue
        whole = pa.concat_tables(held)
        end = len(whole)
        if group is not None:  # the last run may go on in the next batch: keep it back
            column = whole[group]
            end -= pc.sum(pc.equal(column, column[end - 1])).as_py() or 0
        if end:
            yield whole.slice(0, end)
        held = [whole.slice(end)] if end < len(whole) else []
    if held and sum(len(t) for t in held):
        yield pa.concat_tables(held)


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
