"""Read the three statistical tables of a Document into canonical cells (any input form).

The document streams through as physical rows (grid rows, pipe rows, whitespace rows). Section
headings and strong anchors (a 第二十条 caption, the 本年新收 row, the 行政复议 header) say which
table a row belongs to; that table anchors the row on the template's labels in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from govscrape.document import Document
from govscrape.findings import finding
from govscrape.labels import LabelIndex, key_form, normalise
from govscrape.model import Cell, Finding
from govscrape.parse.detect import row_labels, template_of_labels
from govscrape.parse.national import ActiveTable, RequestsTable, ReviewTable
from govscrape.parse.rows import PhysRow, Piece, physical_rows
from govscrape.template import SECTIONS, TEMPLATES

SECTION_INDEX = LabelIndex(SECTIONS)
MAX_HEADING_LEN = 30  # a section heading is a short line, not a sentence quoting it
MAX_ANCHOR_LEN = 40
MAX_LABEL_LEN = 100  # raw characters; the longest national label with its notes is ~60
SENTENCE_MARKS = ("。", ";", "；")
_NOT_HEADING_START = ("(", "1", "2", "3", "4", "5", "6", "7", "8", "9")


@dataclass
class TablesResult:
    """The template detected, the cells of the three tables, and what could not be read."""

    template: str
    cells: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def read_tables(doc: Document) -> TablesResult:
    """Detect the template (parse/detect.py) and read tables 二, 三 and 四; legacy and unknown
    documents yield no cells."""
    rows = list(physical_rows(doc))
    template = template_of_labels(row_labels(rows))
    if template not in TEMPLATES:
        return TablesResult(template)
    reader = TableReader(template)
    for row in rows:
        reader.feed(row)
    return reader.result()


def split_row(row: PhysRow) -> tuple[str, list[Piece]]:
    """(label, value cells): the label is the text up to the last text cell before the values."""
    cells = row.cells
    if len(cells) == 1:  # most lines of text: one cell, label or value
        piece = cells[0]
        return ("", cells) if piece.value or piece.blank else (piece.text, [])
    last_text = -1
    for i, piece in enumerate(cells):
        if piece.value:
            break
        if not piece.blank:
            last_text = i
    label = " ".join([p.text for p in cells[: last_text + 1] if not p.blank])
    return label, cells[last_text + 1 :]


class TableReader:
    """Routes each physical row to the table it belongs to."""

    def __init__(self, template: str) -> None:
        self.template = template
        self.requests = RequestsTable.for_template(template)
        self.active = ActiveTable.for_template(template)
        self.review = ReviewTable()
        self.tables = {
            "active_disclosure": self.active,
            "requests": self.requests,
            "review_litigation": self.review,
        }
        self.current: RequestsTable | ActiveTable | ReviewTable | None = None

    def feed(self, row: PhysRow) -> None:
        label, values = split_row(row)
        if not values and (len(label) > MAX_LABEL_LEN or label[-1:] == "。"):
            return  # a paragraph: no heading, anchor or row label is this long or ends so
        if label:
            section, anchors = route(self.template, label)
            if section is not None and all(v.blank for v in values):
                self.switch(self.tables.get(section))
                return
            for name in anchors:
                if self.tables[name] is not self.current:
                    self.switch(self.tables[name])
                    break
        if self.current is not None:
            self.current.feed(label, values, row)
            if self.current is self.review and self.review.done:
                self.switch(None)

    def switch(self, table) -> None:
        if self.current is not None:
            self.current.close()
        self.current = table

    def result(self) -> TablesResult:
        self.switch(None)
        out = TablesResult(self.template)
        for table in (self.active, self.requests, self.review):
            outcome = table.outcome()
            out.cells += outcome.cells
            out.findings += outcome.findings
        out.findings += [unreadable(c) for c in out.cells if c.kind == "text"]
        return out


def unreadable(cell: Cell) -> Finding:
    """A cell holding words where a value belongs: null, raw kept, and said so."""
    return finding(
        "parse.unreadable_cell",
        f"table {cell.table} row {cell.row} column {cell.column}: the cell holds {cell.raw!r}, "
        "neither a number nor a known mark (blank, /, dash, 无); its value is left null",
        table=cell.table,
        row=cell.row,
        column=cell.column,
        raw=cell.raw,
    )


@lru_cache(maxsize=1 << 16)
def route(template: str, label: str) -> tuple[str | None, tuple[str, ...]]:
    """(the section the label heads, the tables the label anchors, in reading order): what a
    label says about where the rows after it belong. Pure, so cached across documents."""
    anchors: tuple[str, ...] = ()
    if is_label_like(label):
        tables = _prototypes(template)
        anchors = tuple(t.name for t in tables if t.is_anchor(label))
    return section_of(label), anchors


@lru_cache(maxsize=4)
def _prototypes(template: str) -> tuple[ActiveTable, RequestsTable, ReviewTable]:
    """Empty tables of a template: their anchors depend on the template only."""
    return ActiveTable.for_template(template), RequestsTable.for_template(template), ReviewTable()


def is_label_like(label: str) -> bool:
    """Short and without sentence punctuation: a table label, not prose that quotes one."""
    s = key_form(label)
    return len(s) <= MAX_ANCHOR_LEN and not any(p in s for p in SENTENCE_MARKS)


def section_of(label: str) -> str | None:
    """The section code when the label is a section heading (一、总体情况 …), else None."""
    s = key_form(label)
    if not s or len(s) > MAX_HEADING_LEN:
        return None
    if normalise(label).startswith(_NOT_HEADING_START):
        return None
    line = SECTION_INDEX.first(label)
    return None if line is None else line.code
