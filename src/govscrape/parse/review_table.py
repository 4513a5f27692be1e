"""Table 四 (review and litigation): no row labels, 15 values in a row under a three-row header,
placed under their headers in a grid, else in order."""

from __future__ import annotations

from dataclasses import dataclass, field

from govscrape.findings import finding
from govscrape.labels import LabelIndex, key_form
from govscrape.model import Cell, Finding, TableName
from govscrape.parse.arithmetic import Rebuilt, ShortRow, row_cells, short_segments
from govscrape.parse.rows import PhysRow, Piece
from govscrape.parse.rowtable import ColumnMap, fit_pieces, grid_owners, make_cells, pick_columns
from govscrape.parse.table_outcome import Outcome, missing_table, valid_map
from govscrape.template import OUTCOMES, PROCEEDINGS, REVIEW_ANCHOR_KEYS

REVIEW_SLOTS: tuple[tuple[str, str], ...] = tuple(
    (p.code, o.code) for p in PROCEEDINGS for o in OUTCOMES
)
SLOT_CODES = tuple(f"{p}/{o}" for p, o in REVIEW_SLOTS)
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
        return len(s) <= MAX_HEADER_LEN and "," not in s and any(k in s for k in REVIEW_ANCHOR_KEYS)

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
            out.findings.append(missing_table(self.name))
            return out
        raw = " / ".join(self.raws)
        pieces = fit_pieces(self.pieces, len(REVIEW_SLOTS))
        n = len(pieces)
        if n == len(REVIEW_SLOTS) or n == 0 or n > len(REVIEW_SLOTS):
            out.cells += _flat_cells(self.name, pieces, raw, out)
            return out
        short = [ShortRow(p.code, pieces, raw) for p in PROCEEDINGS]
        out.cells += _rebuilt(self.name, short, out)
        return out


def _rebuilt(table: TableName, short: list[ShortRow], out: Outcome) -> list[Cell]:
    """The 15 values of table 四 placed (or split, if glued) by the three proceedings' totals:
    each cell read where every reading agrees on it (parse/reconstruct.py)."""
    width = len(OUTCOMES)
    rules = [
        (p * width + width - 1, tuple(range(p * width, p * width + width - 1))) for p in range(3)
    ]
    readings = short_segments(short[0].pieces, len(REVIEW_SLOTS), rules)
    columns = tuple(o.code for o in OUTCOMES)
    cells: list[Cell] = []
    for p, row in enumerate(short):
        part = None if readings is None else readings[p]
        rebuilt = Rebuilt()
        cells += row_cells(table, row, columns, part, rebuilt)
        out.findings += rebuilt.findings
    return cells


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
