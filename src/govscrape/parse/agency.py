"""The publishing agency, read from the report itself: its title, its page fields, its signature.

Evidence in the order it is trusted:
1. the title ("青石县财政局2023年…报告", "2020年湘西高新区信息公开工作年度报告"): the report
   names itself;
2. the publisher fields of an open-government catalogue page (发布机构, 发文机关 …);
3. the signature at the end (an agency's name on the line before the date);
4. the byline's 来源 / 信息来源 (often the portal office that posted the page);
and only then the caller's agency (a site's configured agency, `govscrape parse --agency`).

A 来源, publisher or signature naming an office ("湘西高新区管委会办公室") names the agency the
office writes for when the evidence says so: the office's agency is the caller's agency or is
named elsewhere in the report, or it is a body whose offices never publish on their own (a
bureau 局, a zone's 管委会, a township). Otherwise the office stays the agency: 某县人民政府办公室
and 某县机构编制委员会办公室 publish reports of their own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from govscrape.agencies import kind_of_agency, normalise_name, office_of, same_agency
from govscrape.document import Document
from govscrape.parse.title import agency_from_title, meta_value

PUBLISHER_FIELDS = ("发布机构", "发文机关", "发文机构", "发布部门")
SOURCE_FIELDS = ("ContentSource", "来源", "信息来源", "文章来源")
# Source values that name no agency.
NOT_AGENCIES = frozenset(("本网", "本站", "原创", "网站", "本网站", "转载", "政府网站", "-", "无"))
# Offices of these bodies are internal units: they write their body's report, never their own.
INTERNAL_OFFICE_KINDS = frozenset({"township", "other"})
NAME_MAX_CHARS = 40
SIGNATURE_WINDOW = 30  # the signature stands among the last lines of a report
_DATE = (
    r"(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|(?:19|20)\d{2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}"
    r"|[〇○零一二]{1}[〇○零一二三四五六七八九]{3}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)"
)
_DATE_LINE = re.compile(rf"^{_DATE}$")
_NAME_AND_DATE = re.compile(rf"^(?P<name>\S.+?)\s*{_DATE}$")
_NOT_IN_NAMES = re.compile(r"[\d。，,：:；;、！？!?]")


@dataclass(frozen=True, slots=True)
class AgencyReading:
    """The agency as read (as printed, without layout), where from, and the text behind it.

    `source`: title | field | signature | site (the caller's agency: nothing in the document
    names one)."""

    name: str | None
    source: str | None
    raw: str | None = None


def read_agency(doc: Document, title: str | None, given: str | None = None) -> AgencyReading:
    """The publishing agency of a report (see the module docstring for the order)."""
    if (name := agency_from_title(title)) is not None:
        return AgencyReading(normalise_name(name), "title", title)
    candidates = _candidates(doc)
    if candidates:
        name, source, raw = candidates[0]
        others = [given, *(c[0] for c in candidates[1:])]
        return AgencyReading(owner_of(name, others), source, raw)
    if given:
        return AgencyReading(given, "site")
    return AgencyReading(None, None)


def owner_of(name: str, others: list[str | None]) -> str:
    """The agency an office's name stands for, where the evidence says so (module docstring)."""
    office = office_of(name)
    if office is None:
        return name
    if any(same_agency(office, other) for other in others if other and other != name):
        return office
    if office.endswith("局") or kind_of_agency(office) in INTERNAL_OFFICE_KINDS:
        return office
    return name


def _candidates(doc: Document) -> list[tuple[str, str, str]]:
    """(name, source, raw) of every agency the page fields and the signature name, in trust order."""
    found = [_field(doc, key) for key in PUBLISHER_FIELDS]
    found.append(signature(doc))
    found += [_field(doc, key) for key in SOURCE_FIELDS]
    return [c for c in found if c is not None]


def _field(doc: Document, key: str) -> tuple[str, str, str] | None:
    value = meta_value(doc.meta, key)
    if not value or value.strip() in NOT_AGENCIES:
        return None
    name = plausible_name(value)
    return (name, "field", f"{key}: {value.strip()}") if name else None


def signature(doc: Document) -> tuple[str, str, str] | None:
    """The agency signing the report: the last name standing on the line before a date line
    (or before the date on its line) among the report's last lines; None when there is none."""
    lines = [b.strip() for b in doc.blocks if isinstance(b, str) and b.strip()]
    lines = [unicodedata.normalize("NFKC", line) for line in lines[-SIGNATURE_WINDOW:]]
    for i in range(len(lines) - 1, 0, -1):
        if _DATE_LINE.match(lines[i]) and (name := plausible_name(lines[i - 1])):
            return name, "signature", f"{lines[i - 1]}\n{lines[i]}"
        if (m := _NAME_AND_DATE.match(lines[i])) and (name := plausible_name(m.group("name"))):
            return name, "signature", lines[i]
    return None


def plausible_name(text: str) -> str | None:
    """The text as an agency's name (without layout), or None: short, no digits or sentence
    punctuation, and ending like an agency (局, 人民政府, 管委会 …)."""
    name = normalise_name(text)
    if not 2 <= len(name) <= NAME_MAX_CHARS or _NOT_IN_NAMES.search(name):
        return None
    return name if kind_of_agency(name) is not None else None
