"""Template detection: v2019 / v2021 / legacy / unknown from the document's own wording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govscrape.document import Document, Grid, GridCell
from govscrape.extract import extract_document
from govscrape.parse.detect import detect_template

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
STUB_2021 = [
    "荷花县人民政府办公室2021年政府信息公开工作年度报告",
    "发布日期：2022-01-25",
    "现将荷花县人民政府办公室2021年政府信息公开工作年度报告予以公布，全文详见附件。",
    "附件：荷花县人民政府办公室2021年政府信息公开工作年度报告.pdf",
]
# The 2014 national 政府信息公开情况统计表 as a 2016 report appends it.
SHEET_2014 = [
    ["序号", "统计指标", "单位", "统计数"],
    ["1", "主动公开政府信息数", "条", "156"],
    ["2", "其中：主动公开规范性文件数", "条", "3"],
    ["3", "收到申请数", "件", "2"],
]


def grid(rows: list[list[str]]) -> Grid:
    return Grid([[GridCell(t, (r, c), t) for c, t in enumerate(row)] for r, row in enumerate(rows)])


def lines(*texts: str, form: str = "html_text") -> Document:
    return Document(form, list(texts))


def test_template_comes_from_the_wording():
    assert detect_template(lines("本年制发件数", "本年废止件数")) == "v2021"
    assert detect_template(lines("本年新制作数量")) == "v2019"
    v2021_rows = ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]
    assert detect_template(lines(*v2021_rows)) == "v2021"


def test_table_three_without_v2021_sub_rows_is_v2019():
    assert detect_template(lines("一、本年新收政府信息公开申请数量", "（六）其他处理")) == "v2019"


def test_more_template_only_wording_wins_and_a_tie_goes_to_v2019():
    assert detect_template(lines("本年新制作数量", "本年制发件数", "本年废止件数")) == "v2021"
    assert detect_template(lines("本年新制作数量", "本年制发件数")) == "v2019"


def test_stub_page_titled_as_a_report_is_unknown_not_legacy():
    assert detect_template(lines(*STUB_2021)) == "unknown"


def test_title_of_an_old_year_alone_is_no_template():
    assert detect_template(lines("石城县财政局2016年政府信息公开工作年度报告", "详见附件")) == (
        "unknown"
    )


def test_2016_report_with_the_2014_statistics_sheet_is_legacy():
    doc = Document("html_table", ["石城县财政局2016年政府信息公开工作年度报告", grid(SHEET_2014)])
    assert detect_template(doc) == "legacy"


def test_2014_sheet_as_pdf_text_lines_is_legacy():
    text = [" ".join(row) for row in SHEET_2014]
    assert detect_template(lines(*text, form="text_pdf")) == "legacy"


def test_pre_2019_section_headings_make_a_legacy_report():
    doc = lines(
        "一、概述",
        "2016年，我局认真贯彻落实政府信息公开工作要求。",
        "三、依申请公开政府信息情况",
        "四、政府信息公开的收费及减免情况",
    )
    assert detect_template(doc) == "legacy"


def test_one_pre_2019_phrase_is_not_a_format():
    # A v2021 report whose tables are images: its overview may head a part so.
    doc = lines(*STUB_2021[:1], "（二）依申请公开政府信息情况", "全年共受理申请12件。")
    assert detect_template(doc) == "unknown"


def test_prose_quoting_table_wording_is_not_a_table():
    prose = (
        "全年主动公开政府信息数量1256条，收到申请数较上年增加2件，本年新收政府信息公开申请数量3件。"
    )
    assert detect_template(lines(*STUB_2021[:1], prose)) == "unknown"


def test_traditional_script_mirror_of_the_legacy_sheet_is_legacy():
    doc = lines("統計指標", "主動公開政府信息數 156", "收到申請數 2")
    assert detect_template(doc) == "legacy"


def corpus() -> list[Path]:
    return sorted(
        p for p in FIXTURES.iterdir() if p.suffix in (".html", ".txt") and ".expected" not in p.name
    )


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.name)
def test_fixture_reports_take_the_template_of_their_wording(path):
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
    assert detect_template(extract_document(path.read_bytes())) == expected["template"]
