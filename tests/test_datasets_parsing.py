"""A report page and its attachments as one report: which document is read, and why none was."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
from datasets_factory import (
    add_site,
    fake_parse,
    make_report,
    record_url,
    report_to_bytes,
    store_report,
)

import govscrape
from govscrape.crawl.rawstore import RawStore
from govscrape.datasets import build_datasets, report_id_for
from govscrape.datasets.parsing import MissingDoc, ReportUnit, SourceDoc, read_unit
from govscrape.model import Finding, Report

PAGE = "http://czj.qingzhou.gov.cn/art/2022/1/18/art_1229_4511.html"
DOC = "http://czj.qingzhou.gov.cn/module/download/downfile.jsp?filename=2201181032.doc"
PDF = "http://czj.qingzhou.gov.cn/picture/0/2201181032.pdf"
# An OLE compound file (.doc) as Word 97-2003 writes it: the signature, then sectors.
OLE_DOC = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(24) + b"\x3e\x00\x03\x00\xfe\xff" + bytes(2000)


def stub_page(year: int = 2021, link: str | None = DOC) -> bytes:
    """A report page whose body only links to the report file, as many county sites publish."""
    title = f"青州市财政局{year}年政府信息公开工作年度报告"
    attachment = f'<p>附件：<a href="{link}">{title}.doc</a></p>' if link else ""
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<h1>{title}</h1><p>发布日期：{year + 1}-01-18 来源：青州市财政局办公室</p>"
        f'<div id="zoom">{attachment}</div></body></html>'
    ).encode()


def crawl(data_dir: Path, page: bytes, files: dict[str, tuple[bytes, str]]) -> None:
    """A crawl state and raw store holding one report page and its attachments."""
    add_site(data_dir, "qz-czj", agency="青州市财政局", agency_kind="department")
    store_report(
        data_dir, PAGE, page, site="qz-czj", title="青州市财政局2021年政府信息公开工作年度报告"
    )
    for url, (content, ctype) in files.items():
        store_report(data_dir, url, content, site="qz-czj", kind="attachment",
                     parent_url=PAGE, content_type=ctype)  # fmt: skip


def only_report(data_dir: Path) -> tuple[pd.Series, pd.DataFrame]:
    reports = govscrape.load("reports", data_dir)
    assert len(reports) == 1
    findings = govscrape.load("findings", data_dir)
    return reports.iloc[0], findings[findings.report_id == reports.iloc[0]["report_id"]]


def test_word_doc_attachment_is_a_report_flagged_unsupported_naming_the_file(tmp_path):
    crawl(tmp_path, stub_page(), {DOC: (OLE_DOC, "application/msword")})
    build_datasets(tmp_path)
    report, findings = only_report(tmp_path)
    assert report["report_id"] == report_id_for(PAGE) and report["url"] == PAGE
    assert report["year"] == 2021 and report["agency"] == "青州市财政局"
    assert report["parse_status"] == "unreadable" and report["cells"] == 0
    unsupported = findings[findings.code == "parse.unsupported_format"]
    assert len(unsupported) == 1
    assert DOC in unsupported.iloc[0]["message"] and unsupported.iloc[0]["raw"] == DOC
    assert unsupported.iloc[0]["message"].startswith("attachment: ")
    assert report["findings_error"] == len(findings[findings.severity == "error"]) >= 1


def test_scanned_pdf_attachment_is_a_report_flagged_scanned(tmp_path):
    from pdf_fixtures import scanned_pdf

    crawl(tmp_path, stub_page(link=PDF), {PDF: (scanned_pdf(), "application/pdf")})
    build_datasets(tmp_path)
    report, findings = only_report(tmp_path)
    assert report["parse_status"] == "unreadable" and report["source_url"] == PAGE
    scanned = findings[findings.code == "parse.scanned_pdf"]
    assert len(scanned) == 1 and PDF in scanned.iloc[0]["message"]


def test_stub_page_without_attachment_says_no_table_was_found(tmp_path):
    crawl(tmp_path, stub_page(link=None), {})
    build_datasets(tmp_path)
    report, findings = only_report(tmp_path)
    assert report["parse_status"] == "no_tables"
    missing = findings[findings.code == "parse.missing_table"]  # the parser may add warnings
    assert len(missing) == 1 and "no attachment" in missing.iloc[0]["message"]
    assert set(findings[findings.severity == "error"].code) == {"parse.missing_table"}


def test_attachment_that_failed_to_download_is_named_on_the_report(tmp_path):
    crawl(tmp_path, stub_page(link=PDF), {})
    record_url(tmp_path, PDF, "qz-czj", "attachment", "failed", http_status=404,
               error="HTTP 404 Not Found", parent_url=PAGE)  # fmt: skip
    build_datasets(tmp_path)
    report, findings = only_report(tmp_path)
    assert report["parse_status"] == "no_tables" and report["source_url"] == PAGE
    errors = findings[findings.severity == "error"]  # the parser may add its own warnings
    assert list(errors.code) == ["parse.missing_table"]
    found = errors.iloc[0]
    assert found["raw"] == PDF and found["severity"] == "error"
    assert PDF in found["message"] and "404" in found["message"]
    assert "could not be downloaded" in found["message"]
    assert "no attachment" not in found["message"]


def test_attachment_fetched_after_a_failure_becomes_the_report(tmp_path):
    page = make_report("甲局", 2021, tables=False)
    store_report(tmp_path, PAGE, report_to_bytes(page), site="qz-czj")
    record_url(tmp_path, PDF, "qz-czj", "attachment", "failed", http_status=503,
               error="Service Unavailable", parent_url=PAGE)  # fmt: skip
    build_datasets(tmp_path, parse=fake_parse)
    _, findings = only_report(tmp_path)
    assert "503" in findings.iloc[0]["message"]
    attachment = report_to_bytes(make_report("甲局", 2021))
    store_report(tmp_path, PDF, attachment, site="qz-czj", kind="attachment", parent_url=PAGE)
    summary = build_datasets(tmp_path, parse=fake_parse)
    assert summary.parsed == 1  # the report's inputs changed: parsed again
    report, findings = only_report(tmp_path)
    assert report["source_url"] == PDF and report["parse_status"] == "ok"
    assert findings.empty


# --- read_unit with a stand-in parser --------------------------------------------------------


def unit_of(tmp_path: Path, page: Report, *attachments: Report) -> tuple[ReportUnit, RawStore]:
    store = RawStore(tmp_path / "raw")
    docs = [
        SourceDoc(f"http://a.gov.cn/f{n}.pdf", store.put(report_to_bytes(r)))
        for n, r in enumerate(attachments)
    ]
    page_doc = SourceDoc("http://a.gov.cn/2021.html", store.put(report_to_bytes(page)))
    return ReportUnit("x", "site-a", page_doc, tuple(docs)), store


def test_only_error_findings_of_unreadable_attachments_are_merged(tmp_path):
    page = make_report("甲局", 2021, tables=False)
    scanned = make_report("甲局", 2021, tables=False, findings=[
        Finding("parse.scanned_pdf", "error", "no text layer"),
        Finding("parse.mojibake", "warning", "odd text"),
    ])  # fmt: skip
    report, source = read_unit(*unit_of(tmp_path, page, scanned), fake_parse)
    assert source.url == "http://a.gov.cn/2021.html"
    assert [(f.code, f.message, f.raw) for f in report.findings] == [
        ("parse.scanned_pdf", "attachment: no text layer (http://a.gov.cn/f0.pdf)",
         "http://a.gov.cn/f0.pdf"),
    ]  # fmt: skip


def test_page_without_tables_and_silent_attachments_gets_missing_table(tmp_path):
    page = make_report("甲局", 2021, tables=False)
    empty = make_report("甲局", 2021, tables=False)
    report, _ = read_unit(*unit_of(tmp_path, page, empty, empty), fake_parse)
    assert [f.code for f in report.findings] == ["parse.missing_table"]
    assert "2 attachment(s)" in report.findings[0].message


def test_readable_attachment_is_the_report_and_carries_no_sibling_errors(tmp_path):
    page = make_report("甲局", 2021, tables=False)
    doc = make_report("甲局", 2021, tables=False,
                      findings=[Finding("parse.unsupported_format", "error", "a .doc")])  # fmt: skip
    pdf = make_report("甲局", 2021)
    report, source = read_unit(*unit_of(tmp_path, page, doc, pdf), fake_parse)
    assert source.url == "http://a.gov.cn/f1.pdf" and report.cells
    assert report.findings == []


def test_pre_2019_stub_without_tables_is_not_flagged_missing_table(tmp_path):
    page = make_report("甲局", 2017, tables=False)
    page.sections = {}
    report, _ = read_unit(*unit_of(tmp_path, page), fake_parse)
    assert report.findings == []


def test_prose_report_without_tables_is_left_to_the_parser(tmp_path):
    page = make_report("甲局", 2021, tables=False)  # sections found, no table, no attachment
    report, _ = read_unit(*unit_of(tmp_path, page), fake_parse)
    assert report.findings == []


def test_each_attachment_not_downloaded_says_why(tmp_path):
    unit, store = unit_of(tmp_path, make_report("甲局", 2021, tables=False))
    missing = (
        MissingDoc("http://a.gov.cn/a.pdf", "failed", 404, "HTTP 404 Not Found"),
        MissingDoc("http://a.gov.cn/b.pdf", "pending"),
        MissingDoc("http://a.gov.cn/c.pdf", "robots"),
    )
    report, _ = read_unit(dataclasses.replace(unit, missing=missing), store, fake_parse)
    assert [(f.code, f.raw) for f in report.findings] == [
        ("parse.missing_table", m.url) for m in missing
    ]
    a, b, c = (f.message for f in report.findings)
    assert "could not be downloaded" in a and "HTTP 404 Not Found" in a
    assert "has not been fetched yet" in b and "robots.txt" in c


def test_a_failed_attachment_is_ignored_when_the_page_has_tables(tmp_path):
    unit, store = unit_of(tmp_path, make_report("甲局", 2021))
    missing = (MissingDoc("http://a.gov.cn/a.pdf", "failed", 404),)
    report, _ = read_unit(dataclasses.replace(unit, missing=missing), store, fake_parse)
    assert report.cells and report.findings == []


def test_a_prose_report_published_as_a_file_is_read_from_the_file(tmp_path):
    legacy = Path(__file__).parent / "fixtures" / "legacy" / "tangxi-finance-2018.pdf"
    crawl(tmp_path, stub_page(2018, link=PDF), {PDF: (legacy.read_bytes(), "application/pdf")})
    build_datasets(tmp_path)
    report, findings = only_report(tmp_path)
    assert report["source_url"] == PDF and report["url"] == PAGE
    headlines = govscrape.load("headlines", tmp_path).set_index("measure")
    assert headlines.loc["requests_received", "status"] == "stated_count"
    assert headlines.loc["requests_received", "value"] == 9
    assert "parse.missing_table" not in set(findings["code"])  # 2018: no national table to miss


def test_a_report_stating_no_year_takes_the_link_texts_year_and_says_so():
    from govscrape.datasets.parsing import with_link_year

    report = with_link_year(
        Report(title=None, year=None), "云岭县农业农村局2019年政府信息公开工作年度报告"
    )
    assert report.year == 2019
    assert [f.code for f in report.findings] == ["parse.year_from_link"]
    assert "2019年" in report.findings[0].raw


def test_a_report_with_its_own_year_keeps_it_whatever_the_link_says():
    from govscrape.datasets.parsing import with_link_year

    report = with_link_year(Report(year=2020), "某局2021年政府信息公开工作年度报告")
    assert report.year == 2020 and report.findings == []
    assert with_link_year(Report(), "某局政府信息公开工作年度报告").year is None
