"""Fetching against real HTTP servers on 127.0.0.1: retries, limits, redirects, blocks, robots."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator

import pytest
from crawl_server import Reply, ScriptedServer, conditional

from govscrape.config import SiteConfig
from govscrape.encoding import decode_bytes
from govscrape.fetch import Fetcher, FetchResult, make_client
from govscrape.settings import CrawlSettings

FAST = CrawlSettings(
    per_host_delay_s=0.0,
    backoff_initial_s=0.01,
    backoff_max_s=0.05,
    connect_timeout_s=1.0,
    read_timeout_s=0.3,
    max_tries=3,
)
CHALLENGE_521 = (
    "<html><body><script>document.cookie=('__jsl_clearance_s=1700000000.1|0|abc');"
    "location.href=location.pathname+location.search</script></body></html>"
)
CHALLENGE_412 = (
    "<html><head><meta id='x1' content='seed' r='m'><script r='m'>$_ts=window['$_ts'];"
    'if(!$_ts)$_ts={};$_ts.nsd=1;$_ts.cd="qq"</script><script src="/a1b2c3.js"></script>'
    "</head><body></body></html>"
)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    srv = ScriptedServer().start()
    yield srv
    srv.stop()


def site_for(srv: ScriptedServer, **overrides: object) -> SiteConfig:
    fields: dict[str, object] = {
        "id": "t",
        "agency": "某某县民政局",
        "listing_urls": (srv.url("/"),),
        "allowed_domains": ("127.0.0.1",),
        "allow_private_addresses": True,
    }
    fields.update(overrides)
    return SiteConfig(**fields)  # type: ignore[arg-type]


def fetch_all(
    srv: ScriptedServer, paths: list[str], settings: CrawlSettings = FAST, **site: object
) -> tuple[list[FetchResult], Fetcher]:
    async def go() -> tuple[list[FetchResult], Fetcher]:
        async with make_client(settings) as client:
            fetcher = Fetcher(client, settings)
            target = site_for(srv, **site)
            results = [await fetcher.fetch(srv.url(p), target) for p in paths]
            return results, fetcher

    return asyncio.run(go())


def fetch_one(srv: ScriptedServer, path: str, settings: CrawlSettings = FAST, **site: object):
    return fetch_all(srv, [path], settings, **site)[0][0]


def test_gbk_page_without_charset_header_is_kept_as_bytes_and_decodes(server):
    raw = (
        "<html><head><meta charset=gb2312></head><body>2023年政府信息公开工作年度报告</body></html>"
    )
    server.route("/gbk.html", Reply(raw.encode("gbk"), content_type="text/html"))
    result = fetch_one(server, "/gbk.html")
    assert result.ok and result.content == raw.encode("gbk")
    text, encoding = decode_bytes(result.content, result.content_type)
    assert "年度报告" in text and encoding == "gb18030"


def test_server_error_that_recovers_is_retried(server):
    server.route("/p", Reply("oops", status=500), Reply("down", status=503), Reply("fine"))
    result = fetch_one(server, "/p")
    assert result.ok and result.content == b"fine"
    assert result.tries == 3 and server.hits("/p") == 3


def test_persistent_server_error_fails_after_bounded_tries_with_reason(server):
    server.route("/p", Reply("oops", status=500))
    result = fetch_one(server, "/p")
    assert result.status == "failed" and result.error == "HTTP 500"
    assert server.hits("/p") == FAST.max_tries


def test_timeout_is_retried_then_recorded_as_failure(server):
    server.route("/slow", Reply("late", delay=0.6))
    result = fetch_one(server, "/slow")
    assert result.status == "failed" and "timeout" in (result.error or "")
    assert server.hits("/slow") == FAST.max_tries


def test_429_retry_after_is_honoured(server):
    server.route("/p", Reply("slow down", status=429, headers={"Retry-After": "1"}), Reply("ok"))
    result = fetch_one(server, "/p")
    first, second = server.seen("/p")
    assert result.ok and second.at - first.at >= 0.9


def test_retry_after_beyond_the_cap_skips_the_host_for_the_run(server):
    server.route("/a", Reply("come back tomorrow", status=429, headers={"Retry-After": "86400"}))
    server.page("/b", "fine")
    settings = CrawlSettings(
        per_host_delay_s=0, backoff_initial_s=0.01, backoff_max_s=0.05, max_retry_after_s=5.0
    )
    (a, b), _ = fetch_all(server, ["/a", "/b"], settings)
    assert a.status == "failed" and server.hits("/a") == 1
    assert b.status == "failed" and "skipped for this run" in (b.error or "")
    assert server.hits("/b") == 0


def test_404_is_not_retried(server):
    result = fetch_one(server, "/gone.html")
    assert result.status == "failed" and result.http_status == 404
    assert server.hits("/gone.html") == 1


def test_redirect_chain_within_the_site_is_followed(server):
    server.route("/old/", Reply("", status=301, headers={"Location": "/mid/"}))
    server.route("/mid/", Reply("", status=302, headers={"Location": server.url("/new/")}))
    server.page("/new/", "<html><body>the list</body></html>")
    result = fetch_one(server, "/old/")
    assert result.ok and b"the list" in (result.content or b"")
    assert result.final_url == server.url("/new/") and result.url == server.url("/old/")


def test_redirect_loop_is_detected(server):
    server.route("/x", Reply("", status=302, headers={"Location": "/y"}))
    server.route("/y", Reply("", status=302, headers={"Location": "/x"}))
    result = fetch_one(server, "/x")
    assert result.status == "failed" and "redirect loop" in (result.error or "")
    assert server.hits("/x") == 1 and server.hits("/y") == 1


def test_redirect_outside_the_allowed_domains_is_not_followed(server):
    elsewhere = f"http://localhost:{server.port}/page"
    server.route("/x", Reply("", status=302, headers={"Location": elsewhere}))
    result = fetch_one(server, "/x")
    assert result.status == "failed" and "outside" in (result.error or "")
    assert server.hits("/page") == 0


def test_redirect_of_a_column_to_the_home_page_is_a_soft_404(server):
    server.route("/zfxxgknb/", Reply("", status=301, headers={"Location": "/"}))
    server.page("/", "<html><body>home</body></html>")
    result = fetch_one(server, "/zfxxgknb/")
    assert result.status == "blocked" and "home page" in (result.error or "")


def test_521_js_challenge_is_blocked_not_retried_and_the_host_is_left_alone(server):
    server.route("/list/", Reply(CHALLENGE_521, status=521))
    server.page("/other/", "<html><body>content</body></html>")
    (first, second), _ = fetch_all(server, ["/list/", "/other/"])
    assert first.status == "blocked" and "jsl" in (first.error or "")
    assert server.hits("/list/") == 1
    assert second.status == "blocked" and server.hits("/other/") == 0


def test_412_rs_challenge_is_blocked(server):
    server.route("/list/", Reply(CHALLENGE_412, status=412))
    result = fetch_one(server, "/list/")
    assert result.status == "blocked" and "rs challenge" in (result.error or "")


def test_cloudflare_521_is_a_server_error_to_retry_not_a_challenge(server):
    server.route("/p", Reply("origin down", status=521, headers={"Server": "cloudflare"}))
    result = fetch_one(server, "/p")
    assert result.status == "failed" and server.hits("/p") == FAST.max_tries


def test_soft_404_page_with_status_200_is_blocked(server):
    server.page(
        "/p", "<html><head><title>404 页面不存在</title></head><body>返回首页</body></html>"
    )
    assert fetch_one(server, "/p").status == "blocked"


def test_robots_disallow_is_obeyed(server):
    robots = "User-agent: *\nDisallow: /private/\n"
    server.route("/robots.txt", Reply(robots, content_type="text/plain"))
    server.page("/private/r.html", "secret")
    server.page("/public/r.html", "fine")
    (private, public), _ = fetch_all(server, ["/private/r.html", "/public/r.html"])
    assert private.status == "robots" and server.hits("/private/r.html") == 0
    assert public.ok and server.hits("/robots.txt") == 1


def test_robots_opt_out_with_a_reason_fetches_anyway(server):
    server.route("/robots.txt", Reply("User-agent: *\nDisallow: /\n", content_type="text/plain"))
    server.page("/r.html", "fine")
    result = fetch_one(
        server, "/r.html", obey_robots=False, robots_reason="agreed with the webmaster"
    )
    assert result.ok and server.hits("/robots.txt") == 0


def test_html_robots_txt_means_no_rules(server):
    server.route("/robots.txt", Reply("<html><body>Disallow: /</body></html>"))
    server.page("/r.html", "fine")
    assert fetch_one(server, "/r.html").ok


def test_oversized_body_is_aborted(server):
    settings = CrawlSettings(per_host_delay_s=0, max_body_bytes=10_000)
    server.route("/big.pdf", Reply(b"%PDF" + b"x" * 50_000, content_type="application/pdf"))
    server.route("/big-chunked", Reply(b"y" * 50_000, chunked=True))
    (declared, streamed), _ = fetch_all(server, ["/big.pdf", "/big-chunked"], settings)
    assert declared.status == "failed" and "larger than 10000" in (declared.error or "")
    assert streamed.status == "failed" and streamed.content is None


def test_connection_reset_mid_body_is_retried(server):
    body = "<html><body>" + "年度报告" * 2000 + "</body></html>"
    server.route("/r.html", Reply(body, reset_after=100), Reply(body))
    result = fetch_one(server, "/r.html")
    assert result.ok and result.content == body.encode() and result.tries == 2


def test_connection_reset_every_time_fails_with_reason(server):
    server.route("/r.html", Reply("x" * 5000, reset_after=10))
    result = fetch_one(server, "/r.html")
    assert result.status == "failed" and "connection error" in (result.error or "")


def test_conditional_request_gets_not_modified(server):
    server.route("/list/", conditional("<html>list</html>", '"v1"'))

    async def go() -> FetchResult:
        async with make_client(FAST) as client:
            return await Fetcher(client, FAST).fetch(
                server.url("/list/"), site_for(server), etag='"v1"'
            )

    assert asyncio.run(go()).status == "not_modified"


def test_user_agent_names_the_project_and_a_contact_url(server):
    server.page("/p", "fine")
    fetch_one(server, "/p")
    agent = server.seen("/p")[0].headers["user-agent"]
    assert agent.startswith("govscrape/") and "+http" in agent


def test_private_addresses_are_refused_unless_the_site_allows_them(server):
    server.page("/p", "fine")
    result = fetch_one(server, "/p", allow_private_addresses=False)
    assert result.status == "failed" and server.hits("/p") == 0


def test_requests_to_one_host_are_spaced_by_the_minimum_delay(server):
    for i in range(3):
        server.page(f"/p{i}", "fine")
    settings = CrawlSettings(per_host_delay_s=0.2, per_host_concurrency=2)
    sent: list[float] = []

    async def note(request) -> None:  # when the client really sends, not when a busy server reads
        if request.url.path.startswith("/p"):
            sent.append(asyncio.get_running_loop().time())

    async def go() -> None:
        async with make_client(settings) as client:
            client.event_hooks["request"] = [note]
            fetcher = Fetcher(client, settings)
            site = site_for(server)
            await asyncio.gather(*(fetcher.fetch(server.url(f"/p{i}"), site) for i in range(3)))

    asyncio.run(go())
    assert len(sent) == 3
    assert all(b - a >= 0.19 for a, b in itertools.pairwise(sorted(sent)))


def test_slow_answers_make_the_host_slower(server):
    server.page("/slow", "fine", delay=0.1)
    settings = CrawlSettings(per_host_delay_s=0.01, slow_response_s=0.05, backoff_initial_s=0.02)
    results, fetcher = fetch_all(server, ["/slow"], settings)
    assert results[0].ok
    assert fetcher.hosts[server.base].delay > 0.01


def test_robots_crawl_delay_slows_the_host_down(server):
    robots = "User-agent: *\nCrawl-delay: 3\n"
    server.route("/robots.txt", Reply(robots, content_type="text/plain"))
    server.page("/p", "fine")
    results, fetcher = fetch_all(server, ["/p"])
    assert results[0].ok and fetcher.hosts[server.base].delay == 3.0


def test_a_host_name_resolving_to_a_private_address_is_refused(server, monkeypatch):
    server.page("/p", "fine")

    async def fake_getaddrinfo(self, host, port, *args, **kwargs):
        return [(2, 1, 6, "", ("10.1.2.3", 0))]

    monkeypatch.setattr(asyncio.base_events.BaseEventLoop, "getaddrinfo", fake_getaddrinfo)
    site = site_for(server, allowed_domains=("intranet.gov.cn",), allow_private_addresses=False)

    async def go() -> FetchResult:
        async with make_client(FAST) as client:
            return await Fetcher(client, FAST).fetch("http://intranet.gov.cn/p", site)

    result = asyncio.run(go())
    assert result.status == "failed" and "private address (10.1.2.3)" in (result.error or "")


def test_a_host_failing_the_tls_handshake_is_fetched_over_http_from_then_on(server):
    server.page("/a", "first")
    server.page("/b", "second")
    https = f"https://127.0.0.1:{server.port}"

    async def go() -> tuple[FetchResult, FetchResult, Fetcher]:
        async with make_client(FAST) as client:
            fetcher = Fetcher(client, FAST)
            site = site_for(server)
            return (
                await fetcher.fetch(https + "/a", site),
                await fetcher.fetch(https + "/b", site),
                fetcher,
            )

    a, b, fetcher = asyncio.run(go())
    assert a.ok and a.content == b"first" and a.final_url == server.url("/a")
    assert b.ok and b.final_url == server.url("/b") and b.tries == 1  # no second handshake try
    assert fetcher.scheme_swaps == {https: server.base}
    assert fetcher.canonical(https + "/c?x=1") == server.url("/c?x=1")
    assert server.hits("/a") == server.hits("/b") == 1


def test_a_host_answering_on_neither_scheme_fails_with_the_connection_error(server):
    import socket

    with socket.socket() as sock:  # a port with nothing listening: refused on both schemes
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    async def go(**site: object) -> tuple[FetchResult, Fetcher]:
        async with make_client(FAST) as client:
            fetcher = Fetcher(client, FAST)
            target = site_for(server, **site)
            return await fetcher.fetch(f"https://127.0.0.1:{port}/p", target), fetcher

    result, fetcher = asyncio.run(go())  # robots.txt gets no answer: a failure, not a refusal
    assert result.status == "failed" and "no answer from the host" in (result.error or "")
    assert "connection error" in (result.error or "") and fetcher.scheme_swaps == {}
    result, _ = asyncio.run(go(obey_robots=False, robots_reason="agreed with the webmaster"))
    assert result.status == "failed" and result.connect_failed
    assert result.tries == 1 + FAST.max_tries  # the other scheme once, then the usual retries
