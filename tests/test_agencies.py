"""agencies.py: an agency's kind from its name, its printed variants, never two agencies as one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govscrape.agencies import (
    AGENCY_KINDS,
    canonical_name,
    kind_of_agency,
    normalise_name,
    office_of,
    same_agency,
)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("淮南市人民政府", "government"),
        ("松林县", "government"),
        ("松林县人民政府办公室", "department"),
        ("松林县发展和改革委员会", "department"),
        ("松林县公安局", "department"),
        ("松林省生态环境厅", "department"),
        ("松林镇人民政府", "township"),
        ("松林乡", "township"),
        ("城关街道办事处", "township"),
        ("湘西高新区", "other"),
        ("松林经济技术开发区管理委员会", "other"),
        ("松林高新区管委会", "other"),
        ("西山鄉人民政府", "township"),
        ("東方市交通運輸局", "department"),
        ("東方縣人民政府", "government"),
        ("松林县人民法院", "court"),
        ("松林市中级人民法院", "court"),
        ("松林县人民检察院", "procuratorate"),
        ("松林市水务集团有限公司", "enterprise"),
        ("国网松林县供电公司", "enterprise"),
        ("松林县人民医院", "institution"),
        ("松林县白沙镇中心卫生院", "institution"),
        ("松林师范学院", "institution"),
        ("松林县疾病预防控制中心", "institution"),
        ("松林县政务服务中心", "department"),
        ("松林县财政局（县国资办）", "department"),
        ("云泽市地方志编纂室", "department"),
        ("松林县扶贫开发领导小组办公室", "department"),
        ("松林县残疾人联合会", "other"),
        ("中共松林县委党校", "institution"),
        ("某某", None),
    ],
)
def test_agency_kind_from_the_name(name, kind):
    assert kind_of_agency(name) == kind


def test_every_kind_read_from_a_name_is_a_declared_kind():
    names = ["松林县", "松林县人民法院", "松林县人民检察院", "松林集团", "松林县人民医院", "松林镇",
             "松林高新区", "松林县财政局"]  # fmt: skip
    assert {kind_of_agency(n) for n in names} == set(AGENCY_KINDS)


@pytest.mark.parametrize(
    ("printed", "normal"),
    [
        ("青石县 财政局", "青石县财政局"),
        ("青石县\u3000财政局", "青石县财政局"),
        ("“青石县财政局”", "青石县财政局"),
        ("青石县财政局(县国资办)", "青石县财政局（县国资办）"),
        ("来源：", "来源"),
        ("ＡＢＣ公司", "ABC公司"),
    ],
)
def test_layout_is_removed_from_a_printed_name(printed, normal):
    assert normalise_name(printed) == normal


@pytest.mark.parametrize(
    ("variant", "name"),
    [
        ("湘西高新区", "湘西高新技术产业开发区管理委员会"),
        ("湘西高新区管委会", "湘西高新技术产业开发区管理委员会"),
        ("某县发改委", "某县发展和改革委员会"),
        ("某县 发展和改革委员会", "某县发展和改革委员会"),
        ("某县政府", "某县人民政府"),
        ("某县", "某县人民政府"),
        ("某县政府办", "某县人民政府办公室"),
        ("某县政府办公室", "某县人民政府办公室"),
        ("白沙镇", "白沙镇人民政府"),
        ("城关街道", "城关街道办事处"),
        ("東方縣財政局", "东方县财政局"),
        ("某市市场监管局", "某市市场监督管理局"),
    ],
)
def test_printed_variants_of_one_agency_have_one_name(variant, name):
    assert canonical_name(variant) == name
    assert same_agency(variant, name)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("某县人民政府", "某县人民政府办公室"),  # the government's office publishes its own report
        ("某县发展和改革委员会", "某县发展和改革局"),  # renamed in the 2019 reform: not merged
        ("某县卫健局", "某县卫健委"),
        ("某县经开区", "某县经济技术开发区"),  # 经开区 may be 经济开发区 too: left as printed
        ("浦东新区", "浦东新区管理委员会"),  # 新区: a district or a zone, not guessed
        ("云泽市教育局", "云泽市高等教育局"),
        ("青石县财政局", "白石县财政局"),
        ("青石县白沙镇人民政府", "红石县白沙镇人民政府"),
        ("某县机构编制委员会办公室", "某县机构编制委员会"),
        ("某县人民法院", "某县人民检察院"),
        ("东城社区", "东城社区人民政府"),
        ("局", "云泽市教育局"),
    ],
)
def test_different_agencies_are_never_one(a, b):
    assert not same_agency(a, b)
    assert not same_agency(b, a)


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("白沙镇人民政府", "青石县白沙镇人民政府"),
        ("白沙镇", "青石县白沙镇人民政府"),
        ("市教育局", "云泽市教育局"),
        ("财政局", "青石县财政局"),
    ],
)
def test_a_name_without_its_place_is_the_agency_with_it(short, full):
    assert same_agency(short, full)
    assert same_agency(full, short)


def test_an_office_names_its_agency():
    assert office_of("湘西高新区管委会办公室") == "湘西高新区管委会"
    assert office_of("白沙镇党政综合办公室") == "白沙镇"
    assert office_of("某县人民政府办公厅") == "某县人民政府"
    assert office_of("某县财政局") is None


@given(st.text(alphabet="青石县白沙镇财政局人民政府办公室管委会高新区 “”（）()", max_size=20))
def test_names_are_stable_and_same_agency_is_symmetric(name):
    canonical = canonical_name(name)
    assert canonical_name(canonical) == canonical
    assert same_agency(name, "青石县财政局") == same_agency("青石县财政局", name)
