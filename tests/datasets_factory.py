"""Small fictional reports for the datasets, query and command tests (not a test module)."""

from __future__ import annotations

import dataclasses
import json
import os
import time
from datetime import datetime
from pathlib import Path

from govscrape import template
from govscrape.crawl.rawstore import RawStore
from govscrape.crawl.state import CrawlState
from govscrape.datasets.rows import Provenance, report_id_for
from govscrape.document import Document
from govscrape.model import Cell, Finding, Headline, Report
from govscrape.parse.headlines import headline_figures

APPLICANTS = [a.code for a in template.APPLICANTS]


def requests_cells(tpl: str, values: dict[str, dict[str, object]]) -> list[Cell]:
    """A full table 三: every row x applicant 0, except `values[row][applicant]`.

    A value of None makes a blank cell; a string makes a text cell with that raw text.
    """
    cells = []
    for line in template.request_rows(tpl):
        for applicant in APPLICANTS:
            value = values.get(line.code, {}).get(applicant, 0)
            cells.append(_cell("requests", line.code, applicant, value))
    return cells


def review_cells(values: dict[str, dict[str, object]] | None = None) -> list[Cell]:
    values = values or {}
    return [
        _cell("review_litigation", p.code, o.code, values.get(p.code, {}).get(o.code, 0))
        for p in template.PROCEEDINGS
        for o in template.OUTCOMES
    ]


def active_cells(tpl: str, values: dict[str, dict[str, object]] | None = None) -> list[Cell]:
    values = values or {}
    cells = []
    for block in template.ACTIVE_DISCLOSURE[tpl]:
        for item in block.items:
            if item.code in template.OPTIONAL_ITEMS:
                continue
            for metric in block.metrics:
                value = values.get(item.code, {}).get(metric.code, 0)
                cell = _cell("active_disclosure", item.code, metric.code, value)
                cell.unit = metric.unit
                cells.append(cell)
    return cells


def _cell(table, row, column, value) -> Cell:
    if value is None:
        return Cell(table, row, column, None, "blank", "")
    if isinstance(value, str):
        return Cell(table, row, column, None, "text", value)
    return Cell(table, row, column, value, "number", str(value))


def make_report(
    agency: str,
    year: int | None,
    *,
    tpl: str | None = None,
    requests: dict[str, dict[str, object]] | None = None,
    review: dict[str, dict[str, object]] | None = None,
    active: dict[str, dict[str, object]] | None = None,
    published: datetime | None = None,
    kind: str | None = "department",
    findings: list[Finding] | None = None,
    tables: bool = True,
) -> Report:
    """A report of `agency` for `year` with full tables (zeros unless given)."""
    tpl = tpl or ("v2021" if (year or 0) >= 2021 else "v2019")
    cells = []
    if tables:
        cells = (
            requests_cells(tpl, requests or {}) + review_cells(review) + active_cells(tpl, active)
        )
    report = Report(
        title=f"{agency}{year}年政府信息公开工作年度报告",
        agency=agency,
        agency_kind=kind,
        year=year,
        published=published,
        template=tpl if tables else "unknown",
        source_form="html_table" if tables else "html_text",
        url=f"http://www.example.gov.cn/{agency}/{year}.html",
        processing_fee_yuan=None,
        sections={"overview": f"{year}年，{agency}认真贯彻……"},
        cells=cells,
        findings=list(findings or []),
    )
    report.headlines = headline_figures(report, Document("html_table"))[0]  # from the tables
    return report


def prose_report(
    agency: str, year: int, *sentences: str, kind: str = "department", **fields: object
) -> Report:
    """A pre-2019 report in prose: no tables; its headline figures read (by the real prose
    reader) from `sentences`, standing under the 依申请公开 heading."""
    report = make_report(agency, year, kind=kind, tables=False, **fields)  # type: ignore[arg-type]
    report.template = "legacy"
    doc = Document("html_text", blocks=["三、依申请公开政府信息情况", *sentences])
    report.headlines, _ = headline_figures(report, doc)
    return report


def provenance(
    report: Report, site: str = "demo-site", site_meta: dict[str, object] | None = None
) -> Provenance:
    url = report.url or "http://www.example.gov.cn/unknown.html"
    return Provenance(
        report_id=report_id_for(url), url=url, site=site, sha256="0" * 64,
        site_meta=site_meta or {},
    )  # fmt: skip


def write_reports(data_dir: Path, reports: list[Report]) -> None:
    """Datasets straight from Report objects (no crawl state, no parsing)."""
    from govscrape.datasets import build_from_reports

    build_from_reports(data_dir, [(r, provenance(r)) for r in reports])


# --- A real crawl state + raw store, with a stand-in parser --------------------------------


def report_to_bytes(report: Report) -> bytes:
    """A report serialised as the stand-in parser's input format (JSON)."""
    data = {
        "title": report.title,
        "agency": report.agency,
        "agency_source": report.agency_source,
        "agency_kind": report.agency_kind,
        "year": report.year,
        "published": report.published.isoformat() if report.published else None,
        "template": report.template,
        "source_form": report.source_form,
        "sections": report.sections,
        "cells": [[c.table, c.row, c.column, c.value, c.kind, c.raw, c.unit] for c in report.cells],
        "findings": [f.to_dict() for f in report.findings],
        "headlines": [dataclasses.asdict(h) for h in report.headlines],
    }
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def fake_parse(content: bytes, *, url=None, content_type=None, agency=None) -> Report:
    """Stand-in for govscrape.parse_report: reads report_to_bytes' JSON; junk -> no tables."""
    try:
        data = json.loads(content)
    except ValueError:
        finding = Finding("parse.not_a_report", "error", "not a report")
        return Report(url=url, findings=[finding])
    published = data["published"]
    return Report(
        title=data["title"],
        agency=data["agency"] or agency,
        agency_source=data.get("agency_source")
        or ("site" if agency and not data["agency"] else None),
        agency_kind=data["agency_kind"],
        year=data["year"],
        published=datetime.fromisoformat(published) if published else None,
        template=data["template"],
        source_form=data["source_form"],
        url=url,
        sections=data["sections"],
        cells=[Cell(*c) for c in data["cells"]],
        findings=[Finding(**f) for f in data["findings"]],
        headlines=[Headline(**h) for h in data.get("headlines", [])],
    )


def store_report(
    data_dir: Path,
    url: str,
    content: bytes,
    *,
    site: str = "demo-site",
    kind: str = "report",
    parent_url: str | None = None,
    title: str | None = None,
    content_type: str = "text/html",
) -> str:
    """Put bytes in the raw store and record them in the crawl state as a fetched document."""
    digest = RawStore(data_dir / "raw").put(content)
    with CrawlState(data_dir / "state.sqlite") as state:
        state.discover(url, site, kind, parent_url=parent_url, title=title)
        state.record_fetch(
            url, status="ok", http_status=200, sha256=digest, content_type=content_type
        )
    return digest


def record_url(
    data_dir: Path,
    url: str,
    site: str,
    kind: str,
    status: str,
    *,
    http_status: int | None = None,
    error: str | None = None,
    title: str | None = None,
    parent_url: str | None = None,
) -> None:
    """A URL the crawl saw and fetched without storing bytes (a listing, or a failure)."""
    with CrawlState(data_dir / "state.sqlite") as state:
        state.discover(url, site, kind, parent_url=parent_url, title=title)
        if status != "pending":
            state.record_fetch(url, status=status, http_status=http_status, error=error)


def add_site(data_dir: Path, site: str, **meta: object) -> None:
    with CrawlState(data_dir / "state.sqlite") as state:
        state.upsert_site(site, meta)


# --- A small dataset with known answers ------------------------------------------------------

SITES = {
    "site-a": ("甲局", "department"),
    "site-b": ("乙局", "department"),
    "site-c": ("丙镇", "township"),
    "site-d": ("丁县人民政府", "government"),
    "site-e": ("戊局", "department"),  # known to the crawler, never published a report
}


def known_reports() -> dict[str, tuple[str, Report]]:
    """url -> (site, report). The answers are spelled out in the questions' tests."""
    jia_2020 = make_report(
        "甲局", 2020, published=datetime(2021, 1, 12, 18, 0),
        requests={
            "new": {"natural_person": 1, "total": 0},  # the seed: 总计 0, columns sum to 1
            "carried_forward": {"natural_person": 2, "total": 2},
            "other": {"natural_person": 1, "total": 1},
        },
    )  # fmt: skip
    jia_2021 = make_report(
        "甲局", 2021, published=datetime(2022, 2, 5, 9, 0),  # after 31 January: late
        requests={
            "new": {"natural_person": 5, "total": 5},
            "carried_over": {"natural_person": 3, "total": 3},  # 2020 carried forward 2
            "granted": {"natural_person": 2, "total": 2},
            "denied.state_secret": {"natural_person": 1, "total": 1},
            "other.no_correction": {"natural_person": 1, "total": 1},
            "other.unpaid_fee": {"natural_person": 1, "total": 1},
            "total_handled": {"natural_person": 5, "total": 5},
        },
        review={"review": {"corrected": 1, "total": 1}},
    )  # fmt: skip
    yi_2020 = make_report("乙局", 2020, published=datetime(2021, 1, 20))
    bing_2020 = make_report(
        "丙镇", 2020, kind="township", published=datetime(2021, 6, 1),  # townships: no deadline
        requests={"new": {"total": None}},
    )  # fmt: skip
    blank_row = dict.fromkeys((*APPLICANTS,), None)
    bing_2021 = make_report(
        "丙镇", 2021, kind="township", published=datetime(2022, 6, 1), requests={"new": blank_row}
    )
    ding_2020 = make_report(
        "丁县人民政府", 2020, kind="government", published=datetime(2021, 3, 1), tables=False
    )
    ding_2021 = make_report(
        "丁县人民政府", 2021, kind="government", published=datetime(2022, 3, 15)
    )
    return {
        "http://jia.gov.cn/2020.html": ("site-a", jia_2020),
        "http://jia.gov.cn/2021.html": ("site-a", jia_2021),
        "http://yi.gov.cn/2020.html": ("site-b", yi_2020),
        "http://bing.gov.cn/2020.html": ("site-c", bing_2020),
        "http://bing.gov.cn/2021.html": ("site-c", bing_2021),
        "http://ding.gov.cn/2020.html": ("site-d", ding_2020),
        "http://ding.gov.cn/2021.html": ("site-d", ding_2021),
    }


def build_known_dataset(data_dir: Path) -> Path:
    """Crawl state + raw store of the known reports, built into datasets with fake_parse."""
    from govscrape.datasets import build_datasets

    for site, (agency, kind) in SITES.items():
        add_site(data_dir, site, agency=agency, agency_kind=kind, province="湖南省")
    for url, (site, report) in known_reports().items():
        store_report(data_dir, url, report_to_bytes(report), site=site)
    for url, site, kind, status, http, error, title in CRAWL_TROUBLE:
        record_url(data_dir, url, site, kind, status, http_status=http, error=error, title=title)
    build_datasets(data_dir, parse=fake_parse, jobs=1)
    return data_dir


# What the crawl could not fetch: 戊局's site is behind an anti-bot challenge (so its "no
# report" says nothing); 乙局's 2021 report link failed (so its 2021 report may exist).
CRAWL_TROUBLE = [
    ("http://wu.gov.cn/list.html", "site-e", "listing", "blocked", 521, "jsl challenge", None),
    ("http://yi.gov.cn/list.html", "site-b", "listing", "ok", 200, None, None),
    ("http://yi.gov.cn/2021.html", "site-b", "report", "failed", 500, "server error",
     "乙局2021年政府信息公开工作年度报告"),
]  # fmt: skip


def slow_parse(content: bytes, **kwargs) -> Report:
    """fake_parse taking 50 ms a document: long enough to kill a worker in the middle."""
    time.sleep(0.05)
    return fake_parse(content, **kwargs)


def killer_parse(content: bytes, **kwargs) -> Report:
    """fake_parse, except that a document titled KILL-ME kills its process (as a parser
    library's segfault or memory blow-up would)."""
    if b"KILL-ME" in content:
        os._exit(70)
    return fake_parse(content, **kwargs)


def parse_or_die(content: bytes, *, url=None, content_type=None, agency=None) -> Report:
    """fake_parse, except that a report whose URL ends in /die.html kills its process (as
    pdfium's abort or an OOM kill would)."""
    if url and url.endswith("/die.html"):
        os.abort()
    return fake_parse(content, url=url, content_type=content_type, agency=agency)


def parse_forever(content: bytes, *, url=None, content_type=None, agency=None) -> Report:
    """Note this process's id in $GOVSCRAPE_TEST_PIDS, then parse for a minute: a busy worker."""
    (Path(os.environ["GOVSCRAPE_TEST_PIDS"]) / str(os.getpid())).touch()
    time.sleep(60)
    return fake_parse(content, url=url, content_type=content_type, agency=agency)


# --- A county column shared by several agencies ---------------------------------------------


def _named(agency: str, year: int, **kw) -> Report:
    """A report naming `agency` in its title, as the parser reads it."""
    return dataclasses.replace(make_report(agency, year, **kw), agency_source="title")


def build_shared_column(data: Path) -> Path:
    """某县's 部门年报 column, run by 某县人民政府办公室, holding two departments' reports; the
    county government's own reports are in its own column, the office publishes none.
    某县财政局 published 2016 and 2017, not 2018; 某县发改委 printed its name two ways; its
    2019 report link failed."""
    add_site(data, "county-gov", agency="某县人民政府", agency_kind="government", county="某县")
    add_site(data, "county-bmnb", agency="某县人民政府办公室", agency_kind="department",
             county="某县")  # fmt: skip
    reports = {
        "county-gov": [_named("某县人民政府", y) for y in (2016, 2017, 2018, 2019)],
        "county-bmnb": [
            _named("某县财政局", 2016), _named("某县财政局", 2017),
            _named("某县发改委", 2016), _named("某县发展和改革委员会", 2017),
            _named("某县发展和改革委员会", 2018),
        ],
    }  # fmt: skip
    for site, items in reports.items():
        record_url(data, f"http://county.gov.cn/{site}/", site, "listing", "ok", http_status=200)
        for report in items:
            store_report(data, report.url, report_to_bytes(report), site=site)
    record_url(data, "http://county.gov.cn/bmnb/fgw-2019.html", "county-bmnb", "report", "failed",
               http_status=500, error="server error",
               title="某县发展和改革委员会2019年政府信息公开工作年度报告")  # fmt: skip
    from govscrape.datasets import build_datasets

    build_datasets(data, parse=fake_parse, jobs=1)
    return data
