"""The question commands (zero-requests, compare, findings, sql) end to end through the CLI."""

from __future__ import annotations

import csv
import io
import json

import pytest
from datasets_factory import build_known_dataset, make_report, write_reports

from govscrape.cli.main import main
from govscrape.questions.render import render_table, width


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return str(build_known_dataset(tmp_path_factory.mktemp("known")))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_zero_requests_table_flags_the_seed_case(capsys, data):
    status, out, _ = run(capsys, "zero-requests", "--data", data, "--year", "2020")
    assert status == 0
    line = next(line for line in out.splitlines() if "甲局" in line)
    assert "reported 0 but columns sum to 1" in line
    blocked = next(line for line in out.splitlines() if "戊局" in line)
    assert "no report: site blocked in the crawl" in blocked
    assert out.splitlines()[0].split() == ["year", "agency", "status", "detail", "url"]


def test_zero_requests_notes_go_to_stderr_and_keep_csv_clean(capsys, data):
    status, out, err = run(capsys, "zero-requests", "--data", data, "--year", "2030",
                           "--format", "csv")  # fmt: skip
    assert status == 0 and "note: the datasets hold no report at all for 2030" in err
    assert out.startswith("year,agency,site,site_agency,status,detail,reported_total,columns_sum,")


def test_zero_requests_json_and_csv(capsys, data):
    _, out, _ = run(capsys, "zero-requests", "--data", data, "--year", "2021", "--format", "json")
    records = json.loads(out)
    assert {r["agency"]: r["status"] for r in records}["乙局"] == "no_report"
    assert all(r["reported_total"] is None for r in records if r["status"] == "no_report")
    _, out, _ = run(capsys, "zero-requests", "--data", data, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 9 and rows[0].keys() >= {"year", "agency", "status", "detail"}


def test_compare_by_agency_and_by_year(capsys, data):
    status, out, _ = run(capsys, "compare", "--data", data, "--agency", "甲局", "--format", "json")
    assert status == 0
    assert [r["other_total_derived"] for r in json.loads(out)] == [False, True]
    _, out, _ = run(capsys, "compare", "--data", data, "--year", "2021", "--format", "csv")
    rows = {r["agency"]: r for r in csv.DictReader(io.StringIO(out))}
    assert set(rows) == {"甲局", "乙局", "丙镇", "丁县人民政府", "戊局"}
    assert rows["甲局"]["new_requests"] == "5" and rows["戊局"]["new_requests"] == ""


def test_compare_table_shows_an_agency_as_figures_by_year(capsys, data):
    status, out, err = run(capsys, "compare", "--data", data, "--agency", "甲局")
    lines = out.splitlines()
    assert status == 0 and lines[0].split()[:3] == ["figure", "2020", "2021"]
    assert next(line for line in lines if line.startswith("other_total")).split()[1:3] == [
        "1", "2*"
    ]  # fmt: skip
    assert "note: * other_total derived" in err


def test_compare_unknown_agency_exits_1_with_a_hint(capsys, data):
    status, _, err = run(capsys, "compare", "--data", data, "--agency", "甲")
    assert status == 1 and "did you mean: 甲局" in err


def test_findings_command_filters_by_code(capsys, data):
    _, out, _ = run(
        capsys, "findings", "--data", data, "--code", "year.continuity", "--format", "json"
    )
    [record] = json.loads(out)
    assert record["agency"] == "甲局" and record["url"] == "http://jia.gov.cn/2021.html"


def test_findings_table_is_readable_and_unknown_code_is_an_error(capsys, data):
    _, out, _ = run(capsys, "findings", "--data", data)
    header = out.splitlines()[0].split()
    assert header == ["year", "agency", "severity", "code", "message", "url"]
    status, _, err = run(capsys, "findings", "--data", data, "--code", "publication.lat")
    assert status == 1 and "unknown finding code 'publication.lat'" in err
    assert "did you mean: publication.late" in err


def test_sql_command_formats(capsys, data):
    query = "SELECT agency, year FROM reports WHERE agency = '乙局'"
    _, out, _ = run(capsys, "sql", query, "--data", data)
    assert out.splitlines()[2].split() == ["乙局", "2020"]
    _, out, _ = run(capsys, "sql", query, "--data", data, "--format", "json")
    assert json.loads(out) == [{"agency": "乙局", "year": 2020}]


def test_sql_json_holds_sums_lists_and_dates(capsys, data):
    query = (
        "SELECT sum(value) AS s, list(DISTINCT agency ORDER BY agency) AS l, "
        "min(year) AS y, DATE '2021-01-31' AS d FROM requests WHERE row = 'new' "
        "AND applicant = 'total' AND year = 2021"
    )
    _, out, _ = run(capsys, "sql", query, "--data", data, "--format", "json")
    assert json.loads(out) == [
        {"s": 5, "l": ["丁县人民政府", "丙镇", "甲局"], "y": 2021, "d": "2021-01-31"}
    ]


def test_sql_error_and_missing_datasets_are_clear(capsys, data, tmp_path):
    status, _, err = run(capsys, "sql", "SELEC 1", "--data", data)
    assert status == 1 and "syntax error" in err
    status, _, err = run(capsys, "sql", "SELECT * FROM request", "--data", data)
    assert status == 1 and "the views are: reports, requests" in err
    status, _, err = run(capsys, "zero-requests", "--data", str(tmp_path))
    assert status == 1 and "run govscrape crawl or govscrape parse first" in err


def test_table_aligns_chinese_text_by_display_width():
    import pandas as pd

    text = render_table(pd.DataFrame({"agency": ["甲局", "ab"], "n": [1, None]}))
    lines = text.splitlines()
    assert width(lines[2]) == width("甲局    1")
    assert lines[3].rstrip() == "ab"  # null is empty


def test_sql_help_says_the_table_shows_every_column(capsys):
    with pytest.raises(SystemExit):
        main(["sql", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "table prints every column of the result" in text
    assert "key columns" not in text and "COPY, CREATE, ATTACH, SET" in text


def test_sql_that_would_write_a_file_is_refused(capsys, data, tmp_path):
    out = tmp_path / "x.csv"
    status, _, err = run(capsys, "sql", f"COPY (SELECT 1) TO '{out}'", "--data", data)
    assert status == 1 and "govscrape sql only reads: COPY is not allowed" in err
    assert "--format csv" in err and not out.exists()


def test_questions_on_the_default_folder_point_to_the_demo_build(capsys, tmp_path, monkeypatch):
    write_reports(tmp_path / "data" / "demo", [make_report("甲局", 2020)])
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, "zero-requests")
    assert status == 1
    assert "no datasets in data/parquet — after `govscrape demo`, add --data data/demo" in err


def test_sql_cannot_read_files_under_duckdbs_default_temp_folder(
    capsys, data, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".tmp").mkdir()
    (tmp_path / ".tmp" / "secret.csv").write_text("token,42\n")
    status, out, err = run(
        capsys, "sql", "SELECT * FROM read_csv('.tmp/secret.csv')", "--data", data
    )
    assert status == 1 and "token" not in out and "Permission Error" in err
