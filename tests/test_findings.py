"""The catalogue of finding codes and its constructor."""

from __future__ import annotations

import pytest

from govscrape.findings import CATALOGUE, finding, severity_of

BRIEF_CODES = [
    "parse.empty_document",
    "parse.not_a_report",
    "parse.unsupported_format",
    "parse.scanned_pdf",
    "parse.missing_table",
    "parse.missing_row",
    "parse.unmatched_label",
    "parse.ambiguous_row",
    "parse.cell_count",
    "parse.unreadable_cell",
    "parse.template_unknown",
    "parse.mojibake",
    "parse.internal_error",
    "requests.balance",
    "requests.total_handled",
    "requests.row_total",
    "review_litigation.total",
    "org_subtotal",
    "year.continuity",
    "publication.late",
]


def test_every_code_in_use_across_the_project_is_catalogued():
    assert set(BRIEF_CODES) <= set(CATALOGUE)


def test_every_entry_has_a_valid_severity_and_a_meaning():
    for code, entry in CATALOGUE.items():
        assert entry.code == code
        assert entry.severity in ("error", "warning", "info")
        assert entry.meaning.endswith(".")


def test_constructor_takes_the_catalogue_severity_unless_given():
    f = finding("parse.missing_row", "row gone", table="requests", row="new")
    assert (f.severity, f.table, f.row) == ("warning", "requests", "new")
    assert finding("parse.missing_row", "x", severity="error").severity == "error"


def test_unknown_code_is_a_programmer_error():
    with pytest.raises(KeyError):
        severity_of("parse.no_such_code")
