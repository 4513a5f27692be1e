"""Table 三 in PDF-like text: label pieces aligned to the template's rows, numbers attached safely.

(A grid's rows with damaged labels are aligned the same way: each grid row is one line, its
label and its numbers on it.)

PDF text gives a table row as lines: a long label wraps, its numbers stand on the middle line
(or on a line of their own between two halves), and the pieces of merged group labels (the
vertical 三、本年度办理结果, one character per line; （三）不予公开 split in two) interleave with
the rows. Reading it line by line lets one row's numbers land in the row above. Here:

1. Alignment. The label pieces are matched to the template rows in order: a dynamic programme
   over (piece, row) joins up to MAX_GROUP consecutive pieces into one printed label, skips
   pieces that match nothing (group-label characters, a repeated header) and rows the report
   lacks, and scores a match by label similarity (parse/similarity.py). A printed label that
   carries a template key or variant (labels.LabelIndex) is an anchor; anchors bound the rows
   a piece may take, so the programme stays small.
2. Attachment. A line of numbers belongs to a row only when that is certain: it stands on a
   line of that row's label which contributes characters of that label, or between two
   pieces of the same row's label. Any other line of numbers is stray: the rows on both sides
   of it that have no numbers of their own are left unread with a finding naming them, and
   the stray line is an unmatched row. A row with two lines of numbers is unread, too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from govscrape.labels import LabelIndex, normalise
from govscrape.parse.rows import Piece
from govscrape.parse.similarity import (
    TOLERANCE_PER,
    Similarity,
    bag,
    compare,
    contribution,
    plain,
)
from govscrape.template import Line

MAX_GROUP = 6  # the longest label (~40 characters) wraps over up to six narrow lines
SKIP_PIECE = -0.1  # a piece that is no row's label (kept as parse.unmatched_label)
SKIP_ROW = -0.05  # a row the report does not print
ANCHOR_SCORE = 1.5  # the least a match by key or variant scores, whatever else it carries


@dataclass(slots=True)
class Event:
    """One line of the table as text: its label part and its value cells."""

    label: str
    values: list[Piece]
    raw: str
    whole: bool = False  # a grid row: its numbers are its own label's, never a neighbour's


@dataclass(slots=True)
class Match:
    """Template row `line` printed as pieces `pieces` (indexes into the events)."""

    line: Line
    pieces: list[int]
    similarity: Similarity
    by_key: bool  # the printed label carries a template key or variant

    @property
    def fuzzy(self) -> bool:
        return not self.by_key


@dataclass
class Alignment:
    """Rows found, their numbers, and what could not be placed."""

    matches: dict[str, Match] = field(default_factory=dict)
    values: dict[str, list[int]] = field(default_factory=dict)  # row -> events with its numbers
    uncertain: dict[str, str] = field(default_factory=dict)  # row -> why its numbers are unsure
    stray: list[int] = field(default_factory=list)  # events: numbers no row may claim
    unmatched: list[int] = field(default_factory=list)  # events: labels matching no row
    first: int | None = None  # the event of the first row's first piece


@dataclass
class _Table:
    """What the programme reads: the label pieces and the template rows, as bags."""

    events: list[Event]
    pieces: list[int]  # event numbers of the lines carrying label text
    bags: list[Counter]
    group_only: list[bool]
    labels: list[Counter]
    lines: tuple[Line, ...]
    index: LabelIndex
    group: frozenset[str]
    optional: frozenset[str]
    commons: dict[tuple[int, int], int] = field(default_factory=dict)

    def common(self, k: int, j: int) -> int:
        """Characters of row j's label that piece k carries (cached)."""
        hit = self.commons.get((k, j))
        if hit is None:
            hit = self.commons[k, j] = contribution(self.bags[k], Counter(), self.labels[j])
        return hit


def align(
    events: list[Event],
    lines: tuple[Line, ...],
    index: LabelIndex,
    group: frozenset[str],
    optional: frozenset[str] = frozenset(),
) -> Alignment:
    """Align the events' label pieces to `lines` (template order), then attach the numbers."""
    pieces = [i for i, e in enumerate(events) if plain(e.label)]
    bags = [bag(events[i].label) for i in pieces]
    # Pieces made of group-label characters only (三、 本 年 度 …) are no row's label,
    # unless numbers stand on their line: (六)其他处理 printed as v2019's one row.
    group_only = [
        all(ch in group for ch in b) and not has_numbers(events[i])
        for i, b in zip(pieces, bags, strict=True)
    ]
    labels = [bag(line.label) for line in lines]
    table = _Table(events, pieces, bags, group_only, labels, lines, index, group, optional)
    out = Alignment()
    for j, start, size, sim, by_key in _programme(table, _bands(pieces, events, lines, index)):
        out.matches[lines[j].code] = Match(lines[j], pieces[start : start + size], sim, by_key)
    if out.matches:
        out.first = min(min(m.pieces) for m in out.matches.values())
    _attach(out, table)
    return out


def _bands(pieces, events, lines, index) -> list[tuple[int, int]]:
    """For each piece, the rows [lo, hi] it may take: between the anchors around it."""
    anchors = _anchors(pieces, events, lines, index)
    bands = []
    a = 0
    for k in range(len(pieces)):
        while a < len(anchors) and anchors[a][0] < k:
            a += 1
        lo = anchors[a - 1][1] if a > 0 else 0
        hi = anchors[a][1] if a < len(anchors) else len(lines) - 1
        if a < len(anchors) and anchors[a][0] == k:
            hi = anchors[a + 1][1] if a + 1 < len(anchors) else len(lines) - 1
        bands.append((lo, hi))
    return bands


def _anchors(pieces, events, lines, index) -> list[tuple[int, int]]:
    """(piece no., row no.) of pieces naming a row by key or variant: the longest chain
    increasing in both (a header word such as 其他 naming a late row is left out)."""
    order = {line.code: j for j, line in enumerate(lines)}
    hits = [
        (k, order[x.code])
        for k, i in enumerate(pieces)
        for x in index.match(events[i].label)
        if x.code in order
    ]
    if not hits:
        return []
    length = [1] * len(hits)
    prev = [-1] * len(hits)
    for b, (kb, jb) in enumerate(hits):
        for a in range(b):
            ka, ja = hits[a]
            if ka < kb and ja < jb and length[a] + 1 > length[b]:
                length[b], prev[b] = length[a] + 1, a
    at = max(range(len(hits)), key=length.__getitem__)
    chain = []
    while at >= 0:
        chain.append(hits[at])
        at = prev[at]
    return chain[::-1]


def _programme(t: _Table, band: list[tuple[int, int]]) -> list[tuple]:
    """The best monotone matching of pieces to rows (see the module docstring): a list of
    (row no., first piece no., pieces, similarity, by key)."""
    n, m = len(t.pieces), len(t.lines)
    neg = float("-inf")
    score = [[neg] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    score[0][0] = 0.0

    def reach(i: int, j: int, value: float, step: tuple) -> None:
        if value > score[i][j]:
            score[i][j], back[i][j] = value, step

    for i in range(n + 1):
        for j in range(m + 1):
            s = score[i][j]
            if s == neg:
                continue
            if i < n:
                reach(i + 1, j, s + (0.0 if t.group_only[i] else SKIP_PIECE), (i, j, None))
            if j < m:
                reach(i, j + 1, s + SKIP_ROW, (i, j, None))
            if i < n and j < m and band[i][0] <= j <= band[i][1] and not t.group_only[i]:
                for size, found in _groups(t, i, j):
                    reach(i + size, j + 1, s + found[0], (i, j, (j, i, size, found[1], found[2])))
    return _path(back, n, m)


def _groups(t: _Table, i: int, j: int):
    """(pieces, (score, similarity, by key)) for each group of pieces from i that may print
    row j. A group is only tried while its pieces could hold the label's characters."""
    if t.common(i, j) == 0:
        return
    size_of_label = t.labels[j].total()
    allowed = size_of_label // TOLERANCE_PER
    total: Counter = Counter()
    bound = 0
    for size in range(1, min(MAX_GROUP, len(t.pieces) - i) + 1):
        k = i + size - 1
        total.update(t.bags[k])
        bound += t.common(k, j)
        if size > 1 and not t.group_only[k] and t.common(k, j) == 0:
            return  # a piece without a character of the label is another row's
        found = _match(t, i, size, j, total, bound >= size_of_label - allowed)
        if found is not None:
            yield size, found


def _match(t: _Table, i: int, size: int, j: int, total: Counter, close: bool):
    """(score, similarity, by key) when pieces i..i+size-1 may print row j, else None."""
    joined = "".join(t.events[t.pieces[k]].label for k in range(i, i + size) if not t.group_only[k])
    # An optional row (v2021's (六)其他处理 as one row) is taken only when printed as such,
    # never because a longer label carries its words.
    code = t.lines[j].code
    by_key = code not in t.optional and any(x.code == code for x in t.index.match(joined))
    if not by_key and not close:
        return None
    sim = compare(total, t.labels[j], t.group)
    if by_key:
        return max(sim.score, ANCHOR_SCORE), sim, True
    if sim.acceptable(t.labels[j].total()):
        return sim.score, sim, False
    return None


def _path(back: list[list[tuple | None]], n: int, m: int) -> list[tuple]:
    i, j = n, m
    out = []
    while (i, j) != (0, 0):
        prev = back[i][j]
        if prev is None:
            break
        if prev[2] is not None:
            out.append(prev[2])
        i, j = prev[0], prev[1]
    return out[::-1]


def _attach(out: Alignment, t: _Table) -> None:
    """Give each line of numbers to the row it certainly belongs to (module docstring)."""
    events = t.events
    row_of: dict[int, str] = {i: code for code, m in out.matches.items() for i in m.pieces}
    # Pieces with numbers matching no row are unmatched rows; without numbers they are a
    # repeated header, or words of a row whose numbers, if any, are stray (below).
    for k, i in enumerate(t.pieces):
        if i not in row_of and not t.group_only[k] and has_numbers(events[i]):
            out.unmatched.append(i)
    strays = []
    for i, e in enumerate(events):
        if not has_numbers(e):
            continue
        code = row_of.get(i)
        if code is None and e.whole and e.label:
            continue  # an unmatched grid row: its numbers are its own (parse.unmatched_label)
        if code is not None and _before_numbering(i, out.matches[code], events):
            code = None  # a piece before the row's own numbering: the tail of the row above
        if code is not None and _carries_label(i, out.matches[code], events, t):
            out.values.setdefault(code, []).append(i)
            continue
        before, after = _sides(i, row_of, len(events))
        if before is not None and before == after:
            out.values.setdefault(before, []).append(i)
        elif before is not None or after is not None:
            strays.append((i, before, after))
    for i, before, after in strays:
        # In a grid, a row of numbers with no label of its own may be the numbers of a wrapped
        # label above or those of a row whose label cell was lost, beside a row printed blank:
        # the two cannot be told apart, so it is given to neither (both stay unread).
        owner = None if events[i].whole else _only_owner(out, t, before, after)
        if owner is not None:
            out.values.setdefault(owner, []).append(i)
        else:
            out.stray.append(i)
    for code, found in out.values.items():
        if len(found) > 1:
            out.uncertain[code] = " / ".join(events[i].raw for i in found)
    # A row found by part of its label may have lost the rest, and the numbers on it, to a
    # neighbour whose label shares its words: it is not read as blank.
    for code, match in out.matches.items():
        if code not in out.values and match.similarity.missing:
            out.uncertain.setdefault(code, " / ".join(events[i].raw for i in match.pieces))
    # A row without numbers beside a stray line may have lost them to it: never read as blank.
    for i in out.stray:
        for code in _sides(i, row_of, len(events)):
            if code is not None and code not in out.values:
                out.uncertain.setdefault(code, events[i].raw)


def _only_owner(out: Alignment, t: _Table, before, after) -> str | None:
    """The one row a line of numbers between two rows' labels can belong to: the rows are
    neighbours in the template, nothing but group-label characters stands between their
    labels, and exactly one of them has no numbers of its own."""
    if before is None or after is None:
        return None
    order = [x.code for x in t.lines if x.code not in t.optional or x.code in (before, after)]
    if order.index(after) != order.index(before) + 1:
        return None
    end, start = max(out.matches[before].pieces), min(out.matches[after].pieces)
    between = (k for k, i in enumerate(t.pieces) if end < i < start)
    if any(not t.group_only[k] for k in between):
        return None
    owners = [c for c in (before, after) if c not in out.values]
    return owners[0] if len(owners) == 1 else None


def _sides(i: int, row_of: dict[int, str], n: int) -> tuple[str | None, str | None]:
    """The rows whose label pieces stand nearest before and after event i."""
    before = next((row_of[x] for x in range(i - 1, -1, -1) if x in row_of), None)
    after = next((row_of[x] for x in range(i + 1, n) if x in row_of), None)
    return before, after


def _carries_label(i: int, match: Match, events: list[Event], t: _Table) -> bool:
    """Whether the line's own label text brings characters of the row's label."""
    rest: Counter = Counter()
    for k in match.pieces:
        if k != i:
            rest.update(bag(events[k].label))
    return contribution(bag(events[i].label), rest, bag(match.line.label)) > 0


def _before_numbering(i: int, match: Match, events: list[Event]) -> bool:
    """Whether event i is a piece of the match standing before the piece that carries the
    row's numbering (2、 of 2.申请人逾期…): the printed label starts there."""
    mark = numbering(match.line.label)
    if mark is None:
        return False
    at = next((k for k in match.pieces if mark.search(normalise(events[k].label))), None)
    return at is not None and i < at


@lru_cache(maxsize=256)
def numbering(label: str) -> re.Pattern[str] | None:
    """A regex finding the label's numbering as printed (1. 1、 1．; (七) （七）), if any."""
    m = re.match(
        r"^(?:\(([一二三四五六七八九十]{1,2})\)|([一二三四五六七八九十]{1,2})、|(\d{1,2})\.)",
        normalise(label),
    )
    if m is None:
        return None
    if m.group(1):
        return re.compile(rf"\({m.group(1)}\)")
    if m.group(2):
        return re.compile(rf"(?<![一二三四五六七八九十]){m.group(2)}、")
    return re.compile(rf"(?<!\d){m.group(3)}[.、)]")


def has_numbers(event: Event) -> bool:
    return any(not v.blank for v in event.values)
