"""The demo's source data and its rendering: consistent where meant, broken where meant."""

from __future__ import annotations

from collections import Counter

import pytest
from selectolax.lexbor import LexborHTMLParser

from govscrape import template as T
from govscrape.demo import data as D
from govscrape.demo.render import body_html, cell_lines, outline, pipe_lines, table_html

RULE_CODES = {rule.code for rule in T.RULES}


def rule_failures(report: D.DemoReport) -> set[str]:
    """The template's arithmetic rules over table 三 as printed, blank counted as 0."""
    cells = report.requests
    failed = set()
    for rule in T.RULES:
        if rule.table != "requests":
            continue
        if rule.per == "column":
            lines = [(col, lambda r, c=col: cells[r][c]) for col in D.APPLICANT_CODES]
            members = [r for r in rule.rhs if r in cells]
        else:
            lines = [(row, lambda c, r=row: cells[r].get(c)) for row in cells]
            members = list(rule.rhs)
        for _line, get in lines:
            if not all(x in cells or x in D.APPLICANT_CODES for x in rule.lhs):
                continue
            lhs = sum(get(x) or 0 for x in rule.lhs)
            rhs = sum(get(x) or 0 for x in members)
            if lhs != rhs:
                failed.add(rule.code)
    return failed


def test_there_are_twenty_plus_reports_over_2019_to_2024_in_both_templates():
    assert len(D.reachable_reports()) >= 20
    assert {r.year for r in D.REPORTS} == set(range(2019, 2025))
    assert Counter(r.template for r in D.REPORTS).keys() == {T.V2019, T.V2021}
    assert {r.form for r in D.REPORTS} == {
        "html_table", "html_text_cells", "html_text_pipe", "html_text_vanished",
        "html_text_glued", "pdf", "docx", "doc"
    }  # fmt: skip
    assert len({r.agency.host for r in D.REPORTS}) == 4


def test_every_report_has_the_rows_and_columns_of_its_template():
    for r in D.REPORTS:
        assert list(r.requests) == list(D.request_rows(r.template))
        assert all(list(cells) == list(D.APPLICANT_CODES) for cells in r.requests.values())
        assert len(r.review) == 15


def test_only_the_deliberately_broken_reports_break_a_rule():
    for r in D.REPORTS:
        assert rule_failures(r) == r.findings & RULE_CODES, (r.agency.site_id, r.year)
    broken = {(r.agency.site_id, r.year) for r in D.REPORTS if rule_failures(r)}
    assert broken == {("yunze-gxq", 2020), ("yunze-scjgj", 2022)}


def test_review_totals_add_up():
    for r in D.REPORTS:
        for proc in T.PROCEEDINGS:
            parts = sum(r.review[(proc.code, o.code)] for o in T.OUTCOMES[:4])
            assert r.review[(proc.code, "total")] == parts


def test_carried_forward_is_next_years_carried_over():
    by_key = {(r.agency.site_id, r.year): r for r in D.REPORTS}
    for (site, year), r in by_key.items():
        following = by_key.get((site, year + 1))
        if following is not None:
            carried = {c: v or 0 for c, v in r.requests["carried_forward"].items()}
            assert following.requests["carried_over"] == carried  # blank read as 0


def test_expected_answers_name_the_clean_zero_the_flagged_zero_and_the_gap():
    assert ("云泽市地方志编纂室", 2023) in D.expected_clean_zero()
    assert ("青石县白沙镇人民政府", 2022) in D.expected_clean_zero()
    assert D.expected_flagged_zero() == [("云泽高新技术产业开发区管理委员会", 2020, 1)]
    assert D.expected_missing() == [("青石县发展和改革局", 2022)]
    assert ("青石县卫生健康局", 2024) in D.expected_no_report()
    assert D.expected_unreadable() == [("青石县自然资源局", 2021)]


def test_only_the_word97_report_is_unreadable_and_it_expects_its_finding():
    unreadable = [r for r in D.REPORTS if not r.readable]
    assert [(r.agency.site_id, r.year, r.form) for r in unreadable] == [
        ("qingshi-zrzyj", 2021, "doc")
    ]
    assert unreadable[0].findings == {"parse.unsupported_format"}


def test_appending_agencies_kept_earlier_document_ids():
    # Ids are in URLs (and report ids): a change would make a kept data folder crawl anew.
    assert D.report_for("qingshi-czj", 2024).doc_id == 4_600_020
    assert D.report_for("yunze-gov", 2023).doc_id == 4_597_389


def test_seed_like_report_prints_zero_total_beside_one_natural_person():
    r = D.report_for("yunze-gxq", 2020)
    assert r.requests["new"]["natural_person"] == 1 and r.requests["new"]["total"] == 0
    assert r.requests["other"]["total"] == 0 and r.requests["total_handled"]["total"] == 1


def test_published_dates_meet_the_deadline_except_the_late_report():
    late = {(r.agency.site_id, r.year) for r in D.REPORTS if "publication.late" in r.findings}
    assert late == {("yunze-scjgj", 2021)}
    for r in D.REPORTS:
        if r.agency.kind == "department" and (r.agency.site_id, r.year) not in late:
            assert (r.published.month, r.published.year) == (1, r.year + 1)
        if r.agency.kind == "government":
            assert r.published.month <= 3 and r.published.year == r.year + 1


def _grid_width(table_markup: str) -> set[int]:
    """Widths of the rows of an HTML table once rowspans and colspans are expanded."""
    rows = LexborHTMLParser(table_markup).css("tr")
    pending: dict[int, int] = {}  # column -> rows still covered from above
    widths = set()
    for tr in rows:
        col, width = 0, 0
        for td in tr.css("td"):
            while pending.get(col, 0) > 0:
                pending[col] -= 1
                col += 1
            span = int(td.attributes.get("colspan") or 1)
            for c in range(col, col + span):
                pending[c] = int(td.attributes.get("rowspan") or 1) - 1
            col += span
        while pending.get(col, 0) > 0:
            pending[col] -= 1
            col += 1
        width = col
        widths.add(width)
    return widths


@pytest.mark.parametrize(("site", "year"), [("yunze-gov", 2019), ("yunze-gov", 2022)])
def test_html_tables_have_the_national_grid_widths(site, year):
    report = D.report_for(site, year)
    tables = {b.name: table_html(b) for b in outline(report) if not isinstance(b, str)}
    assert _grid_width(tables["requests"]) == {10}
    assert _grid_width(tables["active_disclosure"]) == {5 if year <= 2020 else 4}
    assert _grid_width(tables["review_litigation"]) == {15}


def test_blank_cells_stay_blank_in_html_and_never_reach_text_forms():
    blank = D.report_for("yunze-jyj", 2019)
    assert blank.requests["new"]["research"] is None
    assert "<td></td>" in body_html(blank)
    for r in D.REPORTS:
        if r.form in ("html_text_cells", "html_text_pipe"):
            for block in outline(r):
                if not isinstance(block, str):
                    list(cell_lines(block))  # asserts no blank cell
                    list(pipe_lines(block))


def test_cell_per_line_text_reads_like_the_seed():
    r = D.report_for("yunze-gxq", 2020)
    text = body_html(r)
    order = ["（本列数据的勾稽关系为", "申请人情况", "自然人", "法人或其他组织", "总计", "商业企业"]
    positions = [text.index(f"<p>{word}") for word in order]
    assert positions == sorted(positions)
    assert "<table" not in text
