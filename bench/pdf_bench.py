"""Benchmark extract_pdf: pages per second on one core (the real Huai'an sample and generated reports).

Run: .venv/bin/python bench/pdf_bench.py [--seconds 5]
Prints pages/s for each input; the target is at least 20 pages/s per core.
`pdf_pages_per_second(data)` is importable by bench/parse_bench.py.
"""

from __future__ import annotations

import argparse
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
    args = parser.parse_args()
    print("pages/s: CPU time (per core) and wall time, one process")
    for name, data in inputs():
        cpu_rate, wall_rate, runs = pdf_rates(data, args.seconds)
        print(
            f"{cpu_rate:8.1f} CPU {wall_rate:8.1f} wall  ({page_count(data)} pages x {runs} runs)"
            f"  {name}"
        )


if __name__ == "__main__":
    main()
