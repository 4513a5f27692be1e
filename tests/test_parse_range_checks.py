"""The fast passes of the search: they strike only candidates of no solution."""

from __future__ import annotations

from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govscrape.parse.range_checks import Contradiction, narrow, probe, runs

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def solutions(rows, rules, width):
    for choice in product(*rows):
        if all(
            sum(choice[i][c] for i in lhs) == sum(choice[i][c] for i in rhs)
            for lhs, rhs in rules
            for c in range(width)
        ):
            yield choice


def test_runs_are_single_columns_then_heads_and_tails_before_the_total():
    assert runs(4) == [(0, 0), (1, 1), (2, 2), (3, 3), (0, 1), (1, 2)]


def test_a_run_strikes_what_single_columns_allow():
    # the head holds 2 in column 0 or 1; the part must hold the same, but single columns
    # each allow 0 or 2 — only the run over both columns ties the part's 2 to the head's
    head = [(2, 0, 0, 2)]
    part = [(2, 0, 0, 2), (0, 2, 0, 2), (0, 0, 2, 2)]
    checks = narrow([head, part], [((0,), (1,))], 4)
    assert checks is not None and checks.left()[1] == [(2, 0, 0, 2)]


def test_no_solution_is_found_out():
    assert narrow([[(1, 1)], [(2, 2)]], [((0,), (1,))], 2) is None


vectors = st.lists(st.integers(min_value=0, max_value=3), min_size=4, max_size=4).map(tuple)
tables = st.lists(st.lists(vectors, min_size=1, max_size=4, unique=True), min_size=3, max_size=5)


@SETTINGS
@given(tables)
def test_narrowing_and_probing_never_strike_a_candidate_of_a_solution(rows):
    rules = [((0,), tuple(range(1, len(rows))))]
    used = [set() for _ in rows]
    for choice in solutions(rows, rules, 4):
        for i, v in enumerate(choice):
            used[i].add(v)
    checks = narrow(rows, rules, 4)
    if checks is None:
        assert not any(used)
        return
    try:
        probe(checks, 10_000)
    except Contradiction:
        assert not any(used)
        return
    for i, left in enumerate(checks.left()):
        assert used[i] <= set(left)
