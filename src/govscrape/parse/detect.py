"""Tell which national template a document follows from its own wording, not from its year."""

from __future__ import annotations

from collections.abc import Iterable

from govscrape.document import Document, Grid
from govscrape.parse.labels import fold_lines, key_form
from govscrape.template import TEMPLATE_MARKERS, V2019, V2021

LEGACY = "legacy"
UNKNOWN = "unknown"
# Rows of table 三 that exist in both templates: a table 三 without v2021's (六) sub-rows is v2019.
REQUEST_TABLE_MARKERS: tuple[str, ...] = (
    "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请",
)
# Wording of pre-2019 reports and of the 2014 national statistics sheet appended to many.
LEGACY_MARKERS: tuple[str, ...] = (
    "政府信息公开情况统计表",
    "统计指标",
    "依申请公开",
    "主动公开政府信息数",
    "申请总数",
    "政府信息公开工作年度报告",
)
_MARKERS = {name: tuple(key_form(m) for m in marks) for name, marks in TEMPLATE_MARKERS.items()}


def document_texts(doc: Document) -> Iterable[str]:
    """Every line and every distinct grid cell text of the document, in order."""
    for block in doc.blocks:
        if isinstance(block, Grid):
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    if cell.origin == (r, c) and cell.text:
                        yield cell.text
        else:
            yield block


def detect_template(doc: Document, year: int | None = None) -> str:
    """v2019, v2021, legacy (a pre-2019 style report) or unknown (no report wording at all)."""
    return template_of_texts(document_texts(doc), year)


def template_of_texts(texts: Iterable[str], year: int | None = None) -> str:
    """The template whose wording the texts carry (see detect_template)."""
    text = fold_lines(texts)
    scores = {name: sum(1 for m in marks if m in text) for name, marks in _MARKERS.items()}
    if scores[V2019] or scores[V2021]:
        return V2021 if scores[V2021] > scores[V2019] else V2019
    if any(m in text for m in REQUEST_TABLE_MARKERS):
        return V2019
    if (year is not None and year <= 2018) or any(m in text for m in LEGACY_MARKERS):
        return LEGACY
    return UNKNOWN
