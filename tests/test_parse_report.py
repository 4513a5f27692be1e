"""parse_report end to end: the seed, the fixture corpus (cell by cell), and bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from published import SEED, expected

from govscrape import parse_report
from govscrape.model import Report

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
CORPUS = sorted(
    p for p in FIXTURES.iterdir() if p.suffix in (".html", ".txt") and ".expected" not in p.name
)
# Findings the table reader and the validator raise (extraction/metadata ones are theirs).
TABLE_CODES = {
    "parse.missing_table",
    "parse.missing_row",
    "parse.unmatched_label",
    "parse.ambiguous_row",
    "parse.resolved_by_arithmetic",
    "parse.cell_count",
    "parse.template_unknown",
    "parse.not_a_report",
    "requests.balance",
    "requests.total_handled",
    "requests.row_total",
    "review_litigation.total",
    "org_subtotal",
}


def tables_of(report: Report) -> dict[str, dict[str, dict[str, object]]]:
    out: dict[str, dict] = {"requests": {}, "active_disclosure": {}, "review_litigation": {}}
    for c in report.cells:
        out[c.table].setdefault(c.row, {})[c.column] = c.value
    return out


# --- the seed ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    return parse_report(SEED.read_bytes()), expected(SEED)


def test_seed_parses_to_its_expected_values(seed):
    report, expected = seed
    got = tables_of(report)
    for table in ("requests", "active_disclosure", "review_litigation"):
        assert got[table] == expected[table], table
    assert report.template == expected["template"]
    assert all(c.kind == "number" for c in report.cells)


def test_seed_metadata(seed):
    report, expected = seed
    assert report.title == expected["title"]
    assert report.agency == expected["agency"]
    assert report.year == expected["year"]
    assert report.published.isoformat() == expected["published"]


def test_seed_raises_exactly_its_source_inconsistencies(seed):
    report, expected = seed
    got = sorted((f.code, f.row or f.column) for f in report.findings)
    wanted = sorted(
        (line.split()[0], line.split()[1].rstrip(":"))
        for line in expected["source_inconsistencies"]
    )
    assert got == wanted
    row_new = next(f for f in report.findings if f.row == "new")
    assert (row_new.found, row_new.expected, row_new.blank_as_zero) == (0, 1, False)


# --- the fixture corpus -----------------------------------------------------------------------


def test_corpus_is_large_and_varied():
    assert len(CORPUS) >= 15
    forms = {parse_report(p.read_bytes()).source_form for p in CORPUS}
    assert {"html_table", "text_cells", "text_pipe", "text_pdf"} <= forms


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_document_parses_cell_by_cell(path):
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
    report = parse_report(path.read_bytes())
    assert report.template == expected["template"]
    got = tables_of(report)
    for table in ("requests", "active_disclosure", "review_litigation"):
        assert got[table] == expected[table], table
    kinds = {f"{c.table}/{c.row}/{c.column}": c.kind for c in report.cells if c.kind != "number"}
    assert kinds == expected["kinds"]
    units = {f"{c.table}/{c.row}/{c.column}": c.unit for c in report.cells if c.unit}
    assert units == expected["units"]
    findings = sorted([f.code, f.row, f.column] for f in report.findings if f.code in TABLE_CODES)
    assert findings == sorted(expected["findings"], key=lambda x: [str(v) for v in x])
    if "year" in expected:
        assert report.year == expected["year"]
    if "source_form" in expected:
        assert report.source_form == expected["source_form"]
    if "title" in expected:
        assert report.title == expected["title"]
    if "published" in expected:
        assert report.published.isoformat(" ").startswith(expected["published"])


# Metadata of every corpus document: agency kind (from the title), publication day, 信息处理费.
METADATA = {
    "anping-devzone-2023.html": ("other", "2024-02-05", 0.0),
    "baihe-town-2019.html": ("township", "2020-01-20", 0.0),
    "beihu-justice-2023.txt": ("department", "2024-01-31", 0.0),
    "dongfang-transport-2022.html": ("department", "2023-01-18", 0.0),
    "fengxiang-county-2021.txt": ("government", "2022-03-25", 0.0),
    "gaoping-housing-2022.html": ("department", "2023-01-30", 0.0),
    "hehua-stub-2021.html": ("department", "2022-01-25", None),
    "hexi-district-2021.html": ("government", "2022-03-28", 0.0),
    "huaiyuan-city-2022.txt": ("government", "2023-03-30", 0.0),
    "jinshui-water-2019.txt": ("department", "2020-01-22", 0.0),
    "linhai-port-2021.txt": ("department", "2022-01-27", 0.0),
    "lishui-education-2023.html": ("department", "2024-01-25", 0.0),
    "longtan-district-2024.txt": ("government", "2025-03-20", 0.0),
    "nanping-health-2020.txt": ("department", "2021-01-28", 0.0),
    "not-a-report.html": (None, None, None),
    "qingshan-market-2022.html": ("department", "2023-01-16", 0.0),
    "ruyang-audit-2022.html": ("department", "2023-01-19", 0.0),
    "shicheng-finance-2016.html": ("department", "2017-03-20", None),
    "songlin-forestry-2020.txt": ("department", "2021-01-29", 0.0),
    "songxi-agriculture-2020.html": ("department", "2021-03-15", 0.0),
    "songxi-health-2022.html": ("department", "2023-01-12", 0.0),
    "songxi-town-2019.html": ("township", "2020-01-17", 0.0),
    "songxi-water-2021.html": ("department", "2022-01-20", 0.0),
    "tongle-civil-2021.txt": ("department", "2022-01-26", 0.0),
    "xishan-township-2019.txt": ("township", "2020-02-10", 0.0),
    "yangcheng-stats-2023.txt": ("department", "2024-01-30", 0.0),
    "zhuxi-culture-2020.txt": ("department", "2021-01-29", 0.0),
}


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_metadata_kind_publication_and_fee(path):
    report = parse_report(path.read_bytes())
    published = report.published.date().isoformat() if report.published else None
    assert (report.agency_kind, published, report.processing_fee_yuan) == METADATA[path.name]


def test_truncated_pdf_yields_its_values_and_a_warning():
    import pdf_fixtures

    data = pdf_fixtures.report_pdf(filler=1)
    whole = parse_report(data)
    cut = parse_report(data[: int(len(data) * 0.95)], url="http://a.gov.cn/2023.pdf")
    assert cut.template == whole.template == "v2021"
    assert cut.cells == whole.cells and len(cut.cells) == 200
    (truncated,) = [f for f in cut.findings if f.code == "parse.truncated_file"]
    assert truncated.severity == "warning" and truncated.raw == "http://a.gov.cn/2023.pdf"
    assert [f for f in cut.findings if f.severity == "error"] == []


def test_raw_cell_text_is_kept_for_provenance():
    report = parse_report((FIXTURES / "baihe-town-2019.html").read_bytes())
    amount = report.cell("active_disclosure", "procurement", "amount")
    assert (amount.value, amount.unit, amount.raw) == (251000, "元", "251000元")
    change = report.cell("active_disclosure", "license", "change")
    assert (change.value, change.raw) == (-3, "-3")


def test_blank_findings_say_blanks_were_counted_as_zero():
    report = parse_report((FIXTURES / "hexi-district-2021.html").read_bytes())
    row_totals = [f for f in report.findings if f.code == "requests.row_total"]
    assert row_totals and all(f.blank_as_zero for f in row_totals)
    assert all(
        c.kind == "blank" for c in report.cells if c.column == "total" and c.table == "requests"
    )


def test_stub_page_linking_to_its_attachment_is_unknown_not_legacy():
    report = parse_report((FIXTURES / "hehua-stub-2021.html").read_bytes())
    assert (report.template, report.year, report.cells) == ("unknown", 2021, [])
    assert report.findings == []  # nothing to read on the page: its attachment is the report


def test_report_text_in_no_known_template_is_flagged_unknown():
    page = (
        "<html><head><title>2017年政府信息公开工作年度报告</title></head><body>"
        "<p>一、总体情况</p><p>全年共办理申请3件。</p>"
        "<p>二、主动公开政府信息情况</p><p>全年主动公开信息120条。</p></body></html>"
    )
    report = parse_report(page)
    assert report.template == "unknown"
    assert "parse.template_unknown" in [f.code for f in report.findings]


def test_legacy_report_keeps_its_text_sections():
    report = parse_report((FIXTURES / "shicheng-finance-2016.html").read_bytes())
    assert report.template == "legacy" and report.cells == []
    assert report.sections


# --- bad input never raises -------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"",
        "",
        b"   \n\n ",
        os.urandom(4096),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        b"%PDF-1.4 truncated",
        "<html><body><p>hello</p></body></html>",
        "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\n3\n1",
        "<table><tr><td>规章</td><td rowspan=99999 colspan=99999>1</td></tr></table>",
    ],
    ids=[
        "empty-bytes",
        "empty-str",
        "blank",
        "junk",
        "ole",
        "truncated-pdf",
        "non-report",
        "truncated-table",
        "absurd-spans",
    ],
)
def test_bad_input_yields_a_report_with_findings(content):
    report = parse_report(content)
    assert isinstance(report, Report)
    assert report.findings or report.cells


def test_report_missing_a_table_says_which():
    report = parse_report((FIXTURES / "gaoping-housing-2022.html").read_bytes())
    missing = [f.table for f in report.findings if f.code == "parse.missing_table"]
    assert missing == ["review_litigation"]


def test_ten_megabyte_page_is_parsed_without_raising():
    page = (FIXTURES / "qingshan-market-2022.html").read_bytes().decode("gbk")
    filler = "<p>" + "政务公开工作持续推进，" * 40 + "</p>\n"
    big = page.replace(
        "<p>二、主动公开", filler * (10_000_000 // len(filler.encode())) + "<p>二、主动公开"
    )
    assert len(big.encode()) > 10_000_000
    report = parse_report(big.encode())
    assert report.template == "v2021"
    assert report.value("requests", "new", "total") is not None


def test_internal_failure_becomes_a_finding(monkeypatch):
    import govscrape.parse

    def boom(doc, **kw):
        raise RuntimeError("bug")

    monkeypatch.setattr(govscrape.parse, "read_tables", boom)
    report = parse_report((FIXTURES / "songlin-forestry-2020.txt").read_bytes())
    assert [f.code for f in report.findings][-1] == "parse.internal_error"
    assert report.title  # what was read before the failure is kept


def test_a_page_whose_title_is_only_an_h1_gets_title_agency_and_year():
    # Many pages have no report <title> (or only the portal's name) and show the title in an
    # <h1> above a body the extractor reads as a whole page.
    page = (
        "<html><head><meta charset='utf-8'><title>云岭县人民政府门户网站</title></head><body>"
        "<h1>云岭县农业农村局2019年政府信息公开工作年度报告</h1>"
        "<p>发布日期：2020-01-20</p><p>一、总体情况</p><p>平稳。</p>"
        "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>1</td><td>0</td><td>0</td>"
        "<td>0</td><td>0</td><td>0</td><td>1</td></tr></table></body></html>"
    )
    report = parse_report(page.encode())
    assert report.title == "云岭县农业农村局2019年政府信息公开工作年度报告"
    assert (report.agency, report.year) == ("云岭县农业农村局", 2019)
