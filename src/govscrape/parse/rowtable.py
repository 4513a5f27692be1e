"""A table read by anchoring on its row labels in template order (tables 二 and 三).

Rows arrive as (label, value cells) from any input form. A matched label opens a row that
collects value cells until it has as many as the template has columns (cell-per-line text
spreads them over lines). Labels wrapped over several lines are rejoined with the lines just
before them; numbers that came before the rest of their label wait as orphans. A grid row is
kept whole, to be placed by the column positions its table's header gave (`pick_columns`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govscrape.findings import finding
from govscrape.labels import LabelIndex, key_form
from govscrape.model import Cell, Finding, TableName
from govscrape.parse.cells import read_cell
from govscrape.parse.rows import PhysRow, Piece
from govscrape.template import Line

BUFFER_LINES = 3  # a label wraps over at most three lines in real PDFs
GENERIC_KEY_LEN = 2  # 其他/总计/规章: so generic they only count where the next row is due
GENERIC_WINDOW = 2
UNMATCHED_MAX_LEN = 60  # longer "labels" are prose around the table, not unknown rows


ColumnMap = dict[str, tuple[int, int]]  # column code -> grid columns under its header


@dataclass(slots=True)
class Pending:
    """A matched row still collecting its value cells."""

    line: Line
    pieces: list[Piece]
    raws: list[str]
    grid: PhysRow | None = None


@dataclass(slots=True)
class RowRead:
    """What was read for one template row: its value pieces, the raw text, and (from a grid)
    the whole grid row, whose cells can be placed by the header's column positions."""

    line: Line
    pieces: list[Piece]
    raw: str
    grid: PhysRow | None = None


@dataclass
class RowTable:
    """State of one row-anchored table while the document streams through."""

    name: TableName
    rows: LabelIndex
    headings: LabelIndex
    headers: LabelIndex
    order: dict[str, int]
    findings: list[Finding] = field(default_factory=list)
    read: dict[str, RowRead] = field(default_factory=dict)
    anchored: bool = False
    started: bool = False
    cursor: int = 0
    pending: Pending | None = None
    buffer: list[str] = field(default_factory=list)
    orphans: list[Piece] = field(default_factory=list)
    orphan_raws: list[str] = field(default_factory=list)
    layouts: dict[tuple[int, str], list[int] | None] = field(default_factory=dict)

    # --- hooks for the concrete tables ---------------------------------------------------
    def width(self, line: Line) -> int:
        raise NotImplementedError

    def is_header(self, label: str) -> bool:
        """Whether the label is a header row's (column labels)."""
        return self.headers.first(label) is not None

    def on_header(self, label: str, row: PhysRow) -> None:
        """A header row (column labels): tables may learn columns, positions or units."""

    def on_other(self, label: str) -> bool:
        """A label that is neither row, heading nor header (e.g. a block caption)."""
        return False

    def column_map(self, line: Line, table: int) -> ColumnMap | None:
        """Where the row's columns stand in this grid (document block), if its header said so."""
        return None

    def label_end(self, table: int) -> int | None:
        """The first grid column of the data under the current header, if known."""
        return None

    # --- the stream ------------------------------------------------------------------------
    def feed(self, label: str, values: list[Piece], row: PhysRow) -> None:
        if label:
            self.feed_label(label, values, row)
        elif values:
            self.feed_values(values, row.raw)

    def feed_label(self, label: str, values: list[Piece], row: PhysRow) -> None:
        raw, grid = row.raw, row.grid
        if self.on_other(label):
            self.anchored = True
            self.close_pending()
            self.buffer.clear()
            return
        header = self.is_header(label)
        line = self.match_row(label)
        if header and (not self.started or line is None):
            self.anchored = True
            self.on_header(label, row)
            return
        if line is None and grid and (left := self.left_label(row)) not in (None, label):
            line = self.match_row(left)  # words standing in the data columns, not the label
        if line is not None:
            self.open_row(line, values, row, via_join=False)
            return
        if self.headings.first(label) is not None:
            self.close_pending()
            self.buffer.clear()
            if any(not v.blank for v in values):
                self.unmatched(raw)  # e.g. a subtotal row the national grid does not have
            return
        joined = self.match_joined(label)
        if joined is not None:
            self.open_row(joined, values, row, via_join=True)
        else:
            self.feed_unknown(label, values, raw, grid)

    def left_label(self, row: PhysRow) -> str | None:
        """The text of a grid row's cells left of the data columns the header located."""
        end = self.label_end(row.table)
        if end is None:
            return None
        return " ".join([p.text for p in row.cells if p.end <= end and not p.blank])

    def feed_values(self, values: list[Piece], raw: str) -> None:
        p = self.pending
        if p is not None and len(p.pieces) < self.width(p.line):
            p.pieces.extend(values)
            p.raws.append(raw)
            if len(p.pieces) >= self.width(p.line):
                self.close_pending()
        elif any(not v.blank for v in values):
            self.orphans.extend(values)
            self.orphan_raws.append(raw)

    def feed_unknown(self, label: str, values: list[Piece], raw: str, grid: bool) -> None:
        p = self.pending
        if values and p is not None and not p.pieces and not grid:
            # the rest of a wrapped label, carrying the numbers of the row it continues
            self.feed_values(values, raw)
            return
        if values and grid:
            self.unmatched(raw)
        elif values and any(not v.blank for v in values):
            self.flush_orphans()
            self.orphans.extend(values)
            self.orphan_raws.append(raw)
        self.buffer.append(label)
        del self.buffer[:-BUFFER_LINES]

    # --- matching --------------------------------------------------------------------------
    def match_row(self, label: str) -> Line | None:
        """The first data row the label names that may come next (template order)."""
        for line in self.rows.match(label):
            index = self.order[line.code]
            if line.code in self.read:
                continue
            if index < self.cursor and not self._reopens(line):
                continue
            if self._generic(line, label) and index - self.cursor > GENERIC_WINDOW:
                continue
            return line
        return None

    def _reopens(self, line: Line) -> bool:
        p = self.pending
        return p is not None and p.line.code == line.code and not p.pieces

    def _generic(self, line: Line, label: str) -> bool:
        s = key_form(label)
        return line.exact and any(len(k) <= GENERIC_KEY_LEN and s.endswith(k) for k in line.keys)

    def match_joined(self, label: str) -> Line | None:
        for n in range(1, len(self.buffer) + 1):
            line = self.match_row("".join(self.buffer[-n:]) + label)
            if line is not None:
                return line
        return None

    # --- rows ------------------------------------------------------------------------------
    def open_row(self, line: Line, values: list[Piece], row: PhysRow, *, via_join: bool) -> None:
        if not self._reopens(line):
            self.close_pending()
        raws = [row.raw]
        if via_join and not values and self.orphans:
            values, raws = self.orphans, [*self.orphan_raws, row.raw]
            self.orphans, self.orphan_raws = [], []
        else:
            self.flush_orphans()
        self.pending = Pending(line, list(values), raws, row if row.grid else None)
        self.anchored = self.started = True
        self.cursor = self.order[line.code] + 1
        self.buffer.clear()
        if row.grid or len(values) >= self.width(line):
            self.close_pending()

    def close_pending(self) -> None:
        p, self.pending = self.pending, None
        if p is not None:
            self.read[p.line.code] = RowRead(p.line, p.pieces, " / ".join(p.raws), p.grid)

    def flush_orphans(self) -> None:
        if self.orphans:
            self.unmatched(" / ".join(self.orphan_raws))
            self.orphans, self.orphan_raws = [], []

    def unmatched(self, raw: str) -> None:
        if self.anchored and len(key_form(raw)) <= UNMATCHED_MAX_LEN:
            self.findings.append(
                finding(
                    "parse.unmatched_label",
                    f"table {self.name}: a row whose label matches no row of the template: {raw!r}",
                    table=self.name,
                    raw=raw,
                )
            )

    def close(self) -> None:
        self.close_pending()
        self.flush_orphans()
        self.buffer.clear()

    def layout_key(self, line: Line) -> str:
        """What decides a row's columns besides its grid (a block of table 二; one for 三)."""
        return ""

    def row_pieces(self, got: RowRead, columns: tuple[str, ...]) -> list[Piece]:
        """The row's cells for `columns`: by the header's grid positions where a header
        located every column, else its value cells trimmed to the template's width."""
        if got.grid is not None:
            key = (got.grid.table, self.layout_key(got.line))
            if key not in self.layouts:  # worked out once the whole table has been read
                spans = self.column_map(got.line, got.grid.table)
                self.layouts[key] = grid_owners(spans, columns) if spans else None
            owner = self.layouts[key]
            placed = pick_columns(got.grid.cells, len(columns), owner) if owner else None
            if placed is not None:
                return placed
        return fit_pieces(got.pieces, len(columns), grid=got.grid is not None)


def pick_columns(cells: list[Piece], n: int, owner: list[int]) -> list[Piece] | None:
    """The cell under each of the `n` columns, by grid position (`owner`: the column index
    above each grid column, see `grid_owners`). None where the positions do not decide: a
    column with two filled cells under it, a filled cell reaching under two, or a filled cell
    right of the labels under no header at all (the rows do not line up with the header)."""
    width = len(owner)
    first = next(c for c, i in enumerate(owner) if i >= 0)  # where the data columns start
    under: list[Piece | None] = [None] * n
    filled: list[Piece | None] = [None] * n
    for p in cells:
        col = p.col
        full = p.copy or not p.blank
        if full and col < first < p.end:
            return None  # a label reaching under the headers: the row is not lined up
        if p.end == col + 1:  # the common case: a cell one grid column wide
            i = owner[col] if col < width else -1
            touched: tuple[int, ...] | set[int] = (i,) if i >= 0 else ()
        else:
            touched = {i for c in range(col, min(p.end, width)) if (i := owner[c]) >= 0}
        if not touched:
            if full and p.end > first:
                return None  # a filled cell under no header, right of the labels
            continue
        if full and len(touched) > 1:
            return None
        for i in touched:
            if under[i] is None:
                under[i] = p
            if full:
                if filled[i] is not None:
                    return None
                filled[i] = p
    out = [f or u for f, u in zip(filled, under, strict=True)]
    return None if None in out else out  # type: ignore[return-value]


def grid_owners(spans: ColumnMap, columns: tuple[str, ...]) -> list[int]:
    """For each grid column, the index in `columns` of the header above it (-1: none)."""
    owner = [-1] * max(end for _start, end in spans.values())
    for i, code in enumerate(columns):
        start, end = spans[code]
        owner[start:end] = [i] * (end - start)
    return owner


def fit_pieces(pieces: list[Piece], width: int, *, grid: bool = False) -> list[Piece]:
    """Drop surplus blank cells down to `width`: a grid pads short rows on the right, pipe
    text puts span padding between label and values, so each is trimmed from its own side."""
    out = list(pieces)
    ends = (-1, 0) if grid else (0, -1)
    for end in ends:
        while len(out) > width and out[end].blank:
            out.pop(end)
    return out


def make_cells(
    table: TableName, row: str, columns: tuple[str, ...], pieces: list[Piece], units
) -> list[Cell]:
    """Cells for one fully read row; `units(column, cell_unit)` decides each cell's unit
    (None: the cell's own)."""
    cells = []
    for column, piece in zip(columns, pieces, strict=True):
        if piece.copy:
            cells.append(Cell(table, row, column, None, "unread", None))
            continue
        v = read_cell(piece.text)
        unit = units(column, v.unit) if units and v.kind == "number" else v.unit
        cells.append(Cell(table, row, column, v.value, v.kind, piece.raw, unit))
    return cells


def unread_cells(table: TableName, row: str, columns: tuple[str, ...]) -> list[Cell]:
    return [Cell(table, row, column, None, "unread", None) for column in columns]
