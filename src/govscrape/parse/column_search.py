"""The joint search of a table's rows under its column rules, one column at a time.

Each row offers its candidate value vectors (the readings of its text, parse/reconstruct.py).
They become a small automaton per row: a node is the set of value suffixes still open to the
row after the columns searched so far, so readings that placed the same numbers in different
columns meet again in one node (as a pointer into the row's numbers would). The search state
is one node per row. A column's step picks one value per row such that every column rule holds
in that column; states are deduplicated. The forward pass keeps the states reachable from the
start; the backward pass keeps the steps from which the last column is reached. Every complete
path is one solution of the whole table and every solution is one path, so a cell's values —
those of the kept steps — are exactly the values it takes in some solution. Nothing is
preferred by plausibility. The search is bounded: states per column, choices tried per table,
CPU time per table (`Limit`, and the caller says so with a finding).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

from govscrape.parse.range_checks import Contradiction, narrow, probe
from govscrape.parse.reconstruct import Limit
from govscrape.parse.subset_sums import completions

MAX_STATES = 20_000  # search states kept after one column
MAX_CHOICES = 200_000  # column completions listed in one table
MAX_SECONDS = 0.03  # CPU time of the exact search per table (load hardly changes it)
PROBE_BUDGET = 5_000  # subset-sum checks made probing one table (work, not time: repeatable)

Vector = tuple[int, ...]  # one value per column
ColumnRule = tuple[tuple[int, ...], tuple[int, ...]]  # (rows on the left, rows on the right)


@dataclass
class Solved:
    """Per row and column, the values some solution gives the cell (empty: no solution)."""

    values: list[list[set[int]]]
    limited: bool = False

    @property
    def feasible(self) -> bool:
        return not self.values or all(self.values[0])


class Automaton:
    """One row's candidate vectors as a graph: node -> {value in the next column: node}."""

    def __init__(self, vectors: Sequence[Vector]) -> None:
        self.moves: list[dict[int, int]] = []
        self._ids: dict[frozenset[Vector], int] = {}
        self.root = self._node(frozenset(vectors))

    def _node(self, suffixes: frozenset[Vector]) -> int:
        known = self._ids.get(suffixes)
        if known is not None:
            return known
        at = self._ids[suffixes] = len(self.moves)
        self.moves.append({})
        groups: dict[int, set[Vector]] = {}
        for s in suffixes:
            if s:
                groups.setdefault(s[0], set()).add(s[1:])
        self.moves[at] = {v: self._node(frozenset(g)) for v, g in groups.items()}
        return at


def search(rows: Sequence[Sequence[Vector]], rules: Sequence[ColumnRule], width: int) -> Solved:
    """The values each cell takes over every solution (module docstring). The range checks
    (parse/range_checks.py) strike most candidates first; probing then settles, candidate by
    candidate, whether some solution takes it — cheap where solutions are many, as one is
    found at once. If probing finishes within its budget, every candidate left is in some
    solution and the values are exact. Otherwise the exact search runs over the rows and
    columns left open, the others folded into constants. If it cannot finish either, the
    values are those the checks leave — a superset: every solution's values, and perhaps some
    of no solution — and `limited` says so."""
    checks = narrow(rows, rules, width)
    if checks is None:
        return Solved([[set() for _ in range(width)] for _ in rows])
    try:
        settled = probe(checks, PROBE_BUDGET)
    except Contradiction:
        return Solved([[set() for _ in range(width)] for _ in rows])
    if settled:  # every candidate left is in some solution: these are the values, exactly
        return Solved([[{v[c] for v in r} for c in range(width)] for r in checks.left()])
    deadline = time.thread_time() + MAX_SECONDS
    exact = _exact_over_open(checks.left(), rules, width, deadline)
    if exact is not None:
        return exact
    return Solved([[{v[c] for v in r} for c in range(width)] for r in checks.left()], limited=True)


def _exact_over_open(rows: list[list[Vector]], rules, width: int, deadline: float) -> Solved | None:
    """The exact search over the rows with more than one candidate and the columns where
    they differ; None when it reached a bound."""
    values = [[{v[c] for v in r} for c in range(width)] for r in rows]
    open_rows = [i for i, r in enumerate(rows) if len(r) > 1]
    columns = [c for c in range(width) if any(len(values[i][c]) > 1 for i in open_rows)]
    if not columns:
        return Solved(values)
    sub_rows, sub_rules = _reduced(rows, rules, open_rows, columns)
    try:
        exact = _exact(sub_rows, sub_rules, len(columns), deadline)
    except Limit:
        return None
    if not exact[0][0]:  # no path through the columns: no solution
        return Solved([[set() for _ in range(width)] for _ in rows])
    for k, i in enumerate(open_rows):
        for j, c in enumerate(columns):
            values[i][c] = exact[k][j]
    return Solved(values)


def _reduced(rows, rules, open_rows: list[int], columns: list[int]):
    """The open rows over the open columns; each rule's settled rows folded into one constant
    row on its left side."""
    at = {i: k for k, i in enumerate(open_rows)}
    sub_rows = [sorted({tuple(v[c] for c in columns) for v in rows[i]}) for i in open_rows]
    sub_rules = []
    for lhs, rhs in rules:
        constant = [0] * len(columns)
        for sign, side in ((1, lhs), (-1, rhs)):
            for i in side:
                if i not in at:
                    for j, c in enumerate(columns):
                        constant[j] += sign * rows[i][0][c]
        sub_rules.append(
            (
                (*(at[i] for i in lhs if i in at), len(sub_rows)),
                tuple(at[i] for i in rhs if i in at),
            )
        )
        sub_rows.append([tuple(constant)])
    return sub_rows, sub_rules


def _exact(rows: list[list[Vector]], rules: Sequence[ColumnRule], width: int, deadline: float):
    """Per row and column, the values of every solution: the forward and backward passes
    over the columns (module docstring). Raises Limit at a bound."""
    machines = [Automaton(r) for r in rows]
    signs = [tuple((i in lhs) - (i in rhs) for lhs, rhs in rules) for i in range(len(rows))]
    budget = [MAX_CHOICES]
    layers: list[dict[tuple[int, ...], int]] = [{tuple(m.root for m in machines): 0}]
    edges: list[list[tuple[int, int, tuple[int, ...]]]] = []
    for _column in range(width):
        nxt: dict[tuple[int, ...], int] = {}
        step: list[tuple[int, int, tuple[int, ...]]] = []
        for state, at in layers[-1].items():
            if len(step) > MAX_STATES or time.thread_time() > deadline:
                raise Limit
            options = [machines[i].moves[n] for i, n in enumerate(state)]
            for child, picked in _choices(options, signs, len(rules), budget):
                to = nxt.setdefault(child, len(nxt))
                step.append((at, to, picked))
        if len(nxt) > MAX_STATES or time.thread_time() > deadline:
            raise Limit
        layers.append(nxt)
        edges.append(step)
    return _backward(edges, len(rows), width, bool(layers[-1]))


def _backward(edges, nrows: int, width: int, reached: bool) -> list[list[set[int]]]:
    """The values of the steps that lie on a complete path, per row and column."""
    values: list[list[set[int]]] = [[set() for _ in range(width)] for _ in range(nrows)]
    if not reached:
        return values
    good = {0}  # the last layer holds one state: every row at its automaton's end
    for column in range(width - 1, -1, -1):
        keep = set()
        for at, to, picked in edges[column]:
            if to in good:
                keep.add(at)
                for i, v in enumerate(picked):
                    values[i][column].add(v)
        good = keep
    return values


def _choices(options: list[dict[int, int]], signs, nrules: int, budget: list[int]):
    """(child state, values picked) for one column: one move per row, every rule summing to 0
    in this column. Rows with one move are added first; rows in several rules (the 总计 rows
    that link two identities) or in none are tried in turn; then each rule's other rows form a subset sum
    of their own (parse/subset_sums.py), and the child states combine one completion per rule."""
    fixed = [0] * nrules
    linking: list[int] = []
    own: list[list[int]] = [[] for _ in range(nrules)]
    for i, moves in enumerate(options):
        if not moves:
            return  # a row with no move left: this state leads nowhere
        if len(moves) == 1:
            (v,) = moves
            for r in range(nrules):
                fixed[r] += signs[i][r] * v
        elif sum(1 for x in signs[i] if x) != 1:
            linking.append(i)  # in several rules, or in none (free: each move taken in turn)
        else:
            own[next(r for r in range(nrules) if signs[i][r])].append(i)
    child = [next(iter(moves.values())) for moves in options]
    picked = [next(iter(moves)) for moves in options]
    for link in product(*(options[i].items() for i in linking)):
        sums = list(fixed)
        for i, (v, node) in zip(linking, link, strict=True):
            child[i], picked[i] = node, v
            for r in range(nrules):
                sums[r] += signs[i][r] * v
        per_rule = []
        for r, rows in enumerate(own):
            values = [list(options[i]) for i in rows]
            signed = [[signs[i][r] * v for v in vs] for i, vs in zip(rows, values, strict=True)]
            found = [
                [values[k][j] for k, j in enumerate(taken)]
                for taken in completions(signed, -sums[r])
            ]
            budget[0] -= len(found) + 1
            if budget[0] < 0:
                raise Limit
            if not found:
                break
            per_rule.append((rows, found))
        else:
            for combo in product(*(found for _rows, found in per_rule)):
                for (rows, _found), taken in zip(per_rule, combo, strict=True):
                    for i, v in zip(rows, taken, strict=True):
                        child[i], picked[i] = options[i][v], v
                yield tuple(child), tuple(picked)
