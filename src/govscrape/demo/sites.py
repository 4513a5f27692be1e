"""Assemble the demo portal in memory: four hosts, their columns, pages and behaviours.

Pages are generated from data.py when a server starts (≈ 130 pages, a few hundred KB, built in
well under a second), so the package ships code and two small attachments (a PDF, a .docx)
instead of a copy of every page, and the numbers on the pages cannot drift from the expected
answers; the .doc stand-in is built in memory (doc97.py). Links are relative to the host, so a
page's bytes (and its ETag) do not depend on the port it is served on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from urllib.parse import parse_qsl

from govscrape.demo import pages as P
from govscrape.demo.data import AGENCIES, CHALLENGED_SITES, REPORTS, Agency, DemoReport
from govscrape.demo.doc97 import build_doc
from govscrape.demo.render import body_html

# Attachments are written at build time (`python -m govscrape.demo.pdf`: reportlab, a test
# dependency; `python -m govscrape.demo.word`: python-docx) and shipped as package data, so
# running the demo never needs reportlab and the files' bytes (and ETags) never change.
PDF_RESOURCE = "portal"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC_TYPE = "application/msword"
# Hanweb serves attachments through a download module named by a query string (portals.md §1.11).
HANWEB_DOWNLOAD = "/module/download/downfile.jsp?classid=0&filename="
WORD_FORMS = ("docx", "doc")  # published as a Word file through Hanweb's download module
# Hanweb jpage: a column page embeds its first group of records; the proxy serves the others.
JPAGE_PROXY = "/module/web/jpage/dataproxy.jsp"
CHALLENGE_COOKIE = "__jsl_clearance_s=1705300000.318|0|gOvScRaPeDeMoToKeN%3D"
# The zone's 2022 report answers 500 the first time it is asked for: a transient fault.
FAIL_ONCE: frozenset[tuple[str, int]] = frozenset({("yunze-gxq", 2022)})


@dataclass(slots=True)
class Resource:
    """One URL of a demo host: its bytes and how the server treats requests for it."""

    body: bytes
    content_type: str
    modified: datetime
    fail_once: bool = False
    challenge: bool = False
    headers: tuple[tuple[str, str], ...] = ()  # extra response headers (Content-Disposition)


@dataclass(frozen=True, slots=True)
class JpageColumn:
    """The records of a Hanweb jpage column, for the proxy to serve by record number."""

    records: tuple[str, ...]  # <li> fragments, in listing order (newest first)
    dates: tuple[datetime, ...]  # each record's date, for Last-Modified


@dataclass(slots=True)
class Site:
    """One demo host (one server, one port)."""

    key: str
    family: str  # trs | hanweb | legacy: the CMS whose pages it serves
    host: P.Host
    encoding: str
    robots: str | None  # None: the host has no robots.txt (404)
    routes: dict[str, Resource] = field(default_factory=dict)
    jpage: dict[str, JpageColumn] = field(default_factory=dict)  # columnid -> records

    def add(self, path: str, text: str, modified: datetime, **behaviour: bool) -> None:
        ctype = "text/html" if self.encoding != "utf-8" else "text/html; charset=utf-8"
        self.routes[path] = Resource(text.encode(self.encoding), ctype, modified, **behaviour)

    def resource(self, path: str, query: str) -> Resource | None:
        """What the host serves at path?query: a fixed route, or a jpage proxy answer."""
        if path == JPAGE_PROXY:
            return self._jpage_answer(query)
        return self.routes.get(path + (f"?{query}" if query else ""))

    def _jpage_answer(self, query: str) -> Resource | None:
        """dataproxy.jsp?columnid=…&startrecord=S&endrecord=E: records S..E (1-based) as XML."""
        params = {k.lower(): v for k, v in parse_qsl(query)}
        column = self.jpage.get(params.get("columnid", ""))
        start, end = params.get("startrecord", ""), params.get("endrecord", "")
        if column is None or not (start.isdigit() and end.isdigit()) or int(start) < 1:
            return None
        first, last = int(start) - 1, int(end)
        if first >= len(column.records) or last <= first:
            return None
        body = P.hanweb_jpage_xml(column.records[first:last], len(column.records))
        modified = max(column.dates[first:last])
        return Resource(body.encode("utf-8"), "text/xml;charset=UTF-8", modified)


CITY_ROBOTS = "User-agent: *\nDisallow: /zwgk/zfxxgknb/lsbb/\nDisallow: /search/\n"
COUNTY_ROBOTS = "User-agent: *\nDisallow:\n"

# Items per listing page, and the pager each column uses (portals.md §1.5).
PER_PAGE = {"yunze-gov": 4, "yunze-jyj": 3, "yunze-scjgj": 4, "qingshi-gov": 5, "qingshi-bsz": 4,
            "yunze-gxq": 4, "yunze-wjw": 4, "qingshi-zrzyj": 4}  # fmt: skip
PAGERS = {"yunze-gov": "countPage", "yunze-jyj": "createPageHTML", "yunze-dfz": "countPage",
          "yunze-scjgj": "countPage", "qingshi-gov": "query", "qingshi-bsz": "next_link",
          "qingshi-wjj": "query", "yunze-gxq": "numbered", "yunze-wjw": "gkmlpt",
          "qingshi-czj": "datastore", "qingshi-zrzyj": "query"}  # fmt: skip
# jpage options of a `datastore` column: (perPage, groupSize). The column page embeds the first
# perPage x groupSize records; the rest come from JPAGE_PROXY in chunks of the same size. Small
# here so the finance bureau's nine items take the page and two proxy requests.
JPAGE_OPTIONS: dict[str, tuple[int, int]] = {"qingshi-czj": (2, 2)}
# Columns without a list in their HTML (portals.md §5.2, §5.3): `gkmlpt` pages are JSON from
# /gkmlpt/api/all/<cat>?page=N&sid=S behind an empty single-page app (GKMLPT_SHELL, which the
# front page links to); a `datastore` column embeds its items as XML for jpage.js.
GKMLPT_SHELL = "/gkmlpt/index"

# The market regulator's column is split into year sub-columns, TRS style (`2023_61223/`): its
# front page lists only the sub-columns (portals.md §1.3).
YEAR_COLUMNS: frozenset[str] = frozenset({"yunze-scjgj"})

# Off-topic entries in the report columns: (title, kind, date, text). `history` is an old copy
# of a report under a path robots.txt disallows.
_D = datetime
EXTRAS: dict[str, list[tuple[str, str, datetime, str]]] = {
    "yunze-gov": [
        ("云泽市召开2024年全市政务公开工作推进会", "news", _D(2024, 4, 12, 10),
         "4月12日，全市政务公开工作推进会召开，部署全年政务公开重点工作。"),
        ("图解：云泽市人民政府2023年政府信息公开工作年度报告", "jiedu", _D(2024, 3, 28, 9),
         "一图读懂云泽市人民政府2023年政府信息公开工作年度报告。"),
        ("《云泽市人民政府2022年政府信息公开工作年度报告》文字解读", "jiedu", _D(2023, 3, 29, 9),
         "现就云泽市人民政府2022年政府信息公开工作年度报告作如下解读。"),
        ("云泽市人民政府2020年政府信息公开工作年度报告（历史版本）", "history",
         _D(2021, 3, 10, 9), ""),
        ("云泽市人民政府信息公开指南", "news", _D(2019, 6, 1, 9),
         "为方便公民、法人和其他组织获取政府信息，编制本指南。"),
    ],
    "yunze-jyj": [
        ("云泽市教育局2023年政府信息公开工作年度报告文字解读", "jiedu", _D(2024, 1, 20, 9),
         "现就市教育局2023年政府信息公开工作年度报告解读如下。"),
    ],
    "yunze-scjgj": [
        ("市市场监管局召开政务公开业务培训会", "news", _D(2023, 6, 8, 15),
         "6月8日，市市场监管局召开政务公开业务培训会。"),
    ],
    "qingshi-gov": [
        ("关于做好2024年度政府信息公开工作年度报告编制发布工作的通知", "news",
         _D(2024, 12, 20, 9), "各乡镇人民政府，县政府各部门：现就做好年度报告编制发布工作通知如下。"),
        ("青石县2023年政府信息公开工作年度报告解读", "jiedu", _D(2024, 3, 20, 9),
         "现就青石县人民政府2023年政府信息公开工作年度报告解读如下。"),
    ],
    "qingshi-bsz": [
        ("白沙镇开展“政府开放日”活动", "news", _D(2023, 5, 15, 9),
         "5月15日，白沙镇开展“政府开放日”活动，邀请群众代表走进镇政府。"),
    ],
    "yunze-gxq": [
        ("高新区召开2023年度政务公开工作会", "news", _D(2023, 2, 10, 9),
         "2月10日，高新区召开2023年度政务公开工作会。"),
    ],
    "yunze-wjw": [
        ("云泽市卫生健康委员会2023年政府信息公开工作年度报告解读", "jiedu", _D(2024, 1, 25, 9),
         "现就市卫生健康委2023年政府信息公开工作年度报告解读如下。"),
        ("市卫生健康委开展政务公开日活动", "news", _D(2022, 5, 15, 9),
         "5月15日，市卫生健康委开展政务公开日活动。"),
    ],
    "qingshi-czj": [
        ("青石县2023年县级预算公开目录", "news", _D(2023, 2, 3, 9),
         "青石县2023年县级部门预算公开目录如下。"),
        ("青石县财政局2022年政府信息公开工作年度报告解读", "jiedu", _D(2023, 1, 16, 9),
         "现就县财政局2022年政府信息公开工作年度报告解读如下。"),
        ("青石县2021年县级部门决算公开目录", "news", _D(2022, 8, 26, 9),
         "青石县2021年县级部门决算公开目录如下。"),
    ],
}  # fmt: skip


def build_sites() -> dict[str, Site]:
    """The three demo hosts with every route, generated from data.py."""
    sites = {
        "city": Site("city", "trs", P.CITY_HOST, "utf-8", CITY_ROBOTS),
        "county": Site("county", "hanweb", P.COUNTY_HOST, "utf-8", COUNTY_ROBOTS),
        "waf": Site("waf", "hanweb", P.WAF_HOST, "utf-8", COUNTY_ROBOTS),
        "zone": Site("zone", "legacy", P.ZONE_HOST, "gbk", None),
    }
    for agency in AGENCIES:
        site = sites[agency.host]
        reports = sorted(
            (r for r in REPORTS if r.agency is agency), key=lambda r: r.published, reverse=True
        )
        entries = [_add_report(site, r) for r in reports]
        extras = EXTRAS.get(agency.site_id, [])
        entries += [_add_extra(site, agency, extra, n) for n, extra in enumerate(extras)]
        _add_column(site, agency, entries)
    for site in sites.values():
        _add_home(site)
    return sites


def _add_home(site: Site) -> None:
    """A front page linking to the host's report columns, as every portal's nav does."""
    columns = [a for a in AGENCIES if a.host == site.key]
    links = [(f"{a.name}政府信息公开年报", _front(a)) for a in columns]
    challenge = any(a.site_id in CHALLENGED_SITES for a in columns)
    site.add(
        "/", P.home_page(site.family, site.host, links), datetime(2019, 1, 1), challenge=challenge
    )


def _front(agency: Agency) -> str:
    """Where a browser enters a column (for a gkmlpt column, the app; not its JSON API)."""
    return GKMLPT_SHELL if PAGERS.get(agency.site_id) == "gkmlpt" else agency.column


def folder_of(agency: Agency, year: int) -> str:
    """The listing folder holding an agency's items of a year: a year sub-column or the column."""
    if agency.site_id in YEAR_COLUMNS:
        return f"{agency.column}{year}_{61200 + year % 100}/"
    return agency.column.rsplit("/", 1)[0] + "/"


def report_path(report: DemoReport) -> str:
    """The path of a report's page on its host."""
    folder = folder_of(report.agency, report.year)
    return detail_path(report.agency, report.published, report.doc_id, folder)


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
    return f"P0{report.published:%Y%m%d}{report.doc_id}{report.doc_id % 89:02d}.pdf"


def attachment_name(report: DemoReport) -> str:
    """The file name of a report's attachment: TRS `P0….pdf`, Hanweb `<timestamp>.docx|.doc`."""
    if report.form in WORD_FORMS:
        return f"{report.published:%y%m%d%H%M}{report.doc_id % 100000:05d}.{report.form}"
    return pdf_name(report)


def attachment_bytes(report: DemoReport) -> bytes:
    if report.form == "doc":
        return build_doc(report)
    name = attachment_name(report)
    return resources.files("govscrape.demo").joinpath(PDF_RESOURCE, name).read_bytes()


def pdf_bytes(report: DemoReport) -> bytes:
    return attachment_bytes(report)


def attachment_path(report: DemoReport) -> str | None:
    """Where a report's attachment is served (beside a TRS page; Hanweb's download module)."""
    if report.form == "pdf":
        return report_path(report).rsplit("/", 1)[0] + "/" + pdf_name(report)
    if report.form in WORD_FORMS:
        return HANWEB_DOWNLOAD + attachment_name(report)
    return None


Entry = tuple[str, P.Item]  # (listing folder, item)


def _add_report(site: Site, report: DemoReport) -> Entry:
    agency = report.agency
    path = report_path(report)
    behaviour = {
        "fail_once": (agency.site_id, report.year) in FAIL_ONCE,
        "challenge": agency.site_id in CHALLENGED_SITES,
    }
    site.add(path, _report_page(site, report), report.published, **behaviour)
    if (file_path := attachment_path(report)) is not None:
        site.routes[file_path] = _attachment(report)
    return folder_of(agency, report.year), P.Item(report.title, path, report.published)


def _attachment(report: DemoReport) -> Resource:
    if report.form == "pdf":
        return Resource(attachment_bytes(report), "application/pdf", report.published)
    # Hanweb's download module names the file in a header; it sends a generic type for a .docx
    # (its table of types predates OOXML) and the registered one for a .doc.
    disposition = f'attachment; filename="{attachment_name(report)}"'
    ctype = DOC_TYPE if report.form == "doc" else "application/octet-stream"
    return Resource(
        attachment_bytes(report), ctype, report.published,
        headers=(("Content-Disposition", disposition),),
    )  # fmt: skip


def _report_page(site: Site, report: DemoReport) -> str:
    if PAGERS.get(report.agency.site_id) == "gkmlpt":
        return P.gkmlpt_detail(site.host, report, body_html(report))
    if site.family == "trs":
        attachment = f"./{pdf_name(report)}" if report.form == "pdf" else None
        return P.trs_detail(site.host, report, body_html(report), attachment)
    if site.family == "hanweb":
        attachment = attachment_path(report) if report.form in WORD_FORMS else None
        body = body_html(report, word_style=True)
        return P.hanweb_detail(site.host, report, body, attachment)
    garbled = "parse.mojibake" in report.findings
    return P.legacy_detail(report, body_html(report), garbled=garbled)


def _add_extra(site: Site, agency: Agency, extra: tuple[str, str, datetime, str], n: int) -> Entry:
    title, kind, when, text = extra
    doc_id = 4_600_000 + 37 * n + len(agency.site_id)
    folder = folder_of(agency, when.year)
    path = detail_path(agency, when, doc_id, folder)
    if kind == "history":
        path = f"{agency.column}lsbb/{when:%Y%m}/t{when:%Y%m%d}_{doc_id}.html"
        old = next(r for r in REPORTS if r.agency is agency and r.year == 2020)
        site.add(path, _report_page(site, old), when)
        return folder, P.Item(title, path, when)
    page = {"trs": P.trs_page, "hanweb": P.hanweb_page}.get(site.family)
    if PAGERS.get(agency.site_id) == "gkmlpt":
        page = P.gkmlpt_page
    html = page(site.host, title, when, text) if page else P.legacy_page(title, when, text)
    site.add(path, html, when, challenge=agency.site_id in CHALLENGED_SITES)
    return folder, P.Item(title, path, when)


def _add_column(site: Site, agency: Agency, entries: list[Entry]) -> None:
    """The column's listing pages; a year-split column gets a front page of sub-columns."""
    folders: dict[str, list[P.Item]] = {}
    for folder, item in entries:
        folders.setdefault(folder, []).append(item)
    for folder, items in folders.items():
        items.sort(key=lambda it: it.date, reverse=True)
        _add_listing(site, agency, folder, items)
    if agency.site_id in YEAR_COLUMNS:
        subs = sorted(folders, reverse=True)
        links = [
            (f"{sub.rstrip('/').rsplit('/', 1)[-1][:4]}年", "./" + sub.removeprefix(agency.column))
            for sub in subs
        ]
        modified = max(it.date for items in folders.values() for it in items)
        html = P.trs_subcolumns(site.host, _column_name(site, agency), links)
        for path in (agency.column, agency.column + "index.html"):
            site.add(path, html, modified)


def _add_listing(site: Site, agency: Agency, folder: str, items: list[P.Item]) -> None:
    per_page = PER_PAGE.get(agency.site_id, 10)
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
    pager = PAGERS[agency.site_id]
    challenge = agency.site_id in CHALLENGED_SITES
    if pager == "gkmlpt":
        _add_gkmlpt(site, agency, chunks, len(items))
        return
    if pager == "datastore":
        _add_jpage(site, agency, folder, items)
        return
    for n, chunk in enumerate(chunks):
        modified = max((it.date for it in chunk), default=datetime(2019, 1, 1))
        html = _listing_html(site, agency, folder, chunk, n, len(chunks))
        for path in _listing_paths(folder, pager, n):
            site.add(path, html, modified, challenge=challenge)


def _add_gkmlpt(site: Site, agency: Agency, chunks: list[list[P.Item]], total: int) -> None:
    """The app shell and the JSON pages of a gkmlpt column (`?page=N&sid=S`, N from 1)."""
    api, query = agency.column.split("?", 1)
    first_modified = max((it.date for it in chunks[0]), default=datetime(2019, 1, 1))
    site.add(GKMLPT_SHELL, P.gkmlpt_shell(site.host, site.host.name), first_modified)
    for n, chunk in enumerate(chunks):
        modified = max((it.date for it in chunk), default=datetime(2019, 1, 1))
        body = P.gkmlpt_api(chunk, total, n + 1, PER_PAGE[agency.site_id])
        path = f"{api}?{query.replace('page=1', f'page={n + 1}', 1)}"
        site.routes[path] = Resource(body.encode(), "application/json; charset=utf-8", modified)


def _add_jpage(site: Site, agency: Agency, folder: str, items: list[P.Item]) -> None:
    """A Hanweb jpage column: its page embeds the first group of records as <datastore> XML and
    JPAGE_PROXY serves any range of them (the page names the column in its <nextgroup> link)."""
    per_page, group = JPAGE_OPTIONS.get(agency.site_id, (15, 3))  # jpage's own defaults
    unit = int(agency.column.split("/")[2].removeprefix("col"))
    records = tuple(P.jpage_record(it) for it in items)
    site.jpage[str(unit)] = JpageColumn(records, tuple(it.date for it in items))
    options = P.JpageOptions(unit, per_page, group, len(records))
    html = P.hanweb_datastore_listing(
        site.host, _column_name(site, agency), options, records[: per_page * group]
    )
    modified = max((it.date for it in items), default=datetime(2019, 1, 1))
    for path in _listing_paths(folder, "datastore", 0):
        site.add(path, html, modified)


def _listing_paths(base: str, pager: str, n: int) -> list[str]:
    """The URL(s) of page n (0-based) of a listing; a listing's first page has two names."""
    if pager in ("countPage", "createPageHTML"):
        return [base, base + "index.html"] if n == 0 else [f"{base}index_{n}.html"]
    if pager == "query":
        first = [base + "index.html", base + "index.html?page=1"]
        return first if n == 0 else [f"{base}index.html?page={n + 1}"]
    if pager == "next_link":
        return [base + "index.html"] if n == 0 else [f"{base}list_{n + 1}.html"]
    if pager == "datastore":  # one page: the rest of the column comes from JPAGE_PROXY
        return [base + "index.html"]
    return [base, base + "1.html"] if n == 0 else [f"{base}{n + 1}.html"]


def _column_name(site: Site, agency: Agency) -> str:
    return "政府信息公开年报" if agency.name == site.host.name else f"{agency.name}信息公开年报"


def _listing_html(
    site: Site, agency: Agency, folder: str, items: list[P.Item], n: int, pages: int
) -> str:
    column, pager = _column_name(site, agency), PAGERS[agency.site_id]
    if site.family == "trs":
        rel = [P.Item(it.title, "./" + it.href.removeprefix(folder), it.date) for it in items]
        return P.trs_listing(site.host, column, rel, n, pages, pager)
    if site.family == "hanweb":
        return P.hanweb_listing(site.host, column, items, _county_pager(pager, n, pages))
    return P.legacy_listing(items, n + 1, pages)


def _county_pager(pager: str, n: int, pages: int) -> str:
    """首页 / 上一页 / 下一页 / 尾页 anchors, by query string or by file name."""

    def href(k: int) -> str:
        if pager == "query":
            return "index.html" if k == 0 else f"index.html?page={k + 1}"
        return "index.html" if k == 0 else f"list_{k + 1}.html"

    parts = [f'<a href="{href(0)}">首页</a>']
    if n > 0:
        parts.append(f'<a href="{href(n - 1)}">上一页</a>')
    if n + 1 < pages:
        parts.append(f'<a href="{href(n + 1)}">下一页</a>')
    parts.append(f'<a href="{href(pages - 1)}">尾页</a>')
    return " ".join(parts) + f" 共{pages}页"
