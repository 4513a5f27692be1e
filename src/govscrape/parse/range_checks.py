"""The candidates each column identity strikes on its own: fast, sound passes of the search.

A column rule (new + carried over = total handled + carried forward; (七)总计 = the outcome
rows) holds in every column, so it also holds for the sum over any run of columns. For each
rule and each run — every single column, the runs from the first column and the runs to the
last applicant column — the rows' candidate vectors give each row a few possible sums, and a
subset-sum check (parse/subset_sums.py) strikes every candidate whose sum no choice of the
other rows' sums completes. Runs catch what single columns miss: a row that must place its
"2" in one of two columns, whichever. Repeated until nothing changes (`Checks.settle`).

`probe` goes further: it tries each candidate left alone in its row and strikes it when the
checks then find no completion (singleton consistency). Sound throughout: no candidate of any
solution is ever struck; some candidates that are in no solution may stay, for the exact
search (parse/column_search.py) to settle.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import accumulate

from govscrape.parse.subset_sums import supported

Vector = tuple[int, ...]
ColumnRule = tuple[tuple[int, ...], tuple[int, ...]]  # (rows on the left, rows on the right)


def runs(width: int) -> list[tuple[int, int]]:
    """The column runs checked, as (first, last): every column alone, then the runs from the
    first column and the runs to the column before the last (the last is the row total)."""
    singles = [(c, c) for c in range(width)]
    heads = [(0, b) for b in range(1, width - 2)]
    tails = [(a, width - 2) for a in range(1, width - 2)]
    return singles + heads + tails


class Contradiction(Exception):
    """Some rule over some run has no completion: the candidates left admit no solution."""


class Checks:
    """The candidates still alive per row, and per rule and run the sums they give."""

    def __init__(
        self, rows: Sequence[Sequence[Vector]], rules: Sequence[ColumnRule], width: int
    ) -> None:
        units = [(span, r) for span in runs(width) for r in range(len(rules))]
        sign = [[(i in lhs) - (i in rhs) for lhs, rhs in rules] for i in range(len(rows))]
        self.rows = rows
        self.units = len(units)
        self.constant = [0] * len(units)  # the sums of the rows with one candidate
        self.sums: dict[int, dict[int, list[int]]] = {}  # row -> unit -> sum per candidate
        for i, candidates in enumerate(rows):
            if not candidates:
                raise Contradiction
            prefix = [(0, *accumulate(v)) for v in candidates]
            per_unit = {
                k: [sign[i][r] * (p[b + 1] - p[a]) for p in prefix]
                for k, ((a, b), r) in enumerate(units)
                if sign[i][r]
            }
            if len(candidates) == 1:
                for k, (x,) in per_unit.items():
                    self.constant[k] += x
            else:
                self.sums[i] = per_unit
        self.members = [[i for i in self.sums if k in self.sums[i]] for k in range(len(units))]
        self.alive = {i: list(range(len(rows[i]))) for i in self.sums}
        self.values = {i: {k: set(x) for k, x in u.items()} for i, u in self.sums.items()}
        self.work = 0  # subset-sum checks made, for the caller's bound

    def copy(self) -> Checks:
        twin = object.__new__(Checks)
        twin.__dict__.update(self.__dict__)
        twin.alive = dict(self.alive)
        twin.values = {i: dict(v) for i, v in self.values.items()}
        return twin

    def open_rows(self) -> list[int]:
        return [i for i, alive in self.alive.items() if len(alive) > 1]

    def left(self) -> list[list[Vector]]:
        """The candidates alive per row."""
        return [
            [self.rows[i][j] for j in self.alive[i]] if i in self.alive else list(self.rows[i])
            for i in range(len(self.rows))
        ]

    def keep(self, i: int, kept: list[int]) -> set[int]:
        """Leave row i only the candidates `kept`; the units whose sums that changed."""
        if not kept:
            raise Contradiction
        self.alive[i] = kept
        changed = set()
        for k, x in self.sums[i].items():
            left = {x[j] for j in kept}
            if len(left) < len(self.values[i][k]):
                self.values[i][k] = left
                changed.add(k)
        return changed

    def settle(self, todo: Iterable[int] | None = None) -> None:
        """Check the units to do, and those any strike makes worth checking again, until
        nothing changes. Raises Contradiction when no solution is left."""
        pending = set(range(self.units) if todo is None else todo)
        while pending:
            k = pending.pop()
            fixed, free = self.constant[k], []
            for i in self.members[k]:
                if len(self.values[i][k]) == 1:
                    fixed += next(iter(self.values[i][k]))
                else:
                    free.append(i)
            if not free:
                if fixed:
                    raise Contradiction
                continue
            self.work += 1
            had = [list(self.values[i][k]) for i in free]
            for i, ok, before in zip(free, supported(had, -fixed), had, strict=True):
                if len(ok) < len(before):
                    x = self.sums[i][k]
                    pending |= self.keep(i, [j for j in self.alive[i] if x[j] in ok])


def narrow(
    rows: Sequence[Sequence[Vector]], rules: Sequence[ColumnRule], width: int
) -> Checks | None:
    """The checks settled over every rule and run; None when they find no solution."""
    try:
        checks = Checks(rows, rules, width)
        checks.settle()
    except Contradiction:
        return None
    return checks


def probe(checks: Checks, budget: int) -> bool:
    """Settle, for each candidate still alive, whether some solution takes it: a depth-first
    search below it, the checks settled at every step, either reaches a solution — which then
    vouches for every candidate it takes — or finds none, and the candidate is struck. False
    when the budget (subset-sum checks) ran out first: what is left stays, unsettled.
    Raises Contradiction when no solution is left."""
    vouched: set[tuple[int, int]] = set()
    for i in checks.open_rows():
        for j in list(checks.alive[i]):
            if (i, j) in vouched or j not in checks.alive[i] or len(checks.alive[i]) == 1:
                continue
            found = _below(checks, i, j, budget)
            if checks.work > budget:
                return False
            if found is None:
                checks.settle(checks.keep(i, [x for x in checks.alive[i] if x != j]))
            else:
                vouched |= found
    return True


def _solution(checks: Checks, budget: int) -> set[tuple[int, int]] | None:
    """The (row, candidate) pairs of one solution below the settled checks, or None when
    there is none. Raises Contradiction (none) and stops at the budget (as none found — the
    caller then keeps the candidate)."""
    rows = checks.open_rows()
    if not rows:
        return {(i, alive[0]) for i, alive in checks.alive.items()}
    i = min(rows, key=lambda r: len(checks.alive[r]))
    for j in checks.alive[i]:
        if checks.work > budget:
            return {(i, j)}  # out of budget: treated as found, so nothing is struck
        found = _below(checks, i, j, budget)
        if found is not None:
            return found
    return None


def _below(checks: Checks, i: int, j: int, budget: int) -> set[tuple[int, int]] | None:
    """One solution in which row i takes candidate j, or None; the work counted on `checks`."""
    trial = checks.copy()
    try:
        trial.settle(trial.keep(i, [j]))
        found = _solution(trial, budget)
    except Contradiction:
        found = None
    checks.work = trial.work
    return found
