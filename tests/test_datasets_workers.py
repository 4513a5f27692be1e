"""Parsing in worker processes: a report that kills its worker costs that report only, and
workers never outlive the build that started them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from datasets_factory import add_site, make_report, parse_or_die, report_to_bytes, store_report
from guard_hooks import KILL_TEXT

from govscrape.datasets import build_datasets

TESTS = Path(__file__).resolve().parent


def crawl_like(data_dir: Path, urls: list[str]) -> None:
    add_site(data_dir, "site-a", agency="甲局", agency_kind="department", province="湖南省")
    for i, url in enumerate(urls):
        store_report(data_dir, url, report_to_bytes(make_report(f"局{i}", 2020)), site="site-a")


def test_a_report_that_kills_its_worker_costs_that_report_only(tmp_path):
    urls = [f"http://a.gov.cn/{i}.html" for i in range(12)] + ["http://a.gov.cn/die.html"]
    crawl_like(tmp_path, urls)
    summary = build_datasets(tmp_path, parse=parse_or_die, jobs=2, progress=lambda d, t: None)
    assert summary.written and summary.reports == 13
    reports = pd.read_parquet(tmp_path / "parquet" / "reports")
    assert len(reports) == 13
    findings = pd.read_parquet(tmp_path / "parquet" / "findings")
    lost = findings[findings["code"] == "parse.resource_limit"]
    assert list(lost["report_id"]) == list(
        reports[reports["url"] == "http://a.gov.cn/die.html"]["report_id"]
    )
    assert "worker process reading this report died" in lost["message"].iloc[0]
    requests = pd.read_parquet(tmp_path / "parquet" / "requests")
    assert requests["report_id"].nunique() == 12  # every other report was read in full


class CrashedTheBuild(BaseException):
    """Stands for a native crash in the build's own process (uncatchable by the build)."""


def killer_document(form: str) -> bytes:
    """A small document of `form` whose text holds guard_hooks.KILL_TEXT."""
    if form == "pdf":
        from pdf_fixtures import report_pdf

        return report_pdf(filler=1, note=KILL_TEXT)
    if form == "docx":
        import io

        import docx

        word = docx.Document()
        word.add_paragraph("政府信息公开工作年度报告")
        word.add_paragraph(KILL_TEXT)
        out = io.BytesIO()
        word.save(out)
        return out.getvalue()
    return f"<html><body><h1>年度报告</h1><p>{KILL_TEXT}</p></body></html>".encode()


@pytest.mark.parametrize("form", ["html", "docx", "pdf"])
def test_a_small_build_survives_a_report_whose_reading_kills_the_process(
    tmp_path, monkeypatch, form
):
    """A build of a few reports parses in its own process; a report whose reading kills the
    process reading it costs that report only, whatever its format, and the build finishes
    with a finding for it. Test-only extractors read the document for real, then abort (as
    pdfium does out of memory) in a guarded child, or raise CrashedTheBuild (past the build's
    handlers) if the document were read in the build's own process."""
    import govscrape.extract
    from govscrape.extract import guard

    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(TESTS), str(TESTS.parent / "src")]))
    for kind in ("document", "pdf"):  # in a guarded child: abort
        monkeypatch.setitem(guard.GUARDED, kind, ("guard_hooks", "abort_in_parse"))
    guard.close_children()  # children started from here on run the hook
    extract_here = govscrape.extract._extract

    def crash_here(data, content_type, guarded=True):  # in this process: fail the test
        doc = extract_here(data, content_type, guarded)
        if KILL_TEXT in repr(doc.blocks):
            raise CrashedTheBuild(f"{content_type} read in the build's own process")
        return doc

    monkeypatch.setattr(govscrape.extract, "_extract", crash_here)
    page = (TESTS / "fixtures" / "reports" / "anping-devzone-2023.html").read_bytes()
    add_site(tmp_path, "site-a", agency="甲局", agency_kind="department", province="湖南省")
    for i in range(3):  # the same report thrice, as three agencies' pages
        store_report(tmp_path, f"http://a.gov.cn/{i}.html", page + f"<!-- {i} -->".encode(),
                     site="site-a")  # fmt: skip
    die = f"http://a.gov.cn/die.{form}"
    store_report(tmp_path, die, killer_document(form), site="site-a")
    try:
        summary = build_datasets(tmp_path, progress=lambda d, t: None)
    finally:
        guard.close_children()
    assert summary.workers == 1 and summary.written and summary.reports == 4
    reports = pd.read_parquet(tmp_path / "parquet" / "reports")
    findings = pd.read_parquet(tmp_path / "parquet" / "findings")
    lost = findings[findings["code"] == "parse.resource_limit"]
    assert list(lost["report_id"]) == list(reports[reports["url"] == die]["report_id"])
    assert "aborted" in lost["message"].iloc[0]
    requests = pd.read_parquet(tmp_path / "parquet" / "requests")
    assert requests["report_id"].nunique() == 3  # every other report was read in full


BUILD = """
import sys
sys.path.insert(0, {tests!r})
from datasets_factory import parse_forever
from govscrape.datasets import build_datasets
build_datasets({data!r}, parse=parse_forever, jobs=2, progress=lambda d, t: None)
"""


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\\nState:\\tZ" not in status and "State:\tZ" not in status


def test_workers_exit_when_their_build_is_killed(tmp_path):
    data, pids = tmp_path / "data", tmp_path / "pids"
    pids.mkdir()
    crawl_like(data, [f"http://a.gov.cn/{i}.html" for i in range(4)])
    env = {**os.environ, "GOVSCRAPE_TEST_PIDS": str(pids)}
    script = BUILD.format(tests=str(TESTS), data=str(data))
    build = subprocess.Popen([sys.executable, "-c", script], env=env)
    try:
        deadline = time.monotonic() + 60
        while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = [int(p.name) for p in pids.iterdir()]
        assert len(workers) == 2, "the workers never started"
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    deadline = time.monotonic() + 30  # the kernel's signal is immediate; this is slack
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # never leave a stray process on the shared machine
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_a_full_disk_stops_the_build_with_a_clear_error_and_the_next_build_works(tmp_path):
    from small_disk import fill, small_disk

    from govscrape.errors import DiskFullError

    data = tmp_path / "data"
    crawl_like(data, [f"http://a.gov.cn/{i}.html" for i in range(5)])
    # The builds' folder on a small disk of its own: the crawl state and raw store stay readable.
    with small_disk(data / ".parquet-builds", "4m") as disk:
        build_datasets(data, parse=parse_or_die, jobs=1, progress=lambda d, t: None)
        before = sorted(p.name for p in disk.iterdir())
        store_report(data, "http://a.gov.cn/new.html", report_to_bytes(make_report("新局", 2021)))
        filler = fill(disk)
        with pytest.raises(DiskFullError, match=r"disk holding .* is full.*previous datasets"):
            build_datasets(data, parse=parse_or_die, jobs=1, progress=lambda d, t: None)
        left = sorted(p.name for p in disk.iterdir() if p != filler)
        assert left == before  # the half-written build is gone
        assert len(pd.read_parquet(data / "parquet" / "reports")) == 5  # still readable
        filler.unlink()
        assert build_datasets(data, parse=parse_or_die, jobs=1, progress=lambda d, t: None).written
        assert len(pd.read_parquet(data / "parquet" / "reports")) == 6


def test_a_full_disk_under_the_crawl_state_stops_the_build_with_a_clear_error(tmp_path):
    """The build opens the crawl state; on a full disk SQLite cannot create its -shm file and
    says "disk I/O error": a DiskFullError all the same."""
    from small_disk import fill, small_disk

    from govscrape.errors import DiskFullError

    data = tmp_path / "data"
    with small_disk(data, "1m"):
        (tmp_path / "raw").mkdir()
        (data / "raw").symlink_to(tmp_path / "raw")
        crawl_like(data, [f"http://a.gov.cn/{i}.html" for i in range(3)])
        filler = fill(data, leave=8192)  # room for the build's lock, not for the -shm
        with pytest.raises(DiskFullError, match=r"disk holding .* is full.*disk I/O error"):
            build_datasets(data, parse=parse_or_die, jobs=1, progress=lambda d, t: None)
        filler.unlink()
        assert build_datasets(data, parse=parse_or_die, jobs=1, progress=lambda d, t: None).written
