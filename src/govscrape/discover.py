"""Listing pages → report links and next pages; report pages → attachments. Pure, no network."""

from __future__ import annotations

import html as htmllib
import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

from govscrape.antibot import is_home_url
from govscrape.config import SiteConfig
from govscrape.listing_formats import (
    datastore_html,
    jpage_next,
    jpage_page_number,
    json_listing,
    redirect_target,
)

# --- wording, as data -------------------------------------------------------------------------
# Report titles: 「…政府信息公开工作年度报告」, 「…年度政府\n信息公开工作年度报告」, 「…政务信息公开年报」,
# 「…信息年度报告」, 「…政府信息公开工作报告」, 「…公开年报」 (portals.md §1.7).
REPORT_TITLE = r"年度报告|信息公开.{0,6}(?:年报|报告)|公开年报|信息年报|年度工作报告"
# Companions that share the words but are not the report (portals.md §1.7).
COMPANION_TITLE = r"解读|图解|一图|图读|制度|格式|通知|说明|指南|问答|模板|目录|工作要点|新闻发布"
# Strings only a real report body carries (the 2019/2021 format's fixed sections and tables).
REPORT_BODY_MARKERS = (
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议",
    "行政复议",
    "申请人情况",
    "第二十条第",
    "存在的主要问题",
)
# File types a report may be published as (portals.md §1.10); .et is WPS's spreadsheet.
ATTACHMENT_EXTS = ("pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "ofd", "rtf")
NEXT_PAGE_TEXTS = ("下一页", "下页", "后一页", "下一頁", "next", ">", "›", "»", ">>")
# Links back (首页, 上一页) lead to pages already seen, and page 1 is often a second URL
# (index.html) for the listing's own address, so only forward links count.
PAGE_LINK_TEXTS = ("尾页", "末页", "最后一页")
# Query parameters that number a listing's pages (portals.md §1.5).
PAGE_PARAMS = ("page", "cur_page", "currpage", "currentpage", "pageno", "pageindex", "pagenum",
               "pn", "p", "curpage")  # fmt: skip
# Path shapes of a numbered page: index_3.html, index_3.shtml, column-index-3.shtml, /3.html.
PAGE_PATH = re.compile(
    r"(?:^|/)(?:index|[\w-]*-index)[_-](\d+)\.s?html?$|(?:^|/)(\d{1,3})\.s?html?$"
)
SUBCOLUMN_PATH = re.compile(r"/(?:index\.s?html?|list\.s?html?)?$")

_WS = re.compile(r"\s+")
_FILE_EXT = re.compile(r"\.(" + "|".join(ATTACHMENT_EXTS) + r")$", re.I)
# Pages of a JS pager announced ahead of the current one: a failed page does not end the walk,
# and a listing of N pages costs N small steps rather than N pages announced N times.
PAGE_LOOKAHEAD = 2
# Report pages are only searched for file links, so a regex over the raw HTML does, at a tenth of
# the cost of building a DOM (it also sees links that scripts write with document.write).
_FILE_HINT = re.compile(r"\.(?:" + "|".join(ATTACHMENT_EXTS) + r")\b", re.I)
_ANCHOR_TAG = re.compile(r"<a\s([^>]*)>(.{0,2000}?)</a\s*>", re.I | re.S)
_ATTR = re.compile(
    r"""\b(href|title)\s*=\s*(?:\\?"([^"\\]*)\\?"|\\?'([^'\\]*)\\?'|([^\s>"']+))""", re.I
)
_BASE_HREF = re.compile(r"""<base\s[^>]*href\s*=\s*["']?([^"'\s>]+)""", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")
_COUNT_PAGE = re.compile(r"\bvar\s+countPage\s*=\s*[\"']?(\d+)")
_CURRENT_PAGE = re.compile(r"\bvar\s+currentPage\s*=\s*[\"']?(\d+)")
_CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_JS_ARG = re.compile(r"""\s*(?:(\d+)|["']([^"']*)["']|[\w.$]+)\s*""")
_PRIVATE_NAMES = ("localhost", "localhost.localdomain")


@dataclass(frozen=True, slots=True)
class Link:
    """A URL found on a page: `kind` is report | attachment; `title` the link's text."""

    url: str
    title: str
    kind: str = "report"


@dataclass(frozen=True, slots=True)
class PageLink:
    """Another page of a listing; `number` is its 1-based page number when the page says so."""

    url: str
    number: int | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """What a listing page offers: reports, further pages of itself, and child columns."""

    reports: list[Link]
    pages: list[PageLink]
    subcolumns: list[str]


@dataclass(frozen=True, slots=True)
class ReportPage:
    """A report page: whether its body looks like a report, and the report's attachments."""

    has_report_body: bool
    attachments: list[Link]


@dataclass(frozen=True, slots=True)
class _Anchor:
    url: str
    text: str
    title: str


# --- URL policy --------------------------------------------------------------------------------
def normalise_url(url: str) -> str:
    """Drop the fragment and lower-case scheme and host, so one page has one URL."""
    url, _ = urldefrag(url.strip())
    parts = urlsplit(url)
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def is_private_host(host: str) -> bool:
    """True for loopback, private, link-local and reserved literal addresses and localhost."""
    host = host.strip("[]").lower()
    if host in _PRIVATE_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def host_allowed(host: str, domains: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def is_allowed(url: str, site: SiteConfig) -> bool:
    """http(s) only, on the site's allowed domains, never private unless the entry allows it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if not host_allowed(parts.hostname, site.allowed_domains):
        return False
    return site.allow_private_addresses or not is_private_host(parts.hostname)


# --- wording -----------------------------------------------------------------------------------
@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


def clean_text(text: str) -> str:
    """Whitespace removed between CJK (titles are split over lines), collapsed elsewhere."""
    text = _WS.sub(" ", text.replace("\u3000", " ")).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)


def is_report_title(text: str, site: SiteConfig) -> bool:
    """The link text or title names an annual report and not a companion (解读, 通知, …)."""
    text = clean_text(text)
    if not text or not _compiled(site.link_pattern or REPORT_TITLE).search(text):
        return False
    return not _compiled(site.exclude_pattern or COMPANION_TITLE).search(text)


def has_report_body(text: str) -> bool:
    """At least two of the format's fixed strings: the page itself carries the report."""
    found = 0
    for marker in REPORT_BODY_MARKERS:  # most likely first: a real report stops after two
        found += marker in text
        if found == 2:
            return True
    return False


def is_file_url(url: str) -> bool:
    parts = urlsplit(url)
    return bool(_FILE_EXT.search(parts.path) or _FILE_EXT.search(parts.query))


# --- HTML --------------------------------------------------------------------------------------
def _anchors(url: str, tree: LexborHTMLParser) -> list[_Anchor]:
    base = url
    if (node := tree.css_first("base[href]")) is not None:
        base = urljoin(url, node.attributes.get("href") or "")
    found = []
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        text = clean_text(node.text(deep=True, separator=" "))
        title = clean_text(node.attributes.get("title") or "")
        found.append(_Anchor(normalise_url(urljoin(base, href)), text, title))
    return found


def parse_listing(url: str, html: str, site: SiteConfig) -> Listing:
    """Report links, pagination and child columns of a listing page (HTML or a JSON API)."""
    if (api := json_listing(url, html)) is not None:
        return _json_listing(api, site)
    tree = LexborHTMLParser(html)
    anchors = _anchors(url, tree)
    if extra := datastore_html(html):
        anchors += _anchors(url, LexborHTMLParser(extra))
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
    return Listing(list(reports.values()), pages, list(dict.fromkeys(subcolumns)))


def _report_link(a: _Anchor, site: SiteConfig) -> Link | None:
    # A list item linking straight to a file is the report itself (portals.md §1.10).
    for text in (a.title, a.text):
        if is_report_title(text, site):
            return Link(a.url, text, "report")
    return None


def _json_listing(
    api: tuple[list[tuple[str, str]], list[tuple[str, int]]], site: SiteConfig
) -> Listing:
    articles, next_pages = api
    reports = {}
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
    """A column below the listing's own folder (year / unit sub-columns, portals.md §1.3)."""
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
    candidates = [a for a in _file_anchors(url, html) if is_allowed(a.url, site)]
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


def _file_anchors(url: str, html: str) -> list[_Anchor]:
    """Links to files (pdf, doc …), in document order, including ones inside scripts."""
    if not _FILE_HINT.search(html):
        return []
    base = url
    if (m := _BASE_HREF.search(html)) is not None:
        base = urljoin(url, htmllib.unescape(m.group(1)))
    found = []
    for m in _ANCHOR_TAG.finditer(html):
        attrs = m.group(1)
        if not _FILE_HINT.search(attrs):
            continue
        values = {
            a.group(1).lower(): htmllib.unescape(a.group(2) or a.group(3) or a.group(4) or "")
            for a in _ATTR.finditer(attrs)
        }
        href = values.get("href", "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        target = normalise_url(urljoin(base, href))
        if is_file_url(target):
            text = clean_text(htmllib.unescape(_ANY_TAG.sub(" ", m.group(2))))
            found.append(_Anchor(target, text, clean_text(values.get("title", ""))))
    return found


def _names_report(anchor: _Anchor, site: SiteConfig) -> bool:
    file_name = urlsplit(anchor.url).path.rsplit("/", 1)[-1]
    return any(is_report_title(t, site) for t in (anchor.title, anchor.text, file_name))


# --- pagination --------------------------------------------------------------------------------
def find_pages(url: str, html: str, anchors: list[_Anchor], site: SiteConfig) -> list[PageLink]:
    """Other pages of this listing: JS pagers first (they know the count), then pager links."""
    pages: dict[str, PageLink] = {}
    jpage = [PageLink(normalise_url(u), n) for u, n in jpage_next(url, html)]
    for page in (*jpage, *_js_pages(url, html), *_anchor_pages(url, anchors)):
        if page.number == 1 or page.url == normalise_url(url):
            continue
        if page.url not in pages:
            pages[page.url] = page
    return sorted(pages.values(), key=lambda p: (p.number is None, p.number or 0))


def _js_pages(url: str, html: str) -> list[PageLink]:
    """TRS pagers: `createPageHTML(total, current, "index", "html")` and `var countPage = N`."""
    total, current, name, ext = None, None, "index", _page_ext(url)
    if m := _CREATE_PAGE.search(html):
        args = [
            (a.group(1), a.group(2)) for a in _JS_ARG.finditer(m.group(1)) if a.group(0).strip()
        ]
        numbers = [int(n) for n, _ in args if n is not None]
        strings = [s for n, s in args if s is not None and n is None]
        if args and args[0][1] is not None and not args[0][1].isdigit():
            strings = strings[1:]  # a variant passes the pager's element id first
        if numbers:
            total = numbers[0]
            current = numbers[1] if len(numbers) > 1 else None
            name = strings[0] if strings else name
            ext = strings[1] if len(strings) > 1 else ext
    elif m := _COUNT_PAGE.search(html):
        total = int(m.group(1))
        current = int(c.group(1)) if (c := _CURRENT_PAGE.search(html)) else None
    if not total or total < 2:
        return []
    if current is None:  # zero-based, like the pager's own variable
        current = (page_number(url) or 1) - 1
    folder = urljoin(url, "./")
    # Zero-based: index.html is page 1, index_1.html page 2 … index_{n-1}.html page n.
    return [
        PageLink(normalise_url(urljoin(folder, f"{name}_{i}.{ext}")), i + 1)
        for i in range(current + 1, min(total, current + 1 + PAGE_LOOKAHEAD))
    ]


def _page_ext(url: str) -> str:
    path = urlsplit(url).path
    if "." in path.rsplit("/", 1)[-1]:
        return path.rsplit(".", 1)[-1]
    return "html"


def _anchor_pages(url: str, anchors: list[_Anchor]) -> list[PageLink]:
    """下一页 / 尾页 / numbered links that point at another page of the same listing."""
    here = urlsplit(url)
    found = []
    for a in anchors:
        text = a.text.lower()
        named = text in NEXT_PAGE_TEXTS or text in PAGE_LINK_TEXTS or a.title in NEXT_PAGE_TEXTS
        numbered = text.isdigit() and len(text) <= 3  # not 2023: that is a year column
        if not (named or numbered) or urlsplit(a.url).netloc != here.netloc:
            continue
        number = page_number(a.url)
        if number is None and not named and not _same_folder(url, a.url):
            continue
        if numbered and number is None:
            number = int(text)
        found.append(PageLink(a.url, number))
    return found


def _same_folder(url: str, other: str) -> bool:
    return urljoin(url, "./") == urljoin(other, "./") and urlsplit(other).path != "/"


def page_number(url: str) -> int | None:
    """The 1-based page number a pagination URL encodes, when it encodes one."""
    if (number := jpage_page_number(url)) is not None:
        return number
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if key.lower() in PAGE_PARAMS and value.isdigit():
            return int(value)
    if m := PAGE_PATH.search(parts.path):
        if m.group(1) is not None:
            return int(m.group(1)) + 1  # index_1.html is the second page
        return int(m.group(2))
    return None


def template_pages(url: str, template: str, count: int = 1) -> list[PageLink]:
    """The next `count` pages after `url` by a configured template (`index_{n}.html`, `?page={n}`)."""
    current = page_number(url) or 1
    pages = []
    for n in range(current + 1, current + 1 + count):
        if template.startswith("?") or template.startswith("&"):
            parts = urlsplit(url)
            key = template.lstrip("?&").split("=", 1)[0]
            query = [(k, v) for k, v in parse_qsl(parts.query) if k != key]
            query.append((key, template.split("=", 1)[1].format(n=n)))
            target = urlunsplit(parts._replace(query=urlencode(query)))
        else:
            # index_{n}.html numbers pages from 0 (index_1 is page 2), like TRS does.
            target = urljoin(url, template.format(n=n - 1 if "index_" in template else n))
        pages.append(PageLink(normalise_url(target), n))
    return pages
