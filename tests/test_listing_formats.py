"""Non-HTML listings (gkmlpt JSON, Hanweb datastore) and redirect stubs."""

from __future__ import annotations

import json

from govscrape.config import SiteConfig
from govscrape.discover import find_redirect, parse_listing
from govscrape.listing_formats import datastore_html, json_listing, redirect_target

SITE = SiteConfig(id="t", agency="x", listing_urls=(), allowed_domains=("lw.gov.cn",))
API = "http://www.lw.gov.cn/gkmlpt/api/all/0?page=1&sid=200165"


def gkmlpt_page(titles: list[str], total: int) -> str:
    articles = [
        {"id": i, "title": t, "url": f"http://www.lw.gov.cn/zwgkk/content/post_{i}.html"}
        for i, t in enumerate(titles)
    ]
    return json.dumps({"total": total, "articles": articles, "classify": {"post_count": total}})


def test_gkmlpt_json_listing_gives_reports_and_the_next_page():
    text = gkmlpt_page(
        ["荔湾区民政局2023年政府信息公开工作年度报告", "荔湾区召开年度工作会议"], total=5
    )
    listing = parse_listing(API, text, SITE)
    assert [r.url for r in listing.reports] == ["http://www.lw.gov.cn/zwgkk/content/post_0.html"]
    assert [(p.url, p.number) for p in listing.pages] == [
        ("http://www.lw.gov.cn/gkmlpt/api/all/0?page=2&sid=200165", 2)
    ]


def test_last_json_page_has_no_next_page():
    text = gkmlpt_page(["a", "b"], total=4)
    assert json_listing(API.replace("page=1", "page=2"), text)[1] == []
    assert json_listing(API, "not json") is None


def test_hanweb_datastore_records_are_read_as_list_items():
    html = """<html><body><div id="1234"><script type="text/xml"><datastore><nextgroup>
      <![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=1229445040">]]>
      </nextgroup><recordset>
      <record><![CDATA[<li><a href="/art/2024/1/22/art_1229445040_4107020.html" title="东湖街道2023年政府信息公开工作年度报告">东湖街道…</a></li>]]></record>
      <record><![CDATA[<li><a href="/art/2024/1/2/art_1229445040_1.html">东湖街道开展环境整治</a></li>]]></record>
      </recordset></datastore></script></div></body></html>"""
    assert datastore_html(html).count("<li>") == 2
    site = SiteConfig(id="t", agency="x", listing_urls=(), allowed_domains=("sxyc.gov.cn",))
    listing = parse_listing("https://www.sxyc.gov.cn/col/col1229445040/index.html", html, site)
    assert [r.url for r in listing.reports] == [
        "https://www.sxyc.gov.cn/art/2024/1/22/art_1229445040_4107020.html"
    ]


def test_redirect_stubs_are_followed_within_the_site():
    base = "http://www.lw.gov.cn/old/"
    refresh = '<html><head><meta http-equiv="refresh" content="0;url=/zwgkk/new/"></head></html>'
    script = (
        "<html><script>window.location.href = 'https://www.lw.gov.cn/zwgkk/new/';</script></html>"
    )
    assert find_redirect(base, refresh, SITE) == "http://www.lw.gov.cn/zwgkk/new/"
    assert find_redirect(base, script, SITE) == "https://www.lw.gov.cn/zwgkk/new/"
    assert find_redirect(base, refresh.replace("/zwgkk/new/", "http://x.com/"), SITE) is None
    assert find_redirect(base, refresh.replace("/zwgkk/new/", "/index.html"), SITE) is None


def test_mobile_hops_and_real_pages_are_not_redirect_stubs():
    mobile = "<script>if(/Android|iPhone/i.test(navigator.userAgent)){location.href='http://m.lw.gov.cn/';}</script>"
    page = "<script>location.href='/x.html'</script>" + "<p>正文内容很长。</p>" * 100
    assert redirect_target("http://www.lw.gov.cn/", mobile) is None
    assert redirect_target("http://www.lw.gov.cn/", page) is None
