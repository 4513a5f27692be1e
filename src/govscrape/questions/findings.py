"""The findings of every report, with its title and URL, for fact-checkers."""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd

from govscrape.datasets.schema import code_list
from govscrape.errors import GovscrapeError
from govscrape.questions.load import load

FINDING_COLUMNS = [
    "year", "agency", "code", "severity", "message", "table", "row", "column",
    "expected", "found", "blank_as_zero", "raw", "title", "url", "report_id",
]  # fmt: skip
FINDING_TABLE_COLUMNS = ["year", "agency", "severity", "code", "message", "url"]


def findings(
    data_dir: Path | str = "data", code: str | None = None, year: int | None = None
) -> pd.DataFrame:
    """The findings, with each report's title and URL, by year and agency; `code` matches a
    code or a family (`requests`, `parse`). An unknown code is an error naming the known ones."""
    found = load("findings", data_dir, years=year)
    if code is not None:
        check_finding_code(code)
        codes = found["code"].astype(str)
        found = found[(codes == code) | codes.str.startswith(code + ".")]
    reports = load("reports", data_dir, years=year)[["report_id", "title", "url"]]
    found = found.merge(reports, on="report_id", how="left")
    found = found.sort_values(["year", "agency", "report_id"], kind="stable", na_position="last")
    frame = found[FINDING_COLUMNS].reset_index(drop=True)
    frame.attrs["table_columns"] = FINDING_TABLE_COLUMNS
    return frame


def check_finding_code(code: str) -> None:
    """GovscrapeError unless `code` is a finding code or the family of one."""
    known = code_list("finding_code")
    families = {c.split(".")[0] for c in known if "." in c}
    if code in known or code in families:
        return
    close = difflib.get_close_matches(code, [*known, *sorted(families)], n=3, cutoff=0.5)
    hint = f"did you mean: {', '.join(close)}? " if close else ""
    raise GovscrapeError(
        f"unknown finding code {code!r}; {hint}codes: {', '.join(known)} "
        f"(or a family: {', '.join(sorted(families))})"
    )
