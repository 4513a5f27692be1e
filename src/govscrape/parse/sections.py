"""Split a Document's text lines into the six report sections by their headings (any variant)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import TypeVar

from govscrape.document import Document
from govscrape.findings import finding
from govscrape.labels import normalise
from govscrape.model import Finding
from govscrape.template import SECTIONS, Line

T = TypeVar("T")
LINE_CACHE = 1 << 14  # lines remembered (headings, bylines and boilerplate recur across reports)
CACHED_LINE_CHARS = 200  # only lines this short are remembered: memory stays bounded
HEAD_CHARS = 60  # a heading is matched on the start of a line; the rest may be section text
PREFIX_MAX = 6  # words allowed before a key in a numbered heading ("本机关", "行政机关")
MIN_SECTIONS_FOR_REPORT = 3  # fewer headings found: not a report (or legacy), no findings
EMPTY_SECTION_CHARS = 10
WRAPPED_MIN_CHARS = 4  # the first line of a wrapped heading holds at least this much of it  # a section this short was a table of contents entry
# Numbering before a section heading, after normalise(): 一、 一. (一) 第一部分 1、 1. Ⅰ.
_NUMBERING = re.compile(
    r"^(?:第[一二三四五六七八九十]{1,2}部分[、.,:]?|[一二三四五六七八九十]{1,2}[、.,:]|\([一二三四五六]\)"
    r"|[1-6][、.](?!\d)|[ⅠⅡⅢⅣⅤⅥ]{1,3}[、.]?)"
)
_TRAILING = "。.:;"  # may end a heading, or separate it from text on the same line
# Page furniture after the report's end: the last section stops at the first such line.
CHROME_PREFIXES: tuple[str, ...] = (
    "相关文档",
    "相关链接",
    "相关阅读",
    "扫一扫",
    "分享到",
    "上一篇",
    "下一篇",
    "责任编辑",
    "【打印",
    "【关闭",
    "打印本页",
    "关闭窗口",
    "网站地图",
    "主办单位",
    "版权所有",
    "网站标识码",
)
CHROME_LINES = frozenset(
    ("关闭", "打印", "关闭打印", "打印关闭", "【打印】", "【关闭】", "返回顶部")
)


@dataclass(frozen=True, slots=True)
class _Key:
    text: str
    section: Line
    number: int  # the section's place in the national order, 1-6


def _keys() -> tuple[_Key, ...]:
    keys = [
        _Key(normalise(k), line, number)
        for number, line in enumerate(SECTIONS, start=1)
        for k in line.keys
    ]
    return tuple(sorted(keys, key=lambda k: -len(k.text)))


_NUMERALS = {
    **{c: i for i, c in enumerate("一二三四五六", start=1)},
    **{c: i for i, c in enumerate("123456", start=1)},
    **{c: i for i, c in enumerate("ⅠⅡⅢⅣⅤⅥ", start=1)},
}


def _number_of(numbering: str) -> int | None:
    """The section number a heading's numbering states (一、 → 1, (三) → 3), if it says one."""
    digits = [c for c in numbering if c in _NUMERALS or c in "十ⅠⅡⅢⅣⅤ"]
    if len(digits) != 1:  # 十一、, ⅡⅠ, 第十部分: not one of the six sections' numbers
        return None if digits else 0
    return _NUMERALS.get(digits[0])


_KEYS = _keys()
# Each key's last two characters: a cheap filter before the full match.
_TAILS = re.compile("|".join(sorted({re.escape(k.text[-2:]) for k in _KEYS})))


def line_cached(fn: Callable[[str], T]) -> Callable[[str], T]:
    """`fn` of a line, remembered for lines up to CACHED_LINE_CHARS (headings, bylines and
    boilerplate recur across reports); longer ones are worked out each time: memory stays
    bounded."""
    cached = lru_cache(maxsize=LINE_CACHE)(fn)

    @wraps(fn)
    def of_line(line: str) -> T:
        return cached(line) if len(line) <= CACHED_LINE_CHARS else fn(line)

    return of_line


@line_cached
def heading_of(line: str) -> tuple[str, str] | None:
    """(section code, text after the heading on the same line) when `line` is a heading."""
    head = normalise(line[:HEAD_CHARS])
    if _TAILS.search(head) is None:
        return None
    numbered = _NUMBERING.match(head)
    core = head[numbered.end() :] if numbered else head
    # A numbered heading must carry its own section's number: "(一)主动公开情况" is a
    # sub-heading of 一、总体情况, not section 二.
    number = _number_of(numbered.group()) if numbered else 0
    for key in _KEYS:
        if number != 0 and number != key.number:
            continue
        if core.rstrip(_TRAILING) == key.text:
            return key.section.code, ""
        if not numbered:
            continue
        at = core.find(key.text)
        if at < 0 or at > PREFIX_MAX:
            continue
        rest = core[at + len(key.text) :]
        if not rest or rest[0] in _TRAILING:
            return key.section.code, _rest_of(line)
    return None


def _rest_of(line: str) -> str:
    """What follows the heading on its line, cut at the first stop or colon."""
    for i, ch in enumerate(line):
        if ch in "。:：":
            return line[i + 1 :].strip()
    return ""


def is_chrome(line: str) -> bool:
    """A line of page furniture (打印, 关闭, 上一篇 …), not report text."""
    s = line.strip()
    return s in CHROME_LINES or s.startswith(CHROME_PREFIXES)


def split_sections(doc: Document) -> tuple[dict[str, str], list[Finding]]:
    """Text of each section found (code → text) and findings about missing ones."""
    parts: dict[str, list[str]] = {}
    current: list[str] | None = None
    items = _items(doc)
    skip = False
    for i, (line, in_table) in enumerate(items):
        if skip:
            skip = False
            continue
        hit = heading_of(line)
        if hit is None and not in_table and i + 1 < len(items) and _starts_heading(line):
            # A heading wrapped over two lines, as PDF text gives long ones.
            hit = heading_of(line.strip() + items[i + 1][0].strip())
            skip = hit is not None
        if hit is not None:
            code, rest = hit
            seen = parts.get(code)
            if seen is None or len("".join(seen)) < EMPTY_SECTION_CHARS:
                current = parts[code] = [rest] if rest else []
                continue
        if current is not None and not in_table:
            current.append(line.strip())
    _cut_chrome(parts)
    sections = {line.code: "\n".join(parts[line.code]) for line in SECTIONS if line.code in parts}
    return sections, _missing(sections)


def _items(doc: Document) -> list[tuple[str, bool]]:
    """Text lines, and (flagged True) the full-width merged rows of tables: some reports put
    the section headings inside one big table, as caption rows. Table cells are never text."""
    items: list[tuple[str, bool]] = []
    for block in doc.blocks:
        if isinstance(block, str):
            items.append((block, False))
            continue
        for row in block.rows:
            if row and row[0].origin == row[-1].origin and row[0].text:
                items.append((row[0].text, True))
    return items


@line_cached
def _starts_heading(line: str) -> bool:
    """A numbered short line that begins some heading key (its end on the next line)."""
    head = normalise(line[:HEAD_CHARS])
    numbered = _NUMBERING.match(head)
    if numbered is None or len(head) > HEAD_CHARS // 2:
        return False
    core = head[numbered.end() :]
    return len(core) >= WRAPPED_MIN_CHARS and any(
        k.text.startswith(core) and k.text != core for k in _KEYS
    )


def _cut_chrome(parts: dict[str, list[str]]) -> None:
    for lines in parts.values():
        for i, line in enumerate(lines):
            if is_chrome(line):
                del lines[i:]
                break


def _missing(sections: dict[str, str]) -> list[Finding]:
    if len(sections) < MIN_SECTIONS_FOR_REPORT:
        return []
    return [
        finding(
            "parse.missing_section",
            f"section {line.code} ({line.label}) not found under any known heading; "
            "if the report words it differently, add the variant to template.SECTIONS",
            expected=line.label,
        )
        for line in SECTIONS
        if line.code not in sections
    ]
