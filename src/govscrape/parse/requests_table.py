"""Table 三 (requests) read by its row labels, its applicant columns located from the header.

In text, a 小计 column stands where the header words put it (before 商业企业 or after 其他). A
short row (blank cells vanished from text) is placed by arithmetic only when exactly one
placement fits the printed totals, else left unread.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govscrape.labels import key_form
from govscrape.model import Cell, TableName
from govscrape.parse.arithmetic import place_by_arithmetic
from govscrape.parse.rows import PhysRow, Piece
from govscrape.parse.rowtable import ColumnMap, RowTable, unread_cells
from govscrape.parse.table_outcome import (
    Outcome,
    ambiguous,
    header_spans,
    missing_row,
    missing_table,
    resolved,
    row_cells,
    shared_index,
    valid_map,
)
from govscrape.template import (
    APPLICANT_GROUP_LABELS,
    APPLICANTS,
    BALANCE_NOTE_KEYS,
    ORG_SUBTOTAL,
    REQUEST_HEADINGS,
    Line,
    request_rows,
)

APPLICANT_CODES = tuple(a.code for a in APPLICANTS)
WITH_SUBTOTAL = (*APPLICANT_CODES[:-1], ORG_SUBTOTAL.code, APPLICANT_CODES[-1])
SUBTOTAL_FIRST = (APPLICANT_CODES[0], ORG_SUBTOTAL.code, *APPLICANT_CODES[1:])
REQUEST_COLUMN_CODES = frozenset((*APPLICANT_CODES, ORG_SUBTOTAL.code))
# The organisation columns by the first two characters of their printed labels: enough to tell
# the order of header words, even where PDF text splits them ("商业企 / 业").
ORG_WORDS = tuple(a.label[:2] for a in APPLICANTS[1:6])
_GROUP_HEADER = Line(
    "applicant_group",
    APPLICANT_GROUP_LABELS[0],
    (*APPLICANT_GROUP_LABELS, *BALANCE_NOTE_KEYS),
    "Header words",
)


@dataclass
class RequestsTable(RowTable):
    subtotal: bool = False
    subtotal_first: bool = False  # a 小计 column standing before 商业企业, by the header
    org_seen: bool = False
    spans: dict[int, ColumnMap] = field(
        default_factory=dict
    )  # grid (block no.) -> header positions

    @classmethod
    def for_template(cls, template: str) -> RequestsTable:
        rows = request_rows(template)
        return cls(
            name="requests",
            rows=shared_index("request_rows", template, rows),
            headings=shared_index("request_headings", template, REQUEST_HEADINGS[template]),
            headers=shared_index("request_headers", "", (*APPLICANTS, ORG_SUBTOTAL, _GROUP_HEADER)),
            order={r.code: i for i, r in enumerate(rows)},
        )

    @property
    def columns(self) -> tuple[str, ...]:
        if not self.subtotal:
            return APPLICANT_CODES
        return SUBTOTAL_FIRST if self.subtotal_first else WITH_SUBTOTAL

    def width(self, line: Line) -> int:
        return len(self.columns)

    def is_header(self, label: str) -> bool:
        # PDF text splits the column labels ("商业企 科研机 … 小计"): before the first row,
        # a line naming 小计 among organisation words is the header that adds the column.
        if super().is_header(label):
            return True
        text = key_form(label)
        return (
            not self.started
            and any(k in text for k in ORG_SUBTOTAL.keys)
            and any(w in text for w in ORG_WORDS)
        )

    def on_header(self, label: str, row: PhysRow) -> None:
        text = key_form(label)
        for group in APPLICANT_GROUP_LABELS:  # 法人或其他组织 holds 其他 but names no column
            text = text.replace(group, "")
        at = min((i for k in ORG_SUBTOTAL.keys if (i := text.find(k)) >= 0), default=-1)
        if at >= 0:
            self.subtotal = True
            self.subtotal_first = not (self.org_seen or any(w in text[:at] for w in ORG_WORDS))
        self.org_seen = self.org_seen or any(w in text for w in ORG_WORDS)
        if row.grid:
            found = self.spans.setdefault(row.table, {})
            header_spans(row, self.headers, REQUEST_COLUMN_CODES, found)

    def column_map(self, line: Line | None, table: int) -> ColumnMap | None:
        spans = self.spans.get(table)
        return valid_map(spans, self.columns) if spans else None

    def label_end(self, table: int) -> int | None:
        spans = self.column_map(None, table)
        return min(start for start, _end in spans.values()) if spans else None

    def is_anchor(self, label: str) -> bool:
        line = self.rows.first(label)
        if line is not None and line.code in ("new", "carried_over"):
            return True
        return self.headers.first(label) is _GROUP_HEADER

    def outcome(self) -> Outcome:
        out = Outcome(findings=list(self.findings))
        if not self.anchored:
            out.findings.append(missing_table(self.name))
            return out
        short: list[tuple[str, list[Piece], str]] = []
        for line in self.rows.lines:
            got = self.read.get(line.code)
            if got is None:
                out.findings.append(missing_row(self.name, line))
                out.cells += unread_cells(self.name, line.code, self.columns)
                continue
            pieces = self.row_pieces(got, self.columns)
            out_cells = row_cells(self.name, line.code, self.columns, pieces, got.raw, out)
            if out_cells is None:
                short.append((line.code, pieces, got.raw))
            else:
                out.cells += out_cells
        _resolve_short_rows(self.name, short, self.columns, out)
        column_order = {c: i for i, c in enumerate(self.columns)}
        out.cells.sort(key=lambda c: (self.order[c.row], column_order[c.column]))
        return out


def _resolve_short_rows(
    table: TableName, short: list[tuple[str, list[Piece], str]], columns, out: Outcome
) -> None:
    known = {(c.row, c.column): c for c in out.cells}
    # Rows not placed yet must not count as absent (left out of sums) but as unreadable.
    for row, _pieces, _raw in short:
        known.update({(row, c): Cell(table, row, c, None, "unread", None) for c in columns})
    for row, pieces, raw in short:
        slots = [(row, c) for c in columns]
        placed = place_by_arithmetic(table, slots, pieces, known)
        if placed is None:
            out.findings.append(ambiguous(table, row, len(pieces), len(columns), raw))
            placed = unread_cells(table, row, columns)
        else:
            out.findings.append(resolved(table, row, len(pieces), len(columns), raw))
            known.update({(c.row, c.column): c for c in placed})
        out.cells += placed
