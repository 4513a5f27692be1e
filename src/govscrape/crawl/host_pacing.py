"""Per-host pacing: spacing between requests to one host, a global cap, and adaptive slow-down.

The spacing holds on the wire: a request's turn is booked before it is sent (so a wait for the
host holds no global slot), and a last check runs as its headers go out (an httpcore trace
hook), counting from when the previous request to the host was actually written, since a busy
event loop or a new connection can put anything between the booking and the send."""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import urlsplit

from govscrape.crawl.config import SiteConfig
from govscrape.crawl.fetch_result import FetchResult
from govscrape.crawl.settings import CrawlSettings


class HostPace:
    """Pacing state of one host (scheme://host:port): a semaphore, when the last request was
    sent, the current delay, and a hold (Retry-After, slow-down) before which nothing is sent."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.semaphore = asyncio.Semaphore(concurrency)
        self.base_delay = delay
        self.delay = delay
        self.last_sent = -math.inf  # the later of the last booked turn and the last write
        self.last_wire = -math.inf  # when the last request's headers had been written
        self.writing = False  # a request's headers are being written right now
        self.wire_free = asyncio.Event()
        self.wire_free.set()
        self.hold_until = -math.inf
        self.closed: str | None = None  # why this host gets no more requests this run
        self.closed_status = "failed"
        self.resolved = False  # its DNS answer was checked for private addresses

    @property
    def next_start(self) -> float:
        """The earliest moment the next request may be sent: a raised delay (Crawl-delay,
        slow-down) applies at once, to requests already waiting as well."""
        return max(self.last_sent + self.delay, self.hold_until)


class Pacer:
    """Every host's pace plus the global request slots, on an injected clock and sleep."""

    def __init__(
        self,
        settings: CrawlSettings,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.sleep = sleep
        self.hosts: dict[str, HostPace] = {}
        self.global_slots = asyncio.Semaphore(settings.global_concurrency)
        self.requests_made = 0

    def host(self, url: str, site: SiteConfig | None) -> HostPace:
        """The pace of `url`'s host, created with the site's concurrency and delay."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self.hosts:
            concurrency = site.host_concurrency(self.settings) if site else 1
            delay = site.delay(self.settings) if site else self.settings.per_host_delay_s
            self.hosts[key] = HostPace(concurrency, delay)
        return self.hosts[key]

    @contextlib.asynccontextmanager
    async def slot(self, host: HostPace) -> AsyncIterator[None]:
        """Hold the right to send one request to `host` now: a host slot, a global slot, and
        the host's spacing checked in the same step as the request goes out."""
        async with host.semaphore:
            await self._take_turn(host)
            try:
                yield
            finally:
                self.global_slots.release()

    async def _take_turn(self, host: HostPace) -> None:
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

    def wire_guard(self, host: HostPace) -> WireGuard:
        """The trace hook that keeps one request's send at least the delay after the last."""
        return WireGuard(self, host)

    async def wait_for_the_wire(self, host: HostPace) -> None:
        """Return when `host`'s spacing allows writing a request now, marked as writing:
        counted from when the previous write ended, and after any write in progress."""
        while True:
            if host.writing:
                await host.wire_free.wait()
                continue
            wait = max(host.last_wire + host.delay, host.hold_until) - self.clock()
            if wait <= 0:
                host.writing = True
                host.wire_free.clear()
                return
            await self.sleep(wait)

    def written(self, host: HostPace) -> None:
        """A request's headers are out (or failed to go): the next one counts from now."""
        now = self.clock()
        host.last_wire = now
        host.last_sent = max(host.last_sent, now)
        host.writing = False
        host.wire_free.set()

    def adapt(
        self, host: HostPace, result: FetchResult, took: float, retry_after: float | None
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

    def honour_crawl_delay(self, host: HostPace, delay: float | None) -> None:
        """Raise the host's delay to robots.txt's Crawl-delay (capped), never lower it."""
        if delay and delay > host.base_delay:
            host.base_delay = min(delay, self.settings.max_host_delay_s)
            host.delay = max(host.delay, host.base_delay)


_HEADERS_DONE = ("send_request_headers.complete", "send_request_headers.failed")


class WireGuard:
    """An httpcore `trace` extension for one request: waits out the host's spacing just before
    the request's headers are written."""

    def __init__(self, pacer: Pacer, host: HostPace) -> None:
        self.pacer, self.host = pacer, host
        self._holding = False

    async def __call__(self, event: str, info: dict[str, object]) -> None:
        if event.endswith("send_request_headers.started"):
            await self.pacer.wait_for_the_wire(self.host)
            self._holding = True
        elif self._holding and event.endswith(_HEADERS_DONE):
            self._holding = False
            self.pacer.written(self.host)
