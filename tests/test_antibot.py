"""Recognising challenge, WAF, login and soft-404 pages, and not mistaking reports for them."""

from __future__ import annotations

import pytest

from govscrape.crawl.antibot import classify_block, is_home_url, visible_text

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


def test_a_large_rs_challenge_page_is_recognised_by_its_first_kilobytes():
    seed = "x" * 3000
    script = "".join(f"_$a{i}=_$b[{i}]^{i * 7};" for i in range(2500))  # ~40 KB of obfuscated JS
    page = (
        f"<html><head><meta id='9DhefwqGPrzGxEp9hPaoag' content='{seed}' r='m'>"
        f"<script>{script[:15000]}</script>"
        "<script r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=84052;"
        f'$_ts.cd="{script[15000:]}";</script><script src="/4QbVtADbnLVIc/c.FxJzG50F.js" r="m">'
        "</script></head><body></body></html>"
    )
    assert len(page) > 40_000
    assert (classify_block(200, {}, page.encode()) or "").startswith("rs challenge")
    assert (classify_block(412, {}, page.encode()) or "").startswith("rs challenge")


def test_a_large_waf_page_is_recognised():
    styles = "<style>" + ".c{color:#333}" * 4000 + "</style>"
    page = f"<html><head><title>访问拦截</title></head><body><h1>您的访问已被拦截</h1>{styles}</body></html>"
    assert len(page.encode()) > 50_000
    assert classify_block(200, {}, page.encode()) == "waf page"


def test_a_large_report_with_a_cookie_script_in_its_head_is_content():
    head = (
        "<html><head><title>某某县2023年政府信息公开工作年度报告</title><script>"
        "document.cookie='fontsize=16;path=/';if(!x){location.href=location.href}</script></head>"
    )
    page = head + "<body>" + "<p>本机关坚持以公开为常态、不公开为例外，共收到申请404件。</p>" * 5000
    assert len(page.encode()) > 300_000
    assert classify_block(200, {}, page.encode()) is None


def test_a_gbk_soft_404_page_without_a_charset_header_is_recognised():
    page = (
        "<html><head><title>页面不存在</title></head><body>对不起，您访问的页面不存在</body></html>"
    )
    assert (classify_block(200, {}, page.encode("gbk")) or "").startswith("soft 404")


def test_a_page_of_unclosed_scripts_is_read_in_one_pass():
    # `<script>`×40,000 took the old `<(script|style)[^>]*>.*?</\1>` 48 s: every opening tag
    # scanned to the page's end. An unclosed script runs to the end of the page, as in browsers.
    page = ("<script>" * 40_000).encode()
    assert classify_block(521, {}, page) == "js challenge (HTTP 521)"
    text = visible_text("<p>a</p><script>x</script><STYLE a=1>y</style>b<script>z")
    assert text.split() == ["a", "b"]


def test_unclosed_tags_do_not_make_the_title_and_login_checks_quadratic():
    junk = "<title" * 2000 + "<input type=text" * 1500 + "<meta charset" * 1000
    page = ("<title>404 Not Found</title>" + junk + " password").encode()
    assert classify_block(200, {}, page) == "soft 404 (an error page served with HTTP 200)"
    assert classify_block(200, {}, (junk + " password").encode()) is None
