"""The joint search of a table under its column rules: every cell's values over all solutions."""

from __future__ import annotations

from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govscrape.parse.column_search import Automaton, search

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def brute(rows, rules, width):
    """Per row and column, the values the cell takes over every solution (exhaustive)."""
    values = [[set() for _ in range(width)] for _ in rows]
    for choice in product(*rows):
        if all(
            sum(choice[i][c] for i in lhs) == sum(choice[i][c] for i in rhs)
            for lhs, rhs in rules
            for c in range(width)
        ):
            for i, v in enumerate(choice):
                for c in range(width):
                    values[i][c].add(v[c])
    return values


def test_the_table_decides_jointly_what_no_row_decides_alone():
    # handled = granted + partially granted, per column; each short row could sit in 2 columns
    handled = [(3, 0, 3)]
    granted = [(2, 0, 2), (0, 2, 2)]
    partly = [(1, 0, 1), (0, 1, 1)]
    out = search([handled, granted, partly], [((0,), (1, 2))], 3)
    assert out.values[1] == [{2}, {0}, {2}] and out.values[2] == [{1}, {0}, {1}]
    assert not out.limited


def test_values_that_move_together_between_columns_stay_open():
    # nothing pins which of two columns holds both rows' numbers
    handled = [(3, 0, 3), (0, 3, 3)]
    granted = [(3, 0, 3), (0, 3, 3)]
    out = search([handled, granted], [((0,), (1,))], 3)
    assert out.values[1] == [{0, 3}, {0, 3}, {3}]


def test_a_table_with_no_solution_gives_no_values():
    out = search([[(1, 1)], [(2, 2), (0, 2)]], [((0,), (1,))], 2)
    assert not out.feasible


def test_readings_placing_the_same_numbers_share_their_suffixes():
    machine = Automaton([(1, 0, 1), (0, 1, 1)])
    # root -> two nodes after column 0, which both lead to the node holding (1,) -> the end
    assert len(machine.moves) == 5


vectors = st.lists(st.integers(min_value=0, max_value=3), min_size=3, max_size=3).map(tuple)
tables = st.lists(st.lists(vectors, min_size=1, max_size=4, unique=True), min_size=3, max_size=5)


@SETTINGS
@given(tables, st.data())
def test_the_search_gives_exactly_the_values_of_the_solutions(rows, data):
    n = len(rows)
    head = data.draw(st.integers(min_value=0, max_value=n - 1))
    parts = data.draw(
        st.lists(
            st.sampled_from([i for i in range(n) if i != head]),
            min_size=1,
            max_size=n - 1,
            unique=True,
        )
    )
    rules = [((head,), tuple(parts))]
    if n >= 4 and data.draw(st.booleans()):
        rest = [i for i in range(n) if i != head]
        rules.append(((rest[0],), tuple(rest[1:3])))
    out = search(rows, rules, 3)
    want = brute(rows, rules, 3)
    if out.limited:  # a bound reached: a superset, never less than the solutions give
        assert all(
            w <= g for a, b in zip(want, out.values, strict=True) for w, g in zip(a, b, strict=True)
        )
    elif not any(want[0]):
        assert not out.feasible
    else:
        assert [out.values[i] for i in range(n)] == want
