"""Rows that lost their cell positions, rebuilt from the table's own arithmetic — or left unread.

Text that drops blank cells (cell-per-line text) shows a row with fewer numbers than columns;
text that glues a row's cells ("640020470") shows one digit run. For each such row every
reading consistent with what is printed is enumerated (`row_readings`): the numbers placed in
order into the columns, the others blank; a glued run also split into numbers (no leading
zeros). A reading must satisfy the row's identities (总计 = the applicant columns). The table is
then searched jointly (`solve`) under its column identities (new + carried over = total handled
+ carried forward; total handled = the outcome rows), over every row at once. A row is read only
where every solution agrees on it; where the solutions agree on its values but not on whether a
cell printed 0 or was blank, that cell's kind is `zero_or_blank`. Nothing is ever preferred by
plausibility. The search is bounded: readings per row, states per step and time per table.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

MAX_READINGS = 20_000  # readings of one row; beyond, the row is unread
MAX_STATES = 20_000  # partial sums kept per row in the joint search
MAX_ROUNDS = 4  # passes of the per-column narrowing; each strikes what the last allowed
MAX_SECONDS = 0.1  # per table: a report must still parse in milliseconds, not hang

Reading = tuple[str | None, ...]  # one text per column; None: blank
RowRule = tuple[int, tuple[int, ...]]  # (column of the total, columns it sums)


class Limit(Exception):
    """The search reached one of its bounds (the table's rows stay unread, with a finding)."""


@dataclass(frozen=True, slots=True)
class Token:
    """What text shows for a row, in order: a cell's text, or a digit run to split."""

    text: str
    glued: bool = False


def value(text: str | None) -> int:
    return 0 if text is None else int(text)


def row_readings(tokens: Sequence[Token], width: int, rules: Sequence[RowRule]) -> list[Reading]:
    """Every reading of the tokens into `width` columns that the row rules allow."""
    segments = _segments(width, rules)
    if segments is not None and len(tokens) == 1 and tokens[0].glued:
        return _glued(tokens[0].text, segments)
    return _walk(tokens, width, rules)


def _segments(width: int, rules: Sequence[RowRule]) -> list[int] | None:
    """The segment widths when the rules cut the columns into runs that each end with their
    total (table 三's row: 6 columns and 总计; table 四: three runs of 4 and 总计)."""
    ends = sorted(rules)
    start, out = 0, []
    for lhs, rhs in ends:
        if tuple(range(start, lhs)) != tuple(sorted(rhs)):
            return None
        out.append(lhs - start + 1)
        start = lhs + 1
    return out if start == width and out else None


def _glued(digits: str, segments: list[int]) -> list[Reading]:
    """A glued run read segment by segment: numbers (no leading zeros) up to the run's total,
    which must follow them as their sum (or be blank, for 0); each sequence of numbers then
    placed in order into the segment's columns, the others blank."""
    out: list[Reading] = []

    def segment(k: int, at: int, done: tuple[str | None, ...]) -> None:
        if len(out) > MAX_READINGS:
            raise Limit
        if k == len(segments):
            if at == len(digits):
                out.append(done)
            return
        for parts, total, end in _sums(digits, at, segments[k] - 1):
            for cols in combinations(range(segments[k] - 1), len(parts)):
                cells: list[str | None] = [None] * (segments[k] - 1)
                for c, part in zip(cols, parts, strict=True):
                    cells[c] = part
                segment(k + 1, end, (*done, *cells, total))

    segment(0, 0, ())
    return out


def _sums(digits: str, at: int, most: int) -> Iterator[tuple[list[str], str | None, int]]:
    """(numbers, their total as printed or None, where the total ends): up to `most` numbers
    from `at`, followed by the digits of their sum (a sum of 0 may also print nothing)."""
    parts: list[str] = []

    def grow(pos: int, total: int) -> Iterator[tuple[list[str], str | None, int]]:
        text = str(total)
        if digits.startswith(text, pos):
            yield list(parts), text, pos + len(text)
        if total == 0:
            yield list(parts), None, pos
        if len(parts) == most:
            return
        for n in _numbers(digits, pos):
            room = len(digits) - pos - len(n)  # the sum must still fit after the number
            if len(str(total + int(n))) > room and total + int(n) > 0:
                break  # longer numbers leave less room for a larger sum
            parts.append(n)
            yield from grow(pos + len(n), total + int(n))
            parts.pop()

    yield from grow(at, 0)


def _numbers(digits: str, pos: int) -> Iterator[str]:
    if pos >= len(digits):
        return
    if digits[pos] == "0":
        yield "0"
        return
    for end in range(pos + 1, len(digits) + 1):
        yield digits[pos:end]


def _walk(tokens, width, rules, cap: tuple[tuple[int, ...], int] | None = None):
    """Depth first over the columns: each blank or the next number (module docstring).
    `cap`: (columns, bound) — the numbers in those columns add up to at most `bound`."""
    out: list[Reading] = []
    steps = [0]
    forced = {lhs: rhs for lhs, rhs in rules}
    cells: list[str | None] = []

    def walk(col: int, t: int, offset: int, capped: int) -> None:
        steps[0] += 1
        if steps[0] > MAX_READINGS * 20 or len(out) > MAX_READINGS:
            raise Limit
        if col == width:
            if t == len(tokens) and all(_holds(cells, r) for r in rules):
                out.append(tuple(cells))
            return
        if len(tokens) - t > width - col and not (tokens and tokens[-1].glued):
            return  # every token left needs a column of its own
        if cap is not None:
            digits = sum(len(x.text) for x in tokens[t:]) - offset
            if digits > (width - col) * len(str(cap[1])):
                return  # the digits left cannot fit in numbers no larger than the bound
        if col in forced and all(c < col for c in forced[col]):
            options = _forced(tokens, t, offset, sum(value(cells[c]) for c in forced[col]))
        else:
            options = _options(tokens, t, offset)
        for text, nt, noff in options:
            add = value(text) if cap is not None and col in cap[0] and text is not None else 0
            if cap is not None and capped + add > cap[1]:
                if text is not None and len(text) > len(str(cap[1])):
                    break  # longer numbers only grow
                continue
            cells.append(text)
            walk(col + 1, nt, noff, capped + add)
            cells.pop()

    walk(0, 0, 0, 0)
    return out


def _options(tokens, t, offset) -> Iterator[tuple[str | None, int, int]]:
    """(cell text, next token, next offset) for the next column: blank, or the next number."""
    yield None, t, offset
    if t == len(tokens):
        return
    tok = tokens[t]
    if not tok.glued:
        yield tok.text, t + 1, 0
        return
    rest = tok.text[offset:]
    if rest[0] == "0":  # a number never starts with 0 unless it is 0
        yield "0", *_advance(tok, t, offset + 1)
        return
    for n in range(1, len(rest) + 1):
        yield rest[:n], *_advance(tok, t, offset + n)


def _forced(tokens, t, offset, total: int) -> Iterator[tuple[str | None, int, int]]:
    """The options for a total whose parts are placed: the sum itself, or blank for 0."""
    for text, nt, noff in _options(tokens, t, offset):
        if text is None:
            if total == 0:
                yield text, nt, noff
        elif text.isdigit() and int(text) == total:
            yield text, nt, noff


def _advance(tok: Token, t: int, offset: int) -> tuple[int, int]:
    return (t + 1, 0) if offset >= len(tok.text) else (t, offset)


def _holds(cells: list[str | None], rule: RowRule) -> bool:
    lhs, rhs = rule
    if any(cells[c] is not None and not cells[c].isdigit() for c in (lhs, *rhs)):  # type: ignore[union-attr]
        return True  # a mark ("/", text) makes the rule inapplicable, as in validation
    return value(cells[lhs]) == sum(value(cells[c]) for c in rhs)


# --- the joint search -------------------------------------------------------------------------

ColumnRule = tuple[tuple[int, ...], tuple[int, ...]]  # (rows on the left, rows on the right)


@dataclass
class Outcome:
    """Per row: the readings every solution allows (an empty list: none fits)."""

    feasible: list[list[Reading]]
    limited: bool = False


def solve(rows: list[list[Reading]], rules: Sequence[ColumnRule], width: int) -> Outcome:
    """Which readings of each row occur in some solution of all column rules (module doc).
    A state is the rules' running differences per column. Rows are taken fewest readings
    first (a sum does not care for order), so rows read as printed only shift the state."""
    deadline = time.perf_counter() + MAX_SECONDS
    rows = narrow(rows, rules, width)
    if any(not r for r in rows):
        return Outcome([[] for _ in rows])  # no reading of some row fits: no solution
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    coef = _coefficients(len(rows), rules)
    vectors = [[_vector(r, width) for r in rows[i]] for i in order]
    signs = [coef[i] for i in order]
    try:
        layers = _forward(vectors, signs, rules, width, deadline)
    except Limit:
        return Outcome([list(r) for r in rows], limited=True)
    good = {_zero(len(rules), width)}
    feasible: list[list[Reading]] = [[] for _ in rows]
    for k in range(len(order) - 1, -1, -1):
        before, keep = layers[k], set()
        for j, vec in enumerate(vectors[k]):
            step = _step(vec, signs[k], len(rules), width)
            hits = {s for s in before if _add(s, step) in good}
            if hits:
                feasible[order[k]].append(rows[order[k]][j])
                keep |= hits
        good = keep
    return Outcome(feasible)


def narrow(
    rows: list[list[Reading]], rules: Sequence[ColumnRule], width: int
) -> list[list[Reading]]:
    """The readings left after each rule, one column at a time, has struck those that no
    choice of the other rows' values in that column completes (an exact one-dimensional
    search per rule and column; the joint search then only sees readings that survive)."""
    rows = [list(r) for r in rows]
    for _ in range(MAX_ROUNDS):
        changed = False
        for lhs, rhs in rules:
            members = [(i, 1) for i in lhs] + [(i, -1) for i in rhs]
            for c in range(width):
                ok = _column_support(rows, members, c)
                for (i, sign), allowed in zip(members, ok, strict=True):
                    kept = [r for r in rows[i] if sign * _num(r[c]) in allowed]
                    if len(kept) < len(rows[i]):
                        rows[i], changed = kept, True
        if not changed:
            break
    return rows


def _column_support(rows, members, c: int) -> list[set[int]]:
    """For each member row, the values (signed) in column c some completion allows."""
    values = [{sign * _num(r[c]) for r in rows[i]} for i, sign in members]
    layers = [{0}]
    for vals in values:
        layers.append({s + v for s in layers[-1] for v in vals})
    good = {0}
    out: list[set[int]] = [set() for _ in members]
    for k in range(len(members) - 1, -1, -1):
        keep = set()
        for v in values[k]:
            hits = {s for s in layers[k] if s + v in good}
            if hits:
                out[k].add(v)
                keep |= hits
        good = keep
    return out


def _num(text: str | None) -> int:
    return int(text) if text is not None and text.isdigit() else 0


def _forward(vectors, coef, rules, width, deadline) -> list[set[tuple[int, ...]]]:
    """The states reachable before each row (pruned by what the rest can still add)."""
    low, high = _bounds(vectors, coef, len(rules), width)
    layers = [{_zero(len(rules), width)}]
    for i, options in enumerate(vectors):
        steps = {_step(v, coef[i], len(rules), width) for v in options}
        nxt = set()
        for s in layers[-1]:
            for step in steps:
                t = _add(s, step)
                if all(
                    lo <= -x <= hi for x, lo, hi in zip(t, low[i + 1], high[i + 1], strict=True)
                ):
                    nxt.add(t)
        if len(nxt) > MAX_STATES or time.perf_counter() > deadline:
            raise Limit
        layers.append(nxt)
    return layers


def _bounds(vectors, coef, nrules, width):
    """For each row i, the least and most the rows from i on can still add, per component."""
    n = len(vectors)
    size = nrules * width
    low = [[0] * size for _ in range(n + 1)]
    high = [[0] * size for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        steps = [_step(v, coef[i], nrules, width) for v in vectors[i]]
        for d in range(size):
            low[i][d] = low[i + 1][d] + min(s[d] for s in steps)
            high[i][d] = high[i + 1][d] + max(s[d] for s in steps)
    return low, high


def _coefficients(n: int, rules: Sequence[ColumnRule]) -> list[tuple[int, ...]]:
    """Per row, its sign in each rule: +1 on the left side, -1 on the right, 0 outside."""
    return [tuple((i in lhs) - (i in rhs) for lhs, rhs in rules) for i in range(n)]


def _vector(reading: Reading, width: int) -> tuple[int, ...]:
    return tuple(value(x) if x is None or x.isdigit() else 0 for x in reading[:width])


def _step(vec: tuple[int, ...], signs: tuple[int, ...], nrules: int, width: int) -> tuple[int, ...]:
    return tuple(signs[r] * vec[c] for r in range(nrules) for c in range(width))


def _add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def _zero(nrules: int, width: int) -> tuple[int, ...]:
    return (0,) * (nrules * width)


def agreed(readings: list[Reading]) -> list[str | bool | None] | None:
    """The cells every reading agrees on: the text; True where they agree only on the value
    (0 printed in some, blank in others); None for the row when values differ."""
    first = readings[0]
    out: list[str | bool | None] = []
    for c in range(len(first)):
        texts = {r[c] for r in readings}
        if len(texts) == 1:
            out.append(first[c])
        elif texts <= {None, "0"}:
            out.append(True)
        else:
            return None
    return out


def placements(n: int, width: int) -> Iterator[tuple[int, ...]]:
    """Column positions for n numbers in order (the other cells blank)."""
    return combinations(range(width), n)
