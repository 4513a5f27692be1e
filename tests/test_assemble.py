"""Assembling a build from files: only the partitions of changed years are rewritten."""

from __future__ import annotations

import os
from pathlib import Path

from datasets_factory import fake_parse, make_report, report_to_bytes, store_report
from test_datasets import crawl_like

import govscrape
from govscrape.datasets import build_datasets
from govscrape.datasets.manifest_reports import reports_dict


def _inodes(data_dir: Path) -> dict[str, int]:
    root = (data_dir / "parquet").resolve()
    return {str(p.relative_to(root)): p.stat().st_ino for p in root.glob("*/*.parquet")}


def _three_years(tmp_path: Path) -> None:
    reports = {f"http://a.gov.cn/{y}.html": make_report(f"{y}局", y) for y in (2019, 2020, 2021)}
    crawl_like(tmp_path, reports)
    build_datasets(tmp_path, parse=fake_parse)


def test_one_changed_report_rewrites_only_its_years_partitions(tmp_path):
    _three_years(tmp_path)
    before = _inodes(tmp_path)
    changed = make_report("2020局", 2020, requests={"new": {"natural_person": 4, "total": 4}})
    store_report(tmp_path, "http://a.gov.cn/2020.html", report_to_bytes(changed), site="site-a")
    summary = build_datasets(tmp_path, parse=fake_parse)
    after = _inodes(tmp_path)
    assert summary.written and summary.parsed == 1
    rewritten = {name for name in after if after[name] != before.get(name)}
    assert rewritten and all(name.endswith("/2020.parquet") for name in rewritten)
    assert (
        "requests/2020.parquet" in rewritten
        and after["requests/2019.parquet"] == before["requests/2019.parquet"]
    )  # kept by a hard link, not copied
    new = govscrape.load("requests", tmp_path, years=2020)
    assert new[(new.row == "new") & (new.applicant == "total")]["value"].tolist() == [4]


def test_a_report_moving_to_another_year_leaves_its_old_partition(tmp_path):
    _three_years(tmp_path)
    moved = make_report("2020局", 2018)  # re-published: now read as the 2018 report
    store_report(tmp_path, "http://a.gov.cn/2020.html", report_to_bytes(moved), site="site-a")
    build_datasets(tmp_path, parse=fake_parse)
    files = sorted(p.name for p in (tmp_path / "parquet" / "reports").iterdir())
    assert files == ["2018.parquet", "2019.parquet", "2021.parquet"]
    assert sorted(govscrape.load("reports", tmp_path)["year"]) == [2018, 2019, 2021]
    manifest = reports_dict((tmp_path / "parquet").resolve())
    assert sorted(y for _key, y in manifest.values()) == [2018, 2019, 2021]


def test_a_cross_report_finding_in_a_later_year_rewrites_that_year_too(tmp_path):
    reports = {
        "http://a.gov.cn/2020.html": make_report("甲局", 2020),
        "http://a.gov.cn/2021.html": make_report("甲局", 2021),
    }
    crawl_like(tmp_path, reports)
    build_datasets(tmp_path, parse=fake_parse)
    before = _inodes(tmp_path)
    forward = make_report("甲局", 2020, requests={"carried_forward": {"total": 9}})
    store_report(tmp_path, "http://a.gov.cn/2020.html", report_to_bytes(forward), site="site-a")
    build_datasets(tmp_path, parse=fake_parse)
    after = _inodes(tmp_path)
    assert after["findings/2021.parquet"] != before.get("findings/2021.parquet")  # continuity
    found = govscrape.load("findings", tmp_path)
    assert found[found.code == "year.continuity"]["year"].tolist() == [2021]


def test_removed_report_disappears_and_its_empty_year_goes(tmp_path):
    _three_years(tmp_path)
    import sqlite3

    with sqlite3.connect(tmp_path / "state.sqlite") as con:
        con.execute("DELETE FROM urls WHERE url = 'http://a.gov.cn/2019.html'")
    summary = build_datasets(tmp_path, parse=fake_parse)
    assert summary.removed == 1 and summary.parsed == 0
    assert sorted(govscrape.load("reports", tmp_path)["year"]) == [2020, 2021]
    assert not (tmp_path / "parquet" / "requests" / "2019.parquet").exists()


def test_a_manifest_naming_a_missing_file_forces_a_full_rebuild(tmp_path):
    _three_years(tmp_path)
    os.unlink(tmp_path / "parquet" / "requests" / "2019.parquet")
    summary = build_datasets(tmp_path, parse=fake_parse)
    assert summary.written and summary.parsed == 3
    assert (tmp_path / "parquet" / "requests" / "2019.parquet").exists()


def test_agencies_grouped_a_few_sites_at_a_time_are_the_same_file(tmp_path, monkeypatch):
    from datasets_factory import build_known_dataset

    from govscrape.datasets import assemble

    whole = build_known_dataset(tmp_path / "whole") / "parquet" / "agencies" / "all.parquet"
    monkeypatch.setattr(assemble, "AGENCY_SLICE", 1)  # every site a range of its own
    sliced = build_known_dataset(tmp_path / "sliced") / "parquet" / "agencies" / "all.parquet"
    assert len(govscrape.load("agencies", tmp_path / "whole")["site"].unique()) > 2
    assert whole.read_bytes() == sliced.read_bytes()


def test_an_unchanged_agencies_file_is_kept_by_a_hard_link(tmp_path):
    _three_years(tmp_path)
    before = _inodes(tmp_path)
    changed = make_report("2020局", 2020, requests={"new": {"natural_person": 4, "total": 4}})
    store_report(tmp_path, "http://a.gov.cn/2020.html", report_to_bytes(changed), site="site-a")
    build_datasets(tmp_path, parse=fake_parse)
    assert _inodes(tmp_path)["agencies/all.parquet"] == before["agencies/all.parquet"]
