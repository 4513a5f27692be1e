"""The zero-requests question on a small dataset with known answers."""

from __future__ import annotations

import pandas as pd
import pytest
from crawl_server import ScriptedServer
from datasets_factory import (
    add_site,
    build_known_dataset,
    build_shared_column,
    fake_parse,
    make_report,
    prose_report,
    report_to_bytes,
    store_report,
    write_reports,
)
from published import SEED
from report_render import Page, html_document, plain_tables

from govscrape.cli.main import main
from govscrape.datasets import build_datasets
from govscrape.errors import GovscrapeError
from govscrape.model import Finding
from govscrape.questions.zero_requests import (
    APPLICANT_COLUMNS,
    STATUS_MEANINGS,
    _cell_index,
    classify_new_requests,
    zero_requests,
)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return build_known_dataset(tmp_path_factory.mktemp("known"))


def _status(frame: pd.DataFrame) -> dict[tuple[int, str], str]:
    return {(int(r.year), r.agency): r.status for r in frame.itertuples()}


def test_zero_requests_2020_has_the_known_answers(data):
    answer = _status(zero_requests(data, year=2020))
    assert answer == {
        (2020, "甲局"): "zero_but_columns_sum",
        (2020, "乙局"): "clean_zero",
        (2020, "丙镇"): "total_blank",
        (2020, "丁县人民政府"): "unreadable",
        (2020, "戊局"): "no_report",
    }
    assert set(answer.values()) <= set(STATUS_MEANINGS)


def test_seed_like_report_is_reported_0_but_columns_sum_to_1(data):
    frame = zero_requests(data, year=2020).set_index("agency")
    assert frame.loc["甲局", "detail"] == "reported 0 but columns sum to 1"
    assert (frame.loc["甲局", "reported_total"], frame.loc["甲局", "columns_sum"]) == (0, 1)


def test_agency_missing_a_year_is_listed_as_no_report_not_zero(data):
    answer = _status(zero_requests(data, year=2021))
    assert answer == {
        (2021, "乙局"): "no_report",
        (2021, "丙镇"): "no_figures",
        (2021, "丁县人民政府"): "clean_zero",
        (2021, "戊局"): "no_report",
    }
    assert (2021, "甲局") not in answer  # 5 requests: not a zero


def test_a_zero_in_a_report_with_errors_says_so(tmp_path):
    error = Finding("requests.balance", "error", "total: 0 + 0 != 2 + 0", "requests", None, "total")
    write_reports(tmp_path, [make_report("甲局", 2020, findings=[error])])
    row = zero_requests(tmp_path, year=2020).set_index("agency").loc["甲局"]
    assert row["status"] == "clean_zero"
    assert row["detail"] == "clean zero; the report has 1 error finding(s): see govscrape findings"


def test_no_report_from_a_blocked_site_says_the_crawl_could_not_see_it(data):
    row = zero_requests(data, year=2021).set_index("agency").loc["戊局"]
    assert row["crawl"] == "blocked"
    assert row["detail"].startswith(
        "no report: site blocked in the crawl (HTTP 521, jsl challenge)"
    )
    assert row["detail"].endswith("so whether the agency published is unknown")
    assert row["url"] == "http://wu.gov.cn/list.html"  # the page to check by hand


def test_no_report_whose_report_link_failed_names_the_failure(data):
    row = zero_requests(data, year=2021).set_index("agency").loc["乙局"]
    assert row["crawl"] == "partial"
    assert row["detail"] == (
        "no report: a 2021 report was found but could not be fetched (HTTP 500, server error)"
    )
    assert row["url"] == "http://yi.gov.cn/2021.html"


def test_no_report_from_a_site_crawled_fine_is_a_plain_gap(tmp_path):
    add_site(tmp_path, "site-a", agency="甲局", agency_kind="department")
    for year in (2020, 2022):
        report = make_report("甲局", year)
        store_report(tmp_path, f"http://a.gov.cn/{year}.html", report_to_bytes(report),
                     site="site-a")  # fmt: skip
    build_datasets(tmp_path, parse=fake_parse, jobs=1)
    row = zero_requests(tmp_path, year=2021).set_index("agency").loc["甲局"]
    assert row["crawl"] == "ok"
    assert row["detail"].startswith("no 2021 report found on the site (crawled ")
    assert row["detail"].endswith("missing is not zero")


def test_no_report_without_a_crawl_state_says_missing_is_not_zero(tmp_path):
    write_reports(tmp_path, [make_report("甲局", 2020), make_report("乙局", 2021)])
    row = zero_requests(tmp_path, year=2021).set_index("agency").loc["甲局"]
    assert row["detail"] == "no report for 2021 in the datasets (missing is not zero)"
    assert pd.isna(row["crawl"])


def test_zero_requests_without_year_covers_every_year(data):
    frame = zero_requests(data)
    assert sorted(set(frame["year"])) == [2020, 2021] and len(frame) == 9


def test_a_year_without_any_report_is_said_so_in_the_notes(data):
    frame = zero_requests(data, year=2030)
    assert set(frame["status"]) == {"no_report"}
    [note] = frame.attrs["notes"]
    assert "no report at all for 2030 (years: 2020-2021)" in note


def test_reports_of_unknown_year_are_counted_in_the_notes(tmp_path):
    write_reports(tmp_path, [make_report("甲局", 2020), make_report("乙局", None)])
    frame = zero_requests(tmp_path, year=2020)
    assert "1 report(s) have no readable statistical year" in frame.attrs["notes"][0]
    row = frame.set_index("agency").loc["乙局"]
    assert row["detail"].endswith("1 report(s) of this agency have no readable year")


def test_questions_before_any_build_say_what_to_run(tmp_path):
    with pytest.raises(GovscrapeError, match="run govscrape crawl or govscrape parse first"):
        zero_requests(tmp_path)


def _new_row(total, **columns):
    """Cells of row 一 of report "r": each applicant column 0 unless given; None leaves it out."""
    given = {"total": total, **dict.fromkeys(APPLICANT_COLUMNS, (0, "number")), **columns}
    return {("r", name): cell for name, cell in given.items() if cell is not None}


@pytest.mark.parametrize(
    "cell, shown",
    [
        ((None, "text", "二"), "natural_person (text '二')"),
        ((None, "unread"), "natural_person (unread)"),
        ((None, "not_applicable", "/"), "natural_person (not_applicable '/')"),
        ((None, "number", "0.5"), "natural_person (not a whole number: '0.5')"),
        (None, "natural_person (not in the table as read)"),
    ],
)
def test_zero_with_an_applicant_cell_not_read_is_not_a_clean_zero(cell, shown):
    verdict = classify_new_requests("r", _new_row((0, "number"), natural_person=cell))
    status, detail, reported, summed = verdict
    assert status == "zero_unverified" and status in STATUS_MEANINGS
    assert shown in detail and detail.endswith("not a verified zero")
    assert (reported, summed) == (0, None)


def test_a_zero_total_alone_is_not_a_clean_zero():
    status, detail, _, summed = classify_new_requests("r", {("r", "total"): (0, "number")})
    assert status == "zero_unverified" and summed is None
    assert detail.count("not in the table as read") == len(APPLICANT_COLUMNS)


def test_blank_dash_and_none_word_columns_count_as_zero_and_are_named():
    row = _new_row((0, "number"), research=(None, "blank", ""), other_org=(None, "dash", "—"))
    assert classify_new_requests("r", row) == (
        "clean_zero", "clean zero; blank counted as 0: research, other_org", 0, 0
    )  # fmt: skip


def test_columns_adding_up_to_zero_but_not_all_zero_are_not_a_clean_zero():
    row = _new_row((0, "number"), natural_person=(1, "number"), commercial=(-1, "number"))
    status, detail, _, _ = classify_new_requests("r", row)
    assert status == "zero_but_columns_sum"
    assert detail == "reported 0 but the columns are not all 0: natural_person 1, commercial -1"


def test_a_zero_contradicted_by_the_columns_read_gives_no_sum_when_one_is_unread():
    row = _new_row((0, "number"), natural_person=(2, "number"), research=(None, "unread"))
    status, detail, _, summed = classify_new_requests("r", row)
    assert status == "zero_but_columns_sum" and summed is None
    assert detail.startswith("reported 0 but the columns read sum to 2;")
    assert "research (unread)" in detail


def test_a_blank_total_with_an_unreadable_column_is_unreadable_not_total_blank():
    row = _new_row((None, "blank", ""), commercial=(None, "text", "见附件"))
    status, detail, _, summed = classify_new_requests("r", row)
    assert status == "unreadable" and summed is None
    assert "commercial (text '见附件')" in detail


def test_a_total_that_is_not_a_whole_number_is_unreadable():
    status, detail, _, _ = classify_new_requests("r", _new_row((None, "number", "0.5")))
    assert status == "unreadable" and detail.startswith("总计 could not be read (not a whole")


def test_a_cell_read_twice_differently_is_not_trusted():
    new = pd.DataFrame(
        {"report_id": ["r"] * 3, "applicant": ["total", "natural_person", "natural_person"],
         "value": [0, 0, 3], "kind": ["number"] * 3, "raw": ["0", "0", "3"]}
    )  # fmt: skip
    cells = _cell_index(new) | {("r", c): (0, "number") for c in APPLICANT_COLUMNS[1:]}
    status, detail, _, _ = classify_new_requests("r", cells)
    assert status == "zero_unverified"
    assert "natural_person (read twice, differently: '0' and '3')" in detail


def test_zero_with_a_text_applicant_cell_is_zero_unverified_in_the_answer(tmp_path):
    report = make_report("甲局", 2020, requests={"new": {"natural_person": "二", "total": 0}})
    write_reports(tmp_path, [report])
    row = zero_requests(tmp_path, year=2020).set_index("agency").loc["甲局"]
    assert row["status"] == "zero_unverified" and pd.isna(row["columns_sum"])
    assert row["detail"] == (
        "总计 0, but applicant column(s) could not be read: natural_person (text '二'): "
        "not a verified zero"
    )


def test_seed_report_parsed_for_real_is_reported_0_but_columns_sum_to_1(tmp_path):
    add_site(tmp_path, "xiangxi", agency="湘西高新区", agency_kind="other")
    store_report(tmp_path, "http://xxgxq.gov.cn/2021/0112/1.html", SEED.read_bytes(),
                 site="xiangxi")  # fmt: skip
    build_datasets(tmp_path, jobs=1)  # the real govscrape.parse_report
    row = zero_requests(tmp_path, year=2020).set_index("agency").loc["湘西高新区"]
    assert row["status"] == "zero_but_columns_sum"
    assert row["detail"].startswith("reported 0 but columns sum to 1; the report has ")


# --- A column shared by several agencies -----------------------------------------------------


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    return build_shared_column(tmp_path_factory.mktemp("shared"))


def test_an_agency_missing_a_year_of_a_shared_column_is_no_report(shared):
    frame = zero_requests(shared, year=2018)
    assert _status(frame) == {
        (2018, "某县人民政府"): "clean_zero",
        (2018, "某县发展和改革委员会"): "clean_zero",
        (2018, "某县财政局"): "no_report",  # though its column published others' 2018 reports
    }
    row = frame.set_index("agency").loc["某县财政局"]
    assert (row.site, row.site_agency, row.crawl) == (
        "county-bmnb",
        "某县人民政府办公室",
        "partial",
    )
    assert row.detail.startswith("no 2018 report found on the site")


def test_one_agency_is_one_row_however_many_reports_its_column_holds(shared):
    frame = zero_requests(shared)
    assert not frame.duplicated(["year", "agency"]).any()
    # the column's owner publishes no report there: it is not expected to
    assert set(frame.agency) == {"某县人民政府", "某县财政局", "某县发展和改革委员会"}


def test_a_failed_report_link_of_another_agency_does_not_explain_a_gap(shared):
    frame = zero_requests(shared, year=2019).set_index("agency")
    assert "could not be fetched (HTTP 500" in frame.loc["某县发展和改革委员会", "detail"]
    assert frame.loc["某县发展和改革委员会", "url"] == "http://county.gov.cn/bmnb/fgw-2019.html"
    assert "could not be fetched" not in frame.loc["某县财政局", "detail"]
    assert pd.isna(frame.loc["某县财政局", "url"])


# --- End to end: a county column of several agencies, crawled from a local HTTP server ------


def _page_html(title: str, source: str, year: int, new: int = 0) -> str:
    page = Page(title=title, agency=source, published=f"{year + 1}-01-20 09:00",
                overview=[f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"],
                problems=["无。"], other=["无。"])  # fmt: skip
    return html_document(page, plain_tables("v2021", new))


# The 部门年报 column of 松林县 (its sites.toml entry names the county government): the finance
# bureau (not a zero), the development and reform commission (printed two ways, one title
# without 年), the transport bureau (2022 only; its title names no agency, its 来源 its office).
COLUMN = [
    ("r1.html", "松林县财政局2021年政府信息公开工作年度报告", "松林县财政局", 2021, 4),
    ("r2.html", "松林县财政局2022年政府信息公开工作年度报告", "松林县财政局", 2022, 2),
    ("r3.html", "松林县发改委2021政府信息公开工作年度报告", "松林县人民政府办公室", 2021, 0),
    ("r4.html", "松林县发展和改革委员会2022年政府信息公开工作年度报告", "松林县发展和改革委员会", 2022, 0),
    ("r5.html", "2022年政府信息公开工作年度报告", "松林县交通运输局办公室", 2022, 0),
]  # fmt: skip


@pytest.mark.slow
def test_a_county_column_crawled_end_to_end_gives_one_row_per_agency(tmp_path):
    server = ScriptedServer().start()
    try:
        links = "".join(f'<li><a href="{href}">{title}</a></li>' for href, title, *_ in COLUMN)
        server.page("/bmnb/", f"<html><body><ul>{links}</ul></body></html>")
        for href, title, source, year, new in COLUMN:
            server.page(f"/bmnb/{href}", _page_html(title, source, year, new))
        config = tmp_path / "sites.toml"
        config.write_text(
            '[crawl]\nper_host_delay_s = 0.0\n[[site]]\nid = "songlin-bmnb"\n'
            f'agency = "松林县人民政府"\nlisting = "{server.url("/bmnb/")}"\n'
            "allow_private_addresses = true\n",
            encoding="utf-8",
        )
        assert main(["-q", "crawl", "--config", str(config), "--data", str(tmp_path)]) == 0
    finally:
        server.stop()
    answer = zero_requests(tmp_path)
    assert _status(answer) == {
        (2021, "松林县发展和改革委员会"): "clean_zero",
        (2022, "松林县发展和改革委员会"): "clean_zero",
        (2021, "松林县交通运输局"): "no_report",
        (2022, "松林县交通运输局"): "clean_zero",
    }
    assert set(answer.site_agency) == {"松林县人民政府"}
    assert set(answer.site) == {"songlin-bmnb"}


# --- reports in prose (before 2019) -----------------------------------------------------------


@pytest.fixture(scope="module")
def prose(tmp_path_factory):
    """2017 reports in prose, each stating something else; a 2021 table report for contrast."""
    zero = "2017年，我室未收到政府信息公开申请。"
    partial = "截至2017年11月底，我局共收到政府信息公开申请3件。"
    data_dir = tmp_path_factory.mktemp("prose")
    write_reports(
        data_dir,
        [
            prose_report("子室", 2017, zero),
            prose_report("丑局", 2017, partial),
            prose_report("寅局", 2017, "全年共受理政府信息公开申请十二件。"),
            prose_report("卯镇", 2017, "申请人可通过信函等方式提出申请。全年未发生行政复议。"),
            prose_report(
                "辰局", 2017, "申请人可通过信函等方式提出申请。",
                findings=[Finding("parse.unsupported_format", "error", "attachment: a .doc")],
            ),
            prose_report("巳局", 2021, "本年度未收到政府信息公开申请。"),
            make_report("子室", 2021),
        ],
    )  # fmt: skip
    return data_dir


def test_a_stated_zero_is_listed_with_its_sentence_under_its_own_status(prose):
    frame = zero_requests(prose, year=2017).set_index("agency")
    assert frame.loc["子室", "status"] == "stated_zero"
    assert (
        frame.loc["子室", "detail"] == "stated in the text: “2017年，我室未收到政府信息公开申请。”"
    )
    assert frame.loc["子室", "reported_total"] == 0
    assert "stated_zero" in STATUS_MEANINGS and "qualified" in STATUS_MEANINGS


def test_a_qualified_statement_is_listed_apart_with_its_sentence_and_why(prose):
    frame = zero_requests(prose, year=2017).set_index("agency")
    assert frame.loc["丑局", "status"] == "qualified"
    assert frame.loc["丑局", "detail"] == (
        "qualified (a period that is not the year (截至)): "
        "“截至2017年11月底，我局共收到政府信息公开申请3件。”"
    )
    assert pd.isna(frame.loc["丑局", "reported_total"])


def test_a_stated_count_and_a_report_stating_nothing_are_not_listed(prose):
    frame = zero_requests(prose, year=2017)
    assert set(frame["agency"]) == {"子室", "丑局", "辰局", "巳局"}
    assert frame.set_index("agency").loc["巳局", "status"] == "no_report"
    (note,) = [n for n in frame.attrs["notes"] if "not_stated" in n]
    assert note.startswith("1 report(s) before 2019 state no count of requests received")
    assert note.endswith('AND h.year = 2017"')


def test_a_report_whose_file_could_not_be_read_stays_unreadable_not_unstated(prose):
    row = zero_requests(prose, year=2017).set_index("agency").loc["辰局"]
    assert row["status"] == "unreadable"
    assert row["detail"].endswith("the report has 1 error finding(s): see govscrape findings")


def test_a_report_after_2018_without_a_table_can_state_a_zero_too(prose):
    frame = zero_requests(prose, year=2021).set_index("agency")
    assert frame.loc["巳局", "status"] == "stated_zero"
    assert frame.loc["子室", "status"] == "clean_zero"
