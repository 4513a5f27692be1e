"""Headline comparisons: year by year for an agency, side by side for a year, across the break."""

from __future__ import annotations

import pandas as pd
import pytest
from datasets_factory import (
    build_known_dataset,
    build_shared_column,
    make_report,
    prose_report,
    write_reports,
)

from govscrape.errors import GovscrapeError
from govscrape.questions.compare import compare_agency, compare_year
from govscrape.questions.compare_views import side_by_side_view, year_by_year_view
from govscrape.questions.headline_figures import ACTIVE_FIGURES


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return build_known_dataset(tmp_path_factory.mktemp("known"))


@pytest.fixture(scope="module")
def across_break(tmp_path_factory):
    """One agency: a v2019 report for 2019, none for 2020, a v2021 report for 2021."""
    v2019 = make_report(
        "甲局", 2019,
        requests={"new": {"natural_person": 10, "total": 10},
                  "granted": {"natural_person": 4, "total": 4},
                  "other": {"natural_person": 2, "total": 2},
                  "total_handled": {"natural_person": 8, "total": 8}},
        active={"normative_document": {"new_published": 7}, "admin_fee": {"prev_year_count": 3},
                "license": {"decisions": 40}},
    )  # fmt: skip
    v2021 = make_report(
        "甲局", 2021,
        requests={"new": {"natural_person": 12, "total": 12},
                  "granted": {"natural_person": 6, "total": 6},
                  "other.no_correction": {"natural_person": 1, "total": 1},
                  "other.other": {"natural_person": 2, "total": 2},
                  "total_handled": {"natural_person": 12, "total": 12}},
        active={"normative_document": {"issued": 3}, "admin_fee": {"amount": 12.5},
                "license": {"decisions": 44}},
    )  # fmt: skip
    path = tmp_path_factory.mktemp("break")
    write_reports(path, [v2019, v2021])
    return path


def test_other_total_is_the_v2019_row_or_the_derived_sum_of_v2021_rows(across_break):
    frame = compare_agency(across_break, "甲局").set_index("year")
    assert frame.loc[2019, "other_total"] == 2 and not frame.loc[2019, "other_total_derived"]
    assert frame.loc[2021, "other_total"] == 3 and frame.loc[2021, "other_total_derived"]
    assert "other_total derived" in frame.loc[2021, "notes"]
    assert "other_total derived" not in frame.loc[2019, "notes"]


def test_active_figures_that_changed_meaning_never_share_a_column(across_break):
    frame = compare_agency(across_break, "甲局").set_index("year")
    assert frame.loc[2019, "normative_new_published"] == 7
    assert pd.isna(frame.loc[2019, "normative_issued"])
    assert frame.loc[2021, "normative_issued"] == 3
    assert pd.isna(frame.loc[2021, "normative_new_published"])
    assert pd.isna(frame.loc[2019, "admin_fee_wan"]) and frame.loc[2021, "admin_fee_wan"] == 12.5
    assert (frame.loc[2019, "license_decisions"], frame.loc[2021, "license_decisions"]) == (40, 44)
    for year in (2019, 2021):
        assert (
            "across the 2021 break, not comparable: normative_new_published"
            in (frame.loc[year, "notes"])
        )
    assert not ACTIVE_FIGURES["license_decisions"].caveat  # comparable: no caveat


def test_a_year_without_a_report_is_a_row_saying_so(across_break):
    frame = compare_agency(across_break, "甲局")
    assert list(frame["year"]) == [2019, 2020, 2021]
    gap = frame.iloc[1]
    assert pd.isna(gap["report_id"]) and pd.isna(gap["new_requests"])
    assert gap["notes"] == "no report for 2020 in the datasets (missing is not zero)"


def test_year_by_year_view_puts_years_in_columns_and_marks_derived_and_incomparable(across_break):
    view = year_by_year_view(compare_agency(across_break, "甲局")).set_index("figure")
    assert list(view.columns) == ["2019", "2020", "2021", "meaning / caveat"]
    assert view.loc["template", "2020"] == "no report"
    assert view.loc["other_total", "2019"] == "2" and view.loc["other_total", "2021"] == "3*"
    assert view.loc["share_granted", "2019"] == "50.0%"
    assert "not comparable" in view.loc["normative_issued", "meaning / caveat"]
    assert view.loc["notes", "2020"] == "missing"
    assert any("derived" in note for note in view.attrs["notes"])


def test_compare_agency_on_the_known_dataset(data):
    frame = compare_agency(data, "甲局").set_index("year")
    assert list(frame.index) == [2020, 2021]
    assert frame.loc[2021, "share_granted"] == 0.4 and frame.loc[2021, "share_denied"] == 0.2
    assert frame.loc[2021, "review_corrected"] == 1
    assert frame.loc[2021, "findings"] == 2  # year.continuity and publication.late
    assert "2 finding(s): see govscrape findings" in frame.loc[2021, "notes"]


def test_compare_year_puts_agencies_side_by_side_with_the_missing_ones(data):
    frame = compare_year(data, 2021).set_index("agency")
    assert set(frame.index) == {"甲局", "乙局", "丙镇", "丁县人民政府", "戊局"}
    assert frame.loc["甲局", "new_requests"] == 5
    assert pd.isna(frame.loc["丙镇", "new_requests"])  # blank stays null
    assert "not comparable" not in frame.loc["甲局", "notes"]  # one template only
    assert frame.loc["戊局", "notes"].startswith("no report: site blocked in the crawl")
    assert pd.isna(frame.loc["戊局", "report_id"])
    view = side_by_side_view(compare_year(data, 2021)).set_index("agency")
    assert view.loc["戊局", "template"] == "no report"
    assert view.loc["甲局", "share_granted"] == "40.0%" and view.loc["甲局", "other_total"] == "2*"


def test_unknown_agency_is_a_clear_error_with_suggestions(data):
    with pytest.raises(GovscrapeError, match="did you mean: 甲局"):
        compare_agency(data, "甲")


def test_year_without_reports_is_a_clear_error(data):
    with pytest.raises(GovscrapeError, match="years in the datasets: \\[2020, 2021\\]"):
        compare_year(data, 2019)


def _unread(report, table: str, row: str, column: str) -> None:
    """Make one cell of a made report unread (the parser could not place it)."""
    for cell in report.cells:
        if (cell.table, cell.row, cell.column) == (table, row, column):
            cell.value, cell.kind, cell.raw = None, "unread", None


def _drop(report, table: str, row: str) -> None:
    report.cells = [c for c in report.cells if (c.table, c.row) != (table, row)]


@pytest.fixture(scope="module")
def partly_read(tmp_path_factory):
    """Reports whose derived figures have parts that are text, unread, missing or blank."""
    handled = {"total_handled": {"total": 6}, "granted": {"total": 3}}
    text_part = make_report(
        "甲局", 2021,
        requests={**handled, "denied.process_info": {"total": "二"},
                  "denied.enforcement_file": {"total": 1}},
        review={"litigation_direct": {"total": 2}, "litigation_after_review": {"total": None}},
    )  # fmt: skip
    blank_part = make_report(
        "甲局", 2022,
        requests={**handled, "denied.state_secret": {"total": None},
                  "denied.enforcement_file": {"total": 1}},
        review={"litigation_direct": {"total": 2}, "litigation_after_review": {"total": "三"}},
    )  # fmt: skip
    unread = make_report("乙局", 2021, requests=handled)
    _unread(unread, "requests", "other.unpaid_fee", "total")
    _drop(unread, "requests", "denied.admin_inquiry")
    path = tmp_path_factory.mktemp("partly")
    write_reports(path, [text_part, blank_part, unread])
    return path


def test_denied_with_a_text_part_is_null_with_a_note_not_a_partial_sum(partly_read):
    row = compare_agency(partly_read, "甲局").set_index("year").loc[2021]
    assert pd.isna(row["denied"]) and pd.isna(row["share_denied"])
    assert row["share_granted"] == 0.5
    assert "denied not computed: denied.process_info (text '二') could not be read" in row["notes"]


def test_blank_parts_count_as_zero_only_with_a_note(partly_read):
    frame = compare_agency(partly_read, "甲局").set_index("year")
    assert frame.loc[2022, "denied"] == 1 and frame.loc[2022, "share_denied"] == 0.1667
    assert "denied: blank counted as 0 (denied.state_secret)" in frame.loc[2022, "notes"]
    assert frame.loc[2021, "litigation_total"] == 2
    assert (
        "litigation_total: blank counted as 0 (litigation_after_review)"
        in (frame.loc[2021, "notes"])
    )
    assert pd.isna(frame.loc[2022, "litigation_total"])
    assert (
        "litigation_total not computed: litigation_after_review (text '三')"
        in (frame.loc[2022, "notes"])
    )


def test_unread_and_missing_parts_make_the_sum_null(partly_read):
    row = compare_year(partly_read, 2021).set_index("agency").loc["乙局"]
    assert pd.isna(row["other_total"]) and pd.isna(row["denied"])
    assert "other_total not computed: other.unpaid_fee (unread) could not be read" in row["notes"]
    assert "denied not computed: denied.admin_inquiry (not in the table as read)" in row["notes"]


def test_views_mark_figures_not_computed_and_say_why(partly_read):
    view = year_by_year_view(compare_agency(partly_read, "甲局")).set_index("figure")
    assert (view.loc["denied", "2021"], view.loc["share_denied", "2021"]) == ("?", "?")
    assert view.loc["denied", "2022"] == "1" and view.loc["litigation_total", "2022"] == "?"
    notes = view.attrs["notes"]
    assert "? not computed: a part could not be read (see the notes)" in notes
    assert any(n.startswith("2021: denied not computed: denied.process_info") for n in notes)
    assert "2022: denied: blank counted as 0 (denied.state_secret)" in notes
    side = side_by_side_view(compare_year(partly_read, 2021)).set_index("agency")
    assert side.loc["甲局", "share_denied"] == "?" and side.loc["乙局", "other_total"] == "?"
    assert "denied not computed" in side.loc["甲局", "notes"]


def test_compare_works_per_agency_on_a_column_shared_by_several(tmp_path):
    data = build_shared_column(tmp_path)
    year = compare_year(data, 2018).set_index("agency")
    assert set(year.index) == {"某县人民政府", "某县财政局", "某县发展和改革委员会"}
    assert year.loc["某县财政局", "notes"].startswith("no 2018 report found on the site")
    agency = compare_agency(data, "某县发展和改革委员会")
    assert list(agency["year"]) == [2016, 2017, 2018]  # 2016 was printed 某县发改委
    assert agency["report_id"].notna().all()


@pytest.fixture(scope="module")
def across_2019(tmp_path_factory):
    """One agency: prose reports for 2016 and 2017, the national table from 2019."""
    data_dir = tmp_path_factory.mktemp("across-2019")
    write_reports(
        data_dir,
        [
            prose_report("甲局", 2016, "全年共受理政府信息公开申请五件，同意公开三件。"),
            prose_report("甲局", 2017, "截至2017年11月底，共收到政府信息公开申请3件。"),
            make_report("甲局", 2019, requests={"new": {"natural_person": 8, "total": 8}}),
        ],
    )
    return data_dir


def test_the_series_runs_across_the_2019_break_saying_which_years_are_prose(across_2019):
    frame = compare_agency(across_2019, "甲局").set_index("year")
    assert frame.loc[2016, "source"] == "prose" and frame.loc[2019, "source"] == "table"
    assert (frame.loc[2016, "new_requests"], frame.loc[2016, "granted"]) == (5, 3)
    assert frame.loc[2019, "new_requests"] == 8
    assert pd.isna(frame.loc[2018, "source"])  # no report: neither


def test_a_qualified_prose_figure_is_blank_with_a_note(across_2019):
    frame = compare_agency(across_2019, "甲局").set_index("year")
    assert pd.isna(frame.loc[2017, "new_requests"])
    assert (
        "new_requests not read: the text qualifies it (a period that is not the year (截至))"
        in (frame.loc[2017, "notes"])
    )


def test_the_year_by_year_view_marks_prose_years(across_2019):
    view = year_by_year_view(compare_agency(across_2019, "甲局")).set_index("figure")
    assert view.loc["source", "2016"] == "prose" and view.loc["source", "2019"] == "table"
    assert view.loc["new_requests", "2016"] == "5" and view.loc["new_requests", "2017"] == ""
    assert any(line.startswith("source prose:") for line in view.attrs["notes"])
    assert any(line.startswith("2017: new_requests not read") for line in view.attrs["notes"])
    assert side_by_side_view(compare_year(across_2019, 2016))["source"].tolist() == ["prose"]


def test_an_agency_asked_for_by_a_printed_variant_is_found(tmp_path):
    data = build_shared_column(tmp_path)
    frame = compare_agency(data, "某县发改委")
    assert set(frame["agency"]) == {"某县发展和改革委员会"}
    with pytest.raises(GovscrapeError, match="did you mean: 某县人民政府"):
        compare_agency(data, "某县政府办")  # the government's office is another agency
