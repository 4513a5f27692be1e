"""The zero-requests question: agencies whose reports say they received no requests, with evidence."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds

from govscrape.coverage import SiteCoverage, site_coverage
from govscrape.query import check_built, load, load_where

ORG_COLUMNS = ("commercial", "research", "social_welfare", "legal_service", "other_org")
APPLICANT_COLUMNS = ("natural_person", *ORG_COLUMNS)
AS_ZERO = frozenset({"blank", "dash", "none_word"})
ZERO_COLUMNS = [
    "year", "agency", "site", "status", "detail", "reported_total", "columns_sum", "crawl",
    "report_id", "url",
]  # fmt: skip
# What `--format table` shows: the evidence a reader needs; CSV and JSON carry every column.
ZERO_TABLE_COLUMNS = ["year", "agency", "status", "detail", "url"]
STATUS_MEANINGS: dict[str, str] = {
    "clean_zero": "总计 0 and the applicant columns add up to 0",
    "zero_but_columns_sum": "总计 0, but the applicant columns add up to N: not a clean zero",
    "total_blank": "总计 left blank; the applicant columns add up to 0",
    "no_figures": "the whole row blank: the report gives no figures",
    "unreadable": "table 三 could not be read, or its 总计 is not a number",
    "no_report": "no report for that year; `crawl` says whether the site could be seen, `url` "
    "is the page that could not be fetched, if any",
}


def zero_requests(data_dir: Path | str = "data", year: int | None = None) -> pd.DataFrame:
    """Agencies whose reports say they received no new requests, and agencies with no report.

    status: see STATUS_MEANINGS. `crawl` (no_report rows) is the site's crawl status from
    state.sqlite: ok | partial | blocked | failed | not_crawled (null without a crawl state).
    Notes for the reader (e.g. a year with no report at all) are in `frame.attrs["notes"]`.
    """
    check_built(data_dir)
    reports = load("reports", data_dir, years=year)
    new = load_where("requests", data_dir, ds.field("row") == "new", years=year)
    cells = _cell_index(new)
    rows = []
    for report in reports.itertuples(index=False):
        verdict = classify_new_requests(report.report_id, cells)
        if verdict is not None:
            rows.append(_zero_row(report, *verdict))
    everyone = reports if year is None else load("reports", data_dir)
    rows += missing_reports(data_dir, reports, year, everyone=everyone)
    frame = pd.DataFrame(rows, columns=ZERO_COLUMNS)
    frame = frame.astype({"year": "Int16", "reported_total": "Int64", "columns_sum": "Int64"})
    frame = frame.sort_values(["year", "agency", "status"], kind="stable").reset_index(drop=True)
    frame.attrs["notes"] = _zero_notes(everyone, year)
    frame.attrs["table_columns"] = ZERO_TABLE_COLUMNS
    return frame


def _zero_notes(everyone: pd.DataFrame, year: int | None) -> list[str]:
    years = sorted(int(y) for y in everyone["year"].dropna().unique())
    notes = []
    if year is not None and year not in years:
        shown = f"{years[0]}-{years[-1]}" if years else "none"
        notes.append(
            f"the datasets hold no report at all for {year} (years: {shown}): every agency is "
            "listed as no_report; it may be too early, or that year was not crawled"
        )
    unknown = int(everyone["year"].isna().sum())
    if unknown:
        notes.append(
            f"{unknown} report(s) have no readable statistical year and are not counted for any "
            'year: govscrape sql "SELECT agency, title, url FROM reports WHERE year IS NULL"'
        )
    return notes


def _cell_index(new: pd.DataFrame) -> dict[tuple[str, str], tuple[object, str]]:
    """(report_id, applicant) -> (value or None, kind); columns as lists, as rows are slow."""
    keys = zip(new["report_id"].tolist(), new["applicant"].astype(str).tolist(), strict=True)
    values = new["value"].to_numpy(dtype=object, na_value=None).tolist()
    cells = zip(values, new["kind"].astype(str).tolist(), strict=True)
    return dict(zip(keys, cells, strict=True))


def classify_new_requests(
    report_id: str, cells: dict[tuple[str, str], tuple[object, str]]
) -> tuple[str, str, object, object] | None:
    """(status, detail, reported_total, columns_sum) when the report claims no new requests
    (or its claim cannot be read), None when it reports a number of requests."""
    total = cells.get((report_id, "total"))
    columns = [cells.get((report_id, c)) for c in APPLICANT_COLUMNS]
    if total is None and all(c is None for c in columns):
        return "unreadable", "no table 三 (requests) was read from this report", None, None
    summed, blank_only = _sum_columns(columns)
    value, kind = total if total is not None else (None, "unread")
    if kind == "number":
        if value != 0:
            return None
        if summed:
            return "zero_but_columns_sum", f"reported 0 but columns sum to {summed}", 0, summed
        note = " (blank columns read as 0)" if blank_only else ""
        return "clean_zero", f"clean zero{note}", 0, 0
    if summed:  # no usable 总计, but the columns show requests: not a zero
        return None
    if kind in AS_ZERO and all(c is None or c[1] in AS_ZERO for c in columns):
        return "no_figures", "总计 and every applicant column blank: no figures given", None, 0
    if kind in AS_ZERO:
        return "total_blank", "总计 blank; the applicant columns sum to 0", None, 0
    return "unreadable", f"总计 is not a number ({kind})", None, summed


def _sum_columns(columns: list[tuple[object, str] | None]) -> tuple[int, bool]:
    """Sum of the applicant columns, blank/dash/无 as 0; and whether any was read as 0 so."""
    total, as_zero = 0, False
    for cell in columns:
        if cell is None:
            continue
        value, kind = cell
        if kind == "number" and value is not None:
            total += int(value)
        elif kind in AS_ZERO:
            as_zero = True
    return total, as_zero


def _zero_row(report, status: str, detail: str, reported, summed) -> dict:
    errors = 0 if pd.isna(report.findings_error) else int(report.findings_error)
    if errors:  # a zero in a report that does not add up elsewhere is weaker evidence
        detail += f"; the report has {errors} error finding(s): see govscrape findings"
    return {
        "year": report.year,
        "agency": report.agency,
        "site": report.site,
        "status": status,
        "detail": detail,
        "reported_total": reported,
        "columns_sum": summed,
        "crawl": None,
        "report_id": report.report_id,
        "url": report.url,
    }


def missing_reports(
    data_dir: Path | str,
    reports: pd.DataFrame,
    year: int | None,
    *,
    everyone: pd.DataFrame | None = None,
) -> list[dict]:
    """Agencies known (crawl state sites, or a report in any year) with no report for a year,
    each with what the crawl could see of its site."""
    everyone = load("reports", data_dir) if everyone is None else everyone
    known: dict[str, str | None] = dict(known_sites(data_dir))
    for row in everyone[["agency", "site"]].dropna(subset=["agency"]).itertuples(index=False):
        known.setdefault(str(row.agency), None if pd.isna(row.site) else str(row.site))
    years = (
        [year] if year is not None else sorted(int(y) for y in reports["year"].dropna().unique())
    )
    present = {
        (str(a), int(y))
        for a, y in zip(reports["agency"], reports["year"], strict=True)
        if pd.notna(a) and pd.notna(y)
    }
    undated = everyone.loc[everyone["year"].isna(), "agency"].dropna().astype(str).value_counts()
    coverage = site_coverage(data_dir)
    rows = []
    for wanted in years:
        for agency, site in sorted(known.items()):
            if (agency, wanted) not in present:
                row = _missing_row(agency, site, wanted, coverage.get(site or ""))
                if undated.get(agency):
                    row["detail"] += (
                        f"; {undated[agency]} report(s) of this agency have no readable year"
                    )
                rows.append(row)
    return rows


def _missing_row(agency: str, site: str | None, year: int, seen: SiteCoverage | None) -> dict:
    if seen is None:
        detail = f"no report for {year} in the datasets (missing is not zero)"
    else:
        detail = seen.explain_missing(year)
    return {
        "year": year,
        "agency": agency,
        "site": site,
        "status": "no_report",
        "detail": detail,
        "reported_total": None,
        "columns_sum": None,
        "crawl": None if seen is None else seen.status,
        "report_id": None,
        "url": None if seen is None else seen.evidence_url(year),
    }


def known_sites(data_dir: Path | str) -> dict[str, str]:
    """Agency -> site id of the single-agency sites in the crawl state (read-only), if any."""
    path = Path(data_dir) / "state.sqlite"
    if not path.exists():
        return {}
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT agency, id FROM sites WHERE agency IS NOT NULL").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return {}
    return {agency: site for agency, site in rows if agency}
