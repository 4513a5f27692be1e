"""extract_docx: paragraphs as lines, Word tables as grids with merged cells expanded."""

from __future__ import annotations

import io
import zipfile

import pdf_fixtures as fx
import pytest

from govscrape.document import Document, Grid
from govscrape.extract.docx import extract_docx


@pytest.fixture(scope="module")
def doc() -> Document:
    return extract_docx(fx.report_docx())


def the_grid(doc: Document) -> Grid:
    return next(b for b in doc.blocks if isinstance(b, Grid))


def row_with(grid: Grid, label: str):
    return next(row for row in grid.rows if any(c.text == label for c in row))


def test_paragraphs_become_lines_in_order(doc):
    lines = [b for b in doc.blocks if isinstance(b, str)]
    assert lines[:3] == [fx.AGENCY, f"{fx.YEAR}年政府信息公开工作年度报告", "一、总体情况"]
    order = [b if isinstance(b, str) else "<grid>" for b in doc.blocks]
    assert order.index("三、收到和处理政府信息公开申请情况") < order.index("<grid>")
    assert order.index("<grid>") < order.index("六、其他需要报告的事项")


def test_manual_line_break_splits_a_paragraph(doc):
    lines = [b for b in doc.blocks if isinstance(b, str)]
    assert lines[-2:] == ["本年度未收取", "信息处理费。"]


def test_grid_is_full_width_with_blank_cells_blank(doc):
    grid = the_grid(doc)
    assert len(grid.rows) == 3 + len(fx.REQUEST_ROWS_2021)
    assert all(len(row) == 10 for row in grid.rows)
    row = row_with(grid, "一、本年新收政府信息公开申请数量")
    assert [c.text for c in row[3:]] == ["120", "8", "", "1", "3", "0", "132"]


def test_horizontal_merge_is_copied_with_its_origin(doc):
    grid = the_grid(doc)
    row = row_with(grid, "一、本年新收政府信息公开申请数量")
    assert [c.origin for c in row[:3]] == [row[0].origin] * 3
    header = grid.rows[0]
    assert [c.text for c in header[3:]] == ["申请人情况"] * 7
    assert len({c.origin for c in header[3:]}) == 1


def test_vertical_merge_is_copied_with_its_origin(doc):
    grid = the_grid(doc)
    denied = [row for row in grid.rows if row[1].text == "（三）不予公开"]
    assert len(denied) == 8
    assert len({row[1].origin for row in denied}) == 1
    assert denied[0][1].origin == (denied[0][2].origin[0], 1)
    outcome = [row[0] for row in grid.rows if row[0].text == "三、本年度办理结果"]
    assert len(outcome) == 22 and len({c.origin for c in outcome}) == 1
    assert [c.text for c in grid.rows[2][:3]] == [grid.rows[0][0].text] * 3


def test_title_and_core_properties(doc):
    assert doc.source_form == "docx"
    assert doc.title == f"{fx.AGENCY}{fx.YEAR}年政府信息公开工作年度报告"
    assert doc.meta["Title"] == "政府信息公开工作年度报告"
    assert doc.meta["Author"] == "示范区政务公开办"
    assert doc.findings == []


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"PK\x03\x04 not really a zip",
        _zip({"hello.txt": b"hi"}),
        _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"}),
    ],
    ids=["empty", "junk", "zip-without-word", "broken-xml"],
)
def test_corrupt_docx_is_unsupported_format(data):
    result = extract_docx(data)
    assert result.source_form == "unsupported"
    assert result.findings[0].code == "parse.unsupported_format"
    assert result.findings[0].severity == "error"


def test_truncated_docx_is_unsupported_format():
    data = fx.report_docx()
    result = extract_docx(data[: len(data) // 2])
    assert result.findings and result.findings[0].code == "parse.unsupported_format"
