"""One identity in one column: the contributions some completion uses, and every completion."""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from govscrape.parse.subset_sums import completions, supported

members = st.lists(
    st.lists(st.integers(min_value=-30, max_value=30), min_size=1, max_size=4, unique=True),
    max_size=5,
)


def test_a_contribution_no_completion_uses_is_struck():
    # 2 or 5, plus 1 or 3, must make 5: only 2 + 3
    assert supported([[2, 5], [1, 3]], 5) == [{2}, {3}]


def test_no_completion_leaves_every_member_empty():
    assert supported([[1, 2], [1]], 10) == [set(), set()]


def test_completions_are_listed_as_the_index_taken_per_member():
    assert sorted(completions([[0, 1], [0, 1]], 1)) == [(0, 1), (1, 0)]


def test_no_member_completes_only_a_zero_target():
    assert list(completions([], 0)) == [()]
    assert list(completions([], 3)) == []


@settings(max_examples=200, deadline=None)
@given(members, st.integers(min_value=-60, max_value=60))
def test_supported_and_completions_match_brute_force(choices, target):
    every = [
        c
        for c in product(*[range(len(m)) for m in choices])
        if sum(m[j] for m, j in zip(choices, c, strict=True)) == target
    ]
    assert sorted(completions(choices, target)) == sorted(every)
    want = [{choices[k][c[k]] for c in every} for k in range(len(choices))]
    assert supported(choices, target) == want
