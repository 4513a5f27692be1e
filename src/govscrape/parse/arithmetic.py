"""A table's short rows rebuilt by its identities (parse/reconstruct.py), as cells and findings.

A row is short when text lost its cell positions: fewer value cells than columns (blank cells
vanished) or one glued digit run. Every row of the table takes part in the search: rows read
as printed have one reading, short rows all the readings their text allows, unread rows (and
short rows no reading of which fits) make the rules they are in inapplicable. The rules are the
template's (template.RULES). A cell is read where every solution agrees on it, even when its
row's other cells stay unread.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from govscrape.findings import finding
from govscrape.model import Cell, Finding, TableName
from govscrape.parse.cells import read_cell
from govscrape.parse.column_search import ColumnRule, search
from govscrape.parse.reconstruct import (
    UNDECIDED,
    ZERO_OR_BLANK,
    Limit,
    Reading,
    RowRule,
    Token,
    agreed,
    row_readings,
    segment_readings,
)
from govscrape.parse.rows import Piece
from govscrape.template import RULES

T = TypeVar("T")
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
    """Cells for the short rows: each cell read where every solution agrees on it, else
    unread with a finding naming its row. `rows`: the table's rows in order; `read`: the cells
    of the rows read as printed."""
    out = Rebuilt()
    row_rules = _row_rules(table, columns)
    by_row = {s.row: s for s in short}
    readings: list[list[Reading] | None] = []
    for row in rows:
        if row in by_row:
            readings.append(short_readings(by_row[row].pieces, len(columns), row_rules))
        else:
            readings.append(_printed(read.get(row)))
    allowed = _allowed(table, rows, readings, len(columns), out)
    for i, row in enumerate(rows):
        if row in by_row:
            out.cells += row_cells(table, by_row[row], columns, allowed[i], out)
    return out


def _allowed(table, rows, readings, width, out: Rebuilt) -> list[list[Reading] | None]:
    """Per row, the readings that agree with every cell value some solution of the table
    gives (parse/column_search.py); None for a row that could not be enumerated."""
    opaque = {i for i, r in enumerate(readings) if not r}  # unread, or no reading fits
    rules = _column_rules(table, rows, opaque)
    members = sorted({i for lhs, rhs in rules for i in (*lhs, *rhs)})
    vectors = {i: [_vector(x) for x in r] for i, r in enumerate(readings) if r}
    distinct = [sorted(set(vectors[i])) for i in members]
    solved = search(distinct, [_renumber(rule, members) for rule in rules], width)
    if solved.limited:
        out.findings.append(
            finding(
                "parse.search_limit",
                f"table {table}: the joint search for the readings that fit the table's "
                "arithmetic reached its bound; cells are read only where the checks made "
                "before it decide them",
                table=table,
            )
        )
    values = dict(zip(members, solved.values, strict=True))
    allowed: list[list[Reading] | None] = []
    for i, r in enumerate(readings):
        if r is None or not solved.feasible:
            allowed.append(None if r is None else [])
        elif i in values:
            cells = values[i]
            allowed.append(
                [
                    x
                    for x, v in zip(r, vectors[i], strict=True)
                    if all(map(set.__contains__, cells, v))
                ]
            )
        else:
            allowed.append(list(r))  # in no rule the search could use: every reading stands
    return allowed


def _column_rules(table: TableName, rows: list[str], opaque: set[int]) -> list[ColumnRule]:
    """The template's column rules over the rows present, without those an unread row is in."""
    index = {row: i for i, row in enumerate(rows)}
    rules: list[ColumnRule] = []
    for rule in RULES:
        if rule.table != table or rule.per != "column":
            continue
        lhs = tuple(index[r] for r in rule.lhs if r in index)
        rhs = tuple(index[r] for r in rule.rhs if r in index)
        if lhs and rhs and not opaque & {*lhs, *rhs}:
            rules.append((lhs, rhs))
    return rules


def _renumber(rule: ColumnRule, members: list[int]) -> ColumnRule:
    at = {row: k for k, row in enumerate(members)}
    return tuple(at[i] for i in rule[0]), tuple(at[i] for i in rule[1])


def _vector(reading: Reading) -> tuple[int, ...]:
    return tuple([int(x) if x is not None and x.isdigit() else 0 for x in reading])


def _row_rules(table: TableName, columns: tuple[str, ...]) -> list[RowRule]:
    at = {c: i for i, c in enumerate(columns)}
    return [
        (at[r.lhs[0]], tuple(at[c] for c in r.rhs))
        for r in RULES
        if r.table == table and r.per == "row" and len(r.lhs) == 1
        if all(c in at for c in (*r.lhs, *r.rhs))
    ]


def short_readings(pieces: list[Piece], width: int, rules: list[RowRule]) -> list[Reading] | None:
    """Every reading of a short row's numbers; None when they cannot be enumerated (a mark
    among them, or too many readings)."""
    return _enumerated(row_readings, pieces, width, rules)


def short_segments(
    pieces: list[Piece], width: int, rules: list[RowRule]
) -> list[list[Reading]] | None:
    """Per segment of a short row (parse/reconstruct.py: segment_readings), its readings."""
    return _enumerated(segment_readings, pieces, width, rules)


def _enumerated(reader: Callable[..., T], pieces: list[Piece], width: int, rules) -> T | None:
    tokens = _tokens(pieces, width)
    if tokens is None:
        return None
    try:
        return reader(tokens, width, rules)
    except Limit:
        return None


def _tokens(pieces: list[Piece], width: int) -> list[Token] | None:
    tokens = []
    for p in pieces:
        text = unicodedata.normalize("NFKC", p.text).replace(",", "").strip()
        if not text.isdigit():
            return None  # a mark or a decimal among lost positions: not rebuilt
        tokens.append(Token(text))
    if len(tokens) == 1 and len(tokens[0].text) > 1 and width > 1:
        tokens = [Token(tokens[0].text, glued=True)]  # one run for a whole row: glued cells
    return tokens


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


def row_cells(
    table, short: ShortRow, columns, readings: list[Reading] | None, out, why: str = ""
) -> list[Cell]:
    """The row's cells from the readings the table allows: a cell they agree on is read, one
    they agree on only as 0 is `zero_or_blank`, the others unread; findings name the row."""
    row, raw, n = short.row, short.raw, len(short.pieces)
    if not readings:
        why = why or (
            "no reading fits the table's arithmetic"
            if readings == []
            else "its text cannot be enumerated"
        )
        out.findings.append(_finding("parse.ambiguous_row", table, row, n, columns, raw, why))
        return [Cell(table, row, c, None, "unread", None) for c in columns]
    cells = []
    for column, text in zip(columns, agreed(readings), strict=True):
        if text in (ZERO_OR_BLANK, UNDECIDED):
            kind = "zero_or_blank" if text == ZERO_OR_BLANK else "unread"
            cells.append(Cell(table, row, column, None, kind, None))  # type: ignore[arg-type]
        elif text is None:
            cells.append(Cell(table, row, column, None, "blank", None))
        else:
            v = read_cell(text)
            cells.append(Cell(table, row, column, v.value, v.kind, raw, v.unit))
    undecided = [c.column for c in cells if c.kind == "unread"]
    if undecided:
        why = f"columns {', '.join(undecided)} take different values in the readings that fit"
        out.findings.append(_finding("parse.ambiguous_row", table, row, n, columns, raw, why))
    if len(undecided) < len(cells):
        out.findings.append(_finding("parse.resolved_by_arithmetic", table, row, n, columns, raw))
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


def _finding(code, table, row, n, columns, raw, why: str = "") -> Finding:
    if code == "parse.ambiguous_row":
        message = (
            f"table {table} row {row}: {n} value(s) read for {len(columns)} columns (blank cells "
            f"vanished or cells glued); {why}; those values are left unread"
        )
    else:
        message = (
            f"table {table} row {row}: {n} value(s) read for {len(columns)} columns; every "
            "reading that fits the table's arithmetic gives the values read"
        )
    return finding(code, message, table=table, row=row, expected=len(columns), found=n, raw=raw)
