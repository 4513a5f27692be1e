"""What a PDF page holds, as geometry: characters with boxes, ruling edges, lines of text.

Coordinates are top-down (like pdfplumber): `top` grows down the page. Characters come from
pdfium's text page (loose boxes, so a line's characters share top and bottom and the gap
between two characters is real white space), or from pdfminer's layout for a page whose text
pdfium cannot read in full; ruling edges from pdfium's path objects.
"""

from __future__ import annotations

import ctypes
import itertools
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.layout import LTChar, LTContainer, LTPage

THIN = 2.5  # a filled shape thinner than this (pt) is a drawn rule, not a background
SPACE_GAP = 0.15  # a gap wider than this share of the line height separates words


@dataclass(slots=True)
class Char:
    """One printed character and its loose box."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class TextLine:
    """Characters sharing a baseline, left to right."""

    chars: list[Char]
    top: float
    bottom: float

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return self.chars[-1].x1

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def text(self, *, cjk_spaces: bool = False) -> str:
        return join_chars(self.chars, cjk_spaces=cjk_spaces)


def is_cjk(ch: str) -> bool:
    """CJK ideographs, CJK punctuation and full-width forms (no space is written between them)."""
    return bool(ch) and ord(ch[0]) >= 0x2E80


def join_chars(chars: list[Char], *, cjk_spaces: bool = False) -> str:
    """Text of one line's characters, a space wherever white space separates them.

    Between two CJK characters a gap is layout (justification, a stray space), not a word
    boundary, so it is dropped unless `cjk_spaces`.
    """
    out: list[str] = []
    prev: Char | None = None
    for ch in chars:
        gap = prev is not None and ch.x0 - prev.x1 > SPACE_GAP * max(ch.height, prev.height)
        if gap and prev is not None and (cjk_spaces or not (is_cjk(prev.text) and is_cjk(ch.text))):
            out.append(" ")
        out.append(ch.text)
        prev = ch
    return "".join(out)


MAX_ROUNDS = 8  # text layers read per page to recover text objects pdfium left out


def read_chars(page: pdfium.PdfPage) -> list[Char] | None:
    """The page's visible characters (top-down boxes); None if some text stays unread.

    pdfium's text layer leaves out a text object that repeats an earlier one (its guard
    against fake-bold overprinting); producers that place every paragraph with its own
    transformation (reportlab, some report generators), or use a font without metrics, trip
    it and whole lines vanish. Each text object is checked against the characters it gave;
    the objects already read are taken off the page and the layer is read again, until every
    object has given its characters. The page is changed by this, so read it last. When that
    does not converge the caller reads the page with pdfminer instead.
    """
    height = page.get_height()
    pending = {_address(o.raw): o for o in _text_objects(page)}
    chars: list[Char] = []
    first = True
    for _ in range(MAX_ROUNDS):
        textpage = page.get_textpage()
        try:
            found, owners = _layer_chars(textpage, height, None if first else set(pending))
        finally:
            textpage.close()
        chars += found
        done = [addr for addr in pending if addr in owners]
        if len(done) == len(pending):
            return chars
        if not done:
            return None  # pdfium skips objects it measures as zero-width (fonts w/o metrics)
        for addr in done:
            page.remove_obj(pending.pop(addr))
        first = False
    return None


def _text_objects(page: pdfium.PdfPage) -> list[pdfium.PdfObject]:
    """Top-level text objects; their bounds cannot tell an empty one (a font without metrics
    gives a one-character object no width), so all are checked."""
    return list(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT,), max_depth=1))


def _address(handle) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _layer_chars(
    textpage: pdfium.PdfTextPage, height: float, only: set[int] | None
) -> tuple[list[Char], set[int]]:
    """Visible characters of a text layer (of the objects `only`, if given), and the
    addresses of the text objects that gave a character (printed spaces included)."""
    raw = textpage.raw
    chars: list[Char] = []
    owners: set[int] = set()
    for i in range(textpage.count_chars()):
        if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
            continue
        owner = _address(pdfium_c.FPDFText_GetTextObject(raw, i))
        owners.add(owner)
        if only is not None and owner not in only:
            continue
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code <= 32 or code in (0xA0, 0x3000, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        chars.append(Char(chr(code), left, right, height - top, height - bottom))
    return chars, owners


def pdfminer_chars(layout: LTPage) -> list[Char]:
    """The characters of a page laid out by pdfminer (slower than pdfium; no de-duplication)."""
    height = layout.y1
    out: list[Char] = []
    stack: list = [layout]
    while stack:
        for item in stack.pop():
            if isinstance(item, LTChar):
                text = item.get_text()
                if text.strip() and item.upright:
                    out.append(Char(text, item.x0, item.x1, height - item.y1, height - item.y0))
            elif isinstance(item, LTContainer):
                stack.append(item)
    return out


def group_lines(chars: list[Char]) -> list[TextLine]:
    """Characters clustered into lines by vertical overlap, lines top to bottom.

    Each line is judged against the box of the character that started it, so a line does not
    grow to swallow the lines above and below (one-character-per-line vertical labels).
    """
    groups: list[tuple[Char, list[Char]]] = []
    for ch in sorted(chars, key=lambda c: (c.top, c.x0)):
        if groups and _overlaps(groups[-1][0], ch):
            groups[-1][1].append(ch)
        else:
            groups.append((ch, [ch]))
    lines = []
    for _, members in groups:
        members.sort(key=lambda c: c.x0)
        top = min(c.top for c in members)
        lines.append(TextLine(members, top, max(c.bottom for c in members)))
    return lines


def _overlaps(anchor: Char, ch: Char) -> bool:
    overlap = min(anchor.bottom, ch.bottom) - max(anchor.top, ch.top)
    return overlap > 0.5 * min(anchor.height, ch.height)


def page_edges(page: pdfium.PdfPage) -> list[dict[str, float | str]]:
    """Horizontal and vertical rules drawn on the page, as pdfplumber-style edge dicts."""
    height = page.get_height()
    edges: list[dict[str, float | str]] = []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,)):
        fill, stroke = _draw_mode(obj)
        if not (fill or stroke):
            continue
        matrix = obj.get_matrix()
        for points in _subpaths(obj):
            pts = [matrix.on_point(x, y) for x, y in points]
            if stroke:
                edges.extend(_segment_edges(pts, height))
            elif fill:
                edges.extend(_thin_fill_edges(pts, height))
    return edges


def _draw_mode(obj: pdfium.PdfObject) -> tuple[bool, bool]:
    mode, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(mode), ctypes.byref(stroke))
    return mode.value != 0, bool(stroke.value)


def _subpaths(obj: pdfium.PdfObject) -> list[list[tuple[float, float]]]:
    """The path's points split at each move-to; a closed subpath repeats its first point."""
    paths: list[list[tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_MOVETO or not paths:
            paths.append([])
        paths[-1].append((x.value, y.value))
        if pdfium_c.FPDFPathSegment_GetClose(seg) and paths[-1]:
            paths[-1].append(paths[-1][0])
    return paths


def _segment_edges(pts: list[tuple[float, float]], height: float) -> list[dict]:
    edges = []
    for (ax, ay), (bx, by) in itertools.pairwise(pts):
        if abs(ay - by) < 0.5 and abs(ax - bx) >= 1:
            edges.append(_edge(min(ax, bx), max(ax, bx), height - ay, height - ay))
        elif abs(ax - bx) < 0.5 and abs(ay - by) >= 1:
            edges.append(_edge(ax, ax, height - max(ay, by), height - min(ay, by)))
    return edges


def _thin_fill_edges(pts: list[tuple[float, float]], height: float) -> list[dict]:
    """A filled rectangle thin in one direction is a rule (Word and WPS draw borders so)."""
    if len(pts) < 3:
        return []
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if y1 - y0 <= THIN and x1 - x0 > THIN:
        mid = height - (y0 + y1) / 2
        return [_edge(x0, x1, mid, mid)]
    if x1 - x0 <= THIN and y1 - y0 > THIN:
        mid = (x0 + x1) / 2
        return [_edge(mid, mid, height - y1, height - y0)]
    return []


def _edge(x0: float, x1: float, top: float, bottom: float) -> dict[str, float | str]:
    horizontal = top == bottom
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": "h" if horizontal else "v",
        "object_type": "line",
    }
