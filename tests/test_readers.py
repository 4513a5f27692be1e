"""The datasets as other engines read them with their own plain calls (the README's recipes)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from datasets_factory import make_report, write_reports

from govscrape.questions.load import load

dd = pytest.importorskip("dask.dataframe")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readers")
    write_reports(
        folder,
        [make_report("甲局", 2020), make_report("甲局", 2021), make_report("乙局", None)],
    )
    return folder


def test_dask_dataframe_reads_the_types_and_rows_of_load(data):
    frame = dd.read_parquet(str(data / "parquet" / "requests"))
    ours = load("requests", data)
    assert len(frame) == len(ours)
    assert str(frame["value"].dtype) == "Int64" and str(frame["year"].dtype) == "Int16"
    assert isinstance(frame["row"].dtype, pd.CategoricalDtype)
    years = frame["year"].compute()
    assert years.isna().sum() == (ours["year"].isna()).sum() > 0  # unknown year: null, not 0
    per_year = frame.groupby("year", dropna=False)["value"].count().compute()
    assert (
        per_year.sort_index().tolist()
        == ours.groupby("year", dropna=False)["value"].count().sort_index().tolist()
    )


def test_duckdb_reads_the_files_with_a_plain_glob(data):
    pattern = str(data / "parquet" / "requests" / "*.parquet")
    rows = duckdb.sql(
        f"SELECT year, count(*) FROM read_parquet('{pattern}') GROUP BY year ORDER BY year"
    ).fetchall()
    ours = load("requests", data)["year"].value_counts(dropna=False)
    assert dict(rows) == {None if pd.isna(k) else int(k): v for k, v in ours.items()}
