"""Headline figures per report: from the national table where there is one, else from the prose."""

from __future__ import annotations

from datasets_factory import make_report

from govscrape.document import Document
from govscrape.model import Headline
from govscrape.parse.headlines import headline_figures
from govscrape.parse.prose_wording import MEASURE_CODES


def figures(report, *lines: str) -> tuple[dict[str, Headline], list]:
    found, findings = headline_figures(report, Document("html_text", blocks=list(lines)))
    assert [h.measure for h in found] == list(MEASURE_CODES)
    return {h.measure: h for h in found}, findings


def test_a_table_report_takes_its_figures_from_the_table():
    report = make_report("甲局", 2020, requests={"new": {"natural_person": 3, "total": 3}})
    found, findings = figures(report, "全年共收到政府信息公开申请3件。")
    received = found["requests_received"]
    assert (received.status, received.value, received.unit) == ("table", 3, "件")
    assert received.evidence == "table 三 (requests), column total: new '3'"
    assert findings == []


def test_measures_no_table_holds_come_from_the_prose_of_a_table_report():
    report = make_report("甲局", 2020)
    found, _ = figures(report, "全年主动公开政府信息120条。")
    assert (found["active_disclosure"].status, found["active_disclosure"].value) == (
        "stated_count",
        120,
    )


def test_prose_contradicting_the_table_is_a_finding_and_the_table_value_stays():
    report = make_report("甲局", 2020, requests={"new": {"natural_person": 3, "total": 3}})
    found, findings = figures(report, "全年共收到政府信息公开申请5件。")
    assert found["requests_received"].value == 3
    (mismatch,) = findings
    assert mismatch.code == "headline.prose_table_mismatch"
    assert (mismatch.expected, mismatch.found) == (3, 5)
    assert mismatch.raw == "全年共收到政府信息公开申请5件。"


def test_a_blank_table_cell_is_null_never_zero():
    report = make_report("甲局", 2020, requests={"new": {"total": None}})
    found, _ = figures(report)
    assert (found["requests_received"].value, found["requests_received"].note) == (
        None,
        "new: blank, no number",
    )


def test_a_sum_counts_blank_rows_as_zero_and_says_so():
    report = make_report(
        "甲局",
        2020,
        requests={"denied.state_secret": {"total": 2}, "denied.process_info": {"total": None}},
    )
    found, _ = figures(report)
    refused = found["requests_refused"]
    assert refused.value == 2
    assert refused.note == "sum of the rows; blank counted as 0: denied.process_info"


def test_a_sum_with_an_unreadable_row_is_not_computed():
    report = make_report("甲局", 2020, review={"litigation_direct": {"total": "二"}})
    found, _ = figures(report)
    lawsuits = found["lawsuits"]
    assert lawsuits.value is None
    assert lawsuits.note == "sum not computed: litigation_direct could not be read"


def test_a_table_not_read_at_all_says_so():
    report = make_report("甲局", 2020)
    report.cells = [c for c in report.cells if c.table != "review_litigation"]
    found, _ = figures(report)
    assert found["reviews"].status == "table"
    assert found["reviews"].value is None
    assert found["reviews"].note == "not read from table 四 (review_litigation): see the findings"


def test_a_report_without_a_table_reads_every_measure_from_its_prose():
    report = make_report("乙局", 2016, tables=False)
    found, findings = figures(report, "2016年，我局未收到政府信息公开申请。")
    assert found["requests_received"].status == "stated_zero"
    assert {h.status for m, h in found.items() if m != "requests_received"} == {"not_stated"}
    assert findings == []
