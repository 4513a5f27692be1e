"""Prose as sentences: lines joined where a sentence runs on, headings, bylines and tables apart."""

from __future__ import annotations

from govscrape.document import Document, Grid, GridCell
from govscrape.parse.sentences import MAX_SENTENCE_CHARS, heading, report_sentences


def sentences(*lines: str | Grid) -> list[tuple[str, str | None]]:
    doc = Document("html_text", blocks=list(lines))
    return [(s.text, s.section) for s in report_sentences(doc)]


def test_a_statement_over_two_lines_is_one_sentence_quoted_as_found():
    assert sentences("全年未收到政府", "信息公开申请。") == [("全年未收到政府信息公开申请。", None)]


def test_a_line_ending_a_sentence_is_not_joined_to_the_next():
    got = sentences("全年收到申请3件。", "均已答复。")
    assert got == [("全年收到申请3件。", None), ("均已答复。", None)]


def test_sentences_of_one_line_are_apart():
    got = sentences("一是加强领导。二是完善制度！三是强化培训？")
    assert [text for text, _ in got] == ["一是加强领导。", "二是完善制度！", "三是强化培训？"]


def test_national_and_pre_2019_headings_set_the_section():
    got = sentences(
        "一、概述",
        "我局高度重视。",
        "三、依申请公开政府信息情况",
        "全年未收到申请。",
        "四、政府信息公开的收费及减免情况",
        "未收取费用。",
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
        "无。",
        "二、主动公开政府信息情况",
        "公开信息。",
    )
    assert [section for _, section in got] == [
        "overview", "requests", "other_matters", "review_litigation", "active_disclosure"
    ]  # fmt: skip


def test_a_heading_running_on_into_text_keeps_the_text():
    assert sentences("三、依申请公开情况：全年未收到申请。") == [("全年未收到申请。", "requests")]


def test_sub_headings_and_sentences_are_no_section_headings():
    assert heading("（一）主动公开情况") is None
    assert heading("全年主动公开政府信息120条。") is None
    assert heading("依申请公开情况：无。") is None  # unnumbered with text: a statement
    assert heading("依申请公开政府信息情况") == ("requests", "")


def test_title_byline_and_dates_are_never_joined_to_a_sentence():
    got = sentences(
        "某县审计局2017年政府信息公开工作年度报告",
        "发布日期：2018-03-20",
        "全年未收到申请",
        "二〇一八年三月二十日",
    )
    assert got == [("全年未收到申请", None)]


def test_a_table_and_a_flattened_table_are_not_prose():
    grid = Grid([[GridCell("收到申请数", (0, 0)), GridCell("2", (0, 1))]])
    got = sentences("全年收到申请", grid, "收到申请数", "件", "2", "本年度未发生复议。")
    assert got == [("全年收到申请", None), ("本年度未发生复议。", None)]


def test_a_merged_table_row_is_a_line_of_text():
    grid = Grid(
        [
            [
                GridCell("三、依申请公开政府信息情况", (0, 0)),
                GridCell("三、依申请公开政府信息情况", (0, 0)),
            ]
        ]
    )
    assert sentences(grid, "全年未收到申请。") == [("全年未收到申请。", "requests")]


def test_an_endless_sentence_is_cut_at_semicolons_and_dropped_when_still_too_long():
    piece = "全年收到申请3件；"
    long = piece * (MAX_SENTENCE_CHARS // len(piece) + 1) + "。"
    got = sentences(long)
    assert got and all(len(text) <= MAX_SENTENCE_CHARS for text, _ in got)
    assert sentences("字" * (MAX_SENTENCE_CHARS + 1) + "。") == []
