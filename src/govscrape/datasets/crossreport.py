"""Rules across reports: year.continuity and publication.late, deadlines as data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from govscrape.model import Finding, Severity

CHINA = ZoneInfo("Asia/Shanghai")
LAW = "条例 第四十九条"
# Cells the arithmetic rules read as 0 (and say so), and cells that make a rule inapplicable.
AS_ZERO = frozenset({"blank", "dash", "none_word"})


@dataclass(frozen=True, slots=True)
class Deadline:
    """When an annual report is due: `month`/`day` of the year after the statistical year."""

    agency_kinds: frozenset[str]
    first_year: int | None  # first statistical year the deadline applies to (None: no limit)
    last_year: int | None
    month: int
    day: int
    who: str


# 条例 第四十九条 (docs/national-format.md#publication-deadlines). Townships/streets and "other"
# bodies are not covered by the article, so no deadline (and no finding) applies to them.
DEADLINES: tuple[Deadline, ...] = (
    Deadline(frozenset({"department"}), 2019, None, 1, 31, "department"),
    Deadline(frozenset({"government"}), 2019, None, 3, 31, "government"),
    Deadline(
        frozenset({"department", "government"}), None, 2018, 3, 31, "department or government"
    ),
)


@dataclass(frozen=True, slots=True)
class ReportFacts:
    """What the cross-report rules need to know about one report."""

    report_id: str
    agency: str | None
    agency_kind: str | None
    year: int | None
    published: datetime | None = None  # the page's own date
    first_seen: datetime | None = None  # when the crawler first saw the report
    site_since: datetime | None = None  # when the crawler first looked at the report's site
    carried_over: tuple[float | None, str] | None = None  # requests carried_over/total: value, kind
    carried_forward: tuple[float | None, str] | None = None


def deadline_for(agency_kind: str | None, year: int | None) -> date | None:
    """The legal deadline for an agency kind's report on a statistical year, or None."""
    if agency_kind is None or year is None:
        return None
    for rule in DEADLINES:
        if agency_kind not in rule.agency_kinds:
            continue
        if (rule.first_year is None or year >= rule.first_year) and (
            rule.last_year is None or year <= rule.last_year
        ):
            return date(year + 1, rule.month, rule.day)
    return None


def cross_report_findings(reports: list[ReportFacts]) -> list[tuple[ReportFacts, Finding]]:
    """Every cross-report finding, each with the report it is recorded on."""
    found = [(r, f) for r in reports if (f := late_publication(r)) is not None]
    return found + year_continuity(reports)


def late_publication(report: ReportFacts) -> Finding | None:
    """publication.late: published (page date, else first seen) after the legal deadline.

    The crawler's first sight stands in for a missing page date only when the crawler was
    already watching the site before the deadline: a report found on the first crawl of a
    site, years later, says nothing about when it was published.
    """
    deadline = deadline_for(report.agency_kind, report.year)
    moment = report.published or report.first_seen
    if deadline is None or moment is None:
        return None
    day = _china_date(moment)
    if day <= deadline:
        return None
    severity: Severity
    if report.published is not None:
        severity, basis = "warning", "the page's date"
    elif report.site_since is not None and _china_date(report.site_since) <= deadline:
        since = _china_date(report.site_since)
        severity = "info"  # an upper bound: it may have appeared just after the last crawl
        basis = f"first seen by the crawler, which has watched the site since {since}"
    else:
        return None
    return Finding(
        code="publication.late",
        severity=severity,
        message=f"published {day} ({basis}), after the deadline {deadline} for a "
        f"{report.agency_kind}'s report on {report.year} ({LAW})",
        expected=deadline.isoformat(),
        found=day.isoformat(),
    )


def year_continuity(reports: list[ReportFacts]) -> list[tuple[ReportFacts, Finding]]:
    """year.continuity: carried_forward total of year N = carried_over total of year N+1."""
    by_agency_year: dict[tuple[str, int], list[ReportFacts]] = defaultdict(list)
    for r in reports:
        if r.agency and r.year is not None:
            by_agency_year[(r.agency, r.year)].append(r)
    out = []
    for (agency, year), earlier in sorted(by_agency_year.items()):
        for later in by_agency_year.get((agency, year + 1), []):
            for before in earlier:
                finding = _continuity(before, later)
                if finding is not None:
                    out.append((later, finding))
    return out


def _continuity(before: ReportFacts, after: ReportFacts) -> Finding | None:
    forward, over = _as_number(before.carried_forward), _as_number(after.carried_over)
    if forward is None or over is None or forward[0] == over[0]:
        return None
    return Finding(
        code="year.continuity",
        severity="warning",
        message=f"carried over from {before.year}: {_fmt(over[0])}, but the {before.year} report "
        f"({before.report_id}) carried forward {_fmt(forward[0])}",
        table="requests",
        row="carried_over",
        column="total",
        expected=forward[0],
        found=over[0],
        blank_as_zero=forward[1] or over[1],
    )


def _as_number(cell: tuple[float | None, str] | None) -> tuple[float, bool] | None:
    """A cell as (number, read_as_zero), or None where the rule is inapplicable."""
    if cell is None:
        return None
    value, kind = cell
    if kind == "number" and value is not None:
        return float(value), False
    if kind in AS_ZERO:
        return 0.0, True
    return None


def _china_date(moment: datetime) -> date:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=CHINA)
    return aware.astimezone(CHINA).date()


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)
