"""A report's title: which line it is, the statistical year it names and the agency before it."""

from __future__ import annotations

import re
import unicodedata

from govscrape.agencies import kind_of_agency
from govscrape.document import Document

# Document.meta keys, in the order they are trusted (docs/portal-families.md#metadata-fields).
TITLE_KEYS = ("ArticleTitle", "名称", "标题", "heading", "title")
# The report noun phrase in a title, after which nothing names the agency.
REPORT_NOUN = re.compile(
    r"(?:(?:政府|政务)?信息公[开開]|政务公开|信息)(?:工作)?(?:年度)?(?:工作)?(?:报告|年报|報告|年報)"
)
_YEAR_WITH_NIAN = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
# A year printed without 年 ("某县发改委2017政府信息公开工作年度报告") counts only when the
# report noun follows it, or when it opens the title; never inside a document number
# (〔2019〕), a date (2019-01-20, 2019.1) or a longer number.
_BARE_YEAR = re.compile(r"(?<![\d〔\[【(（.．/])((?:19|20)\d{2})(?![\d〕\]】)）])")
_DATE_AFTER = re.compile(r"\s*[-/.．]\s*\d")
# Either end of a range ("2017-2018年度", "2017年至2018年"): such a year is no statistical year.
_RANGE_BEFORE = re.compile(r"(?:19|20)\d{2}\s*年?\s*[-－—–~～至到]\s*$")
_RANGE_AFTER = re.compile(r"^\s*年?\s*[-－—–~～至到]\s*(?:19|20)\d{2}")
_TITLE_SEPARATORS = re.compile(r"\s*(?:[-_|｜—–]+|——)\s*")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NAME_EDGES = ' 　:：,，、.（()）"“”'


def meta_value(meta: dict[str, str], key: str) -> str | None:
    """A Document.meta value by key, the key matched case-insensitively when not exact."""
    if value := meta.get(key):
        return value
    lowered = key.lower()
    return next((v for k, v in meta.items() if k.lower() == lowered and v), None)


def clean_title(title: str) -> str:
    """The title without site suffixes/prefixes ("…报告-湘西高新技术产业开发区") or inner spaces."""
    title = unicodedata.normalize("NFKC", title).strip()
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p]
    reports = [p for p in parts if "报告" in p or "年报" in p or "報告" in p]
    chosen = reports[0] if reports else title
    return re.sub(r"\s+", "", chosen) if _CJK.search(chosen) else chosen


def read_title(doc: Document) -> str | None:
    """The report title: meta tags, the 名称 field, the extractor's title, cleaned."""
    meta = doc.meta
    candidates = [meta_value(meta, k) for k in TITLE_KEYS[:-1]]
    candidates += [doc.title, meta_value(meta, "title")]
    present = [clean_title(c) for c in candidates if c and c.strip()]
    for title in present:
        if "报告" in title or "年报" in title or "報告" in title:
            return title
    return present[0] if present else None


def title_year_span(title: str | None) -> tuple[int, int, int] | None:
    """(year, start, end) of the statistical year a title names: "2020年(度)" first, else a
    year printed without 年 right before the report noun or at the very start."""
    if not title:
        return None
    for m in _YEAR_WITH_NIAN.finditer(title):
        if not _in_range(title, m.start(1), m.end(1)):
            return int(m.group(1)), m.start(), m.end()
    for m in _BARE_YEAR.finditer(title):
        start, end = m.start(1), m.end(1)
        if _in_range(title, start, end) or _DATE_AFTER.match(title, end):
            continue
        rest = title[end:].lstrip()
        noun_next = REPORT_NOUN.match(rest.removeprefix("度"))
        opens = start == 0 and bool(_CJK.match(rest)) and bool(REPORT_NOUN.search(rest))
        if noun_next or opens:
            return int(m.group(1)), start, end
    return None


def _in_range(title: str, start: int, end: int) -> bool:
    return bool(_RANGE_BEFORE.search(title[:start]) or _RANGE_AFTER.match(title[end:]))


def title_year(title: str | None) -> int | None:
    """The statistical year a title names (see title_year_span), else None."""
    span = title_year_span(title)
    return span[0] if span else None


def agency_from_title(title: str | None) -> str | None:
    """The agency named in the title: before the year ("淮安市人民政府2024年…", "某县发改委2017
    政府…"), else between the year and the report noun ("2020年湘西高新区信息公开工作年度报告")."""
    if not title:
        return None
    span = title_year_span(title)
    if span is None:
        noun = REPORT_NOUN.search(title)
        return _plausible(title[: noun.start()]) if noun else None
    _, start, end = span
    before = _plausible(title[:start])
    if before:
        return before
    noun = REPORT_NOUN.search(title, end)
    return _plausible(title[end : noun.start()]) if noun else None


def _plausible(name: str) -> str | None:
    """The text as an agency name, or None: it must end like one (局, 人民政府, 县 …) and hold
    no digit (a year range, a date) and no report wording."""
    name = name.strip(_NAME_EDGES).removeprefix("关于").removesuffix("关于").strip(_NAME_EDGES)
    if len(name) < 2 or re.search(r"\d", name) or REPORT_NOUN.search(name) or "报告" in name:
        return None
    return name if kind_of_agency(name) is not None else None
