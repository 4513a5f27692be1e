"""The findings of every report, with its title and URL, for fact-checkers."""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd

from govscrape.crawl.coverage import crawl_findings
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
    code or a family (`requests`, `parse`). An unknown code is an error naming the known ones.
    The crawl's own findings (a listing not seen whole) have no year: they come last, and only
    when no year is asked for."""
    if code is not None:
        check_finding_code(code)
    found = load("findings", data_dir, years=year)
    reports = load("reports", data_dir, years=year)[["report_id", "title", "url"]]
    found = found.merge(reports, on="report_id", how="left")
    found = found.sort_values(["year", "agency", "report_id"], kind="stable", na_position="last")
    if year is None:
        found = _with_crawl_findings(found, data_dir)
    if code is not None:
        codes = found["code"].astype(str)
        found = found[(codes == code) | codes.str.startswith(code + ".")]
    frame = found[FINDING_COLUMNS].reset_index(drop=True)
    frame.attrs["table_columns"] = FINDING_TABLE_COLUMNS
    return frame


def _with_crawl_findings(found: pd.DataFrame, data_dir: Path | str) -> pd.DataFrame:
    """`found` followed by the crawl state's findings, which name a site and a page, not a report."""
    rows = crawl_findings(data_dir)
    if not rows:
        return found
    # expected/found are text in the findings dataset (a count or a label); a crawl code is
    # not among the dataset's categories, so the code column becomes plain text here.
    crawl = pd.DataFrame(
        [
            {"code": code, "severity": severity, "message": f"site {site}: {message}",
             "expected": _text(expected), "found": _text(got), "url": url}
            for site, url, code, severity, message, expected, got in rows
        ],
    ).reindex(columns=found.columns)  # fmt: skip
    crawl["year"] = crawl["year"].astype(found["year"].dtype)
    for column in ("code", "severity"):
        found[column] = found[column].astype(object)
    return pd.concat([found, crawl], ignore_index=True)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


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
