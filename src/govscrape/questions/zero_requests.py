"""The zero-requests question: agencies whose reports say they received no requests, with evidence."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds

from govscrape.agencies import same_agency
from govscrape.crawl.coverage import SiteCoverage, site_coverage
from govscrape.parse.title import agency_from_title
from govscrape.questions.cells import APPLICANT_COLUMNS, AS_ZERO, describe_cell, unpack_cell
from govscrape.questions.load import check_built, load, load_where
from govscrape.questions.prose import NOT_STATED_NOTE, statements, zero_from_prose

ZERO_COLUMNS = [
    "year", "agency", "site", "site_agency", "status", "detail", "reported_total", "columns_sum",
    "crawl", "report_id", "url",
]  # fmt: skip
# What `--format table` shows: the evidence a reader needs; CSV and JSON carry every column.
ZERO_TABLE_COLUMNS = ["year", "agency", "status", "detail", "url"]
STATUS_MEANINGS: dict[str, str] = {
    "clean_zero": "总计 0 and every applicant column read, adding up to 0 (blank, — and 无 "
    "counted as 0, named in the detail)",
    "zero_but_columns_sum": "总计 0, but the applicant columns add up to N (or are not all 0): "
    "not a clean zero",
    "zero_unverified": "总计 0, but some applicant column could not be read (text, unread, "
    "not applicable or missing; named in the detail): the zero cannot be checked",
    "total_blank": "总计 left blank; every applicant column read, adding up to 0",
    "no_figures": "the whole row blank: the report gives no figures",
    "unreadable": "table 三 could not be read; or its 总计 could not be read (or is blank "
    "while an applicant column could not be read) and no column shows a request; the detail "
    "names the cells",
    "stated_zero": "no national table (a report on 2018 or before, in prose): its text states "
    "that no request was received; the detail quotes the sentence. Not a clean_zero, which "
    "means a fully read table",
    "qualified": "no national table: its text speaks of requests received with an exception "
    "or a limit (除…外, 截至X月, 其他, a total across agencies, an estimate, two figures): "
    "neither a zero nor a count; the detail quotes the sentence and says why",
    "no_report": "a known agency (one with a report in another year, or the agency of a "
    "crawled site that gave none) has no report of its own for that year, whatever other "
    "agencies of its column published; `crawl` says whether its site could be seen, `url` is "
    "the page that could not be fetched, if any",
}


# Verdicts on a report that are not listed: what they mean (the data dictionary shows them).
NOT_LISTED: dict[str, str] = {
    "a number of requests": "the table, or the text, gives a number above 0",
    "not_stated": "a report before 2019 without a national table whose text states no count of "
    "requests received (it describes how requests are handled, or says only that no review or "
    "lawsuit was filed): not a zero, and not unreadable either; counted in the notes",
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
    said = statements(data_dir, ("requests_received",), years=year)
    rows, quiet = [], 0
    for report in reports.itertuples(index=False):
        verdict = classify_new_requests(report.report_id, cells)
        if verdict is not None and not has_new_row(report.report_id, cells):
            statement = said.get((report.report_id, "requests_received"))
            verdict = zero_from_prose(report, statement, verdict)
        if verdict is not None and verdict[0] == "not_stated":
            quiet += 1
        elif verdict is not None:
            rows.append(_zero_row(report, *verdict))
    everyone = reports if year is None else load("reports", data_dir)
    rows += missing_reports(data_dir, reports, year, everyone=everyone)
    frame = pd.DataFrame(rows, columns=ZERO_COLUMNS)
    frame = frame.astype({"year": "Int16", "reported_total": "Int64", "columns_sum": "Int64"})
    frame = frame.sort_values(["year", "agency", "status"], kind="stable").reset_index(drop=True)
    frame.attrs["notes"] = _zero_notes(everyone, year)
    if quiet:
        where = "" if year is None else f" AND h.year = {int(year)}"
        frame.attrs["notes"].append(NOT_STATED_NOTE.format(n=quiet, where=where))
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


Cells = dict[tuple[str, str], tuple]  # (report_id, applicant) -> (value, kind[, raw])


def _cell_index(new: pd.DataFrame) -> Cells:
    """(report_id, applicant) -> (value or None, kind, raw); columns as lists, as rows are slow.
    A cell read twice with different contents is kept as kind "conflict", never one of them."""
    keys = zip(new["report_id"].tolist(), new["applicant"].astype(str).tolist(), strict=True)
    values = new["value"].to_numpy(dtype=object, na_value=None).tolist()
    raws = new["raw"].to_numpy(dtype=object, na_value=None).tolist()
    cells = zip(values, new["kind"].astype(str).tolist(), raws, strict=True)
    index: Cells = {}
    for key, cell in zip(keys, cells, strict=True):
        seen = index.get(key)
        if seen is not None and seen[:2] != cell[:2]:
            cell = (None, "conflict", f"{seen[2]!r} and {cell[2]!r}")
        index[key] = cell
    return index


def has_new_row(report_id: str, cells: Cells) -> bool:
    """Whether any cell of row 一、本年新收 was read from the report's table 三."""
    return any((report_id, c) in cells for c in ("total", *APPLICANT_COLUMNS))


@dataclass(slots=True)
class ColumnsRead:
    """The applicant columns of row 一、本年新收 as read: what adds up, what could not be read."""

    summed: int = 0
    numbers: int = 0
    nonzero: list[str] = field(default_factory=list)  # "natural_person 1"
    as_zero: list[str] = field(default_factory=list)  # blank / dash / 无, counted as 0
    unread: list[str] = field(default_factory=list)  # "natural_person (text '二')"

    def blank_note(self) -> str:
        return f"; blank counted as 0: {', '.join(self.as_zero)}" if self.as_zero else ""

    def unread_text(self) -> str:
        return "applicant column(s) could not be read: " + ", ".join(self.unread)


def classify_new_requests(report_id: str, cells: Cells) -> tuple[str, str, object, object] | None:
    """(status, detail, reported_total, columns_sum) when the report claims no new requests
    (or its claim cannot be read or checked), None when it reports a number of requests.

    A clean zero needs 总计 = 0 and every applicant column read as a number (blank, dash and
    无 counted as 0, and said so) adding up to 0; columns_sum is null unless every column was
    read."""
    total = cells.get((report_id, "total"))
    columns = {c: cells.get((report_id, c)) for c in APPLICANT_COLUMNS}
    if total is None and all(c is None for c in columns.values()):
        detail = "row 一、本年新收 of table 三 (requests) was not read from this report"
        return "unreadable", detail, None, None
    read = read_columns(columns)
    value, kind, raw = unpack_cell(total)
    if kind == "number" and value is not None:
        return None if value != 0 else _reported_zero(read)
    if read.summed or read.nonzero:  # no usable 总计, but the columns show requests: not a zero
        return None
    if kind in AS_ZERO:
        return _blank_total(read)
    detail = f"总计 could not be read ({describe_cell(kind, raw)})"
    if read.unread:
        return "unreadable", f"{detail}; {read.unread_text()}", None, None
    return "unreadable", detail + "; the applicant columns sum to 0" + read.blank_note(), None, 0


def read_columns(columns: dict[str, tuple | None]) -> ColumnsRead:
    """Sum the applicant columns that hold numbers; name those counted as 0 or not read."""
    read = ColumnsRead()
    for name, cell in columns.items():
        value, kind, raw = unpack_cell(cell)
        if kind == "number" and value is not None:
            read.summed += int(value)
            read.numbers += 1
            if value != 0:
                read.nonzero.append(f"{name} {value}")
        elif kind in AS_ZERO:
            read.as_zero.append(name)
        else:
            read.unread.append(f"{name} ({describe_cell(kind, raw)})")
    return read


def _reported_zero(read: ColumnsRead) -> tuple[str, str, object, object]:
    """总计 is 0: a clean zero only if every applicant column was read and adds up to 0."""
    summed = None if read.unread else read.summed  # a partial sum is not the columns' sum
    if read.summed:
        detail = f"reported 0 but columns sum to {read.summed}"
        if read.unread:
            detail = f"reported 0 but the columns read sum to {read.summed}; {read.unread_text()}"
        return "zero_but_columns_sum", detail, 0, summed
    if read.nonzero:  # e.g. 1 and -1: adds up to 0, yet not a report of no requests
        detail = f"reported 0 but the columns are not all 0: {', '.join(read.nonzero)}"
        return "zero_but_columns_sum", detail, 0, summed
    if read.unread:
        detail = f"总计 0, but {read.unread_text()}: not a verified zero"
        return "zero_unverified", detail, 0, None
    return "clean_zero", "clean zero" + read.blank_note(), 0, 0


def _blank_total(read: ColumnsRead) -> tuple[str, str, object, object]:
    """总计 blank (or — / 无) and no column shows a request."""
    if read.unread:
        return "unreadable", f"总计 blank and {read.unread_text()}", None, None
    if not read.numbers:
        return "no_figures", "总计 and every applicant column blank: no figures given", None, None
    return "total_blank", "总计 blank; the applicant columns sum to 0" + read.blank_note(), None, 0


def _zero_row(report, status: str, detail: str, reported, summed) -> dict:
    errors = 0 if pd.isna(report.findings_error) else int(report.findings_error)
    if errors:  # a zero in a report that does not add up elsewhere is weaker evidence
        detail += f"; the report has {errors} error finding(s): see govscrape findings"
    return {
        "year": report.year,
        "agency": report.agency,
        "site": report.site,
        "site_agency": report.site_agency,
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
    """Every known agency (see agency_homes) without a report for a year, one row per agency
    and year, each with what the crawl could see of its home site. One agency is one agency:
    reports of other agencies in the same column say nothing about this one's."""
    everyone = load("reports", data_dir) if everyone is None else everyone
    homes = agency_homes(data_dir)
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
        for agency, (site, owner) in sorted(homes.items()):
            if (agency, wanted) not in present:
                row = _missing_row(agency, site, owner, wanted, coverage.get(site or ""))
                if undated.get(agency):
                    row["detail"] += (
                        f"; {undated[agency]} report(s) of this agency have no readable year"
                    )
                rows.append(row)
    return rows


def agency_homes(data_dir: Path | str) -> dict[str, tuple[str | None, str | None]]:
    """Every known agency -> (its home site, that site's agency), from the agencies dataset.

    Known: an agency with a report in any year, and the configured agency of a crawled site
    that gave no report at all (whether it published is unknown). A shared column's owner whose
    reports are not in that column is not expected there. The home site is the one the agency
    owns, else the one holding most of its reports."""
    agencies = load("agencies", data_dir)
    ranked = sorted(
        agencies.itertuples(index=False),
        key=lambda r: (r.agency != r.site_agency, -int(r.reports), str(r.site)),
    )
    homes: dict[str, tuple[str | None, str | None]] = {}
    for row in ranked:
        site = None if pd.isna(row.site) else str(row.site)
        owner = None if pd.isna(row.site_agency) else str(row.site_agency)
        homes.setdefault(str(row.agency), (site, owner))
    return homes


def _missing_row(
    agency: str, site: str | None, owner: str | None, year: int, seen: SiteCoverage | None
) -> dict:
    if seen is None:
        detail = f"no report for {year} in the datasets (missing is not zero)"
    else:
        detail = _for_agency(seen, agency).explain_missing(year)
    return {
        "year": year,
        "agency": agency,
        "site": site,
        "site_agency": owner,
        "status": "no_report",
        "detail": detail,
        "reported_total": None,
        "columns_sum": None,
        "crawl": None if seen is None else seen.status,
        "report_id": None,
        "url": None if seen is None else _for_agency(seen, agency).evidence_url(year),
    }


def _for_agency(seen: SiteCoverage, agency: str) -> SiteCoverage:
    """A site's coverage without the failed report links whose text names another agency
    (on a shared column, another department's failed 2022 report is no evidence for this one)."""
    keep = tuple(t for t in seen.troubles if t.kind == "listing" or _may_be(t.title, agency))
    return dataclasses.replace(seen, troubles=keep) if len(keep) < len(seen.troubles) else seen


def _may_be(link_text: str | None, agency: str) -> bool:
    named = agency_from_title(link_text)
    return named is None or same_agency(named, agency)
