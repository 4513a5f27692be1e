"""The catalogue of finding codes (code -> severity, meaning) and a constructor that uses it."""

from __future__ import annotations

from dataclasses import dataclass

from govscrape.model import Finding, Severity


@dataclass(frozen=True, slots=True)
class FindingCode:
    """One kind of finding: its default severity and what it means, in plain language."""

    code: str
    severity: Severity
    meaning: str


CATALOGUE: dict[str, FindingCode] = {
    fc.code: fc
    for fc in (
        FindingCode("parse.empty_document", "error", "The file holds no text at all."),
        FindingCode("parse.not_a_report", "error", "The page is not an annual report."),
        FindingCode(
            "parse.unsupported_format",
            "error",
            "The file format cannot be read (e.g. .doc/.wps/.xls, an archive, binary junk).",
        ),
        FindingCode(
            "parse.scanned_pdf", "error", "The PDF holds images of pages, no text (needs OCR)."
        ),
        FindingCode(
            "parse.truncated_file",
            "warning",
            "The file ends early (a PDF without its %%EOF end marker: a download cut short); its "
            "text was read and kept, but pages or values near its end may be missing.",
        ),
        FindingCode("parse.missing_table", "error", "A table of the national format is absent."),
        FindingCode("parse.missing_row", "warning", "A row of a table is absent."),
        FindingCode(
            "parse.missing_section",
            "warning",
            "One of the six report sections was not found under any known heading.",
        ),
        FindingCode(
            "parse.unmatched_label",
            "warning",
            "A label inside a table matches no row of the template; its raw text is kept.",
        ),
        FindingCode(
            "parse.fuzzy_label",
            "info",
            "A row label printed unlike every template wording (a character missing or changed, "
            "characters of a group label interleaved, wrapped pieces) was read as the template "
            "row in its place by order and similarity; printed and template label are quoted.",
        ),
        FindingCode(
            "parse.other_as_one_row",
            "warning",
            "A v2021 table prints (六)其他处理 as the single row of v2019: its values are kept "
            "under row `other` (the sum of v2021's other.* rows), the three v2021 rows are unread.",
        ),
        FindingCode(
            "parse.zero_or_blank",
            "info",
            "Cells rebuilt by the table's arithmetic are 0 or blank, and nothing tells which "
            "(kind zero_or_blank, value null; validation counts them as 0).",
        ),
        FindingCode(
            "parse.search_limit",
            "warning",
            "The search for the readings that fit a table's arithmetic reached its bound "
            "(readings, states or CPU time); a cell is read only where the checks made before "
            "it decide the cell, the others stay unread.",
        ),
        FindingCode(
            "parse.ambiguous_row",
            "warning",
            "A row's numbers cannot be assigned to columns unambiguously; the values that "
            "differ between the readings that fit (or all, where none fits) are unread.",
        ),
        FindingCode(
            "parse.resolved_by_arithmetic",
            "info",
            "A row whose cells lost their positions (blank cells vanished, cells glued into one "
            "digit run) was rebuilt: every reading that satisfies the table's identities gives "
            "the values read (all of the row's, or some: then with parse.ambiguous_row). No "
            "value was filled in.",
        ),
        FindingCode(
            "parse.cell_count", "warning", "A row has more cells than the template has columns."
        ),
        FindingCode(
            "parse.unreadable_cell",
            "warning",
            "A cell's text is neither a number nor a known mark (blank, /, dash, 无); its value "
            "is null and its raw text is kept.",
        ),
        FindingCode(
            "parse.template_unknown",
            "warning",
            "The document fits neither national template (v2019, v2021); tables are not read.",
        ),
        FindingCode("parse.mojibake", "warning", "The text looks wrongly decoded."),
        FindingCode(
            "parse.flattened_html",
            "warning",
            "The page's markup could not be walked (nested too deeply); it was read as flat "
            "text, so its tables were read from text lines, not from a grid.",
        ),
        FindingCode(
            "parse.resource_limit",
            "error",
            "Reading the document reached one of its budgets (time, memory, size, pages, cells, "
            "spans, glyphs, drawing objects, inflated bytes; the README's Limits and safety); "
            "the finding names the limit. What was read before it is kept; the rest is unread.",
        ),
        FindingCode(
            "parse.year_from_link",
            "info",
            "The report states no statistical year; the year comes from the listing link text "
            "the crawler found it under.",
        ),
        FindingCode(
            "parse.year_mismatch",
            "info",
            "The title and the 统计期限 sentence name different years; the title year is used.",
        ),
        FindingCode(
            "meta.agency_differs_from_site",
            "info",
            "The report names an agency other than its site's configured agency (a column "
            "shared by several agencies, or a report filed in another agency's column); it is "
            "counted under the agency it names.",
        ),
        FindingCode(
            "parse.internal_error",
            "error",
            "The parser failed on this document (a bug); whatever was read is kept.",
        ),
        FindingCode(
            "requests.balance",
            "error",
            "Per applicant column: new + carried over must equal total handled + carried forward.",
        ),
        FindingCode(
            "requests.total_handled",
            "error",
            "Per column: (七)总计 must equal the sum of all outcome rows.",
        ),
        FindingCode(
            "requests.row_total",
            "error",
            "Per row: 总计 must equal natural persons + the five organisation columns.",
        ),
        FindingCode(
            "review_litigation.total",
            "error",
            "Per proceeding: 总计 must equal upheld + corrected + other + pending.",
        ),
        FindingCode(
            "org_subtotal", "error", "Where present: 小计 must equal the five organisation columns."
        ),
        FindingCode(
            "headline.prose_table_mismatch",
            "warning",
            "The report's text states a headline figure (e.g. requests received) that its "
            "national table contradicts; the table's value is kept, the sentence is quoted.",
        ),
        FindingCode(
            "crawl.listing_truncated",
            "warning",
            "A listing states more items (or pages) than the crawl could reach: the column writes "
            "only its first pages statically and shows the rest by script or search, so reports "
            "missing for older years may be unreachable rather than unpublished; both counts are "
            "given (expected: stated, found: reached). Recorded in the crawl state, per listing.",
        ),
        FindingCode(
            "crawl.document_crashed",
            "error",
            "Reading this page for links killed the crawl process (a crash in native code, an "
            "abort, the OOM killer; the message names the signal). The crawl went on without it: "
            "its bytes are stored (builds read them isolated) but its links are not followed "
            "while it serves the same bytes. Recorded in the crawl state, per page.",
        ),
        FindingCode(
            "year.continuity",
            "warning",
            "Across years of one agency: carried forward in year N must equal carried over in N+1.",
        ),
        FindingCode(
            "publication.late",
            "warning",
            "Published after the legal deadline of 条例 第四十九条.",
        ),
    )
}


def severity_of(code: str) -> Severity:
    """The catalogue severity of a code; unknown codes are loud (KeyError), being a bug."""
    return CATALOGUE[code].severity


def finding(code: str, message: str, *, severity: Severity | None = None, **fields) -> Finding:
    """A Finding with the catalogue's severity for `code` unless one is given."""
    return Finding(code=code, severity=severity or severity_of(code), message=message, **fields)
