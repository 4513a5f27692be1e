"""The records every stage passes on: Cell, Finding, Headline and Report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
# zero_or_blank: text lost the cell's position and the table's arithmetic pins its value to 0
# without telling whether 0 was printed or the cell was left blank (parse/reconstruct.py).
CellKind = Literal[
    "number", "blank", "not_applicable", "dash", "none_word", "text", "unread", "zero_or_blank"
]
TableName = Literal["requests", "active_disclosure", "review_litigation"]
HeadlineStatus = Literal["stated_count", "stated_zero", "qualified", "not_stated", "table"]

TABLES: tuple[TableName, ...] = ("requests", "active_disclosure", "review_litigation")
SECTIONS: tuple[str, ...] = (
    "overview",
    "active_disclosure",
    "requests",
    "review_litigation",
    "problems",
    "other_matters",
)


@dataclass(slots=True)
class Cell:
    """One value of a canonical table, in long form.

    `row`/`column` are the codes of docs/national-format.md: for `requests` the row code and the
    applicant; for `active_disclosure` the item and the metric; for `review_litigation` the
    proceeding and the outcome.
    """

    table: TableName
    row: str
    column: str
    value: int | float | None
    kind: CellKind
    raw: str | None
    unit: str | None = None


@dataclass(slots=True)
class Finding:
    """Something odd about a report, recorded beside the values and never changing them."""

    code: str
    severity: Severity
    message: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    expected: float | int | str | None = None
    found: float | int | str | None = None
    blank_as_zero: bool = False
    raw: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Headline:
    """A headline figure of a report (requests received, reviews …) and where it comes from.

    From the national table (status `table`, reports on 2019 onwards), or read from the
    report's prose: `stated_count`, `stated_zero`, `qualified` (an exception or a limit: value
    left null) or `not_stated`. `evidence` is the sentence quoted as found (or the table cells
    read); `note` says why a figure is qualified, or how a table figure was derived.
    """

    measure: str
    status: HeadlineStatus
    value: int | float | None = None
    unit: str | None = None
    evidence: str | None = None
    section: str | None = None
    note: str | None = None


@dataclass(slots=True)
class Report:
    """One parsed annual report: metadata, section texts, typed cells, findings and headline
    figures."""

    title: str | None = None
    agency: str | None = None
    agency_kind: str | None = None
    year: int | None = None
    published: datetime | None = None
    template: str = "unknown"
    source_form: str = "unknown"
    url: str | None = None
    processing_fee_yuan: float | None = None
    # Where `agency` was read: title | field | signature, or site (the caller's agency, the
    # document naming none); None when it was set by hand.
    agency_source: str | None = None
    sections: dict[str, str] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    headlines: list[Headline] = field(default_factory=list)

    def table(self, name: TableName) -> list[Cell]:
        return [c for c in self.cells if c.table == name]

    def cell(self, table: TableName, row: str, column: str) -> Cell | None:
        for c in self.cells:
            if c.table == table and c.row == row and c.column == column:
                return c
        return None

    def value(self, table: TableName, row: str, column: str) -> int | float | None:
        c = self.cell(table, row, column)
        return None if c is None else c.value
