"""Cross-report rules in slices: the same findings whatever the slice size."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
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


@pytest.mark.parametrize("size", [1, 2, 5])
def test_slices_give_the_findings_of_the_whole(size, monkeypatch):
    reports, cells = _tables()
    whole = crossfacts.cross_report_rows(reports, cells)
    codes = set(whole["code"].to_pylist())
    assert codes == {"year.continuity", "publication.late"}
    monkeypatch.setattr(crossfacts, "SLICE", size)
    assert crossfacts.cross_report_rows(reports, cells).equals(whole)
