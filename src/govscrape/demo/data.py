"""The demo portal's single source of truth: fictional agencies and every number of every report.

The pages the portal serves (render.py, sites.py), the bundled PDF (pdf.py) and the answers the
end-to-end test and the README rely on (the `expected_*` functions at the bottom) all come from the
`REPORTS` built here: agencies.py names the agencies, report_numbers.py draws the numbers from a
seeded generator and quirks.py breaks a few reports on purpose. The names tests use from those
modules are re-exported here, so `govscrape.demo.data` stays the one place to read them from.
"""

from __future__ import annotations

from govscrape.demo.agencies import (
    AGENCIES,
    AGENCY_BY_SITE,
    CHALLENGED_SITES,
    CITY,
    COLUMN_AGENCIES,
    COUNTY,
    PROVINCE,
    REPORTING,
    YEARS,
    Agency,
    column_owner,
)
from govscrape.demo.legacy_reports import EXPECTED as LEGACY_EXPECTED
from govscrape.demo.legacy_reports import legacy_reports
from govscrape.demo.quirks import FUZZY_ROWS, apply_quirks
from govscrape.demo.report_numbers import (
    APPLICANT_CODES,
    PERSON_AND_ORGS,
    DemoReport,
    draw_reports,
    printed_value,
    request_rows,
)

__all__ = [
    "AGENCIES", "AGENCY_BY_SITE", "APPLICANT_CODES", "CHALLENGED_SITES", "CITY", "COLUMN_AGENCIES",
    "COUNTY", "FUZZY_ROWS", "LEGACY_EXPECTED", "LEGACY_REPORTS", "PROVINCE", "REPORTING", "REPORTS", "YEARS",
    "Agency", "DemoReport", "build_reports", "column_owner", "every_report", "expected_clean_zero",
    "expected_flagged_zero", "expected_missing", "expected_no_report", "expected_stated_zero",
    "expected_unreadable", "printed_value", "reachable", "reachable_reports", "report_for",
    "request_rows",
]  # fmt: skip


def build_reports() -> list[DemoReport]:
    """Every demo report: drawn, then with the deliberate trouble applied."""
    reports = draw_reports()
    for report in reports:
        apply_quirks(report)
    return reports


REPORTS: list[DemoReport] = build_reports()  # the reports on 2019 onwards, with tables
LEGACY_REPORTS: list[DemoReport] = legacy_reports()  # three reports on 2017, in prose


def every_report() -> list[DemoReport]:
    """Every report the portal serves: with tables, and in prose."""
    return REPORTS + LEGACY_REPORTS


def reachable(reports: list[DemoReport]) -> list[DemoReport]:
    """Those of `reports` a polite crawler without JavaScript ends up with."""
    return [r for r in reports if column_owner(r.agency).site_id not in CHALLENGED_SITES]


def reachable_reports() -> list[DemoReport]:
    """The reports with tables a polite crawler without JavaScript ends up with."""
    return reachable(REPORTS)


# --- Expected answers (the end-to-end test and the README rely on these) --------------------


def expected_clean_zero() -> list[tuple[str, int]]:
    """(agency, year) of reports whose table 三 says 0 new requests everywhere."""
    return sorted(
        (r.agency.name, r.year)
        for r in reachable_reports()
        if r.readable and all((v or 0) == 0 for v in r.requests["new"].values())
    )


def expected_flagged_zero() -> list[tuple[str, int, int]]:
    """(agency, year, columns' sum) of reports printing 总计 0 while their columns add up to more."""
    out = []
    for r in reachable_reports():
        new = r.requests["new"]
        columns = sum(new[c] or 0 for c in PERSON_AND_ORGS)
        if r.readable and (new["total"] or 0) == 0 and columns:
            out.append((r.agency.name, r.year, columns))
    return sorted(out)


def expected_unreadable() -> list[tuple[str, int]]:
    """(agency, year) of reports a zero-requests answer lists as "unreadable": no table 三."""
    return sorted((r.agency.name, r.year) for r in reachable_reports() if not r.readable)


def expected_missing() -> list[tuple[str, int]]:
    """(agency, year) of reachable agencies that published no report for a year."""
    have = {(r.agency.site_id, r.year) for r in REPORTS}
    return sorted(
        (a.name, y)
        for a in REPORTING
        if a.site_id not in CHALLENGED_SITES
        for y in YEARS
        if (a.site_id, y) not in have
    )


def expected_no_report() -> list[tuple[str, int]]:
    """(agency, year) a zero-requests answer lists as "no report": never published, or behind
    the challenge (the datasets cannot tell those apart; the crawl summary can), in every year
    some report covers (2017 included: only three agencies have a report on it)."""
    found = reachable(every_report())
    have = {(r.agency.site_id, r.year) for r in found}
    years = sorted({r.year for r in found})
    return sorted((a.name, y) for a in REPORTING for y in years if (a.site_id, y) not in have)


def expected_stated_zero() -> list[tuple[str, int, str]]:
    """(agency, year, sentence) of the reports in prose whose text states no request came:
    zero-requests lists them as `stated_zero`, quoting the sentence."""
    return sorted(
        (r.agency.name, r.year, str(LEGACY_EXPECTED[(r.agency.site_id, r.year)].sentence))
        for r in reachable(LEGACY_REPORTS)
        if LEGACY_EXPECTED[(r.agency.site_id, r.year)].status == "stated_zero"
    )


def report_for(site_id: str, year: int) -> DemoReport:
    for r in REPORTS:
        if r.agency.site_id == site_id and r.year == year:
            return r
    raise KeyError((site_id, year))
