"""parse/agency.py: the publishing agency from the title, the page fields and the signature."""

from __future__ import annotations

from published import SEED

from govscrape.document import Document
from govscrape.extract import extract_document
from govscrape.parse.agency import read_agency, signature
from govscrape.parse.title import read_title

NO_AGENCY_TITLE = "2022年政府信息公开工作年度报告"
ENDING = ["六、其他需要报告的事项", "无。"]


def _doc(lines=(), title=NO_AGENCY_TITLE, **meta) -> Document:
    return Document(source_form="html_text", blocks=list(lines), title=title, meta=dict(meta))


def _read(doc: Document, given: str | None = None) -> tuple[str | None, str | None]:
    reading = read_agency(doc, read_title(doc), given=given)
    return reading.name, reading.source


def test_the_seed_names_its_agency_in_its_title():
    doc = extract_document(SEED.read_bytes())
    reading = read_agency(doc, read_title(doc), given="湘西高新技术产业开发区管理委员会")
    assert (reading.name, reading.source) == ("湘西高新区", "title")


def test_the_title_wins_over_fields_signature_and_the_callers_agency():
    doc = _doc(
        [*ENDING, "青石县人民政府办公室", "2023年1月20日"],
        title="青石县财政局2022年政府信息公开工作年度报告",
        来源="青石县人民政府办公室",
    )
    assert _read(doc, given="青石县人民政府") == ("青石县财政局", "title")


def test_a_publisher_field_comes_before_the_signature_and_the_source_byline():
    doc = _doc(
        [*ENDING, "青石县财政局", "2023年1月20日"], 发布机构="青石县统计局", 来源="青石县财政局"
    )
    assert _read(doc) == ("青石县统计局", "field")


def test_the_signature_names_the_agency_when_title_and_fields_do_not():
    doc = _doc(
        [*ENDING, "青石县交通运输局", "2023年1月20日", "相关文档:", "扫一扫在手机打开", "关闭 打印"]
    )
    assert _read(doc, given="青石县人民政府") == ("青石县交通运输局", "signature")


def test_a_signature_on_one_line_with_its_date_and_in_chinese_numerals():
    assert signature(_doc([*ENDING, "青石县交通运输局 2023年1月20日"]))[0] == "青石县交通运输局"
    assert (
        signature(_doc([*ENDING, "青石县交通运输局", "二〇二三年一月二十日"]))[0]
        == "青石县交通运输局"
    )


def test_a_dated_sentence_or_footer_is_no_signature():
    lines = ["本报告统计期限自2022年1月1日至2022年12月31日。", "发布时间：2023-01-20", "2023-01-20"]
    assert signature(_doc(lines)) is None


def test_the_source_byline_names_the_agency_when_nothing_else_does():
    assert _read(_doc(来源="青石县交通运输局")) == ("青石县交通运输局", "field")
    assert _read(_doc(来源="本网"), given="青石县人民政府") == ("青石县人民政府", "site")
    assert _read(_doc(来源="新华网"), given="青石县人民政府") == ("青石县人民政府", "site")
    assert _read(_doc()) == (None, None)


def test_an_office_of_the_callers_agency_is_that_agency():
    doc = _doc(来源="青石县人民政府办公室")
    assert _read(doc, given="青石县人民政府") == ("青石县人民政府", "field")


def test_a_governments_office_elsewhere_is_an_agency_of_its_own():
    # 某县人民政府办公室 publishes its own report; on another agency's column it is not merged.
    doc = _doc(来源="青石县人民政府办公室")
    assert _read(doc, given="云泽市人民政府") == ("青石县人民政府办公室", "field")
    assert _read(_doc(来源="青石县机构编制委员会办公室")) == ("青石县机构编制委员会办公室", "field")


def test_an_office_of_a_bureau_zone_or_town_is_its_body():
    assert _read(_doc(来源="青石县交通运输局办公室")) == ("青石县交通运输局", "field")
    assert _read(_doc(来源="湘西高新区管委会办公室")) == ("湘西高新区管委会", "field")
    assert _read(_doc(来源="白沙镇党政综合办公室")) == ("白沙镇", "field")


def test_an_office_named_elsewhere_in_the_report_is_that_agency():
    doc = _doc([*ENDING, "青石县人民政府", "2023年3月20日"], 来源="青石县人民政府办公室")
    assert _read(doc) == ("青石县人民政府", "signature")
    doc = _doc([*ENDING, "青石县人民政府办公室", "2023年3月20日"], 来源="青石县人民政府")
    assert _read(doc) == ("青石县人民政府", "signature")
