"""Extract a text-based PDF into a Document: lines of text, tables rebuilt as Grids, PDF metadata.

Tables come from the page's ruling lines where it has them, otherwise from the geometry of
words (pdf_layout); a table running onto the next page is continued as one Grid. Scanned,
encrypted and corrupt files become findings, never exceptions.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.converter import PDFPageAggregator
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from govscrape.document import Block, Document
from govscrape.extract.identity import file_identity
from govscrape.extract.limits import Budget, limit
from govscrape.extract.pdf_geometry import (
    Char,
    TextLine,
    group_lines,
    page_edges,
    pdfminer_chars,
    read_chars,
)
from govscrape.extract.pdf_layout import layout_tables
from govscrape.extract.pdf_tables import (
    PdfTable,
    continue_table,
    inside_any,
    ruled_tables,
    to_grid,
)
from govscrape.findings import finding
from govscrape.model import Finding

META_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer")
DATE_KEYS = ("CreationDate", "ModDate")
MIN_TEXT_CHARS = 20  # fewer printed characters than this in the whole file: no text layer
PAGE_NUMBER_RES = (
    re.compile(r"^[-—–－─ ]*\d{1,4}[-—–－─ ]*$"),
    re.compile(r"^第\s*\d+\s*页\s*[,，/]?\s*(共\s*\d+\s*页)?$"),
    re.compile(r"^\d+\s*/\s*\d+$"),
)
MARGIN = 0.1  # share of the page height at top and bottom where page numbers live
IDENTIFIED_CODES = frozenset(
    {"parse.unsupported_format", "parse.scanned_pdf", "parse.truncated_file"}
)
EOF_MARKER = b"%%EOF"
EOF_WINDOW = 2048  # writers may put a little junk (a newline, padding) after the marker
# The document catalog: "7 0 obj << /Type /Catalog /Pages 3 0 R >>", keys in any order.
_CATALOG = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*<<(?:(?!endobj).){0,300}?/Type\s*/Catalog", re.S)
TITLE_SCALE = 1.15  # title lines are set at least this much larger than the body text
MAX_REPEATED_LINES = 4  # header lines an unruled table may repeat above its continuation


@dataclass(slots=True)
class PageContent:
    """One page read into lines and tables, in reading order (by top)."""

    items: list[TextLine | PdfTable]
    chars: int
    images: int


def extract_pdf(data: bytes) -> Document:
    """Read a PDF's text, tables and metadata; unusable files come back with a finding.

    Those findings name the file by its SHA-256 (its key in the raw store) and size, since
    the extractor is not told where the bytes came from.
    """
    doc = _read(data)
    for found in doc.findings:
        if found.code in IDENTIFIED_CODES:
            found.message += f" [{file_identity(data)}]"
    return doc


def _read(data: bytes) -> Document:
    try:
        pdf = _open(data)
    except pdfium.PdfiumError as exc:
        return _unsupported(_open_failure(str(exc)))
    try:
        return _extract(pdf, data)
    except Exception as exc:
        return _unsupported(f"PDF could not be read ({type(exc).__name__}: {exc})")
    finally:
        pdf.close()


def _open(data: bytes) -> pdfium.PdfDocument:
    """Open the PDF; a file cut off before its trailer (which names the document catalog)
    is given one, when the catalog object itself is in the part that arrived."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        if EOF_MARKER in data[-EOF_WINDOW:] or not (catalogs := _CATALOG.findall(data)):
            raise
    number, generation = catalogs[-1]
    trailer = b"\ntrailer\n<< /Root %s %s R >>\n%%%%EOF\n" % (number, generation)
    return pdfium.PdfDocument(data + trailer)


def _open_failure(message: str) -> str:
    if "password" in message.lower():
        return "PDF is encrypted (a password is required to open it); not readable"
    return f"PDF is corrupt or truncated and cannot be opened ({message})"


def _unsupported(message: str) -> Document:
    finding = Finding("parse.unsupported_format", "error", message)
    return Document("unsupported", findings=[finding])


def _extract(pdf: pdfium.PdfDocument, data: bytes) -> Document:
    doc = Document("pdf", meta=_metadata(pdf))
    truncated = EOF_MARKER not in data[-EOF_WINDOW:]
    # pdfium rebuilds a truncated file's cross-reference table; pdfminer (the fallback for
    # pages pdfium reads incompletely) cannot, so it is handed pdfium's repaired copy, made
    # before any page is read (reading takes objects off the pages).
    fallback = _Pdfminer(_repaired(pdf, data) if truncated else data)
    budget = Budget()
    try:
        pages = _read_pages(pdf, fallback, budget)
    finally:
        fallback.close()
    doc.findings += budget.findings
    doc.blocks = _assemble(pages)
    doc.title = _title(pages[0].items) if pages else None
    read = sum(p.chars for p in pages) >= MIN_TEXT_CHARS
    if truncated:
        doc.findings.append(_truncated_finding(read))
    elif not read and not budget.findings:  # pages left unread are not a scan
        doc.findings.append(_scanned_finding(pages))
    return doc


def _repaired(pdf: pdfium.PdfDocument, data: bytes) -> bytes:
    out = io.BytesIO()
    try:
        pdf.save(out)
    except Exception:  # a copy that cannot be written: pdfminer gets the file as it is
        return data
    return out.getvalue()


def _truncated_finding(read: bool) -> Finding:
    """A warning when text was read from a file cut short, an error when none could be."""
    if read:
        return finding(
            "parse.truncated_file",
            "PDF is truncated (no %%EOF marker at the end); its text was read, but pages or "
            "values at its end may be missing",
        )
    return finding(
        "parse.unsupported_format",
        "PDF is truncated (no %%EOF marker at the end) and no text could be read from it",
    )


def _scanned_finding(pages: list[PageContent]) -> Finding:
    images = sum(p.images for p in pages)
    chars = sum(p.chars for p in pages)
    what = f"{len(pages)} page(s), {images} image(s), {chars} text character(s)"
    return Finding(
        "parse.scanned_pdf",
        "error",
        f"PDF has no text layer ({what}): a scanned or image-only report needs OCR",
    )


class _Pdfminer:
    """pdfminer opened on first need, for pages pdfium's text layer reads incompletely."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pages: list[PDFPage] | None = None
        self.resources = PDFResourceManager(caching=True)

    def chars(self, index: int) -> list[Char]:
        if self.pages is None:
            document = PDFDocument(PDFParser(io.BytesIO(self.data)))
            self.pages = list(PDFPage.create_pages(document))
        page = self.pages[index]
        device = PDFPageAggregator(self.resources, laparams=None)
        PDFPageInterpreter(self.resources, device).process_page(page)
        return pdfminer_chars(device.get_result())

    def close(self) -> None:
        self.pages = None


def _read_pages(pdf: pdfium.PdfDocument, fallback: _Pdfminer, budget: Budget) -> list[PageContent]:
    """The pages within the budget: the first `pages` of them, while time and glyphs last."""
    count = len(pdf)
    if count > limit("pages"):
        budget.reach("pages", f"pages {limit('pages') + 1}-{count} of {count} were not read")
    pages: list[PageContent] = []
    for index in range(min(count, limit("pages"))):
        if budget.out_of_time():
            budget.reach("seconds", f"pages {index + 1}-{count} of {count} were not read")
            break
        if budget.glyphs > limit("document_glyphs"):
            budget.reach("document_glyphs", f"pages {index + 1}-{count} of {count} were not read")
            break
        pages.append(_read_page(pdf, index, fallback, budget))
    return pages


def _read_page(
    pdf: pdfium.PdfDocument, index: int, fallback: _Pdfminer, budget: Budget
) -> PageContent:
    page = pdf[index]
    try:
        # Counts first, from pdfium's own tallies: a page past them is not walked at all.
        objects = pdfium_c.FPDFPage_CountObjects(page.raw)
        if objects > limit("graphic_objects"):
            budget.reach("graphic_objects", f"page {index + 1} ({objects:,} objects) was not read")
            return PageContent([], 0, 0)
        textpage = page.get_textpage()
        glyphs = textpage.count_chars()
        textpage.close()
        budget.glyphs += glyphs
        if glyphs > limit("glyphs"):
            budget.reach("glyphs", f"page {index + 1} ({glyphs:,} characters) was not read")
            return PageContent([], 0, 0)
        edges = page_edges(page)
        images = sum(1 for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)))
        chars = read_chars(page)  # last: it takes text objects off the page
        if chars is None:
            chars = fallback.chars(index)
        tables = ruled_tables(edges, chars, index + 1)
        rest = [c for c in chars if not inside_any(c, tables)]
        lines = _drop_page_numbers(group_lines(rest), page.get_height())
        found, lines = layout_tables(lines, index + 1)
        items: list[TextLine | PdfTable] = [*lines, *tables, *found]
        items.sort(key=lambda item: item.top)
        return PageContent(items, len(chars), images)
    finally:
        page.close()


def _drop_page_numbers(lines: list[TextLine], height: float) -> list[TextLine]:
    def is_page_number(line: TextLine) -> bool:
        in_margin = line.top < MARGIN * height or line.bottom > (1 - MARGIN) * height
        text = line.text()
        return in_margin and any(r.match(text) for r in PAGE_NUMBER_RES)

    return [line for line in lines if not is_page_number(line)]


def _assemble(pages: list[PageContent]) -> list[Block]:
    """Blocks in reading order; a table that ends a page and one that starts the next join.

    Header lines an unruled table repeats above its continuation (text the geometry left
    outside the grid, e.g. 申请人情况) are dropped when they repeat, line for line, the lines
    that stood right above the table on its first page.
    """
    blocks: list[Block | PdfTable] = []
    open_table: PdfTable | None = None
    lead: list[str] = []  # text lines since the last table
    open_lead: list[str] = []  # the lines right above the open table
    for page in pages:
        items = page.items
        start = _continued(open_table, open_lead, items)
        if start is None:
            open_table = None
            start = 0
        for item in items[start:]:
            if isinstance(item, PdfTable):
                open_table, open_lead, lead = item, lead[-MAX_REPEATED_LINES:], []
                blocks.append(item)
            else:
                open_table = None
                lead.append(item.text())
                blocks.append(item.text())
        if items and not isinstance(items[-1], PdfTable):
            open_table = None
    return [to_grid(b) if isinstance(b, PdfTable) else b for b in blocks]


def _continued(
    table: PdfTable | None, lead: list[str], items: list[TextLine | PdfTable]
) -> int | None:
    """Where the page's own content starts if it opens with `table`'s continuation, else None."""
    if table is None:
        return None
    k = next((i for i, item in enumerate(items) if isinstance(item, PdfTable)), None)
    if k is None or k > len(lead):
        return None
    repeated = [item.text() for item in items[:k] if isinstance(item, TextLine)]
    if k and repeated != lead[-k:]:
        return None
    nxt = items[k]
    assert isinstance(nxt, PdfTable)
    return k + 1 if continue_table(table, nxt) else None


def _title(items: list[TextLine | PdfTable]) -> str | None:
    """The leading lines of the first page set larger than its body text, joined."""
    lines = [item for item in items if isinstance(item, TextLine)]
    if not lines:
        return None
    heights = sorted(line.height for line in lines)
    body = heights[len(heights) // 2]
    title: list[str] = []
    for line in lines[:4]:
        if line.height < TITLE_SCALE * body:
            break
        title.append(line.text())
    text = "".join(title).strip()
    return re.sub(r"\s+", "", text) or None


def _metadata(pdf: pdfium.PdfDocument) -> dict[str, str]:
    """The PDF's own info: Title, Author …, dates as ISO 8601 where they parse."""
    try:
        info = pdf.get_metadata_dict()
    except Exception:
        return {}
    meta = {k: v.strip() for k in META_KEYS if (v := info.get(k) or "").strip()}
    for key in DATE_KEYS:
        if value := (info.get(key) or "").strip():
            parsed = parse_pdf_date(value)
            meta[key] = parsed.isoformat() if parsed else value
    return meta


PDF_DATE_RE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?"
)


def parse_pdf_date(value: str) -> datetime | None:
    """A PDF date string ("D:20250225100250+08'00'") as a datetime, or None."""
    m = PDF_DATE_RE.match(value.strip())
    if not m:
        return None
    year, month, day, hour, minute, second, sign, tz_h, tz_m = m.groups()
    tz = None
    if sign in ("+", "-"):
        delta = timedelta(hours=int(tz_h or 0), minutes=int(tz_m or 0))
        tz = timezone(delta if sign == "+" else -delta)
    elif sign in ("Z", "z"):
        tz = UTC
    try:
        return datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=tz,
        )
    except ValueError:
        return None


__all__ = ["Char", "extract_pdf", "parse_pdf_date"]
