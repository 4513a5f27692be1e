"""The crawl of one site: its queue of URLs, discovery from the pages fetched, what is stored
and how, the walk of script-paginated listings and the revalidation of stored documents."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from govscrape.crawl.config import SiteConfig
from govscrape.crawl.discover import (
    Listing,
    ReportPage,
    find_redirect,
    inspect_report,
    parse_listing,
)
from govscrape.crawl.fetch import Fetcher
from govscrape.crawl.fetch_result import FetchResult
from govscrape.crawl.listing_walk import TRUNCATED, ColumnWalk
from govscrape.crawl.pagination import page_number
from govscrape.crawl.rawstore import Store
from govscrape.crawl.reading_marker import CRASHED, ReadingMarker
from govscrape.crawl.settings import CrawlSettings
from govscrape.crawl.state import CrawlState
from govscrape.crawl.store_writer import GroupWriter
from govscrape.crawl.summary import CrawlSummary, SiteSummary
from govscrape.crawl.url_policy import is_allowed, normalise_url
from govscrape.encoding import decode_bytes
from govscrape.errors import is_disk_full
from govscrape.findings import severity_of

log = logging.getLogger("govscrape.crawl.crawler")  # one logger for the crawl (cli/crawl.py)

# A URL that failed or was blocked this many times is left alone (it stays in the state).
MAX_TRIES_PER_URL = 5
# Year / unit sub-columns nest at most this deep (docs/portal-families.md#sub-columns).
MAX_SUBCOLUMN_DEPTH = 3
# A page up to this size is read in the event loop (a 40 KB report page: about 0.2 ms).
READ_IN_LOOP_BYTES = 128 * 1024
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_HTML_TYPES = ("text/html", "application/xhtml", "text/plain", "text/xml", "application/xml",
               "application/json", "text/javascript")  # fmt: skip


@dataclass(frozen=True, slots=True)
class CrawlEvent:
    """One URL handled: what it was and what became of it (for progress displays)."""

    site: str
    url: str
    kind: str  # listing | report | attachment
    outcome: str  # new | changed | unchanged | failed | blocked | deferred
    detail: str | None = None
    title: str | None = None


Progress = Callable[[CrawlEvent], None]
_PageLinks = str | Listing | ReportPage  # a redirect stub's target, a listing, a report page


@dataclass(slots=True)
class _Task:
    url: str
    kind: str
    parent: str | None = None
    title: str | None = None
    page: int = 1
    depth: int = 0
    walk: ColumnWalk | None = None  # the column this listing page belongs to (listing_walk)
    probe: bool = False  # a static page guessed from the column's stated count
    revalidate: bool = False  # a stored document whose turn it is to be checked (corrections)


class CrawlRun(Protocol):
    """What a site's crawl uses of the whole run (crawler._Crawl)."""

    state: CrawlState
    store: Store
    settings: CrawlSettings
    full: bool
    summary: CrawlSummary
    writer: GroupWriter
    quarantined: dict[str, str | None]
    marker: ReadingMarker | None
    suspects: frozenset[str]

    def emit(self, event: CrawlEvent) -> None: ...

    def stop_for(self, exc: BaseException) -> None: ...


class SiteCrawl:
    """The crawl of one site: a queue of URLs, a seen-set, and the site's request budget."""

    def __init__(self, crawl: CrawlRun, site: SiteConfig, fetcher: Fetcher) -> None:
        self.crawl, self.site, self.fetcher = crawl, site, fetcher
        self.state, self.store, self.settings = crawl.state, crawl.store, crawl.settings
        self.summary = SiteSummary(site.id, site.agency)
        crawl.summary.sites.append(self.summary)
        self.queue: asyncio.Queue[_Task] = asyncio.Queue()
        self.queued: set[str] = set()
        self.budget = site.request_limit(self.settings)
        self.max_pages = site.page_limit(self.settings)

    async def run(self) -> None:
        self.state.upsert_site(self.site.id, self.site.metadata())
        for url in self.site.listing_urls:
            self._seed(_Task(self._canonical(url), "listing"))
        for url in self.site.report_urls:
            self._seed(_Task(self._canonical(url), "report"))
        for row in self.state.unfinished(self.site.id, MAX_TRIES_PER_URL):
            self._resume(row)
        for url in self.crawl.suspects:  # read when an earlier start died: read again
            known = self.state.get(url)
            if known is not None and known["site"] == self.site.id:
                self._resume(known)
        if not self.crawl.full:
            s = self.settings
            for row in self.state.due_for_revalidation(
                self.site.id, s.revalidate_days, s.revalidate_max
            ):
                self.enqueue(
                    _Task(row["url"], row["kind"], row["parent_url"], row["title"], revalidate=True)
                )
        workers = [
            asyncio.create_task(self._worker())
            for _ in range(max(1, self.site.host_concurrency(self.settings)))
        ]
        try:
            await self.queue.join()
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    def _resume(self, row: Any) -> None:
        """Queue a URL of the state (url, kind, parent_url, title) left by an earlier run."""
        page = (page_number(row["url"]) or 1) if row["kind"] == "listing" else 1
        self.enqueue(_Task(row["url"], row["kind"], row["parent_url"], row["title"], page))

    def _canonical(self, url: str) -> str:
        """One URL per page: normalised, on the scheme its host answers on."""
        return self.fetcher.canonical(normalise_url(url))

    def _discover(
        self, url: str, kind: str, parent: str | None, title: str | None = None
    ) -> tuple[str, bool]:
        """Record a found link in the state: (its canonical URL, whether it is new)."""
        url = self._canonical(url)
        return url, self.state.discover(url, self.site.id, kind, parent, title)

    def _seed(self, task: _Task) -> None:
        self.state.discover(task.url, self.site.id, task.kind)
        self.enqueue(task)

    def enqueue(self, task: _Task) -> None:
        if task.url in self.queued:
            return
        self.queued.add(task.url)
        self.summary.count(task.kind, "seen")
        self.queue.put_nowait(task)

    async def _worker(self) -> None:
        while True:
            task = await self.queue.get()
            try:
                await self._process(task)
            except Exception as exc:  # one odd page must not end the night's crawl
                if is_disk_full(exc):
                    self.crawl.stop_for(exc)
                    self._outcome(task, "failed", f"not stored: {exc}")
                    continue
                log.exception("%s: internal error on %s", self.site.id, task.url)
                self.state.record_fetch(task.url, status="failed", error=f"internal error: {exc!r}")
                self._outcome(task, "failed", repr(exc))
            finally:
                self._page_done(task)
                self.queue.task_done()

    async def _process(self, task: _Task) -> None:
        if self.crawl.summary.storage_error:  # nothing fetched now could be kept
            self._outcome(task, "deferred", "the crawl stopped: the disk is full")
            return
        row = self.state.get(task.url)
        stored = row["sha256"] if row is not None else None
        if task.kind != "listing" and stored and not (self.crawl.full or task.revalidate):
            self._outcome(task, "unchanged")
            if task.url in self.crawl.suspects and task.kind == "report":
                await self._read_again(task, row)
            return
        if self.budget <= 0:
            self._outcome(task, "deferred", "request budget for this site spent; next run")
            if task.walk is not None:
                task.walk.unsure = True
            return
        self.budget -= 1
        conditional = (
            (task.kind == "listing" or task.revalidate)
            and not self.crawl.full
            and stored is not None
        )
        result = await self.fetcher.fetch(
            task.url,
            self.site,
            etag=row["etag"] if conditional and row is not None else None,
            last_modified=row["last_modified"] if conditional and row is not None else None,
        )
        self._move_to_working_scheme(task)
        recorded = await self._record(task, result, stored)
        if recorded is None or task.kind == "attachment":
            return
        await self._read_and_follow(task, result, *recorded)

    async def _read_and_follow(
        self, task: _Task, result: FetchResult, content: bytes, kept: str, sha256: str
    ) -> None:
        """Read a page for links and queue them, unless these bytes of it killed a crawl."""
        if _is_html(content, result.content_type) and not self._quarantined(task, sha256):
            self._follow(task, await self._read_marked(task, result, content), kept)
            if task.url in self.crawl.quarantined:  # other bytes than those that killed a crawl
                self.crawl.quarantined.pop(task.url)
                self.state.release(task.url, CRASHED)

    async def _read_again(self, task: _Task, row: Any) -> None:
        """A stored page an earlier start of this crawl was reading, with others, when it died:
        its links may not all have been queued. Its stored bytes are read again."""
        content = self.store.get(row["sha256"])
        result = FetchResult(task.url, "ok", content=content, content_type=row["content_type"])
        await self._read_and_follow(
            task, result, content, row["same_as"] or task.url, row["sha256"]
        )

    async def _read_marked(self, task: _Task, result: FetchResult, content: bytes) -> _PageLinks:
        """Read a page for links, noted in the reading marker meanwhile (a crash names it)."""
        marker = self.crawl.marker
        if marker is not None:
            marker.start(self.site.id, task.url)
        try:
            # Reading a page is CPU work: a large one in a thread, so the event loop (timers,
            # other hosts' exchanges) is not held up by it; one of ordinary size here, as its
            # reading costs less than the hand-off to a thread and back.
            if len(content) <= READ_IN_LOOP_BYTES or self.crawl.suspects:
                return self._read_page(task, result, content)
            return await asyncio.to_thread(self._read_page, task, result, content)
        finally:
            if marker is not None:
                marker.done(task.url)

    def _quarantined(self, task: _Task, sha256: str) -> bool:
        """Whether these bytes of the page killed an earlier crawl process while it read them:
        they stay stored (a build reads them isolated) but are not read here."""
        if task.url not in self.crawl.quarantined:
            return False
        crashed = self.crawl.quarantined[task.url]
        if crashed is not None and crashed != sha256:
            return False
        if crashed is None:  # its bytes were not yet recorded when it crashed: these are they
            self.crawl.quarantined[task.url] = sha256
            self.state.pin_quarantine(task.url, sha256)
        self.summary.note(f"{task.kind} {task.url}: not read for links: {CRASHED} (findings)")
        return True

    def _move_to_working_scheme(self, task: _Task) -> None:
        """The fetch found the host only answers on its other scheme: the page's row follows."""
        canonical = self.fetcher.canonical(task.url)
        if canonical != task.url:
            self.state.rename_url(task.url, canonical)
            self.queued.add(canonical)
            task.url = canonical

    async def _record(
        self, task: _Task, result: FetchResult, stored: str | None
    ) -> tuple[bytes, str, str] | None:
        """Store the outcome; the content to discover links from (stored copy on a 304), with
        the URL the document is kept under and the content's sha256."""
        r = result
        if r.status == "not_modified" and stored and self.store.has(stored):
            self.state.record_fetch(task.url, status="ok", http_status=r.http_status)
            self._outcome(task, "unchanged")
            if task.kind == "attachment" or task.revalidate:  # nothing new to discover
                return None
            return self.store.get(stored), task.url, stored
        if r.status == "not_modified":  # a 304 for bytes we no longer have: fetch them plainly
            r = await self.fetcher.fetch(task.url, self.site)
        if r.status != "ok" or r.content is None:
            if task.walk is not None and task.page > 1:
                task.walk.stopped_by = f"{task.url} ({r.error or r.status})"
            if task.probe:  # a guess that is not there: no failure, and no row
                self.state.forget(task.url)
                return None
            status = r.status if r.status in ("failed", "blocked", "robots") else "failed"
            self.state.record_fetch(
                task.url, status=status, http_status=r.http_status, error=r.error,
                count_try=not r.skipped,
            )  # fmt: skip
            self._outcome(task, "failed" if status == "failed" else "blocked", r.error)
            return None
        sha256 = await self.crawl.writer.put(r.content)
        fields: dict[str, Any] = {
            "http_status": r.http_status, "sha256": sha256, "content_type": r.content_type,
            "etag": r.etag, "last_modified": r.last_modified,
        }  # fmt: skip
        self.state.record_fetch(task.url, status="ok", **fields)
        kept, previous = task.url, stored
        if task.kind != "listing" and (other := self._kept_under(task, r, fields)) is not None:
            kept, previous = other
            self.state.mark_same_as(task.url, kept)
        outcome = "new" if previous is None else ("unchanged" if previous == sha256 else "changed")
        self._outcome(task, outcome)
        return r.content, kept, sha256

    def _kept_under(
        self, task: _Task, result: FetchResult, fields: dict[str, Any]
    ) -> tuple[str, str | None] | None:
        """The URL a document fetched from `task.url` is kept under, when another, with the
        bytes it held before: the end of its redirect chain (recorded there now), or another
        URL of the site already holding the same bytes. One document, one report row."""
        final = self._canonical(result.final_url or task.url)
        if final != task.url and is_allowed(final, self.site):
            row = self.state.get(final)
            self.state.discover(final, self.site.id, task.kind, task.parent, task.title)
            self.state.record_fetch(final, status="ok", **fields)
            self.queued.add(final)  # a link to it later in this run is done already
            return final, row["sha256"] if row is not None else None
        sha256 = fields["sha256"]
        same = self.state.same_document(task.url, self.site.id, task.kind, sha256)
        return (same, sha256) if same is not None else None

    def _outcome(self, task: _Task, outcome: str, detail: str | None = None) -> None:
        self.summary.count(task.kind, outcome)
        if task.revalidate:
            self.summary.revalidated(outcome)
        if outcome == "new" and task.kind != "listing":
            self.summary.add_new(task.url, task.title)
        if outcome in ("failed", "blocked"):
            self.summary.note(f"{task.kind} {task.url}: {outcome}: {detail}")
        self.crawl.emit(CrawlEvent(self.site.id, task.url, task.kind, outcome, detail, task.title))

    # --- discovery ------------------------------------------------------------------------------
    def _read_page(self, task: _Task, result: FetchResult, content: bytes) -> _PageLinks:
        """What a fetched page links to: pure (no state), so it may run off the event loop."""
        content_type = f"text/html; charset={self.site.encoding}" if self.site.encoding else None
        text, _ = decode_bytes(content, content_type or result.content_type)
        base = result.final_url or task.url
        if (hop := find_redirect(base, text, self.site)) is not None:
            return hop
        if task.kind == "listing":
            return parse_listing(base, text, self.site)
        return inspect_report(base, text, self.site)

    def _follow(self, task: _Task, found: _PageLinks, kept: str) -> None:
        """Queue what a page links to; `kept` is the URL its document is kept under."""
        if isinstance(found, str):
            # A stub that moves on by meta refresh or script: the target is the same kind of page.
            hop, _ = self._discover(found, task.kind, task.url, task.title)
            if task.kind == "report":  # the stub is no report: the page it moves on to is
                self.state.mark_same_as(kept, hop)
            self.enqueue(_Task(hop, task.kind, task.url, task.title, task.page, task.depth))
        elif isinstance(found, Listing):
            self._follow_listing(task, found)
        else:
            for link in found.attachments:
                url, _ = self._discover(link.url, "attachment", kept, link.title or None)
                self.enqueue(_Task(url, "attachment", kept, link.title))

    def _follow_listing(self, task: _Task, listing: Listing) -> None:
        walk = task.walk
        if walk is None and task.page == 1:
            walk = task.walk = ColumnWalk(task.url)
        if walk is not None:
            walk.add_page(listing)
        unstored = 0
        for link in listing.reports:
            url, new = self._discover(link.url, "report", task.url, link.title)
            if new or not self._stored(url):
                unstored += 1
            self.enqueue(_Task(url, "report", task.url, link.title))
        for page in listing.pages:
            number = page.number or task.page + 1
            url = self._canonical(page.url)
            if url in self.queued or (url == listing.probe and walk and walk.counts is None):
                continue  # (a probe is not needed once the column's stated count is reached)
            if number <= self.max_pages and (
                unstored or self.crawl.full or not self._fetched_before(url)
            ):
                self._discover(url, "listing", task.url)
                probe = url == listing.probe
                self.enqueue(_Task(url, "listing", task.url, None, number, task.depth, walk, probe))
                if walk is not None:
                    walk.pending += 1
            elif walk is not None:  # left alone (nothing new, or past max_pages): no verdict
                walk.unsure = True
        if task.depth < MAX_SUBCOLUMN_DEPTH:
            for column in listing.subcolumns:
                url, _ = self._discover(column, "listing", task.url)
                self.enqueue(_Task(url, "listing", task.url, depth=task.depth + 1))

    def _page_done(self, task: _Task) -> None:
        """A listing page is handled: when it was its column's last, judge the column's walk."""
        walk = task.walk
        if task.kind != "listing" or walk is None:
            return
        walk.pending -= 1
        if walk.pending or walk.unsure:
            return
        message = walk.shortfall()
        if message is None:
            self.state.clear_finding(walk.column, TRUNCATED)
            return
        stated, reached = walk.counts or (None, None)
        self.state.record_finding(
            walk.column, self.site.id, TRUNCATED, severity_of(TRUNCATED), message, stated, reached
        )
        self.summary.note(message)
        log.warning("%s: %s", self.site.id, message)

    def _stored(self, url: str) -> bool:
        row = self.state.get(url)
        return row is not None and row["sha256"] is not None

    def _fetched_before(self, url: str) -> bool:
        row = self.state.get(url)
        return row is not None and row["status"] == "ok"


def _is_html(content: bytes, content_type: str | None) -> bool:
    if content.startswith(_BINARY_MAGIC):
        return False
    kind = (content_type or "text/html").split(";")[0].strip().lower()
    return kind.startswith(_HTML_TYPES) or kind in ("", "application/octet-stream")
