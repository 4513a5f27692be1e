"""Every number of every demo report, drawn from a seeded generator: plausible, internally
consistent (quirks.py breaks a few on purpose) and identical on every run."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from govscrape import template as T
from govscrape.demo.agencies import (
    AGENCIES,
    DRAWN_APART,
    FORMS,
    TITLES,
    UNREADABLE_FORMS,
    YEARS,
    Agency,
)

APPLICANT_CODES: tuple[str, ...] = tuple(a.code for a in T.APPLICANTS)
PERSON_AND_ORGS = APPLICANT_CODES[:-1]


@dataclass(slots=True)
class DemoReport:
    """One annual report as printed: None in a cell means the cell is printed blank."""

    agency: Agency
    year: int
    published: datetime
    form: (
        str  # html_table | html_text_cells | html_text_pipe | pdf | docx | doc | prose (render.py)
    )
    doc_id: int
    requests: dict[str, dict[str, int | None]]
    active: dict[tuple[str, str], str]  # (item, metric) -> printed text ("" blank, "/" n/a)
    review: dict[tuple[str, str], int]
    fee_yuan: int | None = None
    findings: frozenset[str] = frozenset()  # finding codes the pipeline must raise
    note: str = ""  # what is deliberately odd about this report, in words
    prose: tuple[str, ...] = ()  # form "prose": the paragraphs of a report before 2019
    # Table 三 labels printed damaged (row -> printed pieces): one piece replaces the label, two
    # are the label wrapped over two rows of the grid, the numbers on the second (quirks.py).
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def template(self) -> str:
        if self.form == "prose":
            return "legacy"  # before 2019: no national table
        return T.V2019 if self.year <= 2020 else T.V2021

    @property
    def readable(self) -> bool:
        """False for a report whose numbers no reader can get at (a .doc): no cells expected."""
        return self.form not in UNREADABLE_FORMS

    @property
    def title(self) -> str:
        form = TITLES.get(self.agency.site_id, {}).get(self.year)
        if form is not None:
            return form.format(year=self.year)
        return f"{self.agency.name}{self.year}年政府信息公开工作年度报告"


# Publication day (month, day) after the statistical year, by agency kind: departments by
# 31 January, governments by 31 March (条例 第四十九条); the others are not bound by the article.
_PUBLISHED_ON: dict[str, tuple[int, int]] = {
    "department": (1, 20),
    "government": (3, 22),
    "township": (2, 14),
    "other": (1, 12),
}
# Shares of the outcome rows, as real reports show them: most granted or not held.
_OUTCOME_WEIGHTS: dict[str, float] = {
    "granted": 45, "partially_granted": 12, "denied.state_secret": 0.3,
    "denied.prohibited_by_law": 1, "denied.security_stability": 0.5,
    "denied.third_party_rights": 2, "denied.internal_affairs": 2, "denied.process_info": 3,
    "denied.enforcement_file": 1, "denied.admin_inquiry": 2, "unable.not_held": 15,
    "unable.needs_creation": 3, "unable.unclear_after_correction": 2,
    "not_processed.complaint": 4, "not_processed.duplicate": 2, "not_processed.publication": 1,
    "not_processed.excessive": 1, "not_processed.confirm_or_reissue": 0.5,
    "other": 5, "other.no_correction": 3, "other.unpaid_fee": 0.5, "other.other": 1.5,
}  # fmt: skip


def request_rows(template: str) -> tuple[str, ...]:
    return tuple(line.code for line in T.request_rows(template))


def outcome_rows(template: str) -> tuple[str, ...]:
    return tuple(r for r in request_rows(template) if r in T.OUTCOME_ROWS)


def make_requests(
    rng: random.Random, template: str, new: list[int], carried_over: list[int]
) -> dict[str, dict[str, int | None]]:
    """A consistent table 三: outcomes drawn per request, totals summed, balance respected."""
    rows = request_rows(template)
    table: dict[str, dict[str, int | None]] = {r: {} for r in rows}
    outcomes = outcome_rows(template)
    weights = [_OUTCOME_WEIGHTS[o] for o in outcomes]
    for i, col in enumerate(PERSON_AND_ORGS):
        available = new[i] + carried_over[i]
        forward = rng.randint(0, min(3, available // 8)) if available else 0
        drawn = rng.choices(outcomes, weights, k=available - forward)
        table["new"][col], table["carried_over"][col] = new[i], carried_over[i]
        for o in outcomes:
            table[o][col] = drawn.count(o)
        table["total_handled"][col] = available - forward
        table["carried_forward"][col] = forward
    for r in rows:
        table[r]["total"] = sum(table[r][c] or 0 for c in PERSON_AND_ORGS)
    return table


def make_active(
    rng: random.Random, agency: Agency, template: str, form: str
) -> dict[tuple[str, str], str]:
    """Table 二 as printed. Only governments make 规章: others print the row blank in tables,
    "/" in flattened text (where a blank cell would vanish)."""
    scale = max(1, sum(agency.mean_new) // 10)
    active: dict[tuple[str, str], str] = {}
    for block in T.ACTIVE_DISCLOSURE[template]:
        for item in block.items:
            if item.code in T.OPTIONAL_ITEMS:
                continue
            for metric in block.metrics:
                active[(item.code, metric.code)] = _active_value(rng, item.code, metric.code, scale)
    if agency.kind != "government":
        not_made = "" if form in ("html_table", "pdf", "docx") else "/"
        for key in active:
            if key[0] == "regulation":
                active[key] = not_made
    elif ("procurement", "amount") in active:  # the format prints no unit: some write it in
        active[("procurement", "amount")] += "元"
    return active


def printed_value(text: str) -> float | None:
    """The number a printed table-二 cell states ("251000元" -> 251000.0; blank, "/" -> None)."""
    number = text.removesuffix("万元").removesuffix("元")
    return float(number) if number not in ("", "/") else None


def _active_value(rng: random.Random, item: str, metric: str, scale: int) -> str:
    if metric == "change":
        return str(rng.randint(-3, 3))
    if metric == "amount" and item == "admin_fee":
        return f"{rng.uniform(1, 40) * scale:.2f}"
    if metric == "amount":
        return str(rng.randint(20, 400) * 1000 * scale)
    if item == "regulation":
        return str(rng.randint(0, 3))
    if metric in ("in_force", "total_published"):
        return str(rng.randint(20, 90) * scale)
    return str(rng.randint(0, 12) * scale)


def make_review(rng: random.Random, agency: Agency) -> dict[tuple[str, str], int]:
    """Table 四: a few reviews and lawsuits for the busy agencies, totals consistent."""
    busy = sum(agency.mean_new) >= 50
    review: dict[tuple[str, str], int] = {}
    for proc in T.PROCEEDINGS:
        counts = [rng.randint(0, 3 if busy else 0) for _ in range(4)]
        if proc.code != "review":
            counts = [c // 2 for c in counts]
        for outcome, n in zip(T.OUTCOMES[:4], counts, strict=True):
            review[(proc.code, outcome.code)] = n
        review[(proc.code, "total")] = sum(counts)
    return review


def _new_requests(rng: random.Random, agency: Agency, year: int) -> list[int]:
    growth = 1 + 0.08 * (year - 2019)
    return [max(0, round(m * growth * rng.uniform(0.75, 1.25))) for m in agency.mean_new]


def draw_reports() -> list[DemoReport]:
    """Every demo report as drawn (no quirks yet), agency by agency, carrying each year's
    backlog into the next."""
    reports: list[DemoReport] = []
    doc_id = 4_597_100
    for agency in AGENCIES:
        rng = random.Random(f"govscrape-demo/{agency.site_id}")
        carried = [0] * len(PERSON_AND_ORGS)
        for year in YEARS:
            template = T.V2019 if year <= 2020 else T.V2021
            requests = make_requests(rng, template, _new_requests(rng, agency, year), carried)
            carried = [requests["carried_forward"][c] or 0 for c in PERSON_AND_ORGS]
            form = FORMS[agency.site_id].get(year)
            doc_id += 1 + rng.randint(3, 90)
            if form is None:
                continue
            # A report added later draws from its own generator: the others keep their numbers.
            own = (agency.site_id, year) in DRAWN_APART
            draw = random.Random(f"govscrape-demo/{agency.site_id}/{year}") if own else rng
            month, day = _PUBLISHED_ON[agency.kind]
            published = datetime(year + 1, month, day + draw.randint(-9, 6), 9 + draw.randint(0, 7))
            reports.append(
                DemoReport(agency, year, published, form, doc_id, requests,
                           make_active(draw, agency, template, form), make_review(draw, agency))
            )  # fmt: skip
    return reports
