"""Building the datasets: Report -> rows, Parquet round trip, incremental and atomic builds."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets_factory import (
    add_site,
    fake_parse,
    make_report,
    prose_report,
    provenance,
    record_url,
    report_to_bytes,
    store_report,
    write_reports,
)

import govscrape
from govscrape.datasets import (
    build,
    build_datasets,
    fingerprint,
    normalise_url,
    report_id_for,
    report_rows,
    workers,
)
from govscrape.datasets.manifest_reports import reports_dict
from govscrape.datasets.rows import Provenance
from govscrape.datasets.schema import DATASETS, DERIVED
from govscrape.datasets.workers import available_cores
from govscrape.errors import InputError, LockedError
from govscrape.model import Cell, Finding, Report
from govscrape.parse.prose_wording import MEASURE_CODES

TESTS = Path(__file__).resolve().parent


def crawl_like(data_dir: Path, reports: dict[str, Report], site: str = "site-a") -> None:
    add_site(data_dir, site, agency="甲局", agency_kind="department", province="湖南省")
    for url, report in reports.items():
        store_report(data_dir, url, report_to_bytes(report), site=site)


def tricky_report() -> Report:
    report = make_report(
        "甲局",
        2020,
        requests={"new": {"natural_person": 1, "commercial": None, "total": 0}},
        active={"admin_fee": {"change": -3}, "procurement": {"amount": 25.5}},
        published=datetime(2021, 1, 12, 18, 0),
        findings=[
            Finding("requests.row_total", "error", "new: 0 vs 1", "requests", "new", "total", 1, 0)
        ],
    )
    report.cells.append(Cell("requests", "granted", "other_org", None, "not_applicable", "/"))
    return report


# --- Report -> rows --------------------------------------------------------------------------


def test_report_rows_carry_identity_on_every_long_row():
    report = tricky_report()
    rows = report_rows(report, provenance(report))
    requests = rows["requests"]
    n = len(requests["value"])
    assert n == len(report.table("requests"))
    assert set(requests["report_id"]) == {report_id_for(report.url)}
    assert requests["agency"] == ["甲局"] * n and requests["year"] == [2020] * n


def test_blank_cell_is_null_not_zero_in_rows():
    rows = report_rows(tricky_report(), provenance(tricky_report()))["requests"]
    index = next(
        i
        for i in range(len(rows["row"]))
        if rows["row"][i] == "new" and rows["applicant"][i] == "commercial"
    )
    assert rows["value"][index] is None and rows["kind"][index] == "blank"


def test_fractional_count_is_kept_null_with_a_finding():
    report = make_report("甲局", 2020)
    report.cells[0] = Cell("requests", "new", "natural_person", 1.5, "number", "1.5")
    rows = report_rows(report, provenance(report))
    assert rows["requests"]["value"][0] is None
    assert "parse.unreadable_cell" in rows["findings"]["code"]


def test_site_agency_wins_over_the_parsed_one():
    report = make_report("甲局（印章）", 2020)
    prov = Provenance(report_id="x", url="http://a/1", site_meta={"agency": "甲局"})
    assert report_rows(report, prov)["reports"]["agency"] == ["甲局"]


def test_parse_status_distinguishes_unreadable_from_no_tables():
    unreadable = Report(findings=[Finding("parse.scanned_pdf", "error", "scanned")])
    no_tables = Report(findings=[Finding("parse.missing_table", "error", "no table")])
    status = [
        report_rows(r, Provenance(report_id="x"))["reports"]["parse_status"][0]
        for r in (unreadable, no_tables, make_report("甲局", 2020), tricky_report())
    ]
    assert status == ["unreadable", "no_tables", "ok", "with_errors"]


def test_report_id_is_stable_and_ignores_case_of_host_port_and_fragment():
    url = "http://www.Example.gov.cn:80/a/b.html?id=3#top"
    assert normalise_url(url) == "http://www.example.gov.cn/a/b.html?id=3"
    assert report_id_for(url) == report_id_for("http://www.example.gov.cn/a/b.html?id=3")
    assert (
        report_id_for(url) == "93f7203d42297326"
    )  # sha1 of the normalised URL; a change here breaks every stored id
    assert report_id_for("http://www.example.gov.cn/a/c.html") != report_id_for(url)


# --- Round trip ------------------------------------------------------------------------------


def test_round_trip_keeps_values_nulls_units_and_times(tmp_path):
    report = tricky_report()
    unknown = make_report("乙局", None)
    write_reports(tmp_path, [report, unknown])
    requests = govscrape.load("requests", tmp_path, agencies="甲局")
    expected = {(c.row, c.column): c.value for c in report.table("requests")}
    got = {(r.row, r.applicant): r.value for r in requests.itertuples()}
    assert {k: (None if pd.isna(v) else v) for k, v in got.items()} == expected
    assert requests["value"].dtype == "Int64" and requests["year"].dtype == "Int16"
    active = govscrape.load("active_disclosure", tmp_path, years=2020).set_index(["item", "metric"])
    assert active.loc[("admin_fee", "change"), "value"] == -3
    assert active.loc[("procurement", "amount"), "value"] == 25.5
    reports = govscrape.load("reports", tmp_path).set_index("agency")
    published = reports.loc["甲局", "published"]
    assert published == pd.Timestamp("2021-01-12 18:00", tz="Asia/Shanghai")
    assert pd.isna(reports.loc["乙局", "year"]) and pd.isna(reports.loc["乙局", "published"])
    assert reports.loc["甲局", "findings_error"] == 1


def test_headlines_hold_every_measure_of_every_report_from_the_table_or_the_prose(tmp_path):
    table = make_report("甲局", 2020, requests={"new": {"natural_person": 3, "total": 3}})
    prose = prose_report("甲局", 2016, "2016年，我局未收到政府信息公开申请。")
    write_reports(tmp_path, [table, prose])
    frame = govscrape.load("headlines", tmp_path)
    assert len(frame) == 2 * len(MEASURE_CODES)
    received = frame[frame["measure"] == "requests_received"].set_index("year")
    assert (received.loc[2020, "status"], received.loc[2020, "value"]) == ("table", 3.0)
    assert received.loc[2020, "evidence"] == "table 三 (requests), column total: new '3'"
    assert (received.loc[2016, "status"], received.loc[2016, "value"]) == ("stated_zero", 0.0)
    assert received.loc[2016, "evidence"] == "2016年，我局未收到政府信息公开申请。"
    assert (received.loc[2016, "section"], received.loc[2016, "unit"]) == ("requests", "件")
    others = frame[(frame["year"] == 2016) & (frame["measure"] != "requests_received")]
    assert set(others["status"]) == {"not_stated"} and others["value"].isna().all()


def test_prose_figures_never_enter_the_requests_table(tmp_path):
    write_reports(tmp_path, [prose_report("乙局", 2015, "全年共受理政府信息公开申请2件。")])
    assert govscrape.load("requests", tmp_path).empty
    frame = govscrape.load("headlines", tmp_path)
    assert frame.loc[frame["measure"] == "requests_received", "value"].tolist() == [2.0]


def test_plain_pandas_reads_every_dataset(tmp_path):
    write_reports(tmp_path, [tricky_report(), make_report("乙局", None)])
    for name in DATASETS:
        frame = pd.read_parquet(tmp_path / "parquet" / name)
        if name in DERIVED:
            assert "year" not in frame.columns and "agency" in frame.columns
        else:
            assert "year" in frame.columns and "report_id" in frame.columns


def test_load_filters_by_year_and_agency_and_unknown_year(tmp_path):
    write_reports(
        tmp_path, [make_report("甲局", 2020), make_report("甲局", 2021), make_report("乙局", None)]
    )
    assert set(govscrape.load("reports", tmp_path, years=[2021])["year"]) == {2021}
    assert list(govscrape.load("reports", tmp_path, years=[None])["agency"]) == ["乙局"]
    assert len(govscrape.load("reports", tmp_path, agencies=["乙局", "甲局"])) == 3


def test_code_columns_are_categories_in_template_order(tmp_path):
    write_reports(tmp_path, [make_report("甲局", 2020)])
    rows = govscrape.load("requests", tmp_path)["row"]
    assert rows.dtype == "category"
    assert list(rows.cat.categories)[:3] == ["new", "carried_over", "granted"]


def test_wide_has_one_row_per_report_and_a_column_per_cell(tmp_path):
    write_reports(tmp_path, [tricky_report(), make_report("乙局", 2020, tables=False)])
    wide = govscrape.wide("requests", tmp_path).set_index("agency")
    assert wide.loc["甲局", "new__natural_person"] == 1
    assert pd.isna(wide.loc["甲局", "new__commercial"])
    assert pd.isna(wide.loc["乙局", "new__total"])  # no table read: null, not 0
    assert list(wide.columns[:4]) == ["report_id", "year", "template", "new__natural_person"]


# --- Builds from a crawl state and raw store -------------------------------------------------


def test_build_from_crawl_state_and_raw_store(tmp_path):
    crawl_like(tmp_path, {"http://a.gov.cn/2020.html": tricky_report()})
    summary = build_datasets(tmp_path, parse=fake_parse)
    assert summary.parsed == 1 and summary.written
    reports = govscrape.load("reports", tmp_path)
    assert reports.loc[0, "site"] == "site-a" and reports.loc[0, "province"] == "湖南省"
    assert reports.loc[0, "report_id"] == report_id_for("http://a.gov.cn/2020.html")
    assert "datasets written" in summary.format()


def test_missing_crawl_state_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="run govscrape crawl"):
        build_datasets(tmp_path, parse=fake_parse)


def test_missing_crawl_state_leaves_no_folder_or_lock_behind(tmp_path):
    with pytest.raises(InputError):
        build_datasets(tmp_path / "data", parse=fake_parse)
    assert not (tmp_path / "data").exists()
    with pytest.raises(InputError):
        build_datasets(tmp_path, parse=fake_parse)
    assert list(tmp_path.iterdir()) == []


def test_jobs_below_one_is_refused(tmp_path):
    crawl_like(tmp_path, {"http://a.gov.cn/2020.html": make_report("甲局", 2020)})
    for jobs in (0, -3):
        with pytest.raises(ValueError, match="at least 1"):
            build_datasets(tmp_path, parse=fake_parse, jobs=jobs)


def test_an_interrupted_build_releases_its_lock(tmp_path):
    crawl_like(tmp_path, {"http://a.gov.cn/2020.html": make_report("甲局", 2020)})

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_datasets(tmp_path, parse=fake_parse, progress=interrupt)
    assert (tmp_path / "build.lock").read_text() == ""  # no holder left recorded
    assert build_datasets(tmp_path, parse=fake_parse).written


HOLDER = """
import sys, time
from pathlib import Path
from govscrape.datasets.build import build_lock

with build_lock(Path({data!r})):
    open({marker!r}, "w").close()
    time.sleep(60)
"""


def test_a_build_is_refused_while_another_holds_the_lock_and_runs_once_it_is_killed(tmp_path):
    crawl_like(tmp_path, {"http://a.gov.cn/2020.html": make_report("甲局", 2020)})
    marker = tmp_path / "locked"
    script = HOLDER.format(data=str(tmp_path), marker=str(marker))
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the holder never took the lock"
        with pytest.raises(LockedError, match=f"pid {proc.pid}\\b.*building the datasets"):
            build_datasets(tmp_path, parse=fake_parse)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert str(proc.pid) in (tmp_path / "build.lock").read_text()  # stale: its holder is dead
    assert build_datasets(tmp_path, parse=fake_parse).written


def _files(data_dir: Path) -> dict[str, bytes]:
    root = (data_dir / "parquet").resolve()
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.parquet"))}


def test_rebuild_of_same_raw_store_is_identical(tmp_path):
    crawl_like(
        tmp_path, {f"http://a.gov.cn/{y}.html": make_report("甲局", y) for y in (2020, 2021)}
    )
    build_datasets(tmp_path, parse=fake_parse)
    first = _files(tmp_path)
    again = build_datasets(tmp_path, parse=fake_parse)
    assert not again.written and again.reused == 2
    build_datasets(tmp_path, parse=fake_parse, full=True)
    assert _files(tmp_path) == first


def test_changed_report_replaces_its_rows_and_others_are_reused(tmp_path):
    reports = {f"http://a.gov.cn/{y}.html": make_report("甲局", y) for y in (2020, 2021)}
    crawl_like(tmp_path, reports)
    build_datasets(tmp_path, parse=fake_parse)
    changed = make_report("甲局", 2021, requests={"new": {"natural_person": 7, "total": 7}})
    store_report(tmp_path, "http://a.gov.cn/2021.html", report_to_bytes(changed), site="site-a")
    summary = build_datasets(tmp_path, parse=fake_parse)
    assert (summary.parsed, summary.reused) == (1, 1)
    requests = govscrape.load("requests", tmp_path, years=2021)
    assert len(requests) == len(changed.table("requests"))  # nothing duplicated
    total = requests[(requests.row == "new") & (requests.applicant == "total")]["value"]
    assert list(total) == [7]
    incremental = _files(tmp_path)
    build_datasets(tmp_path, parse=fake_parse, full=True)
    assert _files(tmp_path) == incremental


def test_attachment_is_the_report_when_the_page_has_no_tables(tmp_path):
    page_url = "http://a.gov.cn/2020.html"
    page = make_report("甲局", 2020, tables=False, published=datetime(2021, 1, 20))
    attachment = make_report("甲局", 2020, requests={"new": {"natural_person": 2, "total": 2}})
    attachment.published = None
    crawl_like(tmp_path, {page_url: page})
    store_report(tmp_path, "http://a.gov.cn/2020.pdf", report_to_bytes(attachment),
                 site="site-a", kind="attachment", parent_url=page_url)  # fmt: skip
    build_datasets(tmp_path, parse=fake_parse)
    reports = govscrape.load("reports", tmp_path)
    assert len(reports) == 1
    row = reports.iloc[0]
    assert row["url"] == page_url and row["source_url"] == "http://a.gov.cn/2020.pdf"
    assert row["published"] == pd.Timestamp("2021-01-20", tz="Asia/Shanghai")
    assert row["report_id"] == report_id_for(page_url)


def test_unreadable_document_still_gets_a_report_row(tmp_path):
    crawl_like(tmp_path, {})
    store_report(tmp_path, "http://a.gov.cn/junk.html", b"\x00junk", site="site-a")
    build_datasets(tmp_path, parse=fake_parse)
    reports = govscrape.load("reports", tmp_path)
    assert list(reports["parse_status"]) == ["unreadable"]


def test_removed_document_drops_its_rows(tmp_path):
    crawl_like(
        tmp_path, {f"http://a.gov.cn/{y}.html": make_report("甲局", y) for y in (2020, 2021)}
    )
    build_datasets(tmp_path, parse=fake_parse)
    import sqlite3

    con = sqlite3.connect(tmp_path / "state.sqlite")
    con.execute("DELETE FROM urls WHERE url = 'http://a.gov.cn/2020.html'")
    con.commit()
    con.close()
    summary = build_datasets(tmp_path, parse=fake_parse)
    assert summary.removed == 1
    assert list(govscrape.load("reports", tmp_path)["year"]) == [2021]


def test_parallel_build_in_worker_processes_matches_inline(tmp_path):
    reports = {f"http://a.gov.cn/{i}.html": make_report(f"局{i}", 2020) for i in range(20)}
    parallel, inline = tmp_path / "p", tmp_path / "i"
    crawl_like(parallel, reports)
    shutil.copytree(parallel, inline)  # same crawl times in both
    seen = []
    summary = build_datasets(
        parallel, parse=fake_parse, jobs=2, progress=lambda d, t: seen.append((d, t))
    )
    build_datasets(inline, parse=fake_parse, jobs=1)
    assert seen[-1] == (20, 20) and "parsed in 2 worker processes" in summary.format()
    assert _files(parallel) == _files(inline)


def test_manifest_records_each_report(tmp_path):
    crawl_like(tmp_path, {"http://a.gov.cn/2020.html": make_report("甲局", 2020)})
    build_datasets(tmp_path, parse=fake_parse)
    manifest = reports_dict((tmp_path / "parquet").resolve())
    assert list(manifest) == [report_id_for("http://a.gov.cn/2020.html")]


KILLER = """
import sys, time
sys.path.insert(0, {tests!r})
from govscrape.datasets import assemble
from datasets_factory import fake_parse
from govscrape.datasets import build_datasets

real = assemble.write_partition
def slow(path, dataset, chunks):
    rows = real(path, dataset, chunks)
    if dataset == "requests":
        open({marker!r}, "w").close()
        time.sleep(60)
    return rows
assemble.write_partition = slow
build_datasets({data!r}, parse=fake_parse, full=True)
"""


def test_build_killed_midway_leaves_previous_datasets_intact(tmp_path):
    crawl_like(tmp_path, {"http://a.gov.cn/2020.html": make_report("甲局", 2020)})
    build_datasets(tmp_path, parse=fake_parse)
    before = _files(tmp_path)
    store_report(tmp_path, "http://a.gov.cn/2021.html", report_to_bytes(make_report("甲局", 2021)),
                 site="site-a")  # fmt: skip
    marker = tmp_path / "writing"
    script = KILLER.format(tests=str(TESTS), marker=str(marker), data=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the build never reached the write"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert _files(tmp_path) == before
    assert list(govscrape.load("reports", tmp_path)["year"]) == [2020]
    summary = build_datasets(tmp_path, parse=fake_parse)  # the next run recovers
    assert summary.written and sorted(govscrape.load("reports", tmp_path)["year"]) == [2020, 2021]
    assert len(list((tmp_path / ".parquet-builds").iterdir())) == 1


def test_files_have_dictionary_encoded_codes_and_an_int16_year_column(tmp_path):
    write_reports(tmp_path, [make_report("甲局", 2020)])
    path = tmp_path / "parquet" / "requests" / "2020.parquet"
    arrow = pq.read_schema(path)
    assert arrow.field("year").type == pa.int16()
    assert str(arrow.field("row").type).startswith("dictionary")
    assert not arrow.field("report_id").nullable and not arrow.field("row").nullable


def test_undated_report_is_late_only_if_the_crawler_watched_the_site_before_the_deadline(
    tmp_path,
):
    undated = make_report("甲局", 2020)  # a department: due 2021-01-31; no page date
    crawl_like(tmp_path, {"http://a.gov.cn/2020.html": undated})
    build_datasets(tmp_path, parse=fake_parse)
    assert findings_of(tmp_path, "publication.late") == []  # first crawl, years later: no evidence
    record_url(tmp_path, "http://a.gov.cn/list.html", "site-a", "listing", "ok")
    import sqlite3

    with sqlite3.connect(tmp_path / "state.sqlite") as con:
        con.execute(
            "UPDATE urls SET first_seen = '2020-12-01T00:00:00+00:00' WHERE kind = 'listing'"
        )
    build_datasets(tmp_path, parse=fake_parse, full=True)
    [finding] = findings_of(tmp_path, "publication.late")
    assert (
        finding["severity"] == "info" and "watched the site since 2020-12-01" in finding["message"]
    )


def findings_of(data_dir: Path, code: str) -> list[dict]:
    found = govscrape.load("findings", data_dir)
    return found[found["code"] == code].to_dict("records")


def test_a_change_in_the_cross_report_rules_rewrites_without_reparsing(tmp_path):
    crawl_like(tmp_path, {"http://a.gov.cn/2020.html": make_report("甲局", 2020)})
    build_datasets(tmp_path, parse=fake_parse)
    manifest_path = tmp_path / "parquet" / "_manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps(manifest | {"assembly": "older rules"}))
    summary = build_datasets(tmp_path, parse=fake_parse)
    assert summary.written and (summary.parsed, summary.reused) == (0, 1)
    assert not build_datasets(tmp_path, parse=fake_parse).written  # now up to date


def test_default_jobs_are_the_cores_this_process_may_use():
    assert available_cores() == len(os.sched_getaffinity(0))
    many = workers.INLINE_BELOW
    assert workers.worker_count(None, many) == min(available_cores(), many)
    assert workers.worker_count(None, many - 1) == 1  # too few reports for a pool to pay off
    assert workers.worker_count(1, 10_000) == 1 and workers.worker_count(4, 10_000) == 4
    assert workers.worker_count(4, 3) == 3  # --jobs as given, but no idle workers


def test_datasets_modules_stay_within_the_house_size():
    package = Path(build.__file__).parent
    sizes = {p.name: len(p.read_text("utf-8").splitlines()) for p in package.glob("*.py")}
    assert max(sizes.values()) <= 400, sizes


def test_every_module_that_shapes_the_rows_is_fingerprinted():
    package = Path(build.__file__).parent
    parsed = {Path(name).name for name in fingerprint.PARSE_INPUTS if name.startswith("datasets/")}
    # These shape no row: planning puts its output in each unit's key, the manifest records what
    # was built (its form is FORMAT_VERSION's); the rest only run things.
    no_rows = {"__init__.py", "plan.py", "workers.py", "progress.py", "cluster.py", "delta.py",
               "fingerprint.py", "manifest.py", "manifest_reports.py", "remote.py"}  # fmt: skip
    modules = {p.name for p in package.glob("*.py")}
    assert modules == parsed | set(fingerprint.ASSEMBLY_INPUTS) | no_rows


def test_a_count_beyond_64_bit_integers_is_null_with_a_finding_and_the_build_goes_on(tmp_path):
    report = make_report("甲局", 2020)
    huge = 10_000_000_000_000_000_000
    report.cells[0] = Cell("requests", "new", "natural_person", huge, "number", str(huge))
    rows = report_rows(report, provenance(report))
    assert rows["requests"]["value"][0] is None
    assert "parse.unreadable_cell" in rows["findings"]["code"]
    write_reports(tmp_path, [report])  # stores as int64 without OverflowError
    assert govscrape.load("requests", tmp_path)["value"].notna().any()
