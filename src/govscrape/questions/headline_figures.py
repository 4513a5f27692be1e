"""Headline figures per report: requests, shares, corrections, active disclosure, with notes.

Across the 2021 break (docs/national-format.md#the-2021-break) "other handling" is `other_total`:
v2019's `other` row, or the sum of v2021's three `other.*` rows, marked derived. A sum
(denied, other_total, litigation_*) is null when one of its parts could not be read (text,
unread, not applicable, missing), with a note naming it; blank, — and 无 parts count as 0
only with a note saying so (docs/national-format.md#blank-as-zero). The active-disclosure
figures whose meaning changed are separate columns, each defined for one template only, so
that unlike things never share a column; the notes say so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.dataset as ds

from govscrape.questions.cells import AS_ZERO, describe_cell, unpack_cell
from govscrape.questions.load import load, load_where
from govscrape.questions.prose import with_prose_figures
from govscrape.template import TEMPLATES, request_rows

LITIGATION = ("litigation_direct", "litigation_after_review")


@dataclass(frozen=True, slots=True)
class ActiveFigure:
    """A headline figure of table 二: its (item, metric) per template, and a caveat if any."""

    cells: dict[str, tuple[str, str]]  # template -> (item, metric)
    caveat: str = ""  # set when the figure does not compare across the 2021 break


ACTIVE_FIGURES: dict[str, ActiveFigure] = {
    "license_decisions": ActiveFigure(
        {"v2019": ("license", "decisions"), "v2021": ("license", "decisions")}
    ),
    "penalty_decisions": ActiveFigure(
        {"v2019": ("penalty", "decisions"), "v2021": ("penalty", "decisions")}
    ),
    "normative_new_published": ActiveFigure(
        {"v2019": ("normative_document", "new_published")},
        "v2019 only (规范性文件 本年新公开数量); v2021 reports count documents issued "
        "(normative_issued) instead: not comparable",
    ),
    "normative_issued": ActiveFigure(
        {"v2021": ("normative_document", "issued")},
        "v2021 only (行政规范性文件 本年制发件数); not comparable with v2019's "
        "normative_new_published",
    ),
    "admin_fee_wan": ActiveFigure(
        {"v2021": ("admin_fee", "amount")},
        "v2021 only (行政事业性收费 本年收费金额, 万元); v2019 reports count fee items "
        "instead: not comparable",
    ),
}
FIGURE_MEANINGS: dict[str, str] = {
    "new_requests": "一、本年新收 (总计)",
    "handled": "(七)总计: requests handled",
    "granted": "(一)予以公开",
    "partially_granted": "(二)部分公开",
    "denied": "(三)不予公开, sum of its 8 rows (null when a row could not be read; blank rows "
    "counted as 0, said in the notes)",
    "other_total": "(六)其他处理: v2019 one row, v2021 sum of its 3 rows (derived; summed as "
    "denied is)",
    "share_granted": "granted / handled",
    "share_denied": "denied / handled",
    "review_total": "行政复议 总计",
    "review_corrected": "行政复议 结果纠正",
    "litigation_total": "行政诉讼 总计 (direct + after review; summed as denied is)",
    "litigation_corrected": "行政诉讼 结果纠正 (direct + after review; summed as denied is)",
    "license_decisions": "行政许可 处理决定数量",
    "penalty_decisions": "行政处罚 处理决定数量",
    "findings": "error and warning findings of the report (govscrape findings)",
}
SOURCE_MEANING = (
    "table: the national table; prose: what the report's text states (reports before 2019 "
    "have no table), a qualified statement left blank; the sentences are in the headlines "
    "dataset"
)
HEADLINE_COLUMNS = [
    "year", "agency", "agency_kind", "template", "source", "new_requests", "handled", "granted",
    "partially_granted", "denied", "other_total", "other_total_derived", "share_granted",
    "share_denied", "review_total", "review_corrected", "litigation_total",
    "litigation_corrected", *ACTIVE_FIGURES, "findings", "notes", "report_id", "url",
]  # fmt: skip
HEADLINE_TYPES = {
    "year": "Int16",
    **dict.fromkeys(
        ["new_requests", "handled", "granted", "partially_granted", "denied", "other_total"],
        "Int64",
    ),
    "other_total_derived": "boolean",
    "share_granted": "Float64",
    "share_denied": "Float64",
    **dict.fromkeys(
        ["review_total", "review_corrected", "litigation_total", "litigation_corrected"], "Int64"
    ),
    **dict.fromkeys(ACTIVE_FIGURES, "Float64"),
    "findings": "Int64",
}
DERIVED_NOTE = "other_total derived: sum of other.* (v2021)"
# A derived figure (denied, other_total, litigation_*) is null when a part could not be read,
# and counts blank, — and 无 as 0 only with this note (docs/national-format.md#blank-as-zero).
NOT_COMPUTED = "{name} not computed: {parts} could not be read"
BLANK_AS_ZERO = "{name}: blank counted as 0 ({parts})"
BREAK_NOTE = "across the 2021 break, not comparable: "


def headlines(data_dir: Path | str, **where) -> pd.DataFrame:
    """Headline figures per report (requests, shares, corrections, active disclosure); for a
    report without a national table, the figures its text states (`source` prose)."""
    reports = load("reports", data_dir, **where)
    totals = load_where("requests", data_dir, ds.field("applicant") == "total", **where)
    requests = _by_report(totals, "row", "applicant")
    review = _by_report(load("review_litigation", data_dir, **where), "proceeding", "outcome")
    active = load("active_disclosure", data_dir, **where)
    active_cells = {
        (r.report_id, str(r.item), str(r.metric)): (r.value, r.unit)
        for r in active.itertuples(index=False)
        if not pd.isna(r.value)
    }
    rows = [
        _headline(r, requests.get(r.report_id, {}), review.get(r.report_id, {}), active_cells)
        for r in reports.itertuples(index=False)
    ]
    frame = pd.DataFrame(rows, columns=HEADLINE_COLUMNS).astype(HEADLINE_TYPES)
    frame = with_prose_figures(frame, data_dir, **where)
    frame["notes"] = _notes(frame)
    return frame


def _by_report(long: pd.DataFrame, row_axis: str, col_axis: str) -> dict[str, dict]:
    """report_id -> {(row, column): (value or None, kind, raw)}, every cell as read (a cell
    read twice with different contents becomes kind "conflict")."""
    out: dict[str, dict[tuple[str, str], tuple]] = {}
    values = long["value"].to_numpy(dtype=object, na_value=None).tolist()
    raws = long["raw"].to_numpy(dtype=object, na_value=None).tolist()
    columns = zip(
        long["report_id"].tolist(), long[row_axis].astype(str).tolist(),
        long[col_axis].astype(str).tolist(), values, long["kind"].astype(str).tolist(), raws,
        strict=True,
    )  # fmt: skip
    for report_id, row, column, value, kind, raw in columns:
        cells = out.setdefault(report_id, {})
        cell = (None if value is None else int(value), kind, raw)
        seen = cells.get((row, column))
        if seen is not None and seen[:2] != cell[:2]:
            cell = (None, "conflict", f"{seen[2]!r} and {raw!r}")
        cells[(row, column)] = cell
    return out


def derive(name: str, parts: dict[str, tuple | None]) -> tuple[int | None, str]:
    """(sum of the parts, note). Null, with a note naming the parts, when any part could not be
    read (text, unread, not applicable, missing); blank, — and 无 count as 0, noted."""
    if all(cell is None for cell in parts.values()):
        return None, ""  # the table was not read at all: nothing to derive from
    total, as_zero, unread = 0, [], []
    for part, cell in parts.items():
        value, kind, raw = unpack_cell(cell)
        if kind == "number" and value is not None:
            total += int(value)
        elif kind in AS_ZERO:
            as_zero.append(part)
        else:
            unread.append(f"{part} ({describe_cell(kind, raw)})")
    if unread:
        return None, NOT_COMPUTED.format(name=name, parts=", ".join(unread))
    if as_zero:
        return total, BLANK_AS_ZERO.format(name=name, parts=", ".join(as_zero))
    return total, ""


def _number(cell: tuple | None) -> int | None:
    """A figure as reported: the number, or null (blank stays null, never 0)."""
    value, kind, _ = unpack_cell(cell)
    return value if kind == "number" else None


def _share(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return round(float(part) / float(whole), 4)


def _parts(cells: dict, rows: Sequence[str], column: str) -> dict[str, tuple | None]:
    return {row: cells.get((row, column)) for row in rows}


def _rows(template: object, cells: dict, prefix: str) -> list[str]:
    """The rows of a block (e.g. `denied.`): the template's, else those read."""
    if template in TEMPLATES:
        return [r.code for r in request_rows(str(template)) if r.code.startswith(prefix)]
    return sorted({row for row, _ in cells if row.startswith(prefix)})


def _headline(report, cells: dict, rev: dict, active: dict) -> dict:
    """One report's row of HEADLINE_COLUMNS; notes say what was derived or not computed."""
    notes: list[str] = []

    def figure(name: str, parts: dict[str, tuple | None]) -> int | None:
        value, note = derive(name, parts)
        notes.extend([note] if note else [])
        return value

    row = {
        "year": report.year,
        "agency": report.agency,
        "agency_kind": report.agency_kind,
        "template": report.template,
        **_request_figures(report.template, cells, figure),
        **_review_figures(rev, figure),
        "findings": _count(report.findings_error) + _count(report.findings_warning),
        "report_id": report.report_id,
        "url": report.url,
    }
    row["notes"] = "; ".join(notes)
    for name, figure_def in ACTIVE_FIGURES.items():
        row[name] = _active_value(figure_def, report, active)
    return row


def _request_figures(template: object, cells: dict, figure: Callable) -> dict:
    """Table 三's headline figures; denied and a v2021 other_total are derived sums."""
    req = {row: _number(cell) for (row, _column), cell in cells.items()}
    denied = figure("denied", _parts(cells, _rows(template, cells, "denied."), "total"))
    other_rows = _rows(template, cells, "other.")
    # A v2021 report printing v2019's single (六)其他处理 row has `other` itself (its
    # other.* unread, parse.other_as_one_row): that row is the figure, not a derived sum.
    derived = "other" not in req and (template == "v2021" or bool(other_rows))
    if derived:
        other_total = figure("other_total", _parts(cells, other_rows, "total"))
    else:
        other_total = req.get("other")
    handled = req.get("total_handled")
    return {
        "new_requests": req.get("new"),
        "handled": handled,
        "granted": req.get("granted"),
        "partially_granted": req.get("partially_granted"),
        "denied": denied,
        "other_total": other_total,
        "other_total_derived": derived if other_total is not None else None,
        "share_granted": _share(req.get("granted"), handled),
        "share_denied": _share(denied, handled),
    }


def _review_figures(rev: dict, figure: Callable) -> dict:
    """Table 四's headline figures; litigation sums direct and after-review suits."""
    return {
        "review_total": _number(rev.get(("review", "total"))),
        "review_corrected": _number(rev.get(("review", "corrected"))),
        "litigation_total": figure("litigation_total", _parts(rev, LITIGATION, "total")),
        "litigation_corrected": figure(
            "litigation_corrected", _parts(rev, LITIGATION, "corrected")
        ),
    }


def _active_value(figure: ActiveFigure, report, active: dict) -> float | None:
    item_metric = figure.cells.get(str(report.template))
    if item_metric is None:
        return None
    value, unit = active.get((report.report_id, *item_metric), (None, None))
    expected = "万元" if item_metric == ("admin_fee", "amount") else None
    if value is None or (expected and not pd.isna(unit) and unit != expected):
        return None  # an amount in another unit is left to the long table, not converted
    return float(value)


def truthy(value: object) -> bool:
    """A nullable flag as a bool (null is False)."""
    return False if value is None or pd.isna(value) else bool(value)


def _count(value: Any) -> int:

    return 0 if value is None or pd.isna(value) else int(value)


def _notes(frame: pd.DataFrame) -> list[str]:
    """Per row: derived figures, figures not computed or with blanks counted as 0, figures
    that do not compare across the break, findings."""
    both = {"v2019", "v2021"} <= set(frame["template"].dropna().astype(str))
    incomparable = [n for n, f in ACTIVE_FIGURES.items() if f.caveat]
    notes = []
    rows = zip(frame["other_total_derived"], frame["findings"], frame["notes"], strict=True)
    for derived, findings, figures in rows:
        parts = [DERIVED_NOTE] if truthy(derived) else []
        parts += [figures] if isinstance(figures, str) and figures else []
        if both:
            parts.append(BREAK_NOTE + ", ".join(incomparable))
        if findings:
            parts.append(f"{findings} finding(s): see govscrape findings")
        notes.append("; ".join(parts))
    return notes
