"""Parquet datasets from parsed reports: build (parse, convert, cross-report rules, write)."""

from __future__ import annotations

from typing import Any

__all__ = [
    "BuildSummary",
    "Provenance",
    "build_datasets",
    "build_from_reports",
    "normalise_url",
    "report_id_for",
    "report_rows",
]
_HOMES = {
    "BuildSummary": "build",
    "build_datasets": "build",
    "build_from_reports": "build",
    "Provenance": "rows",
    "normalise_url": "rows",
    "report_id_for": "rows",
    "report_rows": "rows",
}


def __getattr__(name: str) -> Any:
    # Lazy, so that a parse worker (which imports datasets.parsing) does not pay for the build
    # and query machinery: it starts in a fraction of the time.
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(f"govscrape.datasets.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'govscrape.datasets' has no attribute {name!r}")
