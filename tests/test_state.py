"""Crawl state in SQLite: URLs, fetch outcomes, sites, stored documents, read-only readers."""

from __future__ import annotations

from govscrape.crawl.state import CrawlState, read_only_query

REPORT = "http://example.gov.cn/zfxxgknb/202401/t20240126_1.html"


def test_discover_says_new_once_and_keeps_history(tmp_path):
    with CrawlState(tmp_path / "state.sqlite") as state:
        assert state.discover(REPORT, "site", "report", title="2023年年度报告") is True
        assert state.discover(REPORT, "site", "report", title="新标题") is False
        row = state.get(REPORT)
        assert row["status"] == "pending" and row["title"] == "新标题"


def test_a_failed_refetch_keeps_the_stored_sha256(tmp_path):
    with CrawlState(tmp_path / "state.sqlite") as state:
        state.discover(REPORT, "site", "report")
        state.record_fetch(REPORT, status="ok", http_status=200, sha256="a" * 64, etag='"1"')
        state.record_fetch(REPORT, status="failed", http_status=503, error="HTTP 503")
        row = state.get(REPORT)
        assert row["sha256"] == "a" * 64 and row["etag"] == '"1"'
        assert row["status"] == "failed" and row["last_error"] == "HTTP 503"
        assert row["first_fetched"] is not None and row["changed_at"] is not None


def test_documents_lists_reports_and_attachments_with_stored_bytes_only(tmp_path):
    with CrawlState(tmp_path / "state.sqlite") as state:
        pdf = REPORT.replace(".html", ".pdf")
        for url, kind in ((REPORT, "report"), (pdf, "attachment"), ("http://x/l/", "listing")):
            state.discover(url, "site", kind, parent_url=REPORT if kind == "attachment" else None)
            state.record_fetch(url, status="ok", sha256=kind[0] * 64)
        state.discover("http://x/pending.html", "site", "report")
        docs = list(state.documents())
    assert [(d.url, d.kind) for d in docs] == [(REPORT, "report"), (pdf, "attachment")]
    assert docs[1].parent_url == REPORT


def test_writes_are_on_disk_for_other_readers(tmp_path):
    with CrawlState(tmp_path / "state.sqlite") as state:
        state.upsert_site("yunze-jyj", {"agency": "云泽市教育局", "agency_kind": "department"})
        state.discover(REPORT, "yunze-jyj", "report")
        sites, urls = read_only_query(
            tmp_path, "SELECT id, agency, agency_kind FROM sites", "SELECT url FROM urls"
        )
    assert sites == [("yunze-jyj", "云泽市教育局", "department")] and urls == [(REPORT,)]


def test_read_only_query_without_a_crawl_state_is_none(tmp_path):
    assert read_only_query(tmp_path, "SELECT id FROM sites") is None
    (tmp_path / "state.sqlite").write_bytes(b"not a database, e.g. a truncated copy")
    assert read_only_query(tmp_path, "SELECT id FROM sites") is None
