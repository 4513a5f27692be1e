"""HTML <table> → Grid: rowspan/colspan expanded, rows padded, cell text normalised."""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborNode

from govscrape.document import Grid, GridCell
from govscrape.extract.normalise import join_pieces, normalise_cell

MAX_COLSPAN = 100  # beyond this a colspan is a typo ("colspan=1000"), not a layout
MAX_GRID_CELLS = 200_000  # a table larger than this is not a report table; stop expanding
LAYOUT_MAX_CELLS = 8  # a table this small holding another table only arranges the page
SECTION_TAGS = frozenset(("thead", "tbody", "tfoot"))
CELL_TAGS = frozenset(("td", "th"))
LINE_BREAK_TAGS = frozenset(("br", "p", "div", "li", "tr", "td", "th", "table", "h1", "h2", "h3"))
# A data table: numbers in cells, or the wording of the national tables.
STAT_MIN_NUMBERS = 3
STAT_MARKERS = ("第二十条", "自然人", "行政复议", "信息内容", "申请人情况")
_NUMBER = re.compile(r"[-+−－]?\d[\d,，]*(?:\.\d+)?(?:万?元|件|个|项)?")
_SEP = "\x1f"


def iter_table_rows(table: LexborNode) -> Iterator[LexborNode]:
    """The table's own <tr>s in order (not those of tables nested in its cells)."""
    for child in table.iter():
        tag = child.tag
        if tag == "tr":
            yield child
        elif tag in SECTION_TAGS:
            yield from (tr for tr in child.iter() if tr.tag == "tr")


def table_rows(table: LexborNode) -> list[LexborNode]:
    return list(iter_table_rows(table))


def row_cells(tr: LexborNode) -> list[LexborNode]:
    return [c for c in tr.iter() if c.tag in CELL_TAGS]


def is_layout_table(table: LexborNode) -> bool:
    """A table that arranges the page (one cell, or a few cells around a nested table)."""
    cells = 0
    for tr in iter_table_rows(table):
        cells += len(row_cells(tr))
        if cells > LAYOUT_MAX_CELLS:  # a data table: no need to count the rest
            return False
    return cells <= 1 or len(table.css("table")) > 1


def cell_text(cell: LexborNode) -> tuple[str, str]:
    """(normalised text, raw text as found) of one cell."""
    joined = cell.text(deep=True, separator=_SEP)
    if joined.isalnum():  # "0", "规章": nothing to normalise (the common case)
        return joined, joined
    return _cell_text(cell, joined)


def _cell_text(cell: LexborNode, joined: str) -> tuple[str, str]:
    raw = joined.replace(_SEP, "")
    if _SEP in joined and sum(1 for p in joined.split(_SEP) if p.strip()) > 1:
        return join_pieces(_cell_lines(cell)), raw
    return normalise_cell(raw), raw


def _cell_lines(node: LexborNode) -> list[str]:
    """The cell's text split where a line break or block element stands (rare: slow path)."""
    lines: list[str] = []
    buf: list[str] = []
    _collect_lines(node, lines, buf)
    lines.append("".join(buf))
    return lines


def _collect_lines(node: LexborNode, lines: list[str], buf: list[str]) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            buf.append(child.text_content or "")
        elif tag in ("-comment", "script", "style"):
            continue
        elif tag in LINE_BREAK_TAGS:
            lines.append("".join(buf))
            buf.clear()
            _collect_lines(child, lines, buf)
            lines.append("".join(buf))
            buf.clear()
        else:
            _collect_lines(child, lines, buf)


def _span(value: str | None, limit: int) -> int:
    try:
        n = int((value or "1").strip())
    except ValueError:
        return 1
    return limit if n == 0 else max(1, min(n, limit))  # rowspan=0: to the end of the table


def build_grid(table: LexborNode) -> Grid | None:
    """The table as a grid; copies made by spans keep their source cell's origin."""
    trs = table_rows(table)
    rows: list[list[GridCell | None]] = [[] for _ in trs]
    # One query for the few spanning cells, instead of reading every cell's attributes.
    spanning = {n.mem_id for n in table.css("[rowspan], [colspan]")}
    placed = 0
    for r, tr in enumerate(trs):
        row = rows[r]
        c = 0
        for node in tr.iter():
            if node.tag not in CELL_TAGS:
                continue
            while c < len(row) and row[c] is not None:
                c += 1
            text = node.text(deep=True, separator=_SEP)
            if text.isalnum():  # "0", "规章": nothing to normalise (the common case)
                raw = text
            else:
                text, raw = _cell_text(node, text)
            if not spanning or node.mem_id not in spanning:  # the common case
                if c == len(row):
                    row.append(GridCell(text, (r, c), raw))
                else:
                    _put(row, c, GridCell(text, (r, c), raw))
                c += 1
                placed += 1
                continue
            attrs = node.attributes
            rowspan = _span(attrs.get("rowspan"), len(trs) - r)
            colspan = _span(attrs.get("colspan"), MAX_COLSPAN)
            source = GridCell(text, (r, c), raw)  # copies are the same cell: shared, not remade
            for dr in range(rowspan):
                for dc in range(colspan):
                    _put(rows[r + dr], c + dc, source)
            c += colspan
            placed += rowspan * colspan
            if placed > MAX_GRID_CELLS:
                return _assemble(rows)
    return _assemble(rows) if placed else None


def _put(row: list[GridCell | None], c: int, cell: GridCell) -> None:
    if c == len(row):
        row.append(cell)
        return
    if c > len(row):
        row.extend([None] * (c - len(row)))
        row.append(cell)
        return
    row[c] = cell


def _assemble(rows: list[list[GridCell | None]]) -> Grid:
    # Padding cells were not in the source: blank, their own origin, raw None. Empty <tr>s
    # stay (rowspans count them) except at the end.
    width = max((len(row) for row in rows), default=0)
    out = [
        row  # type: ignore[misc]
        if len(row) == width and all(row)
        else [
            cell or GridCell("", (r, c), None)
            for c, cell in enumerate(row + [None] * (width - len(row)))
        ]
        for r, row in enumerate(rows)
    ]
    while out and all(cell.raw is None for cell in out[-1]):
        out.pop()
    return Grid(rows=out)


def is_statistical(grid: Grid) -> bool:
    """Whether a grid is a data table (numbers or national-table wording), not page layout."""
    if len(grid.rows) < 2 or len(grid.rows[0]) < 2:
        return False
    numbers = 0
    for row in grid.rows:
        for cell in row:
            text = cell.text
            if text and _NUMBER.fullmatch(text):
                numbers += 1
                if numbers >= STAT_MIN_NUMBERS:
                    return True
            elif any(marker in text for marker in STAT_MARKERS):
                return True
    return False
