"""Headline figures compared: year by year for one agency, side by side for one year.

The figures themselves (and the notes on derived sums and the 2021 break) are defined in
headline_figures.py; comparison_views.py shapes the frames for a terminal. A year or agency
without a report is a row saying so: missing is not zero."""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd

from govscrape.agencies import same_agency
from govscrape.errors import GovscrapeError
from govscrape.questions.headline_figures import HEADLINE_COLUMNS, HEADLINE_TYPES, headlines
from govscrape.questions.load import check_built, load
from govscrape.questions.zero_requests import missing_reports


def compare_agency(data_dir: Path | str, agency: str) -> pd.DataFrame:
    """One agency's headline figures, year by year; a year without a report between its first
    and last is a row saying so (missing is not zero)."""
    check_built(data_dir)
    agencies = load("reports", data_dir)["agency"].dropna().astype(str).unique().tolist()
    agency = resolve_agency(agency, agencies)
    frame = headlines(data_dir, agencies=agency)
    years = frame["year"].dropna().astype(int)
    if not years.empty:
        gaps = sorted(set(range(years.min(), years.max() + 1)) - set(years))
        frame = _with_missing(frame, data_dir, gaps, agency)
    return frame.sort_values(["year", "report_id"], kind="stable").reset_index(drop=True)


def resolve_agency(name: str, agencies: list[str]) -> str:
    """The agency of the datasets a user's name means: itself, else the one agency it is a
    printed variant of ("湘西高新区" for 湘西高新技术产业开发区管理委员会); else a GovscrapeError
    with close names."""
    if name in agencies:
        return name
    same = [a for a in agencies if same_agency(name, a)]
    if len(same) == 1:
        return same[0]
    close = same or difflib.get_close_matches(name, agencies, n=3, cutoff=0.3)
    close += [a for a in agencies if name in a and a not in close][:3]
    hint = f"; did you mean: {', '.join(close)}" if close else ""
    raise GovscrapeError(f"no reports for agency {name!r} in the datasets{hint}")


def compare_year(data_dir: Path | str, year: int) -> pd.DataFrame:
    """Every agency's headline figures for one statistical year, side by side; agencies known
    to the crawl without a report for that year are rows saying so."""
    check_built(data_dir)
    frame = headlines(data_dir, years=year)
    if frame.empty:
        years = sorted(int(y) for y in load("reports", data_dir)["year"].dropna().unique())
        raise GovscrapeError(f"no reports for {year}; years in the datasets: {years or 'none'}")
    frame = _with_missing(frame, data_dir, [year], None)
    return frame.sort_values(["agency", "report_id"], kind="stable").reset_index(drop=True)


def _with_missing(
    frame: pd.DataFrame, data_dir: Path | str, years: list[int], agency: str | None
) -> pd.DataFrame:
    if not years:
        return frame
    reports = load("reports", data_dir, years=years)
    everyone = load("reports", data_dir).dropna(subset=["agency", "agency_kind"])
    kinds = dict(
        zip(everyone["agency"].astype(str), everyone["agency_kind"].astype(str), strict=True)
    )
    rows = []
    for year in years:
        for row in missing_reports(data_dir, reports, year):
            if agency is None or row["agency"] == agency:
                kind = kinds.get(row["agency"])
                rows.append(
                    {"year": year, "agency": row["agency"], "agency_kind": kind,
                     "notes": row["detail"], "url": row["url"]}
                )  # fmt: skip
    if not rows:
        return frame
    extra = pd.DataFrame(rows, columns=HEADLINE_COLUMNS).astype(HEADLINE_TYPES)
    return pd.concat([frame, extra], ignore_index=True)
