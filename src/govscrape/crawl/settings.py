"""Every tunable default in one place, each with the reason for its value."""

from __future__ import annotations

from dataclasses import dataclass

from govscrape import __version__

PROJECT_URL = "https://github.com/govscrape/govscrape"


@dataclass(frozen=True, slots=True)
class CrawlSettings:
    """Defaults for `govscrape crawl`; a site entry in sites.toml may override the per-site ones."""

    # Identify ourselves so a webmaster can see who we are and reach us.
    user_agent: str = f"govscrape/{__version__} (+{PROJECT_URL}; research crawler)"
    # Gov portals are small servers: two requests at a time per host is polite and enough.
    per_host_concurrency: int = 2
    # One second between requests to one host, as the issue asks; raised adaptively on 429/503.
    per_host_delay_s: float = 1.0
    # Many hosts can be crawled at once; the per-host limits keep each one safe.
    global_concurrency: int = 16
    # A healthy gov page connects in well under 10 s; beyond that the host is in trouble.
    connect_timeout_s: float = 10.0
    # Large PDF attachments on slow links need time, but a stalled read should not hang a night.
    read_timeout_s: float = 30.0
    # Transient faults (5xx, 429, resets) usually clear within a few tries; more is impolite.
    max_tries: int = 4
    # Backoff starts at 1 s and doubles, with jitter, capped so a night is not spent waiting.
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 60.0
    # Retry-After beyond this is treated as "come back tomorrow" for the host.
    max_retry_after_s: float = 300.0
    # The whole of one request, headers and body: a server dripping a byte a second never trips
    # the read timeout. A 30 MB attachment needs 2 minutes at 250 KB/s, a slow county link.
    request_deadline_s: float = 120.0
    # Reports are 50-300 KB as HTML and up to a few MB as PDF; 30 MB catches runaway bodies.
    # Counted after Content-Encoding is undone, layer by layer (crawl/body_reader.py).
    max_body_bytes: int = 30 * 1024 * 1024
    # A runaway site (calendar pages, loops) must not eat the night.
    max_requests_per_site: int = 2000
    # Incremental nights only need the newest listing pages; backfills raise this.
    max_pages: int = 50
    # An answer slower than this means the host is struggling: its delay is doubled.
    slow_response_s: float = 5.0
    # Adaptive slow-down never waits longer than this between two requests to one host.
    max_host_delay_s: float = 60.0
    # Real moves are 1-3 hops (http->https, old column->new); more is a loop or a trap.
    max_redirects: int = 8
    # The crawl state commits its rows in groups this often (one commit per row costs more than
    # parsing the page); a crawl killed meanwhile redoes at most this much work next run.
    commit_interval_s: float = 1.0
    # Portals correct reports in place (更正): a stored report page or attachment is fetched
    # again, conditionally, about once in this many days (0: never). Each night takes the share
    # whose check is oldest (stored / revalidate_days of a site), so a night's cost stays flat.
    revalidate_days: int = 30
    # At most this many revalidations per site and night, whatever the share.
    revalidate_max: int = 100
