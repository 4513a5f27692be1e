"""parse/sections.py: the six sections under any heading variant, and nothing else."""

from __future__ import annotations

import pytest
from published import SEED

from govscrape.document import Document, Grid, GridCell
from govscrape.extract import extract_document
from govscrape.parse.sections import heading_of, split_sections

STANDARD = [
    "松林县2023年政府信息公开工作年度报告",
    "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、"
    "行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。",
    "一、总体情况",
    "全年主动公开信息120条。",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "一、本年新收政府信息公开申请数量",
    "3",
    "三、本年度办理结果",
    "（一）予以公开",
    "2",
    "四、结转下年度继续办理",
    "1",
    "四、政府信息公开行政复议、行政诉讼情况",
    "0",
    "五、存在的主要问题及改进情况",
    "公开内容不够全面。",
    "六、其他需要报告的事项",
    "本年度未收取信息处理费。",
    "松林县人民政府办公室",
    "2024年1月20日",
    "相关文档:",
    "扫一扫在手机打开",
    "关闭 打印",
]


def _doc(lines: list[str], **kw) -> Document:
    return Document(source_form="text_cells", blocks=list(lines), **kw)


def test_the_six_standard_sections_are_split():
    sections, findings = split_sections(_doc(STANDARD))
    assert list(sections) == [
        "overview",
        "active_disclosure",
        "requests",
        "review_litigation",
        "problems",
        "other_matters",
    ]
    assert sections["overview"] == "全年主动公开信息120条。"
    assert sections["active_disclosure"] == ""
    assert sections["review_litigation"] == "0"
    assert sections["problems"] == "公开内容不够全面。"
    assert findings == []


def test_table_row_labels_are_not_headings():
    sections, _ = split_sections(_doc(STANDARD))
    requests = sections["requests"].splitlines()
    assert "三、本年度办理结果" in requests
    assert "四、结转下年度继续办理" in requests
    assert "一、本年新收政府信息公开申请数量" in requests


def test_intro_sentence_listing_all_parts_is_not_split():
    sections, _ = split_sections(_doc(STANDARD))
    assert all("六部分组成" not in text for text in sections.values())


def test_page_chrome_after_the_last_section_is_cut():
    sections, _ = split_sections(_doc(STANDARD))
    assert (
        sections["other_matters"] == "本年度未收取信息处理费。\n松林县人民政府办公室\n2024年1月20日"
    )


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("一、总体情况", "overview"),
        ("一 、 总 体 情 况", "overview"),
        ("一．总体情况", "overview"),
        ("第一部分 总体情况", "overview"),
        ("（一）总体情况", "overview"),
        ("1、总体情况", "overview"),
        ("一、總體情況", "overview"),
        ("二、行政机关主动公开政府信息情况", "active_disclosure"),
        ("二、主動公開政府信息情況", "active_disclosure"),
        ("三、行政机关收到和处理政府信息公开申请情况", "requests"),
        ("三、收到和處理政府信息公開申請情況", "requests"),
        ("四、政府信息公开行政复议、行政诉讼情况", "review_litigation"),
        ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "review_litigation"),
        ("四、政府信息公開行政復議、行政訴訟情況", "review_litigation"),
        ("五、政府信息公开工作存在的主要问题及改进情况", "problems"),
        ("五、存在问题及改进情况", "problems"),
        ("五、存在的主要问题和改进措施", "problems"),
        ("六、其他需要报告的事项", "other_matters"),
        ("六、其他需要報告的事項：", "other_matters"),
        ("其他需要报告的事项", "other_matters"),
    ],
)
def test_heading_variants_are_recognised(line, code):
    hit = heading_of(line)
    assert hit is not None and hit[0] == code


@pytest.mark.parametrize(
    "line",
    [
        "三、本年度办理结果",
        "四、结转下年度继续办理",
        "一、本年新收政府信息公开申请数量",
        "（三）不予公开",
        "本机关积极做好总体情况的梳理。",
        "关于收到和处理政府信息公开申请情况的说明如下，全年共收到申请3件",
        "行政复议",
        "六部分：总体情况、主动公开政府信息情况",
    ],
)
def test_lines_that_are_not_headings(line):
    assert heading_of(line) is None


def test_heading_with_text_on_the_same_line_keeps_that_text():
    sections, _ = split_sections(_doc(["一、总体情况：2023年，本局扎实推进公开。", "第二段。"]))
    assert sections["overview"] == "2023年，本局扎实推进公开。\n第二段。"


def test_table_of_contents_does_not_swallow_the_sections():
    toc = ["目录", "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    body = ["一、总体情况", "正文甲，内容充实的一段文字。", "二、主动公开政府信息情况", "正文乙，表格前的说明文字。",
            "三、收到和处理政府信息公开申请情况", "正文丙，表格后的说明文字。"]  # fmt: skip
    sections, _ = split_sections(_doc(toc + body))
    assert sections["overview"] == "正文甲，内容充实的一段文字。"
    assert sections["active_disclosure"] == "正文乙，表格前的说明文字。"
    assert sections["requests"] == "正文丙，表格后的说明文字。"


def test_grid_cells_are_not_section_text_nor_headings():
    label = "四、政府信息公开行政复议、行政诉讼情况"
    grid = Grid(rows=[[GridCell(label, (0, 0), label), GridCell("0", (0, 1), "0")]])
    doc = _doc(["一、总体情况", "概述。", "三、收到和处理政府信息公开申请情况", grid, "表后说明。"])
    sections, _ = split_sections(doc)
    assert sections == {"overview": "概述。", "requests": "表后说明。"}


def test_missing_sections_are_warned_only_for_a_report():
    lines = [
        "一、总体情况",
        "甲",
        "二、主动公开政府信息情况",
        "乙",
        "三、收到和处理政府信息公开申请情况",
        "丙",
    ]
    _, findings = split_sections(_doc(lines))
    assert [f.code for f in findings] == ["parse.missing_section"] * 3
    assert {f.expected for f in findings} == {
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    }
    assert all(f.severity == "warning" for f in findings)
    _, findings = split_sections(_doc(["一、总体情况", "一篇新闻稿，不是年报。"]))
    assert findings == []


def test_html_document_sections_come_from_its_lines():
    page = (
        "<html><body><div class='TRS_Editor'><p><b>一、总体情况</b></p><p>概述。</p>"
        "<p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>0</td><td>1</td><td>2</td></tr>"
        "<tr><td>行政规范性文件</td><td>0</td><td>1</td><td>2</td></tr></table>"
        "<p>五、存在的主要问题及改进情况</p><p>问题。</p></div></body></html>"
    )
    sections, _ = split_sections(extract_document(page))
    assert sections == {"overview": "概述。", "active_disclosure": "", "problems": "问题。"}


def test_seed_page_text_splits_into_six_sections():
    sections, findings = split_sections(extract_document(SEED.read_bytes()))
    assert findings == []
    assert list(sections) == [
        "overview",
        "active_disclosure",
        "requests",
        "review_litigation",
        "problems",
        "other_matters",
    ]
    assert sections["overview"].startswith("2020年,湘西高新区坚持")
    assert sections["active_disclosure"].startswith("第二十条第(一)项")
    assert sections["requests"].endswith("四、结转下年度继续办理\n0\n0\n0\n0\n0\n0\n0")
    assert sections["review_litigation"].startswith("行政复议\n行政诉讼")
    assert sections["problems"].startswith("(一)机制体制待理顺")
    assert sections["other_matters"] == "无。\n湘西高新区管委会办公室\n2021年1月11日"


def test_heading_wrapped_over_two_lines_is_joined():
    lines = ["三、收到和处理政府信息公开申", "请情况", "表格说明。", "一、总体情况", "概述。"]
    sections, _ = split_sections(_doc(lines))
    assert sections["requests"] == "表格说明。"
    assert sections["overview"] == "概述。"


def test_headings_standing_as_merged_table_rows_start_sections():
    def row(text: str, r: int, width: int = 3) -> list[GridCell]:
        return [GridCell(text, (r, 0), text)] * width

    grid = Grid(
        rows=[
            row("二、主动公开政府信息情况", 0),
            [
                GridCell("规章", (1, 0), "规章"),
                GridCell("0", (1, 1), "0"),
                GridCell("0", (1, 2), "0"),
            ],
            row("三、收到和处理政府信息公开申请情况", 2),
            row("第二十条第(一)项", 3),
        ]
    )
    doc = _doc(["一、总体情况", "概述。", grid, "表后文字。"])
    sections, _ = split_sections(doc)
    assert sections == {"overview": "概述。", "active_disclosure": "", "requests": "表后文字。"}


def test_a_sub_heading_of_the_overview_is_not_the_next_section():
    # v2021 overviews have (一)主动公开情况 (二)依申请公开情况 …: the numeral says they are
    # sub-headings, not section 二 (seen in the Huai'an 2024 report).
    doc = _doc(
        [
            "一、总体情况",
            "2024年，我市持续深化政务公开。",
            "（一）主动公开情况。全年主动公开政府信息5500余条。",
            "（二）依申请公开情况。全年受理申请3119件。",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
        ]
    )
    sections, _ = split_sections(doc)
    assert "（一）主动公开情况" in sections["overview"]
    assert "5500余条" in sections["overview"] and "3119件" in sections["overview"]
    assert "5500" not in sections.get("active_disclosure", "")


@pytest.mark.parametrize("line", ["(一)主动公开政府信息情况", "十一、其他需要报告的事项"])
def test_a_heading_numbered_for_another_place_is_not_a_section(line):
    assert heading_of(line) is None
