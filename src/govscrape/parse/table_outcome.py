"""What the table readers share: their outcome (cells and findings), header column maps, and
the cells and findings of a row read as it stands."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from govscrape.findings import finding
from govscrape.labels import LabelIndex
from govscrape.model import Cell, Finding, TableName
from govscrape.parse.rows import PhysRow, Piece
from govscrape.parse.rowtable import ColumnMap, make_cells, unread_cells
from govscrape.template import Line

_INDEXES: dict[tuple[str, str], LabelIndex] = {}


def shared_index(name: str, template: str, lines) -> LabelIndex:
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


def row_cells(
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


def missing_table(table: str) -> Finding:
    return finding("parse.missing_table", f"table {table} was not found", table=table)


def missing_row(table: str, line: Line) -> Finding:
    return finding(
        "parse.missing_row",
        f"table {table}: row {line.code} ({line.label}) was not found",
        table=table,
        row=line.code,
    )


def ambiguous(table: str, row: str | None, n: int, width: int, raw: str) -> Finding:
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


def resolved(table: str, row: str | None, n: int, width: int, raw: str) -> Finding:
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
