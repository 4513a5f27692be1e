"""govscrape.scan: a lazy DuckDB relation over a dataset, filters and projections pushed down."""

from __future__ import annotations

import duckdb
import pytest
from datasets_factory import build_known_dataset, make_report, write_reports

import govscrape
from govscrape.questions.load import load


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return build_known_dataset(tmp_path_factory.mktemp("known"))


def test_scan_is_lazy_and_gives_what_load_gives(data):
    relation = govscrape.scan("requests", data, years=2021, agencies="甲局")
    assert isinstance(relation, duckdb.DuckDBPyRelation)
    frame = relation.df()
    loaded = load("requests", data, years=2021, agencies="甲局")
    assert len(frame) == len(loaded) > 0
    assert sorted(frame["value"].dropna()) == sorted(loaded["value"].dropna())


def test_scan_pushes_filters_and_projection_down_to_the_parquet_scan(data):
    relation = govscrape.scan("requests", data, years=[2021], columns=["agency", "value"])
    plan = relation.filter("value > 0").explain()
    scan = plan[plan.index("PARQUET_SCAN") :]  # the scan itself filters and projects
    projections = scan[scan.index("Projections:") : scan.index("Filters:")]
    assert "agency" in projections and "value" in projections and "raw" not in projections
    assert "year=2021" in scan and "value>0" in scan
    assert relation.columns == ["agency", "value"]


def test_scan_aggregates_without_loading_rows_into_pandas(data):
    totals = (
        govscrape.scan("requests", data)
        .filter("row = 'new' AND applicant = 'total'")
        .aggregate("agency, sum(value) AS new", "agency")
        .order("agency")
        .fetchall()
    )
    assert totals == [("丁县人民政府", 0), ("丙镇", None), ("乙局", 0), ("甲局", 5)]


def test_scan_selects_the_unknown_year_with_none(tmp_path):
    write_reports(tmp_path, [make_report("乙局", None), make_report("甲局", 2020)])
    rows = govscrape.scan("reports", tmp_path, years=[None], columns=["agency"]).fetchall()
    assert rows == [("乙局",)]
    relation = govscrape.scan("reports", tmp_path)
    assert relation.types[relation.columns.index("year")] == "SMALLINT"
