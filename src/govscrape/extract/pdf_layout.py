"""Tables of an unruled PDF rebuilt from the geometry of words alone.

A line whose trailing pieces are numbers set apart by wide gaps is a data row. The numbers'
x-ranges, merged where they overlap, are the data columns: a number lands in the column it
sits under, so a blank cell stays blank instead of shifting its neighbours left. Label pieces
are grouped into label columns by their left edge; lines without numbers between data rows are
wrapped labels (joined to the nearest row) or pieces of merged group labels (三、本年度办理结果
printed one character per line, （三）不予公开 …), which are joined per group and copied into every
row of the group, as an HTML rowspan would be. Pieces and bands: pdf_layout_pieces.py; the
grid assembled from them: pdf_layout_grid.py.
"""

from __future__ import annotations

import re

from govscrape.extract.pdf_geometry import TextLine
from govscrape.extract.pdf_layout_grid import LayoutGrid
from govscrape.extract.pdf_layout_pieces import (
    Piece,
    band_range,
    header_bands,
    is_data,
    label_columns,
    merge_bands,
    pieces,
    value_bands,
)
from govscrape.extract.pdf_tables import PdfTable, stack_tables

NARROW = 0.6  # a line narrower than this share of the text width may sit inside a table
MAX_INNER_LINES = 8  # at most this many lines without numbers between two data rows
HEADING_RE = re.compile(r"^\s*[一二三四五六七八九十]+、\S{4,}")


def layout_tables(lines: list[TextLine], page: int) -> tuple[list[PdfTable], list[TextLine]]:
    """Tables found among the page's lines, and the lines that are not part of one."""
    if not lines:
        return [], lines
    cut = [pieces(line) for line in lines]
    width = max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)
    tables: list[PdfTable] = []
    used: set[int] = set()
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


def _build(lines: list[TextLine], cut: list[list[Piece]], page: int) -> PdfTable | None:
    data_idx = [i for i, ps in enumerate(cut) if is_data(ps)]
    bands = value_bands([cut[i] for i in data_idx])
    if bands:
        bands = header_bands(bands, [p for ps in cut[: data_idx[0]] for p in ps])
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
    cols = label_columns(label_x, height) if label_x else []
    grid = LayoutGrid(cols, bands, len(cols))
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
    bands = merge_bands(sorted([p.x0, p.x1] for p in heads))
    if not bands or not _places_every_value(bands, [cut[i] for i in data_idx]):
        bands = value_bands([cut[i] for i in data_idx])
        bands = header_bands(bands, [p for ps in cut[: data_idx[0]] for p in ps])
    return _part(lines, cut, page, bands)


def _places_every_value(bands: list[list[float]], rows: list[list[Piece]]) -> bool:
    for ps in rows:
        hit = [band_range(bands, p)[0] for p in ps if p.is_value]
        if len(set(hit)) != len(hit):
            return False
    return True
