"""Turn fetched content (HTML, text, PDF, DOCX …) into a neutral Document; never raises."""

from __future__ import annotations

import importlib
import io
import re
import zipfile

from govscrape.document import Document
from govscrape.encoding import decode_bytes
from govscrape.extract.guard import GUARDED, isolating, run_guarded
from govscrape.extract.identity import file_identity
from govscrape.extract.limits import Budget, limit, limit_finding
from govscrape.model import Finding

SNIFF_BYTES = 4096  # enough of the start to tell a format by its magic and byte mix
PDF_HEADER_WINDOW = 1024  # PDF readers accept junk before %PDF- within the first KB
BINARY_NUL_SHARE = 0.01  # text never holds NULs; UTF-16 (which does) is caught by its BOM
BINARY_CONTROL_SHARE = 0.05  # text holds few control bytes besides \t \n \r \f ESC
HTML_SCAN_CHARS = 65536
# Formats recognised by their first bytes, with how a finding names them.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE compound file (.doc/.wps/.xls/.ppt)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip stream"),
    (b"{\\rtf", "an RTF document"),
)
# Members that name what a zip container holds (OOXML, OFD, OpenDocument).
ZIP_KINDS: tuple[tuple[str, str], ...] = (
    ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
    ("ppt/presentation.xml", "a PowerPoint file (.pptx)"),
    ("OFD.xml", "an OFD document (.ofd)"),
    ("content.xml", "an OpenDocument file"),
)
_HTML_ROOT = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s/>]", re.I)
_HTML_TAG = re.compile(
    r"<(?:meta|title|div|table|tbody|tr|td|p|span|br|font|center|a|h[1-6]|ul|li|img|link|"
    r"script|style)[\s/>]",
    re.I,
)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def extract_document(
    content: bytes | str, *, url: str | None = None, content_type: str | None = None
) -> Document:
    """Sniff the content and hand it to the matching extractor; problems become findings.

    Under guard.isolated() every document of bytes is read in the guarded worker process (a
    crash in a native library costs that document only); PDFs always are."""
    try:
        if isolating() and not isinstance(content, str) and len(content) <= limit("document_bytes"):
            doc = run_guarded("document", bytes(content), content_type=content_type)
            for note in doc.findings:
                if note.code == "parse.internal_error" and note.raw is None:
                    note.raw = url  # as when the extractor raises in this process
        else:
            doc = _extract(content, content_type)
        return _name_file(doc, content, url)
    except Exception as exc:
        return Document(
            source_form="unknown",
            findings=[
                Finding(
                    code="parse.internal_error",
                    severity="error",
                    message=f"extraction failed: {type(exc).__name__}: {exc}",
                    raw=url,
                )
            ],
        )


def extract_unguarded(data: bytes, content_type: str | None = None) -> Document:
    """Extract in this process, PDFs included (the guarded worker's own entry: it is the
    guard). Raises what an extractor raises."""
    return _extract(data, content_type, guarded=False)


# Findings that say a file could not be read (in full): they name the file, for the user to
# fetch it again, by its raw-store key and size and, when known, its URL.
NAMES_HASH = frozenset({"parse.unsupported_format", "parse.scanned_pdf", "parse.truncated_file"})
NAMES_URL = NAMES_HASH | {"parse.empty_document"}  # an empty file is named by its URL only


def _name_file(doc: Document, content: bytes | str, url: str | None) -> Document:
    """Name the file in the findings that say it is unreadable: by its URL when known, and by
    its sha256 and size (as the PDF reader does), so a user can find the bytes."""
    identity = None
    for f in doc.findings:
        if f.code in NAMES_HASH and not isinstance(content, str):
            identity = identity or file_identity(bytes(content))
            if identity not in f.message:  # the PDF reader names its files itself
                f.message = f"{f.message} [{identity}]"
        if url and f.code in NAMES_URL and f.raw is None:
            f.message = f"{f.message} ({url})"
            f.raw = url
    return doc


def _extract(content: bytes | str, content_type: str | None, guarded: bool = True) -> Document:
    if isinstance(content, str):
        return _from_text(content.lstrip("\ufeff"), None)
    data = bytes(content)
    if not data or data.isspace():  # as `not data.strip()`, without copying the page
        return empty_document("the content is empty")
    if len(data) > limit("document_bytes"):  # declared by its size: nothing of it is read
        return Document("unsupported", findings=[limit_finding("document_bytes", "not read")])
    head = data[:SNIFF_BYTES]
    if b"%PDF-" in data[:PDF_HEADER_WINDOW]:
        return _delegate("pdf", "extract_pdf", data, "a PDF", guarded)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _from_zip(data, guarded)
    for magic, what in MAGIC:
        if head.startswith(magic):
            return unsupported(f"the content is {what}")
    if _looks_binary(head):
        return unsupported("the content is binary data, not text")
    text, encoding = decode_bytes(data, content_type)
    return _from_text(text.lstrip("\ufeff"), encoding)


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM: text
        return False
    nul_share = head.count(0) / len(head)
    control_share = (len(head) - len(head.translate(None, _CONTROL))) / len(head)
    return nul_share > BINARY_NUL_SHARE or control_share > BINARY_CONTROL_SHARE


def _from_zip(data: bytes, guarded: bool) -> Document:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return unsupported(f"the content is a damaged zip archive ({exc})")
    if "word/document.xml" in names:
        return _delegate("docx", "extract_docx", data, "a Word document (.docx)", guarded)
    for member, what in ZIP_KINDS:
        if member in names:
            return unsupported(f"the content is {what}")
    return unsupported("the content is a zip archive")


def _delegate(module: str, function: str, data: bytes, what: str, guarded: bool) -> Document:
    """Call the format's extractor, imported only when such a file comes along; a format read
    by a native library no check can bound in advance (PDF) is read in a guarded process,
    unless this is that process."""
    if guarded and module in GUARDED:
        return run_guarded(module, data)
    try:
        extractor = getattr(importlib.import_module(f"govscrape.extract.{module}"), function)
    except (ImportError, AttributeError) as exc:
        return unsupported(f"the content is {what}, but its extractor is unavailable ({exc})")
    return extractor(data)


def _from_text(text: str, encoding: str | None) -> Document:
    if not text or text.isspace():  # as `not text.strip()`, without copying the page
        return empty_document("the content holds only whitespace")
    budget = Budget()
    if len(text) > limit("text_chars"):
        text = text[: limit("text_chars")]
        budget.reach("text_chars", "the text past the limit was not read")
    # Each extractor is imported on first use, so a format loads only the libraries it needs.
    if is_html(text):
        from govscrape.extract.html import extract_html

        doc = extract_html(text, budget)
    else:
        from govscrape.extract.text import extract_text

        doc = extract_text(text)
        doc.findings += budget.findings
    if encoding:
        doc.meta["encoding"] = encoding
    if not doc.blocks:
        doc.findings.append(_empty_finding("the page holds no text"))
    return doc


def is_html(text: str) -> bool:
    """Markup: a document-level tag, or at least two common tags near the start."""
    # Searched up to HTML_SCAN_CHARS in place: a slice would copy that much of every page.
    if _HTML_ROOT.search(text, 0, HTML_SCAN_CHARS):
        return True
    matches = _HTML_TAG.finditer(text, 0, HTML_SCAN_CHARS)
    return next(matches, None) is not None and next(matches, None) is not None


def _empty_finding(message: str) -> Finding:
    return Finding(code="parse.empty_document", severity="error", message=message)


def empty_document(message: str) -> Document:
    """A Document for content with nothing in it."""
    return Document(source_form="unknown", findings=[_empty_finding(message)])


def unsupported(message: str) -> Document:
    """A Document for content in a format govscrape does not read."""
    finding = Finding(code="parse.unsupported_format", severity="error", message=message)
    return Document(source_form="unsupported", findings=[finding])


__all__ = ["empty_document", "extract_document", "extract_unguarded", "is_html", "unsupported"]
