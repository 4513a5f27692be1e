"""Benchmark the datasets: write 10,000 synthetic reports, load them, ask zero-requests, parse.

Usage: .venv/bin/python bench/dataset_bench.py [--reports 10000] [--parse 4000] [--jobs N]

1. write path: synthetic Report objects -> rows -> cross-report rules -> Parquet (atomic build);
2. load("requests") of all reports, zero_requests(), a DuckDB query;
3. parse + write: HTML reports (the demo portal's renderer) in a real crawl state and raw store,
   built with build_datasets(full=True) in worker processes.
Targets (issue 5): parse+write >= 200 reports/s per core; load of 10,000 reports' requests < 1 s.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from govscrape import template
from govscrape.crawl.rawstore import RawStore
from govscrape.crawl.state import CrawlState
from govscrape.datasets import Provenance, build_datasets, build_from_reports, report_id_for
from govscrape.datasets.build import available_cores
from govscrape.model import Cell, Report

APPLICANTS = [a.code for a in template.APPLICANTS]


def synthetic_report(rng: random.Random, i: int) -> Report:
    agency, year = f"测试局{i // 6:04d}", 2019 + i % 6
    tpl = "v2019" if year <= 2020 else "v2021"
    cells = []
    for row in template.request_rows(tpl):
        values = [rng.choice((0, 0, 0, 1, 2, 5, None)) for _ in APPLICANTS[:-1]]
        values.append(sum(v or 0 for v in values))
        for applicant, value in zip(APPLICANTS, values, strict=True):
            kind = "blank" if value is None else "number"
            cells.append(Cell("requests", row.code, applicant, value, kind, str(value or "")))
    for p in template.PROCEEDINGS:
        for o in template.OUTCOMES:
            cells.append(
                Cell("review_litigation", p.code, o.code, rng.randint(0, 3), "number", "1")
            )
    for block in template.ACTIVE_DISCLOSURE[tpl]:
        for item in block.items:
            for metric in block.metrics:
                value = round(rng.uniform(-5, 500), 1)
                cells.append(
                    Cell("active_disclosure", item.code, metric.code, value, "number", str(value))
                )
    return Report(
        title=f"{agency}{year}年政府信息公开工作年度报告", agency=agency, agency_kind="department",
        year=year, template=tpl, source_form="html_table", url=f"http://bench.gov.cn/{i}.html",
        sections={"overview": "总体情况" * 50, "problems": "存在的主要问题" * 20}, cells=cells,
    )  # fmt: skip


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children."""
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bench_write(data_dir: Path, n: int) -> None:
    # Here, not at the top: spawned parse workers re-import this module, and a CLI build's
    # workers do not import pandas either.
    from govscrape.questions.load import load
    from govscrape.questions.sql import sql
    from govscrape.questions.zero_requests import zero_requests

    rng = random.Random(2024)
    reports = [synthetic_report(rng, i) for i in range(n)]

    def write() -> None:
        pairs = [(r, Provenance(report_id_for(r.url), url=r.url, site="b")) for r in reports]
        build_from_reports(data_dir, pairs)

    cpu_before = cpu_seconds()
    seconds, _ = timed(write)
    cpu = cpu_seconds() - cpu_before
    cells = sum(len(r.cells) for r in reports)
    print(f"write path: {n} reports ({cells:,} cells) -> Parquet in {seconds:.2f} s "
          f"= {n / seconds:,.0f} reports/s (one process; {n / cpu:,.0f} per CPU-second)")  # fmt: skip
    seconds, frame = timed(lambda: load("requests", data_dir), repeat=3)
    print(f"load('requests'): {len(frame):,} rows of {n} reports in {seconds:.3f} s (median of 3)")
    seconds, zero = timed(lambda: zero_requests(data_dir), repeat=3)
    print(f"zero_requests(): {len(zero)} rows in {seconds:.3f} s (median of 3)")
    seconds, zero = timed(lambda: zero_requests(data_dir, year=2020), repeat=3)
    print(f"zero_requests(year=2020): {len(zero)} rows in {seconds:.3f} s (median of 3)")
    query = ("SELECT agency, year FROM requests WHERE row = 'new' AND applicant = 'total' "
             "AND value = 0")  # fmt: skip
    seconds, result = timed(lambda: sql(data_dir, query), repeat=3)
    print(f"sql (zero totals): {len(result)} rows in {seconds:.3f} s (median of 3)")


def demo_pages() -> list[tuple[str, bytes]]:
    """HTML report pages from the demo renderer (only the forms it serves as HTML)."""
    from govscrape.demo.data import build_reports
    from govscrape.demo.render import body_html

    pages = []
    for report in build_reports():
        if not report.form.startswith("html"):  # PDF / DOCX forms live in attachments
            continue
        title = f"{report.agency.name}{report.year}年政府信息公开工作年度报告"
        body = body_html(report)
        html = (
            f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"
        )
        pages.append((title, html.encode("utf-8")))
    return pages


def bench_parse(data_dir: Path, n: int, jobs: int) -> None:
    try:
        pages = demo_pages()
    except ImportError as exc:
        print(f"parse+write: skipped, the demo renderer is not available ({exc})")
        return
    store = RawStore(data_dir / "raw")
    with CrawlState(data_dir / "state.sqlite") as state:
        for i in range(n):
            title, html = pages[i % len(pages)]
            # a distinct document per URL, as in a real crawl (same bytes would dedupe)
            data = html + f"<!-- {i} -->".encode()
            url = f"http://bench.gov.cn/report/{i}.html"
            state.discover(url, "bench", "report", title=title)
            state.record_fetch(url, status="ok", sha256=store.put(data), content_type="text/html")
    cpu_before = cpu_seconds()
    seconds, summary = timed(lambda: build_datasets(data_dir, full=True, jobs=jobs))
    cpu = cpu_seconds() - cpu_before
    rate = n / seconds
    print(
        f"parse+write: {n} HTML reports with {jobs} worker process(es) in {seconds:.2f} s "
        f"= {rate:,.0f} reports/s = {rate / jobs:,.0f} reports/s per core (wall clock)"
    )
    print(f"  CPU time (this process + workers): {cpu:.2f} s = {n / cpu:,.0f} reports per "
          "CPU-second (the per-core figure that other load on the machine does not skew)")  # fmt: skip
    print("  " + summary.format().replace("\n", "\n  "))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--parse", type=int, default=4_000, help="HTML reports to parse (0: skip)")
    parser.add_argument("--jobs", type=int, default=available_cores())
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="govscrape-bench-") as tmp:
        bench_write(Path(tmp) / "write", args.reports)
        if args.parse:
            bench_parse(Path(tmp) / "parse", args.parse, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
