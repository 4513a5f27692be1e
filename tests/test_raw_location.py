"""A crawl state knows where its raw store is: raw/ beside it, or the store it was bound to."""

from __future__ import annotations

import sqlite3

import pytest
from datasets_factory import store_report

from govscrape.crawl.raw_location import bind_raw_store, raw_store_of
from govscrape.errors import ConfigError


def test_without_a_record_the_raw_store_is_beside_the_state(tmp_path):
    assert raw_store_of(tmp_path) == str(tmp_path / "raw")  # no state at all
    store_report(tmp_path, "http://a.gov.cn/1.html", b"report")  # a state of an older crawl
    assert raw_store_of(tmp_path) == str(tmp_path / "raw")


def test_a_new_state_records_the_store_it_is_bound_to(tmp_path):
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        bind_raw_store(db, tmp_path, "s3://bucket/x/raw/")
        bind_raw_store(db, tmp_path, "s3://bucket/x/raw")  # the same store: fine
    assert raw_store_of(tmp_path) == "s3://bucket/x/raw"


def test_a_state_holding_documents_refuses_a_second_store(tmp_path):
    store_report(tmp_path, "http://a.gov.cn/1.html", b"report")  # bytes in tmp_path/raw
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        bind_raw_store(db, tmp_path, str(tmp_path / "raw"))  # where they are: fine
        with pytest.raises(ConfigError, match=f"keeps its documents in {tmp_path / 'raw'}"):
            bind_raw_store(db, tmp_path, "s3://bucket/x/raw")
    assert raw_store_of(tmp_path) == str(tmp_path / "raw")
