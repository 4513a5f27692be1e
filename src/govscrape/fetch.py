"""Polite, resilient HTTP fetching: per-host pacing, retries, robots, redirects, limits, blocks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from govscrape.antibot import classify_block, is_home_url
from govscrape.config import SiteConfig
from govscrape.discover import is_allowed, is_private_host, normalise_url
from govscrape.robots import RobotsCache
from govscrape.settings import CrawlSettings

log = logging.getLogger(__name__)

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
# Outcomes: ok | not_modified | failed | blocked | robots
FETCH_STATUSES = ("ok", "not_modified", "failed", "blocked", "robots")


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of fetching one URL (after redirects and retries); never an exception."""

    url: str
    status: str
    final_url: str | None = None
    http_status: int | None = None
    content: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    tries: int = 0
    elapsed_s: float = 0.0
    # No HTTP answer at all: refused, unreachable, TLS handshake failed, connect timeout.
    connect_failed: bool = False
    # Not even tried: its host was closed for this run (a challenge, a long Retry-After).
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class _Retryable(Exception):
    """A transient outcome (timeout, reset, 5xx, 429) worth another try after a wait."""

    def __init__(self, result: FetchResult, retry_after: float | None = None) -> None:
        super().__init__(result.error)
        self.result = result
        self.retry_after = retry_after


class _Host:
    """Pacing state of one host (scheme://host:port): a semaphore, when the last request was
    sent, the current delay, and a hold (Retry-After, slow-down) before which nothing is sent."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.semaphore = asyncio.Semaphore(concurrency)
        self.base_delay = delay
        self.delay = delay
        self.last_sent = -math.inf
        self.hold_until = -math.inf
        self.closed: str | None = None  # why this host gets no more requests this run
        self.closed_status = "failed"
        self.resolved = False  # its DNS answer was checked for private addresses

    @property
    def next_start(self) -> float:
        """The earliest moment the next request may be sent: a raised delay (Crawl-delay,
        slow-down) applies at once, to requests already waiting as well."""
        return max(self.last_sent + self.delay, self.hold_until)


class Fetcher:
    """Fetch URLs for sites politely with an injected httpx.AsyncClient (tests pass a real one).

    `clock` (monotonic seconds) and `sleep` drive all pacing and retry waits; tests inject a
    virtual clock so the spacing of requests is checked exactly rather than against wall time."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: CrawlSettings | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.settings = settings or CrawlSettings()
        self.clock = clock
        self.sleep = sleep
        self.hosts: dict[str, _Host] = {}
        self.global_slots = asyncio.Semaphore(self.settings.global_concurrency)
        self.robots = RobotsCache(self._fetch_robots, self.settings.user_agent)
        self.timeout = httpx.Timeout(
            self.settings.read_timeout_s, connect=self.settings.connect_timeout_s
        )
        self.requests_made = 0
        # origin -> the origin (other scheme) to use instead, learned when only that one answered
        # (portals.md §2.5); the crawl persists it so later nights go straight to the right one.
        self.scheme_swaps: dict[str, str] = {}
        self.on_scheme_swap: Callable[[str, str], None] | None = None
        self._answered: set[str] = set()  # origins that gave an HTTP answer this run
        self._swap_tried: set[str] = set()

    def canonical(self, url: str) -> str:
        """`url` on the scheme its host is known to answer on."""
        origin = _origin(url)
        swap = self.scheme_swaps.get(origin)
        return swap + url[len(origin) :] if swap else url

    # --- public ---------------------------------------------------------------------------------
    async def fetch(
        self,
        url: str,
        site: SiteConfig,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        check_robots: bool = True,
    ) -> FetchResult:
        """GET `url` following redirects within the site's domains; conditional when validators."""
        started = self.clock()
        headers = _conditional_headers(etag, last_modified)
        chain = [self.canonical(normalise_url(url))]
        result = FetchResult(url, "failed", error="not fetched")
        for _hop in range(self.settings.max_redirects + 1):
            current = chain[-1]
            refusal = await self._refusal(current, site, check_robots)
            if refusal is not None:
                result = replace(refusal, url=url)
                break
            # The robots.txt fetch may just have found that the host answers on its other scheme.
            current = chain[-1] = self.canonical(current)
            result, location, current = await self._hop(current, site, headers)
            chain[-1] = current
            if location is None:
                break
            target = normalise_url(urljoin(current, location))
            stop = self._redirect_problem(chain, target, site)
            if stop is not None:
                result = replace(result, status=stop[0], error=stop[1], content=None)
                break
            chain.append(target)
        else:
            result = replace(result, status="failed", error=f"too many redirects: {chain[0]}")
        return replace(result, url=url, final_url=chain[-1], elapsed_s=self.clock() - started)

    async def _hop(
        self, url: str, site: SiteConfig, headers: dict[str, str]
    ) -> tuple[FetchResult, str | None, str]:
        """One request with its retries: (result, redirect location, the URL that answered)."""
        result, location = await self._with_retries(url, site, headers)
        if not result.connect_failed:
            return result, location, url
        if (other := await self._other_scheme(url, site, headers)) is not None:
            return *other, self.canonical(url)
        if result.tries < self.settings.max_tries:  # cut short to try the other scheme first
            again, location = await self._with_retries(url, site, headers)
            result = replace(again, tries=again.tries + result.tries)
        return result, location, url

    async def _other_scheme(
        self, url: str, site: SiteConfig, headers: dict[str, str]
    ) -> tuple[FetchResult, str | None] | None:
        """Try a host that gave no answer on its other scheme, once per run (portals.md §2.5)."""
        origin = _origin(url)
        if origin in self._answered or origin in self._swap_tried:
            return None
        self._swap_tried.add(origin)
        scheme, rest = url.split("://", 1)
        other = ("http" if scheme == "https" else "https") + "://" + rest
        if not is_allowed(other, site):
            return None
        result, location = await self._with_retries(other, site, headers)
        if result.connect_failed:
            return None
        log.info("%s did not answer; %s did, and is used from now on", origin, _origin(other))
        self.scheme_swaps[origin] = _origin(other)
        self.scheme_swaps.pop(_origin(other), None)
        if self.on_scheme_swap is not None:
            self.on_scheme_swap(origin, _origin(other))
        return result, location

    # --- policy ---------------------------------------------------------------------------------
    async def _refusal(self, url: str, site: SiteConfig, check_robots: bool) -> FetchResult | None:
        if not is_allowed(url, site):
            return FetchResult(url, "failed", error=f"not an allowed address for this site: {url}")
        host = self._host(url, site)
        if not host.resolved and not site.allow_private_addresses:
            host.resolved = True
            host.closed = await _private_resolution(url)
        if host.closed:
            return FetchResult(url, host.closed_status, error=host.closed, skipped=True)
        if check_robots and site.obey_robots:
            reason = await self.robots.check(url)
            if reason is not None:
                rules = self.robots.cached(url)
                dead = rules is not None and rules.no_answer
                return FetchResult(url, "failed" if dead else "robots", error=reason)
            self._honour_crawl_delay(url, host)
        return None

    def _honour_crawl_delay(self, url: str, host: _Host) -> None:
        rules = self.robots.cached(url)
        delay = rules.crawl_delay(self.settings.user_agent) if rules else None
        if delay and delay > host.base_delay:
            host.base_delay = min(delay, self.settings.max_host_delay_s)
            host.delay = max(host.delay, host.base_delay)

    def _redirect_problem(
        self, chain: list[str], target: str, site: SiteConfig
    ) -> tuple[str, str] | None:
        if target in chain:
            return "failed", "redirect loop: " + " -> ".join([*chain, target])
        if not is_allowed(target, site):
            return "failed", f"redirect to an address outside the site's domains: {target}"
        if is_home_url(target) and not is_home_url(chain[0]):
            return "blocked", f"soft 404: redirected to the home page {target}"
        return None

    def _host(self, url: str, site: SiteConfig | None) -> _Host:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self.hosts:
            concurrency = site.host_concurrency(self.settings) if site else 1
            delay = site.delay(self.settings) if site else self.settings.per_host_delay_s
            self.hosts[key] = _Host(concurrency, delay)
        return self.hosts[key]

    # --- retries --------------------------------------------------------------------------------
    async def _with_retries(
        self, url: str, site: SiteConfig | None, headers: dict[str, str]
    ) -> tuple[FetchResult, str | None]:
        s = self.settings
        backoff = wait_exponential_jitter(
            multiplier=s.backoff_initial_s, max=s.backoff_max_s, jitter=s.backoff_initial_s
        )

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            retry_after = getattr(exc, "retry_after", None) or 0.0
            return max(backoff(state), retry_after)

        origin = _origin(url)

        def worth_retrying(exc: BaseException) -> bool:
            if not isinstance(exc, _Retryable):
                return False
            # A host never heard from this run gets its other scheme tried before any waiting.
            untried = origin not in self._answered and origin not in self._swap_tried
            return not (exc.result.connect_failed and untried)

        tries = 0
        try:
            async for attempt in AsyncRetrying(
                sleep=self.sleep,
                stop=stop_after_attempt(s.max_tries),
                wait=wait,
                retry=retry_if_exception(worth_retrying),
                reraise=True,
            ):
                with attempt:
                    tries += 1
                    result, location = await self._attempt(url, site, headers)
        except _Retryable as exc:
            return replace(exc.result, tries=tries), None
        return replace(result, tries=tries), location

    async def _attempt(
        self, url: str, site: SiteConfig | None, headers: dict[str, str]
    ) -> tuple[FetchResult, str | None]:
        host = self._host(url, site)
        if host.closed:
            return FetchResult(url, host.closed_status, error=host.closed, skipped=True), None
        async with self._slot(host):
            started = self.clock()
            result, location, retry_after = await self._request(url, headers)
            self._adapt(host, result, self.clock() - started, retry_after)
        if not result.connect_failed:
            self._answered.add(_origin(url))
        if result.status == "retry":
            failed = replace(result, status="failed")
            if retry_after is not None and retry_after > self.settings.max_retry_after_s:
                host.closed = f"host asked to wait {retry_after:.0f} s; skipped for this run"
                return failed, None
            raise _Retryable(failed, retry_after)
        if result.status == "blocked" and (result.error or "").startswith(_HOST_WIDE_BLOCKS):
            host.closed, host.closed_status = (
                f"blocked earlier in this run: {result.error}",
                "blocked",
            )
        return result, location

    # --- pacing ---------------------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def _slot(self, host: _Host) -> AsyncIterator[None]:
        """Hold the right to send one request to `host` now: a host slot, a global slot, and
        the host's spacing checked in the same step as the request goes out."""
        async with host.semaphore:
            await self._take_turn(host)
            try:
                yield
            finally:
                self.global_slots.release()

    async def _take_turn(self, host: _Host) -> None:
        """Return holding a global slot at a moment the host's spacing allows a request.

        The spacing is checked (and the next start booked) only once the global slot is held,
        with no wait in between: a wait for a global slot can never squeeze two requests to one
        host together. Waits for the host happen without a global slot, so a slow host never
        keeps the others waiting; if the host's turn moved meanwhile (the other request to it
        went first, a Retry-After, a raised delay), the slot is given back and the wait resumes."""
        while True:
            wait = host.next_start - self.clock()
            if wait > 0:
                await self.sleep(wait)
            await self.global_slots.acquire()
            now = self.clock()
            if now >= host.next_start:
                host.last_sent = now
                self.requests_made += 1
                return
            self.global_slots.release()

    def _adapt(
        self, host: _Host, result: FetchResult, took: float, retry_after: float | None
    ) -> None:
        """Slow down on 429/503 and slow answers; drift back to the configured delay otherwise."""
        s = self.settings
        now = self.clock()
        if result.http_status in (429, 503) or took > s.slow_response_s:
            host.delay = min(max(host.delay * 2, s.backoff_initial_s), s.max_host_delay_s)
            # Counted from this answer, not from when the request was sent: a struggling host
            # gets the whole new delay to recover before it hears from us again.
            host.hold_until = max(host.hold_until, now + host.delay)
        elif result.status != "retry":
            host.delay = max(host.base_delay, host.delay * 0.75)
        if retry_after:
            host.hold_until = max(host.hold_until, now + min(retry_after, s.max_retry_after_s))

    # --- one HTTP exchange ----------------------------------------------------------------------
    async def _request(
        self, url: str, headers: dict[str, str]
    ) -> tuple[FetchResult, str | None, float | None]:
        """One GET: (result with status ok|not_modified|failed|blocked|retry, location, retry-after)."""
        s = self.settings
        try:
            async with self.client.stream(
                "GET", url, headers=headers, timeout=self.timeout
            ) as resp:
                code = resp.status_code
                if code in REDIRECT_STATUSES and "location" in resp.headers:
                    return _result(url, "ok", resp), resp.headers["location"], None
                body = await self._read_body(resp)
                if body is None:
                    limit = f"{s.max_body_bytes} bytes"
                    return (
                        _result(url, "failed", resp, error=f"body larger than {limit}"),
                        None,
                        None,
                    )
                return _classify(url, resp, body), None, _retry_after(resp.headers)
        except httpx.ConnectTimeout as exc:
            error = f"timeout ({type(exc).__name__})"
            return FetchResult(url, "retry", error=error, connect_failed=True), None, None
        except httpx.TimeoutException as exc:
            return FetchResult(url, "retry", error=f"timeout ({type(exc).__name__})"), None, None
        except httpx.ConnectError as exc:
            error = f"connection error ({type(exc).__name__}: {exc})"
            return FetchResult(url, "retry", error=error, connect_failed=True), None, None
        except httpx.TransportError as exc:
            error = f"connection error ({type(exc).__name__}: {exc})"
            return FetchResult(url, "retry", error=error), None, None
        except httpx.InvalidURL as exc:
            return FetchResult(url, "failed", error=f"invalid URL ({exc})"), None, None

    async def _read_body(self, resp: httpx.Response) -> bytes | None:
        """The body, or None when it is (or announces itself) larger than max_body_bytes."""
        limit = self.settings.max_body_bytes
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return None
        chunks, size = [], 0
        async for chunk in resp.aiter_bytes():
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    async def _fetch_robots(
        self, url: str
    ) -> tuple[int | None, str | None, bytes | None, str | None]:
        site = _robots_site(url)
        result = await self.fetch(url, site, check_robots=False)
        if result.status == "failed" and result.http_status is None:
            return None, None, None, result.error
        ok = result.status == "ok"
        return result.http_status, result.content_type, result.content if ok else None, result.error


# Blocks that concern the whole host (a challenge stays up all night), not one page.
_HOST_WIDE_BLOCKS = ("rs challenge", "jsl challenge", "aliyun waf", "yunsuo", "safedog", "waf", "js challenge", "captcha")  # fmt: skip


async def _private_resolution(url: str) -> str | None:
    """Why a host name must not be fetched: it resolves to a private/loopback address."""
    host = urlsplit(url).hostname or ""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None)
    except OSError:
        return None  # the request itself will fail and say why
    private = sorted({str(info[4][0]) for info in infos if is_private_host(str(info[4][0]))})
    if private:
        return f"{host} resolves to a private address ({', '.join(private)}); not allowed for this site"
    return None


def _origin(url: str) -> str:
    """scheme://host[:port] of a normalised URL."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _robots_site(url: str) -> SiteConfig:
    host = urlsplit(url).hostname or ""
    return SiteConfig(
        id="robots", agency="", listing_urls=(url,), allowed_domains=(host,),
        allow_private_addresses=True,
    )  # fmt: skip


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _result(url: str, status: str, resp: httpx.Response, **extra: object) -> FetchResult:
    return FetchResult(
        url,
        status,
        http_status=resp.status_code,
        content_type=resp.headers.get("content-type"),
        etag=resp.headers.get("etag"),
        last_modified=resp.headers.get("last-modified"),
        **extra,  # type: ignore[arg-type]
    )


def _classify(url: str, resp: httpx.Response, body: bytes) -> FetchResult:
    code = resp.status_code
    if code == 304:
        return _result(url, "not_modified", resp)
    block = classify_block(code, resp.headers, body)
    if block is not None:
        return _result(url, "blocked", resp, error=block)
    if code == 429 or code >= 500:
        return _result(url, "retry", resp, error=f"HTTP {code}")
    if code >= 400 or code < 200:
        return _result(url, "failed", resp, error=f"HTTP {code}")
    return _result(url, "ok", resp, content=body)


def _retry_after(headers: httpx.Headers) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date), None when absent or unreadable."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def make_client(
    settings: CrawlSettings, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The crawler's client: our User-Agent, no automatic redirects (we police them), pooled."""
    limits = httpx.Limits(
        max_connections=settings.global_concurrency * 2,
        max_keepalive_connections=settings.global_concurrency,
    )
    return httpx.AsyncClient(
        headers={"User-Agent": settings.user_agent, "Accept-Language": "zh-CN,zh;q=0.9"},
        follow_redirects=False,
        timeout=httpx.Timeout(settings.read_timeout_s, connect=settings.connect_timeout_s),
        limits=limits,
        transport=transport,
        trust_env=False,
    )
