"""Parquet datasets from parsed reports: build (parse, convert, cross-report rules, write)."""

from govscrape.datasets.build import BuildSummary, build_datasets, build_from_reports
from govscrape.datasets.rows import Provenance, normalise_url, report_id_for, report_rows

__all__ = [
    "BuildSummary",
    "Provenance",
    "build_datasets",
    "build_from_reports",
    "normalise_url",
    "report_id_for",
    "report_rows",
]
