"""Link wording: report titles vs. companions, report bodies, file URLs.

See docs/portal-families.md#report-titles and docs/portal-families.md#attachments.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from govscrape.crawl.config import SiteConfig

# Report titles: 「…政府信息公开工作年度报告」, 「…年度政府\n信息公开工作年度报告」, 「…政务信息公开年报」,
# 「…信息年度报告」, 「…政府信息公开工作报告」, 「…公开年报」.
REPORT_TITLE = r"年度报告|信息公开.{0,6}(?:年报|报告)|公开年报|信息年报|年度工作报告"
# Companions that share the words but are not the report (解读, 图解, notices, rules …).
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
# File types a report may be published as; .et is WPS's spreadsheet.
ATTACHMENT_EXTS = ("pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "ofd", "rtf")

_WS = re.compile(r"\s+")
_FILE_EXT = re.compile(r"\.(" + "|".join(ATTACHMENT_EXTS) + r")$", re.I)


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
    """The URL's path or query names a file a report may be published as."""
    parts = urlsplit(url)
    return bool(_FILE_EXT.search(parts.path) or _FILE_EXT.search(parts.query))
