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


def test_a_state_holding_a_document_twice_keeps_it_once_after_the_upgrade(tmp_path):
    import sqlite3

    old = tmp_path / "state.sqlite"
    con = sqlite3.connect(old)
    con.executescript(
        "CREATE TABLE urls (url TEXT PRIMARY KEY, site TEXT NOT NULL, kind TEXT NOT NULL,"
        " parent_url TEXT, title TEXT, status TEXT NOT NULL DEFAULT 'pending', http_status"
        " INTEGER, etag TEXT, last_modified TEXT, sha256 TEXT, content_type TEXT, first_seen"
        " TEXT NOT NULL, first_fetched TEXT, last_fetched TEXT, changed_at TEXT, last_error"
        " TEXT, tries INTEGER NOT NULL DEFAULT 0);"
        "INSERT INTO urls (url, site, kind, sha256, first_seen, status) VALUES"
        " ('http://a/hop1', 's', 'report', 'abc', '2024', 'ok'),"
        " ('http://a/page', 's', 'report', 'abc', '2024', 'ok'),"
        " ('http://a/att.pdf', 's', 'attachment', 'def', '2024', 'ok');"
        "UPDATE urls SET parent_url = 'http://a/page' WHERE url = 'http://a/att.pdf';"
    )
    con.commit()
    con.close()
    with CrawlState(old) as state:
        docs = {d.url: d.parent_url for d in state.documents()}
    assert docs == {"http://a/hop1": None, "http://a/att.pdf": "http://a/hop1"}


def test_aliases_follow_the_document_and_never_point_at_each_other(tmp_path):
    with CrawlState(tmp_path / "state.sqlite") as state:
        for url in ("http://a/1", "http://a/2", "http://a/3"):
            state.discover(url, "s", "report")
            state.record_fetch(url, status="ok", sha256="abc")
        state.mark_same_as("http://a/1", "http://a/2")
        state.mark_same_as("http://a/2", "http://a/3")
        state.mark_same_as("http://a/3", "http://a/1")
        assert [d.url for d in state.documents()] == ["http://a/1"]
        assert state.same_document("http://a/9", "s", "report", "abc") == "http://a/1"
