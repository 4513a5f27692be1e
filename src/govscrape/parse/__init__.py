"""Parse one annual report: extract -> sections -> metadata -> tables -> validate -> headline
figures (from the table, or from the prose of pre-2019 reports). Never raises."""

from __future__ import annotations

import traceback

from govscrape.extract import extract_document
from govscrape.findings import finding
from govscrape.model import Finding, Report
from govscrape.parse.headlines import headline_figures
from govscrape.parse.meta import read_metadata
from govscrape.parse.sections import split_sections
from govscrape.parse.tables import read_tables
from govscrape.parse.validate import validate_report
from govscrape.template import REPORT_WORDS

# Findings from extraction that already say why there is no report: nothing to add to them.
UNREADABLE = frozenset(
    {
        "parse.empty_document",
        "parse.unsupported_format",
        "parse.scanned_pdf",
        "parse.internal_error",
    }
)


def parse_report(
    content: bytes | str,
    *,
    url: str | None = None,
    content_type: str | None = None,
    agency: str | None = None,
) -> Report:
    """A Report for any content; an unexpected failure becomes a parse.internal_error finding.

    `agency` (a site's configured agency) stands only where the document names none: the
    report's own title, fields and signature come first (`report.agency_source` says which).
    """
    report = Report(url=url, agency=agency, agency_source="site" if agency else None)
    try:
        _parse_into(report, content, url=url, content_type=content_type, agency=agency)
    except Exception as exc:  # a bug must cost one document, not the night's batch
        report.findings.append(
            finding(
                "parse.internal_error",
                f"the parser failed: {type(exc).__name__}: {exc}",
                raw=traceback.format_exc(limit=-3),
            )
        )
    return report


def _parse_into(
    report: Report,
    content: bytes | str,
    *,
    url: str | None,
    content_type: str | None,
    agency: str | None,
) -> None:
    doc = extract_document(content, url=url, content_type=content_type)
    report.source_form = doc.source_form
    report.findings += doc.findings
    sections, section_findings = split_sections(doc)
    report.sections = sections
    meta = read_metadata(doc, sections, url=url, agency=agency)
    read = ("title", "agency", "agency_source", "agency_kind", "year", "published")
    for name in (*read, "processing_fee_yuan"):
        setattr(report, name, getattr(meta, name))
    report.findings += meta.findings
    if not doc.blocks or any(f.code in UNREADABLE and f.severity == "error" for f in doc.findings):
        return
    tables = read_tables(doc)
    report.template = tables.template
    report.cells = tables.cells
    not_report = _not_a_report(report)
    if not_report is not None:
        report.findings.append(not_report)
        return
    report.findings += section_findings
    # A stub page (its title names the report; no section, no table wording: the report is its
    # attachment) has no content a template could fit: it stays `unknown` without a finding,
    # and whoever knows its attachments says why no table came (datasets: parse.missing_table).
    if report.template == "unknown" and report.sections:
        report.findings.append(
            finding(
                "parse.template_unknown",
                "the document fits neither national template (v2019, v2021); "
                "its tables were not read",
            )
        )
    report.findings += tables.findings
    report.findings += validate_report(report)
    report.headlines, contradictions = headline_figures(report, doc)
    report.findings += contradictions


def _not_a_report(report: Report) -> Finding | None:
    """A finding when nothing in the document suggests an annual report."""
    if report.template != "unknown" or report.sections:
        return None
    text = (report.title or "") + "".join(report.sections.values())
    if any(w in text for w in REPORT_WORDS):
        return None
    return finding("parse.not_a_report", "the page does not look like an annual report")
