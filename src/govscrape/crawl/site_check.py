"""`sites check`: fetch each site's listing page(s) politely and say what a maintainer needs to
keep sites.toml true: reachable or why not, the CMS family, items per year, the newest report year,
items beyond the static pages, robots.txt. Nothing is stored."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from govscrape.crawl.config import SiteConfig
from govscrape.crawl.coverage import YEAR_IN_TITLE
from govscrape.crawl.discover import Listing, parse_listing
from govscrape.crawl.fetch import Fetcher
from govscrape.crawl.fetch_result import FetchResult
from govscrape.crawl.http_exchange import make_client
from govscrape.crawl.settings import CrawlSettings
from govscrape.encoding import decode_bytes

# CMS families by what their listing pages carry, first match wins (docs/portal-families.md).
FAMILY_MARKERS: tuple[tuple[str, str], ...] = (
    ("gkmlpt", r"gkmlpt|\"articles\"\s*:"),
    ("hanweb_jcms", r"<datastore>|jpage|/col/col\d+|hanweb"),
    ("trs", r"createPageHTML|countPage|listModel|TRS_Editor|SiteIDCode|t\d{8}_\d+\.s?html"),
    ("legacy_asp", r"ShowArticle\.asp|\.asp\?"),
)
# Year sub-columns read below a column front page that lists no reports itself (the newest first).
SUBCOLUMNS_READ = 3
# Why a host gave no answer, by the words of the connection error (first match wins).
NO_ANSWER_CAUSES: tuple[tuple[str, str], ...] = (
    ("DNS: the host name does not resolve", r"Name or service not known|nodename nor servname|getaddrinfo|No address associated"),
    ("TLS: the secure connection failed", r"SSL|TLS|CERTIFICATE|handshake"),
    ("timeout", r"timeout|timed out"),
    ("connection refused", r"refused"),
)  # fmt: skip


@dataclass(slots=True)
class ListingCheck:
    """One listing URL as fetched now."""

    url: str
    status: str  # ok | failed | blocked | robots
    why: str | None = None
    items: int = 0
    reports: int = 0
    stated_items: int | None = None


@dataclass(slots=True)
class SiteCheck:
    """What one site's listings show now."""

    site: str
    agency: str
    reachable: bool = False
    why: str | None = None
    family: str | None = None
    robots: str = "not checked"
    years: dict[int, int] = field(default_factory=dict)
    newest_year: int | None = None
    beyond_static: int | None = None  # items the listings state beyond what their pages show
    listings: list[ListingCheck] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def check_sites(sites: list[SiteConfig], settings: CrawlSettings) -> list[SiteCheck]:
    """Check every site at once (each host paced as in a crawl), in the order given."""

    async def run() -> list[SiteCheck]:
        async with make_client(settings) as client:
            fetcher = Fetcher(client, settings)
            return list(await asyncio.gather(*(_check(fetcher, s) for s in sites)))

    return asyncio.run(run())


async def _check(fetcher: Fetcher, site: SiteConfig) -> SiteCheck:
    check = SiteCheck(site.id, site.agency)
    years: Counter[int] = Counter()
    families: Counter[str] = Counter()
    queue = [(url, 0) for url in site.listing_urls or site.report_urls[:1]]
    while queue:
        url, depth = queue.pop(0)
        listing, found, family = await _read_listing(fetcher, site, url)
        check.listings.append(listing)
        if found is None:
            continue
        _count(listing, found, years)
        families.update([family] if family else [])
        dated = any(YEAR_IN_TITLE.search(link.title) for link in found.reports)
        if depth == 0 and not dated:  # a front page of year sub-columns: read the newest
            queue += [(sub, 1) for sub in found.subcolumns[:SUBCOLUMNS_READ]]
    check.robots = _robots(fetcher, site)
    good = [lc for lc in check.listings if lc.status == "ok"]
    check.reachable = bool(good)
    if not good and check.listings:
        check.why = check.listings[0].why
    check.family = families.most_common(1)[0][0] if families else site.family
    check.years = dict(sorted(years.items(), reverse=True))
    check.newest_year = max(years) if years else None
    stated = [lc for lc in good if lc.stated_items]
    if stated:
        check.beyond_static = sum(max(0, (lc.stated_items or 0) - lc.items) for lc in stated)
    return check


async def _read_listing(
    fetcher: Fetcher, site: SiteConfig, url: str
) -> tuple[ListingCheck, Listing | None, str | None]:
    """One listing page fetched and read: its check, what it lists, the family it shows."""
    result = await fetcher.fetch(url, site)
    listing = ListingCheck(url, result.status, None if result.ok else _why(result))
    if not result.ok or result.content is None:
        return listing, None, None
    text = decode_bytes(result.content, result.content_type)[0]
    found = await asyncio.to_thread(parse_listing, result.final_url or url, text, site)
    return listing, found, _family(text)


def _count(listing: ListingCheck, found: Listing, years: Counter[int]) -> None:
    listing.items, listing.reports = found.items, len(found.reports)
    listing.stated_items = found.stated_items
    for link in found.reports:
        if m := YEAR_IN_TITLE.search(link.title):
            years[int(m.group(1))] += 1


def _why(result: FetchResult) -> str:
    """Why a listing could not be read: DNS, TLS, timeout, HTTP status, challenge, robots."""
    error = result.error or result.status
    if result.status in ("blocked", "robots"):
        return error
    if result.http_status is None:
        for cause, pattern in NO_ANSWER_CAUSES:
            if re.search(pattern, error, re.I):
                return f"{cause} ({error})"
        return f"no answer ({error})"
    return f"HTTP {result.http_status}" + (
        f": {error}" if error != f"HTTP {result.http_status}" else ""
    )


def _family(text: str) -> str | None:
    head = text[:200_000]
    return next((name for name, pattern in FAMILY_MARKERS if re.search(pattern, head)), None)


def _robots(fetcher: Fetcher, site: SiteConfig) -> str:
    """robots.txt as it bears on the listings."""
    if not site.obey_robots:
        return f"not obeyed: {site.robots_reason}"
    urls = site.listing_urls or site.report_urls[:1]
    rules = fetcher.robots.cached(urls[0]) if urls else None
    if rules is None:
        return "not fetched"
    if rules.unreachable:
        return rules.unreachable
    if rules.parser is None:
        return "no rules (none, or not a robots file)"
    agent = fetcher.settings.user_agent
    refused = [u for u in urls if not rules.allows(u, agent)]
    return f"disallows {len(refused)} listing(s)" if refused else "allows the listings"
