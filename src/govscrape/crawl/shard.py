"""Sharded crawls: N machines (or N cron entries) crawl disjoint sets of sites, politely.

A site's shard is a stable hash (sha1) of the host name of its first listing URL, so every site
on one host is in the same shard: the per-host politeness (spacing, concurrency, slow-down,
Retry-After) lives in one crawler process and cannot be split across machines without two
crawlers hammering the same server at the combined rate. A shard has its own data folder and
crawl state (a local SQLite file); `govscrape parse --from DIR...` builds one set of datasets
from all of them, the content-addressed raw stores merging by design.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from govscrape.crawl.config import SiteConfig
from govscrape.errors import InputError

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` (1 <= K <= N) as (K, N); an InputError a user can act on otherwise."""
    match = _SHARD.match(text)
    k, n = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if not (1 <= k <= n):
        raise InputError(f"--shard {text!r}: write K/N with 1 <= K <= N, e.g. --shard 2/4")
    return k, n


def site_host(site: SiteConfig) -> str:
    """The host a site's politeness is kept for: its first listing URL's host name."""
    urls = (*site.listing_urls, *site.report_urls)
    return (urlsplit(urls[0]).hostname or "").lower() if urls else site.id


def shard_of(site: SiteConfig, n: int) -> int:
    """The shard (1..n) a site belongs to: the same on every machine and every night."""
    digest = hashlib.sha1(site_host(site).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % n + 1


def in_shard(sites: Iterable[SiteConfig], k: int, n: int) -> list[SiteConfig]:
    """The sites of shard k of n, in their order."""
    return [site for site in sites if shard_of(site, n) == k]
