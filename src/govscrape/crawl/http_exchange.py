"""One HTTP exchange: the crawler's client, a single streamed GET with a body limit, as a value."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx

from govscrape.crawl.body_reader import (
    ACCEPT_ENCODING,
    BodyTooLarge,
    UnsupportedEncoding,
    read_limited,
)
from govscrape.crawl.fetch_result import FetchResult, classify, response_result, retry_after
from govscrape.crawl.resolver import PRIVATE_REFUSAL, CheckedBackend
from govscrape.crawl.settings import CrawlSettings

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
# httpcore's trace hook: (event name, details), awaited at each step of an exchange.
Trace = Callable[[str, dict[str, object]], Awaitable[None]]


def make_client(
    settings: CrawlSettings,
    transport: httpx.AsyncBaseTransport | None = None,
    private_ok: Callable[[str], bool] = lambda host: False,
) -> httpx.AsyncClient:
    """The crawler's client: our User-Agent, no automatic redirects (we police them), pooled.

    Host names are resolved and checked when connecting (crawl/resolver.py): one resolving to
    a private address is refused unless `private_ok(host)` (its site allows it)."""
    limits = httpx.Limits(
        max_connections=settings.global_concurrency * 2,
        max_keepalive_connections=settings.global_concurrency,
    )
    if transport is None:
        checked = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
        # httpx has no parameter for httpcore's network backend: set on its pool, once.
        pool = checked._pool
        pool._network_backend = CheckedBackend(pool._network_backend, private_ok)
        transport = checked
    client = httpx.AsyncClient(
        headers={
            "User-Agent": settings.user_agent,
            "Accept-Language": "zh-CN,zh;q=0.9",
            "Accept-Encoding": ACCEPT_ENCODING,  # the codings body_reader undoes in pieces
        },
        follow_redirects=False,
        timeout=httpx.Timeout(settings.read_timeout_s, connect=settings.connect_timeout_s),
        limits=limits,
        transport=transport,
        trust_env=False,
    )
    # httpx has no parameter for the class of its cookie store either (its `cookies` setter
    # copies into a plain one): set once, the same cookies kept and sent as before.
    client._cookies = CookiesWhenSet()
    return client


class CookiesWhenSet(httpx.Cookies):
    """The client's cookie store, reading a response only when it sets a cookie: httpx hands
    every response to http.cookiejar through two adapter objects (about 0.1 ms a page), and
    the jar only ever keeps what a Set-Cookie (or Set-Cookie2) header says."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers or "set-cookie2" in response.headers:
            super().extract_cookies(response)


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since for the validators a stored copy carries."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


async def exchange(
    client: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    timeout: httpx.Timeout,
    max_body_bytes: int,
    deadline_s: float | None = None,
    trace: Trace | None = None,
) -> tuple[FetchResult, str | None, float | None]:
    """One GET: (result with status ok|not_modified|failed|blocked|retry, location, retry-after).

    `deadline_s` bounds the whole exchange, headers and body: the read timeout only bounds
    each wait for a byte, which a server dripping one byte a second never exceeds. `trace` is
    httpcore's trace hook (the pacing's last check before the request is written)."""
    try:
        async with asyncio.timeout(deadline_s):
            return await _exchange(client, url, headers, timeout, max_body_bytes, trace)
    except TimeoutError:
        # Not retried: a server that drips once will drip again, and each try costs the deadline.
        error = f"no complete answer within {deadline_s:g} s (the per-request deadline)"
        return FetchResult(url, "failed", error=error), None, None


async def _exchange(
    client: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    timeout: httpx.Timeout,
    max_body_bytes: int,
    trace: Trace | None,
) -> tuple[FetchResult, str | None, float | None]:
    extensions = {"trace": trace} if trace is not None else None
    try:
        async with client.stream(
            "GET", url, headers=headers, timeout=timeout, extensions=extensions
        ) as resp:
            code = resp.status_code
            if code in REDIRECT_STATUSES and "location" in resp.headers:
                return response_result(url, "ok", resp), resp.headers["location"], None
            try:
                body = await read_limited(resp, max_body_bytes)
            except BodyTooLarge:
                error = f"body larger than {max_body_bytes} bytes"
                return response_result(url, "failed", resp, error=error), None, None
            except UnsupportedEncoding as exc:
                return response_result(url, "failed", resp, error=str(exc)), None, None
            return classify(url, resp, body), None, retry_after(resp.headers)
    except httpx.ConnectTimeout as exc:
        error = f"timeout ({type(exc).__name__})"
        return FetchResult(url, "retry", error=error, connect_failed=True), None, None
    except httpx.TimeoutException as exc:
        return FetchResult(url, "retry", error=f"timeout ({type(exc).__name__})"), None, None
    except httpx.ConnectError as exc:
        if PRIVATE_REFUSAL in str(exc):  # never worth another try
            return FetchResult(url, "failed", error=f"not allowed: {exc}"), None, None
        error = f"connection error ({type(exc).__name__}: {exc})"
        return FetchResult(url, "retry", error=error, connect_failed=True), None, None
    except httpx.TransportError as exc:
        error = f"connection error ({type(exc).__name__}: {exc})"
        return FetchResult(url, "retry", error=error), None, None
    except httpx.InvalidURL as exc:
        return FetchResult(url, "failed", error=f"invalid URL ({exc})"), None, None
