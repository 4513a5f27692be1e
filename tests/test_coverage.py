"""What the crawl could see of each site, read from a real crawl state, to explain a gap."""

from __future__ import annotations

from datasets_factory import add_site, record_url, store_report

from govscrape.crawl.coverage import site_coverage


def test_a_site_whose_listing_was_blocked_is_blocked_and_says_how(tmp_path):
    record_url(tmp_path, "http://a.gov.cn/list.html", "a", "listing", "blocked",
               http_status=521, error="jsl challenge (加速乐 cookie)")  # fmt: skip
    seen = site_coverage(tmp_path)["a"]
    assert seen.status == "blocked"
    assert seen.explain_missing(2021) == (
        "no report: site blocked in the crawl (HTTP 521, jsl challenge (加速乐 cookie)), so "
        "whether the agency published is unknown"
    )
    assert seen.evidence_url(2021) == "http://a.gov.cn/list.html"


def test_a_site_that_never_answered_is_unreachable(tmp_path):
    record_url(tmp_path, "http://a.gov.cn/list.html", "a", "listing", "failed",
               error="connect timeout")  # fmt: skip
    seen = site_coverage(tmp_path)["a"]
    assert seen.status == "failed"
    assert seen.explain_missing(2020).startswith(
        "no report: site unreachable in the crawl (connect timeout)"
    )


def test_a_report_link_that_failed_is_matched_to_its_year_by_its_link_text(tmp_path):
    record_url(tmp_path, "http://a.gov.cn/list.html", "a", "listing", "ok", http_status=200)
    record_url(tmp_path, "http://a.gov.cn/r21.html", "a", "report", "robots",
               error="disallowed by robots.txt", title="甲局2021年政府信息公开工作年度报告")  # fmt: skip
    seen = site_coverage(tmp_path)["a"]
    assert seen.status == "partial"
    assert seen.explain_missing(2021) == (
        "no report: a 2021 report was found but could not be fetched (disallowed by robots.txt)"
    )
    assert seen.evidence_url(2021) == "http://a.gov.cn/r21.html"
    assert seen.explain_missing(2020).startswith("no 2020 report found on the site (crawled ")


def test_a_failed_listing_page_beside_good_ones_means_the_report_may_exist(tmp_path):
    store_report(tmp_path, "http://a.gov.cn/r20.html", b"report", site="a")
    record_url(tmp_path, "http://a.gov.cn/list_2.html", "a", "listing", "failed",
               http_status=500, error="server error")  # fmt: skip
    seen = site_coverage(tmp_path)["a"]
    assert seen.status == "partial" and seen.reports_stored == 1
    explained = seen.explain_missing(2019)
    assert "1 listing page(s) could not be fetched (HTTP 500, server error): it may exist" in (
        explained
    )


def test_a_stored_report_that_failed_to_refetch_is_no_trouble(tmp_path):
    store_report(tmp_path, "http://a.gov.cn/r20.html", b"report", site="a")
    record_url(tmp_path, "http://a.gov.cn/r20.html", "a", "report", "failed", http_status=500)
    assert site_coverage(tmp_path)["a"].status == "ok"  # its bytes are kept and parsed


def test_a_configured_site_never_crawled_and_no_state_at_all(tmp_path):
    add_site(tmp_path, "new-site", agency="乙局")
    assert site_coverage(tmp_path)["new-site"].status == "not_crawled"
    assert site_coverage(tmp_path)["new-site"].explain_missing(2020) == (
        "no report: the site has not been crawled yet"
    )
    assert site_coverage(tmp_path / "elsewhere") == {}
