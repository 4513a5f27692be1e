"""Tables of an unruled PDF rebuilt from the geometry of words alone.

A line whose trailing pieces are numbers set apart by wide gaps is a data row. The numbers'
x-ranges, merged where they overlap, are the data columns: a number lands in the column it
sits under, so a blank cell stays blank instead of shifting its neighbours left. Label pieces
are grouped into label columns by their left edge; lines without numbers between data rows are
wrapped labels (joined to the nearest row) or pieces of merged group labels (三、本年度办理结果
printed one character per line, （三）不予公开 …), which are joined per group and copied into every
row of the group, as an HTML rowspan would be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from govscrape.extract.pdf_geometry import TextLine, join_chars
from govscrape.extract.pdf_tables import (
    PdfTable,
    Span,
    is_number,
    join_cell_lines,
    stack_tables,
)

PIECE_GAP = 0.8  # a gap wider than this share of the line height separates two cells
# A number, possibly with the unit a cell sometimes carries ("251000元").
VALUE_RE = re.compile(r"^[-+−]?\d[\d,，]*(?:\.\d+)?\s*(?:万元|元|件|个|项|%)?$")
MARKERS = frozenset({"/", "-", "—", "－", "--", "——", "\\"})  # printed in place of a value
NARROW = 0.6  # a line narrower than this share of the text width may sit inside a table
MAX_INNER_LINES = 8  # at most this many lines without numbers between two data rows
BARE_PULL = 0.7  # a row without its own label draws wrapped label lines this much closer
CAPTION_GAP = 2.5  # a label line this many line heights from every data row is a caption
HEADING_RE = re.compile(r"^\s*[一二三四五六七八九十]+、\S{4,}")
FIRST_ITEM_RE = re.compile(r"^\s*(?:1[.、．]|[（(]一[）)]|[（(]1[）)]|一、)")


@dataclass(slots=True)
class Piece:
    """Characters of one line with no wide gap between them: one cell's text on that line."""

    text: str
    x0: float
    x1: float
    top: float

    @property
    def is_value(self) -> bool:
        return bool(VALUE_RE.match(self.text)) or self.text in MARKERS


@dataclass(slots=True)
class Row:
    """A data row: label pieces per label column, values per data column."""

    top: float
    bottom: float
    own: list[tuple[int, Piece]]  # (label column, piece) printed on the data line itself
    values: dict[int, Piece]
    extra: list[tuple[int, Piece]] = field(default_factory=list)  # from lines without numbers
    header: list[Piece] | None = None  # a caption or header line inside the table

    @property
    def leaf(self) -> int | None:
        if self.header is not None:
            return None
        cols = [c for c, _ in self.own + self.extra]
        return max(cols) if cols else None


def pieces(line: TextLine) -> list[Piece]:
    """The line cut at every wide gap."""
    out: list[list] = [[line.chars[0]]]
    for prev, ch in zip(line.chars, line.chars[1:], strict=False):
        if ch.x0 - prev.x1 > PIECE_GAP * line.height:
            out.append([])
        out[-1].append(ch)
    return [Piece(join_chars(cs), cs[0].x0, cs[-1].x1, line.top) for cs in out]


def is_data(ps: list[Piece]) -> bool:
    """Numbers (or dashes) at the end of a line, set apart from its label."""
    values = [i for i, p in enumerate(ps) if p.is_value]
    if not values or len(ps) < 2:
        return False
    first = values[0]
    return all(p.is_value for p in ps[first:]) and any(is_number(p.text) for p in ps[first:])


def layout_tables(lines: list[TextLine], page: int) -> tuple[list[PdfTable], list[TextLine]]:
    """Tables found among the page's lines, and the lines that are not part of one."""
    if not lines:
        return [], lines
    cut = [pieces(line) for line in lines]
    width = max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)
    tables, used = [], set()
    for start, end in _regions(lines, cut, width):
        start -= _leading_caption(lines, cut, start, end)
        table = _build(lines[start:end], cut[start:end], page)
        if table is not None:
            tables.append(table)
            used.update(range(start, end))
    return tables, [ln for i, ln in enumerate(lines) if i not in used]


def _regions(lines: list[TextLine], cut: list[list[Piece]], width: float) -> list[tuple[int, int]]:
    """Line ranges [start, end) that hold a table: tabular lines, narrow lines between them."""
    tabular = [len(ps) >= 2 for ps in cut]
    regions: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if not tabular[i]:
            i += 1
            continue
        end, j, inner = i + 1, i + 1, 0
        while j < len(lines) and inner <= MAX_INNER_LINES:
            if tabular[j]:
                end, inner = j + 1, 0
            elif lines[j].x1 - lines[j].x0 < NARROW * width and not _heading(cut[j]):
                inner += 1
            else:
                break
            j += 1
        end = _extend_tail(lines, cut, end)
        if sum(is_data(ps) for ps in cut[i:end]) >= 1 and end - i >= 2:
            regions.append((i, end))
        i = end
    return regions


def _leading_caption(lines: list[TextLine], cut: list[list[Piece]], start: int, end: int) -> int:
    """1 if the line above the table is its first block's caption, else 0.

    A table of blocks (table 二) starts with a caption line (第二十条第（一）项) that has one
    cell only, so the table's lines begin below it; it belongs to the table when further
    down a line just like it (same left edge, same distance) introduces the next block's
    header line.
    """
    if start == 0 or len(cut[start - 1]) != 1 or _heading(cut[start - 1]):
        return 0
    above, head = lines[start - 1], lines[start]
    if not _header_like(cut[start]):
        return 0
    gap = head.top - above.bottom
    for j in range(start + 1, end - 1):
        if (
            len(cut[j]) == 1
            and not cut[j][0].is_value
            and abs(lines[j].x0 - above.x0) <= 2.0
            and _header_like(cut[j + 1])
            and abs(lines[j + 1].top - lines[j].bottom - gap) <= 3.0
        ):
            return 1
    return 0


def _header_like(ps: list[Piece]) -> bool:
    return len(ps) >= 2 and not any(p.is_value for p in ps)


def _heading(ps: list[Piece]) -> bool:
    """A numbered heading ("四、政府信息公开行政复议…") ends a table; "三、" alone does not."""
    return len(ps) == 1 and bool(HEADING_RE.match(ps[0].text))


def _extend_tail(lines: list[TextLine], cut: list[list[Piece]], end: int) -> int:
    """Take in the wrapped tail of the last row's label, set tight under the table."""
    last_data = max((k for k in range(end) if is_data(cut[k])), default=None)
    if last_data is None:
        return end
    first_value = min(p.x0 for p in cut[last_data] if p.is_value)
    while end < len(lines) and len(cut[end]) == 1 and not _heading(cut[end]):
        line, prev = lines[end], lines[end - 1]
        if line.top - prev.bottom > 0.5 * line.height or line.x1 > first_value:
            break
        end += 1
    return end


def _bands(data: list[list[Piece]]) -> list[list[float]]:
    """Data columns: the x-ranges of the values, merged where they overlap."""
    return _merge_bands(sorted([p.x0, p.x1] for ps in data for p in ps if p.is_value))


def _merge_bands(spans: list[list[float]]) -> list[list[float]]:
    """Sorted x-ranges with those that overlap (or touch) merged into one."""
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return merged


def _header_bands(bands: list[list[float]], header: list[Piece]) -> list[list[float]]:
    """Add a column for a header cell that no value sits under (a column left all blank)."""
    out = [list(b) for b in bands]
    for p in header:
        if p.x0 < bands[0][0] - 1.0 or any(p.x0 < b1 and p.x1 > b0 for b0, b1 in out):
            continue
        out.append([p.x0, p.x1])
    return _merge_bands(sorted(out))


def _label_columns(xs: list[float], tolerance: float) -> list[float]:
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] > tolerance:
            out.append(x)
    return out


def _nearest(values: list[float], x: float) -> int:
    best = 0
    for i, v in enumerate(values):
        if v <= x + 1.0:
            best = i
    return best


def _band_range(bands: list[list[float]], p: Piece) -> tuple[int, int]:
    hits = [i for i, (b0, b1) in enumerate(bands) if p.x0 < b1 and p.x1 > b0]
    if not hits:
        centre = (p.x0 + p.x1) / 2
        i = min(range(len(bands)), key=lambda k: abs((bands[k][0] + bands[k][1]) / 2 - centre))
        return i, i + 1
    return hits[0], hits[-1] + 1


def _build(lines: list[TextLine], cut: list[list[Piece]], page: int) -> PdfTable | None:
    data_idx = [i for i, ps in enumerate(cut) if is_data(ps)]
    bands = _bands([cut[i] for i in data_idx])
    if bands:
        bands = _header_bands(bands, [p for ps in cut[: data_idx[0]] for p in ps])
    if not bands:
        return None
    left = bands[0][0] - 1.0
    starts = _block_starts(lines, cut, data_idx, left)
    if len(starts) == 1:
        return _part(lines, cut, page, bands)[0]
    parts = [
        _block(lines[a:b], cut[a:b], page, bands)
        for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)
    ]
    return stack_tables(parts, lines[0].top, lines[-1].bottom)


def _part(
    lines: list[TextLine], cut: list[list[Piece]], page: int, bands: list[list[float]]
) -> tuple[PdfTable, int]:
    """The lines as one table over the value columns `bands`, and its number of label columns."""
    data_idx = [i for i, ps in enumerate(cut) if is_data(ps)]
    left = bands[0][0] - 1.0
    height = sorted(ln.height for ln in lines)[len(lines) // 2]
    label_x = [p.x0 for ps in cut for p in ps if p.x1 <= left + 1.0 and not p.is_value]
    cols = _label_columns(label_x, height) if label_x else []
    grid = _Grid(cols, bands, len(cols))
    grid.place(lines, cut, data_idx, left)
    xs = [*cols, *(b[0] for b in bands), bands[-1][1]]
    top, bottom = lines[0].top, lines[-1].bottom
    x0, x1 = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    return PdfTable(xs, grid.nrows, grid.spans, page, top, bottom, x0, x1, [page]), len(cols)


# --- tables of blocks, each with its own header (table 二: one block per 第二十条 item) --------


def _block_starts(
    lines: list[TextLine], cut: list[list[Piece]], data_idx: list[int], left: float
) -> list[int]:
    """Where each block of the table starts: 0, and every header line met after data rows
    (with the caption line right above it) that has data rows of its own below it."""
    starts = [0]
    data = set(data_idx)
    for i in range(data_idx[0] + 1, len(lines)):
        if i in data or (i - 1 not in data and _block_header(lines[i - 1], cut[i - 1], left)):
            continue
        if not _block_header(lines[i], cut[i], left) or not any(k > i for k in data_idx):
            continue
        caption = i - 1 not in data and len(cut[i - 1]) == 1 and lines[i - 1].x1 <= left + 1.0
        start = i - 1 if caption else i
        if start > starts[-1] and any(starts[-1] < k < start for k in data_idx):
            starts.append(start)
    return starts


def _block_header(line: TextLine, ps: list[Piece], left: float) -> bool:
    """A line of column headers: no values, several cells, reaching over the value columns."""
    return _header_like(ps) and line.x1 > left + 1.0


def _block(
    lines: list[TextLine], cut: list[list[Piece]], page: int, table_bands: list[list[float]]
) -> tuple[PdfTable, int]:
    """One block as a table whose value columns are its own header cells.

    Blocks of one table set their headers at different places (three metrics in one block,
    one spanning all value columns in the next), so the values of every block are placed
    under that block's header. When the header cannot place every value of a row (none
    printed, or two values under one header cell) the values' own x-ranges are used, and a
    surplus cell then shows up in the row rather than being dropped.
    """
    data_idx = [i for i, ps in enumerate(cut) if is_data(ps)]
    left = table_bands[0][0] - 1.0
    heads = [p for ps in cut[: data_idx[0]] for p in ps if p.x1 > left + 1.0]
    bands = _merge_bands(sorted([p.x0, p.x1] for p in heads))
    if not bands or not _places_every_value(bands, [cut[i] for i in data_idx]):
        bands = _bands([cut[i] for i in data_idx])
        bands = _header_bands(bands, [p for ps in cut[: data_idx[0]] for p in ps])
    return _part(lines, cut, page, bands)


def _places_every_value(bands: list[list[float]], rows: list[list[Piece]]) -> bool:
    for ps in rows:
        hit = [_band_range(bands, p)[0] for p in ps if p.is_value]
        if len(set(hit)) != len(hit):
            return False
    return True


@dataclass
class _Grid:
    """Rows being assembled: header rows first, then data rows with their label pieces."""

    cols: list[float]
    bands: list[list[float]]
    nlabel: int
    spans: list[Span] = field(default_factory=list)
    nrows: int = 0

    def place(self, lines, cut, data_idx: list[int], left: float) -> None:
        first = data_idx[0]
        self._headers(lines[:first], cut[:first], left)
        rows: list[Row] = []
        loose: list[int] = []
        for i in range(first, len(lines)):
            row = Row(lines[i].top, lines[i].bottom, [], {})
            if i in data_idx:
                self._fill_own(row, cut[i])
            elif lines[i].x1 > left + 1.0 or self._introduces_header(lines, data_idx, i, left):
                row.header = cut[i]  # over the data columns, or a caption above a header
            else:
                loose.append(i)
                continue
            rows.append(row)
        data_rows = [r for r in rows if r.header is None]
        for i in loose:
            caption = self._attach(data_rows, lines[i], cut[i])
            if caption is not None:
                rows.append(caption)
        rows.sort(key=lambda r: r.top)
        self._emit_rows(rows, left)

    @staticmethod
    def _introduces_header(lines, data_idx: list[int], i: int, left: float) -> bool:
        """A label line right above a header line is a block caption, not a wrapped label."""
        nxt = i + 1
        return nxt < len(lines) and nxt not in data_idx and lines[nxt].x1 > left + 1.0

    def _headers(self, lines, cut, left: float) -> None:
        """Header lines above the first data row: a line with a piece over several data
        columns (申请人情况, 法人或其他组织) is a row of its own; all other header lines are
        one row, since without rules a header word split over lines ("商业" / "企业")
        cannot be told from two header levels. A first line all in the label columns above
        further header lines is the block's caption (第二十条第（五）项), a row of its own.
        """
        leaf: list[Piece] = []
        for n, ps in enumerate(cut):
            caption = n == 0 and len(cut) > 1 and all(p.x1 <= left + 1.0 for p in ps)
            if caption or any(
                _band_range(self.bands, p)[1] - _band_range(self.bands, p)[0] > 1
                for p in ps
                if p.x1 > left + 1.0
            ):
                self.nrows += 1
                for p in ps:
                    self._header_span(p, left)
            else:
                leaf.extend(ps)
        if leaf:
            self.nrows += 1
            for p in sorted(leaf, key=lambda p: (p.top, p.x0)):
                self._header_span(p, left)

    def _header_span(self, p: Piece, left: float) -> None:
        r = self.nrows - 1
        if p.x1 <= left + 1.0 and self.cols:
            c0, c1 = _nearest(self.cols, p.x0), _nearest(self.cols, p.x0) + 1
        else:
            b0, b1 = _band_range(self.bands, p)
            c0, c1 = b0 + self.nlabel, b1 + self.nlabel
        for s in self.spans:
            if s.r0 == r and (s.c0, s.c1) == (c0, c1):
                s.text, s.raw = join_cell_lines([s.text, p.text]), f"{s.raw}\n{p.text}"
                return
        self.spans.append(Span(r, r + 1, c0, c1, p.text, p.text))

    def _fill_own(self, row: Row, ps: list[Piece]) -> None:
        for p in ps:
            if p.is_value:
                row.values[_band_range(self.bands, p)[0]] = p
            elif self.cols:
                row.own.append((_nearest(self.cols, p.x0), p))

    def _attach(self, rows: list[Row], line: TextLine, ps: list[Piece]) -> Row | None:
        """Give a line without numbers to the data row it wraps around; a caption if far off.

        A row printed without a label of its own (its label wrapped above and below the
        numbers) is preferred when about as near as the row with a label.
        """
        centre = (line.top + line.bottom) / 2
        above = [r for r in rows if (r.top + r.bottom) / 2 <= centre]
        below = [r for r in rows if (r.top + r.bottom) / 2 > centre]
        options = [r for r in (above[-1] if above else None, below[0] if below else None) if r]

        def distance(r: Row) -> float:
            return abs((r.top + r.bottom) / 2 - centre) * (BARE_PULL if not r.own else 1.0)

        row = min(options, key=distance)
        far = abs((row.top + row.bottom) / 2 - centre) > CAPTION_GAP * line.height
        leaf = row.leaf
        column = _nearest(self.cols, ps[0].x0) if self.cols else None
        if far and column == 0 and leaf is not None and column >= leaf:
            return Row(line.top, line.bottom, [], {}, header=ps)
        for p in ps:
            if self.cols:
                row.extra.append((_nearest(self.cols, p.x0), p))
        return None

    def _emit_rows(self, rows: list[Row], left: float) -> None:
        base = self.nrows
        for k, row in enumerate(rows):
            r = base + k
            if row.header is not None:
                self.nrows = r + 1
                for p in row.header:
                    self._header_span(p, left)
                continue
            leaf = row.leaf
            if leaf is not None:
                text = [p for c, p in sorted(row.own + row.extra, key=_order) if c >= leaf]
                joined = join_cell_lines([p.text for p in text])
                raw = "\n".join(p.text for p in text)
                self.spans.append(Span(r, r + 1, leaf, self.nlabel, joined, raw))
            for b, p in row.values.items():
                c = self.nlabel + b
                self.spans.append(Span(r, r + 1, c, c + 1, p.text, p.text))
        for col in range(self.nlabel - 1):
            self._group_column(rows, base, col)
        self.nrows = base + len(rows)

    def _group_column(self, rows: list[Row], base: int, col: int) -> None:
        """Join the pieces of merged group labels in `col` and copy them over their rows."""
        run: list[int] = []
        for k, row in enumerate([*rows, None]):
            leaf = None if row is None else row.leaf
            ends = row is None or leaf is None or leaf <= col
            restart = not ends and leaf == col + 1 and _starts_list(row)
            if (ends or restart) and run:
                self._group_span(rows, base, run, col)
                run = []
            if not ends:
                run.append(k)

    def _group_span(self, rows: list[Row], base: int, run: list[int], col: int) -> None:
        parts = [
            p
            for k in run
            for c, p in rows[k].own + rows[k].extra
            if c == col and c < (rows[k].leaf or 0)
        ]
        if not parts:
            return
        parts.sort(key=lambda p: (p.top, p.x0))
        texts = [p.text for p in parts]
        r0, r1 = base + run[0], base + run[-1] + 1
        self.spans.append(Span(r0, r1, col, col + 1, join_cell_lines(texts), "\n".join(texts)))


def _order(item: tuple[int, Piece]) -> tuple[float, float]:
    return item[1].top, item[1].x0


def _starts_list(row: Row) -> bool:
    leaf = row.leaf
    texts = [p.text for c, p in sorted(row.own + row.extra, key=_order) if c == leaf]
    return bool(texts) and bool(FIRST_ITEM_RE.match(texts[0]))
