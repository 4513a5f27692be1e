"""Explicit pyarrow schemas of the Parquet datasets, with code lists drawn from template.py.

Every column is declared once here, with its meaning and an example; the Parquet writer, the
loader (`govscrape.load`) and the generated data dictionary (docs/data-dictionary.md) all read
these declarations, so they cannot drift apart.

Choices, documented in the data dictionary as well:
- Counts are nullable integers (int64): a blank cell is null, never 0.
- Code columns are dictionary-encoded strings (pandas `category`).
- `published` is the date printed on the report page, in China Standard Time
  (`Asia/Shanghai`, as the portals print it); crawler times (`first_seen`, `fetched_at`) are UTC.
- `year` is the statistical year, an int16 column inside every file (null where unknown), and
  each dataset has one file per year (`requests/2020.parquet`, `requests/unknown.parquet`). Not
  hive folders (`year=2020/`): each reader guesses a folder value's type differently (BIGINT in
  DuckDB, int32 category in pandas), while a column's type is the same in every reader.
- Key columns (report_id and the codes that name a cell) are non-nullable in the schema.
- Every file carries pandas metadata, so a plain `pd.read_parquet` gives the dtypes of
  `govscrape.load` (nullable Int64, categories in the national format's order, string[pyarrow]).
- `agencies` is derived from the reports when the datasets are assembled (one row per agency
  and site, across years): one file, `agencies/all.parquet`, without a `year` column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

import pyarrow as pa

from govscrape import template
from govscrape.agencies import AGENCY_KINDS
from govscrape.datasets.pandas_meta import pandas_metadata
from govscrape.findings import CATALOGUE
from govscrape.model import SECTIONS, CellKind, TableName
from govscrape.parse.prose_wording import MEASURE_CODES, STATUSES

DATASETS: tuple[str, ...] = (
    "reports",
    "requests",
    "active_disclosure",
    "review_litigation",
    "sections",
    "findings",
    "headlines",
    "agencies",
)
# Datasets computed from the others when they are assembled, not from each report's rows; they
# span years and are written as one file (DERIVED_FILE), without a `year` column.
DERIVED: frozenset[str] = frozenset({"agencies"})
DERIVED_FILE = "all.parquet"
REPORT_DATASETS: tuple[str, ...] = tuple(d for d in DATASETS if d not in DERIVED)
DESCRIPTIONS: dict[str, str] = {
    "reports": "One row per report: where it came from, what it is, how well it was read.",
    "requests": "Table 三 in long form: one row per (row, applicant) cell of each report.",
    "active_disclosure": "Table 二 in long form: one row per (item, metric) cell of each report.",
    "review_litigation": "Table 四 in long form: one row per (proceeding, outcome) cell.",
    "sections": "The text of each numbered section of each report.",
    "findings": "Inconsistencies and parse problems, beside the values (which are never changed); "
    "includes the cross-report rules year.continuity and publication.late.",
    "headlines": "One row per report and headline figure (requests received, granted, reviews, "
    "…), for every report read: from the national table where the report has one (status "
    "`table`), else as its prose states it, with the sentence quoted; so one query spans 2008 "
    "to today. A report whose content could not be read (parse_status unreadable) has no rows: "
    "what it states is unknown. Prose figures are never in the requests dataset.",
    "agencies": "One row per agency and site: which agencies each site (column) covers, with "
    "their kind, region and the years of their reports. One file, no year column.",
}
LONG_TABLES: tuple[TableName, ...] = ("requests", "active_disclosure", "review_litigation")
UNKNOWN_YEAR = "unknown"  # the file name of the reports whose statistical year is unknown

CODE = pa.dictionary(pa.int32(), pa.string())
UTC_TIME = pa.timestamp("ms", tz="UTC")
CHINA_TIME = pa.timestamp("ms", tz="Asia/Shanghai")
YEAR = pa.int16()


def _unique(codes: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(codes))


def _active_codes(attr: str) -> tuple[str, ...]:
    lines = [
        line.code
        for blocks in template.ACTIVE_DISCLOSURE.values()
        for block in blocks
        for line in getattr(block, attr)
    ]
    return _unique(lines)


# Code lists: the values a code column may take, in the order of the national format.
CODE_LISTS: dict[str, tuple[str, ...]] = {
    "row": tuple(r.code for r in template.REQUEST_ROWS),
    "applicant": (*(a.code for a in template.APPLICANTS), template.ORG_SUBTOTAL.code),
    "item": _active_codes("items"),
    "metric": _active_codes("metrics"),
    "proceeding": tuple(p.code for p in template.PROCEEDINGS),
    "outcome": tuple(o.code for o in template.OUTCOMES),
    "section": SECTIONS,
    "kind": get_args(CellKind),  # model.CellKind, in its order
    "template": ("v2019", "v2021", "legacy", "unknown"),
    "source_form": (
        "html_table",
        "html_text",
        "text_cells",
        "text_pipe",
        "text_pdf",
        "pdf",
        "docx",
        "unsupported",
        "unknown",
    ),
    "agency_kind": AGENCY_KINDS,
    "agency_source": ("title", "field", "signature", "site"),
    "severity": ("error", "warning", "info"),
    "parse_status": ("ok", "with_errors", "no_tables", "unreadable"),
    "table": ("requests", "active_disclosure", "review_litigation"),
    "measure": MEASURE_CODES,
    "headline_status": tuple(STATUSES),
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a dataset: its Arrow type, meaning, an example and its code list if any."""

    name: str
    type: pa.DataType
    meaning: str
    example: str
    codes: str | None = None  # key of CODE_LISTS, or "finding_code" (the findings catalogue)
    key: bool = False  # part of the row's identity: never null (non-nullable in the schema)


def _id_columns(example_agency: str = "湘西高新区") -> tuple[Column, ...]:
    return (
        Column(
            "report_id",
            pa.string(),
            "Stable id of the report (see reports)",
            "3f2a9c0d1b7e4a55",
            key=True,
        ),
        Column("agency", CODE, "The reporting agency's name", example_agency),
    )


def _cell_columns(value_type: pa.DataType, example: str) -> tuple[Column, ...]:
    return (
        Column(
            "value",
            value_type,
            "The number as reported; null where the source gives no number (blank is not 0)",
            example,
        ),
        Column("unit", CODE, "Unit given by the source or the format (件, 项, 元, 万元)", "万元"),
        Column("kind", CODE, "What the cell held", "number", codes="kind"),
        Column("raw", pa.string(), "The cell text exactly as found, for provenance", "1"),
    )


COLUMNS: dict[str, tuple[Column, ...]] = {
    "reports": (
        Column(
            "report_id",
            pa.string(),
            "Stable id: first 16 hex digits of sha1 of the normalised report URL",
            "3f2a9c0d1b7e4a55",
            key=True,
        ),
        Column("site", CODE, "The sites.toml entry the report was crawled from", "xiangxi-hitech"),
        Column(
            "agency",
            CODE,
            "The reporting agency, as the report names itself (title, page fields, signature; "
            "canonical name), else the site's agency; the site's agency where the report names "
            "it in another form",
            "湘西高新技术产业开发区管理委员会",
        ),
        Column(
            "agency_kind",
            CODE,
            "Kind of the reporting agency, from its own name (the site's configured kind when it "
            "is the site's agency): decides the publication deadline",
            "department",
            codes="agency_kind",
        ),
        Column(
            "site_agency",
            CODE,
            "The site's configured agency: the owner of the column the report was found in",
            "湘西高新技术产业开发区管理委员会",
        ),
        Column(
            "agency_source",
            CODE,
            "Where the agency was read: title, field (发布机构/来源 …), signature, or site (the "
            "report names none: the site's agency)",
            "title",
            codes="agency_source",
        ),
        Column(
            "agency_raw",
            pa.string(),
            "The agency's name as the report gives it, before printed variants are folded "
            "(layout removed; an office written for its agency read as that agency); null when "
            "the report names none",
            "湘西高新区",
        ),
        Column("province", CODE, "Province of the agency (site config)", "湖南省"),
        Column("city", CODE, "City / prefecture (site config)", "湘西土家族苗族自治州"),
        Column("county", CODE, "County / district (site config)", "吉首市"),
        Column("level", CODE, "Administrative level (site config)", "county"),
        Column("title", pa.string(), "Title of the report", "2020年湘西高新区信息公开工作年度报告"),
        Column("published", CHINA_TIME, "Publication time printed on the page (China time)", "2021-01-12 18:00:00+08:00"),
        Column("first_seen", UTC_TIME, "When the crawler first saw the report URL (UTC)", "2021-01-13 02:00:00+00:00"),
        Column("url", pa.string(), "Canonical URL of the report page", "http://example.gov.cn/2021/0112/1.html"),
        Column(
            "source_url",
            pa.string(),
            "The document whose content was read: the page, or its attachment when the page has no tables",
            "http://example.gov.cn/2021/0112/report.pdf",
        ),
        Column("fetched_at", UTC_TIME, "When these bytes of the source document were fetched (UTC)", "2021-01-13 02:00:05+00:00"),
        Column("sha256", pa.string(), "sha256 of the source document's raw bytes (the raw store key)", "9b74c9897bac770f..."),
        Column("template", CODE, "National table layout detected in the document", "v2019", codes="template"),
        Column("source_form", CODE, "Form the tables were read from", "html_table", codes="source_form"),
        Column("processing_fee_yuan", pa.float64(), "信息处理费 collected (元) as stated in section 六; null if not stated", "3940.0"),
        Column(
            "parse_status",
            CODE,
            "ok: tables read, no error finding; with_errors: error findings; no_tables: no table "
            "cells read; unreadable: empty, unsupported, scanned or not a report",
            "ok",
            codes="parse_status",
        ),
        Column("cells", pa.int32(), "Number of table cells read", "53"),
        Column("findings_error", pa.int32(), "Number of error findings (incl. cross-report rules)", "1"),
        Column("findings_warning", pa.int32(), "Number of warning findings", "0"),
        Column("findings_info", pa.int32(), "Number of info findings", "0"),
    ),
    "requests": (
        *_id_columns(),
        Column("row", CODE, "Row of table 三", "new", codes="row", key=True),
        Column("applicant", CODE, "Applicant column of table 三", "natural_person", codes="applicant", key=True),
        *_cell_columns(pa.int64(), "1"),
    ),
    "active_disclosure": (
        *_id_columns(),
        Column("item", CODE, "Row (item) of table 二", "penalty", codes="item", key=True),
        Column("metric", CODE, "Column (metric) of table 二", "decisions", codes="metric", key=True),
        *_cell_columns(pa.float64(), "125.5"),
    ),
    "review_litigation": (
        *_id_columns(),
        Column("proceeding", CODE, "Proceeding of table 四", "review", codes="proceeding", key=True),
        Column("outcome", CODE, "Outcome of table 四", "corrected", codes="outcome", key=True),
        *_cell_columns(pa.int64(), "0"),
    ),
    "sections": (
        *_id_columns(),
        Column("section", CODE, "Numbered section of the report", "overview", codes="section", key=True),
        Column("text", pa.string(), "Text of the section as found", "2020年，湘西高新区……"),
    ),
    "findings": (
        *_id_columns(),
        Column("code", CODE, "Finding code", "requests.row_total", codes="finding_code", key=True),
        Column("severity", CODE, "How serious", "error", codes="severity", key=True),
        Column("message", pa.string(), "What is odd, in words", "new: 总计 printed 0, but the applicant columns sum to 1"),
        Column("table", CODE, "Table concerned", "requests", codes="table"),
        Column("row", CODE, "Row code concerned", "new"),
        Column("column", CODE, "Column code concerned", "total"),
        Column("expected", pa.string(), "What the rule expected (as text; numbers as written)", "1"),
        Column("found", pa.string(), "What the report says (as text)", "0"),
        Column("blank_as_zero", pa.bool_(), "A blank/dash/无 cell was counted as 0 by the rule", "false"),
        Column("raw", pa.string(), "Raw text behind the finding (e.g. an unmatched label)", "其他情况"),
    ),
    "headlines": (
        *_id_columns(),
        Column("measure", CODE, "The headline figure (see the code list)", "requests_received", codes="measure", key=True),
        Column("value", pa.float64(), "The figure as stated, or as the table gives it; null when qualified, not stated or not read (a statement of none is 0)", "0.0"),
        Column("unit", CODE, "Unit as printed (件, 条, 元, 万元); for a statement of none, the measure's unit", "件"),
        Column("status", CODE, "Where the figure comes from and how plainly it is stated", "stated_zero", codes="headline_status", key=True),
        Column("evidence", pa.string(), "The sentence quoted exactly as found (lines joined; several joined by ' | '), or the table cells read", "2017年，我局未收到政府信息公开申请。"),
        Column("section", CODE, "Section the sentence stands in (pre-2019 headings mapped to the six)", "requests", codes="section"),
        Column("note", pa.string(), "Why a figure is qualified (an exception, a period, a total across agencies, two figures), or how a table figure was derived", "a period that is not the year (截至)"),
    ),
    "agencies": (
        Column("agency", CODE, "The agency, as in the reports' agency column", "青石县财政局", key=True),
        Column("agency_kind", CODE, "Kind of agency (from its name)", "department", codes="agency_kind"),
        Column("site", CODE, "The sites.toml entry its reports were found on", "qingshi-bmnb"),
        Column("site_agency", CODE, "The site's configured agency (the column owner)", "青石县人民政府"),
        Column("province", CODE, "Province (site config)", "湖南省"),
        Column("city", CODE, "City / prefecture (site config)", "湘西土家族苗族自治州"),
        Column("county", CODE, "County / district (site config)", "吉首市"),
        Column("level", CODE, "Administrative level of the site (site config)", "county"),
        Column("first_year", YEAR, "First statistical year of its reports on this site (null: none)", "2019"),
        Column("last_year", YEAR, "Last statistical year of its reports on this site", "2024"),
        Column("reports", pa.int32(), "Its reports on this site (0: a site that gave no report at all)", "6"),
        Column("years", pa.string(), "The years of its reports, as ranges", "2019-2021, 2023"),
        Column("printed_as", pa.string(), "The names it was printed under, '; '-separated", "青石县发改局; 青石县发展和改革局"),
    ),
}  # fmt: skip

YEAR_COLUMN = Column(
    "year",
    YEAR,
    "Statistical year the report covers (null = unknown; one file per year: 2020.parquet, unknown.parquet)",
    "2020",
)


def file_schema(dataset: str) -> pa.Schema:
    """Schema of a dataset's files, as loaded: key columns non-nullable, `year` after the
    identity columns, and pandas metadata so that plain `pd.read_parquet` gets the dtypes."""
    return schema(dataset)


def schema(dataset: str) -> pa.Schema:
    """Schema of a dataset (files and loaded): the columns plus `year` after the identity columns
    (a derived dataset, spanning years, has none)."""
    fields = [pa.field(c.name, c.type, nullable=not c.key) for c in COLUMNS[dataset]]
    if dataset not in DERIVED:
        position = [f.name for f in fields].index("title") + 1 if dataset == "reports" else 2
        fields.insert(position, pa.field("year", YEAR))
    return pa.schema(fields).with_metadata({"pandas": pandas_metadata(fields)})


def key_columns(dataset: str) -> tuple[str, ...]:
    """The non-nullable columns of a dataset."""
    return tuple(c.name for c in COLUMNS[dataset] if c.key)


def finding_codes() -> tuple[str, ...]:
    """The finding codes, in the order of the catalogue (govscrape.findings)."""
    return tuple(CATALOGUE)


def code_list(name: str) -> tuple[str, ...]:
    """The known values of a code list (`finding_code` included)."""
    return finding_codes() if name == "finding_code" else CODE_LISTS[name]
