"""Normalising printed labels and looking them up among the template's lines."""

from __future__ import annotations

import pytest

from govscrape.labels import LabelIndex, key_form, normalise, to_simplified
from govscrape.template import ACTIVE_DISCLOSURE, REQUEST_ROWS, V2019, V2021, request_rows

ROWS_2021 = LabelIndex(request_rows(V2021))
ROWS_2019 = LabelIndex(request_rows(V2019))
ITEMS_2021 = LabelIndex(i for b in ACTIVE_DISCLOSURE[V2021] for i in b.items)
METRICS_2019 = LabelIndex(m for b in ACTIVE_DISCLOSURE[V2019] for m in b.metrics)


def code(index: LabelIndex, label: str) -> str | None:
    line = index.first(label)
    return None if line is None else line.code


def test_opencc_leaves_every_simplified_template_label_as_it_is():
    for line in REQUEST_ROWS:
        assert to_simplified(line.label) == line.label


def test_opencc_converts_characters_a_hand_table_missed():
    assert code(ROWS_2021, "1.屬於國家祕密") == "denied.state_secret"
    assert (
        to_simplified("申請人逾期未按收費通知要求繳納費用") == "申请人逾期未按收费通知要求缴纳费用"
    )


def test_width_quotes_brackets_and_spaces_are_unified():
    assert normalise("（三） 不予公开") == "(三)不予公开"
    assert normalise("3.危及“三安全一稳定”") == normalise('3.危及"三安全一稳定"')
    assert normalise("危及「三安全一穩定」") == '危及"三安全一稳定"'
    assert normalise("第二十条 第（一）项") == "第二十条第(一)项"
    assert normalise("商业 企业") == "商业企业"


@pytest.mark.parametrize(
    "printed",
    [
        "1.属于国家秘密",
        "1、属于国家秘密",
        "（1）属于国家秘密",
        "１．属于国家秘密",
        "(1)属于国家秘密",
    ],
)
def test_numbering_variants_are_stripped(printed):
    assert key_form(printed) == "属于国家秘密"


def test_fill_in_notes_in_brackets_are_dropped_but_not_numbering_or_the_whole_label():
    assert key_form("规章(设区的市、自治州人民政府应提供相关数据)") == "规章"
    assert key_form("上一年项目数量(指2019年事项数)") == "上一年项目数量"
    assert key_form("第二十条第（五）项") == "第二十条第(五)项"
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert "勾稽关系" in key_form(note)


# Written by hand in traditional script, as mirror sites print them.
TRADITIONAL_ROWS = {
    "一、本年新收政府信息公開申請數量": "new",
    "二、上年結轉政府信息公開申請數量": "carried_over",
    "（一）予以公開": "granted",
    "（二）部分公開（區分處理的，只計這一情形，不計其他情形）": "partially_granted",
    "1.屬於國家秘密": "denied.state_secret",
    "2.其他法律行政法規禁止公開": "denied.prohibited_by_law",
    "3.危及「三安全一穩定」": "denied.security_stability",
    "4.保護第三方合法權益": "denied.third_party_rights",
    "5.屬於三類內部事務信息": "denied.internal_affairs",
    "6.屬於四類過程性信息": "denied.process_info",
    "7.屬於行政執法案卷": "denied.enforcement_file",
    "8.屬於行政查詢事項": "denied.admin_inquiry",
    "1.本機關不掌握相關政府信息": "unable.not_held",
    "2.沒有現成信息需要另行製作": "unable.needs_creation",
    "3.補正後申請內容仍不明確": "unable.unclear_after_correction",
    "1.信訪舉報投訴類申請": "not_processed.complaint",
    "2.重複申請": "not_processed.duplicate",
    "3.要求提供公開出版物": "not_processed.publication",
    "4.無正當理由大量反複申請": "not_processed.excessive",
    "5.要求行政機關確認或重新出具已獲取信息": "not_processed.confirm_or_reissue",
    "1.申請人無正當理由逾期不補正、行政機關不再處理其政府信息公開申請": "other.no_correction",
    "2.申請人逾期未按收費通知要求繳納費用、行政機關不再處理其政府信息公開申請": "other.unpaid_fee",
    "3.其他": "other.other",
    "（七）總計": "total_handled",
    "四、結轉下年度繼續辦理": "carried_forward",
}


@pytest.mark.parametrize(("printed", "row"), TRADITIONAL_ROWS.items())
def test_traditional_labels_match_their_rows(printed, row):
    assert code(ROWS_2021, printed) == row


def test_mirror_vocabulary_is_mapped_back():
    assert code(ITEMS_2021, "行政規範性檔案") == "normative_document"
    assert code(ITEMS_2021, "規範性檔案") == "normative_document"


def test_every_canonical_label_matches_its_own_row():
    for line in REQUEST_ROWS:
        index = ROWS_2019 if V2019 in line.templates else ROWS_2021
        assert code(index, line.label) == line.code


def test_v2019_has_one_other_row_and_v2021_three():
    assert code(ROWS_2019, "（六）其他处理") == "other"
    assert code(ROWS_2021, "（六）其他处理") is None
    assert code(ROWS_2021, "3、其他") == "other.other"


def test_exact_labels_do_not_match_inside_longer_text():
    assert code(ROWS_2021, "其他法律行政法规禁止公开") == "denied.prohibited_by_law"
    assert code(ROWS_2021, "自然人总计") is None
    assert code(ROWS_2021, "他处理 3、其他") == "other.other"


def test_metric_labels_with_notes_and_split_words_match():
    assert code(METRICS_2019, "本年增/减(增加用正值表示,减少用负值表示,如-8)") == "change"
    assert code(METRICS_2019, "本年新 制作数量") == "new_made"
    assert code(METRICS_2019, "处理决定数量(指2020年办件量)") == "decisions"


def test_lookups_are_cached():
    first = ROWS_2021.match("1.属于国家秘密")
    assert ROWS_2021.match("1.属于国家秘密") is first
