"""Whole crawls against real HTTP servers on 127.0.0.1: pagination, storage, incremental runs,
resuming after a kill, the data-folder lock and the exit status."""

from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from crawl_server import Reply, ScriptedServer, conditional

from govscrape.crawl.config import Config, parse_config
from govscrape.crawl.coverage import site_coverage
from govscrape.crawl.crawler import run_crawl
from govscrape.crawl.rawstore import RawStore
from govscrape.crawl.settings import CrawlSettings
from govscrape.crawl.site_crawl import READ_IN_LOOP_BYTES
from govscrape.crawl.state import CrawlState
from govscrape.errors import LockedError

# A generous read timeout: a loaded machine must not turn a normal answer into a retry.
FAST = CrawlSettings(
    per_host_delay_s=0.0,
    backoff_initial_s=0.01,
    backoff_max_s=0.05,
    read_timeout_s=10.0,
    max_tries=2,
    commit_interval_s=0.05,
)
REPORT_BODY = (
    "<html><body><h1>{title}</h1><div class='TRS_Editor'>一、总体情况 二、主动公开政府信息情况"
    " 三、收到和处理政府信息公开申请情况 四、政府信息公开行政复议、行政诉讼情况</div></body></html>"
)
SRC = Path(__file__).resolve().parent.parent / "src"


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    srv = ScriptedServer().start()
    yield srv
    srv.stop()


def config_for(srv: ScriptedServer, *sites: dict[str, object]) -> Config:
    entries = []
    for i, extra in enumerate(sites or ({},)):
        entry = {"id": f"s{i}", "agency": "某某县民政局", "listing": srv.url("/list/")}
        entry.update({"allow_private_addresses": True, **extra})
        entries.append(entry)
    return parse_config({"site": entries}, Path("test-sites.toml"))


def title(n: int) -> str:
    return f"某某县民政局{2010 + n}年政府信息公开工作年度报告"


def li(n: int, href: str | None = None) -> str:
    return f'<li><a href="{href or f"r{n}.html"}" title="{title(n)}">{title(n)}</a><span>2024-01-2{n % 10}</span></li>'


def add_reports(srv: ScriptedServer, numbers: range, folder: str = "/list/") -> None:
    for n in numbers:
        srv.page(f"{folder}r{n}.html", REPORT_BODY.format(title=title(n)))


def stored(data: Path, kind: str | None = None) -> dict[str, str]:
    with CrawlState(data / "state.sqlite") as state:
        return {d.url: d.sha256 for d in state.documents() if kind in (None, d.kind)}


# --- pagination, one portal per scheme ------------------------------------------------------------
def page_path(scheme: str, k: int) -> str:
    if k == 1:
        return "/list/"
    return {
        "next_link": f"/list/p{k}.html",
        "index_n": f"/list/index_{k - 1}.html",
        "query": f"/list/?page={k}",
        "create_page_html": f"/list/index_{k - 1}.html",
        "count_page": f"/list/index_{k - 1}.html",
    }[scheme]


def pager(scheme: str, k: int, total: int) -> str:
    if scheme == "next_link":
        back = f'<a href="{page_path(scheme, k - 1)}">上一页</a>' if k > 1 else ""
        ahead = f'<a href="p{k + 1}.html">下一页</a>' if k < total else ""
        return f"<div class='page'>{back}{ahead}</div>"
    if scheme in ("index_n", "query"):
        links = [
            f'<a href="{"index.html" if i == 1 else page_path(scheme, i)}">{i}</a>'
            for i in range(1, total + 1)
        ]
        return "<div class='page'>" + " ".join(links) + "</div>"
    if scheme == "create_page_html":
        return f'<script>createPageHTML({total}, {k - 1}, "index", "html");</script>'
    return f"<script>var countPage = {total}; var currentPage = {k - 1};</script>"


def build_paginated(srv: ScriptedServer, scheme: str, total: int) -> None:
    for k in range(1, total + 1):
        html = f"<html><body><ul>{li(k)}</ul>{pager(scheme, k, total)}</body></html>"
        srv.page(page_path(scheme, k), html)
    add_reports(srv, range(1, total + 1))


@pytest.mark.parametrize(
    "scheme", ["next_link", "index_n", "query", "create_page_html", "count_page"]
)
def test_every_pagination_scheme_is_followed_to_the_last_page_once(server, tmp_path, scheme):
    build_paginated(server, scheme, total=4)
    summary = run_crawl(config_for(server), tmp_path, settings=FAST)
    assert summary.exit_status == 0
    assert sorted(stored(tmp_path, "report")) == sorted(
        server.url(f"/list/r{n}.html") for n in range(1, 5)
    )
    for k in range(1, 5):
        assert server.hits(page_path(scheme, k)) == 1
    assert server.hits("/list/index.html") == 0  # page 1 under its second name is not refetched
    listing_paths = [
        r.path for r in server.requests if "/r" not in r.path and r.path != "/robots.txt"
    ]
    assert len(listing_paths) == 4


def test_pagination_stops_at_max_pages(server, tmp_path):
    build_paginated(server, "count_page", total=10)
    run_crawl(config_for(server), tmp_path, settings=FAST, max_pages=3)
    assert len(stored(tmp_path, "report")) == 3
    assert server.hits("/list/index_3.html") == 0


def test_a_next_link_back_to_the_first_page_does_not_loop(server, tmp_path):
    server.page("/list/", f"<html><body><ul>{li(1)}</ul><a href='p2.html'>下一页</a></body></html>")
    server.page(
        "/list/p2.html", f"<html><body><ul>{li(2)}</ul><a href='/list/'>下一页</a></body></html>"
    )
    add_reports(server, range(1, 3))
    run_crawl(config_for(server), tmp_path, settings=FAST)
    assert server.hits("/list/") == 1 and server.hits("/list/p2.html") == 1


def test_year_sub_columns_are_followed(server, tmp_path):
    server.page(
        "/list/",
        "<html><body><a href='2023/'>2023年</a><a href='2022/index.html'>2022年</a></body></html>",
    )
    server.page("/list/2023/", f"<html><body><ul>{li(3, 'r3.html')}</ul></body></html>")
    server.page("/list/2022/index.html", f"<html><body><ul>{li(2, 'r2.html')}</ul></body></html>")
    add_reports(server, range(3, 4), "/list/2023/")
    add_reports(server, range(2, 3), "/list/2022/")
    run_crawl(config_for(server), tmp_path, settings=FAST)
    assert set(stored(tmp_path)) == {
        server.url("/list/2023/r3.html"),
        server.url("/list/2022/r2.html"),
    }


# --- what is and is not a report -------------------------------------------------------------------
def test_companions_and_news_in_the_column_are_not_fetched(server, tmp_path):
    items = (
        li(1)
        + '<li><a href="jd.html">关于某某县民政局2023年政府信息公开工作年度报告的解读</a></li>'
        + '<li><a href="news.html">某某县召开2020年度工作会议</a></li>'
        + '<li><a href="tz.html">关于做好2023年政府信息公开工作年度报告编制工作的通知</a></li>'
    )
    server.page("/list/", f"<html><body><ul>{items}</ul></body></html>")
    add_reports(server, range(1, 2))
    run_crawl(config_for(server), tmp_path, settings=FAST)
    assert list(stored(tmp_path)) == [server.url("/list/r1.html")]
    assert (
        server.hits("/list/jd.html")
        == server.hits("/list/news.html")
        == server.hits("/list/tz.html")
        == 0
    )


def test_gbk_listing_without_any_charset_declaration_is_read(server, tmp_path):
    html = f"<html><body><ul>{li(1)}</ul></body></html>"
    server.route("/list/", Reply(html.encode("gbk"), content_type="text/html"))
    add_reports(server, range(1, 2))
    run_crawl(config_for(server), tmp_path, settings=FAST)
    with CrawlState(tmp_path / "state.sqlite") as state:
        assert state.get(server.url("/list/r1.html"))["title"] == title(1)


def test_gb2312_pages_are_read_as_gb18030_and_their_bytes_stored_untouched(server, tmp_path):
    # 镕 is outside GB2312 but in GBK/GB18030: pages declared gb2312 carry such characters.
    listing = f"<html><head><meta charset=gb2312></head><body><ul>{li(1)}</ul></body></html>"
    report = REPORT_BODY.format(title=title(1) + "（朱镕基路）").encode("gb18030")
    server.route("/list/", Reply(listing.encode("gb18030"), content_type="text/html"))
    server.route("/list/r1.html", Reply(report, content_type="text/html; charset=GB2312"))
    run_crawl(config_for(server), tmp_path, settings=FAST)
    sha = stored(tmp_path, "report")[server.url("/list/r1.html")]
    assert RawStore(tmp_path / "raw").get(sha) == report


def test_attachments_are_stored_and_linked_to_their_report_page(server, tmp_path):
    items = li(1) + li(2) + li(3, "r3.pdf")
    server.page("/list/", f"<html><body><ul>{items}</ul></body></html>")
    full_page = REPORT_BODY.format(title=title(1)).replace(
        "</body>",
        f'<a href="./P020240126.pdf">{title(1)}.pdf</a><a href="./P020240126.ofd">{title(1)}.ofd</a>'
        '<a href="./form.doc">附件2：政府信息公开申请表.doc</a></body>',
    )
    stub_page = (
        "<html><body><p>见附件。</p><script>document.write('<a href=\"./P0stub.pdf\">附件下载</a>');"
        "</script></body></html>"
    )
    server.page("/list/r1.html", full_page)
    server.page("/list/r2.html", stub_page)
    for path in ("/list/P020240126.pdf", "/list/P0stub.pdf", "/list/r3.pdf"):
        server.route(path, Reply(b"%PDF-1.7 " + path.encode(), content_type="application/pdf"))
    server.route("/list/P020240126.ofd", Reply(b"PK\x03\x04ofd", content_type="application/ofd"))
    run_crawl(config_for(server), tmp_path, settings=FAST)
    with CrawlState(tmp_path / "state.sqlite") as state:
        docs = {d.url: d for d in state.documents()}
    assert docs[server.url("/list/P020240126.pdf")].kind == "attachment"
    assert docs[server.url("/list/P020240126.pdf")].parent_url == server.url("/list/r1.html")
    assert docs[server.url("/list/P020240126.ofd")].kind == "attachment"
    assert docs[server.url("/list/P0stub.pdf")].parent_url == server.url("/list/r2.html")
    assert docs[server.url("/list/r3.pdf")].kind == "report"  # a list item linking to a file
    assert server.hits("/list/form.doc") == 0
    raw = RawStore(tmp_path / "raw")
    assert raw.get(docs[server.url("/list/r3.pdf")].sha256) == b"%PDF-1.7 /list/r3.pdf"


def test_a_report_page_too_large_to_read_in_the_event_loop_still_has_its_links_followed(
    server, tmp_path
):
    server.page("/list/", f"<html><body><ul>{li(1)}</ul></body></html>")
    filler = "<p>本机关坚持以公开为常态、不公开为例外。</p>" * (READ_IN_LOOP_BYTES // 40)
    page = REPORT_BODY.format(title=title(1)).replace(
        "</body>", f'{filler}<a href="./P0big.pdf">{title(1)}.pdf</a></body>'
    )
    assert len(page.encode()) > READ_IN_LOOP_BYTES  # read in a thread
    server.page("/list/r1.html", page)
    server.route("/list/P0big.pdf", Reply(b"%PDF-1.7 big", content_type="application/pdf"))
    run_crawl(config_for(server), tmp_path, settings=FAST)
    assert server.url("/list/P0big.pdf") in stored(tmp_path, "attachment")


def test_site_metadata_is_recorded_in_the_state(server, tmp_path):
    server.page("/list/", "<html><body>empty</body></html>")
    config = config_for(server, {"province": "湖南省", "level": "county"})
    run_crawl(config, tmp_path, settings=FAST)
    with CrawlState(tmp_path / "state.sqlite") as state:
        site = state.sites()["s0"]
    assert site["agency"] == "某某县民政局" and site["agency_kind"] == "department"
    assert site["province"] == "湖南省" and site["level"] == "county"


# --- incremental runs ---------------------------------------------------------------------------
def test_second_run_is_conditional_and_does_not_refetch_stored_reports(server, tmp_path):
    page1 = f"<html><body><ul>{li(1)}{li(2)}</ul><a href='p2.html'>下一页</a></body></html>"
    server.route("/list/", conditional(page1, '"v1"'))
    server.route(
        "/list/p2.html", conditional(f"<html><body><ul>{li(3)}</ul></body></html>", '"p2"')
    )
    add_reports(server, range(1, 5))
    config = config_for(server)
    first = run_crawl(config, tmp_path, settings=FAST)
    assert first.total("report", "new") == 3
    second = run_crawl(config, tmp_path, settings=FAST)
    assert server.seen("/list/")[-1].headers.get("if-none-match") == '"v1"'
    assert second.total("listing", "unchanged") == 1 and second.total("report", "new") == 0
    assert all(server.hits(f"/list/r{n}.html") == 1 for n in range(1, 4))
    assert server.hits("/list/p2.html") == 1  # a quiet first page: no deeper pages needed

    newer = f"<html><body><ul>{li(4)}{li(1)}</ul><a href='p2.html'>下一页</a></body></html>"
    server.route("/list/", conditional(newer, '"v2"'))
    third = run_crawl(config, tmp_path, settings=FAST)
    assert third.total("report", "new") == 1 and title(4) in third.format()
    assert server.hits("/list/r4.html") == 1 and server.hits("/list/r1.html") == 1

    run_crawl(config, tmp_path, settings=FAST, full=True)
    assert server.hits("/list/r1.html") == 2
    assert "if-none-match" not in server.seen("/list/")[-1].headers


def test_request_budget_leaves_the_rest_pending_for_the_next_run(server, tmp_path):
    server.page("/list/", f"<html><body><ul>{li(1)}{li(2)}{li(3)}</ul></body></html>")
    add_reports(server, range(1, 4))
    config = config_for(server, {"max_requests": 2})
    summary = run_crawl(config, tmp_path, settings=FAST)
    assert len(stored(tmp_path)) == 1 and "next run" in summary.format()
    run_crawl(config, tmp_path, settings=FAST)
    run_crawl(config, tmp_path, settings=FAST)
    assert len(stored(tmp_path)) == 3
    assert all(server.hits(f"/list/r{n}.html") == 1 for n in range(1, 4))


# --- failures and exit status --------------------------------------------------------------------
def test_exit_status_is_1_when_a_site_fails_entirely(server, tmp_path):
    server.page("/list/", f"<html><body><ul>{li(1)}{li(2)}</ul></body></html>")
    add_reports(server, range(1, 2))  # r2 is missing: a page failure, not a site failure
    config = config_for(server, {}, {"listing": server.url("/gone/")})
    summary = run_crawl(config, tmp_path, settings=FAST)
    by_site = {s.site: s for s in summary.sites}
    assert not by_site["s0"].failed_entirely and by_site["s0"].get("report", "failed") == 1
    assert by_site["s1"].failed_entirely and summary.exit_status == 1
    assert "FAILED" in summary.format()
    only_good = run_crawl(config, tmp_path, settings=FAST, site_ids=["s0"])
    assert only_good.exit_status == 0


def test_a_full_disk_ends_the_crawl_with_exit_status_3_saying_it_did_not_complete(server, tmp_path):
    import base64

    from small_disk import small_disk

    server.page("/list/", "<html><body><ul>" + "".join(li(n) for n in range(1, 41)) + "</ul>")
    for n in range(1, 41):  # 40 reports of ~60 KB that do not compress: 2 MB for a 1 MB disk
        noise = base64.b64encode(os.urandom(45_000)).decode()
        server.page(f"/list/r{n}.html", REPORT_BODY.format(title=title(n)) + noise)
    with small_disk(tmp_path / "raw", "1m"):
        summary = run_crawl(config_for(server), tmp_path, settings=FAST)
        assert summary.exit_status == 3 and summary.storage_error
        assert "No space left on device" in summary.storage_error
        assert "THE CRAWL DID NOT COMPLETE" in summary.format()
        kept = stored(tmp_path, "report")
        assert 0 < len(kept) < 40  # what fit is stored and recorded, nothing more
        assert all(RawStore(tmp_path / "raw").has(sha) for sha in kept.values())


def test_robots_disallow_of_the_whole_site_blocks_it(server, tmp_path):
    server.route("/robots.txt", Reply("User-agent: *\nDisallow: /\n", content_type="text/plain"))
    server.page("/list/", f"<html><body><ul>{li(1)}</ul></body></html>")
    summary = run_crawl(config_for(server), tmp_path, settings=FAST)
    assert server.hits("/list/") == 0
    assert summary.sites[0].get("listing", "blocked") == 1 and summary.exit_status == 1


def test_a_challenge_page_is_recorded_as_blocked_and_not_stored(server, tmp_path):
    stub = "<html><script>document.cookie='__jsluid_s=1';location.href=location.pathname</script></html>"
    server.route("/list/", Reply(stub, status=521))
    summary = run_crawl(config_for(server), tmp_path, settings=FAST)
    with CrawlState(tmp_path / "state.sqlite") as state:
        row = state.get(server.url("/list/"))
    assert row["status"] == "blocked" and row["sha256"] is None and "jsl" in row["last_error"]
    assert summary.sites[0].get("listing", "blocked") == 1 and server.hits("/list/") == 1


def test_a_challenge_on_robots_txt_leaves_the_site_blocked_naming_the_challenge(server, tmp_path):
    stub = "<html><script>document.cookie='__jsluid_s=1';location.href=location.pathname</script></html>"
    server.route("/robots.txt", Reply(stub, status=521))
    server.page("/list/", f"<html><body><ul>{li(1)}</ul></body></html>")
    summary = run_crawl(config_for(server), tmp_path, settings=FAST)
    seen = site_coverage(tmp_path)["s0"]
    assert seen.status == "blocked" and summary.sites[0].get("listing", "blocked") == 1
    explained = seen.explain_missing(2021)
    assert explained.startswith("no report: site blocked in the crawl (blocked on robots.txt: jsl")
    assert "unreachable" not in explained and server.hits("/list/") == 0


# --- the lock and resuming -------------------------------------------------------------------------
def test_two_crawls_of_one_folder_cannot_run_at_once(server, tmp_path):
    listing_held = server.gate()  # the first crawl is mid-way until the test lets it go on
    server.route("/list/", Reply(f"<html><body><ul>{li(1)}</ul></body></html>", hold=listing_held))
    add_reports(server, range(1, 2))
    config = config_for(server)
    first = threading.Thread(target=run_crawl, args=(config, tmp_path), kwargs={"settings": FAST})
    first.start()
    try:
        _wait_until(lambda: server.hits("/list/") == 1, "the first crawl to ask for the listing")
        with pytest.raises(LockedError, match=f"pid {os.getpid()}"):
            run_crawl(config, tmp_path, settings=FAST)
    finally:
        listing_held.set()
        first.join()
    assert len(stored(tmp_path)) == 1


def _wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll for something that must happen; the deadline only stops a broken test hanging."""
    deadline = time.monotonic() + 60
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.01)


def test_a_crawl_killed_midway_resumes_without_refetching(server, tmp_path):
    items = "".join(li(n) for n in range(1, 7))
    server.page("/list/", f"<html><body><ul>{items}</ul></body></html>")
    # Two reports are answered at once; the rest wait until the crawl has been killed.
    held, answered = server.gate(), itertools.count()

    def report(n: int) -> Callable[[dict[str, str]], Reply]:
        def answer(_headers: dict[str, str]) -> Reply:
            body = REPORT_BODY.format(title=title(n))
            return Reply(body) if next(answered) < 2 else Reply(body, hold=held)

        return answer

    for n in range(1, 7):
        server.route(f"/list/r{n}.html", report(n))
    toml = tmp_path / "sites.toml"
    toml.write_text(
        f'[[site]]\nid = "s0"\nagency = "某某县民政局"\nlisting = "{server.url("/list/")}"\n'
        "allow_private_addresses = true\nconcurrency = 1\n",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    code = (
        "import sys; from govscrape.crawl.config import load_config; from govscrape.crawl.crawler import run_crawl;"
        "from govscrape.crawl.settings import CrawlSettings;"
        "run_crawl(load_config(sys.argv[1]), sys.argv[2],"
        " settings=CrawlSettings(per_host_delay_s=0, commit_interval_s=0.1))"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-c", code, str(toml), str(data)], env=env)
    try:
        before = _wait_for_stored(data, at_least=2, proc=proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        held.set()
    assert len(before) == 2
    assert (data / "crawl.lock").read_text().split()[0] == str(proc.pid)  # a stale lock left behind

    from govscrape.crawl.config import load_config

    summary = run_crawl(load_config(toml), data, settings=FAST)
    assert len(stored(data)) == 6 and summary.exit_status == 0
    for url in before:
        assert server.hits(url.removeprefix(server.base)) == 1


def _wait_for_stored(data: Path, at_least: int, proc: subprocess.Popen) -> dict[str, str]:
    deadline = time.monotonic() + 60  # only stops a broken test hanging
    while time.monotonic() < deadline and proc.poll() is None:
        db = data / "state.sqlite"
        if db.exists():
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
                    rows = con.execute(
                        "SELECT url, sha256 FROM urls WHERE kind = 'report' AND sha256 IS NOT NULL"
                    ).fetchall()
            except sqlite3.OperationalError:
                rows = []
            if len(rows) >= at_least:
                return dict(rows)
        time.sleep(0.02)
    raise AssertionError("the crawl did not store reports in time")


def test_a_listing_that_moved_by_meta_refresh_is_followed(server, tmp_path):
    server.page(
        "/list/", '<html><head><meta http-equiv="refresh" content="0;url=/new/"></head></html>'
    )
    server.page("/new/", f"<html><body><ul>{li(1)}</ul></body></html>")
    add_reports(server, range(1, 2), "/new/")
    run_crawl(config_for(server), tmp_path, settings=FAST)
    assert list(stored(tmp_path)) == [server.url("/new/r1.html")]


# --- listings paginated by script --------------------------------------------------------------
def script_listing(numbers: range, stated: int) -> str:
    items = "".join(li(n) for n in numbers)
    script = f"listModel({{ pageIndex: 1, pageSize: 10, recordCount: '{stated}', tmpl: 'x' }});"
    return f"<html><body><ul>{items}</ul><script>{script}</script></body></html>"


def truncations(data: Path) -> list[tuple[str, int, int]]:
    with CrawlState(data / "state.sqlite") as state:
        return [(r["url"], r["expected"], r["found"]) for r in state.findings()]


def test_a_column_stating_more_items_than_its_static_page_is_a_truncation_finding(server, tmp_path):
    server.page("/list/", script_listing(range(1, 11), 20))
    add_reports(server, range(1, 11))
    summary = run_crawl(config_for(server), tmp_path, settings=FAST)
    assert truncations(tmp_path) == [(server.url("/list/"), 20, 10)]
    assert server.hits("/list/index_1.html") == 1  # the static page was looked for, once
    assert summary.sites[0].get("listing", "failed") == 0 and summary.exit_status == 0
    assert any("states 20 items, 10 reached" in note for note in summary.sites[0].notes)
    with CrawlState(tmp_path / "state.sqlite") as state:
        assert state.get(server.url("/list/index_1.html")) is None  # a guess leaves no row
    explained = site_coverage(tmp_path)["s0"].explain_missing(2003)
    assert "states 20 items, 10 reached" in explained and "unreachable" in explained


def test_a_static_next_page_of_a_script_column_is_followed_and_clears_the_finding(server, tmp_path):
    server.page("/list/", script_listing(range(1, 11), 20))
    add_reports(server, range(1, 11))
    run_crawl(config_for(server), tmp_path, settings=FAST)
    assert len(truncations(tmp_path)) == 1
    server.page("/list/index_1.html", script_listing(range(11, 21), 20))  # the portal adds it
    add_reports(server, range(11, 21))
    run_crawl(config_for(server), tmp_path, settings=FAST)
    assert len(stored(tmp_path)) == 20 and truncations(tmp_path) == []


def test_a_script_pager_whose_next_page_fails_is_a_truncation_in_pages(server, tmp_path):
    pager_script = '<script>createPageHTML(3, 0, "index", "html");</script>'
    server.page("/list/", f"<html><body><ul>{li(1)}</ul>{pager_script}</body></html>")
    server.page("/list/index_1.html", f"<html><body><ul>{li(2)}</ul></body></html>")
    add_reports(server, range(1, 3))  # index_2.html (page 3) is missing
    run_crawl(config_for(server), tmp_path, settings=FAST)
    assert truncations(tmp_path) == [(server.url("/list/"), 3, 2)]


# --- corrections in place: revalidation -------------------------------------------------------------
def age_checks(data: Path, days: int) -> None:
    """Make every stored document look last checked `days` ago (a month passing)."""
    with sqlite3.connect(data / "state.sqlite") as con:
        con.execute(
            "UPDATE urls SET last_fetched = datetime('now', ?) WHERE sha256 IS NOT NULL",
            (f"-{days} days",),
        )


def test_a_report_corrected_in_place_is_fetched_again_and_kept_beside_the_old(server, tmp_path):
    server.page("/list/", f"<html><body><ul>{li(1)}</ul></body></html>")
    first = REPORT_BODY.format(title=title(1))
    server.route("/list/r1.html", conditional(first, '"v1"'))
    run_crawl(config_for(server), tmp_path, settings=FAST)
    before = stored(tmp_path)[server.url("/list/r1.html")]
    quiet = run_crawl(config_for(server), tmp_path, settings=FAST)  # checked a night ago: left
    assert quiet.sites[0].checked == 0 and server.hits("/list/r1.html") == 1
    age_checks(tmp_path, 31)
    server.route(
        "/list/r1.html", conditional(first.replace("一、总体情况", "一、总体情况（更正）"), '"v2"')
    )
    summary = run_crawl(config_for(server), tmp_path, settings=FAST)
    assert server.seen("/list/r1.html")[-1].headers["if-none-match"] == '"v1"'
    after = stored(tmp_path)[server.url("/list/r1.html")]
    assert after != before and RawStore(tmp_path / "raw").has(before)  # the old bytes are kept
    assert (summary.sites[0].checked, summary.sites[0].corrected) == (1, 1)
    assert "revalidated: 1, changed: 1" in summary.format()
    age_checks(tmp_path, 31)
    unchanged = run_crawl(config_for(server), tmp_path, settings=FAST)
    assert server.seen("/list/r1.html")[-1].headers["if-none-match"] == '"v2"'  # a 304 now
    assert (unchanged.sites[0].checked, unchanged.sites[0].corrected) == (1, 0)
    assert stored(tmp_path)[server.url("/list/r1.html")] == after


def test_revalidation_takes_a_night_s_share_oldest_first(tmp_path):
    with CrawlState(tmp_path / "state.sqlite") as state:
        for n in range(60):
            url = f"http://a.gov.cn/r{n}.html"
            state.discover(url, "s", "report")
            state.record_fetch(url, status="ok", sha256=f"{n:064x}")
        state.db.execute(
            "UPDATE urls SET last_fetched = datetime('now', '-' || (40 + rowid % 7) || ' days')"
        )
        due = [r["url"] for r in state.due_for_revalidation("s", 30, 100)]
        assert len(due) == 2  # 60 stored over 30 days
        oldest = state.db.execute("SELECT url FROM urls ORDER BY last_fetched, rowid LIMIT 2")
        assert due == [r[0] for r in oldest]
        assert len(state.due_for_revalidation("s", 30, 1)) == 1  # the per-night cap
        assert state.due_for_revalidation("s", 0, 100) == []  # 0: never
        state.db.execute("UPDATE urls SET last_fetched = datetime('now', '-3 days')")
        assert state.due_for_revalidation("s", 30, 100) == []  # all checked this month


# --- one document, one URL -------------------------------------------------------------------------
def test_a_redirect_chain_and_a_direct_link_keep_the_report_once(server, tmp_path):
    # The column links an old address (hop1 -> hop2 -> the page) and, on its second page, the
    # page itself: one report, kept under the page's own URL.
    server.page("/list/", f"<html><body><ul>{li(1, '/old/r1.html')}</ul>{pager('next_link', 1, 2)}")
    server.page("/list/p2.html", f"<html><body><ul>{li(1, '/list/r1.html')}</ul></body></html>")
    server.route("/old/r1.html", Reply("", status=301, headers={"Location": "/mid/r1.html"}))
    server.route("/mid/r1.html", Reply("", status=302, headers={"Location": "/list/r1.html"}))
    add_reports(server, range(1, 2))
    run_crawl(config_for(server), tmp_path, settings=FAST)
    assert list(stored(tmp_path)) == [server.url("/list/r1.html")]
    hits = server.hits("/list/r1.html")
    run_crawl(config_for(server), tmp_path, settings=FAST)  # and stays so the next night
    assert list(stored(tmp_path)) == [server.url("/list/r1.html")]
    assert server.hits("/list/r1.html") == hits and server.hits("/old/r1.html") == 1


def test_the_same_bytes_at_two_addresses_are_one_document(server, tmp_path):
    links = li(1, "r1.html") + li(1, "r1.html?from=list")
    server.page("/list/", f"<html><body><ul>{links}</ul></body></html>")
    add_reports(server, range(1, 2))
    server.page("/list/r1.html?from=list", REPORT_BODY.format(title=title(1)))
    summary = run_crawl(config_for(server), tmp_path, settings=FAST)
    assert len(stored(tmp_path)) == 1
    assert summary.sites[0].new_count == 1


def test_a_report_link_to_a_moving_stub_keeps_the_page_it_moves_on_to(server, tmp_path):
    stub = '<html><head><meta http-equiv="refresh" content="0;url=/list/r1.html"></head></html>'
    server.page("/list/", f"<html><body><ul>{li(1, '/stub/r1.html')}</ul></body></html>")
    server.page("/stub/r1.html", stub)
    add_reports(server, range(1, 2))
    run_crawl(config_for(server), tmp_path, settings=FAST)
    assert list(stored(tmp_path)) == [server.url("/list/r1.html")]


def test_a_json_list_api_is_paged_and_its_reports_fetched(server, tmp_path):
    import json

    def api_page(numbers: list[int]) -> Reply:
        articles = [{"title": title(n), "url": f"/content/post_{n}.html"} for n in numbers]
        return Reply(
            json.dumps({"total": 3, "articles": articles}), content_type="application/json"
        )

    server.route("/gkmlpt/api/all/0?page=1&sid=2", api_page([1, 2]))
    server.route("/gkmlpt/api/all/0?page=2&sid=2", api_page([3]))
    for n in range(1, 4):
        server.page(f"/content/post_{n}.html", REPORT_BODY.format(title=title(n)))
    config = config_for(server, {"listing": server.url("/gkmlpt/api/all/0?page=1&sid=2")})
    run_crawl(config, tmp_path, settings=FAST)
    assert len(stored(tmp_path, "report")) == 3


# --- Hanweb jpage, scheme fallback, summary --------------------------------------------------------
JPAGE_PROXY = "/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=7&path=%2F&columnid=1229001"


def jpage_record(n: int) -> str:
    return f'<record><![CDATA[<li><a href="/art/2024/1/2/art_1229001_{n}.html" title="{title(n)}">{title(n)}</a></li>]]></record>'


def test_hanweb_jpage_column_is_read_through_dataproxy_to_totalrecord(server, tmp_path):
    column = (
        "<html><body><div id='77'><script type='text/xml'><datastore><nextgroup><![CDATA["
        f'<a href="{JPAGE_PROXY}"></a>]]></nextgroup><recordset>'
        + jpage_record(1) + jpage_record(2)
        + "</recordset></datastore></script></div><script>$('#77').jpage({totalRecord: 5,"
        " perPage: 1, groupSize: 2, proxyUrl: '/module/web/jpage/dataproxy.jsp'});</script>"
        "</body></html>"
    )  # fmt: skip
    server.page("/col/col1229001/index.html", column)
    for start, numbers in ((3, (3, 4)), (5, (5,))):
        answer = (
            "<?xml version='1.0' encoding='UTF-8'?><datastore><recordset>"
            + "".join(map(jpage_record, numbers))
            + "</recordset><totalrecord>5</totalrecord></datastore>"
        )
        query = f"&startrecord={start}&endrecord={start + 1}&perpage=1"
        server.route(JPAGE_PROXY + query, Reply(answer, content_type="text/xml;charset=UTF-8"))
    for n in range(1, 6):
        server.page(f"/art/2024/1/2/art_1229001_{n}.html", REPORT_BODY.format(title=title(n)))
    config = config_for(server, {"listing": server.url("/col/col1229001/index.html")})
    summary = run_crawl(config, tmp_path, settings=FAST)
    assert len(stored(tmp_path, "report")) == 5 and summary.exit_status == 0
    assert server.hits("/col/col1229001/index_1.html") == 0
    assert server.hits(JPAGE_PROXY + "&startrecord=7&endrecord=8&perpage=1") == 0


def test_a_host_refusing_tls_is_crawled_over_http_and_stored_under_http(server, tmp_path):
    server.page("/list/", f"<html><body><ul>{li(1)}</ul></body></html>")
    add_reports(server, range(1, 2))
    https_listing = server.url("/list/").replace("http://", "https://")
    config = config_for(server, {"listing": https_listing})
    summary = run_crawl(config, tmp_path, settings=FAST)
    assert summary.exit_status == 0
    assert list(stored(tmp_path)) == [server.url("/list/r1.html")]
    with CrawlState(tmp_path / "state.sqlite") as state:
        assert state.get(https_listing) is None and state.get(server.url("/list/"))
        assert state.scheme_swaps() == {f"https://127.0.0.1:{server.port}": server.base}
    # The next night goes straight to http: one request for the listing, nothing refetched.
    before = len(server.requests)
    run_crawl(config, tmp_path, settings=FAST)
    assert [r.path for r in server.requests[before:]] == ["/robots.txt", "/list/"]


def test_summary_counts_attachments_apart_from_report_pages(server, tmp_path):
    page = REPORT_BODY.format(title=title(1)).replace(
        "</body>", f'<a href="./P01.pdf">{title(1)}.pdf</a></body>'
    )
    server.page("/list/", f"<html><body><ul>{li(1)}{li(2)}</ul></body></html>")
    server.page("/list/r1.html", page)
    server.route("/list/P01.pdf", Reply(b"%PDF-1.4 x", content_type="application/pdf"))
    summary = run_crawl(config_for(server, {}, {}), tmp_path, settings=FAST)
    site = summary.sites[0]
    assert (site.get("report", "new"), site.get("report", "failed")) == (1, 1)
    assert site.get("attachment", "new") == 1
    text = summary.format()
    header, _, row = text.splitlines()[:3]
    assert header.split() == ["site", "listing", "pages", "report", "pages", "attachments"]
    assert row.split()[1:4] == ["1/1/0/0/0", "2/1/0/1/0", "1/1/0/0/0"]
    assert "total" in text and "cells: seen/new/unch/fail/blk" in text


def test_urls_skipped_behind_a_challenged_host_keep_their_tries_for_later_nights(server, tmp_path):
    items = "".join(li(n) for n in range(1, 4))
    server.page("/list/", f"<html><body><ul>{items}</ul></body></html>")
    stub = "<html><script>document.cookie='__jsluid_s=1';location.href=location.pathname</script></html>"
    server.route("/list/r1.html", Reply(stub, status=521))
    config = config_for(server, {"concurrency": 1})
    for _night in range(3):
        run_crawl(config, tmp_path, settings=FAST)
    with CrawlState(tmp_path / "state.sqlite") as state:
        first, *rest = (state.get(server.url(f"/list/r{n}.html")) for n in range(1, 4))
    assert first["status"] == "blocked" and first["tries"] == 3
    assert all(r["status"] == "blocked" and r["tries"] == 0 for r in rest)
    assert all(r["first_fetched"] is None for r in rest)
    assert server.hits("/list/r2.html") == server.hits("/list/r3.html") == 0
