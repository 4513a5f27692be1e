"""What fetching one URL came to: the FetchResult record and how an HTTP answer maps onto it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx

from govscrape.crawl.antibot import classify_block

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


def response_result(url: str, status: str, resp: httpx.Response, **extra: object) -> FetchResult:
    """A result carrying the response's status code, type and validators."""
    return FetchResult(
        url,
        status,
        http_status=resp.status_code,
        content_type=resp.headers.get("content-type"),
        etag=resp.headers.get("etag"),
        last_modified=resp.headers.get("last-modified"),
        **extra,  # type: ignore[arg-type]
    )


def classify(url: str, resp: httpx.Response, body: bytes) -> FetchResult:
    """ok | not_modified | blocked | retry (429, 5xx) | failed, from a complete answer."""
    code = resp.status_code
    if code == 304:
        return response_result(url, "not_modified", resp)
    block = classify_block(code, resp.headers, body)
    if block is not None:
        return response_result(url, "blocked", resp, error=block)
    if code == 429 or code >= 500:
        return response_result(url, "retry", resp, error=f"HTTP {code}")
    if code >= 400 or code < 200:
        return response_result(url, "failed", resp, error=f"HTTP {code}")
    return response_result(url, "ok", resp, content=body)


def retry_after(headers: httpx.Headers) -> float | None:
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
