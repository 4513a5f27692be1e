"""The three national tables as readers: 二 (active disclosure), 三 (requests), 四 (review/litigation).

Each turns what it collected into canonical cells once the document has been read. In a grid
whose header locates every column, a row's cells are taken from under their headers (so spare
empty columns and a 小计 column anywhere do not shift them); otherwise, and in text, rows with
the right number of cells are read as they stand, surplus cells are a parse.cell_count finding,
short rows are placed by arithmetic only when exactly one placement fits, else left unread.
In text, a 小计 column stands where the header words put it (before 商业企业 or after 其他).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from govscrape.findings import finding
from govscrape.model import Cell, Finding, TableName
from govscrape.parse.arithmetic import place_by_arithmetic
from govscrape.parse.labels import LabelIndex, key_form, normalise
from govscrape.parse.rows import PhysRow, Piece
from govscrape.parse.rowtable import (
    ColumnMap,
    RowTable,
    fit_pieces,
    grid_owners,
    make_cells,
    pick_columns,
    unread_cells,
)
from govscrape.template import (
    ACTIVE_DISCLOSURE,
    ACTIVE_DISCLOSURE_HEADER_KEYS,
    APPLICANT_GROUP_LABELS,
    APPLICANTS,
    BALANCE_NOTE_KEYS,
    OPTIONAL_ITEMS,
    ORG_SUBTOTAL,
    OUTCOMES,
    PROCEEDINGS,
    REQUEST_HEADINGS,
    REVIEW_HEADER_KEYS,
    Block,
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
HEADER_UNITS = (("万元", "万元"), ("单位:元", "元"))
_GROUP_HEADER = Line(
    "applicant_group", "申请人情况", (*APPLICANT_GROUP_LABELS, *BALANCE_NOTE_KEYS), "Header words"
)
_AD_HEADER = Line("info", "信息内容", ACTIVE_DISCLOSURE_HEADER_KEYS, "Header word")
_INDEXES: dict[tuple[str, str], LabelIndex] = {}


def _index(name: str, template: str, lines) -> LabelIndex:
    """Label indexes are built once per template and shared, so their caches stay warm."""
    key = (name, template)
    if key not in _INDEXES:
        _INDEXES[key] = LabelIndex(lines)
    return _INDEXES[key]


@dataclass
class Outcome:
    """Cells and findings of one table."""

    cells: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


# --- table 三 ---------------------------------------------------------------------------------


def valid_map(spans: ColumnMap, columns: tuple[str, ...]) -> ColumnMap | None:
    """The header's map when it locates every column, without two columns overlapping."""
    if len(spans) < len(columns) or any(c not in spans for c in columns):
        return None
    ranges = sorted(spans[c] for c in columns)
    if any(a_end > b_start for (_a, a_end), (b_start, _b) in pairwise(ranges)):
        return None
    return {c: spans[c] for c in columns}


def header_spans(row: PhysRow, index: LabelIndex, codes, found: ColumnMap) -> None:
    """Record where each column header of `codes` stands in a grid header row."""
    for p in row.cells:
        if p.copy or p.blank:
            continue
        line = index.first(p.text)
        if line is not None and line.code in codes:
            found[line.code] = (p.col, p.end)


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
            rows=_index("request_rows", template, rows),
            headings=_index("request_headings", template, REQUEST_HEADINGS[template]),
            headers=_index("request_headers", "", (*APPLICANTS, ORG_SUBTOTAL, _GROUP_HEADER)),
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
            out.findings.append(_missing_table(self.name))
            return out
        short: list[tuple[str, list[Piece], str]] = []
        for line in self.rows.lines:
            got = self.read.get(line.code)
            if got is None:
                out.findings.append(_missing_row(self.name, line))
                out.cells += unread_cells(self.name, line.code, self.columns)
                continue
            pieces = self.row_pieces(got, self.columns)
            out_cells = _row_cells(self.name, line.code, self.columns, pieces, got.raw, out)
            if out_cells is None:
                short.append((line.code, pieces, got.raw))
            else:
                out.cells += out_cells
        _resolve_short_rows(self.name, short, self.columns, out)
        column_order = {c: i for i, c in enumerate(self.columns)}
        out.cells.sort(key=lambda c: (self.order[c.row], column_order[c.column]))
        return out


def _row_cells(
    table: TableName, row: str, columns: tuple[str, ...], pieces: list[Piece], raw: str, out
) -> list[Cell] | None:
    """Cells for a row that can be read as it stands; None when it is short (ambiguous)."""
    if len(pieces) == len(columns):
        return make_cells(table, row, columns, pieces, None)
    if not pieces:  # a label and no cell at all: every cell of the row was left blank
        return [Cell(table, row, c, None, "blank", None) for c in columns]
    if len(pieces) > len(columns):
        out.findings.append(
            finding(
                "parse.cell_count",
                f"table {table} row {row}: {len(pieces)} cells for {len(columns)} columns; "
                "values left unread",
                table=table,
                row=row,
                expected=len(columns),
                found=len(pieces),
                raw=raw,
            )
        )
        return unread_cells(table, row, columns)
    return None


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
            out.findings.append(_ambiguous(table, row, len(pieces), len(columns), raw))
            placed = unread_cells(table, row, columns)
        else:
            out.findings.append(_resolved(table, row, len(pieces), len(columns), raw))
            known.update({(c.row, c.column): c for c in placed})
        out.cells += placed


# --- table 二 ---------------------------------------------------------------------------------


@dataclass
class ActiveTable(RowTable):
    template: str = ""
    captions: LabelIndex | None = None
    blocks: dict[str, Block] = field(default_factory=dict)  # item code -> its block
    block: Block | None = None
    units: dict[str, str] = field(default_factory=dict)  # block group -> unit from its header
    spans: dict[tuple[str, int], ColumnMap] = field(default_factory=dict)  # (group, grid)

    @classmethod
    def for_template(cls, template: str) -> ActiveTable:
        blocks = ACTIVE_DISCLOSURE[template]
        items = [item for b in blocks for item in b.items]
        metrics = {m.code: m for b in blocks for m in b.metrics}
        captions = [Line(b.group, b.group, b.keys, "block caption") for b in blocks]
        return cls(
            name="active_disclosure",
            rows=_index("ad_items", template, items),
            headings=_index("none", "", ()),
            headers=_index("ad_headers", template, (*metrics.values(), _AD_HEADER)),
            order={item.code: i for i, item in enumerate(items)},
            template=template,
            captions=_index("ad_captions", template, captions),
            blocks={item.code: b for b in blocks for item in b.items},
        )

    def width(self, line: Line) -> int:
        return len(self.blocks[line.code].metrics)

    def is_anchor(self, label: str) -> bool:
        return self.captions.first(label) is not None

    def on_other(self, label: str) -> bool:
        caption = self.captions.first(label)
        if caption is None:
            return False
        self.block = next(b for b in ACTIVE_DISCLOSURE[self.template] if b.group == caption.code)
        return True

    def on_header(self, label: str, row: PhysRow) -> None:
        if self.block is None:
            return
        text = normalise(label)
        for mark, unit in HEADER_UNITS:
            if mark in text:
                self.units[self.block.group] = unit
                break
        if row.grid:
            found = self.spans.setdefault((self.block.group, row.table), {})
            codes = {m.code for m in self.block.metrics}
            header_spans(row, self.headers, codes, found)

    def layout_key(self, line: Line) -> str:
        return self.blocks[line.code].group

    def column_map(self, line: Line, table: int) -> ColumnMap | None:
        block = self.blocks[line.code]
        spans = self.spans.get((block.group, table))
        return valid_map(spans, tuple(m.code for m in block.metrics)) if spans else None

    def label_end(self, table: int) -> int | None:
        if self.block is None or not (spans := self.spans.get((self.block.group, table))):
            return None
        return min(start for start, _end in spans.values())

    def outcome(self) -> Outcome:
        out = Outcome(findings=list(self.findings))
        if not self.anchored:
            out.findings.append(_missing_table(self.name))
            return out
        for line in self.rows.lines:
            block = self.blocks[line.code]
            columns = tuple(m.code for m in block.metrics)
            got = self.read.get(line.code)
            if got is None:
                if line.code not in OPTIONAL_ITEMS:
                    out.findings.append(_missing_row(self.name, line))
                    out.cells += unread_cells(self.name, line.code, columns)
                continue
            pieces = self.row_pieces(got, columns)
            if len(pieces) == len(columns):
                out.cells += make_cells(self.name, line.code, columns, pieces, self._units(block))
                continue
            cells = _row_cells(self.name, line.code, columns, pieces, got.raw, out)
            if cells is None:
                out.findings.append(
                    _ambiguous(self.name, line.code, len(pieces), len(columns), got.raw)
                )
                cells = unread_cells(self.name, line.code, columns)
            out.cells += cells
        return out

    def _units(self, block: Block):
        metric_units = {m.code: m.unit for m in block.metrics}
        header_unit = self.units.get(block.group)

        def unit(column: str, cell_unit: str | None) -> str | None:
            if cell_unit:
                return cell_unit
            if column == "amount":
                return header_unit or metric_units.get(column)
            return None

        return unit


# --- table 四 ---------------------------------------------------------------------------------

REVIEW_SLOTS: tuple[tuple[str, str], ...] = tuple(
    (p.code, o.code) for p in PROCEEDINGS for o in OUTCOMES
)
SLOT_CODES = tuple(f"{p}/{o}" for p, o in REVIEW_SLOTS)
_REVIEW_ANCHOR_KEYS = (*REVIEW_HEADER_KEYS, "结果维持", "复议后起诉")
_PROCEEDING_INDEX = LabelIndex(PROCEEDINGS)
_OUTCOME_INDEX = LabelIndex(OUTCOMES)
MAX_HEADER_LEN = 24  # the longest header row as one line: 行政复议 行政诉讼 未经复议直接起诉 …


@dataclass
class ReviewTable:
    """Table 四 has no row labels: 15 values in a row under a three-row header."""

    name: TableName = "review_litigation"
    pieces: list[Piece] = field(default_factory=list)
    raws: list[str] = field(default_factory=list)
    anchored: bool = False
    findings: list[Finding] = field(default_factory=list)
    # grid (block no.) -> header positions of the proceedings, and of the outcome headers
    proceeding_spans: dict[int, ColumnMap] = field(default_factory=dict)
    outcome_spans: dict[int, list[tuple[str, tuple[int, int]]]] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return len(self.pieces) >= len(REVIEW_SLOTS)

    def is_anchor(self, label: str) -> bool:
        s = key_form(label)
        return (
            len(s) <= MAX_HEADER_LEN and "," not in s and any(k in s for k in _REVIEW_ANCHOR_KEYS)
        )

    def feed(self, label: str, values: list[Piece], row: PhysRow) -> None:
        if label and self.is_anchor(label):
            self.anchored = True
        if row.grid and self.anchored and not self.done and label:
            self.learn_spans(row)
        if not self.anchored or self.done or not values:
            return  # values before the header are prose around the table
        has_value = any(not v.blank for v in values)
        # a row of blank cells alone is data where blank cells are real (grid, pipe text)
        if not (has_value or (row.blanks and not label)):
            return
        self.raws.append(row.raw)
        spans = self.slot_map(row.table) if row.grid and not self.pieces else None
        owner = grid_owners(spans, SLOT_CODES) if spans else None
        placed = pick_columns(row.cells, len(SLOT_CODES), owner) if owner else None
        if placed is not None:
            self.pieces = placed
        else:
            self.pieces.extend(v for v in values if not v.copy)

    def learn_spans(self, row: PhysRow) -> None:
        """Where the proceeding and outcome headers of a grid stand."""
        proceedings = self.proceeding_spans.setdefault(row.table, {})
        outcomes = self.outcome_spans.setdefault(row.table, [])
        for p in row.cells:
            if p.copy or p.blank:
                continue
            if (line := _PROCEEDING_INDEX.first(p.text)) is not None:
                proceedings[line.code] = (p.col, p.end)
            elif (line := _OUTCOME_INDEX.first(p.text)) is not None:
                outcomes.append((line.code, (p.col, p.end)))

    def slot_map(self, table: int) -> ColumnMap | None:
        """Grid columns of the 15 values, each outcome header under its proceeding."""
        proceedings = self.proceeding_spans.get(table, {})
        slots: ColumnMap = {}
        for outcome, (start, end) in self.outcome_spans.get(table, []):
            for proceeding, (p_start, p_end) in proceedings.items():
                if p_start <= start and end <= p_end:
                    slots[f"{proceeding}/{outcome}"] = (start, end)
        return valid_map(slots, SLOT_CODES)

    def close(self) -> None:
        pass

    def outcome(self) -> Outcome:
        out = Outcome(findings=list(self.findings))
        if not self.anchored:
            out.findings.append(_missing_table(self.name))
            return out
        raw = " / ".join(self.raws)
        pieces = fit_pieces(self.pieces, len(REVIEW_SLOTS))
        n = len(pieces)
        if n == len(REVIEW_SLOTS) or n == 0 or n > len(REVIEW_SLOTS):
            out.cells += _flat_cells(self.name, pieces, raw, out)
            return out
        placed = place_by_arithmetic(self.name, list(REVIEW_SLOTS), pieces, {})
        if placed is None:
            out.findings.append(_ambiguous(self.name, None, n, len(REVIEW_SLOTS), raw))
            placed = [Cell(self.name, r, c, None, "unread", None) for r, c in REVIEW_SLOTS]
        else:
            out.findings.append(_resolved(self.name, None, n, len(REVIEW_SLOTS), raw))
        out.cells += placed
        return out


def _flat_cells(table: TableName, pieces: list[Piece], raw: str, out: Outcome) -> list[Cell]:
    """Table 四's cells when its row holds exactly 15 cells, none at all, or too many."""
    columns = tuple(o.code for o in OUTCOMES)
    if len(pieces) > len(REVIEW_SLOTS):
        out.findings.append(
            finding(
                "parse.cell_count",
                f"table {table}: {len(pieces)} cells for {len(REVIEW_SLOTS)} columns; "
                "values left unread",
                table=table,
                expected=len(REVIEW_SLOTS),
                found=len(pieces),
                raw=raw,
            )
        )
        return [Cell(table, r, c, None, "unread", None) for r, c in REVIEW_SLOTS]
    if not pieces:
        return [Cell(table, r, c, None, "blank", None) for r, c in REVIEW_SLOTS]
    cells: list[Cell] = []
    for i, proceeding in enumerate(PROCEEDINGS):
        part = pieces[i * len(columns) : (i + 1) * len(columns)]
        cells += make_cells(table, proceeding.code, columns, part, None)
    return cells


# --- findings ---------------------------------------------------------------------------------


def _missing_table(table: str) -> Finding:
    return finding("parse.missing_table", f"table {table} was not found", table=table)


def _missing_row(table: str, line: Line) -> Finding:
    return finding(
        "parse.missing_row",
        f"table {table}: row {line.code} ({line.label}) was not found",
        table=table,
        row=line.code,
    )


def _ambiguous(table: str, row: str | None, n: int, width: int, raw: str) -> Finding:
    where = f"table {table}" + (f" row {row}" if row else "")
    return finding(
        "parse.ambiguous_row",
        f"{where}: {n} values read for {width} columns (blank cells vanished?) and no single "
        "placement fits the table's arithmetic; values left unread",
        table=table,
        row=row,
        expected=width,
        found=n,
        raw=raw,
    )


def _resolved(table: str, row: str | None, n: int, width: int, raw: str) -> Finding:
    where = f"table {table}" + (f" row {row}" if row else "")
    return finding(
        "parse.resolved_by_arithmetic",
        f"{where}: {n} values read for {width} columns; placed by the only reading that fits "
        "the printed totals, other cells blank",
        table=table,
        row=row,
        expected=width,
        found=n,
        raw=raw,
    )
