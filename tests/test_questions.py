"""The questions on a small dataset with known answers: zero requests and comparisons."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from datasets_factory import add_site, build_known_dataset, store_report

from govscrape.datasets import build_datasets
from govscrape.errors import GovscrapeError
from govscrape.query import compare_agency, compare_year, zero_requests


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


def test_zero_requests_without_year_covers_every_year(data):
    frame = zero_requests(data)
    assert sorted(set(frame["year"])) == [2020, 2021] and len(frame) == 9


def test_compare_agency_uses_derived_other_total_across_the_break(data):
    frame = compare_agency(data, "甲局").set_index("year")
    assert list(frame.index) == [2020, 2021]
    assert frame.loc[2020, "other_total"] == 1 and not frame.loc[2020, "other_total_derived"]
    assert frame.loc[2021, "other_total"] == 2 and frame.loc[2021, "other_total_derived"]
    assert frame.loc[2021, "share_granted"] == 0.4 and frame.loc[2021, "share_denied"] == 0.2
    assert frame.loc[2021, "review_corrected"] == 1
    assert "not comparable across the 2021 break" in frame.loc[2020, "notes"]
    assert "normative_documents_new" in frame.loc[2021, "notes"]


def test_compare_year_puts_agencies_side_by_side(data):
    frame = compare_year(data, 2021).set_index("agency")
    assert set(frame.index) == {"甲局", "丙镇", "丁县人民政府"}
    assert frame.loc["甲局", "new_requests"] == 5
    assert pd.isna(frame.loc["丙镇", "new_requests"])  # blank stays null
    assert "not comparable" not in frame.loc["甲局", "notes"]  # one template only


def test_unknown_agency_is_a_clear_error_with_suggestions(data):
    with pytest.raises(GovscrapeError, match="did you mean: 甲局"):
        compare_agency(data, "甲")


def test_year_without_reports_is_a_clear_error(data):
    with pytest.raises(GovscrapeError, match="years in the datasets: \\[2020, 2021\\]"):
        compare_year(data, 2019)


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
    assert row["detail"] == "reported 0 but columns sum to 1"
