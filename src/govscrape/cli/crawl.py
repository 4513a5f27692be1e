"""Crawl the portals of sites.toml for annual reports (政府信息公开工作年度报告), then build the datasets.

Listing pages are fetched and their pagination followed; report pages and attachments are stored
untouched in DATA/raw (content-addressed), and every URL's status in DATA/state.sqlite. A second run
is incremental: listings are re-fetched with conditional requests, stored reports are not fetched
again except a night's share of them, conditionally, to catch corrections (revalidate_days in
[crawl]; use --full to refetch everything), and the summary lists what is new. Requests are polite
(per-host delay and concurrency, robots.txt, retries with backoff) and a crawl killed at any moment
resumes where it stopped. Only one crawl may use a data folder at a time (DATA/crawl.lock).
The crawl state is a local SQLite file: with --data on a URL (s3://...) or a network folder, it
goes into --state DIR on this machine's disk (which then records where its raw store is).

On a terminal a progress line is shown; otherwise (cron) plain log lines: one per new report
document and per failure (-q: failures only; -vv: every URL). At the end a per-site summary gives
listing pages, report pages and attachments seen/new/unchanged/failed/blocked. Unless --no-parse
is given, the datasets in DATA/parquet are then rebuilt from the new documents.

exit status:
  0    every site was crawled (some pages may have failed: see the summary)
  1    at least one site failed entirely, or another crawl holds the data folder
  2    the configuration is unusable (invalid sites.toml, unknown --site id)
  3    the crawl did not complete: the disk holding the data folder is full (what was
       stored is kept; free space and run again, it resumes)
  4    the crawl process kept dying (5 times in a run, or twice on one page); what was
       stored is kept. One page that kills it is quarantined (finding
       crawl.document_crashed) and the crawl restarts and goes on without it
  130  interrupted; everything stored so far is kept and the next run resumes

examples:
  govscrape crawl                                  # every site in config/sites.toml
  govscrape crawl --site mva --site hnxxjkq --max-pages 2
  govscrape crawl --data /srv/govscrape --no-parse  # crawl only (e.g. nightly from cron)
  govscrape crawl --shard 2/4 --data /srv/shard2 --no-parse   # machine 2 of 4 (own state)
  govscrape crawl --data s3://bucket/govscrape --state /var/lib/govscrape   # raw store and
                                                   # datasets in a bucket, the state on this disk

--shard K/N crawls the sites whose host name hashes to shard K of N (stable across machines and
nights): every site on one host is in one shard, so per-host politeness is never split between
machines. Build one set of datasets from all shards' folders with `govscrape parse --from`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from govscrape.cli.common import add_site_selection
from govscrape.crawl.config import load_config
from govscrape.crawl.crawler import (
    LOCK_OR_STATE_FULL,
    CrawlEvent,
    CrawlSummary,
    crawl_state_dir,
    run_crawl,
)
from govscrape.crawl.localdisk import require_local_folder
from govscrape.crawl.shard import in_shard, parse_shard
from govscrape.crawl.supervise import supervised
from govscrape.errors import InputError

log = logging.getLogger("govscrape.crawl.crawler")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_site_selection(parser, "crawl")
    parser.add_argument(
        "--data", metavar="LOCATION",
        help="the data folder, or a URL a cluster shares (s3://bucket/prefix; needs "
        "govscrape[cluster]): raw store and datasets (default: [storage] data in the config, "
        "else data)",
    )  # fmt: skip
    parser.add_argument(
        "--state", type=Path, metavar="DIR",
        help="folder on this machine's disk for the crawl state and lock (default: [storage] "
        "state in the config, else --data; required when --data is a URL or a network folder)",
    )  # fmt: skip
    parser.add_argument(
        "--max-pages", type=_positive, metavar="N",
        help="follow at most N pages of each listing (default: per site, else 50)",
    )  # fmt: skip
    parser.add_argument(
        "--full", action="store_true",
        help="refetch everything, not only listings and what is new",
    )  # fmt: skip
    parser.add_argument(
        "--no-parse", action="store_true", help="do not build the datasets after crawling"
    )
    parser.add_argument(
        "--shard", type=_shard, metavar="K/N",
        help="crawl only shard K of N (sites grouped by host; one data folder per shard)",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    args.data = args.data or config.storage.get("data", "data")
    if args.state is None and "state" in config.storage:
        args.state = Path(config.storage["state"])
    if args.state is None:
        require_local_folder(args.data)
    else:
        require_local_folder(args.state, option="--state")
    sites = config.select(args.sites)
    if args.shard is not None:
        sites = in_shard(sites, *args.shard)
        log.info("shard %d/%d: %d site(s)", *args.shard, len(sites))

    def crawl(suspects: frozenset[str]) -> CrawlSummary:
        with _display(len(sites)) as progress:
            return run_crawl(
                config, args.data, site_ids=[s.id for s in sites], full=args.full,
                max_pages=args.max_pages, progress=progress, state_dir=args.state,
                lock_held=True, suspects=suspects,
            )  # fmt: skip

    # In a child process: a page that kills it while being read costs that page (supervise.py).
    state_dir = crawl_state_dir(args.data, args.state)
    summary = supervised(crawl, state_dir, stopped_when_full=LOCK_OR_STATE_FULL)
    print(summary.format())
    if summary.storage_error:  # no room for datasets either; the summary said why
        return summary.exit_status
    if not args.no_parse:
        _build_datasets(args.data, args.state, args.full)
    return summary.exit_status


def _shard(value: str) -> tuple[int, int]:
    """argparse type of --shard: K/N with 1 <= K <= N."""
    try:
        return parse_shard(value)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc).split(": ", 1)[-1]) from None


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return int(value)


def _build_datasets(data: str, state: Path | None, full: bool) -> None:
    # Imported here: the build loads pyarrow, which `govscrape crawl --help` should not.
    from govscrape.datasets import build_datasets

    print(build_datasets(data, full=full, sources=None if state is None else [state]).format())


class _display:
    """On a terminal: a live rich progress line, with new reports and troubles printed above it.
    Otherwise (cron, pipes): plain log lines, one per new report and per failure; listing pages
    only with -vv. With -q: warnings only, and no progress line."""

    def __init__(self, site_count: int) -> None:
        self.site_count = site_count
        self.tty = sys.stderr.isatty() and log.isEnabledFor(logging.INFO)
        self.counts = {"pages": 0, "reports": 0, "attachments": 0, "new": 0, "failed": 0,
                       "blocked": 0}  # fmt: skip
        self.live: Any = None
        self.task: Any = None

    def __enter__(self) -> _display:
        if self.tty:
            # rich only on a terminal: cron runs never load it.
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.live = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                console=Console(stderr=True), transient=True,
            )  # fmt: skip
            self.live.start()
            self.task = self.live.add_task(self._line(""), total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.stop()

    def __call__(self, event: CrawlEvent) -> None:
        self._count(event)
        level = _level(event)
        detail = f" ({event.detail})" if event.detail else ""
        line = f"{event.site} {event.kind} {event.outcome} {event.url}{detail}"
        if self.live is not None:
            self.live.update(self.task, description=self._line(event.site))
            if level >= logging.INFO:  # above the progress line, which stays at the bottom
                self.live.console.print(line, markup=False, highlight=False)
            return
        log.log(level, "%s", line)

    def _count(self, event: CrawlEvent) -> None:
        key = {"listing": "pages", "report": "reports"}.get(event.kind, "attachments")
        self.counts[key] += 1
        if event.outcome in ("new", "changed") and event.kind != "listing":
            self.counts["new"] += 1
        if event.outcome in ("failed", "blocked"):
            self.counts[event.outcome] += 1

    def _line(self, site: str) -> str:
        c = self.counts
        return (
            f"crawling {self.site_count} site(s) {site}: {c['pages']} listing pages,"
            f" {c['reports']} report pages, {c['attachments']} attachments; {c['new']} new,"
            f" {c['failed']} failed, {c['blocked']} blocked"
        )


def _level(event: CrawlEvent) -> int:
    """Failures warn; new documents inform; listing pages and unchanged URLs are debug detail."""
    if event.outcome in ("failed", "blocked"):
        return logging.WARNING
    if event.outcome in ("new", "changed") and event.kind != "listing":
        return logging.INFO
    return logging.DEBUG
