"""extract_pdf: tables rebuilt from PDF geometry, text lines, metadata, unusable files."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone

import pdf_fixtures as fx
import pytest
from published import HUAIAN_PDF, expected

from govscrape.document import Document, Grid
from govscrape.extract.pdf import PageContent, _assemble, extract_pdf, parse_pdf_date
from govscrape.extract.pdf_geometry import Char, TextLine
from govscrape.extract.pdf_tables import PdfTable, Span, continue_table
from govscrape.parse import parse_report
from govscrape.template import ACTIVE_DISCLOSURE, APPLICANTS, OUTCOMES, PROCEEDINGS, request_rows


@pytest.fixture(scope="module")
def ruled() -> Document:
    return extract_pdf(fx.report_pdf(template="v2021", ruled=True))


@pytest.fixture(scope="module")
def unruled() -> Document:
    return extract_pdf(fx.report_pdf(template="v2019", ruled=False))


def grids(doc: Document) -> list[Grid]:
    return [b for b in doc.blocks if isinstance(b, Grid)]


def grid_with(doc: Document, text: str) -> Grid:
    return next(g for g in grids(doc) if any(c.text == text for row in g.rows for c in row))


def row_with(grid: Grid, label: str) -> list[str]:
    return next([c.text for c in row] for row in grid.rows if any(c.text == label for c in row))


def data_rows(grid: Grid) -> list[list[str]]:
    """Rows holding at least one number, as texts."""
    return [
        [c.text for c in row]
        for row in grid.rows
        if any(re.fullmatch(r"-?[\d.]+", c.text) for c in row)
    ]


# --- a ruled table like Word/WPS exports ---------------------------------------------------


def test_requests_table_has_three_label_and_seven_data_columns(ruled):
    grid = grid_with(ruled, "1.属于国家秘密")
    assert all(len(row) == 10 for row in grid.rows)
    assert row_with(grid, "1.属于国家秘密") == [
        "三、本年度办理结果",
        "（三）不予公开",
        "1.属于国家秘密",
        "0",
        "0",
        "",
        "0",
        "0",
        "0",
        "0",
    ]


def test_blank_cell_stays_blank_under_its_header(ruled):
    grid = grid_with(ruled, "1.属于国家秘密")
    header = [c.text for c in grid.rows[2]]
    research = header.index("科研机构")
    for row in data_rows(grid):
        assert row[research] == ""
    assert row_with(grid, "一、本年新收政府信息公开申请数量")[3:] == [
        "120",
        "8",
        "",
        "1",
        "3",
        "0",
        "132",
    ]


def test_table_over_page_break_is_one_grid_without_repeated_header(ruled):
    grid = grid_with(ruled, "1.属于国家秘密")
    notes = [row for row in grid.rows if row[0].text.startswith("（本列数据的勾稽关系")]
    assert len(notes) == 3  # the three header rows, once
    assert len(data_rows(grid)) == len(fx.REQUEST_ROWS_2021)
    assert [r[2] for r in data_rows(grid)][-1] == "四、结转下年度继续办理"


def test_wrapped_label_is_one_row_label(ruled):
    grid = grid_with(ruled, "1.属于国家秘密")
    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert row_with(grid, label)[3:] == ["9", "1", "", "0", "0", "0", "10"]


def test_merged_group_label_is_copied_with_its_origin(ruled):
    grid = grid_with(ruled, "1.属于国家秘密")
    cells = [row[1] for row in grid.rows if row[1].text == "（三）不予公开"]
    assert len(cells) == 8
    assert len({c.origin for c in cells}) == 1
    vertical = [row[0] for row in grid.rows if row[0].text == "三、本年度办理结果"]
    assert len(vertical) == 22 and len({c.origin for c in vertical}) == 1
    assert "\n" in vertical[0].raw  # printed one character per line


def test_active_disclosure_single_value_spans_value_columns(ruled):
    grid = grid_with(ruled, "行政许可")
    row = next(r for r in grid.rows if r[0].text == "行政许可")
    assert [c.text for c in row] == ["行政许可", "1520", "1520", "1520"]
    assert len({c.origin for c in row[1:]}) == 1
    assert row_with(grid, "行政事业性收费")[1] == "12.5"
    assert row_with(grid, "本年收费金额（单位：万元）")[0] == "信息内容"


def test_review_table_reads_fifteen_values(ruled):
    grid = grid_with(ruled, "未经复议直接起诉")
    assert [c.text for c in grid.rows[-1]] == fx.REVIEW_VALUES


def test_text_outside_tables_in_order_without_page_numbers(ruled):
    lines = [b for b in ruled.blocks if isinstance(b, str)]
    assert not any(re.fullmatch(r"-\s*\d+\s*-", line) for line in lines)
    order = [b if isinstance(b, str) else "<grid>" for b in ruled.blocks]
    assert order.index("三、收到和处理政府信息公开申请情况") < order.index(
        "四、政府信息公开行政复议、行政诉讼情况"
    )
    assert "六、其他需要报告的事项" in lines


def test_title_and_pdf_metadata(ruled):
    assert ruled.source_form == "pdf"
    assert ruled.title == f"{fx.AGENCY}{fx.YEAR}年政府信息公开工作年度报告"
    assert ruled.meta["Title"] == "政府信息公开工作年度报告"
    assert ruled.meta["Author"] == "示范区政务公开办"
    assert re.match(r"\d{4}-\d\d-\d\dT", ruled.meta["CreationDate"])
    assert ruled.findings == []


def test_report_without_a_printed_date_is_published_on_the_pdf_creation_date():
    from govscrape.parse import parse_report

    data = fx.report_pdf(filler=1)  # the text carries no date
    created = datetime.fromisoformat(extract_pdf(data).meta["CreationDate"])
    beijing = created.astimezone(timezone(timedelta(hours=8))).replace(tzinfo=None)
    assert parse_report(data).published == beijing


def test_pdf_date_with_timezone():
    when = parse_pdf_date("D:20250225100250+08'00'")
    assert when is not None and when.isoformat() == "2025-02-25T10:02:50+08:00"
    assert parse_pdf_date("garbage") is None


# --- an unruled table: columns from the geometry of the words -------------------------------


def test_unruled_numbers_land_in_the_column_they_sit_under(unruled):
    grid = grid_with(unruled, "1.属于国家秘密")
    assert len(grid.rows[-1]) == 10
    assert row_with(grid, "一、本年新收政府信息公开申请数量")[3:] == [
        "120",
        "8",
        "",
        "1",
        "3",
        "0",
        "132",
    ]
    assert row_with(grid, "（六）其他处理")[3:] == ["8", "0", "", "0", "0", "0", "8"]


def test_unruled_vertical_and_group_labels_are_not_rows(unruled):
    grid = grid_with(unruled, "1.属于国家秘密")
    assert len(data_rows(grid)) == len(request_rows("v2019"))
    row = row_with(grid, "2.没有现成信息需要另行制作")
    assert row[:3] == ["三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作"]


def test_unruled_dash_and_unit_values_are_kept(unruled):
    grid = grid_with(unruled, "政府集中采购")
    assert "/" in row_with(grid, "行政强制")
    assert "251000元" in row_with(grid, "政府集中采购")


def test_row_broken_across_pages_is_one_row():
    doc = extract_pdf(fx.split_row_pdf())
    [grid] = grids(doc)
    label = "5.要求行政机关确认或重新出具已获取信息"
    assert row_with(grid, label)[1:] == ["1", "0", "", "0", "0", "0", "1"]
    assert not any(row[0].text == "出具已获取信息" for row in grid.rows)
    assert len(grid.rows) == 1 + len(fx.REQUEST_ROWS_2021)
    assert grid.rows[-1][0].text == "四、结转下年度继续办理"


def test_unruled_table_over_page_break_with_repeated_header_is_one_grid():
    doc = extract_pdf(fx.report_pdf(template="v2021", ruled=False))
    grid = grid_with(doc, "1.属于国家秘密")
    assert grid_with(doc, "一、本年新收政府信息公开申请数量") is grid  # page 1 part joined
    assert sum(1 for row in grid.rows if row[3].text == "自然人") == 1  # header row once
    rows = data_rows(grid)
    assert [row[3:] for row in rows] == [values for _, _, values in fx.REQUEST_ROWS_2021]
    lines = [b for b in doc.blocks if isinstance(b, str)]
    assert lines.count("申请人情况") == 1  # the repeated header line above page 2 dropped


def _line(text: str, top: float) -> TextLine:
    chars = [Char(ch, 10.0 * i, 10.0 * i + 9, top, top + 9) for i, ch in enumerate(text)]
    return TextLine(chars, top, top + 9)


def _table(rows: list[list[str]], page: int, top: float = 100.0) -> PdfTable:
    spans = [
        Span(r, r + 1, c, c + 1, text, text)
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]
    xs = [50.0, 200.0, 260.0, 320.0, 380.0]
    return PdfTable(xs, len(rows), spans, page, top, top + 20 * len(rows), xs[0], xs[-1], [page])


def test_blank_row_at_top_of_page_is_not_joined_to_the_row_above():
    above = _table(
        [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "0", "", "2"]], 1
    )
    below = _table([["规范性文件", "", "", ""], ["行政许可", "5", "1", "9"]], 2)
    assert continue_table(above, below)
    assert [row_texts for row_texts in map(above.row_texts, range(above.nrows))] == [
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        ("规章", "0", "", "2"),
        ("规范性文件", "", "", ""),
        ("行政许可", "5", "1", "9"),
    ]


def test_label_tail_at_top_of_page_is_joined_to_the_cut_row():
    above = _table([["（二）部分公开（区分处理的，只计这一", "9", "1", "10"]], 1)
    below = _table([["情形，不计其他情形）", "", "", ""], ["1.属于国家秘密", "0", "0", "0"]], 2)
    assert continue_table(above, below)
    assert above.nrows == 2
    assert above.row_texts(0)[0] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"


def test_lines_above_a_continuation_are_dropped_only_when_they_repeat():
    header = ["申请人情况", "法人或其他组织"]

    def page(lines: list[str], row: list[str], number: int) -> PageContent:
        items = [_line(text, 50 + 20 * i) for i, text in enumerate(lines)]
        return PageContent([*items, _table([row], number)], 0, 0)

    first, second = ["规章", "0", "", "2"], ["行政许可", "5", "1", "9"]
    joined = _assemble([page(header, first, 1), page(header, second, 2)])
    assert [b if isinstance(b, str) else len(b.rows) for b in joined] == [*header, 2]
    heading = "四、政府信息公开行政复议"
    apart = _assemble([page(header, first, 1), page([heading], second, 2)])
    assert [b if isinstance(b, str) else len(b.rows) for b in apart] == [*header, 1, heading, 1]


# --- files that cannot be read ---------------------------------------------------------------


def test_scanned_pdf_is_a_finding_not_a_crash():
    data = fx.scanned_pdf()
    doc = extract_pdf(data)
    codes = [(f.code, f.severity) for f in doc.findings]
    assert ("parse.scanned_pdf", "error") in codes
    assert "2 image(s)" in doc.findings[0].message
    assert not grids(doc)


def test_unreadable_pdf_findings_name_the_file_by_its_raw_store_key():
    for data in (fx.scanned_pdf(), fx.encrypted_pdf(), b"%PDF-1.7\n" + bytes(range(256)) * 4):
        finding = extract_pdf(data).findings[0]
        assert f"sha256 {hashlib.sha256(data).hexdigest()}, {len(data)} bytes" in finding.message


def test_encrypted_pdf_is_unsupported():
    doc = extract_pdf(fx.encrypted_pdf())
    assert doc.source_form == "unsupported"
    assert doc.findings[0].code == "parse.unsupported_format"
    assert "encrypted" in doc.findings[0].message


def test_pdf_cut_short_with_its_pages_intact_is_read_with_a_truncation_warning():
    data = fx.report_pdf(filler=1)
    cut = data[: int(len(data) * 0.95)]  # the cross-reference table and %%EOF are lost
    doc = extract_pdf(cut)
    assert [(f.code, f.severity) for f in doc.findings] == [("parse.truncated_file", "warning")]
    assert f"sha256 {hashlib.sha256(cut).hexdigest()}" in doc.findings[0].message
    whole = extract_pdf(data)
    assert [[c.text for c in row] for g in grids(doc) for row in g.rows] == [
        [c.text for c in row] for g in grids(whole) for row in g.rows
    ]


def test_pdf_cut_in_the_middle_keeps_the_pages_that_arrived():
    data = fx.report_pdf(filler=1)
    doc = extract_pdf(data[: int(len(data) * 0.5)])  # the trailer naming the catalog is lost
    assert [(f.code, f.severity) for f in doc.findings] == [("parse.truncated_file", "warning")]
    assert row_with(grid_with(doc, "行政许可"), "行政许可")  # table 二, on the first page


@pytest.mark.parametrize("which", ["first_kilobyte", "scanned"])
def test_truncated_pdf_with_no_readable_text_is_unsupported_format(which):
    data = fx.report_pdf(filler=1)[:900] if which == "first_kilobyte" else fx.scanned_pdf()[:-20]
    doc = extract_pdf(data)
    assert [(f.code, f.severity) for f in doc.findings] == [("parse.unsupported_format", "error")]


@pytest.mark.parametrize("data", [b"", b"%PDF-1.4\n", b"%PDF-1.7\n" + bytes(range(256)) * 40])
def test_junk_pdf_never_raises(data):
    doc = extract_pdf(data)
    assert doc.findings and doc.findings[0].severity == "error"


# --- the real sample -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> tuple[bytes, dict]:
    return HUAIAN_PDF.read_bytes(), expected(HUAIAN_PDF)


def test_sample_grids_hold_every_expected_value(sample):
    data, expected = sample
    doc = extract_pdf(data)
    requests = grid_with(doc, "1.属于国家秘密")
    rows = data_rows(requests)
    codes = [r.code for r in request_rows("v2021")]
    assert len(rows) == len(codes)
    for code, row in zip(codes, rows, strict=True):
        assert row[3:] == [str(expected["requests"][code][a.code]) for a in APPLICANTS], code
    review = grid_with(doc, "未经复议直接起诉")
    want = [
        str(expected["review_litigation"][p][o])
        for p in ("review", "litigation_direct", "litigation_after_review")
        for o in ("upheld", "corrected", "other", "pending", "total")
    ]
    assert [c.text for c in review.rows[-1]] == want
    active = grid_with(doc, "行政事业性收费")
    assert row_with(active, "行政事业性收费")[1] == "96171.6"
    assert row_with(active, "行政规范性文件") == ["行政规范性文件", "8", "26", "66"]
    assert doc.title == expected["title"]
    assert doc.meta["CreationDate"] == "2025-02-25T10:02:50+08:00"


def test_sample_parses_to_its_expected_values(sample):
    data, expected = sample
    report = parse_report(data)
    assert (report.title, report.agency, report.year, report.template) == (
        expected["title"],
        expected["agency"],
        expected["year"],
        expected["template"],
    )
    for table in ("requests", "active_disclosure", "review_litigation"):
        for row, columns in expected[table].items():
            for column, value in columns.items():
                assert report.value(table, row, column) == value, (table, row, column)
    fee = report.cell("active_disclosure", "admin_fee", "amount")
    assert fee is not None and fee.unit == "万元"
    consistency = {
        "requests.balance",
        "requests.total_handled",
        "requests.row_total",
        "review_litigation.total",
        "org_subtotal",
    }
    assert not [f for f in report.findings if f.code in consistency]


# --- generated reports through the whole parser, cell by cell -------------------------------

Expected = dict[tuple[str, str, str], tuple[float | None, str, str | None]]


def source_cell(text: str) -> tuple[float | None, str, str | None]:
    """(value, kind, unit) a cell printed as `text` in a generated report must read as."""
    if text == "":
        return None, "blank", None
    if text == "/":
        return None, "not_applicable", None
    unit = "元" if text.endswith("元") else None
    number = float(text.removesuffix("元"))
    return (int(number) if number.is_integer() else number), "number", unit


def source_values(template: str) -> Expected:
    """Every cell of tables 二 三 四 as the generator printed it, keyed by canonical codes."""
    out: Expected = {}
    requests = fx.REQUEST_ROWS_2021 if template == "v2021" else fx._rows_2019()
    for line, (_, _, values) in zip(request_rows(template), requests, strict=True):
        for applicant, text in zip(APPLICANTS, values, strict=True):
            out["requests", line.code, applicant.code] = source_cell(text)
    blocks = fx.ACTIVE_2021 if template == "v2021" else fx.ACTIVE_2019
    for block, (_, _, rows) in zip(ACTIVE_DISCLOSURE[template], blocks, strict=True):
        for label, *values in rows:
            item = next(i for i in block.items if i.label == label)
            for metric, text in zip(block.metrics, values, strict=True):
                out["active_disclosure", item.code, metric.code] = source_cell(text)
    texts = iter(fx.REVIEW_VALUES)
    for proceeding in PROCEEDINGS:
        for outcome in OUTCOMES:
            out["review_litigation", proceeding.code, outcome.code] = source_cell(next(texts))
    return out


@pytest.mark.parametrize(
    ("template", "ruled_pdf"),
    [("v2021", True), ("v2019", True), ("v2021", False), ("v2019", False)],
)
def test_generated_report_parses_to_every_source_value(template, ruled_pdf):
    report = parse_report(fx.report_pdf(template=template, ruled=ruled_pdf))
    assert report.template == template
    assert report.findings == []
    expected = source_values(template)
    got = {(c.table, c.row, c.column): c for c in report.cells}
    assert sorted(got) == sorted(expected)
    for key, (value, kind, unit) in expected.items():
        cell = got[key]
        if key == ("active_disclosure", "admin_fee", "amount"):
            unit = "万元"  # printed once, in the header 本年收费金额（单位：万元）
        assert (cell.value, cell.kind, cell.unit) == (value, kind, unit), key


def test_unruled_active_disclosure_blocks_keep_their_own_columns(unruled):
    grid = grid_with(unruled, "行政事业性收费")
    assert row_with(grid, "第二十条第（一）项") == ["第二十条第（一）项"] * 4
    assert row_with(grid, "规章") == ["规章", "0", "0", "0"]
    assert row_with(grid, "行政强制") == ["行政强制", "15", "", "/"]  # blank 本年增/减
    # block （八） has two metrics: the second spans the remaining columns, as in the template
    assert row_with(grid, "行政事业性收费") == ["行政事业性收费", "4", "0", "0"]
    assert row_with(grid, "采购项目数量")[1:] == ["采购项目数量", "采购总金额", "采购总金额"]


def test_unruled_single_metric_block_spans_the_value_columns():
    doc = extract_pdf(fx.report_pdf(template="v2021", ruled=False))
    grid = grid_with(doc, "行政许可")
    row = next(r for r in grid.rows if r[0].text == "行政许可")
    assert [c.text for c in row] == ["行政许可", "1520", "1520", "1520"]
    assert len({c.origin for c in row[1:]}) == 1
    assert row_with(grid, "规章") == ["规章", "0", "", "2"]
    assert row_with(grid, "本年收费金额（单位：万元）")[0] == "信息内容"
