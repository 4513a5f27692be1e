"""The zero-requests question on a small dataset with known answers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from datasets_factory import (
    add_site,
    build_known_dataset,
    make_report,
    report_to_bytes,
    store_report,
    write_reports,
)

from govscrape.datasets import build_datasets
from govscrape.errors import GovscrapeError
from govscrape.model import Finding
from govscrape.query import zero_requests
from govscrape.questions import STATUS_MEANINGS


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
    from datasets_factory import fake_parse

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


SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def test_seed_report_parsed_for_real_is_reported_0_but_columns_sum_to_1(tmp_path):
    seed = SHARED / "seed" / "xiangxi-hitech-zone-2020.txt"
    if not seed.exists():
        pytest.skip("the shared seed report is not here")
    add_site(tmp_path, "xiangxi", agency="湘西高新区", agency_kind="other")
    store_report(tmp_path, "http://xxgxq.gov.cn/2021/0112/1.html", seed.read_bytes(),
                 site="xiangxi")  # fmt: skip
    build_datasets(tmp_path, jobs=1)  # the real govscrape.parse_report
    row = zero_requests(tmp_path, year=2020).set_index("agency").loc["湘西高新区"]
    assert row["status"] == "zero_but_columns_sum"
    assert row["detail"].startswith("reported 0 but columns sum to 1; the report has ")
