"""HTML <table> → Grid: rowspan/colspan expanded, rows padded, cell text normalised."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import cast

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govscrape.document import Grid, GridCell
from govscrape.extract.limits import Budget, limit
from govscrape.extract.normalise import join_pieces, normalise_cell
from govscrape.template import STAT_TABLE_MARKERS

MAX_COLSPAN = limit("spans")  # beyond this a colspan is a typo ("colspan=1000"), not a layout
MAX_GRID_CELLS = limit("table_cells")  # a table larger than this is not a report table
SECTION_TAGS = frozenset(("thead", "tbody", "tfoot"))
CELL_TAGS = frozenset(("td", "th"))
LINE_BREAK_TAGS = frozenset(("br", "p", "div", "li", "tr", "td", "th", "table", "h1", "h2", "h3"))
# A data table: numbers in cells, or the wording of the national tables (template.py).
STAT_MIN_NUMBERS = 3
# Page regions: a cell holding this much text, this many lines, or a nested table or list is
# a block of the page (a body, a navigation column), not a table cell. Data cells are short.
REGION_CHARS = 150
REGION_LINES = 4
REGION_SELECTOR = "table, ul, ol"
LINE_SELECTOR = "p, div, li, br, h1, h2, h3, h4, h5, h6"
# A table whose cells are numbers for at least this share holds data, whatever else it holds
# (a long footnote row, a nested table in a cell).
DATA_NUMBER_SHARE = 1 / 3
DATA_EARLY_NUMBERS = 6  # this many numbers before any region: a data table, stop looking
NAV_LINK_SHARE = 1 / 2  # a table whose filled cells are mostly bare links is navigation
_NUMBER = re.compile(r"[-+−－]?\d[\d,，]*(?:\.\d+)?(?:万?元|件|个|项)?")
_SEP = "\x1f"


STANDARD_TAG_IDS = 1 << 16  # lexbor numbers its standard tags from 0; others get addresses


def tag_ids(names: Iterable[str]) -> frozenset[int]:
    """Lexbor's ids of these standard tags: a node's tag_id is read faster than its name, and
    stands for the same tag (elements of other names get ids of their own)."""
    probe = LexborHTMLParser("")
    ids = {name: probe.create_node(name).tag_id for name in names}
    unknown = [name for name, tag_id in ids.items() if tag_id >= STANDARD_TAG_IDS]
    if unknown:  # its id would be this probe's own, matching no element of a parsed page
        raise ValueError(f"not a standard HTML tag, it has no fixed id: {unknown}")
    return frozenset(ids.values())


_TR = next(iter(tag_ids(["tr"])))
_SECTIONS = tag_ids(SECTION_TAGS)
_CELLS = tag_ids(CELL_TAGS)


def iter_table_rows(table: LexborNode) -> Iterator[LexborNode]:
    """The table's own <tr>s in order (not those of tables nested in its cells)."""
    for child in table.iter():
        tag = child.tag_id
        if tag == _TR:
            yield child
        elif tag in _SECTIONS:
            yield from (tr for tr in child.iter() if tr.tag_id == _TR)


def table_rows(table: LexborNode) -> list[LexborNode]:
    return list(iter_table_rows(table))


def row_cells(tr: LexborNode) -> list[LexborNode]:
    return [c for c in tr.iter() if c.tag_id in _CELLS]


@dataclass(slots=True)
class TableShape:
    """What a table's own cells hold, counted until the kind of table is clear."""

    cells: int = 0
    filled: int = 0
    widest: int = 0
    numbers: int = 0
    regions: int = 0
    links: int = 0
    clearly_data: bool = False  # counting stopped early on the numbers

    @property
    def layout(self) -> bool:
        """Whether the table arranges the page (see table_shape) rather than holding data."""
        if self.clearly_data:
            return False
        if self.cells <= 1 or self.widest <= 1:
            return True
        if self.numbers >= DATA_NUMBER_SHARE * self.cells:
            return False
        return self.regions > 0 or self.links >= NAV_LINK_SHARE * max(self.filled, 1)


def table_shape(table: LexborNode) -> TableShape:
    """Count the table's own cells by what they hold.

    A layout table has one cell; or one column (a stack of regions: title, byline, body); or
    cells that are page regions (see REGION_*) or bare links (a navigation bar), while numbers
    are too few to make it data. Statistical tables are many short cells: labels and numbers.
    Cells are first read for their text only; their markup is looked into only when the
    numbers leave the kind of table open.
    """
    shape = TableShape()
    short: list[tuple[LexborNode, str]] = []
    for tr in iter_table_rows(table):
        row = row_cells(tr)
        shape.widest = max(shape.widest, len(row))
        for cell in row:
            shape.cells += 1
            text = cell.text(deep=True).strip()
            if not text:
                continue
            shape.filled += 1
            if _NUMBER.fullmatch(text):
                shape.numbers += 1
                if shape.numbers >= DATA_EARLY_NUMBERS and not shape.regions:
                    shape.clearly_data = True  # the rest need not be read
                    return shape
            elif len(text) >= REGION_CHARS:
                shape.regions += 1
            else:
                short.append((cell, text))
    if shape.cells > 1 and shape.widest > 1 and shape.numbers < DATA_NUMBER_SHARE * shape.cells:
        for cell, text in short:
            if is_region(cell, text):
                shape.regions += 1
            elif _is_link(cell, text):
                shape.links += 1
    return shape


def is_layout_table(table: LexborNode) -> bool:
    """A table that arranges the page rather than holding data (see table_shape)."""
    return table_shape(table).layout


def is_region(cell: LexborNode, text: str) -> bool:
    """Whether a cell holds a block of the page (long text, several lines, a table or list)."""
    if len(text) >= REGION_CHARS:
        return True
    if cell.css_first(REGION_SELECTOR) is not None:
        return True
    return len(text) > REGION_LINES and len(cell.css(LINE_SELECTOR)) >= REGION_LINES


def _is_link(cell: LexborNode, text: str) -> bool:
    link = cell.css_first("a[href]")  # not Word's bookmark anchors (<a name="_Toc1">)
    return link is not None and link.text(deep=True).strip() == text


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


def build_grid(table: LexborNode, budget: Budget | None = None) -> Grid | None:
    """The table as a grid; copies made by spans keep their source cell's origin.

    With a `budget`, the positions the grid fills count against the document's cells limit:
    a table that would pass it is cut there (the rows read so far are kept)."""
    allowed = (
        MAX_GRID_CELLS if budget is None else min(MAX_GRID_CELLS, limit("cells") - budget.cells)
    )
    if allowed <= 0:
        if budget is not None:
            budget.reach("cells", "tables past the limit were not read")
        return None
    grid, cut = _build_grid(table, allowed)
    if budget is not None and grid is not None:
        budget.cells += sum(len(row) for row in grid.rows)
        if cut:
            name = "cells" if allowed < MAX_GRID_CELLS else "table_cells"
            budget.reach(name, "a table was cut where it reached the limit")
    return grid


def _build_grid(table: LexborNode, allowed: int) -> tuple[Grid | None, bool]:
    trs = table_rows(table)
    rows: list[list[GridCell | None]] = [[] for _ in trs]
    # One query for the few spanning cells, instead of reading every cell's attributes.
    spanning = {n.mem_id for n in table.css("[rowspan], [colspan]")}
    placed = 0
    for r, tr in enumerate(trs):
        row = rows[r]
        c = 0
        for node in tr.iter():
            if node.tag_id not in _CELLS:
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
                if placed > allowed:
                    return _assemble(rows, allowed), True
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
            if placed > allowed:
                return _assemble(rows, allowed), True
    width = max((len(row) for row in rows), default=0)
    return (_assemble(rows, allowed) if placed else None), width * len(rows) > allowed


def _put(row: list[GridCell | None], c: int, cell: GridCell) -> None:
    if c == len(row):
        row.append(cell)
        return
    if c > len(row):
        row.extend([None] * (c - len(row)))
        row.append(cell)
        return
    row[c] = cell


def _assemble(rows: list[list[GridCell | None]], allowed: int = MAX_GRID_CELLS) -> Grid:
    # Padding cells were not in the source: blank, their own origin, raw None. Empty <tr>s
    # stay (rowspans count them) except at the end. Padding counts against `allowed` too: one
    # wide row over many short ones would otherwise pad to rows x width positions.
    width = max((len(row) for row in rows), default=0)
    if width and len(rows) * width > allowed:
        rows = rows[: max(1, allowed // width)]
    out = [
        cast("list[GridCell]", row)
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
            elif any(marker in text for marker in STAT_TABLE_MARKERS):
                return True
    return False
