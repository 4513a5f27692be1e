"""What the crawl could and could not see of each site: the context a missing report needs.

A report missing from the datasets means different things: the agency did not publish it, the
site was blocked by an anti-bot challenge, its listing failed, or the report page was found but
could not be fetched. The crawl state (state.sqlite) knows which; this module reads it
(read-only) and words it for the zero-requests answer, so that a journalist does not conclude an
agency failed to publish when the crawler simply could not look.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from govscrape.crawl.state import read_only_query

TROUBLE = ("failed", "blocked", "robots")
YEAR_IN_TITLE = re.compile(r"((?:19|20)\d\d)\s*年")
# Crawl status of a site, worst first: how far its "no report" can be trusted.
STATUSES = ("not_crawled", "blocked", "failed", "partial", "ok")
TRUNCATIONS = (
    "SELECT site, message FROM findings WHERE code = 'crawl.listing_truncated' ORDER BY site, url"
)


@dataclass(frozen=True, slots=True)
class Trouble:
    """A URL the crawl could not fetch: its kind, outcome, HTTP status, error and link text."""

    url: str
    kind: str
    status: str
    http_status: int | None
    error: str | None
    title: str | None

    def describe(self) -> str:
        """E.g. "HTTP 521, jsl challenge (加速乐 …)" or "disallowed by robots.txt"."""
        parts = [f"HTTP {self.http_status}"] if self.http_status else []
        if self.error:
            parts.append(self.error)
        return ", ".join(parts) or self.status


@dataclass(frozen=True, slots=True)
class SiteCoverage:
    """What one site's crawl fetched and what it could not."""

    site: str
    listings_ok: int = 0
    reports_stored: int = 0
    last_crawled: str | None = None  # ISO date of the latest fetch
    troubles: tuple[Trouble, ...] = field(default_factory=tuple)
    truncated: tuple[str, ...] = ()  # crawl.listing_truncated messages: listings not all seen

    @property
    def status(self) -> str:
        """ok | partial (some pages failed) | blocked | failed (nothing seen) | not_crawled."""
        if not self.last_crawled and not self.troubles:
            return "not_crawled"
        if self.listings_ok or self.reports_stored:
            return "partial" if self.troubles or self.truncated else "ok"
        if self.troubles and all(t.status != "failed" for t in self.troubles):
            return "blocked"
        return "failed"

    def report_trouble(self, year: int) -> Trouble | None:
        """A report link for `year` (by its link text) that could not be fetched."""
        for trouble in self.troubles:
            if trouble.kind == "listing" or not trouble.title:
                continue
            if str(year) in YEAR_IN_TITLE.findall(trouble.title):
                return trouble
        return None

    def evidence_url(self, year: int) -> str | None:
        """The URL behind explain_missing: the unfetched report, else the failed listing."""
        found = self.report_trouble(year)
        if found is not None:
            return found.url
        return next((t.url for t in self.troubles if t.kind == "listing"), None)

    def explain_missing(self, year: int) -> str:
        """Why there is no report of this site for `year`, as far as the crawl can tell."""
        found = self.report_trouble(year)
        if found is not None:
            return (
                f"no report: a {year} report was found but could not be fetched "
                f"({found.describe()})"
            )
        listing = next((t for t in self.troubles if t.kind == "listing"), None)
        status = self.status
        if status == "not_crawled":
            return "no report: the site has not been crawled yet"
        if status in ("blocked", "failed"):
            what = "blocked" if status == "blocked" else "unreachable"
            cause = listing or self.troubles[0]
            return (
                f"no report: site {what} in the crawl ({cause.describe()}), so whether the "
                "agency published is unknown"
            )
        since = f" (crawled {self.last_crawled})" if self.last_crawled else ""
        if listing is not None:
            count = sum(t.kind == "listing" for t in self.troubles)
            return (
                f"no {year} report among the pages crawled{since}, but {count} listing page(s) "
                f"could not be fetched ({listing.describe()}): it may exist"
            )
        if self.truncated:
            return (
                f"no {year} report among the pages crawled{since}, but the {self.truncated[0]}"
                ": the report may exist"
            )
        return f"no {year} report found on the site{since}; missing is not zero"


def site_coverage(data_dir: Path | str) -> dict[str, SiteCoverage]:
    """Site id -> coverage, from DATA/state.sqlite; {} when there is no crawl state."""
    found = read_only_query(
        data_dir,
        "SELECT site, kind, status, http_status, last_error, title, url, sha256,"
        " last_fetched FROM urls ORDER BY site, kind, url",
        "SELECT id FROM sites",
    )
    if found is None:
        return {}
    rows, site_rows = found
    sites = [r[0] for r in site_rows]
    # A state written before crawl findings were kept has no findings table: no truncations.
    notes = read_only_query(data_dir, TRUNCATIONS) or [[]]
    truncated: dict[str, list[str]] = defaultdict(list)
    for site, message in notes[0]:
        truncated[site].append(message)
    return _coverage(rows, sites, truncated)


CRAWL_FINDINGS = (
    "SELECT site, url, code, severity, message, expected, found FROM findings ORDER BY site, url"
)


def crawl_findings(data_dir: Path | str) -> list[tuple]:
    """The crawl's own findings (site, url, code, severity, message, expected, found), e.g. a
    listing that states more items than the crawl could reach; [] when there is no crawl state."""
    found = read_only_query(data_dir, CRAWL_FINDINGS)
    return found[0] if found else []


def _coverage(
    rows: list[tuple], sites: list[str], truncated: dict[str, list[str]]
) -> dict[str, SiteCoverage]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"listings": 0, "reports": 0})
    troubles: dict[str, list[Trouble]] = defaultdict(list)
    last: dict[str, str] = {}
    for site, kind, status, http, error, title, url, sha256, fetched in rows:
        if fetched:
            last[site] = max(last.get(site, ""), fetched[:10])
        if kind == "listing" and status == "ok":
            counts[site]["listings"] += 1
        elif kind in ("report", "attachment") and sha256:
            counts[site]["reports"] += 1
        elif status in TROUBLE and (kind == "listing" or not sha256):
            troubles[site].append(Trouble(url, kind, status, http, error, title))
    return {
        site: SiteCoverage(
            site=site,
            listings_ok=counts[site]["listings"],
            reports_stored=counts[site]["reports"],
            last_crawled=last.get(site),
            troubles=tuple(troubles[site]),
            truncated=tuple(truncated.get(site, ())),
        )
        for site in sorted({*sites, *(r[0] for r in rows)})
    }
