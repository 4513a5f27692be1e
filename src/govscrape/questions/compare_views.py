"""Comparison frames shaped for reading in a terminal: figures by year, agencies side by side."""

from __future__ import annotations

from typing import Any

import pandas as pd

from govscrape.questions.headline_figures import (
    ACTIVE_FIGURES,
    DERIVED_NOTE,
    FIGURE_MEANINGS,
    SOURCE_MEANING,
    truthy,
)
from govscrape.questions.prose import QUALIFIED_MARK

SIDE_BY_SIDE_COLUMNS = [
    "agency", "template", "source", "new_requests", "handled", "share_granted", "share_denied",
    "other_total", "review_corrected", "litigation_corrected", "findings", "notes",
]  # fmt: skip


def year_by_year_view(frame: pd.DataFrame) -> pd.DataFrame:
    """compare_agency as figures (rows) by year (columns), with what each figure means and
    its caveat: the form a reader scans for change. Derived values carry a `*`."""
    labels = _year_labels(frame)
    requests = [n for n in FIGURE_MEANINGS if n not in ACTIVE_FIGURES and n != "findings"]
    names = ["template", "source", *requests, *ACTIVE_FIGURES, "findings"]
    rows = []
    for name in names:
        row = {"figure": name}
        for label, (_, record) in zip(labels, frame.iterrows(), strict=True):
            row[label] = _view_value(name, record)
        row["meaning / caveat"] = _figure_note(name)
        rows.append(row)
    rows.append({"figure": "notes", **_gap_notes(frame, labels)})
    view = pd.DataFrame(rows).fillna("")
    view.attrs["notes"] = _legend(frame) + _figure_notes(frame, labels)
    return view


def side_by_side_view(frame: pd.DataFrame) -> pd.DataFrame:
    """compare_year's key columns, shares as percentages, `*` derived, `?` not computed."""
    view = frame[SIDE_BY_SIDE_COLUMNS].copy().astype(object)
    records = [record for _, record in frame.iterrows()]
    for column in SIDE_BY_SIDE_COLUMNS:
        if column not in ("agency", "findings", "notes"):
            view[column] = [_view_value(column, r) for r in records]
    view["notes"] = [
        "; ".join(p for p in str(note).split("; ") if p != DERIVED_NOTE) for note in frame["notes"]
    ]
    view.attrs["notes"] = _legend(frame)
    return view


def _legend(frame: pd.DataFrame) -> list[str]:
    legend = []
    if any(truthy(v) for v in frame["other_total_derived"]):
        legend.append("* other_total derived: the sum of the three other.* rows of a v2021 report")
    if any(_not_computed(str(n)) for n in frame["notes"].fillna("")):
        legend.append("? not computed: a part could not be read (see the notes)")
    if (frame["source"] == "prose").any():
        legend.append(
            "source prose: the figures as the report's text states them (no national table "
            "before 2019); a statement with an exception or a limit is left blank, see the notes"
        )
    return legend


def _figure_notes(frame: pd.DataFrame, labels: list[str]) -> list[str]:
    """Per year, the notes on its figures (not computed, blank counted as 0)."""
    out = []
    for label, report_id, note in zip(labels, frame["report_id"], frame["notes"], strict=True):
        if pd.isna(report_id) or pd.isna(note):
            continue
        for part in str(note).split("; "):
            if (
                " not computed: " in part
                or ": blank counted as 0 (" in part
                or QUALIFIED_MARK in part
            ):
                out.append(f"{label}: {part}")
    return out


def _not_computed(notes: str) -> set[str]:
    """The figures a row's notes say could not be computed (share_denied follows denied)."""
    names = {p.split(" not computed: ")[0] for p in notes.split("; ") if " not computed: " in p}
    return names | ({"share_denied"} if "denied" in names else set())


def _year_labels(frame: pd.DataFrame) -> list[str]:
    labels: list[str] = []
    seen: dict[str, int] = {}
    for year in frame["year"]:
        base = "?" if pd.isna(year) else str(int(year))
        seen[base] = seen.get(base, 0) + 1
        labels.append(base if seen[base] == 1 else f"{base} ({seen[base]})")
    return labels


def _view_value(name: str, record: pd.Series) -> str:
    if name == "template" and pd.isna(record["report_id"]):
        return "no report"
    value = record[name]
    if value is None or pd.isna(value):
        notes = record["notes"]
        return "?" if isinstance(notes, str) and name in _not_computed(notes) else ""
    if name.startswith("share_"):
        return _percent(value)
    if name == "other_total" and truthy(record["other_total_derived"]):
        return f"{value}*"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _percent(value: Any) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):.1%}"


def _figure_note(name: str) -> str:
    figure = ACTIVE_FIGURES.get(name)
    if figure is not None and figure.caveat:
        return figure.caveat
    if name == "other_total":
        return FIGURE_MEANINGS[name] + "; * = derived"
    if name == "source":
        return SOURCE_MEANING
    return FIGURE_MEANINGS.get(name, "")


def _gap_notes(frame: pd.DataFrame, labels: list[str]) -> dict[str, str]:
    """The notes row: for a year without a report, why (from the crawl)."""
    out = {}
    for label, report_id, note in zip(labels, frame["report_id"], frame["notes"], strict=True):
        if pd.isna(report_id):
            out[label] = "missing"
            out["meaning / caveat"] = (
                out.get("meaning / caveat", "") + f" {label}: {note}."
            ).strip()
    return out
