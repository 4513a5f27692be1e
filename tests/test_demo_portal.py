"""The demo portal over real HTTP on 127.0.0.1: pagers, encodings, trouble, validators."""

from __future__ import annotations

import re
import sqlite3
import urllib.robotparser
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import httpx
import pandas as pd
import pytest

from govscrape.crawl.config import load_config
from govscrape.crawl.crawler import CrawlSummary, run_crawl
from govscrape.crawl.rawstore import RawStore
from govscrape.datasets import build_datasets
from govscrape.demo import data as D
from govscrape.demo.pages_legacy import mojibake
from govscrape.demo.server import HOST_KEYS, DemoPortal
from govscrape.demo.site_listings import JPAGE_OPTIONS
from govscrape.demo.site_model import CORRECTED, SCRIPT_ONLY
from govscrape.demo.site_paths import attachment_name, attachment_path, pdf_name, report_path
from govscrape.demo.sites import CHALLENGE_COOKIE, CORRECTED_REPORT, FAIL_ONCE, build_sites
from govscrape.questions.findings import findings
from govscrape.questions.load import load
from govscrape.questions.zero_requests import zero_requests


@pytest.fixture(scope="module")
def portal() -> Iterator[DemoPortal]:
    with DemoPortal() as running:
        yield running


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, trust_env=False) as c:
        yield c


def _titles(html: str) -> list[str]:
    return re.findall(r'<a href="[^"]+" (?:title="[^"]*" )?target="_blank">([^<]+)</a>', html)


def _report_url(portal: DemoPortal, site_id: str, year: int) -> str:
    report = D.report_for(site_id, year)
    return portal.urls[report.agency.host] + report_path(report)


def test_trs_listing_pages_follow_var_count_page(portal, client):
    base = portal.urls["city"] + "/zwgk/zfxxgknb/"
    first = client.get(base).text
    assert "var countPage = 3" in first
    pages = [first] + [client.get(f"{base}index_{n}.html").text for n in (1, 2)]
    assert client.get(f"{base}index_3.html").status_code == 404
    titles = [t for page in pages for t in _titles(page)]
    reports = [r.title for r in D.REPORTS if r.agency.site_id == "yunze-gov"]
    assert set(reports) <= set(titles)
    assert any("文字解读" in t for t in titles) and any("推进会" in t for t in titles)
    assert re.search(r'<li><a href="\./\d{6}/t\d{8}_\d+\.html" title="', first)
    assert '<span class="date">' in first


def test_create_page_html_pager_on_a_department_column(portal, client):
    base = portal.urls["city"] + "/zwgk/bmxxgk/sjyj/zfxxgknb/"
    assert 'createPageHTML(2, 0, "index", "html");' in client.get(base + "index.html").text
    assert 'createPageHTML(2, 1, "index", "html");' in client.get(base + "index_1.html").text


def test_county_columns_page_by_query_string_and_by_next_link(portal, client):
    gov = portal.urls["county"] + "/col/col1229001234/index.html"
    first = client.get(gov).text
    assert 'class="gl_list"' in first and '<a href="index.html?page=2">下一页</a>' in first
    second = client.get(gov + "?page=2")
    assert second.status_code == 200 and "下一页" not in second.text
    town = portal.urls["county"] + "/col/col1229001240/"
    assert '<a href="list_2.html">下一页</a>' in client.get(town + "index.html").text
    assert client.get(town + "list_2.html").status_code == 200


def test_a_column_split_into_year_subcolumns(portal, client):
    base = portal.urls["city"] + D.AGENCY_BY_SITE["yunze-scjgj"].column
    front = client.get(base).text
    subcolumns = re.findall(r'<a href="\./(\d{4}_\d+/)">(\d{4})年</a>', front)
    assert [year for _href, year in subcolumns] == [str(y) for y in range(2024, 2018, -1)]
    page = client.get(base + subcolumns[1][0]).text
    assert "云泽市市场监督管理局2023年政府信息公开工作年度报告" in _titles(page)
    assert "年度报告" not in " ".join(_titles(front))


def test_gkmlpt_column_is_a_json_api_behind_an_empty_app(portal, client):
    agency = D.AGENCY_BY_SITE["yunze-wjw"]
    shell = client.get(portal.urls["city"] + "/gkmlpt/index").text
    assert '<div id="app"></div>' in shell and "年度报告" not in shell
    first = client.get(portal.listing_url(agency))
    assert first.headers["content-type"].startswith("application/json")
    answer = first.json()
    reports = [r.title for r in D.REPORTS if r.agency is agency]
    assert answer["total"] == len(reports) + 2 and len(answer["articles"]) == 4
    second = client.get(portal.listing_url(agency).replace("page=1", "page=2")).json()
    titles = [a["title"] for a in answer["articles"] + second["articles"]]
    assert set(reports) < set(titles)
    assert client.get(portal.listing_url(agency).replace("page=1", "page=3")).status_code == 404
    detail = client.get(portal.urls["city"] + answer["articles"][0]["url"]).text
    assert "window._CONFIG" in detail and '<div class="article-content">' in detail


RECORD = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.S)
JPAGE_SITE = "qingshi-czj"


def _jpage_proxy(page: str, start: int, end: int) -> str:
    """The dataproxy.jsp request jpage.js makes for records start..end of a column page."""
    nextgroup = re.search(r'<nextgroup><!\[CDATA\[<a href="([^"]+)"', page)
    assert nextgroup is not None
    return f"{nextgroup.group(1)}&startrecord={start}&endrecord={end}&perpage=2"


def test_hanweb_datastore_column_embeds_only_its_first_group_as_xml_records(portal, client):
    agency = D.AGENCY_BY_SITE[JPAGE_SITE]
    per_page, group = JPAGE_OPTIONS[JPAGE_SITE]
    page = client.get(portal.listing_url(agency)).text
    outside = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert "/art/" not in outside  # nothing to click without jpage.js
    records = RECORD.findall(page)
    assert len(records) == per_page * group
    total = int(re.search(r"totalRecord: (\d+)", page).group(1))
    assert total > len(records) and f"perPage: {per_page}, groupSize: {group}" in page


def test_jpage_proxy_serves_the_rest_of_the_column_by_record_number(portal, client):
    agency = D.AGENCY_BY_SITE[JPAGE_SITE]
    base = portal.urls[agency.host]
    page = client.get(portal.listing_url(agency)).text
    titles = [t for rec in RECORD.findall(page) for t in _titles(rec)]
    total = int(re.search(r"totalRecord: (\d+)", page).group(1))
    for start in range(len(titles) + 1, total + 1, 4):
        answer = client.get(base + _jpage_proxy(page, start, start + 3))
        assert answer.headers["content-type"].startswith("text/xml")
        assert f"<totalrecord>{total}</totalrecord>" in answer.text
        titles += [t for rec in RECORD.findall(answer.text) for t in _titles(rec)]
    assert len(titles) == len(set(titles)) == total
    assert {r.title for r in D.REPORTS if r.agency is agency} < set(titles)
    assert client.get(base + _jpage_proxy(page, total + 1, total + 4)).status_code == 404
    etag = client.get(base + _jpage_proxy(page, 5, 8)).headers["etag"]
    again = client.get(base + _jpage_proxy(page, 5, 8), headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_hanweb_static_index_1_is_not_found(portal, client):
    assert client.get(portal.urls["county"] + "/col/col1229001234/index_1.html").status_code == 404


def test_legacy_host_sends_gbk_without_charset_header(portal, client):
    resp = client.get(portal.urls["zone"] + "/xxgk/gknb/1.html")
    assert resp.headers["content-type"] == "text/html"
    assert b'<meta charset="gb2312">' in resp.content
    with pytest.raises(UnicodeDecodeError):
        resp.content.decode("utf-8")
    text = resp.content.decode("gbk")
    assert "政府信息公开工作年度报告" in text and '<a href="2.html">下一页</a>' in text
    assert client.get(portal.urls["zone"] + "/xxgk/gknb/2.html").status_code == 200


def test_legacy_report_sits_in_layout_tables_and_one_header_is_mojibake(portal, client):
    clean = client.get(_report_url(portal, "yunze-gxq", 2021)).content.decode("gbk")
    assert '<td id="fontzoom">' in clean and "<div" not in clean
    assert "云泽高新技术产业开发区管理委员会</td>" in clean
    garbled = client.get(_report_url(portal, "yunze-gxq", 2024)).content.decode("gbk")
    assert mojibake("云泽高新技术产业开发区管理委员会") in garbled
    assert "云泽高新技术产业开发区管理委员会</td>" not in garbled  # the banner
    report = D.report_for("yunze-gxq", 2024)
    assert "parse.mojibake" in report.findings
    assert f">{report.title}</td>" in garbled and "申请人情况" in garbled  # title and body clean


def test_mojibake_is_utf8_read_as_gbk():
    assert mojibake("云泽高新区") == "浜戞辰楂樻柊鍖?"
    assert mojibake("云泽高新区").encode("gbk")  # a GB2312 page can carry it as found


def test_page_fails_once_with_500_then_works(client):
    site_id, year = next(iter(FAIL_ONCE))
    with DemoPortal() as fresh:
        url = _report_url(fresh, site_id, year)
        assert client.get(url).status_code == 500
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200


def test_challenged_host_answers_521_stub_until_the_cookie_is_set(portal, client):
    url = portal.urls["waf"] + D.AGENCY_BY_SITE["qingshi-wjj"].column
    resp = client.get(url)
    assert resp.status_code == 521
    assert "__jsluid_s=" in resp.headers["set-cookie"]
    assert "document.cookie=" in resp.text and "location.href=" in resp.text
    cookie = CHALLENGE_COOKIE.split("=", 1)
    solved = httpx.get(url, cookies={cookie[0]: cookie[1]}, trust_env=False)
    assert solved.status_code == 200 and "gl_list" in solved.text


def test_robots_txt_disallows_the_history_path_only(portal, client):
    text = client.get(portal.urls["city"] + "/robots.txt").text
    rules = urllib.robotparser.RobotFileParser()
    rules.parse(text.splitlines())
    history = portal.urls["city"] + "/zwgk/zfxxgknb/lsbb/202103/t20210310_1.html"
    assert not rules.can_fetch("govscrape", history)
    assert rules.can_fetch("govscrape", _report_url(portal, "yunze-gov", 2021))
    base = portal.urls["city"] + "/zwgk/zfxxgknb/"
    pages = [client.get(base + name).text for name in ("", "index_1.html", "index_2.html")]
    assert any('href="./lsbb/' in page for page in pages)
    assert client.get(portal.urls["zone"] + "/robots.txt").status_code == 404


def test_conditional_requests_get_304(portal, client):
    url = portal.urls["city"] + "/zwgk/zfxxgknb/"
    first = client.get(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    earlier = format_datetime(datetime(2020, 1, 1, tzinfo=UTC), usegmt=True)
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200


def test_trs_report_page_carries_metadata_and_editor_body(portal, client):
    report = D.report_for("yunze-gov", 2022)
    html = client.get(_report_url(portal, "yunze-gov", 2022)).text
    for meta in ("ArticleTitle", "PubDate", "ContentSource", "SiteIDCode"):
        assert f'<meta name="{meta}"' in html
    assert f'content="{report.published:%Y-%m-%d %H:%M}"' in html
    assert "<b>索引号：</b>" in html and '<div class="TRS_Editor">' in html
    assert 'colspan="3" rowspan="3"' in html and 'rowspan="22"' in html  # the national grid


def test_pdf_report_is_an_attachment_of_a_stub_page(portal, client):
    report = next(r for r in D.REPORTS if r.form == "pdf")
    page = client.get(_report_url(portal, report.agency.site_id, report.year)).text
    assert f'href="./{pdf_name(report)}"' in page and "<table" not in page
    url = _report_url(portal, report.agency.site_id, report.year).rsplit("/", 1)[0]
    pdf = client.get(f"{url}/{pdf_name(report)}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) < 100_000


def test_docx_report_is_a_hanweb_download_linked_from_a_stub_page(portal, client):
    report = next(r for r in D.REPORTS if r.form == "docx")
    page = client.get(_report_url(portal, report.agency.site_id, report.year)).text
    link = re.search(r'<a href="(/module/download/downfile\.jsp\?[^"]+)"', page)
    assert link is not None and "<table" not in page.split('id="zoom"')[1]
    href = link.group(1).replace("&amp;", "&")
    assert href == attachment_path(report) and href.endswith(".docx")
    resp = client.get(portal.urls["county"] + href)
    assert resp.status_code == 200 and resp.content.startswith(b"PK\x03\x04")
    assert attachment_name(report) in resp.headers["content-disposition"]


def test_word97_report_is_an_ole_file_served_as_msword_from_a_stub_page(portal, client):
    (report,) = [r for r in D.REPORTS if r.form == "doc"]
    page = client.get(_report_url(portal, report.agency.site_id, report.year)).text
    href = attachment_path(report)
    assert href.endswith(".doc") and f'href="{href.replace("&", "&amp;")}"' in page
    assert f"{report.title}.doc</a>" in page and "<table" not in page.split('id="zoom"')[1]
    resp = client.get(portal.urls[report.agency.host] + href)
    assert resp.headers["content-type"] == "application/msword"
    assert attachment_name(report) in resp.headers["content-disposition"]
    assert resp.content.startswith(bytes.fromhex("d0cf11e0a1b11ae1"))
    assert report.title.encode("utf-16-le") in resp.content
    assert len(resp.content) % 512 == 0 and len(resp.content) < 10_000


def test_shipped_docx_is_what_the_generator_makes_today():
    from govscrape.demo.site_paths import attachment_bytes
    from govscrape.demo.word import build_docx, word_reports

    assert word_reports(), "the demo publishes a Word report"
    for report in word_reports():
        assert build_docx(report) == attachment_bytes(report), "run: python -m govscrape.demo.word"


def test_shipped_pdf_is_what_the_generator_makes_today():
    from govscrape.demo.pdf import build_pdf, pdf_reports
    from govscrape.demo.site_paths import pdf_bytes

    for report in pdf_reports():
        assert build_pdf(report) == pdf_bytes(report), "run: python -m govscrape.demo.pdf"


def test_pages_do_not_mention_the_port_so_validators_survive_a_restart():
    for site in build_sites().values():
        for path, resource in site.routes.items():
            assert b"127.0.0.1" not in resource.body, path


def test_unknown_path_is_404_and_head_works(portal, client):
    assert client.get(portal.urls["city"] + "/no/such/page.html").status_code == 404
    head = client.head(portal.urls["city"] + "/zwgk/zfxxgknb/")
    assert head.status_code == 200 and head.content == b"" and "etag" in head.headers


def test_config_text_is_a_valid_sites_toml_for_the_running_ports(portal, tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(portal.config_text(), encoding="utf-8")
    config = load_config(path)
    assert [s.id for s in config.sites] == [a.site_id for a in D.COLUMN_AGENCIES]
    for site, agency in zip(config.sites, D.COLUMN_AGENCIES, strict=True):
        assert site.agency == agency.name and site.agency_kind == agency.kind
        assert site.listing_urls == (portal.listing_url(agency),)
        assert site.allow_private_addresses
    assert config.settings().per_host_delay_s < 0.1


def test_given_ports_are_reused(portal):
    with DemoPortal() as first:
        ports = first.ports
    with DemoPortal(ports=ports) as again:
        assert again.ports == ports
    assert set(ports) == set(HOST_KEYS)


# --- switches: a script-only column, a report corrected in place (crawled for real) ----------------
def _crawl(portal: DemoPortal, data: Path, *site_ids: str) -> CrawlSummary:
    config_path = data / "demo-sites.toml"
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text(portal.config_text(), encoding="utf-8")
    return run_crawl(load_config(config_path), data, site_ids=list(site_ids))


def test_the_script_paginated_column_is_read_through_its_static_next_page(portal, client):
    column = portal.listing_url(D.AGENCY_BY_SITE["yunze-dfz"])
    first = client.get(column).text
    assert "recordCount: '6'" in first and len(_titles(first)) == 4
    assert len(_titles(client.get(column + "index_1.html").text)) == 2


def test_a_column_whose_static_page_is_withdrawn_is_truncated_not_unpublished(tmp_path):
    with DemoPortal() as portal:
        portal.switches.add(SCRIPT_ONLY)
        summary = _crawl(portal, tmp_path, "yunze-dfz", "yunze-gov")
    dfz = next(s for s in summary.sites if s.site == "yunze-dfz")
    assert any("states 6 items, 4 reached" in note for note in dfz.notes)
    build_datasets(tmp_path)
    answer = zero_requests(tmp_path)
    missing = answer[(answer["agency"] == "云泽市地方志编纂室") & (answer["status"] == "no_report")]
    assert sorted(missing["year"].tolist()) == [2019, 2020]
    assert all("states 6 items, 4 reached" in d and "may exist" in d for d in missing["detail"])
    [note] = findings(tmp_path, code="crawl").to_dict("records")
    assert note["code"] == "crawl.listing_truncated" and (note["expected"], note["found"]) == (
        "6",
        "4",
    )
    assert note["message"].startswith("site yunze-dfz: ") and pd.isna(note["year"])
    assert findings(tmp_path, code="crawl", year=2019).empty


def test_a_report_corrected_in_place_is_caught_by_revalidation_and_parsed_again(tmp_path):
    agency, year = CORRECTED_REPORT
    with DemoPortal() as portal:
        _crawl(portal, tmp_path, agency)
        build_datasets(tmp_path)
        url = _report_url(portal, agency, year)
        with sqlite3.connect(tmp_path / "state.sqlite") as con:
            (old,) = con.execute("SELECT sha256 FROM urls WHERE url = ?", (url,)).fetchone()
            # a month later, this report's check is the oldest: tonight's share (7 stored / 30)
            con.execute(
                "UPDATE urls SET last_fetched = datetime('now', '-31 days') WHERE url = ?", (url,)
            )
        portal.switches.add(CORRECTED)
        summary = _crawl(portal, tmp_path, agency)
    assert "revalidated: 1, changed: 1" in summary.format()
    with sqlite3.connect(tmp_path / "state.sqlite") as con:
        (new,) = con.execute("SELECT sha256 FROM urls WHERE url = ?", (url,)).fetchone()
    assert new != old and RawStore(tmp_path / "raw").has(old)
    build_datasets(tmp_path)
    reports = load("reports", tmp_path)
    assert reports.loc[reports["url"] == url, "sha256"].tolist() == [new]
