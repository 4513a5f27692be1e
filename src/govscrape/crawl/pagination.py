"""Pagination of listing pages: JS pagers, pager links, page numbers in URLs, page templates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from govscrape.crawl.anchors import Anchor
from govscrape.crawl.config import SiteConfig
from govscrape.crawl.listing_formats import jpage_next, jpage_page_number
from govscrape.crawl.url_policy import normalise_url

NEXT_PAGE_TEXTS = ("下一页", "下页", "后一页", "下一頁", "next", ">", "›", "»", ">>")
# Links back (首页, 上一页) lead to pages already seen, and page 1 is often a second URL
# (index.html) for the listing's own address, so only forward links count.
PAGE_LINK_TEXTS = ("尾页", "末页", "最后一页")
# Query parameters that number a listing's pages (docs/portal-families.md#pagination).
PAGE_PARAMS = ("page", "cur_page", "currpage", "currentpage", "pageno", "pageindex", "pagenum",
               "pn", "p", "curpage")  # fmt: skip
# Path shapes of a numbered page: index_3.html, index_3.shtml, column-index-3.shtml, /3.html.
PAGE_PATH = re.compile(
    r"(?:^|/)(?:index|[\w-]*-index)[_-](\d+)\.s?html?$|(?:^|/)(\d{1,3})\.s?html?$"
)
# Pages of a JS pager announced ahead of the current one: a failed page does not end the walk,
# and a listing of N pages costs N small steps rather than N pages announced N times.
PAGE_LOOKAHEAD = 2
_COUNT_PAGE = re.compile(r"\bvar\s+countPage\s*=\s*[\"']?(\d+)")
_CURRENT_PAGE = re.compile(r"\bvar\s+currentPage\s*=\s*[\"']?(\d+)")
_CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^()]{0,500})\)")  # bounded: linear in the page
# TRS list scripts state the column's item count: `listModel({… recordCount: '20' …})`.
_RECORD_COUNT = re.compile(r"\brecordCount\b[\"']?\s*[:=]\s*[\"']?(\d+)")
_JS_ARG = re.compile(r"""\s*(?:(\d+)|["']([^"']*)["']|[\w.$]+)\s*""")


@dataclass(frozen=True, slots=True)
class PageLink:
    """Another page of a listing; `number` is its 1-based page number when the page says so."""

    url: str
    number: int | None = None


def find_pages(url: str, html: str, anchors: list[Anchor], site: SiteConfig) -> list[PageLink]:
    """Other pages of this listing: JS pagers first (they know the count), then pager links."""
    pages: dict[str, PageLink] = {}
    jpage = [PageLink(normalise_url(u), n) for u, n in jpage_next(url, html)]
    for page in (*jpage, *_js_pages(url, html), *_anchor_pages(url, anchors)):
        if page.number == 1 or page.url == normalise_url(url):
            continue
        if page.url not in pages:
            pages[page.url] = page
    return sorted(pages.values(), key=lambda p: (p.number is None, p.number or 0))


def stated_counts(html: str) -> tuple[int | None, int | None]:
    """(items, pages) a listing page states its column holds, when it says: TRS "动静结合"
    columns write only the first page statically and state the count in a script
    (`listModel({… recordCount: '20' …})`, `createPageHTML(5, 0, …)`, `var countPage = 5`)."""
    items = int(m.group(1)) if (m := _RECORD_COUNT.search(html)) else None
    return items, _js_pager("", html)[0]


def next_static_page(url: str) -> PageLink:
    """The static page after `url` by TRS naming (index_1.html is page 2), to probe for."""
    number = (page_number(url) or 1) + 1
    folder = urljoin(url, "./")
    return PageLink(normalise_url(urljoin(folder, f"index_{number - 1}.{_page_ext(url)}")), number)


def _js_pages(url: str, html: str) -> list[PageLink]:
    """TRS pagers: `createPageHTML(total, current, "index", "html")` and `var countPage = N`."""
    total, current, name, ext = _js_pager(url, html)
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


def _js_pager(url: str, html: str) -> tuple[int | None, int | None, str, str]:
    """(total pages, current page from 0, page name, extension) of a TRS script pager."""
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
    return total, current, name, ext


def _page_ext(url: str) -> str:
    path = urlsplit(url).path
    if "." in path.rsplit("/", 1)[-1]:
        return path.rsplit(".", 1)[-1]
    return "html"


def _anchor_pages(url: str, anchors: list[Anchor]) -> list[PageLink]:
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
