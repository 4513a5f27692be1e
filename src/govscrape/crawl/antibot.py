"""Recognise anti-bot challenges, WAF pages, login walls and soft-404 pages.

What each looks like, and what the crawl does about it:
docs/portal-families.md#challenges-and-waf-pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from govscrape.encoding import decode_bytes

# Challenge markers sit at the top of the page (瑞数's `$_ts` script in <head>, 加速乐's stub); a
# 瑞数 page can be 40+ KB of script and a report 300 KB, so only this much of any page is searched
# for script markers: the check costs the same whatever the page's size.
SCAN_BYTES = 32_768
# WAF and captcha pages are small interstitials whose wording comes first; CJK (wording) needles,
# twice as many since each is looked for in UTF-8 and GB18030, are only looked for this far in.
WORDING_SCAN_BYTES = 8_192
# Body markers of JS challenges and WAF interstitials on small pages: (needles, regex, label).
# The regex only runs when one of the cheap lower-case needles occurs in the page. JS challenge
# markers (labels "rs"/"jsl") also need the page to be a stub with next to no visible text, since
# ordinary pages set cookies from scripts too.
CHALLENGE_MARKERS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("$_ts",), r"\$_ts\s*=\s*window\[\s*['\"]\$_ts['\"]\s*\]", "rs challenge (瑞数 $_ts)"),
    (
        ("document.cookie",),
        r"document\.cookie\s*=.{0,400}location",
        "jsl challenge (加速乐 document.cookie + location)",
    ),
    (("__jsl",), r"__jsl_clearance|__jsluid", "jsl challenge (加速乐 cookie)"),
    (
        ("acw_sc__v2", "arg1"),
        r"acw_sc__v2|arg1\s*=\s*'[0-9A-F]{20,}'",
        "aliyun waf challenge (acw_sc__v2)",
    ),
    (("yunsuo",), r"yunsuo_session_verify|yunsuo_", "yunsuo waf (云锁)"),
    (("safedog", "安全狗"), r"safedog|安全狗", "safedog waf (安全狗)"),
    (
        ("拦截", "阻断", "防火墙"),
        r"您的(?:访问|请求).{0,12}(?:被拦截|被阻断|已被拦截)|访问被拒绝.{0,20}防火墙|Web应用防火墙",
        "waf page",
    ),
    (("验证", "滑块"), r"滑动验证|拖动滑块|请完成(?:安全)?验证", "captcha"),
)
# Cookies set by challenge vendors, checked with a JS-only small body.
CHALLENGE_COOKIES = ("__jsluid", "__jsl_clearance", "yunsuo_session_verify", "safedog-flow-item",
                     "acw_sc__v2")  # fmt: skip
CHALLENGE_STATUSES = (202, 412, 512, 521)
_LOGIN_TITLE = re.compile(r"登录|登陆|login|sign in|统一身份认证", re.I)
_PASSWORD_INPUT = re.compile(r"<input[^<>]+type\s*=\s*['\"]?password", re.I)
# Error wording; the bare "404" only counts in the <title> (a report may well say 共404件).
_SOFT_404_TEXT = (
    r"页面不存在|页面未找到|找不到(?:该|您要的)?页面|page not found|您访问的页面.{0,6}(?:不存在|已删除|找不到)"
    r"|信息已(?:删除|撤销|过期)|栏目不存在"
)
_SOFT_404 = re.compile(_SOFT_404_TEXT, re.I)
_SOFT_404_TITLE = re.compile(r"\b404\b|not found|" + _SOFT_404_TEXT, re.I)
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8")
_COMPILED = tuple((n, re.compile(p, re.I | re.S), label) for n, p, label in CHALLENGE_MARKERS)
# Error pages are tiny; their wording is only looked for in pages this small.
TINY_PAGE_BYTES = 4000


def _byte_needles(needles: tuple[str, ...]) -> tuple[tuple[bytes, int], ...]:
    """(bytes, how far to look) of each needle in UTF-8 and GB18030 (ASCII ones are the same)."""
    found = dict.fromkeys(n.encode(enc) for n in needles for enc in ("utf-8", "gb18030"))
    return tuple((n, SCAN_BYTES if n.isascii() else WORDING_SCAN_BYTES) for n in found)


_SUSPECT = tuple((_byte_needles(needles), pattern, label) for needles, pattern, label in _COMPILED)
# Scans for a tag's end stop at the next `<` (a title holds no tags): linear in the page, where
# `[^>]*` and `.*?` ran to the page's end from every unclosed tag (<script>×40,000: 48 s).
_TITLE_BYTES = re.compile(rb"<title[^<>]*>([^<]*)</title>", re.I)
_META_CHARSET = re.compile(rb"<meta[^<>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)


def classify_block(status: int, headers: Mapping[str, str], body: bytes) -> str | None:
    """Why this response is a block page rather than content, or None when it is content."""
    if body.startswith(_BINARY_MAGIC):
        return None
    # Work on the bytes of the page's top: decoding whole pages would cost more than all else.
    top = body[:SCAN_BYTES]
    low = top.lower()
    ctype = headers.get("content-type")
    text = None
    for needles, pattern, label in _SUSPECT:
        if any(low.find(n, 0, scan) >= 0 for n, scan in needles):
            # Rare, so the whole page is decoded (a cut at SCAN_BYTES could split a character).
            text = text if text is not None else decode_bytes(body, ctype)[0]
            # JS-challenge markers also occur on real pages (font-size cookies): they count only
            # when the page shows next to no text.
            found = pattern.search(text, 0, SCAN_BYTES)
            if found and (not label.startswith(("rs ", "jsl ")) or _is_stub(text)):
                return label
    if status in CHALLENGE_STATUSES and _is_js_stub(decode_bytes(body, ctype)[0], headers):
        return f"js challenge (HTTP {status})"
    if status != 200:
        return None
    return _login_or_soft_404(body, top, low, ctype)


def _login_or_soft_404(body: bytes, top: bytes, low: bytes, ctype: str | None) -> str | None:
    m = _TITLE_BYTES.search(top)
    title = decode_bytes(m.group(1), ctype or _meta_type(body))[0].strip() if m else ""
    if b"password" in low:
        head = decode_bytes(body, ctype)[0][:SCAN_BYTES]
        if _PASSWORD_INPUT.search(head) and _LOGIN_TITLE.search(title or head[:2000]):
            return "login wall"
    if _SOFT_404_TITLE.search(title):
        return "soft 404 (an error page served with HTTP 200)"
    if len(body) < TINY_PAGE_BYTES and _SOFT_404.search(visible_text(decode_bytes(body, ctype)[0])):
        return "soft 404 (an error page served with HTTP 200)"
    return None


def _meta_type(body: bytes) -> str | None:
    """A content type carrying the page's <meta> charset, to decode a fragment of it."""
    m = _META_CHARSET.search(body, 0, 4096)
    return f"text/html; charset={m.group(1).decode('ascii', 'replace')}" if m else None


def _is_js_stub(text: str, headers: Mapping[str, str]) -> bool:
    """A tiny page whose only content is script, or one setting a vendor cookie."""
    # Cloudflare's 521 means "origin down", a real error to retry, not a challenge.
    if "cloudflare" in headers.get("server", "").lower():
        return False
    cookies = headers.get("set-cookie", "")
    if any(name in cookies for name in CHALLENGE_COOKIES):
        return True
    return "<script" in text.lower() and _is_stub(text)


def _is_stub(html: str) -> bool:
    """Next to no visible text: what a challenge page shows before its script runs."""
    return len(visible_text(html).strip()) < 200


_RAW_TEXT_OPEN = re.compile(r"<(script|style)\b[^<>]*>", re.I)
_TAG = re.compile(r"<[^<>]+>")


def visible_text(html: str) -> str:
    """The page's text without tags, scripts and styles, in one pass over the page.

    A script runs to its own end tag (found by str.find, from where the last one ended) or,
    unclosed, to the end of the page, as browsers read it: never a scan per opening tag."""
    low = html.lower()
    kept: list[str] = []
    at = 0
    while (m := _RAW_TEXT_OPEN.search(html, at)) is not None:
        kept.append(html[at : m.start()])
        end = low.find(f"</{m.group(1).lower()}", m.end())
        if end < 0:
            at = len(html)
            break
        close = html.find(">", end)
        at = len(html) if close < 0 else close + 1
    kept.append(html[at:])
    return _TAG.sub(" ", " ".join(kept))


def is_home_url(url: str) -> bool:
    """A site's front page: `/`, `/index.html`, `/index.shtml`, `/default.htm` …"""
    path = urlsplit(url).path
    return (
        re.fullmatch(r"/?(?:(?:index|default|main|home)\.(?:s?html?|jsp|php|aspx?))?", path)
        is not None
    )
