"""Listings that are not plain HTML (gkmlpt JSON, Hanweb <datastore> and jpage) and redirect stubs."""

from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from govscrape.crawl.antibot import visible_text

# Keys that carry an article's title and address in JSON list APIs (gkmlpt: title + url/post_url).
JSON_TITLE_KEYS = ("title", "name", "doctitle", "DOCTITLE", "TITLE")
JSON_URL_KEYS = ("url", "post_url", "link", "docpuburl", "DOCPUBURL", "URL", "href")
JSON_PAGE_PARAMS = ("page", "pageNo", "pageIndex", "pageNum", "currentPage")
# Hanweb jcms embeds the first page of a column as XML: <record><![CDATA[<li>…</li>]]></record>.
# Found by str.find from where the last record ended (a regex's `.*?` from every unclosed
# <record> would run to the page's end each time: quadratic).
_RECORD_OPEN = re.compile(r"<record>\s*<!\[CDATA\[", re.I)
_RECORD_CLOSE = re.compile(r"\]\]>\s*</record>", re.I)
# Hanweb jpage: the column page embeds the first records and names the proxy that
# serves the rest, `/module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…&perpage=…` plus the
# query of the <nextgroup> link; answers are the same XML with <totalrecord>.
_NEXTGROUP = re.compile(
    r"<nextgroup>\s*<!\[CDATA\[.{0,2000}?href\s*=\s*[\"']([^\"']+)[\"']", re.S | re.I
)
_JPAGE_PROXY = re.compile(r"proxyUrl\s*:\s*[\"']([^\"']+)[\"']")
_TOTAL_RECORD = re.compile(
    r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*[\"']?(\d+)", re.I
)
# jpage options come as `{perPage: 15}` or as page variables (`var perPage = 15;`).
_PER_PAGE = re.compile(r"perPage\s*[:=]\s*[\"']?(\d+)")
_GROUP_SIZE = re.compile(r"groupSize\s*[:=]\s*[\"']?(\d+)")
# jpage's own defaults when the column page does not say (15 a page, 3 pages a request).
JPAGE_PER_PAGE = 15
JPAGE_GROUP_SIZE = 3
JPAGE_PARAMS = ("startrecord", "endrecord", "perpage")
_META_REFRESH = re.compile(
    r"<meta[^<>]+http-equiv\s*=\s*[\"']?refresh[\"']?[^<>]*content\s*=\s*[\"']?\s*\d*\s*;?\s*url\s*=\s*"
    r"['\"]?([^\"'>\s]+)",
    re.I,
)
_JS_LOCATION = re.compile(
    r"(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*(?:=|\.replace\(|\.assign\()\s*"
    r"[\"']([^\"']+)[\"']",
    re.I,
)
# Mobile-UA hops (`if (/Android|iPhone/.test(...)) location.href = "m.…"`) are not for us.
_MOBILE_HOP = re.compile(r"android|iphone|mobile|ipad", re.I)


def json_listing(url: str, text: str) -> tuple[list[tuple[str, str]], list[tuple[str, int]]] | None:
    """(title, url) articles and (url, page number) next pages of a JSON list API, else None."""
    if not text.lstrip().startswith(("{", "[")):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    articles = list(_articles(data, url))
    return articles, _json_next_page(url, data, len(articles))


def _articles(node: object, base: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        title = next((node[k] for k in JSON_TITLE_KEYS if isinstance(node.get(k), str)), None)
        link = next((node[k] for k in JSON_URL_KEYS if isinstance(node.get(k), str)), None)
        if title and link:
            found.append((title, urljoin(base, link)))
        for value in node.values():
            if isinstance(value, dict | list):
                found.extend(_articles(value, base))
    elif isinstance(node, list):
        for item in node:
            found.extend(_articles(item, base))
    return found


def _json_next_page(url: str, data: object, count: int) -> list[tuple[str, int]]:
    """gkmlpt-style paging: `?page=N` with a `total` item count in the answer."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    key = next((k for k, _ in query if k in JSON_PAGE_PARAMS), None)
    total = data.get("total") if isinstance(data, dict) else None
    if key is None or not count or not isinstance(total, int):
        return []
    page = int(dict(query)[key]) if dict(query)[key].isdigit() else 1
    if page >= math.ceil(total / count):
        return []
    next_query = urlencode([(k, str(page + 1) if k == key else v) for k, v in query])
    return [(urlunsplit(parts._replace(query=next_query)), page + 1)]


def datastore_html(html: str) -> str:
    """The HTML fragments of a Hanweb <datastore> block, joined (empty when there is none)."""
    if "<record" not in html and "<RECORD" not in html:
        return ""
    return "\n".join(datastore_records(html))


def datastore_records(html: str) -> list[str]:
    """The CDATA contents of the <record>s, in order, in one pass over the page."""
    records: list[str] = []
    at = 0
    while (m := _RECORD_OPEN.search(html, at)) is not None:
        end = _RECORD_CLOSE.search(html, m.end())
        if end is None:
            break  # no later record can close either
        records.append(html[m.end() : end.start()])
        at = end.end()
    return records


def jpage_records(url: str) -> tuple[int, int] | None:
    """(startrecord, endrecord) of a Hanweb dataproxy.jsp request URL, else None."""
    query = {k.lower(): v for k, v in parse_qsl(urlsplit(url).query)}
    start, end = query.get("startrecord", ""), query.get("endrecord", "")
    if start.isdigit() and end.isdigit() and int(end) >= int(start) >= 1:
        return int(start), int(end)
    return None


def jpage_page_number(url: str) -> int | None:
    """The 1-based page of a dataproxy.jsp request (records 1…chunk being page 1)."""
    if (records := jpage_records(url)) is None:
        return None
    start, end = records
    return _page_of(start, end - start + 1)


def _page_of(start: int, chunk: int) -> int:
    # Rounded up: the first request may follow fewer embedded records than a chunk.
    return -(-(start - 1) // chunk) + 1


def jpage_next(url: str, html: str) -> list[tuple[str, int]]:
    """The next dataproxy.jsp request of a Hanweb jpage listing, with its page number."""
    if "datastore" not in html:
        return []
    total = _TOTAL_RECORD.search(html)
    if total is None:
        return []
    total_records = int(total.group(1) or total.group(2))
    if (records := jpage_records(url)) is not None:  # an answer of the proxy: same chunk size
        proxy, chunk, last = url, records[1] - records[0] + 1, records[1]
        per_page = _query(url).get("perpage", str(chunk))
    else:  # the column page, with the first records embedded
        link = _NEXTGROUP.search(html) or _JPAGE_PROXY.search(html)
        if link is None:
            return []
        proxy = urljoin(url, link.group(1).replace("&amp;", "&"))
        per = int(m.group(1)) if (m := _PER_PAGE.search(html)) else JPAGE_PER_PAGE
        group = int(m.group(1)) if (m := _GROUP_SIZE.search(html)) else JPAGE_GROUP_SIZE
        chunk, per_page = max(1, per * group), str(per)
        last = len(datastore_records(html)) or chunk
    if last >= total_records:
        return []
    # endrecord is not cut at the total: every request keeps the chunk size its number is read by.
    start, end = last + 1, last + chunk
    query = [(k, v) for k, v in parse_qsl(urlsplit(proxy).query) if k.lower() not in JPAGE_PARAMS]
    query += [("startrecord", str(start)), ("endrecord", str(end)), ("perpage", per_page)]
    target = urlunsplit(urlsplit(proxy)._replace(query=urlencode(query)))
    return [(target, _page_of(start, chunk))]


def _query(url: str) -> dict[str, str]:
    return {k.lower(): v for k, v in parse_qsl(urlsplit(url).query)}


def redirect_target(url: str, html: str) -> str | None:
    """Where a redirect stub (meta refresh or script location, next to no text) sends us."""
    if len(html) > 20_000:
        return None
    # Most pages have neither word: no need to strip their tags (JS spells `location` in lower
    # case; http-equiv may be Refresh or REFRESH).
    if not any(word in html for word in ("location", "efresh", "EFRESH")):
        return None
    visible = visible_text(html)
    if len(visible.strip()) > 200:
        return None
    match = _META_REFRESH.search(html)
    if match is None and not _MOBILE_HOP.search(html):
        match = _JS_LOCATION.search(html)
    return urljoin(url, match.group(1).strip()) if match else None
