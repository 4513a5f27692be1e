"""Discovery on (url, html) pairs: report links, companions, pagination, attachments, URL policy."""

from __future__ import annotations

import pytest

from govscrape.crawl.config import SiteConfig
from govscrape.crawl.discover import inspect_report, parse_listing
from govscrape.crawl.link_wording import is_report_title
from govscrape.crawl.pagination import page_number, template_pages
from govscrape.crawl.url_policy import is_allowed

SITE = SiteConfig(
    id="t", agency="某某县民政局", listing_urls=("http://www.mzj.gov.cn/zfxxgk/zfxxgknb/",),
    allowed_domains=("mzj.gov.cn",),
)  # fmt: skip
BASE = "http://www.mzj.gov.cn/zfxxgk/zfxxgknb/"


@pytest.mark.parametrize(
    "title",
    [
        "于洪区教育局2023年政府信息公开工作年度报告",
        "沅江高新区2024年度政府信息公开工作年度报告",
        "西咸新区底张街道办事处2023年度政府\n  信息公开工作年度报告",
        "2023年政府信息公开工作年度报告",
        "衡南高新区2023年政府信息公开年度报告",
        "长沙黄花综合保税区2019年政务信息公开年报",
        "铜仁高新区2014年信息年度报告",
        "湖南省机关事务管理局2023年政府信息公开工作报告",
    ],
)
def test_report_title_variants_are_recognised(title):
    assert is_report_title(title, SITE)


@pytest.mark.parametrize(
    "title",
    [
        "文字解读：天桥区教育和体育局2023年政府信息公开工作年度报告",
        "一图读懂2023年政府信息公开工作年度报告",
        "吕梁市政府信息公开工作年度报告制度（试行）",
        "关于做好2023年政府信息公开工作年度报告编制工作的通知",
        "2023年信息公开年度工作报告说明",
        "某某市召开2020年度工作会",
        "政府信息公开指南",
    ],
)
def test_companions_and_news_are_not_reports(title):
    assert not is_report_title(title, SITE)


def test_listing_resolves_relative_links_and_prefers_the_title_attribute():
    html = """<div class="list"><ul>
      <li><a href="./202401/t20240126_1.html" title="XX局2023年政府信息公开工作年度报告">XX局2023年…<span>2024-01-26</span></a></li>
      <li><a href="../../zfxxgknb/202301/t2.html">XX局2022年政府信息公开工作年度报告</a></li>
      <li><a href="/zfxxgk/zfxxgknb/2021.pdf">XX局2021年政府信息公开工作年度报告</a></li>
      <li><a href="http://evil.example.com/t3.html">XX局2020年政府信息公开工作年度报告</a></li>
      <li><a href="javascript:void(0)">XX局2019年政府信息公开工作年度报告</a></li>
    </ul></div>"""
    listing = parse_listing(BASE, html, SITE)
    assert [(r.url, r.title) for r in listing.reports] == [
        (BASE + "202401/t20240126_1.html", "XX局2023年政府信息公开工作年度报告"),
        ("http://www.mzj.gov.cn/zfxxgknb/202301/t2.html", "XX局2022年政府信息公开工作年度报告"),
        (BASE + "2021.pdf", "XX局2021年政府信息公开工作年度报告"),
    ]


def test_table_row_listing_is_read():
    html = """<table class="gl_list"><tr><td><img src="../../images/ico2.jpg"></td>
      <td><a href="./202003/t20200311_2593126.html">XX市人民政府办公室2019年政府信息公开工作年度报告</a></td>
      <td>2020-03-11</td></tr></table>"""
    assert [r.url for r in parse_listing(BASE, html, SITE).reports] == [
        BASE + "202003/t20200311_2593126.html"
    ]


def test_create_page_html_gives_the_next_pages_of_the_zero_based_index_series():
    html = '<script>createPageHTML(4, 0, "index", "shtml");</script>'
    pages = parse_listing(BASE + "index.shtml", html, SITE).pages
    assert [(p.url, p.number) for p in pages] == [
        (BASE + "index_1.shtml", 2), (BASE + "index_2.shtml", 3)
    ]  # fmt: skip
    last = '<script>createPageHTML(4, 3, "index", "shtml");</script>'
    assert parse_listing(BASE + "index_3.shtml", last, SITE).pages == []


def test_a_long_js_pager_announces_only_the_next_pages_not_all_of_them():
    html = "<script>var countPage = 500;var currentPage = 41;</script>"
    pages = parse_listing(BASE + "index_41.html", html, SITE).pages
    assert [p.number for p in pages] == [43, 44]


def test_create_page_html_variant_with_an_element_id_first():
    html = "<script>createPageHTML('page_div', 3, 1, 'index', 'html', 45);</script>"
    pages = parse_listing(BASE + "index_1.html", html, SITE).pages
    assert [p.url for p in pages] == [BASE + "index_2.html"]


def test_count_page_variable_gives_the_series():
    html = "<script>var countPage = 3//共多少页\nvar currentPage = 0;</script>"
    assert [p.url for p in parse_listing(BASE, html, SITE).pages] == [
        BASE + "index_1.html", BASE + "index_2.html"
    ]  # fmt: skip


def test_next_page_link_and_query_string_pages():
    html = """<div class="page"><a href="?page=1">首页</a><a href="?page=1">上一页</a>
      <a href="?page=3">下一页</a><a href="?page=9">尾页</a><a href="?page=2">2</a></div>"""
    pages = parse_listing(BASE + "?page=2", html, SITE).pages
    assert [(p.url, p.number) for p in pages] == [(BASE + "?page=3", 3), (BASE + "?page=9", 9)]


def test_numbered_html_pages():
    html = '<a href="1.html">1</a><a href="2.html">2</a><a href="3.html">3</a>'
    pages = parse_listing(BASE + "1.html", html, SITE).pages
    assert [(p.url, p.number) for p in pages] == [(BASE + "2.html", 2), (BASE + "3.html", 3)]


def test_year_links_are_sub_columns_not_pages():
    html = (
        '<a href="2023/">2023</a><a href="2022_65289/index.html">2022年</a><a href="../">上级</a>'
    )
    listing = parse_listing(BASE, html, SITE)
    assert listing.pages == []
    assert listing.subcolumns == [BASE + "2023/", BASE + "2022_65289/index.html"]


def test_page_numbers_and_templates():
    assert page_number(BASE + "index_1.html") == 2
    assert page_number(BASE + "list.jsp?cur_page=5") == 5
    assert page_number(BASE + "column-index-3.shtml") == 4
    proxy = "http://www.mzj.gov.cn/module/web/jpage/dataproxy.jsp?page=1&columnid=9"
    assert page_number(proxy + "&startrecord=46&endrecord=90&perpage=15") == 2
    assert page_number(proxy + "&startrecord=16&endrecord=60&perpage=15") == 2
    assert [p.url for p in template_pages(BASE + "index.html", "index_{n}.html")] == [
        BASE + "index_1.html"
    ]
    assert [p.url for p in template_pages(BASE + "?a=1&page=2", "?page={n}")] == [
        BASE + "?a=1&page=3"
    ]


def test_report_page_attachments_named_as_the_report_including_document_write():
    html = """<html><body><div class="TRS_Editor">二、主动公开政府信息情况 四、政府信息公开行政复议</div>
      <p class="insertfileTag"><a appendix="true" href="./P020240126.pdf">XX局2023年政府信息公开工作年度报告.pdf</a></p>
      <a href="./P020240126.ofd">XX局2023年政府信息公开工作年度报告.ofd</a>
      <a href="./form.docx">政府信息公开申请表.docx</a>
      <script>document.write('<a href="./P0scripted.wps">XX局2023年政府信息公开工作年度报告（超链版）</a>');</script>
    </body></html>"""
    page = inspect_report(BASE + "202401/t1.html", html, SITE)
    assert page.has_report_body
    assert [a.url.rsplit("/", 1)[-1] for a in page.attachments] == [
        "P020240126.pdf", "P020240126.ofd", "P0scripted.wps"
    ]  # fmt: skip


def test_stub_report_page_takes_all_its_files():
    html = '<html><body><p>详见附件</p><a href="/u/202401/1706.pdf">附件1</a><a href="a.jpg">图</a></body></html>'
    page = inspect_report(BASE + "202401/t1.html", html, SITE)
    assert not page.has_report_body
    assert [a.url for a in page.attachments] == ["http://www.mzj.gov.cn/u/202401/1706.pdf"]


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://www.mzj.gov.cn/a.html", True),
        ("https://xxgk.mzj.gov.cn/a.html", True),
        ("ftp://www.mzj.gov.cn/a.pdf", False),
        ("http://www.mzj.gov.cn.evil.com/a.html", False),
        ("http://mirror.example.com/mzj.gov.cn/a.html", False),
    ],
)
def test_only_http_on_allowed_domains(url, allowed):
    assert is_allowed(url, SITE) is allowed


def test_private_addresses_need_the_site_to_allow_them():
    site = SiteConfig(
        id="t", agency="x", listing_urls=(), allowed_domains=("127.0.0.1", "10.0.0.8")
    )
    assert not is_allowed("http://127.0.0.1:8080/a", site)
    assert not is_allowed("http://10.0.0.8/a", site)
    from dataclasses import replace

    assert is_allowed("http://127.0.0.1:8080/a", replace(site, allow_private_addresses=True))


def test_a_page_of_unclosed_anchor_tags_is_scanned_in_linear_time():
    # 300k `<a x` took 400 s: the anchor regex ran to the page's end from every one of them.
    from govscrape.crawl.anchors import file_anchors

    page = "<a x" * 300_000 + '<a href="/f/r.pdf">2023年年度报告</a>'
    found = file_anchors("http://www.a.gov.cn/r.html", page)
    assert [(a.url, a.text) for a in found] == [("http://www.a.gov.cn/f/r.pdf", "2023年年度报告")]
    assert file_anchors("http://www.a.gov.cn/r.html", '<a href="x.pdf">' * 50_000) == []


def test_links_that_are_no_fetchable_url_are_skipped_not_a_crash():
    base = SITE.listing_urls[0]
    host = base.split("/")[2]
    html = (
        '<ul><li><a href="http://[::1/x">某局2023年政府信息公开工作年度报告</a></li>'
        f'<li><a href="http://{host}:99999/r.html">某局2022年政府信息公开工作年度报告</a></li>'
        '<li><a href="r1.html">某局2021年政府信息公开工作年度报告</a></li>'
        '<li><a href="http://[::1/a.pdf">附件.pdf</a></li></ul>'
    )
    listing = parse_listing(base, html, SITE)
    assert [link.title for link in listing.reports] == ["某局2021年政府信息公开工作年度报告"]
    assert inspect_report(base, html, SITE).attachments == []
