"""What reports without a national table state in their text (the headlines dataset), for the
questions: a stated zero for zero-requests, the figures for comparisons across the 2019 break.

A prose figure keeps its own status everywhere it is shown: a stated zero is never a
`clean_zero` (which means a fully read table), a qualified statement is never a number, and a
report whose text states nothing is neither a zero nor unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds

from govscrape.questions.load import load_where
from govscrape.template import TEMPLATES

FIRST_TABLE_YEAR = 2019  # reports on 2019 onwards have the national table
PLAIN = ("stated_count", "stated_zero")
# compare's figures that a report's prose can give -> the headlines measure
PROSE_FIGURES: dict[str, str] = {
    "new_requests": "requests_received",
    "granted": "requests_granted",
    "partially_granted": "requests_partly_granted",
    "denied": "requests_refused",
    "review_total": "reviews",
    "litigation_total": "lawsuits",
}
QUALIFIED_MARK = "not read: the text qualifies it"  # in compare's notes, for its views
NOT_STATED_NOTE = (
    "{n} report(s) before 2019 state no count of requests received (not_stated): not zeros, "
    "and not listed; they describe the work without a figure. "
    'govscrape sql "SELECT h.year, h.agency, r.url FROM headlines h JOIN reports r USING '
    "(report_id) WHERE h.measure = 'requests_received' AND h.status = 'not_stated'{where}\""
)


@dataclass(frozen=True, slots=True)
class Statement:
    """A headline figure as the headlines dataset holds it."""

    status: str
    value: float | None
    evidence: str | None
    note: str | None


def statements(
    data_dir: Path | str, measures: tuple[str, ...], **where: object
) -> dict[tuple[str, str], Statement]:
    """(report_id, measure) -> Statement, for the measures asked (status `table` left out)."""
    found = load_where(
        "headlines", data_dir, ds.field("measure").isin(list(measures)) & (ds.field("status") != "table"),
        columns=["report_id", "measure", "status", "value", "evidence", "note"], **where,  # type: ignore[arg-type]
    )  # fmt: skip
    columns = zip(
        found["report_id"].tolist(), found["measure"].astype(str).tolist(),
        found["status"].astype(str).tolist(), found["value"].to_numpy(dtype=object, na_value=None).tolist(),
        found["evidence"].to_numpy(dtype=object, na_value=None).tolist(),
        found["note"].to_numpy(dtype=object, na_value=None).tolist(), strict=True,
    )  # fmt: skip
    return {(rid, m): Statement(s, v, e, n) for rid, m, s, v, e, n in columns}


Verdict = tuple[str, str, object, object]  # (status, detail, reported_total, columns_sum)


def zero_from_prose(report, said: Statement | None, unread: Verdict) -> Verdict | None:
    """zero-requests' verdict on a report without table 三, from what its text states: a
    stated zero or a qualified statement, quoted; None when it states a number of requests.
    A report before 2019 (no table was prescribed) whose text states nothing is `not_stated`:
    no zero, and not listed by the caller. Anything else keeps the table's `unread` verdict."""
    if said is None:
        return unread
    if said.status == "stated_zero":
        return "stated_zero", f"stated in the text: “{said.evidence}”", 0, None
    if said.status == "qualified":
        return "qualified", f"qualified ({said.note}): “{said.evidence}”", None, None
    if said.status == "stated_count":
        return None
    errors = 0 if pd.isna(report.findings_error) else int(report.findings_error)
    before_tables = not pd.isna(report.year) and int(report.year) < FIRST_TABLE_YEAR
    if before_tables and not errors:
        return "not_stated", "its text states no count of requests received", None, None
    status, detail, reported, summed = unread
    return (
        status,
        detail + "; its text states no count of requests received either",
        reported,
        summed,
    )


def with_prose_figures(frame: pd.DataFrame, data_dir: Path | str, **where: object) -> pd.DataFrame:
    """compare's frame with `source` (table | prose) and, for the reports without a national
    table, the figures their text states plainly; a qualified one stays null, noted."""
    frame = frame.copy()
    tables = frame["template"].astype(object).isin(TEMPLATES)
    frame["source"] = pd.Series(
        ["table" if t else "prose" for t in tables], index=frame.index, dtype=object
    ).where(frame["report_id"].notna())
    prose_ids = set(frame.loc[~tables & frame["report_id"].notna(), "report_id"])
    if not prose_ids:
        return frame
    said = statements(data_dir, tuple(PROSE_FIGURES.values()), **where)
    for i in frame.index[frame["report_id"].isin(prose_ids)]:
        notes = [str(frame.at[i, "notes"])] if frame.at[i, "notes"] else []
        for figure, measure in PROSE_FIGURES.items():
            statement = said.get((frame.at[i, "report_id"], measure))
            if statement is None:
                continue
            if statement.status in PLAIN and statement.value is not None:
                frame.at[i, figure] = int(statement.value)
            elif statement.status == "qualified":
                notes.append(f"{figure} {QUALIFIED_MARK} ({statement.note})")
        frame.at[i, "notes"] = "; ".join(notes)
    return frame
