"""Listing pages → report links, next pages, child columns; report pages → attachments. No network.

URL policy lives in url_policy.py, link wording in link_wording.py, link finding in anchors.py and
pagination in pagination.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from govscrape.crawl.anchors import Anchor, dom_anchors, file_anchors
from govscrape.crawl.antibot import is_home_url
from govscrape.crawl.config import SiteConfig
from govscrape.crawl.link_wording import REPORT_TITLE, clean_text, has_report_body, is_report_title
from govscrape.crawl.listing_formats import datastore_html, json_listing, redirect_target
from govscrape.crawl.pagination import (
    PageLink,
    find_pages,
    next_static_page,
    stated_counts,
    template_pages,
)
from govscrape.crawl.url_policy import is_allowed, normalise_url

_REPORT_WORDING = re.compile(REPORT_TITLE)
SUBCOLUMN_PATH = re.compile(r"/(?:index\.s?html?|list\.s?html?)?$")


@dataclass(frozen=True, slots=True)
class Link:
    """A URL found on a page: `kind` is report | attachment; `title` the link's text."""

    url: str
    title: str
    kind: str = "report"


@dataclass(frozen=True, slots=True)
class Listing:
    """What a listing page offers: reports, further pages of itself, and child columns."""

    reports: list[Link]
    pages: list[PageLink]
    subcolumns: list[str]
    items: int = 0  # entries worded like a report (解读 and other companions included)
    stated_items: int | None = None  # what the page says its column holds (TRS recordCount)
    stated_pages: int | None = None  # … in pages (createPageHTML / countPage)
    probe: str | None = None  # pages[0] is a static page guessed from the stated count


@dataclass(frozen=True, slots=True)
class ReportPage:
    """A report page: whether its body looks like a report, and the report's attachments."""

    has_report_body: bool
    attachments: list[Link]


def parse_listing(url: str, html: str, site: SiteConfig) -> Listing:
    """Report links, pagination and child columns of a listing page (HTML or a JSON API)."""
    if (api := json_listing(url, html)) is not None:
        return _json_listing(api, site)
    tree = LexborHTMLParser(html)
    anchors = dom_anchors(url, tree)
    if extra := datastore_html(html):
        anchors += dom_anchors(url, LexborHTMLParser(extra))
    reports: dict[str, Link] = {}
    for a in anchors:
        if is_allowed(a.url, site) and a.url not in reports and (link := _report_link(a, site)):
            reports[a.url] = link
    pages = find_pages(url, html, anchors, site) if site.pagination == "auto" else []
    if "{n}" in site.pagination:
        pages = template_pages(url, site.pagination)
    page_urls = {p.url for p in pages}
    subcolumns = [
        a.url
        for a in anchors
        if a.url not in reports and a.url not in page_urls and is_subcolumn(url, a.url)
        and is_allowed(a.url, site)
    ]  # fmt: skip
    pages = [p for p in pages if is_allowed(p.url, site)]
    items = len({a.url for a in anchors if _is_item(a)})
    stated_items, stated_pages = stated_counts(html)
    probe = None
    if stated_items and stated_items > items and not pages and site.pagination == "auto":
        # Only the first page is static, by the script's own count: follow index_N if it exists.
        guess = next_static_page(url)
        if is_allowed(guess.url, site):
            pages, probe = [guess], guess.url
    return Listing(
        list(reports.values()), pages, list(dict.fromkeys(subcolumns)), items, stated_items,
        stated_pages, probe,
    )  # fmt: skip


def _is_item(a: Anchor) -> bool:
    """An entry of the list worded like a report (companions too), not a link to a column
    (the breadcrumb's 信息公开年报, a year sub-column)."""
    return bool(_REPORT_WORDING.search(a.title or a.text)) and not SUBCOLUMN_PATH.search(
        urlsplit(a.url).path
    )


def _report_link(a: Anchor, site: SiteConfig) -> Link | None:
    # A list item linking straight to a file is the report itself.
    for text in (a.title, a.text):
        if is_report_title(text, site):
            return Link(a.url, text, "report")
    return None


def _json_listing(
    api: tuple[list[tuple[str, str]], list[tuple[str, int]]], site: SiteConfig
) -> Listing:
    articles, next_pages = api
    reports: dict[str, Link] = {}
    for title, link in articles:
        url = normalise_url(link)
        if is_allowed(url, site) and is_report_title(title, site):
            reports.setdefault(url, Link(url, clean_text(title), "report"))
    pages = [PageLink(normalise_url(u), n) for u, n in next_pages]
    return Listing(list(reports.values()), [p for p in pages if is_allowed(p.url, site)], [])


def find_redirect(url: str, html: str, site: SiteConfig) -> str | None:
    """The target of a meta-refresh / script-location stub page, when it stays on the site."""
    target = redirect_target(url, html)
    if target is None:
        return None
    target = normalise_url(target)
    # A hop to the front page is a column that is gone (a soft 404), not a page to crawl.
    if target == normalise_url(url) or is_home_url(target) or not is_allowed(target, site):
        return None
    return target


def is_subcolumn(listing_url: str, url: str) -> bool:
    """A column below the listing's own folder (docs/portal-families.md#sub-columns)."""
    base, target = urlsplit(listing_url), urlsplit(url)
    if base.netloc != target.netloc or target.query:
        return False
    folder = base.path.rsplit("/", 1)[0] + "/"
    if not target.path.startswith(folder) or not SUBCOLUMN_PATH.search(target.path):
        return False
    rest = target.path[len(folder) :]
    return "/" in rest.rstrip("/") or (rest.endswith("/") and bool(rest.strip("/")))


def inspect_report(url: str, html: str, site: SiteConfig) -> ReportPage:
    """Body check and the attachment links that hold the report (or all, for stub pages)."""
    candidates = [a for a in file_anchors(url, html) if is_allowed(a.url, site)]
    full_body = has_report_body(html)
    if not full_body and candidates:  # markers split by inline tags (Word-pasted HTML)?
        tree = LexborHTMLParser(html)
        full_body = has_report_body(tree.body.text(deep=True) if tree.body is not None else html)
    # A page that is only a stub holds the report in its files, whatever their link text says.
    take_all = site.attachments_are_report or not full_body
    attachments: dict[str, Link] = {}
    for a in candidates:
        title = a.title or a.text
        if a.url not in attachments and (take_all or _names_report(a, site)):
            attachments[a.url] = Link(a.url, title, "attachment")
    return ReportPage(full_body, list(attachments.values()))


def _names_report(anchor: Anchor, site: SiteConfig) -> bool:
    file_name = urlsplit(anchor.url).path.rsplit("/", 1)[-1]
    return any(is_report_title(t, site) for t in (anchor.title, anchor.text, file_name))
