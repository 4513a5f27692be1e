"""`govscrape demo` end to end: real portal, real crawler, parser and datasets, known answers."""

from __future__ import annotations

import contextlib
import io
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from govscrape.cli.main import main
from govscrape.crawl.rawstore import RawStore
from govscrape.demo import data as D
from govscrape.demo.run import DemoRun, elide, open_portal, run_demo
from govscrape.demo.site_listings import JPAGE_OPTIONS
from govscrape.demo.site_model import JPAGE_PROXY
from govscrape.demo.site_paths import attachment_name, attachment_path, report_path
from govscrape.demo.sites import build_sites
from govscrape.errors import GovscrapeError
from govscrape.questions.load import load

pytestmark = pytest.mark.slow

# Text that lost cell positions: cells the tables' arithmetic does not decide stay unread.
LONG_TAIL = ("html_text_vanished", "html_text_glued")
# How each source form of data.py reaches the datasets' source_form column.
SOURCE_FORMS = {
    "html_table": "html_table",
    "html_text_cells": "html_text",
    "html_text_pipe": "html_text",
    "html_text_vanished": "html_text",
    "html_text_glued": "html_text",
    "pdf": "pdf",
    "docx": "docx",
    "doc": "html_text",  # the .doc is not read: the report is its stub page
    "prose": "html_text",  # a report on 2017: paragraphs, no table
}


@dataclass
class Demo:
    data: Path
    first: DemoRun
    first_output: list[str]
    second: DemoRun
    cli_output: str


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo run three times into one folder: twice as a library, then by the CLI."""
    data = tmp_path_factory.mktemp("demo")
    lines: list[str] = []
    first = run_demo(data, echo=lines.append)
    second = run_demo(data, echo=lambda line: None)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["demo", "--data", str(data)]) == 0
    yield Demo(data, first, lines, second, out.getvalue())


@pytest.fixture(scope="module")
def reports(demo: Demo) -> pd.DataFrame:
    return load("reports", demo.data)


def _report_ids(reports: pd.DataFrame) -> dict[tuple[str, int], str]:
    return {(r.agency, int(r.year)): r.report_id for r in reports.itertuples()}


def test_every_reachable_report_is_in_the_datasets_once(reports):
    found = sorted(
        (str(a), int(y)) for a, y in zip(reports["agency"], reports["year"], strict=True)
    )
    expected = sorted((r.agency.name, r.year) for r in D.reachable(D.every_report()))
    assert found == expected


def test_robots_and_the_challenge_kept_the_crawler_out(demo):
    with sqlite3.connect(demo.data / "state.sqlite") as db:
        status = dict(db.execute("SELECT url, status FROM urls").fetchall())
    assert [s for u, s in status.items() if "/lsbb/" in u] == ["robots"]
    blocked = {u for u, s in status.items() if s == "blocked"}
    assert any("col1229001251" in u for u in blocked)


def test_pdf_and_word_attachments_are_stored_under_their_report_pages(demo, reports):
    with sqlite3.connect(demo.data / "state.sqlite") as db:
        rows = db.execute(
            "SELECT url, parent_url, status FROM urls WHERE kind = 'attachment'"
        ).fetchall()
    by_page = {parent: (url, status) for url, parent, status in rows}
    pages = dict(zip(reports["url"], reports["source_url"], strict=True))
    for report in D.reachable_reports():
        if report.form not in ("pdf", "docx", "doc"):
            continue
        page = next(u for u in pages if u.endswith(report_path(report)))
        url, status = by_page[page]
        assert status == "ok" and url.endswith(attachment_name(report))
        # the datasets read the report from the file, unless no reader opens it
        assert pages[page] == (url if report.readable else page)


def test_word97_report_is_kept_raw_and_flagged_naming_its_file(demo, reports):
    (report,) = [r for r in D.reachable_reports() if r.form == "doc"]
    row = reports[(reports.agency == report.agency.name) & (reports.year == report.year)]
    assert list(row["parse_status"]) == ["unreadable"] and list(row["cells"]) == [0]
    findings = load("findings", demo.data)
    (found,) = findings[findings.report_id == row["report_id"].iloc[0]].itertuples()
    assert found.code == "parse.unsupported_format" and found.severity == "error"
    assert found.raw.endswith(attachment_path(report)) and found.raw in found.message
    with sqlite3.connect(demo.data / "state.sqlite") as db:
        (sha256,) = db.execute("SELECT sha256 FROM urls WHERE url = ?", (found.raw,)).fetchone()
    assert RawStore(demo.data / "raw").get(sha256).startswith(bytes.fromhex("d0cf11e0a1b11ae1"))


def test_jpage_column_records_beyond_the_first_group_come_from_the_proxy(demo, reports):
    site_id = next(iter(JPAGE_OPTIONS))
    agency = D.AGENCY_BY_SITE[site_id]
    per_page, group = JPAGE_OPTIONS[site_id]
    column = build_sites()[agency.host].jpage[agency.column.split("/")[2].removeprefix("col")]
    later = " ".join(column.records[per_page * group :])
    beyond = [r for r in D.REPORTS if r.agency is agency and report_path(r) in later]
    assert len(beyond) >= 2  # not embedded in the column page: reachable only through the proxy
    urls = set(reports["url"])
    assert all(any(u.endswith(report_path(r)) for u in urls) for r in beyond)
    proxied = [h for h in demo.first.hits if h.path.startswith(JPAGE_PROXY)]
    assert [h.status for h in proxied] == [200, 200]  # two groups after the embedded one


def _unread_with_a_finding(demo: Demo, table: str) -> set[tuple[str, str, str]]:
    """(report, row, column) of the cells of `table` left unread where a finding names the row
    (a long-tail report's cells the arithmetic does not decide)."""
    cells = load(table, demo.data)
    named = {(f.report_id, f.row) for f in load("findings", demo.data).itertuples()}
    row, column = ("row", "applicant") if table == "requests" else ("proceeding", "outcome")
    if table == "active_disclosure":
        row, column = "item", "metric"
    return {
        (c.report_id, getattr(c, row), getattr(c, column))
        for c in cells.itertuples()
        if c.kind == "unread" and (c.report_id, getattr(c, row)) in named
    }


def test_table_three_values_are_the_source_numbers_blank_kept_null(demo, reports):
    ids = _report_ids(reports)
    cells = load("requests", demo.data)
    got = {
        (r.report_id, r.row, r.applicant): (None if pd.isna(r.value) else int(r.value))
        for r in cells.itertuples()
    }
    unread = _unread_with_a_finding(demo, "requests")
    mismatches = []
    for report in filter(lambda r: r.readable, D.reachable_reports()):
        rid = ids[(report.agency.name, report.year)]
        for row, columns in report.requests.items():
            for applicant, value in columns.items():
                if report.form in LONG_TAIL and (rid, row, applicant) in unread:
                    continue  # not read, and said so; never a wrong number
                if got.get((rid, row, applicant), "missing") != value:
                    mismatches.append((report.agency.site_id, report.year, row, applicant, value,
                                       got.get((rid, row, applicant), "missing")))  # fmt: skip
    assert mismatches == []


def test_blank_cells_are_null_with_kind_blank(demo, reports):
    rid = _report_ids(reports)[("云泽市教育局", 2019)]
    cells = load("requests", demo.data)
    cell = cells[(cells.report_id == rid) & (cells.row == "new") & (cells.applicant == "research")]
    assert cell["value"].isna().all() and list(cell["kind"]) == ["blank"]


def test_tables_two_and_four_are_the_source_numbers(demo, reports):
    ids = _report_ids(reports)
    active = load("active_disclosure", demo.data)
    review = load("review_litigation", demo.data)
    got_a = {(r.report_id, r.item, r.metric): r.value for r in active.itertuples()}
    got_r = {(r.report_id, r.proceeding, r.outcome): r.value for r in review.itertuples()}
    unread = _unread_with_a_finding(demo, "active_disclosure")
    for report in filter(lambda r: r.readable, D.reachable_reports()):
        rid = ids[(report.agency.name, report.year)]
        for (item, metric), printed in report.active.items():
            if report.form in LONG_TAIL and (rid, item, metric) in unread:
                continue  # a glued or gapped row of table 二, which has no arithmetic
            expected = D.printed_value(printed)
            value = got_a.get((rid, item, metric), "missing")
            assert (None if pd.isna(value) else value) == expected, (rid, item, metric)
        for key, expected in report.review.items():
            assert got_r.get((rid, *key)) == expected, (report.agency.site_id, report.year, key)


def test_long_tail_text_is_rebuilt_from_the_arithmetic_and_never_guessed(demo, reports):
    ids = _report_ids(reports)
    cells = load("requests", demo.data)
    unread = _unread_with_a_finding(demo, "requests")
    for report in D.reachable_reports():
        if report.form not in LONG_TAIL:
            continue
        rid = ids[(report.agency.name, report.year)]
        mine = cells[cells.report_id == rid]
        assert {k for k in unread if k[0] == rid} == {
            (rid, c.row, c.applicant) for c in mine.itertuples() if c.kind == "unread"
        }  # every cell not read has a finding naming its row
        share = (mine.kind != "unread").mean()
        # glued digits: every cell of table 三 decided; vanished blanks: most of them
        assert share == 1.0 if report.form == "html_text_glued" else share > 0.85, share
        balance = mine[mine.row.isin(["new", "total_handled"])]
        assert (balance.kind == "number").all()  # printed in full: zero-requests can answer


def test_damaged_labels_of_a_pdf_are_read_with_fuzzy_findings_naming_their_rows(demo, reports):
    (report,) = [r for r in D.reachable_reports() if r.labels]
    assert report.form == "pdf"
    rid = _report_ids(reports)[(report.agency.name, report.year)]
    cells = load("requests", demo.data)
    got = {
        (c.row, c.applicant): (None if pd.isna(c.value) else int(c.value))
        for c in cells[cells.report_id == rid].itertuples()
    }
    assert got == {(row, a): v for row, cols in report.requests.items() for a, v in cols.items()}
    findings = load("findings", demo.data)
    mine = findings[findings.report_id == rid]
    assert sorted(mine.row[mine.code == "parse.fuzzy_label"]) == sorted(D.FUZZY_ROWS)
    assert set(mine.code) == {"parse.fuzzy_label"}  # no unmatched label, no missing row


def test_template_source_form_and_publication_date(reports):
    by_key = {(r.agency, int(r.year)): r for r in reports.itertuples()}
    for report in D.reachable(D.every_report()):
        row = by_key[(report.agency.name, report.year)]
        if report.readable:  # a stub page alone shows no template
            assert row.template == report.template
        assert row.source_form == SOURCE_FORMS[report.form], (report.agency.site_id, report.year)
        published = pd.Timestamp(row.published).tz_convert("Asia/Shanghai").tz_localize(None)
        assert published.to_pydatetime().date() == report.published.date()
        if report.fee_yuan:
            assert row.processing_fee_yuan == report.fee_yuan


def test_findings_flag_the_broken_reports_and_only_them(demo, reports):
    ids = {v: k for k, v in _report_ids(reports).items()}
    findings = load("findings", demo.data)
    codes: dict[tuple[str, int], set[str]] = {}
    for f in findings.itertuples():
        if f.severity != "info":
            codes.setdefault(ids[f.report_id], set()).add(str(f.code))
    for report in D.reachable(D.every_report()):
        key = (report.agency.name, report.year)
        assert codes.get(key, set()) == set(report.findings), key


def test_zero_requests_answer_separates_clean_flagged_and_missing(demo):
    zero = demo.first.zero
    by_status = {
        status: sorted((str(r.agency), int(r.year)) for r in rows.itertuples())
        for status, rows in zero.groupby("status")
    }
    assert by_status.pop("clean_zero") == D.expected_clean_zero()
    flagged = zero[zero.status == "zero_but_columns_sum"]
    assert [(r.agency, r.year, r.columns_sum) for r in flagged.itertuples()] == (
        D.expected_flagged_zero()
    )
    by_status.pop("zero_but_columns_sum")
    assert by_status.pop("no_report") == D.expected_no_report()
    assert by_status.pop("unreadable") == D.expected_unreadable()
    stated = zero[zero.status == "stated_zero"]
    assert [(r.agency, r.year, r.detail) for r in stated.itertuples()] == [
        (agency, year, f"stated in the text: “{sentence}”")
        for agency, year, sentence in D.expected_stated_zero()
    ]
    by_status.pop("stated_zero")
    assert by_status == {}


def test_the_2017_reports_in_prose_give_their_headline_figures(demo, reports):
    ids = _report_ids(reports)
    headlines = load("headlines", demo.data)
    received = headlines[headlines.measure == "requests_received"].set_index("report_id")
    for (site, year), said in D.LEGACY_EXPECTED.items():
        row = received.loc[ids[(D.AGENCY_BY_SITE[site].name, year)]]
        assert (row["status"], row["evidence"]) == (said.status, said.sentence or pd.NA)
        assert (None if pd.isna(row["value"]) else row["value"]) == said.value
    assert load("requests", demo.data, years=2017).empty  # prose never enters table 三


def test_zero_requests_for_2017_lists_the_stated_zero_not_the_report_stating_nothing(demo, capsys):
    capsys.readouterr()
    assert main(["zero-requests", "--data", str(demo.data), "--year", "2017"]) == 0
    out, err = capsys.readouterr()
    ((agency, _year, sentence),) = D.expected_stated_zero()
    line = next(line for line in out.splitlines() if agency in line)
    assert "stated_zero" in line and sentence in line
    silent = [D.AGENCY_BY_SITE[s].name for (s, _), said in D.LEGACY_EXPECTED.items()
              if said.status != "stated_zero"]  # fmt: skip
    assert silent and not any(name in out for name in silent)
    assert "1 report(s) before 2019 state no count of requests received" in out + err


def test_a_shared_column_gives_one_row_per_agency_in_zero_requests(demo, reports):
    shared = reports[reports.site == "qingshi-bmnb"]
    assert set(shared.site_agency) == {"青石县人民政府"}  # the column's owner, from sites.toml
    members = {a.name for a in D.REPORTING if a.column_of == "qingshi-bmnb"}
    assert set(shared.agency) == members and "青石县人民政府" not in set(shared.agency)
    sources = shared.groupby("agency", observed=True)["agency_source"].agg(set)
    assert sources["青石县交通运输局"] == {"field"}  # its titles name no agency
    fgj = shared[shared.agency == "青石县发展和改革局"].set_index("year")
    assert fgj.loc[2019, "agency_raw"] == "青石县发改局"  # "青石县发改局2019政府…": no 年
    zero = demo.first.zero
    column = zero[zero.site == "qingshi-bmnb"]
    assert not column.duplicated(["year", "agency"]).any()
    year = column[column.year == 2022]
    in_2022 = dict(zip(year.agency, year.status, strict=True))
    assert in_2022 == {"青石县发展和改革局": "no_report", "青石县石门乡人民政府": "clean_zero"}


def test_second_run_fetches_nothing_unchanged(demo):
    crawl = demo.second.crawl
    for kind in ("listing", "report", "attachment"):
        assert crawl.total(kind, "new") == crawl.total(kind, "changed") == 0
    served = {(h.path, h.status) for h in demo.second.hits}
    assert {path for path, status in served if status == 200} <= {"/robots.txt"}
    assert any(status == 304 for _path, status in served)
    assert demo.second.zero.equals(demo.first.zero)


def test_cli_prints_the_answer_again_without_new_documents(demo):
    out = demo.cli_output
    assert "new report document" not in out
    assert "which agencies reported zero requests?" in out
    assert "zero_but_columns_sum" in out and "云泽市地方志编纂室" in out


def test_first_run_printed_the_crawl_the_build_and_the_answer(demo):
    text = "\n".join(demo.first_output)
    for heading in ("== 1. crawl", "== 2. datasets", "== 3. which agencies reported zero"):
        assert heading in text
    assert "disallowed by robots.txt" in text and "jsl challenge" in text
    (doc,) = [r for r in D.reachable_reports() if r.form == "doc"]
    flagged = [line for line in text.splitlines() if "parse.unsupported_format" in line]
    assert len(flagged) == 1 and attachment_name(doc) in flagged[0]
    statuses = {h.status for h in demo.first.hits}
    assert {200, 500, 521} <= statuses


def test_long_finding_messages_are_elided_in_the_middle():
    message = "attachment: unreadable " + "x" * 200 + " (http://a.gov.cn/f/2201.doc)"
    short = elide(message, 60)
    assert len(short) <= 60 and short.startswith("attachment:") and short.endswith("2201.doc)")
    assert elide("short", 60) == "short"


def test_the_portal_comes_back_on_the_ports_the_data_folder_used(tmp_path):
    with open_portal(tmp_path) as portal:
        ports = portal.ports
    with open_portal(tmp_path) as again:
        assert again.ports == ports
    other = max(ports.values()) + 10
    with pytest.raises(GovscrapeError, match="other ports would crawl every report again"):
        open_portal(tmp_path, port=other)
