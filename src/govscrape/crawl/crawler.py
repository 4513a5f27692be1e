"""Crawl the configured sites into the raw store and crawl state: incremental and resumable.

Incremental policy: listing pages are re-fetched every run with conditional requests
(If-None-Match / If-Modified-Since); a 304 re-reads the stored copy to continue discovery. Report
pages and attachments already stored are not fetched again, except a night's share of them on a
slow cycle (`revalidate_days`), conditionally, to catch corrections made in place; `full=True`
re-fetches everything unconditionally.
Pagination beyond the first page is only followed when a page lists a report not yet stored, or
when the next page itself was never fetched, so a quiet night costs one request per listing.
Every discovered URL is written to the state at once as `pending`; a killed crawl loses nothing
stored and the next run fetches the pending URLs first.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from govscrape.crawl.config import Config, SiteConfig
from govscrape.crawl.fetch import Fetcher
from govscrape.crawl.http_exchange import make_client
from govscrape.crawl.lock import FolderLock
from govscrape.crawl.raw_location import bind_raw_store, raw_of_data
from govscrape.crawl.rawstore import Store, store_at
from govscrape.crawl.reading_marker import MARKER_NAME, ReadingMarker
from govscrape.crawl.settings import CrawlSettings
from govscrape.crawl.site_crawl import CrawlEvent, Progress, SiteCrawl
from govscrape.crawl.state import CrawlState
from govscrape.crawl.storage import is_url
from govscrape.crawl.store_writer import GroupWriter
from govscrape.crawl.summary import CrawlSummary, SiteSummary
from govscrape.crawl.url_policy import host_allowed
from govscrape.errors import ConfigError, disk_full_is_an_error, is_disk_full

__all__ = ["CrawlEvent", "CrawlSummary", "SiteSummary", "run_crawl"]

log = logging.getLogger(__name__)


def run_crawl(
    config: Config,
    data_dir: Path | str,
    *,
    site_ids: list[str] | None = None,
    full: bool = False,
    max_pages: int | None = None,
    settings: CrawlSettings | None = None,
    progress: Progress | None = None,
    state_dir: Path | str | None = None,
    lock_held: bool = False,
    suspects: frozenset[str] = frozenset(),
) -> CrawlSummary:
    """Crawl the selected sites of `config` into `data_dir`; holds data_dir/crawl.lock (unless
    `lock_held`: the caller holds it, e.g. the supervisor of crawl/supervise.py).

    `data_dir` may be an fsspec URL (`s3://bucket/x`: the raw store goes to its raw/); the crawl
    state and lock are then in `state_dir`, a folder on this machine's disk (default: data_dir).
    `suspects`: pages an earlier start was reading (more than one) when it died: they are read
    again, and every page is read one at a time (large ones in the event loop too), so that a
    second crash names its page (crawl/supervise.py).
    """
    sites = config.select(site_ids)
    settings = config.settings(settings)
    if max_pages is not None:
        settings = dataclasses.replace(settings, max_pages=max_pages)
        sites = [dataclasses.replace(s, max_pages=max_pages) for s in sites]
    state_dir = crawl_state_dir(data_dir, state_dir)
    raw = raw_of_data(data_dir)

    def job() -> CrawlSummary:
        return _crawl_into(state_dir, raw, sites, settings, full, progress, suspects)

    # A full disk met during the crawl ends it with a summary saying so (exit status 3); one met
    # before it could start (the lock, the state's SQLite files) is the same error, raised.
    with disk_full_is_an_error(state_dir, LOCK_OR_STATE_FULL):
        if lock_held:
            return _run_sync(job)
        with FolderLock(state_dir / "crawl.lock"):
            return _run_sync(job)


LOCK_OR_STATE_FULL = "the crawl could not write its lock or state; what was stored before is kept"


def crawl_state_dir(data_dir: Path | str, state_dir: Path | str | None) -> Path:
    """The folder of the crawl state and lock: `state_dir`, else the data folder (local)."""
    if state_dir is None and is_url(data_dir):
        raise ConfigError(f"--data {data_dir}: name a local folder for the crawl state (--state)")
    return Path(state_dir if state_dir is not None else data_dir)


def _crawl_into(
    state_dir: Path,
    raw: str,
    sites: list[SiteConfig],
    settings: CrawlSettings,
    full: bool,
    progress: Progress | None,
    suspects: frozenset[str],
) -> CrawlSummary:
    """The crawl proper, in the thread that runs its event loop (SQLite wants one thread)."""
    state = CrawlState(state_dir / "state.sqlite")
    try:
        bind_raw_store(state.db, state_dir, raw)
    except BaseException:
        state.close()
        raise
    crawl = _Crawl(sites, state, store_at(raw), settings, full, progress)
    crawl.quarantined = state.quarantined()
    crawl.suspects = suspects
    crawl.marker = ReadingMarker(state_dir / MARKER_NAME)
    try:
        return asyncio.run(crawl.run())
    finally:
        crawl.marker.close()
        try:
            state.close()  # commits the last group of rows, on an interrupt too
        except Exception as exc:  # a full disk: the summary says the crawl did not complete
            crawl.stop_for(exc)


def _run_sync(job: Callable[[], CrawlSummary]) -> CrawlSummary:
    """Run `job` here, or in a helper thread when the caller already runs a loop (notebooks)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return job()
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["result"] = job()
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="govscrape-crawl")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]


@dataclass
class _Crawl:
    sites: list[SiteConfig]
    state: CrawlState
    store: Store
    settings: CrawlSettings
    full: bool
    progress: Progress | None
    summary: CrawlSummary = field(default_factory=CrawlSummary)
    # Pages whose reading killed an earlier crawl process: URL -> those bytes' sha256 (state.py).
    quarantined: dict[str, str | None] = field(default_factory=dict)
    marker: ReadingMarker | None = None  # the pages being read now (crawl/reading_marker.py)
    suspects: frozenset[str] = frozenset()  # read again, one page at a time (see run_crawl)

    def __post_init__(self) -> None:
        self.writer = GroupWriter(self.store)

    async def run(self) -> CrawlSummary:
        run_id = self.state.start_run()
        status = "interrupted"
        committer = asyncio.create_task(self._commit_regularly())
        try:
            async with make_client(self.settings, private_ok=self._private_ok) as client:
                fetcher = Fetcher(client, self.settings)
                fetcher.scheme_swaps = self.state.scheme_swaps()
                fetcher.on_scheme_swap = self.state.record_scheme_swap
                crawlers = [SiteCrawl(self, site, fetcher) for site in self.sites]
                await asyncio.gather(*(c.run() for c in crawlers))
            status = "ok" if self.summary.exit_status == 0 else "partial"
            if self.summary.sites and all(s.failed_entirely for s in self.summary.sites):
                status = "failed"
            return self.summary
        finally:
            committer.cancel()
            try:
                self.state.finish_run(run_id, status, self.summary.as_dict())
                self.state.commit()
            except Exception as exc:
                self.stop_for(exc)

    def _private_ok(self, host: str) -> bool:
        """Whether `host` may resolve to a private address: a site entry allowing it names it."""
        return any(
            s.allow_private_addresses and host_allowed(host, s.allowed_domains) for s in self.sites
        )

    def stop_for(self, exc: BaseException) -> None:
        """The disk is full (else re-raise): stop fetching; the summary says the crawl did not
        complete, and why. What was stored before stays stored."""
        if not is_disk_full(exc):
            raise exc
        if not self.summary.storage_error:
            log.error("the disk holding the data folder is full (%s): the crawl stops", exc)
            self.summary.storage_error = str(exc)

    async def _commit_regularly(self) -> None:
        """Group state writes: a row is only written after its bytes are fsynced in the raw
        store, so every committed row points at durable bytes (crash-safe in any order)."""
        while True:
            self.state.begin()
            await asyncio.sleep(self.settings.commit_interval_s)
            try:
                self.state.commit()
            except Exception as exc:
                self.stop_for(exc)
                return

    def emit(self, event: CrawlEvent) -> None:
        if self.progress is not None:
            self.progress(event)
