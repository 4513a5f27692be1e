"""Tell which national template a document follows from its own wording, never from its year.

The wording is the document's labels: every text cell of its grids and every line (or, in text
tables, the label part of a line), values left out. The first rule that holds decides:

1. v2019 or v2021: wording found in one template only (template.TEMPLATE_MARKERS) occurs
   anywhere in the labels; the template with more such wordings wins, a tie goes to v2019.
2. v2019: no template-only wording, but a short label names a row of table 三 that both
   templates share (template.REQUEST_TABLE_MARKERS): a table 三 without v2021's (六) sub-rows.
3. legacy: at least template.LEGACY_MIN_MARKERS distinct pre-2019 wordings
   (template.LEGACY_MARKERS: the 2014 统计表's indicators such as 主动公开政府信息数, the 2008
   条例's section headings such as 依申请公开政府信息情况), each in a short label-like text.
4. unknown: anything else. A stub page whose title names the report (…2021年政府信息公开工作
   年度报告) and links to an attachment is `unknown`: that title phrase is in every report of
   every year, so it is evidence of no template, and neither is a missing table or the year.

Rules 2 and 3 read short labels only (a heading, a cell, a row label), so prose that quotes a
label ("全年主动公开政府信息数量1256条。") is not taken for a table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from govscrape.document import Document
from govscrape.labels import fold_lines, key_form
from govscrape.parse.rows import PhysRow, physical_rows
from govscrape.template import (
    LEGACY_MARKERS,
    LEGACY_MIN_MARKERS,
    REQUEST_TABLE_MARKERS,
    TEMPLATE_MARKERS,
    V2019,
    V2021,
)

LEGACY = "legacy"
UNKNOWN = "unknown"
MAX_LABEL_CHARS = 40  # normalised; a heading or an indicator name, not a sentence
MAX_RAW_CHARS = 100  # longer raw texts are prose: not even normalised (keeps caches for labels)
SENTENCE_MARKS = ("。", ";", ",")  # after normalisation (full-width ，； become , ;)
_MARKERS = {name: tuple(key_form(m) for m in marks) for name, marks in TEMPLATE_MARKERS.items()}
_REQUEST_MARKERS = tuple(key_form(m) for m in REQUEST_TABLE_MARKERS)
_LEGACY_MARKERS = tuple(key_form(m) for m in LEGACY_MARKERS)


def detect_template(doc: Document) -> str:
    """v2019, v2021, legacy or unknown, by the rules of the module docstring."""
    return template_of_labels(row_labels(physical_rows(doc)))


def row_labels(rows: Iterable[PhysRow]) -> Iterator[str]:
    """The text cells of the rows (neither blank nor values), in document order."""
    for row in rows:
        for p in row.cells:
            if not p.value and not p.blank:
                yield p.text


def template_of_labels(labels: Iterable[str]) -> str:
    """The template whose wording the labels carry (see the module docstring)."""
    labels = list(labels)
    text = fold_lines(labels)
    scores = {name: sum(1 for m in marks if m in text) for name, marks in _MARKERS.items()}
    if scores[V2019] or scores[V2021]:
        return V2021 if scores[V2021] > scores[V2019] else V2019
    short = [s for t in labels if len(t) <= MAX_RAW_CHARS and is_label_like(s := key_form(t))]
    if any(m in s for s in short for m in _REQUEST_MARKERS):
        return V2019
    if len(legacy_wording(short)) >= LEGACY_MIN_MARKERS:
        return LEGACY
    return UNKNOWN


def legacy_wording(labels: Iterable[str]) -> set[str]:
    """The distinct pre-2019 wordings found in the (key-form, label-like) labels."""
    return {m for s in labels for m in _LEGACY_MARKERS if m in s}


def is_label_like(key: str) -> bool:
    """A key-form text short and without sentence punctuation: a label, not prose."""
    return 0 < len(key) <= MAX_LABEL_CHARS and not any(p in key for p in SENTENCE_MARKS)
