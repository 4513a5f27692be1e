"""A report's headline figures: from its national table where it has one, else from its prose.

Every report read as a report gets one Headline per measure (prose_wording.MEASURES). A report
with a national table (v2019, v2021) takes the measures the table holds from the table (status
`table`; a sum of several rows, such as 不予公开, is derived: blank rows count as 0 with a
note, a row that could not be read leaves the sum null); the other measures, and every measure
of a report without one, come from the prose (parse/prose.py). Where both say a number, the
prose is a cross-check: a difference is a finding, and the table's value stays.
"""

from __future__ import annotations

from functools import lru_cache

from govscrape.document import Document
from govscrape.findings import finding
from govscrape.model import Cell, Finding, Headline, Report
from govscrape.parse.prose import read_prose
from govscrape.parse.prose_wording import MEASURES, Measure, TableSource
from govscrape.parse.sentences import report_sentences
from govscrape.template import TEMPLATES, request_rows

AS_ZERO = frozenset({"blank", "dash", "none_word"})  # counted as 0 in a sum, and said so
TABLE_NAMES = {"requests": "三", "active_disclosure": "二", "review_litigation": "四"}
TABLE_UNIT = "件"  # tables 三 and 四 count requests and cases
_COLUMNS = frozenset(m.table.column for m in MEASURES if m.table)  # the only ones looked up


def headline_figures(report: Report, doc: Document) -> tuple[list[Headline], list[Finding]]:
    """(one Headline per measure, findings where the prose contradicts the table)."""
    prose = read_prose(report_sentences(doc), report.year)
    if report.template not in TEMPLATES:
        return [prose[m.code] for m in MEASURES], []
    out, findings = [], []
    cells: CellIndex = {(c.table, c.row, c.column): c for c in report.cells if c.column in _COLUMNS}
    for measure in MEASURES:
        said = prose[measure.code]
        if measure.table is None:
            out.append(said)
            continue
        figure = table_figure(report.template, cells, measure.code, measure.table)
        out.append(figure)
        mismatch = cross_check(measure, figure, said)
        if mismatch is not None:
            findings.append(mismatch)
    return out, findings


CellIndex = dict[tuple[str, str, str], Cell]  # (table, row, column) -> the cell read


def table_figure(template: str, index: CellIndex, code: str, source: TableSource) -> Headline:
    """The measure as the national table gives it (status `table`)."""
    rows = _rows(template, source)
    cells = {row: index.get((source.table, row, source.column)) for row in rows}
    table = f"table {TABLE_NAMES[source.table]} ({source.table})"
    if all(c is None for c in cells.values()):
        return Headline(code, "table", note=f"not read from {table}: see the findings")
    evidence = f"{table}, column {source.column}: " + " + ".join(
        f"{row} {_raw(cell)}" for row, cell in cells.items()
    )
    value, note = _sum(cells)
    return Headline(code, "table", value, TABLE_UNIT, evidence, source.table, note)


@lru_cache(maxsize=64)
def _rows(template: str, source: TableSource) -> tuple[str, ...]:
    """The source's rows in the report's template (`denied.` is every 不予公开 row); the
    same for every report of a template, so worked out once."""
    out: list[str] = []
    for row in source.rows:
        if row.endswith("."):
            out += [r.code for r in request_rows(template) if r.code.startswith(row)]
        else:
            out.append(row)
    return tuple(out)


def _raw(cell: Cell | None) -> str:
    if cell is None:
        return "(not read)"
    return repr(cell.raw if cell.raw is not None else "")


def _sum(cells: dict[str, Cell | None]) -> tuple[int | float | None, str | None]:
    """(value, note): one cell as read (blank is null, never 0); several summed, blank ones
    counted as 0 and named, null when one could not be read."""
    if len(cells) == 1:
        ((row, cell),) = cells.items()
        if cell is not None and cell.kind == "number":
            return cell.value, None
        return None, f"{row}: {'not read' if cell is None else cell.kind}, no number"
    total: int | float = 0
    as_zero, unread = [], []
    for row, cell in cells.items():
        if cell is not None and cell.kind == "number" and cell.value is not None:
            total += cell.value
        elif cell is not None and cell.kind in AS_ZERO:
            as_zero.append(row)
        else:
            unread.append(row)
    if unread:
        return None, "sum not computed: " + ", ".join(unread) + " could not be read"
    note = "sum of the rows" + ("; blank counted as 0: " + ", ".join(as_zero) if as_zero else "")
    return total, note


def cross_check(measure: Measure, figure: Headline, said: Headline) -> Finding | None:
    """A finding when the prose states a plain figure that the table contradicts."""
    if said.status not in ("stated_count", "stated_zero") or figure.value is None:
        return None
    if said.value == figure.value:
        return None
    source = measure.table
    return finding(
        "headline.prose_table_mismatch",
        f"{measure.code}: the report's text says {said.value}, its table "
        f"{TABLE_NAMES[source.table] if source else ''} says {figure.value}; the table's value "
        f"is kept: “{said.evidence}”",
        table=source.table if source else None,
        row=",".join(source.rows) if source else None,
        column=source.column if source else None,
        expected=figure.value,
        found=said.value,
        raw=said.evidence,
    )
