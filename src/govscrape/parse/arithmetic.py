"""A table's short rows rebuilt by its identities (parse/reconstruct.py), as cells and findings.

A row is short when text lost its cell positions: fewer value cells than columns (blank cells
vanished) or one glued digit run. Every row of the table takes part in the search: rows read
as printed have one reading, short rows all the readings their text allows, unread rows make
the rules they are in inapplicable. The rules are the template's (template.RULES).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from govscrape.findings import finding
from govscrape.model import Cell, Finding, TableName
from govscrape.parse.cells import read_cell
from govscrape.parse.reconstruct import (
    ColumnRule,
    Limit,
    Reading,
    RowRule,
    Token,
    agreed,
    row_readings,
    solve,
)
from govscrape.parse.rows import Piece
from govscrape.template import RULES

ZERO_TEXT_KINDS = frozenset({"blank", "dash", "none_word"})  # count as 0, as in validation


@dataclass
class ShortRow:
    """A row whose cells lost their positions: its value pieces and raw text."""

    row: str
    pieces: list[Piece]
    raw: str


@dataclass
class Rebuilt:
    cells: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def rebuild(
    table: TableName,
    rows: list[str],
    columns: tuple[str, ...],
    read: dict[str, list[Cell]],
    short: list[ShortRow],
) -> Rebuilt:
    """Cells for the short rows: read where every solution agrees, else unread with findings.
    `rows`: the table's rows in order; `read`: the cells of the rows read as printed."""
    out = Rebuilt()
    row_rules = _row_rules(table, columns)
    readings: list[list[Reading] | None] = []
    by_row = {s.row: s for s in short}
    for row in rows:
        if row in by_row:
            readings.append(short_readings(by_row[row].pieces, len(columns), row_rules))
        else:
            readings.append(_printed(read.get(row)))
    solution = _solve(table, rows, readings, len(columns), out)
    for i, row in enumerate(rows):
        if row in by_row:
            out.cells += row_cells(table, by_row[row], columns, solution[i], out)
    return out


def _solve(table, rows, readings, width, out: Rebuilt) -> list[list[Reading] | None]:
    """Per row, the readings some solution uses (None: the row could not be enumerated)."""
    index = {row: i for i, row in enumerate(rows)}
    opaque = {i for i, r in enumerate(readings) if r is None or not r}
    rules: list[ColumnRule] = []
    for rule in RULES:
        if rule.table != table or rule.per != "column":
            continue
        lhs = tuple(index[r] for r in rule.lhs if r in index)
        rhs = tuple(index[r] for r in rule.rhs if r in index)
        if lhs and rhs and not opaque & {*lhs, *rhs}:
            rules.append((lhs, rhs))
    present = [r if r is not None else [] for r in readings]
    if opaque and any(not r for r in present):
        present = [r if r else [(None,) * width] for r in present]  # placeholders, ruleless
    outcome = solve(present, rules, width)
    if outcome.limited:
        out.findings.append(
            finding(
                "parse.search_limit",
                f"table {table}: the search for the readings that fit the table's arithmetic "
                "reached its bound; the rows it was for are left unread",
                table=table,
            )
        )
        return [None] * len(rows)
    return [None if i in opaque else f for i, f in enumerate(outcome.feasible)]


def _row_rules(table: TableName, columns: tuple[str, ...]) -> list[RowRule]:
    at = {c: i for i, c in enumerate(columns)}
    return [
        (at[r.lhs[0]], tuple(at[c] for c in r.rhs))
        for r in RULES
        if r.table == table and r.per == "row" and len(r.lhs) == 1
        if all(c in at for c in (*r.lhs, *r.rhs))
    ]


def short_readings(pieces: list[Piece], width: int, rules: list[RowRule]) -> list[Reading] | None:
    tokens = []
    for p in pieces:
        text = unicodedata.normalize("NFKC", p.text).replace(",", "").strip()
        if not text.isdigit():
            return None  # a mark or a decimal among lost positions: not rebuilt
        tokens.append(Token(text))
    if len(tokens) == 1 and len(tokens[0].text) > 1 and width > 1:
        tokens = [Token(tokens[0].text, glued=True)]  # one run for a whole row: glued cells
    try:
        return row_readings(tokens, width, rules)
    except Limit:
        return None


def _printed(cells: list[Cell] | None) -> list[Reading] | None:
    """The one reading of a row read as printed; None where a cell holds no count."""
    if cells is None:
        return None
    texts: list[str | None] = []
    for c in cells:
        if c.kind == "number" and isinstance(c.value, int) and c.value >= 0:
            texts.append(str(c.value))
        elif c.kind in ZERO_TEXT_KINDS:
            texts.append(None)
        else:
            return None
    return [tuple(texts)]


def row_cells(table, short: ShortRow, columns, feasible: list[Reading] | None, out) -> list[Cell]:
    row, raw, n = short.row, short.raw, len(short.pieces)
    agree = agreed(feasible) if feasible else None
    if agree is None:
        why = "no reading fits" if feasible == [] else "more than one reading fits"
        out.findings.append(_finding("parse.ambiguous_row", table, row, n, columns, raw, why))
        return [Cell(table, row, c, None, "unread", None) for c in columns]
    cells = []
    for column, text in zip(columns, agree, strict=True):
        if text is True:
            cells.append(Cell(table, row, column, None, "zero_or_blank", None))
        elif text is None:
            cells.append(Cell(table, row, column, None, "blank", None))
        else:
            v = read_cell(text)
            cells.append(Cell(table, row, column, v.value, v.kind, raw, v.unit))
    out.findings.append(_finding("parse.resolved_by_arithmetic", table, row, n, columns, raw, ""))
    unsure = [c.column for c in cells if c.kind == "zero_or_blank"]
    if unsure:
        out.findings.append(
            finding(
                "parse.zero_or_blank",
                f"table {table} row {row}: columns {', '.join(unsure)} are 0 or blank — the "
                "table's arithmetic cannot tell which; neither is picked",
                table=table,
                row=row,
                raw=raw,
            )
        )
    return cells


def _finding(code, table, row, n, columns, raw, why) -> Finding:
    if code == "parse.ambiguous_row":
        message = (
            f"table {table} row {row}: {n} value(s) read for {len(columns)} columns (blank cells "
            f"vanished or cells glued); {why} the table's arithmetic; values left unread"
        )
    else:
        message = (
            f"table {table} row {row}: {n} value(s) read for {len(columns)} columns; every "
            "reading that fits the table's arithmetic gives these values"
        )
    return finding(code, message, table=table, row=row, expected=len(columns), found=n, raw=raw)
