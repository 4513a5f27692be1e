"""Links on a page as (url, text, title): all of them from a DOM, or file links by regex."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from govscrape.crawl.link_wording import ATTACHMENT_EXTS, clean_text, is_file_url
from govscrape.crawl.url_policy import normalise_url

# Report pages are only searched for file links, so a regex over the raw HTML does, at a tenth of
# the cost of building a DOM (it also sees links that scripts write with document.write).
_FILE_HINT = re.compile(r"\.(?:" + "|".join(ATTACHMENT_EXTS) + r")\b", re.I)
# Attributes never hold `<`, so a scan for a tag's end stops at the next tag: linear in the page,
# where `[^>]*` ran to the end of the page from every unclosed `<a` (300k of them: 400 s).
_ANCHOR_OPEN = re.compile(r"<a\s([^<>]*)>", re.I)
_ANCHOR_CLOSE = re.compile(r"</a\s*>", re.I)
ANCHOR_TEXT_CHARS = 2000  # a link's text is looked for this far after its tag
_ATTR = re.compile(
    r"""\b(href|title)\s*=\s*(?:\\?"([^"\\]*)\\?"|\\?'([^'\\]*)\\?'|([^\s>"']+))""", re.I
)
_BASE_HREF = re.compile(r"""<base\s[^<>]*href\s*=\s*["']?([^"'\s>]+)""", re.I)
_ANY_TAG = re.compile(r"<[^<>]*>")


@dataclass(frozen=True, slots=True)
class Anchor:
    """A link as found: its absolute, normalised URL, its text and its title attribute."""

    url: str
    text: str
    title: str


def dom_anchors(url: str, tree: LexborHTMLParser) -> list[Anchor]:
    """Every followable <a href> of a parsed page, resolved against its <base>."""
    base = url
    if (node := tree.css_first("base[href]")) is not None:
        base = _resolve(url, node.attributes.get("href") or "") or url
    found = []
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        text = clean_text(node.text(deep=True, separator=" "))
        title = clean_text(node.attributes.get("title") or "")
        if (target := _resolve(base, href)) is not None:
            found.append(Anchor(target, text, title))
    return found


def _resolve(base: str, href: str) -> str | None:
    """`href` made absolute and normalised; None for one that is no URL (`http://[::1/x`)."""
    try:
        return normalise_url(urljoin(base, href))
    except ValueError:
        return None


def file_anchors(url: str, html: str) -> list[Anchor]:
    """Links to files (pdf, doc …), in document order, including ones inside scripts."""
    if not _FILE_HINT.search(html):
        return []
    base = url
    if (m := _BASE_HREF.search(html)) is not None:
        base = _resolve(url, htmllib.unescape(m.group(1))) or url
    found = []
    for m in _ANCHOR_OPEN.finditer(html):
        attrs = m.group(1)
        if not _FILE_HINT.search(attrs):
            continue
        close = _ANCHOR_CLOSE.search(html, m.end(), m.end() + ANCHOR_TEXT_CHARS)
        if close is None:
            continue
        values = {
            a.group(1).lower(): htmllib.unescape(a.group(2) or a.group(3) or a.group(4) or "")
            for a in _ATTR.finditer(attrs)
        }
        href = values.get("href", "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        target = _resolve(base, href)
        if target is not None and is_file_url(target):
            inner = html[m.end() : close.start()]
            text = clean_text(htmllib.unescape(_ANY_TAG.sub(" ", inner)))
            found.append(Anchor(target, text, clean_text(values.get("title", ""))))
    return found
