"""Partition files: bytes independent of how rows arrive; types for every reader."""

from __future__ import annotations

import random

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from datasets_factory import make_report, write_reports

from govscrape.datasets.partfile import (
    PartitionWriter,
    partition_name,
    partition_year,
    plain_schema,
    read_batches,
    read_partition,
    write_partition,
)
from govscrape.questions.load import load


def _rows(n: int) -> pa.Table:
    return pa.Table.from_pydict(
        {
            "report_id": [f"{i:016x}" for i in range(n)],
            "agency": [f"局{i % 7}" for i in range(n)],
            "year": [2020] * n,
            "row": ["new" if i % 2 else "granted" for i in range(n)],
            "applicant": ["total"] * n,
            "value": [i if i % 3 else None for i in range(n)],
            "unit": ["件"] * n,
            "kind": ["number" if i % 3 else "blank" for i in range(n)],
            "raw": [str(i) for i in range(n)],
        },
        schema=plain_schema("requests"),
    )


def test_file_bytes_do_not_depend_on_how_rows_arrive(tmp_path, monkeypatch):
    from govscrape.datasets import partfile

    monkeypatch.setitem(partfile.ROW_GROUP, "requests", 100)  # several row groups
    rows = _rows(450)
    files = []
    for i, size in enumerate((1, 7, 100, 450)):
        path = tmp_path / f"{i}.parquet"
        write_partition(path, "requests", (rows.slice(s, size) for s in range(0, 450, size)))
        files.append(path.read_bytes())
    assert all(f == files[0] for f in files)
    assert pq.ParquetFile(tmp_path / "0.parquet").num_row_groups == 5


def test_reading_back_drops_the_given_reports(tmp_path):
    path = tmp_path / "p.parquet"
    write_partition(path, "requests", [_rows(10)])
    kept = pa.concat_tables(read_partition(path, "requests", pa.array([f"{3:016x}"])))
    assert len(kept) == 9 and f"{3:016x}" not in kept["report_id"].to_pylist()


def test_an_empty_partition_is_a_file_with_the_columns(tmp_path):
    path = tmp_path / "e.parquet"
    assert PartitionWriter(path, "sections").close() == 0
    assert "section" in pq.read_schema(path).names


def test_partition_names_round_trip():
    assert partition_name(2020) == "2020.parquet" and partition_year("2020.parquet") == 2020
    assert partition_year(partition_name(None)) is None


def test_plain_read_parquet_gives_the_dtypes_of_load(tmp_path):
    write_reports(tmp_path, [make_report("甲局", 2020), make_report("乙局", None)])
    for table in ("requests", "reports", "findings", "active_disclosure"):
        plain = pd.read_parquet(tmp_path / "parquet" / table)
        ours = load(table, tmp_path)
        for column in ours.columns:
            if isinstance(ours[column].dtype, pd.CategoricalDtype):
                assert isinstance(plain[column].dtype, pd.CategoricalDtype), column
            else:
                assert plain[column].dtype == ours[column].dtype, (table, column)
    requests = pd.read_parquet(tmp_path / "parquet" / "requests")
    assert str(requests["value"].dtype) == "Int64" and str(requests["year"].dtype) == "Int16"
    assert requests["year"].isna().any()  # the unknown year is null, not 0
    assert list(requests["row"].cat.categories[:3]) == ["new", "carried_over", "granted"]


def test_duckdb_and_pyarrow_read_year_as_int16_and_keys_as_required(tmp_path):
    write_reports(tmp_path, [make_report("甲局", 2020)])
    pattern = str(tmp_path / "parquet" / "requests" / "*.parquet")
    types = dict(duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{pattern}')").fetchall()
                 and [(r[0], r[1]) for r in duckdb.sql(
                     f"DESCRIBE SELECT * FROM read_parquet('{pattern}')").fetchall()])  # fmt: skip
    assert types["year"] == "SMALLINT" and types["value"] == "BIGINT"
    schema = pq.read_table(tmp_path / "parquet" / "requests").schema
    assert schema.field("year").type == pa.int16()
    assert not schema.field("report_id").nullable and not schema.field("applicant").nullable


def test_reading_a_file_back_holds_one_row_group_at_a_time(tmp_path):
    path, rows = tmp_path / "big.parquet", 40_000
    ids = [f"r{i:06d}" for i in range(rows)]
    noise = random.Random(13)
    blobs = [noise.randbytes(256) for _ in range(rows)]  # 10 MB that does not compress
    pq.write_table(pa.table({"report_id": ids, "blob": blobs}), path, row_group_size=1_000)
    base, peak, seen = pa.total_allocated_bytes(), 0, []
    for batch in read_batches(path, 600):
        assert batch.num_rows <= 600
        seen.extend(batch.column("report_id").to_pylist())
        peak = max(peak, pa.total_allocated_bytes() - base)
    assert seen == ids
    # a few row groups (1,000 rows, about 1 MB each in the allocator) at most, never the whole
    # file (10 MB); two at once (the batch in hand and the next) measured 2.15 MB, depending on
    # what the process did before
    assert peak < 4_000_000
