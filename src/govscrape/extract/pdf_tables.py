"""Tables of a PDF rebuilt from geometry: ruled cells, spans, and tables continued over pages.

A `PdfTable` keeps each source cell as a `Span` over grid rows/columns, so a table continued on
the next page can be appended (columns matched by x-position, repeated header rows dropped,
merged labels and rows cut by the page break joined again) before it becomes a `Grid`; and
tables made of blocks with their own columns (table 二) can be stacked into one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from pdfplumber.table import (
    cells_to_tables,
    edges_to_intersections,
    intersections_to_cells,
    merge_edges,
)

from govscrape import template as T
from govscrape.document import Grid, GridCell
from govscrape.extract.normalise import join_pieces
from govscrape.extract.pdf_geometry import Char, group_lines, join_chars
from govscrape.labels import LabelIndex

SNAP = 3.0  # rules closer than this (pt) are one rule; pdfplumber's default
COLUMN_MATCH = 8.0  # a continued table's column boundary may shift this much between pages
NUMBER_RE = re.compile(r"^[-+−]?\d[\d,，]*(?:\.\d+)?%?$")
# A label starting a new item: （四） / 四、 / 4. / 4、 / (4) — not the tail of a cut label.
NUMBERED_RE = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])"
)


@dataclass(slots=True)
class Span:
    """One source cell: the grid rows [r0, r1) and columns [c0, c1) it covers."""

    r0: int
    r1: int
    c0: int
    c1: int
    text: str
    raw: str


@dataclass(slots=True)
class PdfTable:
    """A table as spans over a grid with column boundaries `xs` (pt) and `nrows` rows."""

    xs: list[float]
    nrows: int
    spans: list[Span]
    page: int
    top: float
    bottom: float
    x0: float = 0.0
    x1: float = 0.0
    pages: list[int] = field(default_factory=list)

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1

    def row_texts(self, r: int) -> tuple[str, ...]:
        texts = [""] * self.ncols
        for s in self.spans:
            if s.r0 <= r < s.r1:
                for c in range(s.c0, s.c1):
                    texts[c] = s.text
        return tuple(texts)


def is_number(text: str) -> bool:
    return bool(NUMBER_RE.match(text.replace(" ", "")))


def join_cell_lines(lines: list[str]) -> str:
    """Lines of one cell as one text: nothing between CJK characters, a space otherwise."""
    return join_pieces(lines)


def ruled_tables(edges: list[dict], chars: list[Char], page: int) -> list[PdfTable]:
    """Tables found from the page's rules (at least two columns), with their cell text."""
    if len(edges) < 4:
        return []
    merged = merge_edges(edges, SNAP, SNAP, SNAP, SNAP)
    merged = [e for e in merged if max(e["width"], e["height"]) >= SNAP]
    cells = intersections_to_cells(edges_to_intersections(merged, SNAP, SNAP))
    tables = []
    for group in cells_to_tables(cells):
        table = _table_from_cells(group, chars, page)
        if table.ncols >= 2 and table.nrows >= 1:
            tables.append(table)
    return tables


def _cluster(values: list[float]) -> list[float]:
    """Sorted values with near-duplicates (within SNAP) collapsed to their first."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def _table_from_cells(cells: list[tuple], chars: list[Char], page: int) -> PdfTable:
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells])
    ys = _cluster([c[1] for c in cells] + [c[3] for c in cells])
    boxes = [
        (_index(ys, c[1]), _index(ys, c[3]), _index(xs, c[0]), _index(xs, c[2]), c) for c in cells
    ]
    boxes = [b for b in boxes if b[1] > b[0] and b[3] > b[2]]
    at = {
        (r, c): i
        for i, (r0, r1, c0, c1, _) in enumerate(boxes)
        for r in range(r0, r1)
        for c in range(c0, c1)
    }
    inside: list[list[Char]] = [[] for _ in boxes]
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        if not (xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]):
            continue
        pos = (bisect_right(ys, cy) - 1, bisect_right(xs, cx) - 1)
        if pos in at:
            inside[at[pos]].append(ch)
    spans = [_span(b, inside[i]) for i, b in enumerate(boxes)]
    return PdfTable(xs, len(ys) - 1, spans, page, ys[0], ys[-1], xs[0], xs[-1], [page])


def _span(box: tuple, chars: list[Char]) -> Span:
    r0, r1, c0, c1, _ = box
    lines = [join_chars(line.chars) for line in group_lines(chars)]
    return Span(r0, r1, c0, c1, join_cell_lines(lines), "\n".join(lines))


def inside_any(ch: Char, tables: list[PdfTable]) -> bool:
    cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
    return any(t.x0 <= cx <= t.x1 and t.top <= cy <= t.bottom for t in tables)


# --- continuation over a page break --------------------------------------------------------


def continue_table(prev: PdfTable, nxt: PdfTable) -> bool:
    """Append `nxt` (the top of the next page) to `prev` if it continues it; True if it did.

    The two parts share their outer edges; inner column boundaries of either part are merged
    (a page may draw fewer rules, e.g. when only spanned label rows fall on it).
    """
    union = _column_union(prev.xs, nxt.xs)
    if union is None:
        return False
    _remap(prev, union, 0.0)
    moved = PdfTable(union, nxt.nrows, list(nxt.spans), nxt.page, nxt.top, nxt.bottom)
    _remap(moved, union, nxt.xs[0] - prev.xs[0], old_xs=nxt.xs)
    skip = _repeated_header_rows(prev, moved)
    if _joins_split_row(prev, moved, skip):
        skip += 1
    offset = prev.nrows - skip
    for s in moved.spans:
        if s.r1 <= skip:
            continue
        s.r0, s.r1 = max(s.r0, skip) + offset, s.r1 + offset
        if s.r0 == skip + offset and _joins_cut_label(prev, s):
            continue
        prev.spans.append(s)
    last = prev.nrows - 1
    prev.nrows = offset + moved.nrows
    _extend_open_groups(prev, last)
    prev.pages.append(nxt.page)
    prev.bottom = nxt.bottom
    return True


def _column_union(old: list[float], new: list[float]) -> list[float] | None:
    """Both parts' column boundaries in the first part's coordinates, or None if unrelated."""
    left, right = new[0] - old[0], new[-1] - old[-1]
    if abs(left) > COLUMN_MATCH or abs(right) > COLUMN_MATCH:
        return None
    shifted = [old[0], *(x - left for x in new[1:-1]), old[-1]]
    union: list[float] = []
    for x in sorted([*old, *shifted]):
        if not union or x - union[-1] > COLUMN_MATCH:
            union.append(x)
    return union


def _remap(table: PdfTable, union: list[float], shift: float, old_xs=None) -> None:
    """Re-index the table's spans onto the `union` column boundaries."""
    xs = old_xs if old_xs is not None else table.xs
    index = [_index(union, x - shift) for x in xs]
    index[0], index[-1] = 0, len(union) - 1
    for s in table.spans:
        s.c0, s.c1 = index[s.c0], index[s.c1]
    table.spans = [s for s in table.spans if s.c1 > s.c0]
    table.xs = union


def _repeated_header_rows(prev: PdfTable, nxt: PdfTable) -> int:
    """How many leading rows of `nxt` repeat the leading rows of `prev` (a repeated header)."""
    n = 0
    while n < min(prev.nrows, nxt.nrows) and any(nxt.row_texts(n)):
        if _row_words(nxt, n) != _row_words(prev, n) or _has_number(prev.row_texts(n)):
            break
        n += 1
    return n


def _row_words(table: PdfTable, r: int) -> tuple[str, ...]:
    """The texts of row r left to right, each cell once: the same header drawn with other
    column boundaries (a label over three columns on one page, one on the next) compares equal."""
    spans = sorted((s for s in table.spans if s.r0 <= r < s.r1 and s.text), key=lambda s: s.c0)
    return tuple(s.text for s in spans)


def _joins_split_row(prev: PdfTable, nxt: PdfTable, row: int) -> bool:
    """Join row `row` of `nxt` to the last row of `prev` if it is that row's remainder.

    A row allowed to break across pages leaves the tail of its wrapped label at the top of
    the next page, in a row of its own with no value: text only in cells where the cut row
    has a label, none of it a number or the start of a numbered item. A row whose values are
    all blank looks the same, so when both texts are template labels on their own (规章 above,
    规范性文件 below) they are two rows, not one.
    """
    last = prev.nrows - 1
    if row >= nxt.nrows:
        return False
    # Group labels running on down the page are left to _joins_cut_label/_extend_open_groups.
    texts = [s for s in nxt.spans if s.r0 == row and s.r1 == row + 1 and s.text]
    if not texts or _has_number(nxt.row_texts(row)):
        return False
    pairs = []
    for s in texts:
        old = next(
            (o for o in prev.spans if o.r1 - 1 == last and (o.c0, o.c1) == (s.c0, s.c1)), None
        )
        if old is None or not old.text or is_number(old.text) or is_number(s.text):
            return False
        if NUMBERED_RE.match(s.text) or (is_row_label(s.text) and is_row_label(old.text)):
            return False
        pairs.append((old, s))
    for old, s in pairs:
        old.text = join_cell_lines([old.text, s.text])
        old.raw = "\n".join(t for t in (old.raw, s.raw) if t)
    return True


@lru_cache(maxsize=1)
def _row_labels() -> LabelIndex:
    items = [i for blocks in T.ACTIVE_DISCLOSURE.values() for b in blocks for i in b.items]
    return LabelIndex([*T.REQUEST_ROWS, *items])


def is_row_label(text: str) -> bool:
    """Whether `text` names a row of table 二 or 三 by itself (the parser's label matching)."""
    return bool(text) and bool(_row_labels().match(text))


def _has_number(texts: tuple[str, ...]) -> bool:
    return any(is_number(t) for t in texts)


def _joins_cut_label(prev: PdfTable, span: Span) -> bool:
    """Extend a merged group label the page break cut in two; True if `span` was absorbed.

    The label (e.g. 三、本年度办理结果 or （四）无法提供) ends on the last row of the page and
    resumes in the same columns on the first row of the next page, with a further label to its
    right on both sides; the resumed part is blank or a tail, not a newly numbered item.
    """
    last = prev.nrows - 1
    for old in prev.spans:
        if old.r1 != span.r0 or old.r1 - 1 != last or (old.c0, old.c1) != (span.c0, span.c1):
            continue
        if is_number(old.text) or is_number(span.text) or NUMBERED_RE.match(span.text):
            return False
        if not _label_to_right(prev, old, last):
            return False
        old.r1 = span.r1
        old.text = join_cell_lines([old.text, span.text])
        old.raw = "\n".join(t for t in (old.raw, span.raw) if t)
        return True
    return False


def _extend_open_groups(table: PdfTable, last: int) -> None:
    """Carry a group label that ended the page on over the next page's rows left without one.

    Without rules a group label printed only on the earlier page leaves its column empty on
    the continued rows; they still belong to it until a label starts in or left of that column.
    """
    covered = {(r, c) for s in table.spans for r in range(s.r0, s.r1) for c in range(s.c0, s.c1)}
    for old in [s for s in table.spans if s.r1 - 1 == last and s.text]:
        if is_number(old.text) or not _label_to_right(table, old, last):
            continue
        r = last + 1
        while r < table.nrows and not any((r, c) in covered for c in range(old.c0, old.c1)):
            if not _label_to_right(table, old, r):
                break
            r += 1
        old.r1 = max(old.r1, r)


def _label_to_right(table: PdfTable, span: Span, row: int) -> bool:
    return any(
        s.r0 <= row < s.r1 and s.c0 >= span.c1 and s.text and not is_number(s.text)
        for s in table.spans
    )


def to_grid(table: PdfTable) -> Grid:
    """The table as a Grid: spans expanded, copies keeping their source cell's origin."""
    rows = [[GridCell("", (r, c), None) for c in range(table.ncols)] for r in range(table.nrows)]
    for s in table.spans:
        for r in range(s.r0, s.r1):
            for c in range(s.c0, s.c1):
                rows[r][c] = GridCell(s.text, (s.r0, s.c0), s.raw or None)
    return Grid(rows, table.pages[0] if table.pages else table.page)


# --- blocks stacked into one table -----------------------------------------------------------


def stack_tables(parts: list[tuple[PdfTable, int]], top: float, bottom: float) -> PdfTable:
    """Tables of one block each, given with their number of label columns, as one table.

    Every block keeps its own columns: its label columns stay at the left, its value columns
    follow them, and its last label and last value column span out to the shared ones (as
    the national table 二 spans 本年处理决定数量 over three columns). A caption row (one cell
    at the left and nothing else) spans the whole width.
    """
    nlabel = max(n for _, n in parts)
    nvalue = max(t.ncols - n for t, n in parts)
    width = nlabel + nvalue
    spans: list[Span] = []
    nrows = 0
    for table, n in parts:
        rows = [[s for s in table.spans if s.r0 == r] for r in range(table.nrows)]
        for s in table.spans:
            c0 = s.c0 if s.c0 < n else nlabel + s.c0 - n
            c1 = _stacked_end(s.c1, n, table.ncols, nlabel, width)
            if len(rows[s.r0]) == 1 and s.c0 == 0 and s.c1 <= n:
                c1 = width
            spans.append(Span(s.r0 + nrows, s.r1 + nrows, c0, c1, s.text, s.raw))
        nrows += table.nrows
    labels = next(t for t, n in parts if n == nlabel)
    values = next((t, n) for t, n in parts if t.ncols - n == nvalue)
    xs = [*labels.xs[:nlabel], *values[0].xs[values[1] :]]
    first = parts[0][0]
    x0, x1 = min(t.x0 for t, _ in parts), max(t.x1 for t, _ in parts)
    return PdfTable(xs, nrows, spans, first.page, top, bottom, x0, x1, [first.page])


def _stacked_end(c1: int, nlabel: int, ncols: int, label_width: int, width: int) -> int:
    if c1 == ncols:
        return width
    if c1 == nlabel:
        return label_width
    return c1 if c1 < nlabel else label_width + c1 - nlabel
