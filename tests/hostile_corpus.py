"""A corpus of hostile files: bombs, deep nesting, quadratic patterns, bogus charsets, huge numbers.

`write_corpus(folder)` writes every kind into `folder` and returns {name: path}. Every file is
small on disk (the largest is a 40 MB page, made in the test's temporary folder); the bombs
are made so they cost little to write (a deflate stream repeated block by block, a content
stream shared by 5,000 pages).

`python tests/hostile_corpus.py` runs every file through `govscrape parse` under the limits
of the test (20 s, 1 GB) and prints a table of time and peak memory per file.
"""

from __future__ import annotations

import io
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reports"
REPORT = FIXTURES / "anping-devzone-2023.html"


# --- HTML and text -----------------------------------------------------------------------------


def _report_with(*cells: str) -> bytes:
    """A real report page whose first value cells (`>0<`) are replaced by `cells`."""
    page = REPORT.read_text("utf-8")
    for cell in cells:
        page = page.replace(">0<", f">{cell}<", 1)
    return page.encode()


def _charset_page(label: str, size: int = 0) -> bytes:
    body = "<p>" + "云泽市教育局2023年政府信息公开工作年度报告。" * max(1, size // 60) + "</p>"
    return f'<html><head><meta charset="{label}"></head><body>{body}</body></html>'.encode()


def _rowspan_stack() -> bytes:
    cells = "".join(f"<td>{n}</td>" for n in range(7))
    table = f"<table><tr><td rowspan=0 colspan=100>x</td>{cells}</tr>" + "<tr>" * 1000 + "</table>"
    return ("<html><body>" + table * 60 + "</body></html>").encode()


HTML: dict[str, Callable[[], bytes]] = {
    "huge_numbers.html": lambda: _report_with("10000000000000000000", "9" * 5000),
    "footnote_markers.html": lambda: _report_with("5①", "12¹", "৪", "٣", "3⁵"),
    "numbers_paragraph.txt": lambda: (
        "云泽市2023年政府信息公开工作年度报告\n" + "1 " * 20_000 + "件\n"
    ).encode(),
    "nested_tables.html": lambda: b"<html><body>" + b"<table><tr><td>1" * 100_000,
    "nested_divs.html": lambda: b"<html><body>" + b"<div>" * 200_000 + b"x",
    "big_page.html": lambda: b"<html><body>" + b"<p>2023\xe5\xb9\xb4</p>" * 3_000_000,
    "charset_punycode.html": lambda: _charset_page("punycode", 1_000_000),
    "charset_rot13.html": lambda: _charset_page("rot13"),
    "charset_base64.html": lambda: _charset_page("base64"),
    "charset_zlib.html": lambda: _charset_page("zlib"),
    "charset_undefined.html": lambda: _charset_page("undefined"),
    "charset_utf16_on_utf8.html": lambda: _charset_page("utf-16"),
    "rowspan_stack.html": _rowspan_stack,
    "colspan_wide.html": lambda: (
        "<table>" + "<tr>" + "<td colspan=1000000>1</td>" * 5000 + "</tr>" * 200 + "</table>"
    ).encode(),
    "unclosed_anchors.html": lambda: b"<html><body>" + b"<a x" * 300_000,
    "unclosed_scripts.html": lambda: b"<html><body>" + b"<script>" * 40_000,
    "many_cells.html": lambda: b"<table>" + b"<tr>" + b"<td>1</td>" * 1000 + b"</tr>" * 700,
}


# --- DOCX --------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
    'application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    "openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    '" Target="word/document.xml"/></Relationships>'
)


def _docx(body: str | bytes, *, pad: int = 0) -> bytes:
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode()
        + (body.encode() if isinstance(body, str) else body)
        + b"</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document + b" " * pad)
    return out.getvalue()


def _span_bomb() -> bytes:
    row = (
        '<w:tr><w:trPr><w:gridBefore w:val="1000000000"/></w:trPr><w:tc><w:tcPr>'
        '<w:gridSpan w:val="1000000000"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>'
    )
    return _docx("<w:p><w:r><w:t>2023年年度报告</w:t></w:r></w:p><w:tbl>" + row * 3 + "</w:tbl>")


def _lying_member() -> bytes:
    """A document.xml that inflates to 70 MB while the zip says 2 KB."""
    data = bytearray(_docx("<w:p><w:r><w:t>x</w:t></w:r></w:p>", pad=70_000_000))
    name = b"word/document.xml"
    for header, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(header + b"")
        while at >= 0:
            if data[at + (30 if header == b"PK\x03\x04" else 46) :].startswith(name):
                data[at + size_at : at + size_at + 4] = struct.pack("<I", 2048)
            at = data.find(header, at + 4)
    return bytes(data)


DOCX: dict[str, Callable[[], bytes]] = {
    "docx_span_bomb.docx": _span_bomb,
    "docx_inflates_to_70mb.docx": lambda: _docx("<w:p/>", pad=70_000_000),
    "docx_lying_member.docx": _lying_member,
    "docx_many_cells.docx": lambda: _docx(
        "<w:tbl>" + ("<w:tr>" + "<w:tc><w:p/></w:tc>" * 60 + "</w:tr>") * 2000 + "</w:tbl>"
    ),
}


# --- PDF ---------------------------------------------------------------------------------------


def _pdf(streams: list[bytes], pages: list[int], *, filtered: set[int] = frozenset()) -> bytes:
    """A PDF whose page i draws content stream pages[i]; streams in `filtered` are already
    FlateDecode data."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    first_stream = len(objects) + 1
    for i, stream in enumerate(streams):
        data = stream if i in filtered else zlib.compress(stream)
        head = b"<< /Length %d /Filter /FlateDecode >>" % len(data)
        objects.append(head + b"\nstream\n" + data + b"\nendstream")
    first_page = len(objects) + 1
    for index in pages:
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 "
            b"3 0 R >> >> /Contents %d 0 R >>" % (first_stream + index)
        )
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(len(pages)))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _text(line: str) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % line.encode()


def _flate_bomb(size: int = 1024 << 20) -> bytes:
    """A zlib stream of `size` spaces, built from one compressed block repeated."""
    chunk = b" " * (16 << 20)
    co = zlib.compressobj(9)
    first = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    count = size // len(chunk)
    check = 1
    for _ in range(count):
        check = zlib.adler32(chunk, check)
    return first + block * (count - 1) + b"\x03\x00" + struct.pack(">I", check)


PDF: dict[str, Callable[[], bytes]] = {
    "pdf_flate_bomb.pdf": lambda: _pdf(
        [_text("Annual report 2023"), _flate_bomb()], [0, 1], filtered={1}
    ),
    "pdf_5000_pages.pdf": lambda: _pdf([_text("Annual report 2023 page")], [0] * 5000),
    "pdf_200k_rectangles.pdf": lambda: _pdf(
        [_text("Annual report 2023") + b"\n" + b"10 10 1 1 re f\n" * 200_000], [0]
    ),
    "pdf_dense_rules.pdf": lambda: _pdf(
        [b"".join(b"0 %d m 595 %d l S\n" % (y % 842, y % 842) for y in range(100_000))], [0, 0]
    ),
    "pdf_2m_glyphs.pdf": lambda: _pdf(
        [b"BT /F1 1 Tf 0 10 Td (" + b"A" * 2_200_000 + b") Tj ET"], [0]
    ),
    "pdf_many_small_glyph_pages.pdf": lambda: _pdf(
        [b"BT /F1 4 Tf 0 10 Td (" + b"A" * 19_000 + b") Tj ET"], [0] * 20
    ),
}

KINDS: dict[str, Callable[[], bytes]] = {**HTML, **DOCX, **PDF}


def write_corpus(folder: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Write the hostile files (all, or those named) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in names or list(KINDS):
        path = folder / name
        if not path.exists():
            path.write_bytes(KINDS[name]())
        written[name] = path
    return written


ONE_LINE_ERROR = re.compile(r"^govscrape parse: error: [^\n]+\n?$")


if __name__ == "__main__":  # a table of time and peak memory per file, for the README
    import tempfile

    from test_hostile import parse_under_limits

    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'file':34} {'bytes':>10} {'exit':>4} {'seconds':>8} {'peak RSS MB':>11}")
        for name, path in write_corpus(Path(tmp), sys.argv[1:] or None).items():
            run = parse_under_limits(path)
            print(
                f"{name:34} {path.stat().st_size:>10} {run.status:>4} {run.seconds:>8.2f} "
                f"{run.peak_rss_mb:>11.0f}"
            )
