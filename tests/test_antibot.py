"""Recognising challenge, WAF, login and soft-404 pages, and not mistaking reports for them."""

from __future__ import annotations

import pytest

from govscrape.antibot import classify_block, is_home_url

JSL = "<script>document.cookie=('__jsl_clearance_s=1|0|x');location.href=location.pathname+location.search</script>"
RS = "<meta id='a' content='b' r='m'><script r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};</script>"
REPORT = (
    "<html><head><title>2023年政府信息公开工作年度报告</title></head><body>"
    + "共收到申请404件。" * 50
)


@pytest.mark.parametrize(
    ("status", "body", "label"),
    [
        (521, JSL, "jsl challenge"),
        (200, RS, "rs challenge"),
        (412, "<html><script src='/x.js'></script></html>", "js challenge (HTTP 412)"),
        (200, "<html><title>安全狗</title>您的访问被拦截</html>", "safedog"),
        (200, "<title>统一身份认证 登录</title><input type='password' name='pw'>", "login wall"),
        (200, "<title>404 页面不存在</title><body>返回首页</body>", "soft 404"),
        (200, "<body>抱歉，您访问的页面不存在！</body>", "soft 404"),
    ],
)
def test_block_pages_are_recognised(status, body, label):
    assert (classify_block(status, {}, body.encode()) or "").startswith(label)


def test_reports_pdfs_and_cloudflare_errors_are_not_blocks():
    assert classify_block(200, {}, REPORT.encode()) is None
    assert classify_block(200, {}, b"%PDF-1.7 document.cookie location") is None
    assert classify_block(521, {"server": "cloudflare"}, b"<html>origin down</html>") is None


def test_home_urls():
    assert is_home_url("http://a.gov.cn/") and is_home_url("http://a.gov.cn/index.html")
    assert not is_home_url("http://a.gov.cn/zwgk/zfxxgknb/")


def test_an_ordinary_page_setting_a_cookie_from_a_script_is_not_a_challenge():
    page = (
        "<html><body><script>document.cookie='fontsize=16';var u=location.href;</script>"
        + "<p>某某县民政局2023年政府信息公开工作年度报告。本机关坚持以公开为常态。</p>" * 10
        + "</body></html>"
    )
    assert classify_block(200, {}, page.encode()) is None
