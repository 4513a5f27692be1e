"""Table 三 in PDF-like text: labels aligned by order and similarity, numbers never shifted."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from longtail_render import (
    Drawn,
    check_never_wrong_silently,
    damaged_pdf_lines,
    draw_tables,
    single_other_2021,
    truth,
)

from govscrape.document import Document
from govscrape.parse.tables import read_tables

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADER = ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人 总计"]


def read(lines: list[str]):
    return read_tables(Document("text_pdf", lines))


@SETTINGS
@given(st.integers(min_value=0, max_value=2**32), st.sampled_from(["v2019", "v2021"]))
def test_damaged_pdf_text_never_puts_a_number_in_the_wrong_row_silently(seed, template):
    rng = random.Random(seed)
    t = draw_tables(rng, template, blank_share=0.0)
    drawn = Drawn(t, single_other_2021(rng, t))
    result = read(damaged_pdf_lines(rng, drawn))
    want = truth(t, single_other=drawn.single_other)
    right = check_never_wrong_silently(result.cells, result.findings, want)
    assert right >= len(want) * 0.6  # damage costs rows, never the whole table


def test_label_with_a_missing_character_is_read_with_a_fuzzy_finding():
    lines = [
        *HEADER,
        "一、本年新收政府信息公开申请数量 3 1 0 0 0 0 4",
        "二、上年结政府信息公开申请数量 1 0 0 0 0 0 1",
        "（一）予以公开 4 1 0 0 0 0 5",
    ]
    result = read(lines)
    total = next(c for c in result.cells if (c.row, c.column) == ("carried_over", "total"))
    assert total.value == 1
    (f,) = [f for f in result.findings if f.code == "parse.fuzzy_label"]
    assert (f.row, f.severity) == ("carried_over", "info")
    assert "二、上年结政府信息公开申请数量" in f.message and "上年结转" in f.message


def test_vertical_group_characters_inside_labels_and_before_the_grand_total():
    lines = [
        *HEADER,
        "一、本年新收政府信息公开申请数量 3 1 0 0 0 0 4",
        "三、 （一）予以公开 3 1 0 0 0 0 4",
        "本",
        "年 （三）不 1.属于国家秘密 0 0 0 0 0 0 0",
        "度 予公开 2.其他法律行政法办规禁公开 0 0 0 0 0 0 0",
        "果 （七）总计 3 1 0 0 0 0 4",
    ]
    result = read(lines)
    values = {(c.row, c.column): c.value for c in result.cells}
    assert values["total_handled", "total"] == 4
    assert values["denied.prohibited_by_law", "total"] == 0
    fuzzy = {f.row for f in result.findings if f.code == "parse.fuzzy_label"}
    assert "denied.prohibited_by_law" in fuzzy  # 办 inside it, and a character missing


def test_numbers_between_two_rows_labels_stay_unread_with_findings_naming_both():
    lines = [
        *HEADER,
        "一、本年新收政府信息公开申请数量 3 1 0 0 0 0 4",
        "（一）予以公开",
        "3 1 0 0 0 0 4",
        "某某情形",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ]
    result = read(lines)
    unread = {c.row for c in result.cells if c.kind == "unread"}
    named = {f.row for f in result.findings if f.code == "parse.ambiguous_row"}
    assert {"granted", "partially_granted"} <= unread
    assert {"granted", "partially_granted"} <= named


def test_v2021_table_printing_one_other_row_keeps_it_under_other():
    lines = [
        "本年制发件数",
        *HEADER,
        "一、本年新收政府信息公开申请数量 3 1 0 0 0 0 4",
        "（五）不予处理 5.要求行政机关确认或重新出具已获取信息 0 0 0 0 0 0 0",
        "（六）其他处理 2 0 0 0 0 0 2",
        "（七）总计 3 1 0 0 0 0 4",
    ]
    result = read(lines)
    assert result.template == "v2021"
    other = {c.column: c.value for c in result.cells if c.row == "other"}
    assert other["natural_person"] == 2 and other["total"] == 2
    codes = {(f.code, f.row) for f in result.findings}
    assert ("parse.other_as_one_row", "other") in codes
    assert ("parse.missing_row", "other.no_correction") in codes
    parts = [c for c in result.cells if c.row.startswith("other.")]
    assert parts and all(c.kind == "unread" for c in parts)
