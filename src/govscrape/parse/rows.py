"""Turn a Document's blocks into physical rows of cells: grid rows, pipe rows, whitespace rows.

A physical row is what one line or one grid row gives: its cells in order. Grid and pipe rows
keep blank cells (they are real cells); whitespace rows (cell-per-line text, PDF text) cannot,
so their blanks have vanished. The table reader decides which cells are label and which values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from govscrape.document import Document, Grid
from govscrape.parse.cells import is_value
from govscrape.template import CELL_SIGNS, CELL_UNITS

# Page furniture inside text tables: "- 4 -", "第 4 页 共 9 页", "4/9".
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
MARKDOWN_RULE = re.compile(r"^[\s|:：\-—]*-{3,}[\s|:：\-—]*$")
# Sign words that spacing may split from their number ("减少 3"); one-character ones are not
# joined, as a lone 减 or 增 token is more likely a split label than a sign.
SIGN_WORDS = frozenset(w for w in CELL_SIGNS if len(w) > 1)
PROSE_ENDINGS = frozenset('。，；：、？！）)”"')
# Endings of a line that is prose for text_row at once: neither page number nor markdown rule
# ends so (a rule may end in ：), and whitespace_cells keeps a line ending so as one cell.
SENTENCE_ENDINGS = PROSE_ENDINGS - {"："}
MAX_TABLE_LINE = 200  # longer lines are paragraphs, never a table row
_FLAGS: dict[str, tuple[bool, bool]] = {}  # cell text -> (blank, value): cells repeat a lot
MAX_FLAGS = 100_000  # bounds the memory of a long dataset build
# A label with its row's digits glued on, no space between (archives store rows so): the
# digits follow a Chinese character or a closing bracket or quote of the label.
GLUED_DIGITS = re.compile(r"^(?P<label>.*[\u3400-\u9fff）)”\"』」])(?P<digits>\d+)$")
MAX_VALUE_CHARS = 30  # the longest value cell: "1,234,567.89万元" with spaces, or "不适用"


class Piece:
    """One cell of a physical row. `copy`: a grid position filled by a rowspan from above.
    `blank` and `value` (reads as a number, "/", dash or 无) are worked out once, here.
    `col`/`end`: the grid columns the cell covers (start, end exclusive); -1 outside grids."""

    __slots__ = ("blank", "col", "copy", "end", "raw", "text", "value")

    def __init__(
        self, text: str, raw: str | None, copy: bool = False, col: int = -1, end: int = -1
    ) -> None:
        self.text = text
        self.raw = raw
        self.copy = copy
        self.col = col
        self.end = end
        flags = _FLAGS.get(text)  # not try/except: a miss (every line of prose) raised
        if flags is not None:
            self.blank, self.value = flags
        else:
            blank = not text or text.isspace()
            # A run of digits of any length stands where values do (cells glued together):
            # it is never label text, even where it cannot be read as one number.
            value = not blank and (
                text.isdigit() or (len(text) <= MAX_VALUE_CHARS and is_value(text))
            )
            self.blank, self.value = blank, value
            if len(text) <= MAX_VALUE_CHARS * 4:  # labels and values recur; prose does not
                if len(_FLAGS) > MAX_FLAGS:
                    _FLAGS.clear()
                _FLAGS[text] = (blank, value)

    def __repr__(self) -> str:
        return f"Piece({self.text!r}, {self.raw!r}, copy={self.copy})"


@dataclass(slots=True)
class PhysRow:
    """One row as found: its cells, whether blank cells are real, and its raw text.
    `table`: which grid of the document the row belongs to (-1 outside grids)."""

    cells: list[Piece]
    blanks: bool
    raw: str
    grid: bool = False
    table: int = -1


def physical_rows(doc: Document) -> Iterator[PhysRow]:
    """Every row of every block of the document, in document order."""
    for i, block in enumerate(doc.blocks):
        if isinstance(block, Grid):
            yield from grid_rows(block, i)
        elif (row := text_row(block)) is not None:
            yield row


def grid_rows(grid: Grid, table: int = 0) -> Iterator[PhysRow]:
    """Grid rows with colspan copies folded back into one cell and rowspan copies marked;
    each cell knows the grid columns it covers."""
    for r, row in enumerate(grid.rows):
        pieces: list[Piece] = []
        last_origin: tuple[int, int] | None = None
        c = 0
        for cell in row:
            c += 1
            origin = cell.origin
            if origin is last_origin or origin == last_origin:
                pieces[-1].end = c  # the same source cell spread over several columns
                continue
            last_origin = origin
            if origin[0] != r:
                pieces.append(Piece("", None, True, c - 1, c))
            else:
                text = cell.text
                pieces.append(Piece(text, text if cell.raw is None else cell.raw, False, c - 1, c))
        if pieces:
            yield PhysRow(pieces, True, " | ".join([p.text for p in pieces]), True, table)


def text_row(line: str) -> PhysRow | None:
    """A text line split into cells by pipes, else label + trailing value tokens; None if furniture."""
    if line[-1:] in SENTENCE_ENDINGS and "|" not in line and "｜" not in line:
        return PhysRow([Piece(line, line)], False, line)  # prose, the most common line
    if PAGE_NUMBER.match(line) or MARKDOWN_RULE.match(line):
        return None
    if "|" in line or "｜" in line:
        return PhysRow(pipe_cells(line), True, line)
    return PhysRow(whitespace_cells(line), False, line)


def pipe_cells(line: str) -> list[Piece]:
    """`规章 | 0 | | 3 |` -> cells. A pipe closes a cell, so a final pipe adds none, while a
    leading pipe closes an empty first cell (`| | 结果维持` starts with blank positions)."""
    s = line.replace("｜", "|").strip()
    if s.endswith("|"):
        s = s[:-1]
    return [Piece(part.strip(), part.strip()) for part in s.split("|")]


def whitespace_cells(line: str) -> list[Piece]:
    """Label text, then one cell per trailing value token (a number, "/", dash, 无)."""
    if line[-1:] in PROSE_ENDINGS or len(line) > MAX_TABLE_LINE:
        return [Piece(line, line)]  # a sentence: no trailing value to split off
    tokens = join_units(line.split())
    if tokens and (glued := GLUED_DIGITS.match(tokens[-1])) is not None:
        tokens[-1:] = [glued["label"], glued["digits"]]  # 予以公开128821005031362: label, digits
    cut = len(tokens)
    while cut > 0 and (is_value(tokens[cut - 1]) or tokens[cut - 1].isdigit()):
        cut -= 1
    pieces = [Piece(t, t) for t in tokens[cut:]]
    if cut:
        label = " ".join(tokens[:cut])
        pieces.insert(0, Piece(label, label))
    return pieces


def join_units(tokens: list[str]) -> list[str]:
    """Re-attach a unit or a sign word split off by spacing: `251000 元` -> `251000元`."""
    out: list[str] = []
    for tok in tokens:
        unit_after_number = out and tok in CELL_UNITS and is_value(out[-1])
        number_after_sign = out and out[-1] in SIGN_WORDS and is_value(tok)
        if unit_after_number or number_after_sign:
            out[-1] += tok
        else:
            out.append(tok)
    return out
