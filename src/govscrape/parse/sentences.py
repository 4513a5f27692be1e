"""A Document's prose as sentences, each quoted exactly as found and placed in its section.

Lines are joined until one ends a sentence (。！？), so a statement wrapped over two lines (a
PDF line, an HTML <br>) reads as one; inline tags were already joined by extraction. Headings
(the national ones of parse/sections.py, and the freely numbered ones of pre-2019 reports),
page furniture, bylines and the title line stand alone and are never joined to a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from govscrape.document import Document, Grid
from govscrape.labels import normalise
from govscrape.parse.prose_wording import (
    LEGACY_HEADING_ENDINGS,
    LEGACY_HEADING_NUMBERING,
    LEGACY_HEADINGS,
    MAX_HEADING_CHARS,
    MAX_SENTENCE_CHARS,
    SENTENCE_END,
)
from govscrape.parse.sections import LINE_CACHE, heading_of, is_chrome, line_cached

# Lines that are page metadata, not report text: never joined to a sentence.
BYLINE = re.compile(
    r"^(?:发布(?:日期|时间|机构)|来源|信息来源|索引号|发文字号|文号|时间|日期|浏览次数|点击数|"
    r"字号|【字体|作者|编辑|访问量|阅读)[:：]?"
)
DATE_ONLY = re.compile(r"^[\d年月日\-/.\s:：〇零一二三四五六七八九十]+$")
TITLE_WORDS = ("年度报告", "年报", "工作报告")
SUB_NUMBERING = re.compile(r"^\((?:[一二三四五六七八九十]{1,2}|\d{1,2})\)")
_LEGACY_NUMBERING = re.compile(LEGACY_HEADING_NUMBERING.pattern)
_LEGACY_ENDINGS = re.compile(LEGACY_HEADING_ENDINGS.pattern)
_LEGACY = tuple((code, re.compile(w.pattern)) for code, w in LEGACY_HEADINGS)
# The heading words, also in traditional script, to pass over most lines before normalising.
_LEGACY_ANY = re.compile("情况|情況|概述|概况|概況|措施|事项|事項|问题|問題|工作|举措|舉措")
_ENDS = set(SENTENCE_END)
_SENTENCE = re.compile(f"[^{SENTENCE_END}]*[{SENTENCE_END}]+|[^{SENTENCE_END}]+$")
_BREAK_PIECES = re.compile(r"(?<=[;；])")
CACHED_PARAGRAPH_CHARS = 400  # paragraphs this short are remembered split into sentences
CELL_CHARS = 12  # a line this short without punctuation reads as a table cell
CELL_RUN = 2  # a paragraph with this many cell-like lines is a flattened table, not prose


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as found (lines joined, nothing else changed) and the section it stands in."""

    text: str
    section: str | None = None


def report_sentences(doc: Document) -> list[Sentence]:
    """Every sentence of the document's prose, in order; tables are not prose, and neither is
    a run of short cell-like lines (a table flattened to one cell per line)."""
    out: list[Sentence] = []
    section: str | None = None
    paragraph: list[str] = []

    def flush() -> None:
        if len(paragraph) == 1:  # most paragraphs are one line: no run of cells to drop
            out.extend(_split(paragraph[0], section))
        else:
            for piece in without_cells(paragraph):
                out.extend(_split("".join(piece), section))
        paragraph.clear()

    for line in _lines(doc):
        if line is None or _stands_alone(line):
            flush()
            continue
        hit = heading(line)
        if hit is not None:
            flush()
            section, line = hit
            if not line:
                continue
        paragraph.append(line)
        if line[-1] in _ENDS:
            flush()
    flush()
    return out


def without_cells(lines: list[str]) -> list[list[str]]:
    """The lines in pieces of prose: a run of CELL_RUN or more cell-like lines is a flattened
    table; it is dropped and the prose before and after it are apart."""
    pieces: list[list[str]] = [[]]
    run: list[str] = []
    for line in lines:
        if cell_like(line):
            run.append(line)
            continue
        if len(run) >= CELL_RUN:
            pieces.append([])
        else:
            pieces[-1] += run
        run = []
        pieces[-1].append(line)
    if len(run) < CELL_RUN:
        pieces[-1] += run
    return [piece for piece in pieces if piece]


def cell_like(line: str) -> bool:
    """A short line without sentence punctuation, or a pipe-separated row: a table cell."""
    if line.count("|") >= 2:
        return True
    return len(line) <= CELL_CHARS and not any(c in line for c in "，,。；;：:")


def _lines(doc: Document) -> Iterator[str | None]:
    """The text lines, stripped; None where a table interrupts the text. A table row that is
    one merged cell (a caption, or a heading some reports put in their table) is a line."""
    for block in doc.blocks:
        if isinstance(block, Grid):
            yield None
            for row in block.rows:
                if row and row[0].origin == row[-1].origin and row[0].text.strip():
                    yield row[0].text.strip()
                    yield None
            continue
        line = block.strip()
        if line:
            yield line


@line_cached
def _stands_alone(line: str) -> bool:
    """Page furniture, a byline, a date or the title: a line no sentence continues into."""
    if is_chrome(line) or BYLINE.match(line) or DATE_ONLY.match(line):
        return True
    return line[-1] not in _ENDS and any(w in line for w in TITLE_WORDS) and len(line) <= 60


@line_cached
def heading(line: str) -> tuple[str, str] | None:
    """(section code, text after the heading) when the line heads a section: a national
    heading (parse/sections.py), or a pre-2019 one (prose_wording.LEGACY_HEADINGS)."""
    national = heading_of(line)
    if national is not None:
        return national
    if not _LEGACY_ANY.search(line[: MAX_HEADING_CHARS * 3]):
        return None  # no pre-2019 heading word (in either script): not a heading
    text = normalise(line[: MAX_HEADING_CHARS * 3])
    if SUB_NUMBERING.match(text):
        return None  # (一)主动公开情况 is a part of its section, not a section
    numbered = _LEGACY_NUMBERING.match(text)
    body = text[numbered.end() :] if numbered else text
    head, sep, rest = _cut(body)
    if not head or len(head) > MAX_HEADING_CHARS or not _LEGACY_ENDINGS.search(head):
        return None
    if not numbered and (sep or any(c.isdigit() for c in head)):
        return None  # an unnumbered heading is a bare short line
    for code, pattern in _LEGACY:
        if pattern.search(head):
            return code, _rest_of(line) if rest else ""
    return None


def _cut(body: str) -> tuple[str, str, str]:
    """(heading, separator, rest): a heading may run on into text after a colon or a stop."""
    for i, ch in enumerate(body):
        if ch in ":。":
            return body[:i].rstrip("."), ch, body[i + 1 :]
    return body.rstrip("."), "", ""


def _rest_of(line: str) -> str:
    """The original text after the heading's colon or stop."""
    for i, ch in enumerate(line):
        if ch in ":：。":
            return line[i + 1 :].strip()
    return ""


def split_sentences(text: str, section: str | None) -> list[Sentence]:
    """Sentences ending at 。！？; one longer than MAX_SENTENCE_CHARS is cut at its
    semicolons, and a piece still that long is no sentence (a flattened table): dropped."""
    return list(_split(text, section))


def _split(text: str, section: str | None) -> tuple[Sentence, ...]:
    """split_sentences, short paragraphs cached: boilerplate recurs across reports."""
    if len(text) <= CACHED_PARAGRAPH_CHARS:
        return _split_cached(text, section)
    return tuple(_split_text(text, section))


@lru_cache(maxsize=LINE_CACHE)
def _split_cached(text: str, section: str | None) -> tuple[Sentence, ...]:
    return tuple(_split_text(text, section))


def _split_text(text: str, section: str | None) -> list[Sentence]:
    out: list[Sentence] = []
    for piece in _SENTENCE.findall(text):
        out.extend(_pieces(piece, section))
    return out


def _pieces(sentence: str, section: str | None) -> list[Sentence]:
    sentence = sentence.strip()
    if not sentence or all(c in _ENDS for c in sentence):
        return []
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return [Sentence(sentence, section)]
    parts = [p.strip() for p in _BREAK_PIECES.split(sentence)]
    return [Sentence(p, section) for p in parts if p and len(p) <= MAX_SENTENCE_CHARS]
