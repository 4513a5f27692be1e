"""Assemble the demo portal in memory: four hosts, their columns, pages and behaviours.

Pages are generated from data.py when a server starts (≈ 130 pages, a few hundred KB, built in
well under a second), so the package ships code and two small attachments (a PDF, a .docx)
instead of a copy of every page, and the numbers on the pages cannot drift from the expected
answers; the .doc stand-in is built in memory (doc97.py). Links are relative to the host, so a
page's bytes (and its ETag) do not depend on the port it is served on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from govscrape.demo.agencies import CHALLENGED_SITES, COLUMN_AGENCIES, Agency, column_owner
from govscrape.demo.data import REPORTS, every_report
from govscrape.demo.pages import home_page
from govscrape.demo.pages_common import CITY_HOST, COUNTY_HOST, WAF_HOST, ZONE_HOST, Host, Item
from govscrape.demo.pages_gkmlpt import gkmlpt_detail, gkmlpt_page
from govscrape.demo.pages_hanweb import hanweb_detail, hanweb_page
from govscrape.demo.pages_legacy import legacy_detail, legacy_page
from govscrape.demo.pages_trs import trs_detail, trs_page
from govscrape.demo.render import body_html
from govscrape.demo.report_numbers import DemoReport
from govscrape.demo.site_listings import add_column
from govscrape.demo.site_model import CORRECTED, Resource, Site
from govscrape.demo.site_paths import (
    DOC_TYPE,
    GKMLPT_SHELL,
    PAGERS,
    WORD_FORMS,
    attachment_bytes,
    attachment_name,
    attachment_path,
    detail_path,
    folder_of,
    pdf_name,
    report_path,
)

CHALLENGE_COOKIE = "__jsl_clearance_s=1705300000.318|0|gOvScRaPeDeMoToKeN%3D"
# The zone's 2022 report answers 500 the first time it is asked for: a transient fault.
FAIL_ONCE: frozenset[tuple[str, int]] = frozenset({("yunze-gxq", 2022)})
# The report corrected in place (更正) while the CORRECTED switch is on: same address, new bytes.
CORRECTED_REPORT = ("yunze-gov", 2024)
CORRECTION_NOTE = "<p>（更正说明：本报告于2025年3月20日更正，修改了第一部分的文字表述。）</p>"

CITY_ROBOTS = "User-agent: *\nDisallow: /zwgk/zfxxgknb/lsbb/\nDisallow: /search/\n"
COUNTY_ROBOTS = "User-agent: *\nDisallow:\n"

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
        "city": Site("city", "trs", CITY_HOST, "utf-8", CITY_ROBOTS),
        "county": Site("county", "hanweb", COUNTY_HOST, "utf-8", COUNTY_ROBOTS),
        "waf": Site("waf", "hanweb", WAF_HOST, "utf-8", COUNTY_ROBOTS),
        "zone": Site("zone", "legacy", ZONE_HOST, "gbk", None),
    }
    for agency in COLUMN_AGENCIES:
        site = sites[agency.host]
        reports = sorted(
            (r for r in every_report() if column_owner(r.agency) is agency),
            key=lambda r: r.published,
            reverse=True,
        )
        entries = [_add_report(site, r) for r in reports]
        extras = EXTRAS.get(agency.site_id, [])
        entries += [_add_extra(site, agency, extra, n) for n, extra in enumerate(extras)]
        add_column(site, agency, entries)
    for site in sites.values():
        _add_home(site)
    return sites


def _add_home(site: Site) -> None:
    """A front page linking to the host's report columns, as every portal's nav does."""
    columns = [a for a in COLUMN_AGENCIES if a.host == site.key]
    links = [(f"{a.name}政府信息公开年报", _front(a)) for a in columns]
    challenge = any(a.site_id in CHALLENGED_SITES for a in columns)
    site.add(
        "/", home_page(site.family, site.host, links), datetime(2019, 1, 1), challenge=challenge
    )


def _front(agency: Agency) -> str:
    """Where a browser enters a column (for a gkmlpt column, the app; not its JSON API)."""
    return GKMLPT_SHELL if PAGERS.get(agency.site_id) == "gkmlpt" else agency.column


Entry = tuple[str, Item]  # (listing folder, item)


def _add_report(site: Site, report: DemoReport) -> Entry:
    agency, column = report.agency, column_owner(report.agency)
    path = report_path(report)
    behaviour = {
        "fail_once": (agency.site_id, report.year) in FAIL_ONCE,
        "challenge": column.site_id in CHALLENGED_SITES,
    }
    site.add(path, _report_page(site, report), report.published, **behaviour)
    if (agency.site_id, report.year) == CORRECTED_REPORT:
        corrected = _report_page(site, report).replace(
            'class="TRS_Editor">\n', 'class="TRS_Editor">\n' + CORRECTION_NOTE + "\n", 1
        )
        resource = Resource(corrected.encode(site.encoding), site.routes[path].content_type,
                            datetime(2025, 3, 20, 9))  # fmt: skip
        site.vary(CORRECTED, path, resource)
    if (file_path := attachment_path(report)) is not None:
        site.routes[file_path] = _attachment(report)
    return folder_of(column, report.year), Item(report.title, path, report.published)


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
    if PAGERS.get(column_owner(report.agency).site_id) == "gkmlpt":
        return gkmlpt_detail(site.host, report, body_html(report))
    if site.family == "trs":
        attachment = f"./{pdf_name(report)}" if report.form == "pdf" else None
        return trs_detail(site.host, report, body_html(report), attachment)
    if site.family == "hanweb":
        attachment = attachment_path(report) if report.form in WORD_FORMS else None
        body = body_html(report, word_style=True)
        return hanweb_detail(site.host, report, body, attachment)
    garbled = "parse.mojibake" in report.findings
    return legacy_detail(report, body_html(report), garbled=garbled)


def _add_extra(site: Site, agency: Agency, extra: tuple[str, str, datetime, str], n: int) -> Entry:
    title, kind, when, text = extra
    doc_id = 4_600_000 + 37 * n + len(agency.site_id)
    folder = folder_of(agency, when.year)
    path = detail_path(agency, when, doc_id, folder)
    if kind == "history":
        path = f"{agency.column}lsbb/{when:%Y%m}/t{when:%Y%m%d}_{doc_id}.html"
        old = next(r for r in REPORTS if r.agency is agency and r.year == 2020)
        site.add(path, _report_page(site, old), when)
        return folder, Item(title, path, when)
    page: Callable[[Host, str, datetime, str], str] | None
    page = {"trs": trs_page, "hanweb": hanweb_page}.get(site.family)
    if PAGERS.get(agency.site_id) == "gkmlpt":
        page = gkmlpt_page
    html = page(site.host, title, when, text) if page else legacy_page(title, when, text)
    site.add(path, html, when, challenge=agency.site_id in CHALLENGED_SITES)
    return folder, Item(title, path, when)
