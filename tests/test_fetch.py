"""Fetching against real HTTP servers on 127.0.0.1: retries, limits, redirects, blocks, robots."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpcore
import httpx
import pytest
from crawl_server import Reply, ScriptedServer, conditional

from govscrape.crawl.config import SiteConfig
from govscrape.crawl.fetch import Fetcher
from govscrape.crawl.fetch_result import FetchResult
from govscrape.crawl.http_exchange import make_client
from govscrape.crawl.settings import CrawlSettings
from govscrape.encoding import decode_bytes

# Timeouts generous enough that a loaded machine never turns a normal answer into a retry.
FAST = CrawlSettings(
    per_host_delay_s=0.0,
    backoff_initial_s=0.01,
    backoff_max_s=0.05,
    connect_timeout_s=10.0,
    read_timeout_s=10.0,
    max_tries=3,
)
UNCHECKED = {"obey_robots": False, "robots_reason": "agreed with the webmaster"}
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


@pytest.fixture
def other() -> Iterator[ScriptedServer]:
    """A second host (another port is another host to the fetcher)."""
    srv = ScriptedServer().start()
    yield srv
    srv.stop()


EVENT_LOOP_PASSES = 10


class VirtualClock:
    """Time for the fetcher that moves only when something sleeps on it, so the spacing of
    requests is checked exactly, whatever the load on the machine.

    With `autojump` a sleep ends at once with the clock moved to (at least) its end: every
    sleep ends when asked or later, which is all a real clock promises, so spacing that holds
    here holds for real. Without it, sleepers wait until the test calls `advance()`."""

    def __init__(self, *, autojump: bool = True) -> None:
        self.now = 0.0
        self.autojump = autojump
        self.sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        end = self.now + max(seconds, 0.0)
        if self.autojump:
            # Others run meanwhile, as during a real sleep: a request being written goes out
            # (a few passes of the loop) before time moves on.
            for _ in range(EVENT_LOOP_PASSES):
                await asyncio.sleep(0)
            self.now = max(self.now, end)
            return
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self.sleepers, (end, next(self._order), future))
        await future

    def advance(self) -> None:
        """Move time to the earliest sleeper's end and wake it."""
        end, _, future = heapq.heappop(self.sleepers)
        self.now = max(self.now, end)
        future.set_result(None)


class Sends:
    """A request hook noting (clock time, port, path) as the client sends each request."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.log: list[tuple[float, int, str]] = []

    async def __call__(self, request: httpx.Request) -> None:
        self.log.append((self.clock(), request.url.port or 0, request.url.raw_path.decode()))

    def times(self, srv: ScriptedServer, path: str | None = None) -> list[float]:
        return [t for t, port, p in self.log if port == srv.port and path in (None, p)]


def virtual_fetcher(
    client: httpx.AsyncClient, settings: CrawlSettings, clock: VirtualClock
) -> tuple[Fetcher, Sends]:
    sends = Sends(clock)
    client.event_hooks["request"] = [sends]
    return Fetcher(client, settings, clock=clock, sleep=clock.sleep), sends


def spacings(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(sorted(times))]


ROUNDING = 1e-9  # float arithmetic on virtual seconds, nothing to do with the machine's speed


def virtual(values: list[float]) -> object:
    return pytest.approx(values, abs=ROUNDING)


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
    server.route("/slow", Reply("never", hold=server.gate()))  # answered only after the test
    result = fetch_one(server, "/slow", replace(FAST, read_timeout_s=0.2))
    assert result.status == "failed" and "timeout" in (result.error or "")
    assert server.hits("/slow") == FAST.max_tries


def test_429_retry_after_is_honoured(server):
    server.route("/p", Reply("slow down", status=429, headers={"Retry-After": "30"}), Reply("ok"))

    async def go() -> tuple[FetchResult, Sends]:
        async with make_client(FAST) as client:
            fetcher, sends = virtual_fetcher(client, FAST, VirtualClock())
            return await fetcher.fetch(server.url("/p"), site_for(server, **UNCHECKED)), sends

    result, sends = asyncio.run(go())
    assert result.ok and result.tries == 2
    assert spacings(sends.times(server, "/p")) == virtual([30.0])


def test_retry_after_holds_back_the_other_requests_to_the_host(server):
    server.route("/a", Reply("slow down", status=429, headers={"Retry-After": "30"}), Reply("ok"))
    server.page("/b", "fine")

    async def go() -> Sends:
        async with make_client(FAST) as client:
            fetcher, sends = virtual_fetcher(client, FAST, VirtualClock())
            site = site_for(server, concurrency=1, **UNCHECKED)
            await asyncio.gather(
                fetcher.fetch(server.url("/a"), site), fetcher.fetch(server.url("/b"), site)
            )
            return sends

    sends = asyncio.run(go())
    assert sends.times(server, "/a")[0] == 0.0 and sends.times(server, "/b")[0] >= 30.0 - ROUNDING


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


def test_robots_wildcards_end_anchors_and_the_longest_match_are_obeyed(server):
    robots = (
        "User-agent: *\nDisallow: /\nAllow: /zwgk/\nDisallow: /*.pdf$\nDisallow: /*?searchword=\n"
    )
    server.route("/robots.txt", Reply(robots, content_type="text/plain"))
    paths = [
        "/zwgk/nb/index.html",
        "/zwgk/nb/2023.pdf",
        "/zwgk/s.jsp?searchword=nb",
        "/xwzx/a.html",
    ]
    for path in paths:
        server.page(path, "fine")
    results, _ = fetch_all(server, paths)
    assert [r.status for r in results] == ["ok", "robots", "robots", "robots"]
    assert [server.hits(p) for p in paths] == [1, 0, 0, 0]


def test_a_challenge_on_robots_txt_blocks_the_host_naming_the_challenge(server):
    server.route("/robots.txt", Reply(CHALLENGE_521, status=521))
    server.page("/p", "fine")
    server.page("/q", "fine")
    (p, q), _ = fetch_all(server, ["/p", "/q"])
    assert p.status == "blocked" and q.status == "blocked"
    assert (p.error or "").startswith("blocked on robots.txt: jsl challenge")
    assert "unreachable" not in (p.error or "") and server.hits("/p") + server.hits("/q") == 0
    assert server.hits("/robots.txt") == 1


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
    settings = replace(FAST, per_host_delay_s=2.0, per_host_concurrency=2)

    async def go() -> Sends:
        async with make_client(settings) as client:
            fetcher, sends = virtual_fetcher(client, settings, VirtualClock())
            site = site_for(server)
            await asyncio.gather(*(fetcher.fetch(server.url(f"/p{i}"), site) for i in range(3)))
            return sends

    sends = asyncio.run(go())
    assert sends.log[0][2] == "/robots.txt" and len(sends.log) == 4
    assert spacings(sends.times(server)) == virtual([2.0, 2.0, 2.0])


STALL_S = 0.45  # longer than the delay: the other request's turn comes before this one is sent


class WriteLog(httpcore.AsyncNetworkBackend):
    """The crawler's own network backend, noting when each write of a request to the socket
    began and ended (time.monotonic, the pacer's clock): the moment it goes on the wire."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self.inner = inner
        self.writes: list[tuple[float, float]] = []

    async def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _LoggedStream(await self.inner.connect_tcp(*args, **kwargs), self.writes)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class _LoggedStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream, writes: list) -> None:
        self.inner, self.writes = inner, writes

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        began = time.monotonic()
        await self.inner.write(buffer, timeout)
        if buffer:  # an empty end of a body is no request
            self.writes.append((began, time.monotonic()))

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self.inner.read(max_bytes, timeout)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


def test_the_spacing_holds_on_the_wire_when_the_loop_stalls_between_turn_and_send(server):
    """Every request to a host is written to its socket at least the delay after the previous
    one was, even when the event loop is busy (parsing a page) between a request's turn and its
    send. Measured at the socket on the pacer's clock, from the end of one write to the start
    of the next, so a loaded machine can only widen the gaps, never narrow them. Spacing counted
    from booked turns instead of the wire sends the next request right after a stalled one (the
    other request's turn came while this one stalled): gaps of well under a millisecond."""
    delay = 0.3
    for i in range(6):
        server.page(f"/p{i}", "fine")
    settings = replace(FAST, per_host_delay_s=delay, per_host_concurrency=2)

    async def stall_every_other(request: httpx.Request) -> None:
        if request.url.path.endswith(("1", "3", "5")):
            time.sleep(STALL_S)  # the loop blocked, as by a page being parsed

    async def go() -> tuple[list[FetchResult], WriteLog]:
        async with make_client(settings) as client:
            pool = client._transport._pool  # type: ignore[attr-defined]
            log = pool._network_backend = WriteLog(pool._network_backend)
            client.event_hooks["request"] = [stall_every_other]
            fetcher = Fetcher(client, settings)
            paths = [f"/p{i}" for i in range(6)]
            site = site_for(server)
            return await asyncio.gather(*(fetcher.fetch(server.url(p), site) for p in paths)), log

    results, log = asyncio.run(go())
    assert all(r.ok for r in results) and len(log.writes) == 7  # robots.txt and six pages
    writes = sorted(log.writes)
    gaps = [began - ended for (_, ended), (began, _) in itertools.pairwise(writes)]
    assert min(gaps) >= delay, gaps


def test_a_wait_for_a_global_slot_never_squeezes_two_requests_to_one_host_together(server, other):
    for i in range(3):
        server.page(f"/p{i}", "fine")
    other.page("/slow", "fine")
    settings = replace(FAST, per_host_delay_s=1.0, per_host_concurrency=2, global_concurrency=1)
    clock = VirtualClock()

    async def go() -> Sends:
        async with make_client(settings) as client:
            fetcher, sends = virtual_fetcher(client, settings, clock)
            busy = asyncio.Event()

            async def slow_exchange(request: httpx.Request) -> None:
                if request.url.port == other.port:  # holds the only global slot for 5 s
                    busy.set()
                    await clock.sleep(5.0)

            client.event_hooks["request"].append(slow_exchange)
            slow = asyncio.create_task(
                fetcher.fetch(other.url("/slow"), site_for(other, **UNCHECKED))
            )
            await busy.wait()
            site = site_for(server, **UNCHECKED)
            await asyncio.gather(
                slow, *(fetcher.fetch(server.url(f"/p{i}"), site) for i in range(3))
            )
            return sends

    sends = asyncio.run(go())
    times = sends.times(server)
    assert len(times) == 3 and min(times) >= 5.0 - ROUNDING  # none went while the slow exchange ran
    assert spacings(times) == virtual([1.0, 1.0])


def test_a_host_waiting_out_its_delay_does_not_hold_up_other_hosts(server, other):
    server.page("/a1", "fine")
    server.page("/a2", "fine")
    other.page("/b", "fine")
    settings = replace(FAST, per_host_delay_s=100.0, per_host_concurrency=2, global_concurrency=1)
    clock = VirtualClock(autojump=False)  # time stands still until the test moves it

    async def go() -> tuple[FetchResult, Sends]:
        async with make_client(settings) as client:
            fetcher, sends = virtual_fetcher(client, settings, clock)
            site = site_for(server, **UNCHECKED)
            first = [
                asyncio.create_task(fetcher.fetch(server.url(p), site)) for p in ("/a1", "/a2")
            ]
            b = await asyncio.wait_for(
                fetcher.fetch(other.url("/b"), site_for(other, **UNCHECKED)), 30
            )
            await asyncio.wait_for(first[0], 30)
            assert sends.times(server, "/a2") == []  # still waiting out the 100 s
            clock.advance()
            await asyncio.wait_for(first[1], 30)
            return b, sends

    b, sends = asyncio.run(go())
    assert b.ok and sends.times(other, "/b") == [0.0]
    assert sends.times(server, "/a1") == [0.0] and sends.times(server, "/a2") == virtual([100.0])


def test_a_503_makes_the_host_wait_the_doubled_delay_from_the_answer(server):
    server.route("/p", Reply("busy", status=503), Reply("fine"))
    server.page("/q", "fine")
    settings = replace(FAST, per_host_delay_s=1.0)

    async def go() -> tuple[list[FetchResult], Fetcher, Sends]:
        async with make_client(settings) as client:
            fetcher, sends = virtual_fetcher(client, settings, VirtualClock())
            site = site_for(server, **UNCHECKED)
            results = [await fetcher.fetch(server.url(p), site) for p in ("/p", "/q")]
            return results, fetcher, sends

    (p, q), fetcher, sends = asyncio.run(go())
    assert p.ok and p.tries == 2 and q.ok
    assert spacings(sends.times(server)) == virtual([2.0, 1.5])  # then it drifts back towards 1 s
    assert fetcher.hosts[server.base].delay == pytest.approx(1.125)


def test_slow_answers_make_the_host_slower(server):
    server.page("/slow", "fine")
    server.page("/next", "fine")
    settings = replace(FAST, per_host_delay_s=1.0, slow_response_s=5.0)
    clock = VirtualClock()

    async def go() -> Sends:
        async with make_client(settings) as client:
            fetcher, sends = virtual_fetcher(client, settings, clock)

            async def slow_exchange(request: httpx.Request) -> None:
                if request.url.path == "/slow":
                    await clock.sleep(10.0)

            client.event_hooks["request"].append(slow_exchange)
            site = site_for(server, **UNCHECKED)
            for path in ("/slow", "/next"):
                assert (await fetcher.fetch(server.url(path), site)).ok
            return sends

    sends = asyncio.run(go())
    assert sends.times(server) == virtual([0.0, 12.0])  # the answer at 10 s, then twice the delay


def test_robots_crawl_delay_slows_the_host_down(server):
    robots = "User-agent: *\nCrawl-delay: 3\n"
    server.route("/robots.txt", Reply(robots, content_type="text/plain"))
    server.page("/p", "fine")

    async def go() -> tuple[FetchResult, Fetcher, Sends]:
        async with make_client(FAST) as client:
            fetcher, sends = virtual_fetcher(client, FAST, VirtualClock())
            return await fetcher.fetch(server.url("/p"), site_for(server)), fetcher, sends

    result, fetcher, sends = asyncio.run(go())
    assert result.ok and fetcher.hosts[server.base].delay == 3.0
    # robots.txt at once, then the page a Crawl-delay later
    assert sends.times(server) == virtual([0.0, 3.0])


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


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, mtime=0)


def test_stacked_gzip_is_inflated_in_bounded_pieces_and_stops_at_the_body_limit(server):
    # 64 MB of zeros, gzipped twice: a few hundred bytes on the wire. httpx alone inflated each
    # chunk whole (a 4.9 KB answer took a crawler to 4.3 GB); the limit must hold on what the
    # layers inflate to, not on what was sent.
    bomb = _gzip(_gzip(bytes(64 * 1024 * 1024)))
    assert len(bomb) < 100_000
    settings = replace(FAST, max_body_bytes=1_000_000)
    server.route("/bomb", Reply(bomb, headers={"Content-Encoding": "gzip, gzip"}))
    result = fetch_one(server, "/bomb", settings)
    assert result.status == "failed" and "larger than 1000000" in (result.error or "")


def test_gzip_deflate_and_multi_member_bodies_are_decoded(server):
    import zlib

    page = "<html><body>" + "年度报告" * 3000 + "</body></html>"
    data = page.encode()
    raw_deflate = zlib.compressobj(wbits=-15)
    server.route("/g", Reply(_gzip(data), headers={"Content-Encoding": "gzip"}))
    server.route("/gg", Reply(_gzip(_gzip(data)), headers={"Content-Encoding": "gzip, gzip"}))
    server.route("/z", Reply(zlib.compress(data), headers={"Content-Encoding": "deflate"}))
    server.route(
        "/d",
        Reply(
            raw_deflate.compress(data) + raw_deflate.flush(),
            headers={"Content-Encoding": "deflate"},
        ),
    )
    half = len(data) // 2
    server.route(
        "/m", Reply(_gzip(data[:half]) + _gzip(data[half:]), headers={"Content-Encoding": "gzip"})
    )
    results, _ = fetch_all(server, ["/g", "/gg", "/z", "/d", "/m"])
    assert [r.content for r in results] == [data] * 5


def test_an_encoding_the_crawler_does_not_undo_is_refused(server):
    server.route("/br", Reply(b"\x0b\x02\x80hello\x03", headers={"Content-Encoding": "br"}))
    result = fetch_one(server, "/br")
    assert result.status == "failed" and "unsupported Content-Encoding 'br'" in (result.error or "")
    assert server.seen("/br")[0].headers["accept-encoding"] == "gzip, deflate"


def test_a_server_dripping_its_answer_is_cut_off_at_the_request_deadline(server):
    # One byte every 0.2 s never trips the read timeout (10 s); the whole request is bounded.
    settings = replace(FAST, request_deadline_s=1.0)
    server.route("/slow", Reply(b"x" * 200, drip=0.2))
    result = fetch_one(server, "/slow", settings)
    assert result.status == "failed" and "within 1 s" in (result.error or "")
    assert result.tries == 1  # not retried: a dripping server drips again


def test_a_host_rebinding_to_a_private_address_after_the_check_is_not_connected_to(
    server, monkeypatch
):
    # DNS rebinding: the first answer is a public address (the policy check passes), the next
    # one, when the connection is made, is this machine (nothing is ever sent to the public
    # address). The connection must go to the address
    # that was checked, or not at all: the server on 127.0.0.1 never hears from the crawler.
    server.page("/p", "internal")
    answers = iter(["93.184.216.34"] + ["127.0.0.1"] * 20)

    async def rebinding_getaddrinfo(self, host, port, *args, **kwargs):
        return [(2, 1, 6, "", (next(answers), port or 0))]

    monkeypatch.setattr(asyncio.base_events.BaseEventLoop, "getaddrinfo", rebinding_getaddrinfo)
    result = fetch_from_private_host(server, "rebind.example.gov.cn")
    assert result.status == "failed" and "resolves to a private address (127.0.0.1)" in (
        result.error or ""
    )
    assert server.hits("/p") == 0 and result.tries == 1


def fetch_from_private_host(server, host: str) -> FetchResult:
    """GET /p of `server` by the name `host`, private addresses not allowed."""
    site = site_for(server, allowed_domains=(host,), allow_private_addresses=False, **UNCHECKED)

    async def go() -> FetchResult:
        async with make_client(FAST) as client:
            return await Fetcher(client, FAST).fetch(f"http://{host}:{server.port}/p", site)

    return asyncio.run(go())


def test_a_failed_first_lookup_is_not_taken_as_allowed(server, monkeypatch):
    server.page("/p", "internal")
    calls = iter([OSError("temporary failure")] + [("127.0.0.1",)] * 20)

    async def flaky_getaddrinfo(self, host, port, *args, **kwargs):
        answer = next(calls)
        if isinstance(answer, OSError):
            raise answer
        return [(2, 1, 6, "", (answer[0], port or 0))]

    monkeypatch.setattr(asyncio.base_events.BaseEventLoop, "getaddrinfo", flaky_getaddrinfo)
    result = fetch_from_private_host(server, "flaky.example.gov.cn")
    assert result.status == "failed" and server.hits("/p") == 0


def test_a_cookie_a_server_sets_is_sent_back_and_pages_without_one_keep_it(server):
    server.route("/a", Reply("set", headers={"Set-Cookie": "session=abc; Path=/"}))
    server.page("/b", "no cookie set here")
    server.page("/c", "and here neither")
    fetch_all(server, ["/a", "/b", "/c"])
    assert "cookie" not in {k.lower() for k in server.seen("/a")[0].headers}
    for path in ("/b", "/c"):
        headers = {k.lower(): v for k, v in server.seen(path)[0].headers.items()}
        assert headers.get("cookie") == "session=abc"
