"""Read plain text (page text as copied, cell-per-line, pipe text, PDF text) into a Document."""

from __future__ import annotations

import re

from govscrape.document import Document
from govscrape.extract.fields import scan_fields
from govscrape.extract.quality import mojibake_finding, traditional_share
from govscrape.template import REPORT_TITLE_WORDS

TITLE_SCAN_LINES = 30  # the title stands near the top, before the body text starts
TITLE_MAX_CHARS = 80  # a longer line is a sentence mentioning the report, not its title
FIELD_SCAN_LINES = 60  # the byline stands near the top
# Lines that make a form: enough of them, not one stray line.
PIPE_MIN_LINES = 5
PDF_MIN_LINES = 3
# Two or more numbers separated by spaces at the end of a line: a label and its values on one
# line ("（一）予以公开 447 7 0 0 0 0 454"), as PDF text extraction gives table rows.
_YEAR = re.compile(r"(?:19|20)\d{2}")
_TITLE_WORD = re.compile("|".join(map(re.escape, REPORT_TITLE_WORDS)))  # any of them, one scan
_NUM = re.compile(r"[-−－]?\d+(?:\.\d+)?")


def ends_in_numbers(line: str) -> bool:
    """Whether the line ends in two or more numbers set apart by white space.

    Only the last two words are looked at (rsplit from the right), so a line of any length
    costs as much as its tail: a regex searched over the line would try every start position
    and take quadratic time on a long line of numbers.
    """
    words = line.rsplit(None, 2)
    return len(words) >= 2 and all(_NUM.fullmatch(w) for w in words[-2:])


def text_lines(text: str) -> list[str]:
    """Every non-empty line, right-stripped, in order."""
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def is_title_like(line: str) -> bool:
    """A short line naming a report of some year ("…2023年…年度报告"), not a column name."""
    return (
        len(line) <= TITLE_MAX_CHARS
        and _TITLE_WORD.search(line) is not None
        and _YEAR.search(line) is not None
    )


def find_title(lines: list[str]) -> str | None:
    """The first title-like line near the top, else the first short line naming a 报告/年报,
    else the first line."""
    top = [line.strip() for line in lines[:TITLE_SCAN_LINES]]
    for line in top:
        if is_title_like(line):
            return line
    for line in top:
        if len(line) <= TITLE_MAX_CHARS and any(w in line for w in REPORT_TITLE_WORDS):
            return line
    return top[0] if top else None


def text_form(lines: list[str]) -> str:
    """text_pipe, text_pdf or text_cells, by what the table rows look like."""
    if sum(1 for line in lines if "|" in line or "｜" in line) >= PIPE_MIN_LINES:
        return "text_pipe"
    if sum(1 for line in lines if ends_in_numbers(line)) >= PDF_MIN_LINES:
        return "text_pdf"
    return "text_cells"


def extract_text(text: str) -> Document:
    """Lines as they stand; title, byline fields and quality findings from them."""
    lines = text_lines(text)
    doc = Document(
        source_form=text_form(lines),
        blocks=list(lines),
        title=find_title(lines),
        meta=scan_fields(lines[:FIELD_SCAN_LINES]),
    )
    if finding := mojibake_finding(text):
        doc.findings.append(finding)
    share = traditional_share("".join(lines))
    if share:
        doc.meta["traditional_share"] = f"{share:.2f}"
    return doc
