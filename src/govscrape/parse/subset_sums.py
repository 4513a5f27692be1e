"""One identity in one column: which contribution of each member completes a given total.

Each member (a row in a column rule) offers a few contributions (its value, signed by its side
of the rule); exactly one per member is taken and they must add up to the target. The sums the
members can reach are held as bitsets (Python integers: bit s set when s is reachable), so a
member's contributions are checked against every completion at once: `supported` gives those
some completion uses, `completions` lists every completion without ever reaching a dead end.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence


def _shifted(choices: Sequence[Sequence[int]], target: int):
    """Contributions made non-negative (each member's least taken off, and off the target)."""
    lows = [min(c) for c in choices]
    return [[x - lo for x in c] for c, lo in zip(choices, lows, strict=True)], target - sum(lows)


def _needs(shifted: list[list[int]], target: int) -> list[int]:
    """needs[k]: the bitset of partial sums of members before k from which members k.. can
    still reach the target exactly."""
    needs = [0] * (len(shifted) + 1)
    needs[-1] = 1 << target
    for k in range(len(shifted) - 1, -1, -1):
        bits = 0
        for x in shifted[k]:
            bits |= needs[k + 1] >> x
        needs[k] = bits
    return needs


def supported(choices: Sequence[Sequence[int]], target: int) -> list[set[int]]:
    """Per member, the contributions some completion takes (all empty: none completes)."""
    if not choices:
        return []
    shifted, goal = _shifted(choices, target)
    out: list[set[int]] = [set() for _ in choices]
    if goal < 0:
        return out
    needs = _needs(shifted, goal)
    if not needs[0] & 1:
        return out
    reach = 1  # partial sums of the members before k that some completion passes through
    for k, xs in enumerate(shifted):
        nxt = 0
        for x, original in zip(xs, choices[k], strict=True):
            through = (reach << x) & needs[k + 1]
            if through:
                out[k].add(original)
                nxt |= through
        reach = nxt
    return out


def completions(choices: Sequence[Sequence[int]], target: int) -> Iterator[tuple[int, ...]]:
    """Every way to take one contribution per member adding up to the target, as the index of
    the contribution taken per member."""
    if not choices:
        if target == 0:
            yield ()
        return
    shifted, goal = _shifted(choices, target)
    if goal < 0:
        return
    needs = _needs(shifted, goal)
    if not needs[0] & 1:
        return
    taken: list[int] = []

    def take(k: int, total: int) -> Iterator[tuple[int, ...]]:
        if k == len(shifted):
            yield tuple(taken)
            return
        for j, x in enumerate(shifted[k]):
            if needs[k + 1] >> (total + x) & 1:
                taken.append(j)
                yield from take(k + 1, total + x)
                taken.pop()

    yield from take(0, 0)
