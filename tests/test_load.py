"""Reading the datasets: findings and SQL on a small dataset with known answers."""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd
import pytest
from datasets_factory import build_known_dataset, make_report, write_reports

import govscrape
from govscrape.datasets.schema import DATASETS
from govscrape.errors import GovscrapeError
from govscrape.questions.findings import findings
from govscrape.questions.load import load
from govscrape.questions.sql import sql


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return build_known_dataset(tmp_path_factory.mktemp("known"))


def test_govscrape_load_and_wide_are_the_query_functions(data):
    assert len(govscrape.load("reports", data)) == 7
    assert "new__total" in govscrape.wide("requests", data).columns


def test_cross_report_findings_are_in_the_findings_dataset(data):
    found = findings(data, code="year.continuity")
    assert list(found["agency"]) == ["甲局"] and list(found["year"]) == [2021]
    assert (found.loc[0, "expected"], found.loc[0, "found"]) == ("2", "3")
    late = findings(data, code="publication.late")
    assert list(late["agency"]) == ["甲局"]  # 丙镇 is a township; 丁县 was in time


def test_findings_filter_by_family_and_year(data):
    assert set(findings(data, code="publication")["code"]) == {"publication.late"}
    assert findings(data, year=2020).empty
    assert findings(data, code="requests").empty


def test_findings_counts_on_reports_include_cross_report_rules(data):
    reports = load("reports", data, agencies="甲局").set_index("year")
    assert reports.loc[2021, "findings_warning"] == 2 and reports.loc[2020, "findings_warning"] == 0


def test_sql_sees_every_dataset_as_a_view_with_hive_year(data):
    result = sql(
        data,
        "SELECT agency, value FROM requests WHERE row = 'new' AND applicant = 'total' "
        "AND year = 2021 ORDER BY agency",
    )
    assert list(result.columns) == ["agency", "value"]
    assert dict(zip(result["agency"], result["value"], strict=True))["甲局"] == 5
    counts = sql(data, "SELECT count(*) AS n FROM reports JOIN findings USING (report_id)")
    assert counts.loc[0, "n"] == 2


def test_sql_unknown_year_reads_as_null(tmp_path):
    write_reports(tmp_path, [make_report("乙局", None)])
    assert pd.isna(sql(tmp_path, "SELECT year FROM reports").loc[0, "year"])
    assert pd.isna(load("reports", tmp_path).loc[0, "year"])


def test_bad_sql_gives_duckdbs_message(data):
    with pytest.raises(GovscrapeError, match=r"SQL error: .*syntax error"):
        sql(data, "SELEC 1")
    with pytest.raises(GovscrapeError, match="nosuch"):
        sql(data, "SELECT * FROM nosuch")


def test_unknown_dataset_name_lists_the_datasets(data):
    with pytest.raises(GovscrapeError, match="the datasets are: reports, requests"):
        load("request", data)


def test_sql_views_have_the_columns_of_load_in_the_same_order(data):
    for name in ("reports", "requests", "findings"):
        columns = list(sql(data, f"SELECT * FROM {name} LIMIT 1").columns)
        assert columns == list(load(name, data).columns), name


def test_sql_reads_times_in_china_time_so_dates_are_the_printed_dates(tmp_path):
    early_morning = datetime(2021, 2, 1, 7, 30)  # Beijing; still 31 January in UTC
    write_reports(tmp_path, [make_report("甲局", 2020, published=early_morning)])
    result = sql(tmp_path, "SELECT published::DATE AS day, hour(published) AS h FROM reports")
    assert str(result.loc[0, "day"]) == "2021-02-01" and result.loc[0, "h"] == 7


def test_sql_keeps_nullable_integers_as_integers(data):
    result = sql(data, "SELECT value FROM requests WHERE kind = 'blank' LIMIT 1")
    assert str(result["value"].dtype) == "Int64" and pd.isna(result.loc[0, "value"])


def test_findings_are_sorted_by_year_and_agency_and_unknown_codes_are_refused(data):
    found = findings(data)
    assert list(found["year"]) == sorted(found["year"])
    with pytest.raises(GovscrapeError, match=r"did you mean: year\.continuity"):
        findings(data, code="year.continuty")


@pytest.mark.parametrize(
    "statement",
    [
        "COPY (SELECT 1) TO '{out}/x.csv'",
        "COPY (SELECT 1) TO '{data}/parquet/x.csv'",
        "EXPLAIN ANALYZE COPY (SELECT 1) TO '{out}/x.csv'",
        "CREATE TABLE t AS SELECT 1",
        "ATTACH '{out}/x.duckdb'",
        "SET enable_external_access = true",
        "SELECT 1; DROP VIEW reports",
        "INSTALL httpfs",
    ],
)
def test_sql_refuses_statements_that_do_not_only_read(data, tmp_path, statement):
    query = statement.format(out=tmp_path, data=data)
    with pytest.raises(GovscrapeError, match=r"govscrape sql only reads: \S+ is not allowed"):
        sql(data, query)
    assert list(tmp_path.iterdir()) == []
    assert not (data / "parquet" / "x.csv").exists()


def test_sql_cannot_read_files_outside_the_datasets(data, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    with pytest.raises(GovscrapeError, match="reads the datasets' views only"):
        sql(data, f"SELECT * FROM read_csv('{secret}')")


def test_sql_runs_every_kind_of_reading_statement(data):
    assert "agency" in set(sql(data, "DESCRIBE reports")["column_name"])
    assert len(sql(data, "SUMMARIZE requests")) == len(load("requests", data).columns)
    assert not sql(data, "EXPLAIN SELECT count(*) FROM findings").empty
    assert sql(data, "WITH n AS (SELECT count(*) AS n FROM reports) FROM n").loc[0, "n"] == 7
    assert set(sql(data, "SHOW TABLES")["name"]) == set(DATASETS)


def test_an_empty_data_folder_beside_a_demo_build_points_to_the_demo(tmp_path):
    write_reports(tmp_path / "demo", [make_report("甲局", 2020)])
    hint = f"no datasets in {tmp_path / 'parquet'} — after `govscrape demo`, add --data "
    with pytest.raises(GovscrapeError, match=re.escape(hint + str(tmp_path / "demo"))):
        load("reports", tmp_path)


def test_load_reads_only_the_columns_asked_for(data):
    frame = load("requests", data, years=2021, columns=["agency", "value"])
    assert list(frame.columns) == ["agency", "value"] and str(frame["value"].dtype) == "Int64"
    with pytest.raises(GovscrapeError, match="no column nosuch"):
        load("requests", data, columns=["nosuch"])
