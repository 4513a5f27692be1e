"""Non-HTML listings (gkmlpt JSON, Hanweb datastore) and redirect stubs."""

from __future__ import annotations

import json

from govscrape.crawl.config import SiteConfig
from govscrape.crawl.discover import find_redirect, parse_listing
from govscrape.crawl.listing_formats import (
    datastore_html,
    jpage_next,
    json_listing,
    redirect_target,
)

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


HANWEB_COLUMN = """<html><body><div id="3543977"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=12&path=/&columnid=1229445040&unitid=5396709&permissiontype=0"></a>]]></nextgroup>
<recordset>{records}</recordset></datastore></script></div>
<script>$(document).ready(function(){{ $('#3543977').jpage({{ dataStore: dataStore,
 totalRecord: {total}, perPage: 15, groupSize: 3,
 proxyUrl: '/module/web/jpage/dataproxy.jsp', barPosition: 'bottom' }}); }});</script>
</body></html>"""
PROXY = (
    "https://www.sxyc.gov.cn/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=12&path=%2F"
    "&columnid=1229445040&unitid=5396709&permissiontype=0"
)


def record(n: int) -> str:
    return f'<record><![CDATA[<li><a href="/art/2024/1/2/art_1229445040_{n}.html">东湖街道第{n}条</a></li>]]></record>'


def test_hanweb_column_page_leads_to_the_dataproxy_for_the_records_after_the_embedded_ones():
    html = HANWEB_COLUMN.format(records="".join(map(record, range(45))), total=100)
    url = "https://www.sxyc.gov.cn/col/col1229445040/index.html"
    assert jpage_next(url, html) == [(PROXY + "&startrecord=46&endrecord=90&perpage=15", 2)]


def test_a_dataproxy_answer_leads_to_the_next_chunk_until_totalrecord():
    answer = (
        '<?xml version="1.0" encoding="UTF-8"?><datastore><nextgroup><![CDATA[]]></nextgroup>'
        "<recordset>{records}</recordset><totalrecord>100</totalrecord>"
        "<totalpage>7</totalpage></datastore>"
    ).format(records="".join(map(record, range(45, 90))))
    here = PROXY + "&startrecord=46&endrecord=90&perpage=15"
    assert jpage_next(here, answer) == [(PROXY + "&startrecord=91&endrecord=135&perpage=15", 3)]
    last = PROXY + "&startrecord=91&endrecord=135&perpage=15"
    assert jpage_next(last, answer) == []
    site = SiteConfig(id="t", agency="x", listing_urls=(), allowed_domains=("sxyc.gov.cn",))
    listing = parse_listing(here, answer, site)
    assert [p.number for p in listing.pages] == [3]


def test_a_hanweb_column_that_fits_on_its_first_page_has_no_follow_up():
    html = HANWEB_COLUMN.format(records="".join(map(record, range(12))), total=12)
    assert jpage_next("https://www.sxyc.gov.cn/col/col1229445040/index.html", html) == []


def test_jpage_options_given_as_page_variables_are_read_too():
    html = (
        HANWEB_COLUMN.format(records="".join(map(record, range(15))), total=40)
        .replace(
            "<script>$(document)",
            "<script>var totalRecord = 40; var perPage = 15;</script><script>$(document)",
        )
        .replace("totalRecord: 40, perPage: 15, groupSize: 3,", "")
    )
    url = "https://www.sxyc.gov.cn/col/col1229445040/index.html"
    assert jpage_next(url, html) == [(PROXY + "&startrecord=16&endrecord=60&perpage=15", 2)]


def test_unclosed_records_and_pager_calls_are_read_in_linear_time():
    page = "<datastore>" + "<record><![CDATA[<li>x</li>" * 100_000 + "createPageHTML(" * 50_000
    assert datastore_html(page) == ""
    page = "<record><![CDATA[<li>a</li>]]></record><record><![CDATA[<li>b</li>]]></record>"
    assert datastore_html(page + "<record><![CDATA[" * 1000) == "<li>a</li>\n<li>b</li>"
    assert redirect_target("http://a.gov.cn/", "<script>" * 2000 + "location") is None
