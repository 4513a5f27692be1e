"""The readings of a row that lost its cell positions: every way its text can fill the columns.

Text that drops blank cells (cell-per-line text) shows a row with fewer numbers than columns;
text that glues a row's cells ("640020470") shows one digit run. `row_readings` enumerates every
reading consistent with what is printed: the numbers placed in order into the columns, the
others blank; a glued run also split into numbers (no leading zeros). A reading must satisfy
the row's identities (总计 = the applicant columns). The table then decides jointly which
readings its column identities allow (parse/column_search.py); `agreed` says, cell by cell,
what every allowed reading agrees on. Bounded: readings per row (`Limit`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

MAX_READINGS = 20_000  # readings of one row; beyond, the row is unread

Reading = tuple[str | None, ...]  # one text per column; None: blank
RowRule = tuple[int, tuple[int, ...]]  # (column of the total, columns it sums)
# What the readings of a cell agree on, besides a text or None (blank):
ZERO_OR_BLANK = "0|blank"  # 0 in every reading, printed in some and blank in others
UNDECIDED = "?"  # the readings give the cell different values


class Limit(Exception):
    """A search reached one of its bounds (the rows it was for stay unread, with a finding)."""


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
    fills = _fills(tokens, segments) if segments is not None else None
    if fills is None or segments is None:
        return _walk(tokens, width, rules)
    out: list[Reading] = []

    def segment(k: int, at: int, done: tuple[str | None, ...]) -> None:
        if k == len(segments):
            if at == fills.size:
                out.append(done)
            return
        for cells, end in fills(k, at):
            segment(k + 1, end, (*done, *cells))
            if len(out) > MAX_READINGS:
                raise Limit

    segment(0, 0, ())
    return out


def segment_readings(
    tokens: Sequence[Token], width: int, rules: Sequence[RowRule]
) -> list[list[Reading]]:
    """Per segment of the row (the runs its rules cut it into, each ending with its total),
    the readings of that segment in some reading of the whole row — without listing the
    whole row's readings, which multiply segment by segment (table 四: three runs of 5)."""
    segments = _segments(width, rules)
    fills = _fills(tokens, segments) if segments is not None else None
    if fills is None or segments is None:
        return [_walk(tokens, width, rules)]  # no segments: the row is one
    starts = [{0}]  # where segment k may start, reached from the row's start
    for k in range(len(segments)):
        starts.append({end for at in starts[k] for _cells, end in fills(k, at)})
    good, out = {fills.size}, []
    for k in range(len(segments) - 1, -1, -1):
        found = [(cells, at) for at in starts[k] for cells, end in fills(k, at) if end in good]
        out.append(list(dict.fromkeys(cells for cells, _at in found)))
        good = {at for _cells, at in found}
    return out[::-1]


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


Fill = tuple[tuple[str | None, ...], int]  # a segment's cells, and where its text ends


class _Fills:
    """fills(k, at): every way segment k, starting at `at` in the row's text, fills its
    columns — numbers in order into some of its columns, the others blank, then its total
    (the sum, as printed next, or blank when the numbers are all 0) — kept once computed:
    every reading of the segments before that ends at `at` shares them."""

    def __init__(self, options, segments: list[int], size: int) -> None:
        self._options = options  # (k, at, room, last) -> (numbers, total text, end)
        self._segments = segments
        self.size = size  # where the text ends: digits of a glued run, or numbers
        self._known: dict[tuple[int, int], list[Fill]] = {}

    def __call__(self, k: int, at: int) -> list[Fill]:
        if (k, at) not in self._known:
            room, found = self._segments[k] - 1, []
            for parts, total, end in self._options(k, at, room, k == len(self._segments) - 1):
                for cols in combinations(range(room), len(parts)):
                    cells: list[str | None] = [None] * room
                    for c, part in zip(cols, parts, strict=True):
                        cells[c] = part
                    found.append(((*cells, total), end))
            self._known[k, at] = found
        return self._known[k, at]


def _fills(tokens: Sequence[Token], segments: list[int]) -> _Fills | None:
    """The fills of a glued run, or of numbers read apart; None for a mix of the two."""
    if len(tokens) == 1 and tokens[0].glued:
        digits = tokens[0].text
        return _Fills(
            lambda k, at, room, last: _sums(digits, at, room, last=last), segments, len(digits)
        )
    if any(t.glued for t in tokens):
        return None
    texts = [t.text for t in tokens]
    return _Fills(lambda k, at, room, last: _apart(texts, at, room), segments, len(texts))


def _apart(texts: list[str], at: int, most: int) -> Iterator[tuple[list[str], str | None, int]]:
    """(numbers, their total as printed or None, where the total ends) for numbers read
    apart: up to `most` numbers, then the next one when it is their sum, or none when they
    sum to 0."""
    for n in range(min(most, len(texts) - at) + 1):
        parts = texts[at : at + n]
        total = sum(int(x) for x in parts)
        if at + n < len(texts) and int(texts[at + n]) == total:
            yield parts, texts[at + n], at + n + 1
        if total == 0:
            yield parts, None, at + n


def _sums(
    digits: str, at: int, most: int, *, last: bool
) -> Iterator[tuple[list[str], str | None, int]]:
    """(numbers, their total as printed or None, where the total ends): up to `most` numbers
    from `at`, then the digits of their sum — the rest of the run, for the last segment — or
    nothing, when the numbers are all 0."""
    for end in range(at, len(digits) + 1):
        if end - at <= most and digits[at:end] == "0" * (end - at):
            yield ["0"] * (end - at), None, end  # zeros, their total left blank
        longest = end - at + 1  # a sum has at most one digit more than its longest part
        stops = (len(digits),) if last else range(end + 1, min(len(digits), end + longest) + 1)
        for stop in stops:
            total = digits[end:stop]
            if not total or len(total) > longest or (total[0] == "0" and len(total) > 1):
                continue
            if end - at > most * len(total):
                continue  # more digits than `most` numbers no larger than the total hold
            if _digit_sum(digits[at:end]) % 9 != int(total) % 9:
                continue  # numbers add up to their digits' sum modulo 9, however cut
            for parts in _splits(digits[at:end], most, int(total)):
                yield parts, total, stop


def _splits(run: str, most: int, total: int) -> list[list[str]]:
    """Every way to cut `run` into at most `most` numbers (no leading zeros) summing to
    `total` (an empty run: no numbers, when the total is 0)."""
    size = len(run)
    most_from = [int(run[pos:]) for pos in range(size)]  # the digits read as one number
    nines = [_digit_sum(run[pos:]) % 9 for pos in range(size)]
    memo: dict[tuple[int, int, int], list[list[str]]] = {}

    def possible(pos: int, left: int, rest: int) -> bool:
        """Whether the digits from `pos` may still be cut into `left` numbers summing to
        `rest`: read as one number they are the most they can add up to; they hold no more
        than `left` numbers no larger than `rest`; however cut, their numbers add up to their
        digits' sum modulo 9."""
        return (
            left > 0
            and rest <= most_from[pos]
            and size - pos <= left * len(str(rest))
            and rest % 9 == nines[pos]
        )

    def cut(pos: int, left: int, rest: int) -> list[list[str]]:
        key = (pos, left, rest)
        if key not in memo:
            found: list[list[str]] = []
            for end in [pos + 1] if run[pos] == "0" else range(pos + 1, size + 1):
                piece = run[pos:end]
                n = int(piece)
                if n > rest:
                    break
                if end == size:
                    if n == rest:
                        found.append([piece])
                elif possible(end, left - 1, rest - n):
                    found += [[piece, *tail] for tail in cut(end, left - 1, rest - n)]
            memo[key] = found
        return memo[key]

    if not run:
        return [[]] if total == 0 else []
    return cut(0, most, total) if possible(0, most, total) else []


def _digit_sum(run: str) -> int:
    return sum(map(int, run))


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


def agreed(readings: Sequence[Reading]) -> list[str | None]:
    """Cell by cell, what every reading agrees on: its text (None: blank), ZERO_OR_BLANK
    where they agree only on the value 0, UNDECIDED where their values differ."""
    out: list[str | None] = []
    for texts in zip(*readings, strict=True):
        kinds = set(texts)
        if len(kinds) == 1:
            out.append(texts[0])
        elif kinds <= {None, "0"}:
            out.append(ZERO_OR_BLANK)
        else:
            out.append(UNDECIDED)
    return out
