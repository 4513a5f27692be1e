"""Listings that are not plain HTML (gkmlpt JSON, Hanweb <datastore>) and redirect stubs."""

from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Keys that carry an article's title and address in JSON list APIs (gkmlpt: title + url/post_url).
JSON_TITLE_KEYS = ("title", "name", "doctitle", "DOCTITLE", "TITLE")
JSON_URL_KEYS = ("url", "post_url", "link", "docpuburl", "DOCPUBURL", "URL", "href")
JSON_PAGE_PARAMS = ("page", "pageNo", "pageIndex", "pageNum", "currentPage")
# Hanweb jcms embeds the first page of a column as XML: <record><![CDATA[<li>…</li>]]></record>.
_DATASTORE_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_META_REFRESH = re.compile(
    r"<meta[^>]+http-equiv\s*=\s*[\"']?refresh[\"']?[^>]*content\s*=\s*[\"']?\s*\d*\s*;?\s*url\s*=\s*"
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
_TAGS = re.compile(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", re.I | re.S)


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
    return "\n".join(_DATASTORE_RECORD.findall(html))


def redirect_target(url: str, html: str) -> str | None:
    """Where a redirect stub (meta refresh or script location, next to no text) sends us."""
    if len(html) > 20_000:
        return None
    visible = _TAGS.sub(" ", html)
    if len(visible.strip()) > 200:
        return None
    match = _META_REFRESH.search(html)
    if match is None and not _MOBILE_HOP.search(html):
        match = _JS_LOCATION.search(html)
    return urljoin(url, match.group(1).strip()) if match else None
