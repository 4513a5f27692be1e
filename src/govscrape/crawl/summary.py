"""What a crawl did, per site: listing pages, reports and attachments seen/new/unchanged/failed/blocked."""

from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import dataclass, field

KINDS = ("listing", "report", "attachment")
OUTCOMES = ("seen", "new", "changed", "unchanged", "failed", "blocked", "deferred")
# The summary table's column groups: (heading, kind counted). Attachments (the PDF/Word files
# linked from report pages) are counted apart from the report pages themselves.
COLUMNS = (("listing pages", "listing"), ("report pages", "report"), ("attachments", "attachment"))
# What the cells mean, printed under the table so cron mail explains itself.
LEGEND = (
    "cells: seen/new/unch/fail/blk. seen: handled this run; new: stored for the first time (or"
    " changed); unch: already stored, or 304; fail: could not be fetched; blk: robots.txt, a"
    " challenge/WAF page, a login wall or a soft 404."
)
# Failure lines kept per site for the summary; the state database has them all.
MAX_NOTES = 20
# New documents listed by name under the table; more are only counted.
MAX_NEW_LISTED = 15
# New documents kept by URL in the run's record (a backfill finds 100,000: memory stays flat;
# the state database's first_fetched has them all).
MAX_NEW_KEPT = 200


@dataclass(slots=True)
class SiteSummary:
    """Counters of one site's crawl, by kind (listing/report/attachment) and outcome."""

    site: str
    agency: str = ""
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    new_documents: list[tuple[str, str | None]] = field(default_factory=list)
    new_count: int = 0
    checked: int = 0  # stored documents fetched again (conditionally) to catch corrections
    corrected: int = 0  # … of which the portal now serves other bytes (kept beside the old)

    def revalidated(self, outcome: str) -> None:
        """A stored document was checked again: `changed` when its bytes are new."""
        self.checked += 1
        self.corrected += outcome == "changed"

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind, outcome] += 1

    def add_new(self, url: str, title: str | None) -> None:
        """A report page or attachment stored for the first time."""
        self.new_count += 1
        if len(self.new_documents) < MAX_NEW_KEPT:
            self.new_documents.append((url, title))

    def note(self, line: str) -> None:
        if len(self.notes) < MAX_NOTES:
            self.notes.append(line)

    def get(self, kind: str, outcome: str) -> int:
        return self.counts[kind, outcome]

    def documents(self, outcome: str) -> int:
        """Reports and attachments together (both are report documents)."""
        return self.get("report", outcome) + self.get("attachment", outcome)

    @property
    def fetched(self) -> int:
        """Responses that gave content (new, changed or confirmed unchanged by the server)."""
        return sum(self.get(k, o) for k in KINDS for o in ("new", "changed", "unchanged"))

    @property
    def failed_entirely(self) -> bool:
        """Nothing at all could be fetched, and something was tried and failed or was blocked."""
        troubles = sum(self.get(k, o) for k in KINDS for o in ("failed", "blocked"))
        return self.fetched == 0 and troubles > 0

    def as_dict(self) -> dict[str, object]:
        return {
            "site": self.site,
            "failed_entirely": self.failed_entirely,
            "counts": {f"{k}.{o}": n for (k, o), n in sorted(self.counts.items())},
            "notes": self.notes,
            "new_count": self.new_count,
            "revalidated": self.checked,
            "changed": self.corrected,
            "new": [u for u, _ in self.new_documents],
        }


@dataclass(slots=True)
class CrawlSummary:
    """The whole run: one SiteSummary per site crawled."""

    sites: list[SiteSummary] = field(default_factory=list)
    # Why the crawl stopped before the end (the disk holding the data folder is full).
    storage_error: str | None = None

    @property
    def exit_status(self) -> int:
        """0 when every site was crawled (some pages may have failed), 1 when a site failed
        entirely, 3 when the crawl did not complete (the disk is full)."""
        if self.storage_error:
            return 3
        return 1 if any(s.failed_entirely for s in self.sites) else 0

    def total(self, kind: str, outcome: str) -> int:
        return sum(s.get(kind, outcome) for s in self.sites)

    def as_dict(self) -> dict[str, object]:
        return {"exit_status": self.exit_status, "sites": [s.as_dict() for s in self.sites]}

    def format(self) -> str:
        """A plain-text table (fits cron mail), then new documents and failures per site."""
        head = ("site", *(name for name, _ in COLUMNS), "")
        rows = [head] + [_row(s.site, s.counts, s.failed_entirely) for s in self.sites]
        if len(self.sites) > 1:
            totals: Counter[tuple[str, str]] = sum((s.counts for s in self.sites), Counter())
            rows.append(_row("total", totals, False))
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
        ]
        rule = "  ".join("-" * w for w in widths[:-1])
        lines.insert(1, rule)
        if len(self.sites) > 1:
            lines.insert(len(lines) - 1, rule)
        lines.extend(textwrap.wrap(LEGEND, 100))
        checked = sum(s.checked for s in self.sites)
        if checked:
            changed = sum(s.corrected for s in self.sites)
            lines.append(
                f"revalidated: {checked}, changed: {changed} (stored reports fetched again to"
                " catch corrections; a changed one is kept beside the old and parsed again)"
            )
        for s in self.sites:
            lines.extend(_details(s))
        failed = [s.site for s in self.sites if s.failed_entirely]
        status = (
            f"{len(failed)} failed entirely ({', '.join(failed)})"
            if failed
            else "every site was crawled"
        )
        lines.append(f"{len(self.sites)} site(s): {status}.")
        if self.storage_error:
            lines.append(
                "THE CRAWL DID NOT COMPLETE: the disk holding the data folder is full "
                f"({self.storage_error}); what was stored before is kept. Free some space and "
                "run the crawl again: it resumes where it stopped."
            )
        return "\n".join(lines)


def _row(name: str, counts: Counter[tuple[str, str]], failed: bool) -> tuple[str, ...]:
    return (name, *(_cells(counts, kind) for _, kind in COLUMNS), "FAILED" if failed else "")


def _cells(counts: Counter[tuple[str, str]], kind: str) -> str:
    new = counts[kind, "new"] + counts[kind, "changed"]
    return "/".join(
        str(n)
        for n in (counts[kind, "seen"], new, counts[kind, "unchanged"],
                  counts[kind, "failed"], counts[kind, "blocked"])
    )  # fmt: skip


def _details(s: SiteSummary) -> list[str]:
    lines = []
    if s.new_count:
        lines.append(f"{s.site}: {s.new_count} new report document(s):")
        for url, title in s.new_documents[:MAX_NEW_LISTED]:
            lines.append(f"  + {title or ''} {url}".replace("   ", " "))
        if s.new_count > MAX_NEW_LISTED:
            lines.append(f"  … and {s.new_count - MAX_NEW_LISTED} more")
    deferred = sum(s.get(k, "deferred") for k in KINDS)
    if deferred:
        lines.append(f"{s.site}: {deferred} URL(s) left for the next run (request budget spent)")
    for note in s.notes:
        lines.append(f"{s.site}: ! {note}")
    return lines
