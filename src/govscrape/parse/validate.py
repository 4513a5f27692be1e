"""Single-report consistency rules (template.RULES) evaluated generically, blank-as-zero policy.

Blank, dash and none_word cells count as 0 and the finding says so (`blank_as_zero`);
not_applicable and unread cells make the rule inapplicable for that row/column; cells absent
from the report (not in its template) are left out of the sums.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from govscrape.findings import finding
from govscrape.model import Cell, Finding, Report
from govscrape.template import RULES, Rule

ZERO_KINDS = frozenset({"blank", "dash", "none_word", "zero_or_blank"})
INAPPLICABLE_KINDS = frozenset({"not_applicable", "unread", "text"})
TOLERANCE = 1e-9  # two sides closer than this agree (sums of decimal amounts)


@dataclass(slots=True)
class Check:
    """One instance of a rule (one row or column): its two sides and whether blanks counted."""

    rule: Rule
    line: str  # the row (per="row") or column (per="column") it runs along
    lhs: float | int
    rhs: float | int
    blank_as_zero: bool
    lhs_cell: Cell | None = None  # the left side's cell when it is a single cell (a printed total)

    @property
    def ok(self) -> bool:
        return abs(self.lhs - self.rhs) < TOLERANCE


CellMap = Mapping[tuple[str, str], Cell]


def side_sum(cells: CellMap, keys: list[tuple[str, str]]) -> tuple[float | int, bool] | None:
    """Sum of the cells present; None when a cell makes the rule inapplicable or none exists."""
    total: float | int = 0
    blanks = False
    present = 0
    for key in keys:
        cell = cells.get(key)
        if cell is None:
            continue
        present += 1
        if cell.kind == "number" and cell.value is not None:
            total += cell.value
        elif cell.kind in ZERO_KINDS:
            blanks = True
        else:
            return None
    return (total, blanks) if present else None


def rule_checks(
    rule: Rule,
    cells: CellMap,
    lines: tuple[list[str], list[str]] | None = None,
    *,
    failed_only: bool = False,
) -> Iterator[Check]:
    """Every applicable instance of `rule` over the cells of one table (`failed_only`: those
    that fail; most pass, and need no Check made).

    `lines` = (rows, columns) of the table in order, when the caller already knows them."""
    rows, columns = lines or table_lines(cells)
    for line in columns if rule.per == "column" else rows:
        lhs_keys, rhs_keys = _keys(rule, line)
        lhs = side_sum(cells, lhs_keys)
        if lhs is None:
            continue
        rhs = side_sum(cells, rhs_keys)
        if rhs is None or (failed_only and abs(lhs[0] - rhs[0]) < TOLERANCE):
            continue
        single = cells.get(lhs_keys[0]) if len(lhs_keys) == 1 else None
        yield Check(rule, line, lhs[0], rhs[0], lhs[1] or rhs[1], single)


@lru_cache(maxsize=4096)
def _keys(rule: Rule, line: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The cell keys of both sides of `rule` along one row or column (codes recur: cached)."""
    if rule.per == "column":
        return [(r, line) for r in rule.lhs], [(r, line) for r in rule.rhs]
    return [(line, c) for c in rule.lhs], [(line, c) for c in rule.rhs]


def table_lines(cells: CellMap) -> tuple[list[str], list[str]]:
    """The table's rows and columns in the order they first occur."""
    rows = list(dict.fromkeys(row for row, _col in cells))
    columns = list(dict.fromkeys(col for _row, col in cells))
    return rows, columns


def check_finding(check: Check) -> Finding:
    """The finding for a failed check, with expected/found and a plain-language message."""
    rule = check.rule
    said = _said(check.lhs_cell, check.lhs)
    fmt = {"row": check.line, "column": check.line, "lhs": _num(check.lhs), "rhs": _num(check.rhs)}
    message = rule.message.format(lhs_said=said, **fmt)
    if check.blank_as_zero and not said.endswith("(counted as 0)"):
        message += " (blank cells counted as 0)"
    found = _num(check.lhs) if check.lhs_cell is None or check.lhs_cell.kind == "number" else said
    return finding(
        rule.code,
        message,
        severity=rule.severity,  # type: ignore[arg-type]
        table=rule.table,
        row=check.line if rule.per == "row" else None,
        column=check.line if rule.per == "column" else None,
        expected=_num(check.rhs),
        found=found,
        blank_as_zero=check.blank_as_zero,
    )


# How a total cell that held no number is described: never as "printed 0".
_NOT_PRINTED = {
    "blank": "left blank",
    "dash": "printed as a dash",
    "none_word": "printed as 无",
}


def _said(cell: Cell | None, value: float | int) -> str:
    """What the source shows on the left side: "printed 3" or "left blank (counted as 0)"."""
    if cell is None or cell.kind == "number":
        return f"printed {_num(value)}"
    return f"{_NOT_PRINTED.get(cell.kind, 'not a number')} (counted as 0)"


def _num(x: float | int) -> float | int:
    return int(x) if isinstance(x, float) and x.is_integer() else x


def validate_cells(cells: list[Cell]) -> list[Finding]:
    """Findings for every failed rule instance over these cells."""
    by_table: dict[str, dict[tuple[str, str], Cell]] = {r.table: {} for r in RULES}
    for c in cells:
        if c.table in by_table:
            by_table[c.table][(c.row, c.column)] = c
    lines = {table: table_lines(table_map) for table, table_map in by_table.items()}
    return [
        check_finding(check)
        for rule in RULES
        for check in rule_checks(rule, by_table[rule.table], lines[rule.table], failed_only=True)
    ]


def validate_report(report: Report) -> list[Finding]:
    """The single-report rule findings for a parsed report (never changes its values)."""
    return validate_cells(report.cells)
