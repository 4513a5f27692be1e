"""Benchmark extract_pdf: pages per second on one core (the real Huai'an sample and generated reports).

Run: .venv/bin/python bench/pdf_bench.py [--seconds 5] [--guarded]
Prints pages/s for each input; the target is at least 20 pages/s per core.
With --guarded, also the rate through extract_document as a build reads a PDF: in the guarded
worker process (extract/guard.py), CPU time of this process and of the worker together (its
start-up included, once), and the cost per document beyond reading it in-process.
`pdf_pages_per_second(data)` is importable by bench/parse_bench.py.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "fixtures" / "published" / "huaian-city-2024.pdf"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from govscrape.extract.pdf import extract_pdf  # noqa: E402


def page_count(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def pdf_pages_per_second(data: bytes, seconds: float = 3.0) -> tuple[float, int]:
    """(pages per CPU second, runs) for extract_pdf on `data`, repeated for about `seconds`.

    CPU time of this process, not wall time: it is the per-core rate, and it does not drop
    when other work shares the machine.
    """
    cpu_rate, _wall_rate, runs = pdf_rates(data, seconds)
    return cpu_rate, runs


def pdf_rates(data: bytes, seconds: float = 3.0) -> tuple[float, float, int]:
    """(pages per CPU second, pages per wall second, runs) for extract_pdf on `data`."""
    pages = page_count(data)
    extract_pdf(data)  # warm imports and caches
    runs, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        extract_pdf(data)
        runs += 1
    wall = time.perf_counter() - start
    return runs * pages / (time.process_time() - cpu), runs * pages / wall, runs


def guarded_rates(data: bytes, seconds: float = 3.0) -> tuple[float, float, int, float]:
    """(pages per CPU second, pages per wall second, runs, start-up s) for extract_document on
    `data`: read in the guarded worker, whose CPU time is counted with this process's. The
    worker's start-up (once per process) is measured apart: the first document's extra wall
    time."""
    from govscrape.extract import extract_document

    _close_children()
    pages = page_count(data)
    first = time.perf_counter()
    extract_document(data)
    first = time.perf_counter() - first
    runs, start, cpu = 0, time.perf_counter(), _cpu_with_children()
    while time.perf_counter() - start < seconds or runs == 0:
        extract_document(data)
        runs += 1
    wall = time.perf_counter() - start
    cpu = _cpu_with_children() - cpu
    _close_children()
    return runs * pages / cpu, runs * pages / wall, runs, first - wall / runs


def _close_children() -> None:
    try:
        from govscrape.extract.guard import close_children
    except ImportError:  # a guard that starts a process per document has none to close
        return
    close_children()


def _cpu_with_children() -> float:
    """CPU time of this process, of its ended children and of its live ones (Linux /proc)."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    total = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    tick = os.sysconf("SC_CLK_TCK")
    for task in Path("/proc/self/task").iterdir():
        for pid in (task / "children").read_text().split():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
    return total


def inputs() -> list[tuple[str, bytes]]:
    found = [("huaian-city-2024.pdf (WPS export, embedded fonts)", SAMPLE.read_bytes())]
    import pdf_fixtures

    found.append(("generated v2021, ruled (reportlab, CID font)", pdf_fixtures.report_pdf()))
    found.append(
        (
            "generated v2019, unruled (reportlab, CID font)",
            pdf_fixtures.report_pdf(template="v2019", ruled=False),
        )
    )
    found.append(
        (
            "generated v2021, unruled, table over a page break",
            pdf_fixtures.report_pdf(template="v2021", ruled=False),
        )
    )
    from govscrape.demo.data import REPORTS
    from govscrape.demo.site_paths import attachment_bytes

    for report in (r for r in REPORTS if r.form == "pdf"):
        found.append((f"demo {report.title}.pdf (reportlab, ruled)", attachment_bytes(report)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--guarded", action="store_true", help="also through the guarded worker")
    args = parser.parse_args()
    print("pages/s: CPU time (per core) and wall time, one process")
    for name, data in inputs():
        cpu_rate, wall_rate, runs = pdf_rates(data, args.seconds)
        pages = page_count(data)
        print(f"{cpu_rate:8.1f} CPU {wall_rate:8.1f} wall  ({pages} pages x {runs} runs)  {name}")
        if args.guarded:
            g_cpu, g_wall, g_runs, startup = guarded_rates(data, args.seconds)
            extra = 1000 * pages * (1 / g_cpu - 1 / cpu_rate)
            print(f"{g_cpu:8.1f} CPU {g_wall:8.1f} wall  ({pages} pages x {g_runs} runs)  ... "
                  f"guarded: {extra:+.1f} ms CPU per document, worker start-up "
                  f"{1000 * startup:.0f} ms wall once")  # fmt: skip


if __name__ == "__main__":
    main()
