"""Report metadata: title, agency and its kind, statistical year, publication time, 信息处理费."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from govscrape.agencies import kind_of_agency
from govscrape.document import Document
from govscrape.findings import finding
from govscrape.labels import to_simplified
from govscrape.model import Finding
from govscrape.parse.agency import read_agency
from govscrape.parse.title import meta_value, read_title
from govscrape.parse.title import title_year as read_title_year

# --- Data ------------------------------------------------------------------------------------

# Document.meta keys, in the order they are trusted (docs/portal-families.md#metadata-fields).
PUBLISHED_KEYS = (
    "PubDate",
    "pubdate",
    "发布日期",
    "发布时间",
    "发文日期",
    "byline_date",
    "CreationDate",
    "ModDate",
)
_STAT_PERIOD = re.compile(
    r"统计(?:期限|期间|时限|时间|区间|周期)[^。;；\d]{0,12}((?:19|20)\d{2})\s*年"
)
_STAT_PERIOD_TRADITIONAL = re.compile(  # a mirror's 統計期限 (searched only where 統計 stands)
    r"統計(?:期限|期間|時限|時間|區間|週期|周期)[^。;；\d]{0,12}((?:19|20)\d{2})\s*年"
)
_PERIOD_RANGE = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*至")
_DATE = re.compile(
    r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*(?:T\s*)?(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?"
)
_COMPACT_DATE = re.compile(
    r"^(?:D:)?((?:19|20)\d{2})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?"
    r"\s*(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?$"
)
_ISO_WITH_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")
_URL_DATES = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),  # TRS
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),  # Hanweb
)
CHINA = timezone(timedelta(hours=8))
# 信息处理费 in section 六.
_FEE_WORD = "处理费"
_FEE_WORD_TRADITIONAL = "處理費"
_FEE_NONE = re.compile(
    r"(?:未|没有|无|不|免)(?:收取|产生|涉及|发生)"
    r"|(?:收取|产生)[^，,。；;]{0,8}(?<![\d.])(?:0|零)(?:\.0+)?\s*元"
)
_FEE_AMOUNT = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万元|元)")
_CLAUSES = re.compile(r"[。；;]")


@dataclass(slots=True)
class Metadata:
    """What a report says about itself. `findings` holds doubts (e.g. conflicting years)."""

    title: str | None = None
    agency: str | None = None
    agency_source: str | None = None  # title | field | signature | site (parse/agency.py)
    agency_kind: str | None = None
    year: int | None = None
    published: datetime | None = None
    processing_fee_yuan: float | None = None
    findings: list[Finding] = field(default_factory=list)


# --- Entry point ------------------------------------------------------------------------------


def read_metadata(
    doc: Document,
    sections: dict[str, str],
    *,
    url: str | None = None,
    agency: str | None = None,
    agency_kind: str | None = None,
) -> Metadata:
    """Metadata from the document and its sections. The caller's `agency` (and its
    `agency_kind`) stand only where the document names no agency (parse/agency.py)."""
    meta = Metadata(title=read_title(doc))
    reading = read_agency(doc, meta.title, given=agency)
    meta.agency, meta.agency_source = reading.name, reading.source
    if reading.source == "site" and agency_kind:
        meta.agency_kind = agency_kind
    else:
        meta.agency_kind = kind_of_agency(meta.agency) if meta.agency else None
    meta.year = _year(meta, doc)
    meta.published = _published(doc.meta, url)
    meta.processing_fee_yuan = read_fee(sections.get("other_matters") or _all_text(doc))
    return meta


# --- Year ------------------------------------------------------------------------------------


def _year(meta: Metadata, doc: Document) -> int | None:
    title_year = read_title_year(meta.title)
    body_year = statistical_year(_all_text(doc))
    if title_year and body_year and title_year != body_year:
        meta.findings.append(
            finding(
                "parse.year_mismatch",
                f"the title says {title_year} but the 统计期限 sentence says {body_year}; "
                "the title year is used",
                expected=title_year,
                found=body_year,
            )
        )
    return title_year or body_year


def statistical_year(text: str) -> int | None:
    """The year of the 统计期限 sentence ("统计期限自2020年1月1日至12月31日")."""
    m = _STAT_PERIOD.search(text)
    if m is None and "統計" in text:
        m = _STAT_PERIOD_TRADITIONAL.search(text)
    m = m or _PERIOD_RANGE.search(text)
    return int(m.group(1)) if m else None


def _all_text(doc: Document) -> str:
    return "\n".join(b for b in doc.blocks if isinstance(b, str))


# --- Publication time ------------------------------------------------------------------------


def parse_date(value: str) -> datetime | None:
    """A date or date-time as portals print it, naive in China time; None if it is not one."""
    value = unicodedata.normalize("NFKC", value).strip()
    if _ISO_WITH_TIME.match(value) and (parsed := _iso(value)):
        return parsed
    if m := _COMPACT_DATE.match(value):
        return _compact(m)
    if m := _DATE.search(value):
        try:
            year, month, day, hour, minute, second = (int(g) if g else 0 for g in m.groups())
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    return None


def _compact(m: re.Match[str]) -> datetime | None:
    """A PDF-style date (D:20250120103000+08'00'), converted to China time if zoned."""
    year, month, day, hour, minute, second, sign, tz_h, tz_m = m.groups()
    try:
        when = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                        int(second or 0))  # fmt: skip
    except ValueError:
        return None
    if sign in ("Z", "z", "+", "-"):
        offset = timedelta(hours=int(tz_h or 0), minutes=int(tz_m or 0))
        zone = timezone(-offset if sign == "-" else offset)
        when = when.replace(tzinfo=zone).astimezone(CHINA).replace(tzinfo=None)
    return when


def _iso(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(CHINA).replace(tzinfo=None)
    return parsed


def _published(meta: dict[str, str], url: str | None) -> datetime | None:
    for key in PUBLISHED_KEYS:
        value = meta_value(meta, key)
        if value and (parsed := parse_date(value)):
            return parsed
    for pattern in _URL_DATES:
        if url and (m := pattern.search(url)):
            try:
                return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


# --- 信息处理费 ------------------------------------------------------------------------------


def read_fee(text: str) -> float | None:
    """The 信息处理费 collected in 元, 0.0 where the text says none was, None if not stated."""
    if _FEE_WORD not in text:
        if _FEE_WORD_TRADITIONAL not in text:
            return None
        text = to_simplified(text)  # a mirror's 處理費: read in simplified script
    # Lines are joined first: PDF text wraps sentences ("…处理费 3" / "940 元").
    text = unicodedata.normalize("NFKC", text).replace("\n", "")
    for clause in _CLAUSES.split(text):
        at = clause.find(_FEE_WORD)
        if at < 0:
            continue
        if _FEE_NONE.search(clause):
            return 0.0
        after = _FEE_AMOUNT.search(clause, at)
        amounts = [after] if after else list(_FEE_AMOUNT.finditer(clause[:at]))[-1:]
        if amounts:
            number, unit = amounts[0].groups()
            value = float(number.replace(",", ""))
            return value * 10000 if unit == "万元" else value
    return None
