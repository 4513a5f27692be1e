"""Scale benchmark: a generated raw store of N reports built in one process, in the process pool
and on a Dask LocalCluster; no-change and one-changed nights; load and wide; extrapolation.

Usage: .venv/bin/python bench/scale_bench.py [--reports 100000] [--pdf-share 0.02]
           [--modes one,pool,cluster] [--data DIR] [--calibrate 200] [--assembly-reads 10]
       .venv/bin/python bench/scale_bench.py --plan-only --reports 1000000 [--data DIR]

The corpus is fast to make: templated variants of the demo portal's rendered reports (HTML
table, cell-per-line text, pipe text) and of its PDF report (a stub page + the PDF attachment),
each with its own agency name (so content hashes differ and an agency has a report per year).
Every build runs in a fresh process, so each peak memory (ru_maxrss) is that build's own; CPU
time is user+system of the build process and its workers (the figure other load on the shared
machine does not skew); wall time is beside it. Figures are printed, never asserted.

Where a full build is too costly (a million reports: hours of parsing on two shared cores), two
parts of the build's main process are measured apart, each labelled as such: --plan-only makes a
crawl state alone (no raw bytes) and runs the per-report path of a first build without parsing
(plan from SQLite, compare, the units to parse written and read back, the report list written);
--assembly-reads N copies the built corpus's reports N times under new ids and agency names and
runs assembly's two whole-corpus reads (cross-report rules, agencies) over them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEMS = "甲乙丙丁戊己庚辛壬癸"  # digits of an agency variant's prefix: 12 -> 乙丙
SITES = 200  # hosts the generated reports are spread over


@dataclass(frozen=True)
class Template:
    form: str
    page: str  # the page's HTML
    agency: str  # the agency name as printed in the page, replaced per variant
    attachment: bytes | None = None  # the PDF, for a stub page


def templates() -> list[Template]:
    """The demo's reports as served: HTML forms, and the PDF form (stub page + PDF)."""
    from govscrape.demo.data import build_reports
    from govscrape.demo.render import body_html
    from govscrape.demo.site_paths import attachment_bytes

    out = []
    for report in build_reports():
        if report.form not in ("html_table", "html_text_cells", "html_text_pipe", "pdf"):
            continue
        title = report.title
        page = (f"<html><head><meta charset='utf-8'><title>{title}</title></head>"
                f"<body><h1>{title}</h1>{body_html(report)}</body></html>")  # fmt: skip
        pdf = attachment_bytes(report) if report.form == "pdf" else None
        out.append(Template(report.form, page, report.agency.name, pdf))
    return out


def variant_agency(name: str, group: int) -> str:
    return "".join(STEMS[int(d)] for d in str(group)) + "区" + name


def generate(data_dir: Path, n: int, pdf_share: float, raw: bool = True) -> dict[str, int]:
    """A crawl state and raw store of n reports; the count of each form (`raw=False`: the
    state alone, each document's sha256 computed but its bytes not stored)."""
    from govscrape.crawl.rawstore import RawStore
    from govscrape.crawl.state import CrawlState

    pool = templates()
    html = [t for t in pool if t.attachment is None]
    pdfs = [t for t in pool if t.attachment is not None]
    every = max(1, round(1 / pdf_share)) if pdf_share > 0 else 0
    store, forms = RawStore(data_dir / "raw"), {}
    with CrawlState(data_dir / "state.sqlite") as state:
        for start in range(0, n, 2000):
            docs = []
            for i in range(start, min(n, start + 2000)):
                pdf = every and i % every == 0
                t = pdfs[0] if pdf else html[i % len(html)]
                forms[t.form] = forms.get(t.form, 0) + 1
                agency = variant_agency(t.agency, i // len(html))
                page = t.page.replace(t.agency, agency) + f"<!-- {i} -->"
                url = f"http://bench{i % SITES}.gov.cn/nb/{i}.html"
                docs.append((url, None, page.encode("utf-8"), "text/html", f"{agency}年报"))
                if t.attachment is not None:
                    data = t.attachment + f"\n% variant {i}\n".encode()
                    docs.append((url[:-5] + ".pdf", url, data, "application/pdf", None))
            blobs = [d[2] for d in docs]
            digests = (
                store.put_many(blobs) if raw else [hashlib.sha256(b).hexdigest() for b in blobs]
            )
            for (url, parent, _, ctype, title), digest in zip(docs, digests, strict=True):
                site = url.split("/")[2].split(".")[0]
                kind = "attachment" if parent else "report"
                state.discover(url, site, kind, parent_url=parent, title=title)
                state.record_fetch(url, status="ok", http_status=200, sha256=digest,
                                   content_type=ctype)  # fmt: skip
            state.db.commit()
    return forms


# --- one build in a fresh process --------------------------------------------------------------


def child(data: str, mode: str, full: bool) -> dict:
    """Run one build here (called in a fresh process); its figures."""
    from govscrape.datasets import build_datasets

    quiet = lambda done, total: None  # noqa: E731 - no bar, no log lines
    started, cpu0 = time.perf_counter(), _cpu()
    extra: dict = {}
    if mode == "cluster":
        from distributed import Client, LocalCluster

        with (
            LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,  # fmt: skip
            Client(cluster) as client,
        ):
            started, cpu0 = time.perf_counter(), _cpu()  # the cluster's start-up not counted
            summary = build_datasets(data, full=full, cluster=cluster.scheduler_address,
                                     progress=quiet)  # fmt: skip
            wall = time.perf_counter() - started
            usage = client.run(_own_usage)
            extra["worker_cpu"] = sum(u["cpu"] for u in usage.values())
            extra["worker_rss_mb"] = sorted(u["rss_mb"] for u in usage.values())
    else:
        jobs = 1 if mode in ("one", "nochange", "changed") else 2
        summary = build_datasets(data, full=full, jobs=jobs, progress=quiet)
        wall = time.perf_counter() - started
    from govscrape.extract.guard import close_children

    close_children()  # the guarded PDF reader's CPU time counts once it has ended
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": wall,
        "cpu_main": me.ru_utime + me.ru_stime - cpu0,
        "cpu_workers": extra.get("worker_cpu", kids.ru_utime + kids.ru_stime),
        "rss_main_mb": me.ru_maxrss / 1024,
        "rss_worker_mb": extra.get("worker_rss_mb", [kids.ru_maxrss / 1024]),
        "parsed": summary.parsed,
        "written": summary.written,
        "reports": summary.reports,
    }


def plan_child(data: str) -> dict:
    """The main process's per-report path of a first build without its parsing (run here, in a
    fresh process): plan from the crawl state, compare with the (empty) previous report list,
    write the units to parse, read them back in batches, write the manifest's report list."""
    from govscrape.datasets.delta import compare, final_reports, todo_batches
    from govscrape.datasets.manifest_reports import EntryWriter
    from govscrape.datasets.plan import plan_sources, sources_facts

    started, cpu0 = time.perf_counter(), _cpu()
    folder = Path(data) / "plan-only"
    shutil.rmtree(folder, ignore_errors=True)
    _, sites, _ = sources_facts([Path(data)])
    delta = compare(plan_sources([Path(data)], sites), iter(()), folder)
    ids = ((u.report_id, 2023) for batch in todo_batches(delta, 256) for u in batch)
    writer = EntryWriter(folder / "reports.parquet")
    final_reports(delta, ids, writer)
    writer.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    shutil.rmtree(folder, ignore_errors=True)
    return {"wall": time.perf_counter() - started, "cpu": _cpu() - cpu0, "rss_mb": rss,
            "reports": delta.reports}  # fmt: skip


def replicate(data: str, factor: int) -> dict:
    """A build of `factor` times the corpus's reports, from its current build's files: each
    report copied under new ids and agency names (report_id~k, agency~k). Only what assembly
    reads of the whole corpus is written: every reports row, and of requests the rows the
    cross-report rules read (applicant total, carried over/forward)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from govscrape.datasets.store import current_build

    source, target = current_build(Path(data)), Path(data) / f"replicated-{factor}"
    assert source is not None, "build the corpus first"
    shutil.rmtree(target, ignore_errors=True)
    files: dict = {}
    carried = (pc.field("applicant") == "total") & pc.field("row").isin(["carried_over",
                                                                         "carried_forward"])  # fmt: skip
    for dataset, where in (("reports", None), ("requests", carried)):
        (target / dataset).mkdir(parents=True)
        for path in sorted((source / dataset).glob("*.parquet")):
            table = pq.read_table(path, filters=where)
            with pq.ParquetWriter(target / dataset / path.name, table.schema) as writer:
                for k in range(factor):
                    writer.write_table(_renamed(table, k))
            files.setdefault(dataset, {})[path.name] = len(table) * factor
    return files


def _renamed(table, k: int):  # type: ignore[no-untyped-def]
    import pyarrow as pa
    import pyarrow.compute as pc

    for name in ("report_id", "agency"):
        if name not in table.column_names:
            continue
        column = table[name]
        plain = column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column
        renamed = pc.binary_join_element_wise(plain, f"~{k}", "").cast(column.type)
        index = table.column_names.index(name)
        table = table.set_column(index, table.schema.field(index), renamed)
    return table


def assembly_child(data: str, factor: int, files: dict) -> dict:
    """Assembly's two whole-corpus reads (cross-report rules, agencies) over the replicated
    build (run here, in a fresh process)."""
    from govscrape.datasets.assemble import (
        Assembled,
        Previous,
        cross_report_tables,
        write_agencies,
    )
    from govscrape.datasets.plan import sources_facts
    from govscrape.datasets.staging import Staging

    folder = Path(data) / f"replicated-{factor}"
    _, sites, since = sources_facts([Path(data)])
    previous = Previous(folder, {}, files, True, {})
    staging = Staging(Path(data) / "replicated-staging")
    started, cpu0 = time.perf_counter(), _cpu()
    cross = cross_report_tables(previous, staging, {}, since)
    after_cross = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    agencies = write_agencies(folder, previous, sites, Assembled())
    return {"wall": time.perf_counter() - started, "cpu": _cpu() - cpu0,
            "rss_cross_mb": after_cross,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "cross": sum(len(t) for t in cross.values()), "agencies": sum(agencies.values()),
            "reports": sum(files["reports"].values())}  # fmt: skip


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def _own_usage() -> dict:
    from govscrape.extract.guard import close_children

    close_children()  # the worker's guarded PDF reader: its CPU time counts once it has ended
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    return {"cpu": cpu, "rss_mb": me.ru_maxrss / 1024}


def read_child(data: str, what: str) -> dict:
    """load("requests") or wide("requests") here (in a fresh process); time and peak memory."""
    import govscrape

    started = time.perf_counter()
    if what == "load":
        rows = len(govscrape.load("requests", data))
    elif what == "wide":
        rows = len(govscrape.wide("requests", data))
    else:  # a lazy scan, aggregated in DuckDB
        rows = len(govscrape.scan("requests", data).filter("applicant = 'total'")
                   .aggregate("year, row, sum(value)", "year, row").fetchall())  # fmt: skip
    wall = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": wall, "rows": rows, "rss_mb": rss}


def in_fresh_process(function: str, *args: object) -> dict:
    code = (f"import json, sys; sys.path.insert(0, {str(HERE)!r}); import scale_bench as b; "
            f"print('RESULT', json.dumps(b.{function}(*{args!r})))")  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode or not lines:
        sys.exit(f"{function}{args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1].removeprefix("RESULT "))


# --- the runs ----------------------------------------------------------------------------------


def build_figures(data: Path, mode: str, n: int) -> dict:
    result = in_fresh_process("child", str(data), mode, True)
    cpu = result["cpu_main"] + result["cpu_workers"]
    size = sum(p.stat().st_size for p in (data / "parquet").resolve().rglob("*.parquet"))
    print(f"  {mode:8} {n:,} reports: wall {result['wall']:,.1f} s, CPU {cpu:,.1f} s "
          f"= {1000 * cpu / n:.2f} ms/report (main {result['cpu_main']:,.1f} s, workers "
          f"{result['cpu_workers']:,.1f} s); peak memory main {result['rss_main_mb']:,.0f} MB, "
          f"per worker {', '.join(f'{m:,.0f}' for m in result['rss_worker_mb'])} MB; "
          f"output {size / 1e6:,.1f} MB", flush=True)  # fmt: skip
    return result | {"cpu": cpu, "size": size}


def night_figures(data: Path) -> None:
    same = in_fresh_process("child", str(data), "nochange", False)
    print(f"  no-change night: {same['wall'] * 1000:,.0f} ms wall, "
          f"{same['cpu_main'] * 1000:,.0f} ms CPU, peak {same['rss_main_mb']:,.0f} MB, "
          f"written={same['written']}", flush=True)  # fmt: skip
    before = _inodes(data)
    change_one(data)
    one = in_fresh_process("child", str(data), "changed", False)
    after = _inodes(data)
    rewritten = sorted(k for k in after if after[k] != before.get(k))
    print(f"  one-changed night: {one['wall']:,.2f} s wall, {one['cpu_main']:,.2f} s CPU, "
          f"peak {one['rss_main_mb']:,.0f} MB; parsed {one['parsed']}; files rewritten "
          f"{len(rewritten)} of {len(after)}: {', '.join(rewritten)}", flush=True)  # fmt: skip


def change_one(data: Path) -> None:
    """A new version of one report page (one number more in its text)."""
    from govscrape.crawl.rawstore import RawStore
    from govscrape.crawl.state import CrawlState

    with CrawlState(data / "state.sqlite") as state:
        url, digest = state.db.execute(
            "SELECT url, sha256 FROM urls WHERE kind = 'report' ORDER BY url LIMIT 1 OFFSET 7"
        ).fetchone()
        store = RawStore(data / "raw")
        page = store.get(digest) + b"<!-- corrected -->"
        state.record_fetch(url, status="ok", http_status=200, sha256=store.put(page),
                           content_type="text/html")  # fmt: skip
        state.db.commit()


def _inodes(data: Path) -> dict[str, int]:
    root = (data / "parquet").resolve()
    return {str(p.relative_to(root)): p.stat().st_ino for p in root.glob("*/*.parquet")}


def plan_figures(data: Path, n: int, pdf_share: float) -> int:
    if not (data / "state.sqlite").exists():
        started = time.perf_counter()
        forms = generate(data, n, pdf_share, raw=False)
        print(f"generated a crawl state of {n:,} reports {forms} in "
              f"{time.perf_counter() - started:,.0f} s", flush=True)  # fmt: skip
    r = in_fresh_process("plan_child", str(data))
    print(
        f"  plan, compare, units to parse and report list of {r['reports']:,} reports (no "
        f"parsing): {r['wall']:,.1f} s wall, {r['cpu']:,.1f} s CPU "
        f"({1000 * r['cpu'] / n:.2f} ms/report), peak memory {r['rss_mb']:,.0f} MB",
        flush=True,
    )
    return 0


def assembly_figures(data: Path, factor: int) -> None:
    files = in_fresh_process("replicate", str(data), factor)
    r = in_fresh_process("assembly_child", str(data), factor, files)
    print(f"  assembly's whole-corpus reads over {r['reports']:,} reports ({factor} copies of "
          f"the built corpus's reports): cross-report rules + agencies {r['wall']:,.1f} s wall, "
          f"{r['cpu']:,.1f} s CPU; peak memory {r['rss_cross_mb']:,.0f} MB after the "
          f"cross-report rules ({r['cross']:,} findings), {r['rss_mb']:,.0f} MB after agencies "
          f"({r['agencies']:,} rows)", flush=True)  # fmt: skip


def read_figures(data: Path) -> None:
    for what in ("load", "wide", "scan"):
        r = in_fresh_process("read_child", str(data), what)
        label = {"load": 'load("requests")', "wide": 'wide("requests")',
                 "scan": 'scan("requests") aggregated'}[what]  # fmt: skip
        print(f"  {label}: {r['rows']:,} rows in {r['wall']:,.2f} s, peak {r['rss_mb']:,.0f} MB",
              flush=True)  # fmt: skip


def calibrate(root: Path, count: int) -> dict[str, float]:
    """CPU per document of the PDF form and of the HTML forms, each built alone in one process."""
    costs = {}
    for form, share in (("pdf", 1.0), ("html", 0.0)):
        data = root / f"calibrate-{form}"
        generate(data, count if form == "pdf" else count * 10, share)
        n = count if form == "pdf" else count * 10
        r = in_fresh_process("child", str(data), "one", True)
        costs[form] = (r["cpu_main"] + r["cpu_workers"]) / n
        print(f"  calibration {form}: {n:,} reports, {1000 * costs[form]:.1f} ms CPU per report",
              flush=True)  # fmt: skip
        shutil.rmtree(data)
    return costs


def extrapolate(costs: dict[str, float], serial: float, pdf_share: float) -> None:
    """2,000,000 documents on 1, 8 and 64 cores from the measured per-document costs."""
    n = 2_000_000
    per_doc = pdf_share * costs["pdf"] + (1 - pdf_share) * costs["html"]
    print(f"\nExtrapolation to {n:,} documents ({pdf_share:.0%} PDF): "
          f"{1000 * per_doc:.1f} ms CPU per document in parallel workers, "
          f"{1000 * serial:.2f} ms per document in the build's main process (staging, merge, "
          "write: not parallel)")  # fmt: skip
    for cores in (1, 8, 64):
        hours = (n * per_doc / cores + n * serial) / 3600
        print(f"  {cores:>2} cores: {n * per_doc / 3600:,.1f} core-hours of parsing -> "
              f"about {hours:,.1f} h wall")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--pdf-share", type=float, default=0.02)
    parser.add_argument("--modes", default="one,pool,cluster")
    parser.add_argument("--data", type=Path, help="keep the corpus here (default: a temp folder)")
    parser.add_argument("--calibrate", type=int, default=0, help="PDFs for the per-form costs")
    parser.add_argument("--archive-pdf-share", type=float, default=0.5)
    parser.add_argument("--assembly-reads", type=int, default=0, metavar="FACTOR",
                        help="after the builds: assembly's whole-corpus reads over the built "
                        "corpus's reports copied FACTOR times")  # fmt: skip
    parser.add_argument("--plan-only", action="store_true",
                        help="a crawl state alone (no raw bytes); measure the build's planning, "
                        "comparison and report list, without parsing")  # fmt: skip
    args = parser.parse_args(argv)
    root = args.data or Path(tempfile.mkdtemp(prefix="govscrape-scale-"))
    data = root / f"corpus-{args.reports}"
    try:
        if args.plan_only:
            return plan_figures(root / f"state-{args.reports}", args.reports, args.pdf_share)
        if not (data / "state.sqlite").exists():
            started = time.perf_counter()
            forms = generate(data, args.reports, args.pdf_share)
            print(f"generated {args.reports:,} reports {forms} in "
                  f"{time.perf_counter() - started:,.0f} s", flush=True)  # fmt: skip
        results = {m: build_figures(data, m, args.reports) for m in args.modes.split(",") if m}
        if args.modes:
            night_figures(data)
            read_figures(data)
        if args.assembly_reads:
            assembly_figures(data, args.assembly_reads)
        if args.calibrate:
            costs = calibrate(root, args.calibrate)
            mains = [r["cpu_main"] for k, r in results.items() if k != "one"] or [0.0]
            main_cost = min(mains) / args.reports
            extrapolate(costs, main_cost, args.archive_pdf_share)
    finally:
        if args.data is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
