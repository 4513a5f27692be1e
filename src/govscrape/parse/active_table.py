"""Table 二 (active disclosure) read block by block: each 第二十条 caption opens a block whose
item rows are read under that block's metric columns (and unit, when its header states one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from govscrape.labels import LabelIndex, normalise
from govscrape.parse.rows import PhysRow
from govscrape.parse.rowtable import ColumnMap, RowTable, make_cells, unread_cells
from govscrape.parse.table_outcome import (
    Outcome,
    ambiguous,
    header_spans,
    missing_row,
    missing_table,
    row_cells,
    shared_index,
    valid_map,
)
from govscrape.template import (
    ACTIVE_DISCLOSURE,
    ACTIVE_DISCLOSURE_HEADER_KEYS,
    ACTIVE_DISCLOSURE_HEADER_UNITS,
    OPTIONAL_ITEMS,
    Block,
    Line,
)

_AD_HEADER = Line(
    "info", ACTIVE_DISCLOSURE_HEADER_KEYS[0], ACTIVE_DISCLOSURE_HEADER_KEYS, "Header word"
)


@lru_cache(maxsize=4)
def _template_parts(template: str):
    """(items, metrics, block captions, item -> position, item -> block) of the template's
    table 二: the same for every report, so worked out once (the dicts are only read)."""
    blocks = ACTIVE_DISCLOSURE[template]
    items = tuple(item for b in blocks for item in b.items)
    metrics = tuple({m.code: m for b in blocks for m in b.metrics}.values())
    captions = tuple(Line(b.group, b.group, b.keys, "block caption") for b in blocks)
    order = {item.code: i for i, item in enumerate(items)}
    return items, metrics, captions, order, {item.code: b for b in blocks for item in b.items}


@dataclass
class ActiveTable(RowTable):
    template: str = ""
    captions: LabelIndex | None = None
    blocks: dict[str, Block] = field(default_factory=dict)  # item code -> its block
    block: Block | None = None
    units: dict[str, str] = field(default_factory=dict)  # block group -> unit from its header
    spans: dict[tuple[str, int], ColumnMap] = field(default_factory=dict)  # (group, grid)

    @classmethod
    def for_template(cls, template: str) -> ActiveTable:
        items, metrics, captions, order, blocks = _template_parts(template)
        return cls(
            name="active_disclosure",
            rows=shared_index("ad_items", template, items),
            headings=shared_index("none", "", ()),
            headers=shared_index("ad_headers", template, (*metrics, _AD_HEADER)),
            order=order,
            template=template,
            captions=shared_index("ad_captions", template, captions),
            blocks=blocks,
        )

    def width(self, line: Line) -> int:
        return len(self.blocks[line.code].metrics)

    def is_anchor(self, label: str) -> bool:
        assert self.captions is not None
        return self.captions.first(label) is not None

    def on_other(self, label: str) -> bool:
        assert self.captions is not None
        caption = self.captions.first(label)
        if caption is None:
            return False
        self.block = next(b for b in ACTIVE_DISCLOSURE[self.template] if b.group == caption.code)
        return True

    def on_header(self, label: str, row: PhysRow) -> None:
        if self.block is None:
            return
        text = normalise(label)
        for mark, unit in ACTIVE_DISCLOSURE_HEADER_UNITS:
            if mark in text:
                self.units[self.block.group] = unit
                break
        if row.grid:
            found = self.spans.setdefault((self.block.group, row.table), {})
            codes = {m.code for m in self.block.metrics}
            header_spans(row, self.headers, codes, found)

    def layout_key(self, line: Line) -> str:
        return self.blocks[line.code].group

    def column_map(self, line: Line, table: int) -> ColumnMap | None:
        block = self.blocks[line.code]
        spans = self.spans.get((block.group, table))
        return valid_map(spans, tuple(m.code for m in block.metrics)) if spans else None

    def label_end(self, table: int) -> int | None:
        if self.block is None or not (spans := self.spans.get((self.block.group, table))):
            return None
        return min(start for start, _end in spans.values())

    def outcome(self) -> Outcome:
        out = Outcome(findings=list(self.findings))
        if not self.anchored:
            out.findings.append(missing_table(self.name))
            return out
        for line in self.rows.lines:
            block = self.blocks[line.code]
            columns = tuple(m.code for m in block.metrics)
            got = self.read.get(line.code)
            if got is None:
                if line.code not in OPTIONAL_ITEMS:
                    out.findings.append(missing_row(self.name, line))
                    out.cells += unread_cells(self.name, line.code, columns)
                continue
            pieces = self.row_pieces(got, columns)
            if len(pieces) == len(columns):
                out.cells += make_cells(self.name, line.code, columns, pieces, self._units(block))
                continue
            cells = row_cells(self.name, line.code, columns, pieces, got.raw, out)
            if cells is None:
                out.findings.append(
                    ambiguous(self.name, line.code, len(pieces), len(columns), got.raw)
                )
                cells = unread_cells(self.name, line.code, columns)
            out.cells += cells
        return out

    def _units(self, block: Block):
        metric_units = {m.code: m.unit for m in block.metrics}
        header_unit = self.units.get(block.group)

        def unit(column: str, cell_unit: str | None) -> str | None:
            if cell_unit:
                return cell_unit
            if column == "amount":
                return header_unit or metric_units.get(column)
            return None

        return unit
