"""extract_document: sniffing formats and encodings, and never raising on bad input."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile

import pytest

from govscrape.document import Grid
from govscrape.extract import extract_document, is_html

PAGE = (
    "<html><head><title>松林县水利局2023年政府信息公开工作年度报告</title></head><body>"
    "<div class='TRS_Editor'><p>一、总体情况</p><p>2023年，松林县水利局认真落实条例。</p>"
    "<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>0</td></tr>"
    "<tr><td>行政规范性文件</td><td>2</td></tr><tr><td>其他</td><td>1</td></tr></table>"
    "</div></body></html>"
)


def _codes(doc) -> list[str]:
    return [f.code for f in doc.findings]


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_empty_bytes_give_an_empty_document_finding():
    doc = extract_document(b"")
    assert _codes(doc) == ["parse.empty_document"]
    assert doc.blocks == []


def test_whitespace_only_text_is_empty():
    assert _codes(extract_document("  \n\t \u3000\n")) == ["parse.empty_document"]


def test_html_without_any_text_is_empty():
    assert "parse.empty_document" in _codes(extract_document(b"<html><body></body></html>"))


def test_gbk_bytes_without_charset_are_decoded():
    doc = extract_document(PAGE.encode("gbk"))
    assert doc.meta["encoding"] == "gb18030"
    assert "2023年，松林县水利局认真落实条例。" in doc.blocks
    assert doc.title == "松林县水利局2023年政府信息公开工作年度报告"


def test_gb2312_meta_charset_is_honoured():
    page = PAGE.replace(
        "<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    )
    doc = extract_document(page.encode("gb2312"))
    assert doc.source_form == "html_table"
    assert "一、总体情况" in doc.blocks


def test_utf8_with_bom_is_decoded_and_the_bom_dropped():
    doc = extract_document("\ufeff" + "松林县2023年政府信息公开工作年度报告\n一、总体情况\n")
    assert doc.blocks[0] == "松林县2023年政府信息公开工作年度报告"
    doc = extract_document(b"\xef\xbb\xbf" + PAGE.encode())
    assert doc.source_form == "html_table"


def test_str_html_goes_to_the_html_extractor():
    doc = extract_document(PAGE)
    assert doc.source_form == "html_table"
    assert any(isinstance(b, Grid) for b in doc.blocks)


def test_plain_text_goes_to_the_text_extractor():
    doc = extract_document("松林县2023年年度报告\n一、总体情况\n正文。\n".encode())
    assert doc.source_form.startswith("text_")
    assert doc.blocks == ["松林县2023年年度报告", "一、总体情况", "正文。"]


def test_ole_file_is_unsupported_and_named():
    doc = extract_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert doc.source_form == "unsupported"
    assert _codes(doc) == ["parse.unsupported_format"]
    assert ".doc" in doc.findings[0].message


@pytest.mark.parametrize(
    "data",
    [
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        b"PK\x03\x04" + b"\x00\x01garbage" * 20,
        bytes(range(256)) * 40,
    ],
    ids=["ole", "damaged_zip", "junk"],
)
def test_unreadable_file_without_url_is_named_by_sha256_and_size(data):
    (finding,) = extract_document(data).findings
    assert finding.code == "parse.unsupported_format"
    assert f"file sha256 {hashlib.sha256(data).hexdigest()}, {len(data)} bytes" in finding.message


@pytest.mark.parametrize(
    ("data", "word"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "JPEG"),
        (b"GIF89a" + b"\x01" * 100, "GIF"),
        (b"Rar!\x1a\x07\x00" + b"\x00" * 50, "RAR"),
    ],
)
def test_images_and_archives_are_unsupported(data, word):
    doc = extract_document(data)
    assert doc.source_form == "unsupported"
    assert word in doc.findings[0].message


def test_zip_without_word_document_is_unsupported():
    doc = extract_document(_zip({"xl/workbook.xml": b"<workbook/>"}))
    assert doc.source_form == "unsupported"
    assert "Excel" in doc.findings[0].message
    doc = extract_document(_zip({"readme.txt": b"hello"}))
    assert "zip archive" in doc.findings[0].message


def test_damaged_zip_is_unsupported_not_an_error():
    doc = extract_document(b"PK\x03\x04" + b"\x00\x01garbage" * 20)
    assert doc.source_form == "unsupported"
    assert _codes(doc) == ["parse.unsupported_format"]


def test_docx_is_handed_to_the_docx_extractor():
    data = _zip({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"})
    doc = extract_document(data)  # whatever the DOCX reader makes of it, no exception
    assert doc.source_form in ("docx", "unsupported", "unknown")


def test_pdf_is_handed_to_the_pdf_extractor():
    doc = extract_document(
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF"
    )
    assert doc.source_form in ("pdf", "unsupported", "unknown", "text_pdf")
    assert doc.findings  # a broken PDF is reported, not raised


def test_binary_junk_is_unsupported():
    junk = bytes(range(256)) * 40
    doc = extract_document(junk)
    assert doc.source_form == "unsupported"
    assert "binary" in doc.findings[0].message


def test_random_bytes_never_raise():
    for seed in range(20):
        data = os.urandom(2000 + seed)
        doc = extract_document(data)
        assert doc.source_form in ("unsupported", "unknown", "html_text", "html_table") or (
            doc.source_form.startswith("text_")
        )


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><div class=TRS_Editor><table><tr><td rowspan=3>一</td><td colspan=2>",
        "<table><tr><td colspan=99999 rowspan=99999>x</td></tr></table>",
        "<table><tr><td colspan=abc rowspan=-4>x</td><td>1</td></tr><tr><td>2</td></tr></table>",
        "<" * 5000,
        "<div>" * 20000 + "一、总体情况" + "</div>" * 20000,
        "<html><body>" + "<table><tr><td>" * 3000 + "深" + "</td></tr></table>" * 3000,
        "<p>\x00\x01</p><p>一、总体情况</p><p>正文</p>",
    ],
)
def test_truncated_and_hostile_html_never_raises(page):
    doc = extract_document(page.encode("utf-8", "surrogatepass"))
    assert doc.source_form != ""


def test_ten_megabyte_page_is_read():
    rows = "<tr><td>行政许可</td><td>0</td><td>1</td></tr>" * 2000
    body = "<p>正文内容，较长的一段文字。</p>" * 220000
    page = f"<html><body><div id=zoom>{body}<table>{rows}</table></div></body></html>"
    data = page.encode()
    assert len(data) > 10_000_000
    doc = extract_document(data)
    assert doc.source_form == "html_table"
    assert isinstance(doc.blocks[-1], Grid)
    assert len(doc.blocks[-1].rows) == 2000


def test_is_html_needs_markup_not_a_stray_angle_bracket():
    assert is_html("<!DOCTYPE html><p>x")
    assert is_html("<p>一</p><p>二</p>")
    assert not is_html("数量<5件\n合计>3件")


def test_pathologically_deep_markup_is_read_as_flat_text():
    doc = extract_document("<div>" * 20000 + "一、总体情况" + "</div>" * 20000)
    assert doc.blocks == ["一、总体情况"]
    assert [(f.code, f.severity) for f in doc.findings] == [("parse.flattened_html", "warning")]


@pytest.mark.parametrize(
    "data",
    [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, bytes(range(256)) * 40],
    ids=["ole", "junk"],
)
def test_unreadable_format_finding_names_the_url_when_known(data):
    url = "http://www.example.gov.cn/xxgk/ndbg/2023.doc"
    finding = extract_document(data, url=url).findings[0]
    assert finding.code == "parse.unsupported_format"
    assert finding.raw == url and url in finding.message
    assert extract_document(data).findings[0].raw is None
