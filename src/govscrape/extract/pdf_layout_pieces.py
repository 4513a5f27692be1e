"""Lines of an unruled PDF cut into pieces at wide gaps, and the x-bands (columns) they fall in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from govscrape.extract.pdf_geometry import TextLine, join_chars
from govscrape.extract.pdf_tables import is_number

PIECE_GAP = 0.8  # a gap wider than this share of the line height separates two cells
# A number, possibly with the unit a cell sometimes carries ("251000元").
VALUE_RE = re.compile(r"^[-+−]?\d[\d,，]*(?:\.\d+)?\s*(?:万元|元|件|个|项|%)?$")
MARKERS = frozenset({"/", "-", "—", "－", "--", "——", "\\"})  # printed in place of a value


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


def value_bands(data: list[list[Piece]]) -> list[list[float]]:
    """Data columns: the x-ranges of the values, merged where they overlap."""
    return merge_bands(sorted([p.x0, p.x1] for ps in data for p in ps if p.is_value))


def merge_bands(spans: list[list[float]]) -> list[list[float]]:
    """Sorted x-ranges with those that overlap (or touch) merged into one."""
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return merged


def header_bands(bands: list[list[float]], header: list[Piece]) -> list[list[float]]:
    """Add a column for a header cell that no value sits under (a column left all blank)."""
    out = [list(b) for b in bands]
    for p in header:
        if p.x0 < bands[0][0] - 1.0 or any(p.x0 < b1 and p.x1 > b0 for b0, b1 in out):
            continue
        out.append([p.x0, p.x1])
    return merge_bands(sorted(out))


def label_columns(xs: list[float], tolerance: float) -> list[float]:
    """Left edges of label columns: the pieces' left edges, those within `tolerance` merged."""
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] > tolerance:
            out.append(x)
    return out


def nearest(values: list[float], x: float) -> int:
    """Index of the last column edge at or left of x (the first column if none is)."""
    best = 0
    for i, v in enumerate(values):
        if v <= x + 1.0:
            best = i
    return best


def band_range(bands: list[list[float]], p: Piece) -> tuple[int, int]:
    """The bands [start, end) the piece overlaps; the nearest band by centre if none."""
    hits = [i for i, (b0, b1) in enumerate(bands) if p.x0 < b1 and p.x1 > b0]
    if not hits:
        centre = (p.x0 + p.x1) / 2
        i = min(range(len(bands)), key=lambda k: abs((bands[k][0] + bands[k][1]) / 2 - centre))
        return i, i + 1
    return hits[0], hits[-1] + 1
