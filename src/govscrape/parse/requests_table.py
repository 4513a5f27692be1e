"""Table 三 (requests) read by its row labels, its applicant columns located from the header.

In text, a 小计 column stands where the header words put it (before 商业企业 or after 其他). Rows
are found by their labels; PDF-like text, and a grid where a row with numbers has a label no
lookup finds (a damaged label), are aligned to the template as a whole (parse/text_align.py). A
short row (blank cells vanished, or cells glued into one digit run) is rebuilt from the
table's arithmetic where every reading that fits agrees (parse/arithmetic.py), else unread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from govscrape.findings import finding
from govscrape.labels import key_form
from govscrape.model import Cell, Finding, TableName
from govscrape.parse.arithmetic import ShortRow, rebuild
from govscrape.parse.rows import PhysRow, Piece
from govscrape.parse.rowtable import ColumnMap, RowRead, RowTable, unread_cells
from govscrape.parse.similarity import plain
from govscrape.parse.table_outcome import (
    Outcome,
    header_spans,
    missing_row,
    missing_table,
    row_cells,
    shared_index,
    valid_map,
)
from govscrape.parse.text_align import Event, Match, align, has_numbers
from govscrape.template import (
    APPLICANT_GROUP_LABELS,
    APPLICANTS,
    BALANCE_NOTE_KEYS,
    ORG_SUBTOTAL,
    REQUEST_HEADINGS,
    REQUEST_ROWS,
    V2021,
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
# v2021's (六)其他处理 heading printed as the one row v2019 had: its values are kept under `other`.
OTHER_ROW = next(r for r in REQUEST_ROWS if r.code == "other")
OTHER_PARTS = ("other.no_correction", "other.unpaid_fee", "other.other")
OPTIONAL_ROWS = frozenset({OTHER_ROW.code})
# Characters of the labels without a row of their own, which PDF text interleaves into rows.
GROUP_CHARS = {
    template: frozenset("".join(plain(h.label) for h in headings))
    for template, headings in REQUEST_HEADINGS.items()
}


@lru_cache(maxsize=4)
def _order(template: str) -> dict[str, int]:
    """Row code -> position in the template's table 三 (shared by every report: only read)."""
    return {r.code: i for i, r in enumerate(request_rows(template))}


@dataclass
class RequestsTable(RowTable):
    subtotal: bool = False
    subtotal_first: bool = False  # a 小计 column standing before 商业企业, by the header
    org_seen: bool = False
    spans: dict[int, ColumnMap] = field(
        default_factory=dict
    )  # grid (block no.) -> header positions
    template: str = ""
    text: list[tuple[Event, PhysRow]] = field(default_factory=list)  # text rows, read at close
    grid: list[tuple[str, list[Piece], PhysRow]] = field(default_factory=list)  # read at close
    uncertain: dict[str, str] = field(default_factory=dict)  # row -> raw of unsure numbers

    @classmethod
    def for_template(cls, template: str) -> RequestsTable:
        rows = request_rows(template)
        return cls(
            name="requests",
            rows=shared_index("request_rows", template, rows),
            headings=shared_index("request_headings", template, REQUEST_HEADINGS[template]),
            headers=shared_index("request_headers", "", (*APPLICANTS, ORG_SUBTOTAL, _GROUP_HEADER)),
            order=_order(template),
            template=template,
        )

    # --- rows are aligned as a whole (parse/text_align.py) where labels need it ------------
    def feed(self, label: str, values: list[Piece], row: PhysRow) -> None:
        if row.grid:
            self.grid.append((label, values, row))
        else:
            self.text.append((Event(label, values, row.raw), row))

    def close(self) -> None:
        grid, self.grid = self.grid, []
        if any(self._damaged(label, values, row) for label, values, row in grid):
            self.align_rows(
                [(Event(lab, vals, row.raw, whole=True), row) for lab, vals, row in grid]
            )
        else:
            for label, values, row in grid:
                super().feed(label, values, row)
        text, self.text = self.text, []
        if any(_pdf_like(event, row) for event, row in text):
            self.align_rows(text)
        else:
            for event, row in text:
                super().feed(event.label, event.values, row)
        super().close()

    def _damaged(self, label: str, values: list[Piece], row: PhysRow) -> bool:
        """A grid row with numbers whose label names no row, header or heading: a damaged
        label (a missing character, group-label characters interleaved, a wrap), which the
        lookup would leave unmatched; the table is then aligned by order and similarity."""
        if not label or self.rows.match(label) or all(v.blank for v in values):
            return False  # the common case first: a label the lookup finds (cached)
        if self.headers.first(label) or self.headings.first(label):
            return False
        # Words in a value cell ("约3件") lengthen the label: the row is found by its first cells.
        texts = [p.text for p in row.cells if not p.blank and not p.value]
        return not any(self.rows.match(" ".join(texts[:n])) for n in range(len(texts), 0, -1))

    def align_rows(self, rows: list[tuple[Event, PhysRow]]) -> None:
        """Read the rows by their alignment to the template: each non-exact match a
        parse.fuzzy_label finding, unsure numbers unread, stray lines unmatched."""
        events = [e for e, _row in rows]
        lines = self.rows.lines
        if self.template == V2021:
            at = next(i for i, r in enumerate(lines) if r.code == OTHER_PARTS[0])
            lines = (*lines[:at], OTHER_ROW, *lines[at:])
        index = shared_index("request_rows_aligned", self.template, lines)
        found = align(events, lines, index, GROUP_CHARS[self.template], OPTIONAL_ROWS)
        first = len(events) if found.first is None else found.first
        # A grid continued on a page may repeat its header (words only, no numbers) later on.
        later = {i for i, (e, row) in enumerate(rows) if row.grid and not has_numbers(e)}
        later -= {i for m in found.matches.values() for i in m.pieces}
        for i, (event, row) in enumerate(rows):
            if (i < first or i in later) and self.is_header(event.label):
                self.anchored = True
                self.on_header(event.label, row)
        for code, match in found.matches.items():
            self.anchored = self.started = True
            if match.fuzzy:
                printed = " ".join(events[i].label for i in match.pieces)
                self.findings.append(fuzzy(self.name, match.line, printed))
            got = found.values.get(code, [])
            if code == OTHER_ROW.code and self.template == V2021 and not got:
                continue  # the heading of v2021's three (六) rows, as the format prints it
            if code in found.uncertain:
                self.uncertain[code] = found.uncertain[code]
                continue
            self.read[code] = _row_read(match, got, rows)
        for code, raw in found.uncertain.items():
            self.uncertain.setdefault(code, raw)
        for i in dict.fromkeys((*found.unmatched, *found.stray)):
            self.unmatched(events[i].raw)

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
        short: list[ShortRow] = []
        read: dict[str, list[Cell]] = {}
        for line in self._lines():
            got = self.read.get(line.code)
            if line.code in self.uncertain:
                out.findings.append(unsure(self.name, line, self.uncertain[line.code]))
                out.cells += unread_cells(self.name, line.code, self.columns)
                continue
            if line.code == OTHER_ROW.code and self.template == V2021 and got is not None:
                out.findings.append(other_as_one_row(self.name, got.raw))
            if got is None:
                out.findings.append(missing_row(self.name, line))
                out.cells += unread_cells(self.name, line.code, self.columns)
                continue
            pieces = self.row_pieces(got, self.columns)
            out_cells = row_cells(self.name, line.code, self.columns, pieces, got.raw, out)
            if out_cells is None:
                short.append(ShortRow(line.code, pieces, got.raw))
            else:
                out.cells += out_cells
                read[line.code] = out_cells
        if short:  # rebuilt rows come last: the cells are put back in row order
            rows = [line.code for line in self._lines()]
            rebuilt = rebuild(self.name, rows, self.columns, read, short)
            out.cells += rebuilt.cells
            out.findings += rebuilt.findings
            column_order = {c: i for i, c in enumerate(self.columns)}
            row_order = {line.code: i for i, line in enumerate(self._lines())}
            out.cells.sort(key=lambda c: (row_order[c.row], column_order[c.column]))
        return out

    def _lines(self) -> tuple[Line, ...]:
        """The rows to give cells for: the template's, and `other` where v2021 printed it."""
        lines = self.rows.lines
        if self.template != V2021 or OTHER_ROW.code not in self.read:
            return lines
        at = next(i for i, r in enumerate(lines) if r.code == OTHER_PARTS[0])
        return (*lines[:at], OTHER_ROW, *lines[at:])


def _row_read(match: Match, got: list[int], rows: list[tuple[Event, PhysRow]]) -> RowRead:
    """The row as read from its aligned lines. A grid row is kept whole (its cells are placed
    by the header's columns), also when all its cells are blank: blank cells are real there."""
    if not got and rows[match.pieces[-1]][1].grid:
        got = [match.pieces[-1]]
    pieces = [v for i in got for v in rows[i][0].values]
    raws = [rows[i][0].raw for i in sorted({*match.pieces, *got})]
    grid = rows[got[0]][1] if len(got) == 1 and rows[got[0]][1].grid else None
    return RowRead(match.line, pieces, " / ".join(raws), grid)


def _pdf_like(event: Event, row: PhysRow) -> bool:
    """A whitespace row carrying a label with numbers or several numbers: PDF text, whose
    wrapped labels put numbers between label pieces (cell-per-line text has one per line)."""
    if row.blanks:
        return False
    filled = sum(1 for v in event.values if not v.blank)
    return filled >= 2 or (filled == 1 and bool(event.label))


def fuzzy(table: TableName, line: Line, printed: str) -> Finding:
    return finding(
        "parse.fuzzy_label",
        f"table {table}: the label {printed!r} was read as row {line.code} ({line.label}), "
        "the closest template label in its place; add it as a variant if it is one",
        table=table,
        row=line.code,
        expected=line.label,
        found=printed,
        raw=printed,
    )


def unsure(table: TableName, line: Line, raw: str) -> Finding:
    return finding(
        "parse.ambiguous_row",
        f"table {table} row {line.code}: a line of numbers stands where it may belong to this "
        "row or to its neighbour (label wrapped around the numbers); values left unread",
        table=table,
        row=line.code,
        raw=raw,
    )


def other_as_one_row(table: TableName, raw: str) -> Finding:
    return finding(
        "parse.other_as_one_row",
        f"table {table}: the v2021 table prints (六)其他处理 as one row, as v2019 did; its "
        "values are kept under row `other`, its three v2021 rows are not printed",
        table=table,
        row=OTHER_ROW.code,
        raw=raw,
    )
