"""Crawl speed: a generated local portal of N pages, politeness off; first and incremental runs.

Usage: .venv/bin/python bench/crawl_bench.py [--sizes 5000,10000] [--repeat 3]

A server process serves a TRS-style portal (one listing column paginated with `var countPage`,
20 reports per page, report pages of ~40 KB with the three statistics tables, ETags so a second
run gets 304s). For each size a fresh crawler process runs `run_crawl` twice into a temporary data
folder and reports wall time, pages/s, the crawler process's CPU time per page (the server's CPU is
not counted) and its peak RSS. Targets (issue 4): CPU <= 3 ms/page, memory flat as the portal
grows, the incremental run >= 10x faster than the first. With --repeat, each size is measured that
many times and the run with the least CPU is shown (other processes on the machine only ever add
to it); the load average is printed because a busy machine inflates every figure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PER_PAGE = 20
ROW = (
    "<tr><td style='mso-border-alt:solid windowtext .5pt'>{label}</td>"
    + "<td>{n}</td>" * 7
    + "</tr>"
)
LABELS = ["一、本年新收政府信息公开申请数量", "三、本年度办理结果", "（一）予以公开", "（二）部分公开",
          "（三）不予公开", "1.属于国家秘密", "2.其他法律行政法规禁止公开", "四、结转下年度继续办理"]  # fmt: skip


def report_html(i: int) -> bytes:
    rows = "".join(
        ROW.format(label=LABELS[k % len(LABELS)], n=(i * 7 + k) % 13) for k in range(240)
    )
    body = (
        f"<html><head><meta charset='utf-8'><title>某某县第{i}局2023年政府信息公开工作年度报告</title>"
        "<meta name='SiteIDCode' content='4300000001'></head><body><div class='TRS_Editor'>"
        "<p>一、总体情况</p>"
        + "<p>本机关坚持以公开为常态、不公开为例外。</p>"
        * 40
        + "<p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>"
        f"<table>{rows}</table><p>四、政府信息公开行政复议、行政诉讼情况</p>"
        "<p>五、存在的主要问题及改进情况</p></div>"
        f"<a href='./P0{i}.pdf'>附件：政府信息公开申请表</a></body></html>"
    )
    return body.encode("utf-8")


def listing_html(page: int, pages: int, reports: int) -> bytes:
    first = page * PER_PAGE
    items = "".join(
        f"<li><a href='./2024{i % 12 + 1:02d}/t2024_{i}.html' title='某某县第{i}局2023年政府信息公开工作"
        f"年度报告'>某某县第{i}局2023年政府信息公开工作年度报告</a><span>2024-01-2{i % 10}</span></li>"
        for i in range(first, min(first + PER_PAGE, reports))
    )
    nav = "".join(f"<li><a href='/nav{k}/'>栏目{k}</a></li>" for k in range(30))
    script = f"<script>var countPage = {pages};var currentPage = {page};</script>"
    return f"<html><body><ul class='nav'>{nav}</ul><ul class='list'>{items}</ul>{script}</body></html>".encode()


def serve(total_pages: int, port_queue: multiprocessing.Queue) -> None:
    """Serve a portal of `total_pages` pages (listings + reports) until killed."""
    reports = total_pages * PER_PAGE // (PER_PAGE + 1)
    pages = -(-reports // PER_PAGE)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body leave at once, no 40 ms ACK waits

        def do_GET(self) -> None:
            body = self.route(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = '"' + hashlib.md5(body).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def route(self, path: str) -> bytes | None:
            if path == "/list/":
                return listing_html(0, pages, reports)
            if path.startswith("/list/index_"):
                return listing_html(int(path[12:].split(".")[0]), pages, reports)
            if "/t2024_" in path:
                return report_html(int(path.rsplit("_", 1)[1].split(".")[0]))
            return None

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    port_queue.put(httpd.server_address[1])
    httpd.serve_forever()


def crawl_worker(port: int, data_dir: str) -> None:
    """Run in a fresh process: two crawls, printing one JSON line of measurements."""
    from govscrape.crawl.config import parse_config
    from govscrape.crawl.crawler import run_crawl
    from govscrape.crawl.settings import CrawlSettings

    config = parse_config(
        {"site": [{"id": "bench", "agency": "某某县", "listing": f"http://127.0.0.1:{port}/list/",
                   "allow_private_addresses": True}]},
        Path("bench.toml"),
    )  # fmt: skip
    settings = CrawlSettings(
        per_host_delay_s=0.0, per_host_concurrency=4, global_concurrency=4,
        max_requests_per_site=10**6, max_pages=10**5,
    )  # fmt: skip
    out: dict[str, float] = {}
    for run in ("first", "second"):
        wall, cpu = time.perf_counter(), time.process_time()
        summary = run_crawl(config, Path(data_dir), settings=settings)
        out[f"{run}_wall_s"] = time.perf_counter() - wall
        out[f"{run}_cpu_s"] = time.process_time() - cpu
        site = summary.sites[0]
        out[f"{run}_requests"] = sum(
            site.get(k, o)
            for k in ("listing", "report")
            for o in ("new", "changed", "unchanged", "failed")
        ) - (site.get("report", "unchanged") if run == "second" else 0)
        out[f"{run}_pages"] = site.get("listing", "seen") + site.get("report", "seen")
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def measure(total_pages: int) -> dict[str, float]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(total_pages, queue), daemon=True)
    server.start()
    port = queue.get(timeout=10)
    try:
        with tempfile.TemporaryDirectory(prefix="govscrape-bench-") as data:
            proc = subprocess.run(
                [sys.executable, __file__, "--worker", str(port), data],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            return json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,10000", help="portal sizes in pages")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the best is shown")
    parser.add_argument("--worker", nargs=2, metavar=("PORT", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        crawl_worker(int(args.worker[0]), args.worker[1])
        return
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'pages':>6} {'first s':>8} {'pages/s':>8} {'cpu ms/page':>11} {'peak MB':>8}"
          f" {'incr s':>7} {'incr reqs':>9} {'speed-up':>8}")  # fmt: skip
    for size in (int(s) for s in args.sizes.split(",")):
        runs = [measure(size) for _ in range(max(1, args.repeat))]
        m = min(runs, key=lambda r: r["first_cpu_s"])
        pages = m["first_pages"]
        print(
            f"{pages:>6.0f} {m['first_wall_s']:>8.2f} {pages / m['first_wall_s']:>8.0f}"
            f" {1000 * m['first_cpu_s'] / pages:>11.2f} {m['peak_rss_mb']:>8.1f}"
            f" {m['second_wall_s']:>7.3f} {m['second_requests']:>9.0f}"
            f" {m['first_wall_s'] / m['second_wall_s']:>7.0f}x"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
