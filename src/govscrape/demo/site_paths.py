"""Where things live on the demo hosts: each CMS's URL conventions, attachment names and bytes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from importlib import resources
from pathlib import Path

from govscrape.demo.agencies import Agency, column_owner
from govscrape.demo.doc97 import build_doc
from govscrape.demo.report_numbers import DemoReport

# Attachments are written at build time (`python -m govscrape.demo.pdf`: reportlab, a test
# dependency; `python -m govscrape.demo.word`: python-docx) and shipped as package data, so
# running the demo never needs reportlab and the files' bytes (and ETags) never change.
PDF_RESOURCE = "portal"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC_TYPE = "application/msword"
# Hanweb serves attachments through a download module named by a query string.
HANWEB_DOWNLOAD = "/module/download/downfile.jsp?classid=0&filename="
WORD_FORMS = ("docx", "doc")  # published as a Word file through Hanweb's download module
# The pager each column uses (docs/portal-families.md#pagination).
PAGERS = {"yunze-gov": "countPage", "yunze-jyj": "createPageHTML", "yunze-dfz": "listModel",
          "yunze-scjgj": "countPage", "qingshi-gov": "query", "qingshi-bsz": "next_link",
          "qingshi-wjj": "query", "yunze-gxq": "numbered", "yunze-wjw": "gkmlpt",
          "qingshi-czj": "datastore", "qingshi-zrzyj": "query", "qingshi-bmnb": "query"}  # fmt: skip
# `listModel` is a TRS "动静结合" column: the first page is static and its script states the
# column's item count, fetching the rest from the search service; the portal also writes the
# next page statically (index_1.html) until the SCRIPT_ONLY switch withdraws it.
# Columns without a list in their HTML (docs/portal-families.md#js-only-lists): `gkmlpt` pages
# are JSON from /gkmlpt/api/all/<cat>?page=N&sid=S behind an empty single-page app (GKMLPT_SHELL,
# which the front page links to); a `datastore` column embeds its items as XML for jpage.js.
GKMLPT_SHELL = "/gkmlpt/index"

# The market regulator's column is split into year sub-columns, TRS style (`2023_61223/`): its
# front page lists only the sub-columns (docs/portal-families.md#sub-columns).
YEAR_COLUMNS: frozenset[str] = frozenset({"yunze-scjgj"})


def folder_of(agency: Agency, year: int) -> str:
    """The listing folder holding an agency's items of a year: a year sub-column or the column."""
    if agency.site_id in YEAR_COLUMNS:
        return f"{agency.column}{year}_{61200 + year % 100}/"
    return agency.column.rsplit("/", 1)[0] + "/"


def report_path(report: DemoReport) -> str:
    """The path of a report's page on its host."""
    column = column_owner(report.agency)  # a shared column's reports live under it
    folder = folder_of(column, report.year)
    return detail_path(column, report.published, report.doc_id, folder)


def detail_path(agency: Agency, when: datetime, doc_id: int, folder: str | None = None) -> str:
    """Where an article lives on its host, in the host's CMS convention."""
    if PAGERS.get(agency.site_id) == "gkmlpt":
        return f"/gkmlpt/content/{doc_id // 100000 % 10}/{doc_id // 1000}/post_{doc_id}.html"
    if agency.host == "city":  # TRS: below its channel's folder
        return f"{folder or agency.column}{when:%Y%m}/t{when:%Y%m%d}_{doc_id}.html"
    if agency.host in ("county", "waf"):
        col = agency.column.split("/")[2].removeprefix("col")
        return f"/art/{when.year}/{when.month}/{when.day}/art_{col}_{doc_id}.html"
    return f"/Article/ShowArticle.asp?ArticleID={doc_id % 100000}"


def pdf_name(report: DemoReport) -> str:
    """The file name of a report's PDF, TRS style (`P0<date><id><check>.pdf`)."""
    return f"P0{report.published:%Y%m%d}{report.doc_id}{report.doc_id % 89:02d}.pdf"


def attachment_name(report: DemoReport) -> str:
    """The file name of a report's attachment: TRS `P0….pdf`, Hanweb `<timestamp>.docx|.doc`."""
    if report.form in WORD_FORMS:
        return f"{report.published:%y%m%d%H%M}{report.doc_id % 100000:05d}.{report.form}"
    return pdf_name(report)


def attachment_bytes(report: DemoReport) -> bytes:
    """A report's attachment as served: the shipped PDF / .docx, or the .doc built on the fly."""
    if report.form == "doc":
        return build_doc(report)
    name = attachment_name(report)
    return resources.files("govscrape.demo").joinpath(PDF_RESOURCE, name).read_bytes()


def pdf_bytes(report: DemoReport) -> bytes:
    """The bytes of a report's PDF attachment (see attachment_bytes)."""
    return attachment_bytes(report)


def attachment_path(report: DemoReport) -> str | None:
    """Where a report's attachment is served (beside a TRS page; Hanweb's download module)."""
    if report.form == "pdf":
        return report_path(report).rsplit("/", 1)[0] + "/" + pdf_name(report)
    if report.form in WORD_FORMS:
        return HANWEB_DOWNLOAD + attachment_name(report)
    return None


def write_bundled(
    reports: Iterable[DemoReport],
    build: Callable[[DemoReport], bytes],
    argv: list[str] | None = None,
) -> int:
    """Write built attachments into the package's portal folder (or the folder in argv), named
    as the portal serves them: the build-time step behind `python -m govscrape.demo.pdf|word`."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path(__file__).with_name(PDF_RESOURCE)
    folder.mkdir(parents=True, exist_ok=True)
    for report in reports:
        data = build(report)
        target = folder / attachment_name(report)
        target.write_bytes(data)
        print(f"{target}: {len(data)} bytes")
    return 0
