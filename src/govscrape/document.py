"""The neutral output of extraction: text lines and tables as grids, no template codes."""

from __future__ import annotations

from dataclasses import dataclass, field

from govscrape.model import Finding


@dataclass(slots=True)
class GridCell:
    """One position of a table grid after spans are expanded.

    `origin` is the (row, column) where the source cell starts: a cell copied into further
    positions by rowspan/colspan keeps the origin of its source, so readers can tell the copy
    from a distinct cell holding the same text.
    """

    text: str
    origin: tuple[int, int]
    raw: str | None = None

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(slots=True)
class Grid:
    """A table as rows of cells, every row as wide as the widest (short rows padded blank)."""

    rows: list[list[GridCell]]
    page: int | None = None


Block = str | Grid  # a line of text, or a table


@dataclass(slots=True)
class Document:
    """What an extractor read from one file, before any template is applied.

    `source_form` is one of: html_table, html_text, text_cells, text_pipe, text_pdf, pdf, docx,
    unsupported, unknown.
    `meta` holds metadata found in the document (meta tags such as ArticleTitle/PubDate, byline
    fields such as 发布时间/来源, PDF info such as CreationDate), keyed by their own names.
    """

    source_form: str
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
