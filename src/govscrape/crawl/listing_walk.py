"""A listing column's walk through its static pages: what the column states it holds against what
the crawl reached, for the `crawl.listing_truncated` finding (TRS "动静结合" columns)."""

from __future__ import annotations

from dataclasses import dataclass

from govscrape.crawl.discover import Listing

TRUNCATED = "crawl.listing_truncated"


@dataclass(slots=True)
class ColumnWalk:
    """One column's walk this run, from its first page through the pages it leads to."""

    column: str  # the URL of the column's first page
    stated_items: int | None = None
    stated_pages: int | None = None
    reached_items: int = 0
    reached_pages: int = 0
    pending: int = 1  # pages queued and not yet handled (the first page counts)
    unsure: bool = False  # a next page was left alone (nothing new, a limit): no verdict
    stopped_by: str | None = None  # the next page that could not be fetched, and why

    def add_page(self, listing: Listing) -> None:
        """A page of the column was read."""
        self.stated_items = self.stated_items or listing.stated_items
        self.stated_pages = self.stated_pages or listing.stated_pages
        self.reached_items += listing.items
        self.reached_pages += 1

    @property
    def counts(self) -> tuple[int, int] | None:
        """(stated, reached) items, or pages when only pages are stated; None when whole."""
        if self.stated_items and self.stated_items > self.reached_items:
            return self.stated_items, self.reached_items
        if self.stated_pages and self.stated_pages > self.reached_pages:
            return self.stated_pages, self.reached_pages
        return None

    def shortfall(self) -> str | None:
        """The finding's message, or None when the walk reached what the column states."""
        if self.counts is None:
            return None
        if self.stated_items and self.stated_items > self.reached_items:
            said = f"states {self.stated_items} items, {self.reached_items} reached"
        else:
            said = (
                f"states {self.stated_pages} pages, {self.reached_pages} reached"
                f" ({self.reached_items} items)"
            )
        stop = f"the next page failed: {self.stopped_by}" if self.stopped_by else "no next page"
        return (
            f"listing {self.column} {said} ({stop}); the rest is only shown by the portal's"
            " script or search, so older reports may be unreachable, not unpublished"
        )
