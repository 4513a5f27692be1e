"""Recognise anti-bot challenges, WAF pages, login walls and soft-404 pages (portals.md §2.3)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from govscrape.encoding import decode_bytes

# Challenges and WAF pages are small; a real report page is 50-300 KB (portals.md §4.3).
SMALL_PAGE_BYTES = 24_000
# Body markers of JS challenges and WAF interstitials: (regex, label). Checked on small pages.
CHALLENGE_MARKERS: tuple[tuple[str, str], ...] = (
    (r"\$_ts\s*=\s*window\[\s*['\"]\$_ts['\"]\s*\]", "rs challenge (瑞数 $_ts)"),
    (r"document\.cookie\s*=.{0,400}location", "jsl challenge (加速乐 document.cookie + location)"),
    (r"__jsl_clearance|__jsluid", "jsl challenge (加速乐 cookie)"),
    (r"acw_sc__v2|arg1\s*=\s*'[0-9A-F]{20,}'", "aliyun waf challenge (acw_sc__v2)"),
    (r"yunsuo_session_verify|yunsuo_", "yunsuo waf (云锁)"),
    (r"safedog|安全狗", "safedog waf (安全狗)"),
    (
        r"您的(?:访问|请求).{0,12}(?:被拦截|被阻断|已被拦截)|访问被拒绝.{0,20}防火墙|Web应用防火墙",
        "waf page",
    ),
    (r"滑动验证|拖动滑块|请完成(?:安全)?验证", "captcha"),
)
# Cookies set by challenge vendors (portals.md §2.3), checked with a JS-only small body.
CHALLENGE_COOKIES = ("__jsluid", "__jsl_clearance", "yunsuo_session_verify", "safedog-flow-item",
                     "acw_sc__v2")  # fmt: skip
CHALLENGE_STATUSES = (202, 412, 512, 521)
_LOGIN_TITLE = re.compile(r"登录|登陆|login|sign in|统一身份认证", re.I)
_PASSWORD_INPUT = re.compile(r"<input[^>]+type\s*=\s*['\"]?password", re.I)
# Error wording; the bare "404" only counts in the <title> (a report may well say 共404件).
_SOFT_404_TEXT = (
    r"页面不存在|页面未找到|找不到(?:该|您要的)?页面|page not found|您访问的页面.{0,6}(?:不存在|已删除|找不到)"
    r"|信息已(?:删除|撤销|过期)|栏目不存在"
)
_SOFT_404 = re.compile(_SOFT_404_TEXT, re.I)
_SOFT_404_TITLE = re.compile(r"\b404\b|not found|" + _SOFT_404_TEXT, re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8")
_COMPILED = tuple((re.compile(p, re.I | re.S), label) for p, label in CHALLENGE_MARKERS)


def classify_block(status: int, headers: Mapping[str, str], body: bytes) -> str | None:
    """Why this response is a block page rather than content, or None when it is content."""
    if body.startswith(_BINARY_MAGIC):
        return None
    small = len(body) <= SMALL_PAGE_BYTES
    head = decode_bytes(body[:SMALL_PAGE_BYTES], headers.get("content-type"))[0]
    if small:
        for pattern, label in _COMPILED:
            if pattern.search(head):
                return label
    if status in CHALLENGE_STATUSES and small and _is_js_stub(head, headers):
        return f"js challenge (HTTP {status})"
    if not small or status != 200:
        return None
    title = (m.group(1) if (m := _TITLE.search(head)) else "").strip()
    if _PASSWORD_INPUT.search(head) and _LOGIN_TITLE.search(title or head[:2000]):
        return "login wall"
    if _SOFT_404_TITLE.search(title) or (len(body) < 4000 and _SOFT_404.search(_visible(head))):
        return "soft 404 (an error page served with HTTP 200)"
    return None


def _is_js_stub(text: str, headers: Mapping[str, str]) -> bool:
    """A tiny page whose only content is script, or one setting a vendor cookie."""
    # Cloudflare's 521 means "origin down", a real error to retry, not a challenge.
    if "cloudflare" in headers.get("server", "").lower():
        return False
    cookies = headers.get("set-cookie", "")
    if any(name in cookies for name in CHALLENGE_COOKIES):
        return True
    return "<script" in text.lower() and len(_visible(text).strip()) < 200


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.I | re.S)
    return re.sub(r"<[^>]+>", " ", html)


def is_home_url(url: str) -> bool:
    """A site's front page: `/`, `/index.html`, `/index.shtml`, `/default.htm` …"""
    from urllib.parse import urlsplit

    path = urlsplit(url).path
    return (
        re.fullmatch(r"/?(?:(?:index|default|main|home)\.(?:s?html?|jsp|php|aspx?))?", path)
        is not None
    )
