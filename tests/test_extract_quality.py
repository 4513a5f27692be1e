"""Tests for extract/quality.py: the page's one-scan checks agree with the checks one by one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govscrape.extract.quality import mojibake_finding, page_quality, traditional_share

# Simplified, traditional (common and rare), rare simplified, mojibake-prone and other text.
PIECES = [
    "政府信息公开工作年度报告",
    "政府資訊公開工作年度報告",
    "一、總體情況",
    "鍘",
    "琚翀",
    "\U00020bb7",
    "首页 政务公开".encode().decode("gbk", "replace"),
    "闂備礁缍婂ḿ褔顢栭崱",
    "规章 | 0 | 3",
    "abc 123\n",
    "\n",
]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(before=TEXTS, body=TEXTS, after=TEXTS)
def test_page_quality_is_the_two_checks_in_one_scan(before: str, body: str, after: str):
    page = before + body + after
    assert page_quality(page, body) == (mojibake_finding(page), traditional_share(body))


def test_a_simplified_page_with_few_rare_characters_has_neither_finding():
    page = "首页\n政府信息公开工作年度报告\n一、总体情况\n本机关全年收到申请3件。"
    assert page_quality(page, page.split("\n", 1)[1]) == (None, 0.0)


def test_a_garbled_header_and_a_traditional_body_are_both_seen():
    garbled = "首页 政务公开 政府信息公开年报 松林县统计局".encode().decode("gbk", "replace")
    body = "松林縣2023年政府信息公開工作年度報告"
    finding, share = page_quality(garbled + "\n" + body, body)
    assert finding is not None and finding.code == "parse.mojibake"
    assert share is not None and share > 0.5
