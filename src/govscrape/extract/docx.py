"""Extract a Word .docx into a Document: paragraphs as lines, real tables as Grids.

Tables are read from the XML so merged cells keep their shape: a cell spanning columns
(gridSpan) or continuing a vertical merge (vMerge) is copied into every position it covers,
the copies keeping the origin of the cell that starts the merge.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from govscrape.document import Block, Document, Grid, GridCell
from govscrape.extract.limits import Budget, limit
from govscrape.extract.pdf_tables import join_cell_lines
from govscrape.model import Finding
from govscrape.template import REPORT_TITLE_ENDINGS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TITLE_MAX = 60  # a title paragraph is shorter than this
INFLATE_PIECE = 1 << 20  # zip members are inflated this much at a time to measure them


def extract_docx(data: bytes) -> Document:
    """Read a .docx; an unreadable file comes back as an unsupported Document with a finding."""
    budget = Budget()
    try:
        if (too_big := _inflated_size_problem(data)) is not None:
            budget.reach("decompressed_bytes", too_big)
            return Document("unsupported", findings=budget.findings)
        word = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.LxmlError) as e:
        return _unsupported(f"DOCX is corrupt or not a Word document ({type(e).__name__}: {e})")
    except Exception as exc:  # python-docx fails in many ways on broken parts
        return _unsupported(f"DOCX package is damaged ({type(exc).__name__}: {exc})")
    try:
        blocks = list(_blocks(word.element.body, budget))
        doc = Document("docx", blocks=blocks, meta=_metadata(word), findings=budget.findings)
    except Exception as exc:
        return _unsupported(f"DOCX could not be read ({type(exc).__name__}: {exc})")
    doc.title = _title([b for b in blocks if isinstance(b, str)])
    return doc


def _unsupported(message: str) -> Document:
    return Document("unsupported", findings=[Finding("parse.unsupported_format", "error", message)])


def _inflated_size_problem(data: bytes) -> str | None:
    """Why the package must not be opened: the sizes its zip directory declares, then the
    sizes its members really inflate to, read in bounded pieces (zipfile's read() inflates a
    member whole before cutting it at its declared size: a 3 MB member took 6 GB)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    total = sum(info.file_size for info in archive.infolist())
    if total > limit("decompressed_bytes"):
        return f"DOCX parts declare {total:,} bytes inflated; not opened"
    inflated = 0
    for info in archive.infolist():
        with archive.open(info) as member:  # a member longer than it says fails its CRC here
            while piece := member.read(INFLATE_PIECE):
                inflated += len(piece)
                if inflated > limit("decompressed_bytes"):
                    return f"DOCX parts inflate to over {inflated:,} bytes; not opened"
    return None


def _blocks(container: etree._Element, budget: Budget | None = None) -> Iterator[Block]:
    """Paragraph lines and table grids in document order (content controls looked into)."""
    budget = budget or Budget()
    for el in container:
        if el.tag == f"{W}p":
            yield from (line for line in paragraph_lines(el) if line.strip())
        elif el.tag == f"{W}tbl":
            if budget.cells >= limit("cells"):
                budget.reach("cells", "tables past the limit were not read")
                continue
            grid = table_grid(el, budget)
            budget.cells += sum(len(row) for row in grid.rows)
            yield grid
        elif el.tag == f"{W}sdt":
            content = el.find(f"{W}sdtContent")
            if content is not None:
                yield from _blocks(content, budget)


def paragraph_lines(p: etree._Element) -> list[str]:
    """A paragraph's text split at manual line breaks; tabs become spaces."""
    parts: list[str] = [""]
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if el.tag == f"{W}t":
            parts[-1] += el.text or ""
        elif el.tag == f"{W}tab":
            parts[-1] += " "
        else:
            parts.append("")
    return [re.sub(r"\s+", " ", part).strip() for part in parts]


def table_grid(tbl: etree._Element, budget: Budget | None = None) -> Grid:
    """A Word table as a Grid, spans expanded and rows padded to full width.

    Spans (gridSpan, gridBefore, gridAfter) are capped at the spans limit, and the table stops
    at the rows that fill the document's cells budget."""
    budget = budget or Budget()
    room = limit("cells") - budget.cells
    rows: list[list[GridCell]] = []
    for r, tr in enumerate(tbl.findall(f"{W}tr")):
        row: list[GridCell] = []
        col = _skip(tr, "gridBefore", row, r)
        for tc in tr.findall(f"{W}tc"):
            span = _int_prop(tc, "gridSpan", 1)
            if span > limit("spans"):
                budget.reach("spans", f"a cell's gridSpan of {span} was read as {limit('spans')}")
                span = limit("spans")
            merge = _vmerge(tc)
            above = (
                rows[r - 1][col] if merge == "continue" and r and col < len(rows[r - 1]) else None
            )
            cell = above if above is not None else _cell(tc, r, col)
            row.extend(GridCell(cell.text, cell.origin, cell.raw) for _ in range(span))
            col += span
            if len(row) > room:
                break
        _skip(tr, "gridAfter", row, r)
        rows.append(row)
        room -= len(row)
        if room <= 0:
            break
    width = max((len(row) for row in rows), default=0)
    fits = max(1, (limit("cells") - budget.cells) // max(width, 1))  # padding counts too
    if room <= 0 or len(rows) > fits:
        rows = rows[:fits]
        budget.reach("cells", "a table was cut where it reached the limit")
    for r, row in enumerate(rows):
        row.extend(GridCell("", (r, c), None) for c in range(len(row), width))
    return Grid(rows)


def _cell(tc: etree._Element, r: int, c: int) -> GridCell:
    lines = [
        line
        for p in tc.iter(f"{W}p")
        if _own_paragraph(p, tc)
        for line in paragraph_lines(p)
        if line
    ]
    raw = "\n".join(lines)
    return GridCell(join_cell_lines(lines), (r, c), raw or None)


def _own_paragraph(p: etree._Element, tc: etree._Element) -> bool:
    """Not inside a table nested in this cell (its text is not this cell's)."""
    parent = p.getparent()
    while parent is not None and parent is not tc:
        if parent.tag == f"{W}tbl":
            return False
        parent = parent.getparent()
    return True


def _int_prop(tc: etree._Element, name: str, default: int) -> int:
    el = tc.find(f"{W}tcPr/{W}{name}")
    try:
        return max(1, int(el.get(f"{W}val", ""))) if el is not None else default
    except (TypeError, ValueError):
        return default


def _vmerge(tc: etree._Element) -> str | None:
    el = tc.find(f"{W}tcPr/{W}vMerge")
    if el is None:
        return None
    return "restart" if el.get(f"{W}val") == "restart" else "continue"


def _skip(tr: etree._Element, name: str, row: list[GridCell], r: int) -> int:
    """Blank positions for grid columns a row leaves out (w:gridBefore / w:gridAfter)."""
    el = tr.find(f"{W}trPr/{W}{name}")
    count = 0
    if el is not None:
        try:
            count = min(max(int(el.get(f"{W}val") or 0), 0), limit("spans"))
        except ValueError:
            count = 0
    start = len(row)
    row.extend(GridCell("", (r, start + i), None) for i in range(count))
    return len(row)


def _metadata(word: docx.document.Document) -> dict[str, str]:
    props = word.core_properties
    meta: dict[str, str] = {}
    for key, value in (("Title", props.title), ("Author", props.author)):
        if value and value.strip():
            meta[key] = value.strip()
    for key, when in (("CreationDate", props.created), ("ModDate", props.modified)):
        if when is not None:
            meta[key] = when.isoformat()
    return meta


def _title(lines: list[str]) -> str | None:
    """The opening paragraphs up to the one naming the report (年度报告), joined."""
    head = lines[:3]
    for i, line in enumerate(head):
        if any(word in line for word in REPORT_TITLE_ENDINGS):
            if all(len(x) < TITLE_MAX for x in head[: i + 1]):
                return re.sub(r"\s+", "", "".join(head[: i + 1]))
            return None
    return None
