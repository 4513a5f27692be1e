"""The parse step of a build: stored bytes -> Report -> rows, run in worker processes.

A report page and its attachments form one unit. The page is the report; when the page itself
yields no table cells (a short page linking to a PDF or DOCX), the attachment with the most
cells is read as the report instead, keeping the page's URL as the report's identity and the
page's date as its publication date; when no attachment has cells either, the one whose prose
states more headline figures than the page does (a pre-2019 report published as a file). When no attachment yields cells either (a .doc, a scanned
PDF), the page stays the report and carries the attachments' error findings, each naming its
file, and a finding for each attachment the crawl could not download (a 404, a block), so a
report without numbers always says why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govscrape.crawl.raw_location import raw_store_of
from govscrape.crawl.rawstore import ROOTS_SEPARATOR, AnyStore, open_store
from govscrape.datasets.rows import Provenance, Rows, add_report_rows, empty_rows
from govscrape.datasets.store import to_tables
from govscrape.findings import finding
from govscrape.model import Finding, Report
from govscrape.parse.title import title_year

Parser = Callable[..., Report]  # the signature of govscrape.parse_report
# The first statistical year reported in the national format (v2019), i.e. with tables to read.
FIRST_NATIONAL_YEAR = 2019


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """A stored document: its URL, raw-store key and content type."""

    url: str
    sha256: str
    content_type: str | None = None
    first_seen: str | None = None
    fetched_at: str | None = None


@dataclass(frozen=True, slots=True)
class MissingDoc:
    """An attachment the crawl found but holds no bytes of, and why: its fetch status
    (failed, blocked, robots, skipped, pending), HTTP status and last error."""

    url: str
    status: str
    http_status: int | None = None
    error: str | None = None


# What a missing attachment's fetch status says, completing "its attachment URL ...".
MISSING_WORDS = {
    "failed": "could not be downloaded",
    "blocked": "was blocked by the site",
    "robots": "is disallowed by the site's robots.txt",
    "skipped": "was skipped by the crawler",
    "pending": "has not been fetched yet",
}


@dataclass(frozen=True, slots=True)
class ReportUnit:
    """One report to build: its page, the page's attachments and what the crawl knows of it."""

    report_id: str
    site: str | None
    page: SourceDoc
    attachments: tuple[SourceDoc, ...] = ()
    link_title: str | None = None
    site_meta: Mapping[str, object] = field(default_factory=dict)
    key: str = ""  # fingerprint of everything the rows depend on (see plan.unit_key)
    missing: tuple[MissingDoc, ...] = ()  # attachments without stored bytes

    @property
    def agency_hint(self) -> str | None:
        """The site's agency, when the site is one agency (its config names it)."""
        agency = self.site_meta.get("agency")
        return str(agency) if agency else None


def parse_batch(
    units: list[ReportUnit],
    raw_root: str,
    parse: Parser | None = None,
    progress: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Read units from the raw store into Arrow tables, one per dataset (runs in a worker).

    A batch travels back to the main process as Arrow buffers, far cheaper than Python lists.
    """
    store, parser = open_store(raw_root), parse or _default_parser()
    rows = empty_rows()
    for unit in units:
        add_unit_rows(rows, unit, store, parser)
        if progress is not None:
            progress()
    return to_tables(rows)


def lost_batch(units: list[ReportUnit], raw_root: str, why: str) -> dict[str, Any]:
    """The tables of units whose worker died reading them: each a report with no values and a
    parse.resource_limit finding saying so (the build goes on without them)."""

    def dead(*_args: object, url: str | None = None, **_kw: object) -> Report:
        note = finding("parse.resource_limit", f"{why}; nothing was read", raw=url)
        return Report(url=url, findings=[note])

    return parse_batch(units, raw_root, dead)


def add_unit_rows(rows: Rows, unit: ReportUnit, store: AnyStore, parse: Parser) -> None:
    """Parse one unit and append its dataset rows."""
    report, source = read_unit(unit, store, parse)
    prov = Provenance(
        report_id=unit.report_id,
        url=unit.page.url,
        source_url=source.url,
        site=unit.site,
        sha256=source.sha256,
        first_seen=unit.page.first_seen,
        fetched_at=source.fetched_at,
        link_title=unit.link_title,
        site_meta=unit.site_meta,
    )
    add_report_rows(rows, report, prov)


def read_unit(unit: ReportUnit, store: AnyStore, parse: Parser) -> tuple[Report, SourceDoc]:
    """The report of a unit and the document it was read from (page, else best attachment)."""
    report, source = _read_unit(unit, store, parse)
    return with_link_year(report, unit.link_title), source


def with_link_year(report: Report, link_title: str | None) -> Report:
    """A report that states no year takes the one in the link text it was listed under, and
    says so: a year-less report would otherwise drop out of every per-year question."""
    year = title_year(link_title) if report.year is None else None
    if year is None:
        return report
    note = finding(
        "parse.year_from_link",
        f"the report states no statistical year; {year} is taken from the listing link "
        f"text “{link_title}”",
        raw=link_title,
    )
    return dataclasses.replace(report, year=year, findings=[*report.findings, note])


def _read_unit(unit: ReportUnit, store: AnyStore, parse: Parser) -> tuple[Report, SourceDoc]:
    page = parse_document(unit.page, store, parse, unit.agency_hint)
    if page.cells:
        return page, unit.page
    attached = [(parse_document(d, store, parse, unit.agency_hint), d) for d in unit.attachments]
    readable = [pair for pair in attached if pair[0].cells]
    if readable:
        best = max(readable, key=lambda pair: len(pair[0].cells))  # the first of equals
        return with_page_metadata(best[0], page), best[1]
    # A report in prose (before 2019) published as a file: the file whose text states the most.
    prose = [pair for pair in attached if stated(pair[0]) > stated(page)]
    chosen, source = page, unit.page
    if prose:
        best = max(prose, key=lambda pair: stated(pair[0]))
        chosen, source = with_page_metadata(best[0], page), best[1]
        attached = [pair for pair in attached if pair is not best]
    report = with_download_failures(with_attachment_findings(chosen, attached), unit.missing)
    return explain_no_tables(report, len(attached) + (chosen is not page)), source


def stated(report: Report) -> int:
    """How many headline figures the report's text states (plainly or with a qualification)."""
    return sum(1 for h in report.headlines if h.status not in ("not_stated", "table"))


def with_attachment_findings(page: Report, attached: list[tuple[Report, SourceDoc]]) -> Report:
    """The page's report plus its attachments' error findings, each naming the attachment."""
    extra = [
        _from_attachment(f, doc.url)
        for report, doc in attached
        for f in report.findings
        if f.severity == "error"
    ]
    return dataclasses.replace(page, findings=[*page.findings, *extra]) if extra else page


def _from_attachment(found: Finding, url: str) -> Finding:
    message = found.message if url in found.message else f"{found.message} ({url})"
    return dataclasses.replace(found, message=f"attachment: {message}", raw=found.raw or url)


def with_download_failures(report: Report, missing: tuple[MissingDoc, ...]) -> Report:
    """The report plus a parse.missing_table finding for each attachment not downloaded,
    naming its URL and what the crawl recorded (the likely home of the missing tables)."""
    notes = [
        finding(
            "parse.missing_table",
            f"no table was found in the page, and its attachment {doc.url} "
            f"{MISSING_WORDS.get(doc.status, f'was not downloaded ({doc.status})')}"
            f"{_why(doc)}",
            raw=doc.url,
        )
        for doc in missing
    ]
    return dataclasses.replace(report, findings=[*report.findings, *notes]) if notes else report


def _why(doc: MissingDoc) -> str:
    http = f"HTTP {doc.http_status}" if doc.http_status else ""
    if http and doc.error and str(doc.http_status) in doc.error:
        http = ""  # the error already says it
    details = ": ".join(part for part in (http, doc.error) if part)
    return f" ({details})" if details else ""


def explain_no_tables(report: Report, attachments: int) -> Report:
    """A stub without tables and without an error saying why gets a parse.missing_table finding.

    A stub: no report text on the page (no section found), or attachments that were all read
    without a table. A page with report text but no table is a prose report: whether that is
    an error is the parser's call (template detection), not the build's. Reports of 2018 and
    before are exempt: no national tables were prescribed then.
    """
    if report.cells or any(f.severity == "error" for f in report.findings):
        return report
    if report.year is not None and report.year < FIRST_NATIONAL_YEAR:
        return report
    if report.sections and not attachments:
        return report
    where = f"nor in its {attachments} attachment(s)" if attachments else "and it has no attachment"
    note = finding("parse.missing_table", f"no table was found in the page, {where}")
    return dataclasses.replace(report, findings=[*report.findings, note])


# How strongly a document names its agency (parse/agency.py): the attachment's and the page's
# readings compete, the stronger wins (the attachment on a tie).
AGENCY_EVIDENCE = ("title", "field", "signature", "site", None)


def with_page_metadata(attachment: Report, page: Report) -> Report:
    """The attachment's report, completed from the page; the page's date wins,
    and the page's agency where it names its agency more firmly (a PDF without a title)."""
    rank = AGENCY_EVIDENCE.index
    named = page if rank(page.agency_source) < rank(attachment.agency_source) else attachment
    return dataclasses.replace(
        attachment,
        title=attachment.title or page.title,
        agency=named.agency,
        agency_source=named.agency_source,
        agency_kind=named.agency_kind,
        year=attachment.year if attachment.year is not None else page.year,
        published=page.published or attachment.published,
        url=page.url or attachment.url,
    )


def parse_document(doc: SourceDoc, store: AnyStore, parse: Parser, agency: str | None) -> Report:
    """Parse one stored document; a missing blob or a parser crash becomes a finding."""
    try:
        data = store.get(doc.sha256)
    except KeyError:
        return _failed(doc, f"the raw store has no bytes for sha256 {doc.sha256}")
    try:
        return parse(data, url=doc.url, content_type=doc.content_type, agency=agency)
    except Exception as exc:  # the parser promises never to raise; a build must not stop if it does
        return _failed(doc, f"the parser raised {type(exc).__name__}: {exc}")


def _failed(doc: SourceDoc, message: str) -> Report:
    finding = Finding(code="parse.internal_error", severity="error", message=message)
    return Report(url=doc.url, findings=[finding])


def _default_parser() -> Parser:
    # Imported when first needed: tests and callers that pass their own parser skip the parser's
    # libraries (selectolax, pdfplumber) entirely.
    from govscrape.parse import parse_report

    return parse_report


def parser_available() -> bool:
    """True when govscrape.parse_report can be imported."""
    try:
        _default_parser()
    except ImportError:
        return False
    return True


def raw_root(*crawl_dirs: Path) -> str:
    """The raw store(s) of crawl folders (a folder or a URL each, as their crawl states record
    them), as one string for workers (rawstore.open_store)."""
    return ROOTS_SEPARATOR.join(raw_store_of(d) for d in crawl_dirs)
