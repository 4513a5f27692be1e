"""Cross-report rules from files, in slices: the same findings whatever the slice size."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govscrape.datasets import crossfacts


def _tables() -> tuple[pa.Table, pa.Table]:
    reports, cells = [], []
    for i in range(12):
        agency, year = f"局{i % 3}", 2019 + i // 3
        rid = f"{i:016x}"
        published = datetime(year + 1, 5, 1, tzinfo=UTC) if i % 2 else None
        reports.append((rid, agency, "department", year, published, None, "s"))
        cells.append((rid, "carried_over", i % 4, "number"))
        cells.append((rid, "carried_forward", i % 5, "number"))
        cells.append((rid, "carried_forward", i % 3, "number"))  # repeated: the last counts
    names = crossfacts.FACT_COLUMNS
    columns = list(zip(*reports, strict=True))
    types = [pa.string(), pa.string(), pa.string(), pa.int16(),
             pa.timestamp("ms", tz="UTC"), pa.timestamp("ms", tz="UTC"), pa.string()]  # fmt: skip
    report_table = pa.table([pa.array(c, t) for c, t in zip(columns, types, strict=True)], names)
    cell_columns = list(zip(*cells, strict=True))
    cell_table = pa.table(
        [pa.array(cell_columns[0]), pa.array(cell_columns[1]),
         pa.array(cell_columns[2], pa.int64()), pa.array(cell_columns[3])],
        crossfacts.CELL_COLUMNS,
    )  # fmt: skip
    return report_table, cell_table


def _files(folder, reports: pa.Table, cells: pa.Table) -> tuple[list, list]:
    """The tables as Parquet files, as a build has them (requests with their applicant)."""
    cells = cells.append_column("applicant", pa.array(["total"] * len(cells)))
    pq.write_table(reports, folder / "reports.parquet")
    pq.write_table(cells, folder / "requests.parquet")
    return ([crossfacts.Source(folder / "reports.parquet")],
            [crossfacts.Source(folder / "requests.parquet")])  # fmt: skip


@pytest.mark.parametrize("size", [1, 2, 5])
def test_slices_give_the_findings_of_the_whole(size, monkeypatch, tmp_path):
    reports, requests = _files(tmp_path, *_tables())
    whole = crossfacts.cross_report_rows(reports, requests, tmp_path / "spill")
    codes = set(whole["code"].to_pylist())
    assert codes == {"year.continuity", "publication.late"}
    monkeypatch.setattr(crossfacts, "SLICE", size)
    assert crossfacts.cross_report_rows(reports, requests, tmp_path / "spill").equals(whole)


def test_the_last_repeated_cell_counts_and_dropped_reports_do_not(tmp_path):
    reports, requests = _files(tmp_path, *_tables())
    found = crossfacts.cross_report_rows(reports, requests, tmp_path / "spill")
    continuity = [m for m in found["message"].to_pylist() if "carried forward" in m]
    # report 7 (局1, 2021) carried forward 7 % 5 = 2, then 7 % 3 = 1 (the one that counts);
    # report 10 (局1, 2022) carried over 10 % 4 = 2: a finding, where the first value would agree
    assert any(
        m.startswith("carried over from 2021: 2,") and m.endswith("forward 1") for m in continuity
    )
    drop = pa.array([f"{i:016x}" for i in range(12)])
    dropped = [crossfacts.Source(reports[0].path, drop)]
    assert not len(crossfacts.cross_report_rows(dropped, requests, tmp_path / "spill"))


def test_no_files_no_findings(tmp_path):
    assert not len(crossfacts.cross_report_rows([], [], tmp_path / "spill"))
