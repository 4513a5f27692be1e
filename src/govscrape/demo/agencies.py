"""The demo's fictional places and agencies, which years each published in which form, and which
sites a crawler without JavaScript cannot reach.

Most agencies have a column of their own (one sites.toml entry each). The county's 部门年报
column is shared: its entry names the county government (the column's owner, which publishes its
own report in its own column), and the reports in it are those of two departments and a town,
each naming itself in its own way."""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE = "江南省"
CITY = "云泽市"
COUNTY = "青石县"
YEARS: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023, 2024)


@dataclass(frozen=True, slots=True)
class Agency:
    """A fictional reporting body with its column (one sites.toml entry) on one of the demo
    hosts, or publishing in another agency's shared column (`column_of`)."""

    site_id: str
    name: str
    kind: str  # department | government | township | other
    level: str  # prefecture | county | township | devzone
    host: str  # city | county | waf | zone: which demo server publishes its column
    column: str  # the listing path on that host
    county: str | None
    office: str  # the office that writes the report (来源 / 发布机构)
    mean_new: tuple[int, ...]  # mean new requests per applicant column (without 总计)
    column_of: str | None = None  # a shared column's site_id it publishes in (not a site itself)


AGENCIES: tuple[Agency, ...] = (
    Agency("yunze-gov", "云泽市人民政府", "government", "prefecture", "city",
           "/zwgk/zfxxgknb/", None, "云泽市人民政府办公室", (168, 31, 1, 2, 7, 5)),
    Agency("yunze-jyj", "云泽市教育局", "department", "prefecture", "city",
           "/zwgk/bmxxgk/sjyj/zfxxgknb/", None, "云泽市教育局办公室", (24, 2, 0, 0, 1, 1)),
    Agency("yunze-dfz", "云泽市地方志编纂室", "department", "prefecture", "city",
           "/zwgk/bmxxgk/sdfz/zfxxgknb/", None, "云泽市地方志编纂室", (0, 0, 0, 0, 0, 0)),
    Agency("yunze-scjgj", "云泽市市场监督管理局", "department", "prefecture", "city",
           "/zwgk/bmxxgk/sscjgj/zfxxgknb/", None, "云泽市市场监督管理局办公室",
           (46, 21, 0, 1, 4, 2)),
    Agency("qingshi-gov", "青石县人民政府", "government", "county", "county",
           "/col/col1229001234/index.html", COUNTY, "青石县人民政府办公室", (71, 9, 0, 1, 3, 2)),
    Agency("qingshi-bsz", "青石县白沙镇人民政府", "township", "township", "county",
           "/col/col1229001240/index.html", COUNTY, "白沙镇党政综合办公室", (2, 0, 0, 0, 0, 0)),
    Agency("qingshi-wjj", "青石县卫生健康局", "department", "county", "waf",
           "/col/col1229001251/index.html", COUNTY, "青石县卫生健康局办公室", (11, 1, 0, 0, 0, 1)),
    Agency("yunze-gxq", "云泽高新技术产业开发区管理委员会", "other", "devzone", "zone",
           "/xxgk/gknb/1.html", None, "云泽高新区管委会办公室", (1, 0, 0, 0, 0, 0)),
    # Appended (earlier agencies keep their numbers and document ids): a city department on
    # the city's gkmlpt platform (a JSON list API) and a county department whose Hanweb column
    # lists its items in an embedded <datastore> XML block.
    Agency("yunze-wjw", "云泽市卫生健康委员会", "department", "prefecture", "city",
           "/gkmlpt/api/all/2451?page=1&sid=770001", None, "云泽市卫生健康委员会办公室",
           (38, 6, 0, 1, 2, 1)),
    Agency("qingshi-czj", "青石县财政局", "department", "county", "county",
           "/col/col1229001262/index.html", COUNTY, "青石县财政局办公室", (9, 2, 0, 0, 1, 0)),
    # Appended: a county department that published one year only as a Word 97-2003 .doc.
    Agency("qingshi-zrzyj", "青石县自然资源局", "department", "county", "county",
           "/col/col1229001287/index.html", COUNTY, "青石县自然资源局办公室", (13, 4, 0, 0, 1, 1)),
    # Appended: the county's 部门年报 column, shared by several agencies. Its sites.toml entry
    # names the county government, which publishes no report in it; the three agencies after it
    # publish there (column_of), each read from its own report.
    Agency("qingshi-bmnb", "青石县人民政府", "government", "county", "county",
           "/col/col1229001300/index.html", COUNTY, "青石县人民政府办公室", (0, 0, 0, 0, 0, 0)),
    Agency("qingshi-fgj", "青石县发展和改革局", "department", "county", "county",
           "/col/col1229001300/index.html", COUNTY, "青石县发展和改革局", (6, 2, 0, 0, 0, 1),
           column_of="qingshi-bmnb"),
    Agency("qingshi-jtj", "青石县交通运输局", "department", "county", "county",
           "/col/col1229001300/index.html", COUNTY, "青石县交通运输局办公室", (4, 1, 0, 0, 0, 0),
           column_of="qingshi-bmnb"),
    Agency("qingshi-smx", "青石县石门乡人民政府", "township", "township", "county",
           "/col/col1229001300/index.html", COUNTY, "石门乡党政综合办公室", (0, 0, 0, 0, 0, 0),
           column_of="qingshi-bmnb"),
)  # fmt: skip
AGENCY_BY_SITE: dict[str, Agency] = {a.site_id: a for a in AGENCIES}
# One sites.toml entry per column: the agencies with a column of their own, and shared columns.
COLUMN_AGENCIES: tuple[Agency, ...] = tuple(a for a in AGENCIES if a.column_of is None)


def column_owner(agency: Agency) -> Agency:
    """The agency whose column (sites.toml entry) the agency's reports are listed in."""
    return AGENCY_BY_SITE[agency.column_of] if agency.column_of else agency


# Which input form each report body takes (render.py), by agency and year; a year absent here
# was never published. The 2023 report of the city government exists only as a PDF attachment,
# the 2020 report of the county government only as a Word (.docx) attachment, the 2021 report of
# the county natural resources bureau only as a Word 97-2003 (.doc) attachment, which no reader
# of govscrape opens: it must be kept raw and flagged, with no numbers. Two reports come as the
# long tail of text stores them: the county development and reform bureau's 2024 report as cell-
# per-line text whose blank cells vanished, the city health commission's 2023 report with each
# row's numbers glued into one digit run; the parser rebuilds their rows from the tables'
# arithmetic, and leaves unread what the arithmetic does not decide. The city education bureau's
# 2022 report is a PDF whose table 三 prints three labels damaged (quirks.py): the parser aligns
# its rows to the template by order and similarity.
FORMS: dict[str, dict[int, str]] = {
    "yunze-gov": {2019: "html_table", 2020: "html_table", 2021: "html_table",
                  2022: "html_table", 2023: "pdf", 2024: "html_table"},
    "yunze-jyj": {2019: "html_table", 2020: "html_text_pipe", 2021: "html_text_pipe",
                  2022: "pdf", 2023: "html_table", 2024: "html_text_cells"},
    "yunze-dfz": {y: "html_text_cells" for y in YEARS} | {2024: "html_table"},
    "yunze-scjgj": {2019: "html_table", 2020: "html_table", 2021: "html_table",
                    2022: "html_table", 2023: "html_text_pipe", 2024: "html_table"},
    "qingshi-gov": {y: "html_table" for y in YEARS} | {2020: "docx"},
    "qingshi-bsz": {y: "html_text_cells" for y in YEARS},
    "qingshi-wjj": {y: "html_table" for y in YEARS},
    "yunze-gxq": {2019: "html_text_cells", 2020: "html_text_cells", 2021: "html_table",
                  2022: "html_table", 2023: "html_text_pipe", 2024: "html_table"},
    "yunze-wjw": {y: "html_table" for y in YEARS}
    | {2021: "html_text_pipe", 2023: "html_text_glued"},
    "qingshi-czj": {y: "html_table" for y in YEARS} | {2019: "html_text_cells"},
    "qingshi-zrzyj": {y: "html_table" for y in YEARS} | {2021: "doc"},
    "qingshi-bmnb": {},  # the shared column's owner publishes in its own column (qingshi-gov)
    "qingshi-fgj": {y: "html_table" for y in YEARS if y != 2022}  # 2022 missing
    | {2024: "html_text_vanished"},
    "qingshi-jtj": {y: "html_table" for y in YEARS},
    "qingshi-smx": {y: "html_text_cells" for y in YEARS},
}  # fmt: skip
# Reports added after the others were drawn: they draw from a generator of their own, so that
# adding one leaves every other report's numbers and dates as they were.
DRAWN_APART: frozenset[tuple[str, int]] = frozenset({("yunze-jyj", 2022)})
# Agencies that published at least one report (a shared column's owner need not).
REPORTING: tuple[Agency, ...] = tuple(a for a in AGENCIES if FORMS[a.site_id])
# How a title names its agency where it does not read "<name><year>年政府信息公开工作年度报告":
# 发改局 abbreviated and no 年 after the year (as 3 of 15 real county reports print it), or no
# agency at all (the page's 发布机构 and the signature name it).
TITLES: dict[str, dict[int, str]] = {
    "qingshi-fgj": {2019: "青石县发改局{year}政府信息公开工作年度报告",
                    2020: "青石县发改局{year}政府信息公开工作年度报告"},
    "qingshi-jtj": {y: "{year}年度政府信息公开工作年度报告" for y in YEARS},
}  # fmt: skip
# Forms govscrape cannot read: such a report is in the datasets with a finding and no cells.
UNREADABLE_FORMS: frozenset[str] = frozenset({"doc"})

# The county health bureau's own host sits behind a 521 JavaScript challenge (加速乐-style): a
# crawler that runs no JavaScript cannot read it, so its reports are served but not reachable.
CHALLENGED_SITES: frozenset[str] = frozenset({"qingshi-wjj"})
