"""parse/title.py: the title line, the statistical year it names and the agency before it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govscrape.document import Document
from govscrape.parse.title import agency_from_title, clean_title, read_title, title_year


def _doc(title=None, **meta) -> Document:
    return Document(source_form="text_cells", blocks=[], title=title, meta=dict(meta))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("2020年湘西高新区信息公开工作年度报告-湘西高新技术产业开发区", "2020年湘西高新区信息公开工作年度报告"),
        ("松林县水利局2023年政府信息公开工作年度报告_松林县人民政府", "松林县水利局2023年政府信息公开工作年度报告"),
        ("松林县人民政府 | 松林县2023年政府信息公开工作年度报告", "松林县2023年政府信息公开工作年度报告"),
        ("西咸新区底张街道办事处2023年度政府\n信息公开工作年度报告", "西咸新区底张街道办事处2023年度政府信息公开工作年度报告"),
        ("松林县2023年政府信息公开工作年度报告", "松林县2023年政府信息公开工作年度报告"),
    ],
)  # fmt: skip
def test_titles_lose_site_suffixes_and_inner_breaks(raw, clean):
    assert clean_title(raw) == clean


def test_title_prefers_article_title_then_name_field_then_page_title():
    doc = _doc(title="首页", ArticleTitle="松林县2023年政府信息公开工作年度报告", title_="x")
    assert read_title(doc) == "松林县2023年政府信息公开工作年度报告"
    doc = _doc(title="松林县人民政府门户网站", 名称="松林县林业局2023年政府信息公开工作年度报告")
    assert read_title(doc) == "松林县林业局2023年政府信息公开工作年度报告"
    assert read_title(_doc(title="新闻动态")) == "新闻动态"
    assert read_title(_doc()) is None


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("淮南市人民政府2024年政府信息公开工作年度报告", "淮南市人民政府"),
        ("2020年湘西高新区信息公开工作年度报告", "湘西高新区"),
        ("2023年松林县民政局政府信息公开工作年度报告", "松林县民政局"),
        ("松林高新区2024年度政府信息公开工作年度报告", "松林高新区"),
        ("松林综合保税区2019年政务信息公开年报", "松林综合保税区"),
        ("关于松林县2023年政府信息公开工作年度报告", "松林县"),
        ("某县发改委2017政府信息公开工作年度报告", "某县发改委"),
        ("2023年政府信息公开工作年度报告", None),
        ("政府信息公开工作年度报告（2023年）", None),
        ("松林县2017-2018年度政府信息公开工作报告", None),
        (None, None),
    ],
)
def test_agency_is_read_from_the_title(title, agency):
    assert agency_from_title(title) == agency


def test_agency_before_guanyu_in_the_title():
    assert agency_from_title("松林县林业局关于2023年政府信息公开工作年度报告") == "松林县林业局"


def test_a_title_fragment_that_names_no_agency_is_not_one():
    # "云泽市召开" ends like no agency; a news title is not a report naming its agency.
    assert agency_from_title("云泽市召开2024年全市政务公开工作推进会") is None


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("某县发改委2017政府信息公开工作年度报告", 2017),
        ("某县发改委2017年度政府信息公开工作报告", 2017),
        ("某县发改委 2017 政府信息公开工作年度报告", 2017),
        ("2019某县财政局政府信息公开工作年度报告", 2019),
        ("某县财政局2018信息公开年报", 2018),
        ("2020年湘西高新区信息公开工作年度报告", 2020),
    ],
)
def test_year_is_read_from_a_title_with_or_without_nian(title, year):
    assert title_year(title) == year


@pytest.mark.parametrize(
    "title",
    [
        "关于转发国办发〔2019〕60号文件做好政府信息公开工作年度报告的通知",  # a document number
        "某县财政局政府信息公开工作年度报告（2019-01-20发布）",  # a date
        "某县财政局2019.01政府信息公开工作年度报告",  # a date
        "某县2017-2018政府信息公开工作年度报告",  # a range, no 年
        "某县2017-2018年度政府信息公开工作报告",  # a range with 年度
        "某县2017年至2018年政府信息公开工作报告",  # a range with 至
        "某县发改委20170政府信息公开工作年度报告",  # a longer number
        "某县发改委第2017号政府信息公开工作年度报告说明",  # a number not before the noun
        "某县发改委政府信息公开工作年度报告",
    ],
)
def test_other_numbers_in_a_title_are_not_its_year(title):
    assert title_year(title) is None


@given(st.integers(min_value=1900, max_value=2099), st.sampled_from("〔[【（("))
def test_a_bracketed_year_is_never_a_statistical_year(year, bracket):
    closing = {"〔": "〕", "[": "]", "【": "】", "（": "）", "(": ")"}[bracket]
    title = f"某县财政局{bracket}{year}{closing}政府信息公开工作年度报告"
    assert title_year(title) is None
