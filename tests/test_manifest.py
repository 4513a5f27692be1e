"""The build manifest: a night with nothing new is decided from its header alone, and anything a
dataset could show — a stored, changed or removed document, the parser, a site's record — still
makes the build look again."""

from __future__ import annotations

import sqlite3

import pytest
from datasets_factory import add_site, fake_parse, make_report, report_to_bytes, store_report
from test_datasets import crawl_like

import govscrape
from govscrape.datasets import build as build_module
from govscrape.datasets import build_datasets, fingerprint, manifest, plan
from govscrape.datasets.manifest import up_to_date
from govscrape.datasets.manifest_reports import reports_dict

URLS = [f"http://a.gov.cn/{y}.html" for y in (2020, 2021)]


@pytest.fixture
def built(tmp_path):
    crawl_like(tmp_path, {url: make_report("甲局", 2020 + i) for i, url in enumerate(URLS)})
    assert build_datasets(tmp_path, parse=fake_parse).written
    return tmp_path


@pytest.fixture
def no_planning(monkeypatch):
    """Planning (reading every document of the crawl state) fails the test if it happens."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the build planned: the header should have said nothing changed")

    monkeypatch.setattr(build_module, "plan_sources", refuse)


def test_a_night_with_nothing_new_is_decided_without_planning(built, no_planning):
    summary = build_datasets(built, parse=fake_parse)
    assert not summary.written and summary.reports == summary.reused == 2
    assert up_to_date(built, [built]) is not None


def test_a_stored_document_makes_the_build_look_again(built):
    store_report(built, "http://a.gov.cn/2022.html", report_to_bytes(make_report("甲局", 2022)),
                 site="site-a")  # fmt: skip
    assert up_to_date(built, [built]) is None
    summary = build_datasets(built, parse=fake_parse)
    assert summary.written and (summary.parsed, summary.reused) == (1, 2)


def test_changed_bytes_make_the_build_parse_that_report(built):
    changed = make_report("甲局", 2021, requests={"new": {"natural_person": 7, "total": 7}})
    store_report(built, URLS[1], report_to_bytes(changed), site="site-a")
    summary = build_datasets(built, parse=fake_parse)
    assert summary.written and summary.parsed == 1
    new = govscrape.load("requests", built, years=2021)
    assert new[(new.row == "new") & (new.applicant == "total")]["value"].tolist() == [7]


def test_a_removed_document_makes_the_build_drop_it(built):
    with sqlite3.connect(built / "state.sqlite") as con:
        con.execute("DELETE FROM urls WHERE url = ?", (URLS[0],))
    summary = build_datasets(built, parse=fake_parse)
    assert summary.written and summary.removed == 1
    assert govscrape.load("reports", built)["year"].tolist() == [2021]


def test_a_changed_parser_makes_the_build_parse_everything(built, monkeypatch):
    for module in (fingerprint, manifest, plan, build_module):
        monkeypatch.setattr(module, "code_fingerprint", lambda: "another parser")
    summary = build_datasets(built, parse=fake_parse)
    assert summary.written and summary.parsed == 2


def test_a_changed_site_record_makes_the_build_parse_its_reports(built):
    add_site(built, "site-a", agency="甲局", agency_kind="government", province="湖南省")
    summary = build_datasets(built, parse=fake_parse)
    assert summary.written and summary.parsed == 2


def test_a_new_site_without_reports_reaches_the_agencies_dataset(built):
    add_site(built, "site-z", agency="戊局", agency_kind="department")
    summary = build_datasets(built, parse=fake_parse)
    assert summary.written and summary.parsed == 0
    assert "戊局" in set(govscrape.load("agencies", built)["agency"])


def test_a_write_that_changes_no_report_is_planned_once_then_quick_again(built, monkeypatch):
    with sqlite3.connect(built / "state.sqlite") as con:  # a change, then undone: count + 2
        con.execute("UPDATE urls SET title = 'x' WHERE url = ?", (URLS[0],))
        con.execute("UPDATE urls SET title = NULL WHERE url = ?", (URLS[0],))
    assert up_to_date(built, [built]) is None
    assert not build_datasets(built, parse=fake_parse).written  # planned: nothing to parse
    assert up_to_date(built, [built]) is not None  # the header has the new counter


def test_the_report_list_is_sorted_and_names_each_reports_year(built):
    entries = reports_dict((built / "parquet").resolve())
    assert list(entries) == sorted(entries) and sorted(y for _k, y in entries.values()) == [
        2020,
        2021,
    ]


def test_another_crawl_folder_is_not_up_to_date(built, tmp_path_factory):
    other = tmp_path_factory.mktemp("other")
    crawl_like(other, {URLS[0]: make_report("甲局", 2020)})
    assert up_to_date(built, [other]) is None
