"""The crawl state's change counter: it moves on every write a build could see, and only then."""

from __future__ import annotations

import sqlite3

from govscrape.crawl import state_changes
from govscrape.crawl.state import CrawlState

PAGE = "http://a.gov.cn/nb/2023.html"
PDF = "http://a.gov.cn/nb/2023.pdf"


def _state(tmp_path) -> CrawlState:
    state = CrawlState(tmp_path / "state.sqlite")
    state.upsert_site("a", {"agency": "甲局", "agency_kind": "department"})
    state.discover("http://a.gov.cn/nb/", "a", "listing")
    state.record_fetch("http://a.gov.cn/nb/", status="ok", http_status=200, sha256="1" * 64)
    state.discover(PAGE, "a", "report", title="甲局2023年报")
    state.record_fetch(PAGE, status="ok", http_status=200, sha256="a" * 64)
    return state


def _moves(state: CrawlState, write) -> bool:
    before = state.changes()
    write(state)
    after = state.changes()
    assert after[0] == before[0]  # the same state
    return after[1] != before[1]


def test_every_change_a_build_reads_moves_the_counter(tmp_path):
    state = _state(tmp_path)
    stored = [
        lambda s: s.record_fetch(PAGE, status="ok", http_status=200, sha256="b" * 64),  # new bytes
        lambda s: s.discover(PDF, "a", "attachment", parent_url=PAGE),  # an attachment found
        lambda s: s.record_fetch(PDF, status="failed", http_status=404, error="HTTP 404"),
        lambda s: s.record_fetch(PDF, status="ok", http_status=200, sha256="c" * 64),
        lambda s: s.discover(PAGE, "a", "report", title="甲局2023年度报告"),  # a new link text
        lambda s: s.mark_same_as(PDF, PAGE),
        lambda s: s.upsert_site("a", {"agency": "乙局", "agency_kind": "department"}),
        lambda s: s.upsert_site("b", {"agency": "丙局"}),  # a new site (the agencies dataset)
        lambda s: s.db.execute("DELETE FROM urls WHERE url = ?", (PAGE,)),
    ]
    assert all(_moves(state, write) for write in stored)
    state.close()


def test_writes_no_dataset_can_see_leave_the_counter(tmp_path):
    state = _state(tmp_path)
    unseen = [
        lambda s: s.record_fetch(PAGE, status="ok", http_status=304),  # revalidated, unchanged
        lambda s: s.record_fetch(PAGE, status="failed", http_status=503, error="HTTP 503"),
        lambda s: s.record_fetch("http://a.gov.cn/nb/", status="ok", sha256="2" * 64),  # listing
        lambda s: s.discover("http://a.gov.cn/nb/index_1.html", "a", "listing"),
        lambda s: s.upsert_site("a", {"agency": "甲局", "agency_kind": "department"}),  # same
        lambda s: s.discover(PAGE, "a", "report", title="甲局2023年报"),  # the same link text
    ]
    assert not any(_moves(state, write) for write in unseen)
    state.close()


def test_a_raw_sql_write_counts_too_and_states_are_told_apart(tmp_path):
    _state(tmp_path / "one").close()
    _state(tmp_path / "two").close()
    one = state_changes.read_file(tmp_path / "one" / "state.sqlite")
    two = state_changes.read_file(tmp_path / "two" / "state.sqlite")
    assert one is not None and two is not None and one[0] != two[0]
    with sqlite3.connect(tmp_path / "one" / "state.sqlite") as con:  # the triggers are in the file
        con.execute("UPDATE urls SET first_fetched = '2020-01-01' WHERE url = ?", (PAGE,))
    assert state_changes.read_file(tmp_path / "one" / "state.sqlite") == (one[0], one[1] + 1)


def test_a_state_without_a_counter_reads_as_unknown(tmp_path):
    assert state_changes.read_file(tmp_path / "none.sqlite") is None
    with sqlite3.connect(tmp_path / "old.sqlite") as con:
        con.execute("CREATE TABLE urls (url TEXT PRIMARY KEY)")
    assert state_changes.read_file(tmp_path / "old.sqlite") is None
