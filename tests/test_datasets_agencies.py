"""datasets/agencies.py: each report counted under its own agency; the agencies dataset."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pandas as pd
import pyarrow as pa
import pytest
from datasets_factory import make_report, provenance
from published import SEED

import govscrape
from govscrape import parse_report
from govscrape.datasets import build_from_reports
from govscrape.datasets.agencies import agency_table, attribute, year_ranges
from govscrape.datasets.rows import report_rows
from govscrape.errors import GovscrapeError
from govscrape.questions.sql import sql

COUNTY = {"agency": "青石县人民政府", "agency_kind": "government", "province": "江南省",
          "city": "云泽市", "county": "青石县", "level": "county"}  # fmt: skip


def named(agency: str, year: int | None, source: str = "title", **kw):
    """A report whose document names `agency` (as the parser would: `source` says where)."""
    report = make_report(agency, year, **kw)
    report.url = f"http://county.example.gov.cn/bmnb/{agency}/{year}.html"
    return dataclasses.replace(report, agency_source=source, agency_kind=None)


def test_a_report_naming_the_site_agency_in_another_form_is_the_site_agency():
    seed_site = {"agency": "湘西高新技术产业开发区管理委员会", "agency_kind": "other"}
    who = attribute(named("湘西高新区", 2020), seed_site["agency"], "other")
    assert (who.agency, who.kind, who.finding) == (
        "湘西高新技术产业开发区管理委员会",
        "other",
        None,
    )


def test_a_report_naming_another_agency_is_that_agency_with_an_info_finding():
    who = attribute(named("青石县发改局", 2021), "青石县人民政府", "government")
    assert (who.agency, who.kind) == ("青石县发展和改革局", "department")
    assert who.finding.code == "meta.agency_differs_from_site"
    assert who.finding.severity == "info"
    assert (who.finding.expected, who.finding.found, who.finding.raw) == (
        "青石县人民政府", "青石县发展和改革局", "青石县发改局",
    )  # fmt: skip
    assert "its title" in who.finding.message


def test_a_report_naming_no_agency_takes_the_site_agency_and_kind():
    report = dataclasses.replace(make_report("青石县人民政府", 2021), agency_source="site")
    who = attribute(report, "青石县人民政府", "government")
    assert (who.agency, who.kind, who.finding) == ("青石县人民政府", "government", None)


def test_report_rows_keep_the_site_agency_beside_the_reports_own():
    report = named("青石县财政局", 2021, source="signature")
    rows = report_rows(report, provenance(report, "qingshi-bmnb", COUNTY))
    got = {k: rows["reports"][k][0] for k in ("agency", "agency_kind", "site_agency",
                                               "agency_source", "agency_raw", "county")}  # fmt: skip
    assert got == {"agency": "青石县财政局", "agency_kind": "department",
                   "site_agency": "青石县人民政府", "agency_source": "signature",
                   "agency_raw": "青石县财政局", "county": "青石县"}  # fmt: skip
    assert set(rows["requests"]["agency"]) == {"青石县财政局"}
    assert rows["findings"]["code"] == ["meta.agency_differs_from_site"]


def test_a_report_set_by_hand_keeps_its_agency():
    report = make_report("甲局", 2020)
    rows = report_rows(report, provenance(report))
    assert (rows["reports"]["agency"], rows["reports"]["agency_source"]) == (["甲局"], [None])


def _shared_column(tmp_path):
    """A county's 部门年报 column: two departments and a town, the county's own report elsewhere."""
    reports = [
        named("青石县发改局", 2019), named("青石县发展和改革局", 2020), named("青石县发展和改革局", 2022),
        named("青石县财政局", 2020), named("青石县财政局", 2021),
        named("白沙镇人民政府", 2021, source="field"),
    ]  # fmt: skip
    own = named("青石县", 2021)
    pairs = [(r, provenance(r, "qingshi-bmnb", COUNTY)) for r in reports]
    pairs.append((own, provenance(own, "qingshi-gov", COUNTY)))
    build_from_reports(tmp_path, pairs)
    return tmp_path


def test_the_agencies_dataset_lists_each_agency_of_a_shared_column_once(tmp_path):
    agencies = govscrape.load("agencies", _shared_column(tmp_path))
    by_name = agencies.set_index(["site", "agency"])
    assert sorted(by_name.index) == [
        ("qingshi-bmnb", "白沙镇人民政府"), ("qingshi-bmnb", "青石县发展和改革局"),
        ("qingshi-bmnb", "青石县财政局"), ("qingshi-gov", "青石县人民政府"),
    ]  # fmt: skip
    fgj = by_name.loc[("qingshi-bmnb", "青石县发展和改革局")]
    assert (fgj.first_year, fgj.last_year, fgj.reports) == (2019, 2022, 3)
    assert fgj.years == "2019-2020, 2022"
    assert fgj.printed_as == "青石县发展和改革局; 青石县发改局"
    assert (fgj.agency_kind, fgj.site_agency, fgj.county) == (
        "department",
        "青石县人民政府",
        "青石县",
    )
    town = by_name.loc[("qingshi-bmnb", "白沙镇人民政府")]
    assert town.agency_kind == "township"


def test_the_agencies_dataset_is_in_sql_and_has_no_year_filter(tmp_path):
    data = _shared_column(tmp_path)
    frame = sql(data, "SELECT site, count(*) AS n FROM agencies GROUP BY site ORDER BY site")
    assert frame.to_dict("records") == [
        {"site": "qingshi-bmnb", "n": 3},
        {"site": "qingshi-gov", "n": 1},
    ]
    with pytest.raises(GovscrapeError, match="spans years"):
        govscrape.load("agencies", data, years=2021)
    assert len(govscrape.load("agencies", data, agencies="青石县财政局")) == 1


def test_year_ranges_are_compact():
    assert year_ranges([2016, 2017, 2018, 2020]) == "2016-2018, 2020"
    assert year_ranges([2021]) == "2021"
    assert year_ranges([]) is None


def test_a_crawled_site_without_any_report_lists_its_agency_with_none(tmp_path):
    from datasets_factory import build_known_dataset

    agencies = govscrape.load("agencies", build_known_dataset(tmp_path)).set_index("site")
    wu = agencies.loc["site-e"]
    assert (wu.agency, wu.reports) == ("戊局", 0)
    assert pd.isna(wu.first_year) and pd.isna(wu.years)
    assert agencies.loc["site-a", "reports"] == 2


def test_the_publication_deadline_is_the_reporting_agencys_own(tmp_path):
    # A department's 2021 report in the county government's column, published 15 February:
    # late for a department (31 January), though the column's owner has until 31 March.
    report = named("青石县财政局", 2021, published=datetime(2022, 2, 15, 9, 0))
    build_from_reports(tmp_path, [(report, provenance(report, "qingshi-bmnb", COUNTY))])
    findings = govscrape.load("findings", tmp_path)
    late = findings[findings.code == "publication.late"]
    assert len(late) == 1 and "department's report" in late.iloc[0]["message"]
    assert late.iloc[0]["agency"] == "青石县财政局"


def test_continuity_compares_an_agency_with_itself_not_with_its_column(tmp_path):
    before = named("青石县财政局", 2020, requests={"carried_forward": {"total": 2}})
    after = named("青石县财政局", 2021, requests={"carried_over": {"total": 2}})
    other = named("青石县教育局", 2021, requests={"carried_over": {"total": 7}})
    pairs = [(r, provenance(r, "qingshi-bmnb", COUNTY)) for r in (before, after, other)]
    build_from_reports(tmp_path, pairs)
    findings = govscrape.load("findings", tmp_path)
    assert "year.continuity" not in set(findings.code)


def test_the_seed_parsed_for_real_is_its_sites_agency_without_a_finding():
    site = {"agency": "湘西高新技术产业开发区管理委员会", "agency_kind": "other"}
    report = parse_report(SEED.read_bytes(), agency=site["agency"])
    assert (report.agency, report.agency_source) == ("湘西高新区", "title")
    rows = report_rows(report, provenance(report, "hnxxjkq", site))
    assert rows["reports"]["agency"] == ["湘西高新技术产业开发区管理委员会"]
    assert rows["reports"]["agency_raw"] == ["湘西高新区"]
    assert "meta.agency_differs_from_site" not in rows["findings"]["code"]


def test_an_agency_row_takes_its_first_reports_columns_and_gathers_years_and_names():
    reports = pa.table(
        {
            "agency": ["甲局", "甲局", None, "乙局", "甲局"],
            "agency_kind": [None, "department", "other", "government", "other"],
            "agency_raw": ["", "甲县甲局", None, None, "甲局"],
            "site": ["s1", "s1", "s1", None, "s2"],
            "site_agency": ["S", "T", None, None, "U"],
            "year": pa.array([2020, 2022, 2021, None, 2019], pa.int16()),
            "province": ["湖南省", None, None, None, None],
            "city": [None] * 5,
            "county": [None] * 5,
            "level": ["county"] * 5,
        }
    )
    sites = {"s3": {"agency": "丙县人民政府", "level": "county"}, "s4": {}}
    rows = agency_table(reports, sites).to_pylist()
    assert [(r["site"], r["agency"]) for r in rows] == [
        (None, "乙局"), ("s1", "甲局"), ("s2", "甲局"), ("s3", "丙县人民政府")
    ]  # fmt: skip
    first = rows[1]
    assert (first["agency_kind"], first["site_agency"], first["province"]) == (None, "S", "湖南省")
    assert (first["reports"], first["first_year"], first["last_year"]) == (2, 2020, 2022)
    assert first["years"] == "2020, 2022" and first["printed_as"] == "甲县甲局; 甲局"
    assert rows[0]["years"] is None and rows[0]["printed_as"] == "乙局"
    assert rows[3]["reports"] == 0 and rows[3]["printed_as"] is None
