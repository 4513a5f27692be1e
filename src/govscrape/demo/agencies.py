"""The demo's fictional places and agencies, which years each published in which form, and which
sites a crawler without JavaScript cannot reach."""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE = "江南省"
CITY = "云泽市"
COUNTY = "青石县"
YEARS: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023, 2024)


@dataclass(frozen=True, slots=True)
class Agency:
    """A fictional reporting body: one column (one sites.toml entry) on one of the demo hosts."""

    site_id: str
    name: str
    kind: str  # department | government | township | other
    level: str  # prefecture | county | township | devzone
    host: str  # city | county | waf | zone: which demo server publishes its column
    column: str  # the listing path on that host
    county: str | None
    office: str  # the office that writes the report (来源 / 发布机构)
    mean_new: tuple[int, ...]  # mean new requests per applicant column (without 总计)


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
)  # fmt: skip
AGENCY_BY_SITE: dict[str, Agency] = {a.site_id: a for a in AGENCIES}

# Which input form each report body takes (render.py), by agency and year; a year absent here
# was never published. The 2023 report of the city government exists only as a PDF attachment,
# the 2020 report of the county government only as a Word (.docx) attachment, the 2021 report of
# the county natural resources bureau only as a Word 97-2003 (.doc) attachment, which no reader
# of govscrape opens: it must be kept raw and flagged, with no numbers.
FORMS: dict[str, dict[int, str]] = {
    "yunze-gov": {2019: "html_table", 2020: "html_table", 2021: "html_table",
                  2022: "html_table", 2023: "pdf", 2024: "html_table"},
    "yunze-jyj": {2019: "html_table", 2020: "html_text_pipe", 2021: "html_text_pipe",
                  2023: "html_table", 2024: "html_text_cells"},  # 2022 missing
    "yunze-dfz": {y: "html_text_cells" for y in YEARS} | {2024: "html_table"},
    "yunze-scjgj": {2019: "html_table", 2020: "html_table", 2021: "html_table",
                    2022: "html_table", 2023: "html_text_pipe", 2024: "html_table"},
    "qingshi-gov": {y: "html_table" for y in YEARS} | {2020: "docx"},
    "qingshi-bsz": {y: "html_text_cells" for y in YEARS},
    "qingshi-wjj": {y: "html_table" for y in YEARS},
    "yunze-gxq": {2019: "html_text_cells", 2020: "html_text_cells", 2021: "html_table",
                  2022: "html_table", 2023: "html_text_pipe", 2024: "html_table"},
    "yunze-wjw": {y: "html_table" for y in YEARS} | {2021: "html_text_pipe"},
    "qingshi-czj": {y: "html_table" for y in YEARS} | {2019: "html_text_cells"},
    "qingshi-zrzyj": {y: "html_table" for y in YEARS} | {2021: "doc"},
}  # fmt: skip
# Forms govscrape cannot read: such a report is in the datasets with a finding and no cells.
UNREADABLE_FORMS: frozenset[str] = frozenset({"doc"})

# The county health bureau's own host sits behind a 521 JavaScript challenge (加速乐-style): a
# crawler that runs no JavaScript cannot read it, so its reports are served but not reachable.
CHALLENGED_SITES: frozenset[str] = frozenset({"qingshi-wjj"})
