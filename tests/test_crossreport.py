"""Cross-report rules: year.continuity and publication.late (条例 第四十九条 deadlines)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from govscrape.datasets.crossreport import (
    ReportFacts,
    cross_report_findings,
    deadline_for,
    late_publication,
    year_continuity,
)


@pytest.mark.parametrize(
    ("kind", "year", "deadline"),
    [
        ("department", 2020, date(2021, 1, 31)),
        ("government", 2020, date(2021, 3, 31)),
        ("department", 2019, date(2020, 1, 31)),
        ("department", 2018, date(2019, 3, 31)),
        ("government", 2015, date(2016, 3, 31)),
        ("government", 2018, date(2019, 3, 31)),
        ("government", 2019, date(2020, 3, 31)),
        ("department", 2024, date(2025, 1, 31)),
        ("township", 2015, None),
        ("other", 2018, None),
        ("township", 2020, None),
        ("other", 2020, None),
        (None, 2020, None),
        ("department", None, None),
    ],
)
def test_deadline_by_agency_kind_and_statistical_year(kind, year, deadline):
    assert deadline_for(kind, year) == deadline


def facts(**kw) -> ReportFacts:
    base = {"report_id": "r", "agency": "甲局", "agency_kind": "department", "year": 2020}
    return ReportFacts(**(base | kw))


def test_published_on_the_deadline_day_is_not_late():
    assert late_publication(facts(published=datetime(2021, 1, 31, 23, 59))) is None


def test_published_the_day_after_is_late_with_dates():
    finding = late_publication(facts(published=datetime(2021, 2, 1, 8, 0)))
    assert finding.code == "publication.late" and finding.severity == "warning"
    assert (finding.expected, finding.found) == ("2021-01-31", "2021-02-01")


def test_deadline_is_judged_in_china_time():
    # 2021-01-31 17:00 UTC is 1 February 01:00 in Beijing.
    moment = datetime(2021, 1, 31, 17, 0, tzinfo=UTC)
    assert late_publication(facts(published=moment)) is not None


def test_first_seen_stands_in_for_a_missing_page_date_as_info_when_the_site_was_watched():
    watched = datetime(2020, 6, 1, tzinfo=UTC)  # the crawler knew the site before the deadline
    finding = late_publication(
        facts(first_seen=datetime(2022, 5, 1, tzinfo=UTC), site_since=watched)
    )
    assert finding.severity == "info" and "first seen" in finding.message
    assert "watched the site since 2020-06-01" in finding.message
    early = facts(first_seen=datetime(2021, 1, 5, tzinfo=UTC), site_since=watched)
    assert late_publication(early) is None


def test_a_report_found_on_the_first_crawl_of_a_site_years_later_is_not_called_late():
    first_crawl = datetime(2026, 11, 28, tzinfo=UTC)
    undated = facts(first_seen=first_crawl, site_since=first_crawl)
    assert late_publication(undated) is None
    assert late_publication(facts(first_seen=first_crawl)) is None  # crawl history unknown


def test_townships_and_unknown_kinds_get_no_late_finding():
    late = datetime(2023, 1, 1)
    assert late_publication(facts(agency_kind="township", published=late)) is None
    assert late_publication(facts(agency_kind=None, published=late)) is None


def test_continuity_mismatch_is_recorded_on_the_later_report():
    before = facts(report_id="a", carried_forward=(2, "number"))
    after = facts(report_id="b", year=2021, carried_over=(3, "number"))
    [(report, finding)] = year_continuity([after, before])
    assert report.report_id == "b" and finding.code == "year.continuity"
    assert (finding.expected, finding.found, finding.row) == (2.0, 3.0, "carried_over")


def test_continuity_reads_blank_as_zero_and_says_so():
    before = facts(report_id="a", carried_forward=(None, "blank"))
    after = facts(report_id="b", year=2021, carried_over=(0, "number"))
    assert year_continuity([before, after]) == []
    after = facts(report_id="b", year=2021, carried_over=(1, "number"))
    [(_, finding)] = year_continuity([before, after])
    assert finding.blank_as_zero


def test_continuity_skips_gaps_other_agencies_and_unreadable_cells():
    before = facts(report_id="a", carried_forward=(2, "number"))
    assert (
        year_continuity([before, facts(report_id="b", year=2022, carried_over=(9, "number"))]) == []
    )
    assert (
        year_continuity(
            [before, facts(report_id="c", agency="乙局", year=2021, carried_over=(9, "number"))]
        )
        == []
    )
    assert (
        year_continuity(
            [before, facts(report_id="d", year=2021, carried_over=(None, "not_applicable"))]
        )
        == []
    )


def test_cross_report_findings_combines_both_rules():
    reports = [
        facts(report_id="a", published=datetime(2021, 3, 1), carried_forward=(1, "number")),
        facts(report_id="b", year=2021, published=datetime(2022, 1, 2), carried_over=(4, "number")),
    ]
    codes = sorted(f.code for _, f in cross_report_findings(reports))
    assert codes == ["publication.late", "year.continuity"]
