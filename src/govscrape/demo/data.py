"""The demo portal's single source of truth: fictional agencies and every number of every report.

The pages the portal serves (render.py, sites.py), the bundled PDF (pdf.py) and the answers the
end-to-end test and the README rely on (the `EXPECTED_*` names at the bottom) all come from the
`REPORTS` built here. Numbers are drawn from a seeded generator, so they are plausible, internally
consistent (except where a report is deliberately broken) and identical on every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from govscrape import template as T

PROVINCE = "江南省"
CITY = "云泽市"
COUNTY = "青石县"
YEARS: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023, 2024)
APPLICANT_CODES: tuple[str, ...] = tuple(a.code for a in T.APPLICANTS)
_PERSON_AND_ORGS = APPLICANT_CODES[:-1]


@dataclass(frozen=True, slots=True)
class Agency:
    """A fictional reporting body: one column (one sites.toml entry) on one of the demo hosts."""

    site_id: str
    name: str
    kind: str  # department | government | township | other
    level: str  # prefecture | county | township | devzone
    host: str  # city | county | waf | zone: which demo server publishes its column
    column: str  # the listing path on that host
    county: str | None
    office: str  # the office that writes the report (来源 / 发布机构)
    mean_new: tuple[int, ...]  # mean new requests per applicant column (without 总计)


@dataclass(slots=True)
class DemoReport:
    """One annual report as printed: None in a cell means the cell is printed blank."""

    agency: Agency
    year: int
    published: datetime
    form: str  # html_table | html_text_cells | html_text_pipe | pdf | docx | doc (render.py)
    doc_id: int
    requests: dict[str, dict[str, int | None]]
    active: dict[tuple[str, str], str]  # (item, metric) -> printed text ("" blank, "/" n/a)
    review: dict[tuple[str, str], int]
    fee_yuan: int | None = None
    findings: frozenset[str] = frozenset()  # finding codes the pipeline must raise
    note: str = ""  # what is deliberately odd about this report, in words

    @property
    def template(self) -> str:
        return T.V2019 if self.year <= 2020 else T.V2021

    @property
    def readable(self) -> bool:
        """False for a report whose numbers no reader can get at (a .doc): no cells expected."""
        return self.form not in UNREADABLE_FORMS

    @property
    def title(self) -> str:
        return f"{self.agency.name}{self.year}年政府信息公开工作年度报告"


AGENCIES: tuple[Agency, ...] = (
    Agency("yunze-gov", "云泽市人民政府", "government", "prefecture", "city",
           "/zwgk/zfxxgknb/", None, "云泽市人民政府办公室", (168, 31, 1, 2, 7, 5)),
    Agency("yunze-jyj", "云泽市教育局", "department", "prefecture", "city",
           "/zwgk/bmxxgk/sjyj/zfxxgknb/", None, "云泽市教育局办公室", (24, 2, 0, 0, 1, 1)),
    Agency("yunze-dfz", "云泽市地方志编纂室", "department", "prefecture", "city",
           "/zwgk/bmxxgk/sdfz/zfxxgknb/", None, "云泽市地方志编纂室", (0, 0, 0, 0, 0, 0)),
    Agency("yunze-scjgj", "云泽市市场监督管理局", "department", "prefecture", "city",
           "/zwgk/bmxxgk/sscjgj/zfxxgknb/", None, "云泽市市场监督管理局办公室",
           (46, 21, 0, 1, 4, 2)),
    Agency("qingshi-gov", "青石县人民政府", "government", "county", "county",
           "/col/col1229001234/index.html", COUNTY, "青石县人民政府办公室", (71, 9, 0, 1, 3, 2)),
    Agency("qingshi-bsz", "青石县白沙镇人民政府", "township", "township", "county",
           "/col/col1229001240/index.html", COUNTY, "白沙镇党政综合办公室", (2, 0, 0, 0, 0, 0)),
    Agency("qingshi-wjj", "青石县卫生健康局", "department", "county", "waf",
           "/col/col1229001251/index.html", COUNTY, "青石县卫生健康局办公室", (11, 1, 0, 0, 0, 1)),
    Agency("yunze-gxq", "云泽高新技术产业开发区管理委员会", "other", "devzone", "zone",
           "/xxgk/gknb/1.html", None, "云泽高新区管委会办公室", (1, 0, 0, 0, 0, 0)),
    # Appended (earlier agencies keep their numbers and document ids): a city department on
    # the city's gkmlpt platform (a JSON list API) and a county department whose Hanweb column
    # lists its items in an embedded <datastore> XML block.
    Agency("yunze-wjw", "云泽市卫生健康委员会", "department", "prefecture", "city",
           "/gkmlpt/api/all/2451?page=1&sid=770001", None, "云泽市卫生健康委员会办公室",
           (38, 6, 0, 1, 2, 1)),
    Agency("qingshi-czj", "青石县财政局", "department", "county", "county",
           "/col/col1229001262/index.html", COUNTY, "青石县财政局办公室", (9, 2, 0, 0, 1, 0)),
    # Appended: a county department that published one year only as a Word 97-2003 .doc.
    Agency("qingshi-zrzyj", "青石县自然资源局", "department", "county", "county",
           "/col/col1229001287/index.html", COUNTY, "青石县自然资源局办公室", (13, 4, 0, 0, 1, 1)),
)  # fmt: skip
AGENCY_BY_SITE: dict[str, Agency] = {a.site_id: a for a in AGENCIES}

# Which input form each report body takes (render.py), by agency and year; a year absent here
# was never published. The 2023 report of the city government exists only as a PDF attachment,
# the 2020 report of the county government only as a Word (.docx) attachment, the 2021 report of
# the county natural resources bureau only as a Word 97-2003 (.doc) attachment, which no reader
# of govscrape opens: it must be kept raw and flagged, with no numbers.
FORMS: dict[str, dict[int, str]] = {
    "yunze-gov": {2019: "html_table", 2020: "html_table", 2021: "html_table",
                  2022: "html_table", 2023: "pdf", 2024: "html_table"},
    "yunze-jyj": {2019: "html_table", 2020: "html_text_pipe", 2021: "html_text_pipe",
                  2023: "html_table", 2024: "html_text_cells"},  # 2022 missing
    "yunze-dfz": {y: "html_text_cells" for y in YEARS} | {2024: "html_table"},
    "yunze-scjgj": {2019: "html_table", 2020: "html_table", 2021: "html_table",
                    2022: "html_table", 2023: "html_text_pipe", 2024: "html_table"},
    "qingshi-gov": {y: "html_table" for y in YEARS} | {2020: "docx"},
    "qingshi-bsz": {y: "html_text_cells" for y in YEARS},
    "qingshi-wjj": {y: "html_table" for y in YEARS},
    "yunze-gxq": {2019: "html_text_cells", 2020: "html_text_cells", 2021: "html_table",
                  2022: "html_table", 2023: "html_text_pipe", 2024: "html_table"},
    "yunze-wjw": {y: "html_table" for y in YEARS} | {2021: "html_text_pipe"},
    "qingshi-czj": {y: "html_table" for y in YEARS} | {2019: "html_text_cells"},
    "qingshi-zrzyj": {y: "html_table" for y in YEARS} | {2021: "doc"},
}  # fmt: skip
# Forms govscrape cannot read: such a report is in the datasets with a finding and no cells.
UNREADABLE_FORMS: frozenset[str] = frozenset({"doc"})

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
    for i, col in enumerate(_PERSON_AND_ORGS):
        available = new[i] + carried_over[i]
        forward = rng.randint(0, min(3, available // 8)) if available else 0
        drawn = rng.choices(outcomes, weights, k=available - forward)
        table["new"][col], table["carried_over"][col] = new[i], carried_over[i]
        for o in outcomes:
            table[o][col] = drawn.count(o)
        table["total_handled"][col] = available - forward
        table["carried_forward"][col] = forward
    for r in rows:
        table[r]["total"] = sum(table[r][c] or 0 for c in _PERSON_AND_ORGS)
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


def build_reports() -> list[DemoReport]:
    """Every demo report, agency by agency, carrying each year's backlog into the next."""
    reports: list[DemoReport] = []
    doc_id = 4_597_100
    for agency in AGENCIES:
        rng = random.Random(f"govscrape-demo/{agency.site_id}")
        carried = [0] * len(_PERSON_AND_ORGS)
        for year in YEARS:
            template = T.V2019 if year <= 2020 else T.V2021
            requests = make_requests(rng, template, _new_requests(rng, agency, year), carried)
            carried = [requests["carried_forward"][c] or 0 for c in _PERSON_AND_ORGS]
            form = FORMS[agency.site_id].get(year)
            doc_id += 1 + rng.randint(3, 90)
            if form is None:
                continue
            month, day = _PUBLISHED_ON[agency.kind]
            published = datetime(year + 1, month, day + rng.randint(-9, 6), 9 + rng.randint(0, 7))
            reports.append(
                DemoReport(agency, year, published, form, doc_id, requests,
                           make_active(rng, agency, template, form), make_review(rng, agency))
            )  # fmt: skip
    for report in reports:
        _apply_quirks(report)
    return reports


def _apply_quirks(report: DemoReport) -> None:
    """The deliberate trouble of report-format.md §4, each on one report."""
    key = (report.agency.site_id, report.year)
    quirk = QUIRKS.get(key)
    if quirk is not None:
        quirk(report)
    if report.form == "doc":
        _word97_only(report)
    if report.template == T.V2021 and report.agency.kind == "government":
        report.fee_yuan = {2021: 0, 2022: 150, 2023: 380, 2024: 260}[report.year]
        if report.fee_yuan == 0:
            report.fee_yuan = None  # "未收取" is stated in words, not as a figure


def _seed_like(report: DemoReport) -> None:
    """Like the seed: one natural-person request, but the 总计 column of 一 and (六) reads 0."""
    rows = request_rows(report.template)
    report.requests = {r: dict.fromkeys(APPLICANT_CODES, 0) for r in rows}
    for row in ("new", "other", "total_handled"):
        report.requests[row]["natural_person"] = 1
    report.requests["total_handled"]["total"] = 1
    report.findings = frozenset(
        {"requests.row_total", "requests.total_handled", "requests.balance"}
    )
    report.note = "总计 printed 0 in rows 一 and (六) while the natural-person column says 1"


def _inconsistent(report: DemoReport) -> None:
    """A typing slip: 予以公开 for natural persons printed 2 lower, totals left as they were."""
    cell = report.requests["granted"]
    assert (cell["natural_person"] or 0) >= 2, "the slip needs a cell of at least 2"
    cell["natural_person"] = (cell["natural_person"] or 0) - 2
    report.findings = frozenset({"requests.total_handled", "requests.row_total"})
    report.note = "予以公开/自然人 printed 2 lower than the (七)总计 row and the 总计 column imply"


def _blank_zeros(report: DemoReport) -> None:
    """Zero cells of the organisation columns left blank, as many small agencies do."""
    for cells in report.requests.values():
        for col in _PERSON_AND_ORGS[1:]:
            if cells[col] == 0:
                cells[col] = None
    report.note = "zero cells of the organisation columns printed blank (null, not 0)"


def _zero_year(report: DemoReport) -> None:
    """A quiet year: nothing received, nothing carried; every cell printed 0."""
    assert not any(report.requests["carried_over"].values()), "the chain must carry nothing"
    report.requests = {r: dict.fromkeys(APPLICANT_CODES, 0) for r in report.requests}
    report.note = "a clean zero: no request received or carried over"


def _late(report: DemoReport) -> None:
    """A department report published in mid-February, after the 31 January deadline."""
    report.published = report.published.replace(month=2, day=16)
    report.findings = frozenset({"publication.late"})
    report.note = "published 16 February, after the departments' 31 January deadline"


def _mojibake_header(report: DemoReport) -> None:
    """Not the numbers but the page: its header include is mojibake (sites.py garbles it)."""
    report.findings = frozenset({"parse.mojibake"})
    report.note = "the page's title, banner and nav are mojibake (UTF-8 read as GBK); body clean"


def _word97_only(report: DemoReport) -> None:
    """Published only as a .doc (OLE): the pipeline keeps it raw and says why it has no numbers."""
    report.findings = frozenset({"parse.unsupported_format"})
    report.note = "published only as a Word 97-2003 .doc attachment: kept raw, flagged, not read"


QUIRKS = {
    ("yunze-gxq", 2020): _seed_like,
    ("yunze-scjgj", 2022): _inconsistent,
    ("yunze-scjgj", 2021): _late,
    ("yunze-jyj", 2019): _blank_zeros,
    ("qingshi-bsz", 2022): _zero_year,
    ("yunze-gxq", 2024): _mojibake_header,
}

REPORTS: list[DemoReport] = build_reports()

# --- Behaviours of the portal that decide what a crawl can reach -----------------------------

# The county health bureau's own host sits behind a 521 JavaScript challenge (加速乐-style): a
# crawler that runs no JavaScript cannot read it, so its reports are served but not reachable.
CHALLENGED_SITES: frozenset[str] = frozenset({"qingshi-wjj"})


def reachable_reports() -> list[DemoReport]:
    """The reports a polite crawler without JavaScript ends up with."""
    return [r for r in REPORTS if r.agency.site_id not in CHALLENGED_SITES]


# --- Expected answers (the end-to-end test and the README rely on these) --------------------


def expected_clean_zero() -> list[tuple[str, int]]:
    """(agency, year) of reports whose table 三 says 0 new requests everywhere."""
    return sorted(
        (r.agency.name, r.year)
        for r in reachable_reports()
        if r.readable and all((v or 0) == 0 for v in r.requests["new"].values())
    )


def expected_flagged_zero() -> list[tuple[str, int, int]]:
    """(agency, year, columns' sum) of reports printing 总计 0 while their columns add up to more."""
    out = []
    for r in reachable_reports():
        new = r.requests["new"]
        columns = sum(new[c] or 0 for c in _PERSON_AND_ORGS)
        if r.readable and (new["total"] or 0) == 0 and columns:
            out.append((r.agency.name, r.year, columns))
    return sorted(out)


def expected_unreadable() -> list[tuple[str, int]]:
    """(agency, year) of reports a zero-requests answer lists as "unreadable": no table 三."""
    return sorted((r.agency.name, r.year) for r in reachable_reports() if not r.readable)


def expected_missing() -> list[tuple[str, int]]:
    """(agency, year) of reachable agencies that published no report for a year."""
    have = {(r.agency.site_id, r.year) for r in REPORTS}
    return sorted(
        (a.name, y)
        for a in AGENCIES
        if a.site_id not in CHALLENGED_SITES
        for y in YEARS
        if (a.site_id, y) not in have
    )


def expected_no_report() -> list[tuple[str, int]]:
    """(agency, year) a zero-requests answer lists as "no report": never published, or behind
    the challenge (the datasets cannot tell those apart; the crawl summary can)."""
    have = {(r.agency.site_id, r.year) for r in reachable_reports()}
    return sorted((a.name, y) for a in AGENCIES for y in YEARS if (a.site_id, y) not in have)


def report_for(site_id: str, year: int) -> DemoReport:
    for r in REPORTS:
        if r.agency.site_id == site_id and r.year == year:
            return r
    raise KeyError((site_id, year))
