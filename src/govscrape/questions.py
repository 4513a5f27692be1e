"""The journalists' questions: zero-request agencies (with evidence) and headline comparisons."""

from __future__ import annotations

import difflib
import sqlite3
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds

from govscrape.errors import GovscrapeError
from govscrape.query import check_built, load, load_where

ORG_COLUMNS = ("commercial", "research", "social_welfare", "legal_service", "other_org")
APPLICANT_COLUMNS = ("natural_person", *ORG_COLUMNS)
LITIGATION = ("litigation_direct", "litigation_after_review")
AS_ZERO = frozenset({"blank", "dash", "none_word"})
ZERO_COLUMNS = [
    "year", "agency", "site", "status", "detail", "reported_total", "columns_sum",
    "report_id", "url",
]  # fmt: skip


def zero_requests(data_dir: Path | str = "data", year: int | None = None) -> pd.DataFrame:
    """Agencies whose reports say they received no new requests, and agencies with no report.

    status: clean_zero | zero_but_columns_sum (总计 0, columns add up to N) | total_blank
    (总计 blank, columns add up to 0) | no_figures (the whole row blank) | unreadable (no
    table 三 read, or a 总计 that is not a number) | no_report (no report for that year).
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
    rows += missing_reports(data_dir, reports, year)
    frame = pd.DataFrame(rows, columns=ZERO_COLUMNS)
    frame = frame.astype({"year": "Int16", "reported_total": "Int64", "columns_sum": "Int64"})
    return frame.sort_values(["year", "agency", "status"], kind="stable").reset_index(drop=True)


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
    return {
        "year": report.year,
        "agency": report.agency,
        "site": report.site,
        "status": status,
        "detail": detail,
        "reported_total": reported,
        "columns_sum": summed,
        "report_id": report.report_id,
        "url": report.url,
    }


def missing_reports(data_dir: Path | str, reports: pd.DataFrame, year: int | None) -> list[dict]:
    """Agencies known (crawl state sites, or a report in any year) with no report for a year."""
    everyone = load("reports", data_dir)
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
    rows = []
    for wanted in years:
        for agency, site in sorted(known.items()):
            if (agency, wanted) not in present:
                rows.append(_missing_row(agency, site, wanted))
    return rows


def _missing_row(agency: str, site: str | None, year: int) -> dict:
    return {
        "year": year,
        "agency": agency,
        "site": site,
        "status": "no_report",
        "detail": f"no report for {year} in the datasets (missing is not zero)",
        "reported_total": None,
        "columns_sum": None,
        "report_id": None,
        "url": None,
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


# --- Comparisons ----------------------------------------------------------------------------

# Headline active-disclosure figures: (item, metric) per template, and whether they compare
# across the 2021 break (data-model.md: the (一) metrics and (八) change meaning).
ACTIVE_HEADLINES: dict[str, tuple[dict[str, tuple[str, str]], bool]] = {
    "license_decisions": ({"v2019": ("license", "decisions"), "v2021": ("license", "decisions")}, True),
    "penalty_decisions": ({"v2019": ("penalty", "decisions"), "v2021": ("penalty", "decisions")}, True),
    "normative_documents_new": (
        {"v2019": ("normative_document", "new_published"), "v2021": ("normative_document", "issued")},
        False,
    ),
    "admin_fee": ({"v2019": ("admin_fee", "prev_year_count"), "v2021": ("admin_fee", "amount")}, False),
}  # fmt: skip
HEADLINE_COLUMNS = [
    "year", "agency", "agency_kind", "template", "new_requests", "handled", "granted",
    "partially_granted", "denied", "other_total", "other_total_derived", "share_granted",
    "share_denied", "review_total", "review_corrected", "litigation_total",
    "litigation_corrected", *ACTIVE_HEADLINES, "notes", "report_id",
]  # fmt: skip


def compare_agency(data_dir: Path | str, agency: str) -> pd.DataFrame:
    """One agency's headline figures, year by year."""
    check_built(data_dir)
    agencies = load("reports", data_dir)["agency"].dropna().astype(str).unique().tolist()
    if agency not in agencies:
        close = difflib.get_close_matches(agency, agencies, n=3, cutoff=0.3)
        hint = f"; did you mean: {', '.join(close)}" if close else ""
        raise GovscrapeError(f"no reports for agency {agency!r} in the datasets{hint}")
    frame = headlines(data_dir, agencies=agency)
    return frame.sort_values(["year", "report_id"], kind="stable").reset_index(drop=True)


def compare_year(data_dir: Path | str, year: int) -> pd.DataFrame:
    """Every agency's headline figures for one statistical year, side by side."""
    check_built(data_dir)
    frame = headlines(data_dir, years=year)
    if frame.empty:
        years = sorted(int(y) for y in load("reports", data_dir)["year"].dropna().unique())
        raise GovscrapeError(f"no reports for {year}; years in the datasets: {years or 'none'}")
    return frame.sort_values(["agency", "report_id"], kind="stable").reset_index(drop=True)


def headlines(data_dir: Path | str, **where) -> pd.DataFrame:
    """Headline figures per report (requests, shares, corrections, active disclosure)."""
    reports = load("reports", data_dir, **where)
    totals = load_where("requests", data_dir, ds.field("applicant") == "total", **where)
    requests = _by_report(totals, "row", "applicant")
    review = _by_report(load("review_litigation", data_dir, **where), "proceeding", "outcome")
    active = load("active_disclosure", data_dir, **where)
    active_cells = {
        (r.report_id, r.item, r.metric): r.value for r in active.itertuples(index=False)
    }
    rows = [
        _headline(r, requests.get(r.report_id, {}), review.get(r.report_id, {}), active_cells)
        for r in reports.itertuples(index=False)
    ]
    frame = pd.DataFrame(rows, columns=HEADLINE_COLUMNS)
    _mark_incomparable(frame)
    return frame.astype(_HEADLINE_TYPES)


def _by_report(long: pd.DataFrame, row_axis: str, col_axis: str) -> dict[str, dict]:
    """report_id -> {(row, column): value}, null values left out."""
    out: dict[str, dict[tuple[str, str], object]] = {}
    columns = zip(long["report_id"], long[row_axis], long[col_axis], long["value"], strict=True)
    for report_id, row, column, value in columns:
        if not pd.isna(value):
            out.setdefault(report_id, {})[(str(row), str(column))] = int(value)
    return out


def _sum(values: list[object]) -> object:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _share(part: object, whole: object) -> float | None:
    if part is None or not whole:
        return None
    return round(float(part) / float(whole), 4)


def _headline(report, cells: dict, rev: dict, active: dict) -> dict:
    req = {row: v for (row, _column), v in cells.items()}
    denied = _sum([v for k, v in req.items() if k.startswith("denied.")])
    other_parts = [v for k, v in req.items() if k.startswith("other.")]
    derived = report.template == "v2021" or (not req.get("other") and bool(other_parts))
    other_total = _sum(other_parts) if derived else req.get("other")
    row = {
        "year": report.year,
        "agency": report.agency,
        "agency_kind": report.agency_kind,
        "template": report.template,
        "new_requests": req.get("new"),
        "handled": req.get("total_handled"),
        "granted": req.get("granted"),
        "partially_granted": req.get("partially_granted"),
        "denied": denied,
        "other_total": other_total,
        "other_total_derived": derived if other_total is not None else None,
        "share_granted": _share(req.get("granted"), req.get("total_handled")),
        "share_denied": _share(denied, req.get("total_handled")),
        "review_total": rev.get(("review", "total")),
        "review_corrected": rev.get(("review", "corrected")),
        "litigation_total": _sum([rev.get((p, "total")) for p in LITIGATION]),
        "litigation_corrected": _sum([rev.get((p, "corrected")) for p in LITIGATION]),
        "notes": "",
        "report_id": report.report_id,
    }
    for name, (cells, _comparable) in ACTIVE_HEADLINES.items():
        item_metric = cells.get(str(report.template))
        row[name] = None if item_metric is None else active.get((report.report_id, *item_metric))
    return row


def _mark_incomparable(frame: pd.DataFrame) -> None:
    """Across templates, blank out nothing but say which figures do not compare."""
    templates = set(frame["template"].dropna().astype(str)) & {"v2019", "v2021"}
    notes = []
    for _, row in frame.iterrows():
        parts = []
        if row["other_total_derived"] is True:
            parts.append("other_total derived: sum of other.* (v2021)")
        if len(templates) > 1:
            names = [n for n, (_c, comparable) in ACTIVE_HEADLINES.items() if not comparable]
            parts.append(f"not comparable across the 2021 break: {', '.join(names)}")
        notes.append("; ".join(parts))
    frame["notes"] = notes


_HEADLINE_TYPES = {
    "year": "Int16",
    "new_requests": "Int64",
    "handled": "Int64",
    "granted": "Int64",
    "partially_granted": "Int64",
    "denied": "Int64",
    "other_total": "Int64",
    "other_total_derived": "boolean",
    "share_granted": "Float64",
    "share_denied": "Float64",
    "review_total": "Int64",
    "review_corrected": "Int64",
    "litigation_total": "Int64",
    "litigation_corrected": "Int64",
    "license_decisions": "Float64",
    "penalty_decisions": "Float64",
    "normative_documents_new": "Float64",
    "admin_fee": "Float64",
}
