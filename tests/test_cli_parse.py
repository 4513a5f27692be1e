"""`govscrape parse FILE... [--json]`: readable tables, JSON lines, exit status, missing files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from govscrape.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
KEYS = [
    "file",
    "title",
    "agency",
    "agency_source",
    "year",
    "published",
    "template",
    "source_form",
    "requests",
    "active_disclosure",
    "review_litigation",
    "sections",
    "findings",
    "headlines",
]


def test_json_is_one_object_per_file_per_line_with_the_issue_keys(tmp_path, capsys):
    a = shutil.copy(FIXTURES / "songlin-forestry-2020.txt", tmp_path / "a.txt")
    b = shutil.copy(FIXTURES / "qingshan-market-2022.html", tmp_path / "b.html")
    assert main(["parse", "--json", str(a), str(b)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert list(first) == KEYS
    assert first["file"] == str(a) and first["template"] == "v2019"
    assert first["year"] == 2020 and second["source_form"] == "html_table"
    row = first["requests"][0]
    assert list(row) == ["row", "applicant", "value", "kind", "raw"]
    assert list(second["active_disclosure"][0]) == [
        "item",
        "metric",
        "value",
        "unit",
        "kind",
        "raw",
    ]
    assert list(second["review_litigation"][0]) == ["proceeding", "outcome", "value", "kind", "raw"]
    fee = next(x for x in second["active_disclosure"] if x["item"] == "admin_fee")
    assert (fee["value"], fee["unit"]) == (12.35, "万元")
    finding = next(f for f in first["findings"] if f["code"] == "requests.balance")
    assert list(finding) == [
        "code",
        "severity",
        "table",
        "row",
        "column",
        "expected",
        "found",
        "message",
        "blank_as_zero",
        "raw",
    ]
    assert finding["column"] == "natural_person" and finding["blank_as_zero"] is False
    assert set(first["sections"]) >= {"overview", "requests"}
    received = next(h for h in first["headlines"] if h["measure"] == "requests_received")
    assert list(received) == ["measure", "value", "unit", "status", "evidence", "section", "note"]
    assert received["status"] == "table"


def test_json_shows_the_headline_figures_a_prose_report_states(capsys):
    legacy = Path(__file__).parent / "fixtures" / "legacy" / "liushui-education-2017.html"
    assert main(["parse", "--json", str(legacy)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["template"] == "legacy" and report["requests"] == []
    received = next(h for h in report["headlines"] if h["measure"] == "requests_received")
    assert (received["status"], received["value"], received["unit"]) == ("stated_count", 12, "件")
    assert received["evidence"].startswith("全年共收到政府信息公开申请十二件")


def test_readable_output_quotes_the_sentence_of_a_stated_figure(capsys):
    legacy = Path(__file__).parent / "fixtures" / "legacy" / "shilin-audit-2017.html"
    main(["parse", str(legacy)])
    out = capsys.readouterr().out
    assert "requests_received: stated_zero 0件: “2017年，我局未收到政府信息公开申请。”" in out


def test_published_is_iso_text(capsys):
    main(["parse", "--json", str(FIXTURES / "qingshan-market-2022.html")])
    published = json.loads(capsys.readouterr().out)["published"]
    assert published == "2023-01-16T09:30:00"


def test_readable_output_shows_tables_and_findings(capsys):
    assert main(["parse", str(FIXTURES / "songlin-forestry-2020.txt")]) == 0
    out = capsys.readouterr().out
    assert "requests" in out and "natural_person" in out and "carried_forward" in out
    assert "requests.balance" in out


def test_json_findings_say_whether_blanks_were_counted_as_zero(capsys):
    main(["parse", "--json", str(FIXTURES / "hexi-district-2021.html")])
    findings = json.loads(capsys.readouterr().out)["findings"]
    row_totals = [f for f in findings if f["code"] == "requests.row_total"]
    assert row_totals and all(f["blank_as_zero"] is True for f in row_totals)


def test_readable_tables_fit_80_columns_when_piped(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    main(
        [
            "parse",
            str(FIXTURES / "anping-devzone-2023.html"),
            str(FIXTURES / "baihe-town-2019.html"),
        ]
    )
    out = capsys.readouterr().out
    from rich.cells import cell_len

    table_lines = [
        line for line in out.splitlines() if not line.startswith(("error", "warning", "info"))
    ]
    assert max(cell_len(line) for line in table_lines) <= 80
    assert "…" not in out
    assert "自然人 商业 科研 公益 法律 其他 小计 总计" in out  # 小计 where the report prints it
    assert "251000元" in out and "not_processed.confirm_or_reissue" in out
    assert "小计=org_subtotal" in out


def test_missing_file_is_reported_and_the_others_still_processed(tmp_path, capsys):
    good = FIXTURES / "longtan-district-2024.txt"
    status = main(["parse", "--json", str(tmp_path / "nope.html"), str(good)])
    captured = capsys.readouterr()
    assert status == 1
    assert "nope.html: no such file" in captured.err
    assert json.loads(captured.out)["template"] == "v2021"


def test_exit_status_is_one_when_a_file_is_not_a_report(capsys):
    assert main(["parse", "--json", str(FIXTURES / "not-a-report.html")]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert "parse.not_a_report" in [f["code"] for f in findings]


def test_agency_option_stands_only_where_the_file_names_no_agency(tmp_path, capsys):
    main(["parse", "--json", "--agency", "某某测试局", str(FIXTURES / "longtan-district-2024.txt")])
    out = json.loads(capsys.readouterr().out)
    assert (out["agency"], out["agency_source"]) == ("龙潭区人民政府", "title")
    unnamed = tmp_path / "report.txt"
    text = (FIXTURES / "longtan-district-2024.txt").read_text("utf-8")
    unnamed.write_text(text.replace("龙潭区人民政府", "").replace("龙潭区", ""), "utf-8")
    main(["parse", "--json", "--agency", "某某测试局", str(unnamed)])
    out = json.loads(capsys.readouterr().out)
    assert (out["agency"], out["agency_source"]) == ("某某测试局", "site")


def test_without_files_it_rebuilds_the_datasets(tmp_path, capsys, monkeypatch):
    import govscrape.datasets as datasets

    calls = []

    class Summary:
        exit_status = 0

        def format(self) -> str:
            return "3 reports parsed"

    def fake_build(data_dir, *, full=False, jobs=None, cluster=None, sources=None):
        calls.append((data_dir, full, jobs))
        return Summary()

    monkeypatch.setattr(datasets, "build_datasets", fake_build)
    assert main(["parse", "--data", str(tmp_path), "--all", "--jobs", "2"]) == 0
    assert calls == [(str(tmp_path), True, 2)]  # a folder or a URL, as given
    assert "3 reports parsed" in capsys.readouterr().out
