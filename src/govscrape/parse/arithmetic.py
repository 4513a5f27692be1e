"""Choose where a short row's numbers go by the table's printed identities — never fill a value.

When blank cells vanished from flattened text, a row shows fewer numbers than columns. Each
order-preserving placement of the numbers read is tried (the other positions being blank); if
exactly one placement satisfies every identity that can be checked, it is taken.
"""

from __future__ import annotations

from itertools import combinations
from math import comb

from govscrape.model import Cell, TableName
from govscrape.parse.cells import read_cell
from govscrape.parse.rows import Piece
from govscrape.parse.validate import rule_checks
from govscrape.template import RULES

MAX_PLACEMENTS = 10_000  # beyond this the reading is hopeless anyway; keep the parser fast

Slot = tuple[str, str]  # (row, column)


def place_by_arithmetic(
    table: TableName, slots: list[Slot], pieces: list[Piece], known: dict[Slot, Cell]
) -> list[Cell] | None:
    """The cells of the single consistent placement of `pieces` into `slots`, else None."""
    if not 0 < len(pieces) < len(slots) or comb(len(slots), len(pieces)) > MAX_PLACEMENTS:
        return None
    rules = [r for r in RULES if r.table == table]
    slot_set = set(slots)
    found: list[Cell] | None = None
    for chosen in combinations(range(len(slots)), len(pieces)):
        cells = _placement(table, slots, pieces, chosen)
        trial = dict(known)
        trial.update({(c.row, c.column): c for c in cells})
        if _consistent(rules, trial, slot_set):
            if found is not None:
                return None  # two readings fit: ambiguous
            found = cells
    return found


def _placement(
    table: TableName, slots: list[Slot], pieces: list[Piece], chosen: tuple[int, ...]
) -> list[Cell]:
    by_slot = dict(zip(chosen, pieces, strict=True))
    cells = []
    for i, (row, column) in enumerate(slots):
        piece = by_slot.get(i)
        if piece is None:
            cells.append(Cell(table, row, column, None, "blank", None))
        else:
            v = read_cell(piece.text)
            cells.append(Cell(table, row, column, v.value, v.kind, piece.raw, v.unit))
    return cells


def _consistent(rules, trial: dict[Slot, Cell], slots: set[Slot]) -> bool:
    """True when every check touching the slots holds, and at least one could be made."""
    checked = False
    for rule in rules:
        for check in rule_checks(rule, trial):
            if not _touches(rule, check.line, slots):
                continue
            if not check.ok:
                return False
            checked = True
    return checked


def _touches(rule, line: str, slots: set[Slot]) -> bool:
    codes = (*rule.lhs, *rule.rhs)
    if rule.per == "row":
        return any((line, c) in slots for c in codes)
    return any((r, line) in slots for r in codes)
