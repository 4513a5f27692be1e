"""Polite, resilient fetching of one URL: robots, redirects, retries, scheme swaps, host blocks.

Pacing lives in host_pacing.py, the single HTTP exchange in http_exchange.py and the outcome
record in fetch_result.py."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from govscrape.crawl.antibot import is_home_url
from govscrape.crawl.config import SiteConfig
from govscrape.crawl.fetch_result import FetchResult
from govscrape.crawl.host_pacing import HostPace, Pacer
from govscrape.crawl.http_exchange import conditional_headers, exchange
from govscrape.crawl.robots import RobotsAnswer, RobotsCache
from govscrape.crawl.settings import CrawlSettings
from govscrape.crawl.url_policy import is_allowed, is_private_host, normalise_url

log = logging.getLogger(__name__)


class _Retryable(Exception):
    """A transient outcome (timeout, reset, 5xx, 429) worth another try after a wait."""

    def __init__(self, result: FetchResult, retry_after: float | None = None) -> None:
        super().__init__(result.error)
        self.result = result
        self.retry_after = retry_after


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
        self.pacing = Pacer(self.settings, clock, sleep)
        self.robots = RobotsCache(self._fetch_robots, self.settings.user_agent)
        self.timeout = httpx.Timeout(
            self.settings.read_timeout_s, connect=self.settings.connect_timeout_s
        )
        # origin -> the origin (other scheme) to use instead, learned when only that one answered
        # (docs/portal-families.md#http-and-https); the crawl persists it for later nights.
        self.scheme_swaps: dict[str, str] = {}
        self.on_scheme_swap: Callable[[str, str], None] | None = None
        self._answered: set[str] = set()  # origins that gave an HTTP answer this run
        self._swap_tried: set[str] = set()

    @property
    def hosts(self) -> dict[str, HostPace]:
        """Pacing state per origin (scheme://host:port)."""
        return self.pacing.hosts

    @property
    def requests_made(self) -> int:
        return self.pacing.requests_made

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
        headers = conditional_headers(etag, last_modified)
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
        """Try a host that gave no answer on its other scheme, once per run."""
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
        host = self.pacing.host(url, site)
        if not host.resolved and not site.allow_private_addresses:
            host.resolved = True
            host.closed = await _private_resolution(url)
        if host.closed:
            return FetchResult(url, host.closed_status, error=host.closed, skipped=True)
        if check_robots and site.obey_robots:
            reason = await self.robots.check(url)
            if reason is not None:
                rules = self.robots.cached(url)
                status = rules.refusal_status if rules is not None else "robots"
                return FetchResult(url, status, error=reason)
            self._honour_crawl_delay(url, host)
        return None

    def _honour_crawl_delay(self, url: str, host: HostPace) -> None:
        rules = self.robots.cached(url)
        self.pacing.honour_crawl_delay(
            host, rules.crawl_delay(self.settings.user_agent) if rules else None
        )

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

        # Most requests succeed at once: the first try runs without tenacity's machinery (a
        # tenth of a millisecond a request); a failed first try is replayed into it, so every
        # retry decision and wait is tenacity's, exactly as if it had run the first try too.
        try:
            result, location = await self._attempt(url, site, headers)
            return replace(result, tries=1), location
        except _Retryable as exc:
            first: list[_Retryable] = [exc]
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
                    if first:
                        raise first.pop()
                    result, location = await self._attempt(url, site, headers)
        except _Retryable as exc:
            return replace(exc.result, tries=tries), None
        return replace(result, tries=tries), location

    async def _attempt(
        self, url: str, site: SiteConfig | None, headers: dict[str, str]
    ) -> tuple[FetchResult, str | None]:
        host = self.pacing.host(url, site)
        if host.closed:
            return FetchResult(url, host.closed_status, error=host.closed, skipped=True), None
        async with self.pacing.slot(host):
            started = self.clock()
            result, location, retry_after = await exchange(
                self.client, url, headers, self.timeout, self.settings.max_body_bytes,
                self.settings.request_deadline_s, self.pacing.wire_guard(host),
            )  # fmt: skip
            self.pacing.adapt(host, result, self.clock() - started, retry_after)
        if not result.connect_failed:
            self._answered.add(_origin(url))
        if result.status == "retry":
            failed = replace(result, status="failed")
            if retry_after is not None and retry_after > self.settings.max_retry_after_s:
                host.closed = f"host asked to wait {retry_after:.0f} s; skipped for this run"
                return failed, None
            raise _Retryable(failed, retry_after)
        if is_host_wide(result):
            host.closed, host.closed_status = (
                f"blocked earlier in this run: {result.error}",
                "blocked",
            )
        return result, location

    async def _fetch_robots(self, url: str) -> RobotsAnswer:
        result = await self.fetch(url, _robots_site(url), check_robots=False)
        if result.status == "failed" and result.http_status is None:
            return RobotsAnswer(None, error=result.error)
        # A challenge in robots.txt's place blocks the whole host (a soft 404 or a login page
        # there only means there is no robots.txt).
        challenge = result.error if is_host_wide(result) else None
        content = result.content if result.ok else None
        return RobotsAnswer(
            result.http_status, result.content_type, content, result.error, challenge
        )


# Blocks that concern the whole host (a challenge stays up all night), not one page.
_HOST_WIDE_BLOCKS = ("rs challenge", "jsl challenge", "aliyun waf", "yunsuo", "safedog", "waf", "js challenge", "captcha")  # fmt: skip


def is_host_wide(result: FetchResult) -> bool:
    """A challenge or WAF page: the host is blocked for the run, not just this page."""
    return result.status == "blocked" and (result.error or "").startswith(_HOST_WIDE_BLOCKS)


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
