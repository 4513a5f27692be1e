"""Report -> dataset rows: a pure conversion, testable without parsing, files or processes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from govscrape.datasets.agencies import READ_FROM, Attribution, attribute
from govscrape.datasets.schema import COLUMNS, LONG_TABLES, REPORT_DATASETS
from govscrape.model import Cell, Finding, Headline, Report

CHINA = ZoneInfo("Asia/Shanghai")
# Long tables: the two code columns that hold a cell's row and column codes.
CELL_AXES: dict[str, tuple[str, str]] = {
    "requests": ("row", "applicant"),
    "active_disclosure": ("item", "metric"),
    "review_litigation": ("proceeding", "outcome"),
}
INTEGER_TABLES = frozenset({"requests", "review_litigation"})
# Counts are stored as 64-bit integers: one outside their range (a parser handed a 20-digit
# cell) is kept null with a finding, never allowed to stop the build.
INT64_LIMIT = 2**63
# A report with no cells and one of these findings could not be read at all.
UNREADABLE_CODES = frozenset(
    {
        "parse.empty_document",
        "parse.not_a_report",
        "parse.unsupported_format",
        "parse.scanned_pdf",
        "parse.internal_error",
    }
)
DEFAULT_PORTS = {"http": 80, "https": 443}

Rows = dict[str, dict[str, list]]  # dataset -> column -> values (plus "year")


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a report came from: the facts the crawl state knows and the parser does not."""

    report_id: str
    url: str | None = None
    source_url: str | None = None
    site: str | None = None
    sha256: str | None = None
    first_seen: datetime | str | None = None
    fetched_at: datetime | str | None = None
    link_title: str | None = None  # the link text where the report was discovered
    site_meta: Mapping[str, object] = field(default_factory=dict)


def normalise_url(url: str) -> str:
    """The canonical form of a URL: lower-case scheme and host, no default port, no fragment."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def report_id_for(url: str) -> str:
    """Stable report id: the first 16 hex digits of sha1 of the normalised URL."""
    return hashlib.sha1(normalise_url(url).encode("utf-8")).hexdigest()[:16]


def empty_rows() -> Rows:
    """Column lists for every dataset built from report rows, ready to be extended."""
    return {name: {c.name: [] for c in COLUMNS[name]} | {"year": []} for name in REPORT_DATASETS}


def report_rows(report: Report, prov: Provenance) -> Rows:
    """All dataset rows of one report (findings counts are filled in when the datasets are built)."""
    rows = empty_rows()
    add_report_rows(rows, report, prov)
    return rows


def add_report_rows(rows: Rows, report: Report, prov: Provenance) -> None:
    """Append the rows of one report to `rows` (the fast path for building many at once)."""
    meta = prov.site_meta
    who = attribute(report, _text(meta.get("agency")), _text(meta.get("agency_kind")))
    ident = {"report_id": prov.report_id, "agency": who.agency, "year": report.year}
    findings = list(report.findings) + ([who.finding] if who.finding else [])
    for table in LONG_TABLES:
        _add_cells(rows[table], ident, table, report.table(table), findings)
    for section, text in report.sections.items():
        _append(rows["sections"], ident, section=section, text=text)
    for finding in findings:
        _append(rows["findings"], ident, **finding_values(finding))
    if parse_status(Report(cells=report.cells, findings=findings)) != "unreadable":
        for figure in report.headlines:  # what an unread report states is unknown, not "nothing"
            _append(rows["headlines"], ident, **headline_values(figure))
    _append(rows["reports"], {}, **_report_values(report, prov, who, findings))


def finding_values(finding: Finding) -> dict[str, object]:
    """A finding's columns in the findings dataset."""
    return {
        "code": finding.code,
        "severity": finding.severity,
        "message": finding.message,
        "table": finding.table,
        "row": finding.row,
        "column": finding.column,
        "expected": _number_text(finding.expected),
        "found": _number_text(finding.found),
        "blank_as_zero": bool(finding.blank_as_zero),
        "raw": finding.raw,
    }


def headline_values(figure: Headline) -> dict[str, object]:
    """A headline figure's columns in the headlines dataset."""
    return {
        "measure": figure.measure,
        "value": None if figure.value is None else float(figure.value),
        "unit": figure.unit,
        "status": figure.status,
        "evidence": figure.evidence,
        "section": figure.section,
        "note": figure.note,
    }


def parse_status(report: Report) -> str:
    """ok | with_errors | no_tables | unreadable, from the report's own cells and findings."""
    if not report.cells:
        codes = {f.code for f in report.findings}
        return "unreadable" if codes & UNREADABLE_CODES else "no_tables"
    if any(f.severity == "error" for f in report.findings):
        return "with_errors"
    return "ok"


def _report_values(
    report: Report, prov: Provenance, who: Attribution, findings: list[Finding]
) -> dict[str, object]:
    meta = prov.site_meta
    read = report.agency_source in READ_FROM
    site_agency = _text(meta.get("agency"))
    return {
        "report_id": prov.report_id,
        "site": prov.site,
        "agency": who.agency,
        "agency_kind": who.kind,
        "site_agency": site_agency,
        "agency_source": "site" if site_agency and not read else report.agency_source,
        "agency_raw": report.agency if read else None,
        **{k: _text(meta.get(k)) for k in ("province", "city", "county", "level")},
        "title": report.title or prov.link_title,
        "year": report.year,
        "published": china_time(report.published),
        "first_seen": utc_time(prov.first_seen),
        "url": prov.url or report.url,
        "source_url": prov.source_url or prov.url or report.url,
        "fetched_at": utc_time(prov.fetched_at),
        "sha256": prov.sha256,
        "template": report.template,
        "source_form": report.source_form,
        "processing_fee_yuan": report.processing_fee_yuan,
        "parse_status": parse_status(Report(cells=report.cells, findings=findings)),
        "cells": len(report.cells),
        "findings_error": None,
        "findings_warning": None,
        "findings_info": None,
    }


def _add_cells(
    out: dict[str, list], ident: dict, table: str, cells: list[Cell], findings: list[Finding]
) -> None:
    """Column by column, not cell by cell: this runs for every cell of every report."""
    row_axis, col_axis = CELL_AXES[table]
    for key, value in ident.items():
        out[key].extend([value] * len(cells))
    out[row_axis].extend([c.row for c in cells])
    out[col_axis].extend([c.column for c in cells])
    if table in INTEGER_TABLES:
        out["value"].extend([_integer(c, findings) for c in cells])
    else:
        out["value"].extend([c.value for c in cells])
    out["unit"].extend([c.unit for c in cells])
    out["kind"].extend([c.kind for c in cells])
    out["raw"].extend([c.raw for c in cells])


def _integer(cell: Cell, findings: list[Finding]) -> int | None:
    """A count as int; a fractional or out-of-range count is kept null, with a finding."""
    value = cell.value
    if value is None or (isinstance(value, int) and -INT64_LIMIT < value < INT64_LIMIT):
        return value
    if isinstance(value, int):
        why = f"{value} is too large for a count"
    elif float(value).is_integer() and -INT64_LIMIT < value < INT64_LIMIT:
        return int(value)
    else:
        why = f"a count cannot be fractional ({value})"
    findings.append(
        Finding(
            code="parse.unreadable_cell",
            severity="warning",
            message=f"{cell.row}/{cell.column}: {why}; kept null",
            table=cell.table,
            row=cell.row,
            column=cell.column,
            found=value,
            raw=cell.raw,
        )
    )
    return None


def _append(out: dict[str, list], ident: Mapping[str, object], **values: object) -> None:
    for key, value in ident.items():
        out[key].append(value)
    for key, value in values.items():
        out[key].append(value)


def china_time(value: datetime | str | None) -> datetime | None:
    """A page's date as an aware datetime; a naive one is China Standard Time, as printed."""
    moment = _datetime(value)
    if moment is None:
        return None
    return moment.replace(tzinfo=CHINA) if moment.tzinfo is None else moment.astimezone(CHINA)


def utc_time(value: datetime | str | None) -> datetime | None:
    """A crawler time as an aware UTC datetime (the crawl state writes ISO 8601 in UTC)."""
    moment = _datetime(value)
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _datetime(value: datetime | str | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _number_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
