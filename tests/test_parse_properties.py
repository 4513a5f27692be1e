"""Property tests: random valid tables rendered into each input form parse back to the same values."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_render import (
    AD_2019,
    AD_2021,
    APPLICANTS,
    CATEGORY_SIZE,
    FULLWIDTH,
    OUTCOMES,
    PROCEEDINGS,
    REQUEST_ROWS_2019,
    REQUEST_ROWS_2021,
    THREE_COL,
    TWO_COL,
    Page,
    Tables,
    cells_lines,
    html_document,
    pdf_lines,
    pipe_lines,
    to_traditional,
)
from test_parse_tables import REVIEW_GRID, grid

from govscrape import parse_report
from govscrape.document import Document
from govscrape.parse.tables import read_tables

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
number = st.integers(min_value=0, max_value=99_999).map(str)
maybe_blank = st.one_of(number, number, number, st.just(""))


@st.composite
def tables(draw, blanks: bool) -> Tables:
    template = draw(st.sampled_from(["v2019", "v2021"]))
    cell = maybe_blank if blanks else number
    rows = REQUEST_ROWS_2019 if template == "v2019" else REQUEST_ROWS_2021
    requests = {code: {a: draw(cell) for a in APPLICANTS} for code, *_ in rows}
    active = {
        code: {m: draw(cell) for m in metrics}
        for _cap, _h, items, metrics in (AD_2019 if template == "v2019" else AD_2021)
        for code, _label in items
    }
    review = {p: {o: draw(cell) for o in OUTCOMES} for p in PROCEEDINGS}
    return Tables(template, requests, active, review)


def expected(t: Tables) -> dict:
    out = {"requests": t.requests, "active_disclosure": t.active, "review_litigation": t.review}
    return {
        name: {r: {c: (int(v) if v else None) for c, v in cols.items()} for r, cols in rows.items()}
        for name, rows in out.items()
    }


def parsed(doc: Document) -> dict:
    result = read_tables(doc)
    out: dict = {"requests": {}, "active_disclosure": {}, "review_litigation": {}}
    for c in result.cells:
        out[c.table].setdefault(c.row, {})[c.column] = c.value
    return out


def html_grids(t: Tables) -> list:
    """The tables as Grids, built from the same row specs the HTML fixtures use."""

    ad_rows = []
    for caption, headers, items, metrics in t.ad_blocks():
        ad_rows.append([(caption, 4, 1)])
        span = 3 if len(headers) == 1 else 1
        tail = 2 if len(headers) == 2 else span
        ad_rows.append(
            [
                "信息内容",
                *[(h, tail if i == len(headers) - 1 else span, 1) for i, h in enumerate(headers)],
            ]
        )
        for code, label in items:
            ad_rows.append(
                [
                    label,
                    *[
                        (t.active[code][m], tail if i == len(metrics) - 1 else span, 1)
                        for i, m in enumerate(metrics)
                    ],
                ]
            )
    req_rows = [
        [
            ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
            ("申请人情况", 7, 1),
        ],
        [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    ]
    outcome_rows = 20 if t.template == "v2019" else 22
    for code, label, vertical, category in t.request_rows():
        row = []
        if vertical:
            row.append((vertical, 1, outcome_rows))
        if category:
            row.append((category, 1, CATEGORY_SIZE[category]))
        span = 3 if code in THREE_COL else (2 if code in TWO_COL else 1)
        row.append((label, span, 1))
        row += [t.requests[code][a] for a in APPLICANTS]
        req_rows.append(row)
    rl_rows = [*REVIEW_GRID[:3], [t.review[p][o] for p in PROCEEDINGS for o in OUTCOMES]]
    return [
        "二、主动公开政府信息情况",
        grid(ad_rows),
        "三、收到和处理政府信息公开申请情况",
        grid(req_rows),
        "四、政府信息公开行政复议、行政诉讼情况",
        grid(rl_rows),
    ]


@SETTINGS
@given(tables(blanks=True))
def test_html_grid_round_trip_keeps_blank_cells(t):
    assert parsed(Document("html_table", html_grids(t))) == expected(t)


@SETTINGS
@given(tables(blanks=False))
def test_cell_per_line_round_trip(t):
    assert parsed(Document("text_cells", cells_lines(t))) == expected(t)


@SETTINGS
@given(tables(blanks=True))
def test_cell_per_line_with_kept_blanks_round_trip(t):
    lines = cells_lines(t, keep_blanks=True, pipe=True)
    assert parsed(Document("text_pipe", lines)) == expected(t)


@SETTINGS
@given(tables(blanks=True))
def test_pipe_rows_round_trip(t):
    assert parsed(Document("text_pipe", pipe_lines(t))) == expected(t)


@SETTINGS
@given(tables(blanks=False), st.integers(min_value=10, max_value=40))
def test_whitespace_rows_round_trip(t, width):
    lines = pdf_lines(t, wrap_width=width, page_break_before="unable.needs_creation")
    assert parsed(Document("text_pdf", lines)) == expected(t)


# --- whole pages through extraction, and the surface variants of mirrors and PDFs --------------

PAGE = Page(
    title="松溪县档案局2023年政府信息公开工作年度报告",
    agency="松溪县档案局",
    published="2024-01-20",
    overview=["2023年，松溪县档案局认真贯彻落实《中华人民共和国政府信息公开条例》。"],
    problems=["一是公开内容还需更加全面。"],
    other=["本年度未收取信息处理费。"],
)


def report_values(report) -> dict:
    out: dict = {"requests": {}, "active_disclosure": {}, "review_litigation": {}}
    for c in report.cells:
        out[c.table].setdefault(c.row, {})[c.column] = c.value
    return out


@st.composite
def with_subtotal(draw, blanks: bool) -> Tables:
    t = draw(tables(blanks=blanks))
    if draw(st.booleans()):
        cell = maybe_blank if blanks else number
        t.subtotal = {row: draw(cell) for row in t.requests}
        t.subtotal_first = draw(st.booleans())
    return t


def expected_with_subtotal(t: Tables) -> dict:
    out = expected(t)
    for row, text in t.subtotal.items():
        out["requests"][row]["org_subtotal"] = int(text) if text else None
    return out


@SETTINGS
@given(
    with_subtotal(blanks=True),
    st.sampled_from([0, 1, 2]),
    st.sampled_from(["per_section", "all_in_one"]),
    st.booleans(),
)
def test_html_page_round_trip_through_extraction(t, style, layout, spare):
    page = html_document(PAGE, t, style=style, layout=layout, spare_column=spare)
    assert report_values(parse_report(page.encode())) == expected_with_subtotal(t)


NUMBERING = {
    ".": lambda line: line,
    "、": lambda line: re.sub(r"(?<![\d.])(\d)\.(?=\D)", r"\1、", line),
    "（）": lambda line: re.sub(r"(?<![\d.])(\d)\.(?=\D)", r"（\1）", line),
}


def variant(lines: list[str], traditional: bool, fullwidth: bool, numbering: str) -> list[str]:
    out = [NUMBERING[numbering](line) for line in lines]
    out = [line.replace("不予公开", "不予 公开").replace("部分公开", "部分 公开") for line in out]
    if traditional:
        out = [to_traditional(line) for line in out]
    return [line.translate(FULLWIDTH) for line in out] if fullwidth else out


surface = (st.booleans(), st.booleans(), st.sampled_from(sorted(NUMBERING)))


@SETTINGS
@given(tables(blanks=False), *surface)
def test_cell_per_line_variants_round_trip(t, traditional, fullwidth, numbering):
    lines = variant(cells_lines(t), traditional, fullwidth, numbering)
    assert parsed(Document("text_cells", lines)) == expected(t)


@SETTINGS
@given(with_subtotal(blanks=True), *surface)
def test_pipe_row_variants_round_trip(t, traditional, fullwidth, numbering):
    lines = variant(pipe_lines(t), traditional, fullwidth, numbering)
    assert parsed(Document("text_pipe", lines)) == expected_with_subtotal(t)


@SETTINGS
@given(with_subtotal(blanks=False), st.integers(min_value=10, max_value=40), *surface)
def test_whitespace_row_variants_round_trip(t, width, traditional, fullwidth, numbering):
    lines = pdf_lines(t, wrap_width=width, page_break_before="unable.needs_creation")
    lines = variant(lines, traditional, fullwidth, numbering)
    assert parsed(Document("text_pdf", lines)) == expected_with_subtotal(t)
