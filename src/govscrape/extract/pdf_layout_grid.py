"""The grid of an unruled PDF table assembled row by row: header rows, data rows with their
label pieces, wrapped labels joined to their row, merged group labels copied over their rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from govscrape.extract.pdf_geometry import TextLine
from govscrape.extract.pdf_layout_pieces import Piece, band_range, nearest
from govscrape.extract.pdf_tables import Span, join_cell_lines

BARE_PULL = 0.7  # a row without its own label draws wrapped label lines this much closer
CAPTION_GAP = 2.5  # a label line this many line heights from every data row is a caption
FIRST_ITEM_RE = re.compile(r"^\s*(?:1[.、．]|[（(]一[）)]|[（(]1[）)]|一、)")


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


@dataclass
class LayoutGrid:
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
                band_range(self.bands, p)[1] - band_range(self.bands, p)[0] > 1
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
            c0, c1 = nearest(self.cols, p.x0), nearest(self.cols, p.x0) + 1
        else:
            b0, b1 = band_range(self.bands, p)
            c0, c1 = b0 + self.nlabel, b1 + self.nlabel
        for s in self.spans:
            if s.r0 == r and (s.c0, s.c1) == (c0, c1):
                s.text, s.raw = join_cell_lines([s.text, p.text]), f"{s.raw}\n{p.text}"
                return
        self.spans.append(Span(r, r + 1, c0, c1, p.text, p.text))

    def _fill_own(self, row: Row, ps: list[Piece]) -> None:
        for p in ps:
            if p.is_value:
                row.values[band_range(self.bands, p)[0]] = p
            elif self.cols:
                row.own.append((nearest(self.cols, p.x0), p))

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
        column = nearest(self.cols, ps[0].x0) if self.cols else None
        if far and column == 0 and leaf is not None and column >= leaf:
            return Row(line.top, line.bottom, [], {}, header=ps)
        for p in ps:
            if self.cols:
                row.extra.append((nearest(self.cols, p.x0), p))
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
            restart = row is not None and not ends and leaf == col + 1 and _starts_list(row)
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
