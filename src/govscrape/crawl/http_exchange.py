"""One HTTP exchange: the crawler's client, a single streamed GET with a body limit, as a value."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

from govscrape.crawl.fetch_result import FetchResult, classify, response_result, retry_after
from govscrape.crawl.settings import CrawlSettings

REDIRECT_STATUSES = (301, 302, 303, 307, 308)


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
    trace: Callable[[str, dict[str, object]], Awaitable[None]] | None = None,
) -> tuple[FetchResult, str | None, float | None]:
    """One GET: (result with status ok|not_modified|failed|blocked|retry, location, retry-after).
    `trace` is httpcore's trace hook (the pacing's last check before the request is written)."""
    extensions = {"trace": trace} if trace is not None else None
    try:
        async with client.stream(
            "GET", url, headers=headers, timeout=timeout, extensions=extensions
        ) as resp:
            code = resp.status_code
            if code in REDIRECT_STATUSES and "location" in resp.headers:
                return response_result(url, "ok", resp), resp.headers["location"], None
            body = await read_body(resp, max_body_bytes)
            if body is None:
                error = f"body larger than {max_body_bytes} bytes"
                return response_result(url, "failed", resp, error=error), None, None
            return classify(url, resp, body), None, retry_after(resp.headers)
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


async def read_body(resp: httpx.Response, limit: int) -> bytes | None:
    """The body, or None when it is (or announces itself) larger than `limit` bytes."""
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
