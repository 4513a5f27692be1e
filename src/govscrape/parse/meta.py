"""Report metadata: title, agency and its kind, statistical year, publication time, 信息处理费."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from govscrape.document import Document
from govscrape.findings import finding
from govscrape.labels import to_simplified
from govscrape.model import Finding

# --- Data ------------------------------------------------------------------------------------

# Document.meta keys, in the order they are trusted (docs/portal-families.md#metadata-fields).
TITLE_KEYS = ("ArticleTitle", "名称", "标题", "heading", "title")
AGENCY_KEYS = ("发布机构", "发文机关", "发文机构", "发布部门", "ContentSource", "来源", "信息来源")
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
# Source values that name no agency.
NOT_AGENCIES = frozenset(("本网", "本站", "原创", "网站", "本网站", "转载", "政府网站", "-", "无"))
# Agency kind by name ending, first match wins (docs/national-format.md#publication-deadlines).
# Development zones' 管委会 are neither governments nor their departments under 条例 第四十九条,
# hence "other", like any body not named by a suffix here.
AGENCY_KIND_SUFFIXES: tuple[tuple[str, str], ...] = (
    (r"(?:乡|镇|街道|苏木)(?:人民政府|政府|办事处|工作委员会)?", "township"),
    (r"街道(?:办事处|工委|党工委)", "township"),
    (r"(?:管委会|管理委员会|开发区|高新区|新区管委会|保税区|示范区|工业园区?|园区)", "other"),
    (r"(?:人民政府|政府)", "government"),
    (
        r"(?:局|委员会|委|办公室|办公厅|厅|办|中心|署|院|馆|站|所|队|部|处|社|会|行|司)",
        "department",
    ),
    (r"(?:省|市|自治州|州|县|自治县|区|旗|盟)", "government"),
)
# The report noun phrase in a title, after which nothing names the agency.
_REPORT_NOUN = re.compile(
    r"(?:(?:政府|政务)?信息公开|政务公开|信息)(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)"
)
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_TITLE_SEPARATORS = re.compile(r"\s*(?:[-_|｜—–]+|——)\s*")
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
    """Metadata from the document, its sections and the caller's knowledge (which wins)."""
    meta = Metadata(title=read_title(doc))
    meta.agency = agency or agency_from_title(meta.title) or _agency_from_meta(doc.meta)
    meta.agency_kind = agency_kind or (kind_of_agency(meta.agency) if meta.agency else None)
    meta.year = _year(meta, doc)
    meta.published = _published(doc.meta, url)
    meta.processing_fee_yuan = read_fee(sections.get("other_matters") or _all_text(doc))
    return meta


# --- Title and agency -------------------------------------------------------------------------


def _get(meta: dict[str, str], key: str) -> str | None:
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
    return re.sub(r"\s+", "", chosen) if re.search(r"[\u4e00-\u9fff]", chosen) else chosen


def read_title(doc: Document) -> str | None:
    """The report title: meta tags, the 名称 field, the extractor's title, cleaned."""
    candidates = [_get(doc.meta, k) for k in TITLE_KEYS[:-1]] + [doc.title, _get(doc.meta, "title")]
    present = [clean_title(c) for c in candidates if c and c.strip()]
    for title in present:
        if "报告" in title or "年报" in title or "報告" in title:
            return title
    return present[0] if present else None


def agency_from_title(title: str | None) -> str | None:
    """The agency named in the title: before the year ("淮安市人民政府2024年…"), else between
    the year and the report noun ("2020年湘西高新区信息公开工作年度报告")."""
    if not title:
        return None
    m = _TITLE_YEAR.search(title)
    if m is None:
        noun = _REPORT_NOUN.search(title)
        return _plausible(title[: noun.start()]) if noun else None
    before = _plausible(title[: m.start()])
    if before:
        return before
    noun = _REPORT_NOUN.search(title, m.end())
    return _plausible(title[m.end() : noun.start()]) if noun else None


def _plausible(name: str) -> str | None:
    name = name.strip(' 　:：,，、.（()）"“”')
    name = name.removeprefix("关于").removesuffix("关于")
    return name if len(name) >= 2 and re.search(r"[\u4e00-\u9fff]$", name) else None


def _agency_from_meta(meta: dict[str, str]) -> str | None:
    for key in AGENCY_KEYS:
        value = _get(meta, key)
        if value and value.strip() not in NOT_AGENCIES:
            return value.strip()
    return None


def kind_of_agency(name: str) -> str | None:
    """department / government / township / other, from the name's ending (None: unknown)."""
    name = to_simplified(re.sub(r"\s+", "", name))  # 西山鄉人民政府 is a township too
    for suffix, kind in AGENCY_KIND_SUFFIXES:
        if re.search(suffix + "$", name):
            return kind
    return None


# --- Year ------------------------------------------------------------------------------------


def _year(meta: Metadata, doc: Document) -> int | None:
    title_year = _title_year(meta.title)
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


def _title_year(title: str | None) -> int | None:
    m = _TITLE_YEAR.search(title or "")
    return int(m.group(1)) if m else None


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
        value = _get(meta, key)
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
