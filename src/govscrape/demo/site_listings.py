"""The listing pages of a demo column, as each CMS pages it: TRS, Hanweb, gkmlpt JSON, jpage."""

from __future__ import annotations

from datetime import datetime

from govscrape.demo.agencies import CHALLENGED_SITES, Agency
from govscrape.demo.pages_common import Item
from govscrape.demo.pages_gkmlpt import gkmlpt_api, gkmlpt_shell
from govscrape.demo.pages_hanweb import (
    JpageOptions,
    hanweb_datastore_listing,
    hanweb_listing,
    jpage_record,
)
from govscrape.demo.pages_legacy import legacy_listing
from govscrape.demo.pages_trs import trs_listing, trs_subcolumns
from govscrape.demo.site_model import SCRIPT_ONLY, JpageColumn, Resource, Site
from govscrape.demo.site_paths import GKMLPT_SHELL, PAGERS, YEAR_COLUMNS

# Items per listing page.
PER_PAGE = {"yunze-gov": 4, "yunze-jyj": 4, "yunze-scjgj": 4, "qingshi-gov": 5, "qingshi-bsz": 4,
            "yunze-gxq": 4, "yunze-wjw": 4, "qingshi-zrzyj": 4, "qingshi-bmnb": 8,
            "yunze-dfz": 4}  # fmt: skip
# Columns named otherwise than after their agency: the county's shared 部门年报 column.
COLUMN_TITLES = {"qingshi-bmnb": "部门政府信息公开年报"}
# jpage options of a `datastore` column: (perPage, groupSize). The column page embeds the first
# perPage x groupSize records; the rest come from JPAGE_PROXY in chunks of the same size. Small
# here so the finance bureau's nine items take the page and two proxy requests.
JPAGE_OPTIONS: dict[str, tuple[int, int]] = {"qingshi-czj": (2, 2)}


def add_column(site: Site, agency: Agency, entries: list[tuple[str, Item]]) -> None:
    """The column's listing pages; a year-split column gets a front page of sub-columns."""
    folders: dict[str, list[Item]] = {}
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
        html = trs_subcolumns(site.host, column_name(site, agency), links)
        for path in (agency.column, agency.column + "index.html"):
            site.add(path, html, modified)


def _add_listing(site: Site, agency: Agency, folder: str, items: list[Item]) -> None:
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
        html = _listing_html(site, agency, folder, chunk, n, len(chunks), len(items))
        for path in _listing_paths(folder, pager, n):
            site.add(path, html, modified, challenge=challenge)
            if pager == "listModel" and n:  # a static copy the portal may stop writing
                site.vary(SCRIPT_ONLY, path, None)


def _add_gkmlpt(site: Site, agency: Agency, chunks: list[list[Item]], total: int) -> None:
    """The app shell and the JSON pages of a gkmlpt column (`?page=N&sid=S`, N from 1)."""
    api, query = agency.column.split("?", 1)
    first_modified = max((it.date for it in chunks[0]), default=datetime(2019, 1, 1))
    site.add(GKMLPT_SHELL, gkmlpt_shell(site.host, site.host.name), first_modified)
    for n, chunk in enumerate(chunks):
        modified = max((it.date for it in chunk), default=datetime(2019, 1, 1))
        body = gkmlpt_api(chunk, total, n + 1, PER_PAGE[agency.site_id])
        path = f"{api}?{query.replace('page=1', f'page={n + 1}', 1)}"
        site.routes[path] = Resource(body.encode(), "application/json; charset=utf-8", modified)


def _add_jpage(site: Site, agency: Agency, folder: str, items: list[Item]) -> None:
    """A Hanweb jpage column: its page embeds the first group of records as <datastore> XML and
    JPAGE_PROXY serves any range of them (the page names the column in its <nextgroup> link)."""
    per_page, group = JPAGE_OPTIONS.get(agency.site_id, (15, 3))  # jpage's own defaults
    unit = int(agency.column.split("/")[2].removeprefix("col"))
    records = tuple(jpage_record(it) for it in items)
    site.jpage[str(unit)] = JpageColumn(records, tuple(it.date for it in items))
    options = JpageOptions(unit, per_page, group, len(records))
    html = hanweb_datastore_listing(
        site.host, column_name(site, agency), options, records[: per_page * group]
    )
    modified = max((it.date for it in items), default=datetime(2019, 1, 1))
    for path in _listing_paths(folder, "datastore", 0):
        site.add(path, html, modified)


def _listing_paths(base: str, pager: str, n: int) -> list[str]:
    """The URL(s) of page n (0-based) of a listing; a listing's first page has two names."""
    if pager in ("countPage", "createPageHTML", "listModel"):
        return [base, base + "index.html"] if n == 0 else [f"{base}index_{n}.html"]
    if pager == "query":
        first = [base + "index.html", base + "index.html?page=1"]
        return first if n == 0 else [f"{base}index.html?page={n + 1}"]
    if pager == "next_link":
        return [base + "index.html"] if n == 0 else [f"{base}list_{n + 1}.html"]
    if pager == "datastore":  # one page: the rest of the column comes from JPAGE_PROXY
        return [base + "index.html"]
    return [base, base + "1.html"] if n == 0 else [f"{base}{n + 1}.html"]


def column_name(site: Site, agency: Agency) -> str:
    """The column's name as its pages print it."""
    if agency.site_id in COLUMN_TITLES:
        return COLUMN_TITLES[agency.site_id]
    return "政府信息公开年报" if agency.name == site.host.name else f"{agency.name}信息公开年报"


def _listing_html(
    site: Site, agency: Agency, folder: str, items: list[Item], n: int, pages: int, total: int
) -> str:
    column, pager = column_name(site, agency), PAGERS[agency.site_id]
    if site.family == "trs":
        rel = [Item(it.title, "./" + it.href.removeprefix(folder), it.date) for it in items]
        return trs_listing(site.host, column, rel, n, pages, pager, total)
    if site.family == "hanweb":
        return hanweb_listing(site.host, column, items, _county_pager(pager, n, pages))
    return legacy_listing(items, n + 1, pages)


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
