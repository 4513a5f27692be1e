"""extract/text.py: lines as they stand, title, byline fields, and the text form."""

from __future__ import annotations

from govscrape.extract.text import extract_text, find_title, text_form

CELLS = """松林县2023年政府信息公开工作年度报告-松林县人民政府

松林县2023年政府信息公开工作年度报告

来源:松林县政府办 作者: 发布时间:2024-01-12 18:00:00 字体大小:

一、总体情况

正文第一段。
二、主动公开政府信息情况
第二十条第(一)项
信息内容
本年制发件数
规章
0
0
0
"""

PIPE = """松林县统计局2023年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第(一)项 | |||
信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
规章 | / | / | / |
行政规范性文件 | 0 | 0 | 0 |
第二十条第(五)项 | |||
"""

PDF = """淮南县人民政府2024年政府信息公开工作年度报告
（一）予以公开 447 7 0 0 0 0 454
（二）部分公开（区分处理的，只计这一情
68 1 0 0 0 0 69
形，不计其他情形）
1.属于国家秘密 0 0 0 0 0 0 0
- 4 -
"""


def test_lines_are_right_stripped_non_empty_and_in_order():
    doc = extract_text("  第一行  \r\n\r\n\t\n　　第二行\u3000\n第三行\f第四行\n")
    assert doc.blocks == ["  第一行", "　　第二行", "第三行", "第四行"]


def test_title_is_the_first_line_naming_the_report():
    lines = ["首页 > 政府信息公开年报", "松林县2023年政府信息公开工作年度报告", "正文"]
    assert find_title(lines) == "松林县2023年政府信息公开工作年度报告"
    assert find_title(["无标题的一行", "正文"]) == "无标题的一行"
    long_sentence = "根据条例要求，现将本机关的年度报告公布如下" + "，内容" * 40
    assert find_title(["开头", long_sentence]) == "开头"
    assert find_title([]) is None


def test_cell_per_line_text_and_its_byline():
    doc = extract_text(CELLS)
    assert doc.source_form == "text_cells"
    assert doc.title == "松林县2023年政府信息公开工作年度报告-松林县人民政府"
    assert doc.meta["来源"] == "松林县政府办"
    assert doc.meta["发布时间"] == "2024-01-12 18:00:00"
    assert "作者" not in doc.meta
    assert doc.blocks[-4:] == ["规章", "0", "0", "0"]


def test_pipe_text_is_text_pipe_and_lines_keep_their_pipes():
    doc = extract_text(PIPE)
    assert doc.source_form == "text_pipe"
    assert "第二十条第(一)项 | |||" in doc.blocks


def test_pdf_text_is_text_pdf():
    doc = extract_text(PDF)
    assert doc.source_form == "text_pdf"
    assert "- 4 -" in doc.blocks
    assert doc.title == "淮南县人民政府2024年政府信息公开工作年度报告"


def test_dates_and_phone_numbers_do_not_make_pdf_rows():
    lines = [
        "发布时间：2024-01-12 18:00:00",
        "电话：0743-8532226",
        "2021年1月11日",
        "统计期限 2020 年",
    ]
    assert text_form(lines * 3) == "text_cells"


def test_one_stray_pipe_does_not_make_pipe_text():
    assert text_form(["首页 | 政务公开", "一、总体情况", "正文"]) == "text_cells"


def test_traditional_text_is_kept_and_measured():
    doc = extract_text("松林縣2023年政府信息公開工作年度報告\n一、總體情況\n")
    assert doc.blocks[1] == "一、總體情況"
    assert float(doc.meta["traditional_share"]) > 0.5


def test_mojibake_lines_are_a_warning():
    garbled = "首页 政务公开 政府信息公开年报 松林县统计局".encode().decode("gbk", "replace")
    doc = extract_text(f"{garbled}\n一、总体情况\n正文内容。\n")
    assert [f.code for f in doc.findings] == ["parse.mojibake"]
    assert doc.blocks[1] == "一、总体情况"


def test_traditional_table_rows_are_not_mojibake():
    # Traditional script is mostly outside GB2312 level 1, as mojibake is; it must not be
    # reported as garbled (a reviewer's traditional pipe report did).
    text = "\n".join(
        [
            "云岭縣交通運輸局2022年政府信息公開工作年度報告",
            "1.信訪舉報投訴類申請 | | | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
            "2.重複申請 | | | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
            "3.補正後申請內容仍不明確 | | | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
            "申請人逾期未按收費通知要求繳納費用、行政機關不再處理其政府信息公開申請",
        ]
    )
    assert extract_text(text).findings == []


def test_byline_fields_in_traditional_script_are_found_with_values_as_printed():
    doc = extract_text(
        "西山鄉2019年政府信息公開工作年度報告\n來源：西山鄉人民政府 發佈時間：2020-02-10\n"
    )
    assert doc.meta["来源"] == "西山鄉人民政府"
    assert doc.meta["发布时间"] == "2020-02-10"


def test_a_long_line_of_numbers_is_classified_in_linear_time():
    # The old end-of-line regex was searched from every position: a 40 KB paragraph of numbers
    # ending in a word took over 20 s. Counted in steps, not timed: the tail check looks at
    # two words whatever the line's length.
    from govscrape.extract.text import ends_in_numbers

    line = "1 " * 20_000 + "x"
    assert not ends_in_numbers(line)
    assert ends_in_numbers("（一）予以公开 447 7 0 0 0 0 454")
    assert ends_in_numbers("68 1") and not ends_in_numbers("正文 5") and not ends_in_numbers("5")
    assert text_form([line] * 5 + ["a 1 2"] * 3) == "text_pdf"
