"""parse/meta.py: title, agency and kind, statistical year, publication time, 信息处理费."""

from __future__ import annotations

from datetime import datetime

import pytest
from published import SEED

from govscrape.document import Document
from govscrape.extract import extract_document
from govscrape.parse.meta import (
    parse_date,
    read_fee,
    read_metadata,
    statistical_year,
)
from govscrape.parse.sections import split_sections


def _doc(lines=(), title=None, **meta) -> Document:
    return Document(source_form="text_cells", blocks=list(lines), title=title, meta=dict(meta))


def test_seed_metadata_matches_expected_values():
    doc = extract_document(SEED.read_bytes())
    sections, _ = split_sections(doc)
    meta = read_metadata(doc, sections)
    assert meta.title == "2020年湘西高新区信息公开工作年度报告"
    assert meta.agency == "湘西高新区"
    assert meta.agency_source == "title"
    assert meta.agency_kind == "other"
    assert meta.year == 2020
    assert meta.published == datetime(2021, 1, 12, 18, 0, 0)
    assert meta.processing_fee_yuan is None  # 六 says only "无。"
    assert meta.findings == []


def test_agency_is_read_from_the_page_fields_before_the_callers_agency():
    doc = _doc(title="2023年政府信息公开工作年度报告", 发布机构="松林县统计局", 来源="本网")
    assert read_metadata(doc, {}).agency == "松林县统计局"
    doc = _doc(title="2023年政府信息公开工作年度报告", 来源="本网", ContentSource="松林县林业局")
    assert read_metadata(doc, {}).agency == "松林县林业局"
    assert (
        read_metadata(_doc(title="2023年政府信息公开工作年度报告", 来源="本站"), {}).agency is None
    )
    meta = read_metadata(doc, {}, agency="松林县财政局", agency_kind="other")
    assert (meta.agency, meta.agency_source, meta.agency_kind) == (
        "松林县林业局",
        "field",
        "department",
    )


def test_the_callers_agency_and_kind_stand_where_the_document_names_none():
    doc = _doc(title="2023年政府信息公开工作年度报告", 来源="本站")
    meta = read_metadata(doc, {}, agency="松林县财政局", agency_kind="other")
    assert (meta.agency, meta.agency_source, meta.agency_kind) == ("松林县财政局", "site", "other")


def test_year_without_nian_in_the_title_is_read():
    meta = read_metadata(_doc(title="某县发改委2017政府信息公开工作年度报告"), {})
    assert (meta.year, meta.agency) == (2017, "某县发改委")


def test_year_from_title_else_from_the_statistics_period_sentence():
    lines = ["本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。"]
    assert read_metadata(_doc(lines, title="松林县2022年政府信息公开工作年度报告"), {}).year == 2022
    assert read_metadata(_doc(lines, title="政府信息公开工作年度报告"), {}).year == 2022
    assert statistical_year("统计期限自2020年1月1日至12月31日") == 2020
    assert statistical_year("数据统计期间为2021年1月1日至2021年12月31日") == 2021
    assert statistical_year("时间范围：2019年1月1日至2019年12月31日") == 2019
    assert statistical_year("2023年全区共公开信息") is None
    assert statistical_year("本報告統計期限自2019年1月1日起至2019年12月31日止") == 2019


def test_conflicting_years_keep_the_title_year_and_say_so():
    lines = ["本报告统计期限自2023年1月1日起至2024年12月31日止。"]
    meta = read_metadata(_doc(lines, title="松林县2024年政府信息公开工作年度报告"), {})
    assert meta.year == 2024
    assert [f.code for f in meta.findings] == ["parse.year_mismatch"]
    assert (meta.findings[0].expected, meta.findings[0].found) == (2024, 2023)


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("2021-01-12 18:00:00", datetime(2021, 1, 12, 18, 0, 0)),
        ("2024年01月26日", datetime(2024, 1, 26)),
        ("2024-01-26", datetime(2024, 1, 26)),
        ("2022-12-13 13:34", datetime(2022, 12, 13, 13, 34)),
        ("2024/1/5", datetime(2024, 1, 5)),
        ("２０２４年１月５日", datetime(2024, 1, 5)),
        ("D:20250120103000+08'00'", datetime(2025, 1, 20, 10, 30, 0)),
        ("2025-01-20T02:30:00+00:00", datetime(2025, 1, 20, 10, 30, 0)),
        ("昨天", None),
        ("2024-13-45", None),
    ],
)
def test_dates_as_portals_print_them(text, when):
    assert parse_date(text) == when


def test_published_order_meta_then_fields_then_byline_then_url():
    doc = _doc(PubDate="2024-01-26 09:30", 发布时间="2024-01-27 10:00")
    assert read_metadata(doc, {}).published == datetime(2024, 1, 26, 9, 30)
    assert read_metadata(_doc(发布日期="2024-01-28"), {}).published == datetime(2024, 1, 28)
    assert read_metadata(_doc(byline_date="2024年01月26日"), {}).published == datetime(2024, 1, 26)
    pdf = _doc(CreationDate="2025-01-20T10:30:00+08:00")
    assert read_metadata(pdf, {}).published == datetime(2025, 1, 20, 10, 30)
    url = "http://www.example.gov.cn/zwgk/zfxxgknb/202401/t20240126_4597464.html"
    assert read_metadata(_doc(), {}, url=url).published == datetime(2024, 1, 26)
    url = "https://www.example.gov.cn/art/2024/1/22/art_1229445040_4107020.html"
    assert read_metadata(_doc(), {}, url=url).published == datetime(2024, 1, 22)
    assert read_metadata(_doc(), {}).published is None


@pytest.mark.parametrize(
    ("text", "fee"),
    [
        ("全年收取政府信息公开信息处理费 3940 元。", 3940.0),
        ("2025年有1件政府信息公开申请案件收取信息处理费380元。", 380.0),
        ("共收取信息处理费0.05万元。", 500.0),
        ("共收取信息处理费1,200元。", 1200.0),
        ("本年度未收取信息处理费。", 0.0),
        ("本机关没有收取政府信息公开信息处理费。", 0.0),
        ("收取信息处理费0元。", 0.0),
        ("全年共发出收费通知1件，收取信息处理费１００元。", 100.0),
        ("本年度未收取信息處理費。", 0.0),
        ("全年收取政府信息公開信息處理費３９４０元。", 3940.0),
        ("无。", None),
        ("本年度办理人大代表建议12件，政协提案8件。", None),
    ],
)
def test_processing_fee_from_section_six(text, fee):
    assert read_fee(text) == fee


def test_processing_fee_is_read_from_section_six_when_split():
    doc = _doc(["一、总体情况", "收取信息处理费999元的规定已学习。"])
    meta = read_metadata(doc, {"overview": "x", "other_matters": "本年度收取信息处理费20元。"})
    assert meta.processing_fee_yuan == 20.0


def test_pdf_dates_in_utc_are_turned_into_china_time():
    assert parse_date("D:20250120023000Z") == datetime(2025, 1, 20, 10, 30, 0)
    assert parse_date("D:20250120") == datetime(2025, 1, 20)


def test_processing_fee_sentence_wrapped_over_lines():
    assert read_fee("全年收取政府信息公开信息处理费 3\n940 元。") == 3940.0
