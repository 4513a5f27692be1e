"""Single-report rules from template.RULES, with the blank-as-zero policy."""

from __future__ import annotations

from govscrape.model import Cell, Report
from govscrape.parse.validate import validate_cells, validate_report
from govscrape.template import V2019, request_rows

APPLICANTS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)


def requests_table(values: dict[str, list], template: str = V2019) -> list[Cell]:
    """Cells of table 三: every row 0 unless given (a list of 7 texts or numbers)."""
    cells = []
    for line in request_rows(template):
        row = values.get(line.code, [0] * 7)
        for column, v in zip(APPLICANTS, row, strict=True):
            if v is None:
                cells.append(Cell("requests", line.code, column, None, "blank", ""))
            elif isinstance(v, str):
                kind = {"/": "not_applicable", "-": "dash", "?": "unread"}[v]
                cells.append(Cell("requests", line.code, column, None, kind, v))
            else:
                cells.append(Cell("requests", line.code, column, v, "number", str(v)))
    return cells


def codes(findings):
    return sorted((f.code, f.row, f.column) for f in findings)


def test_consistent_table_has_no_findings():
    cells = requests_table(
        {
            "new": [2, 1, 0, 0, 0, 0, 3],
            "granted": [2, 1, 0, 0, 0, 0, 3],
            "total_handled": [2, 1, 0, 0, 0, 0, 3],
        }
    )
    assert validate_cells(cells) == []


def test_row_total_mismatch_names_the_row_with_expected_and_found():
    cells = requests_table(
        {
            "new": [1, 0, 0, 0, 0, 0, 0],
            "other": [1, 0, 0, 0, 0, 0, 1],
            "total_handled": [1, 0, 0, 0, 0, 0, 1],
        }
    )
    found = validate_cells(cells)
    assert codes(found) == [
        ("requests.balance", None, "total"),
        ("requests.row_total", "new", None),
    ]
    f = found[1]
    assert (f.code, f.table, f.row, f.column) == ("requests.row_total", "requests", "new", None)
    assert (f.found, f.expected, f.blank_as_zero) == (0, 1, False)
    assert f.severity == "error"
    assert "printed 0" in f.message and "sum to 1" in f.message


def test_balance_and_total_handled_run_down_each_column():
    cells = requests_table(
        {
            "new": [1, 0, 0, 0, 0, 0, 1],
            "total_handled": [2, 0, 0, 0, 0, 0, 2],
            "granted": [2, 0, 0, 0, 0, 0, 2],
        }
    )
    assert codes(validate_cells(cells)) == [
        ("requests.balance", None, "natural_person"),
        ("requests.balance", None, "total"),
    ]


def test_blank_counts_as_zero_and_the_finding_says_so():
    cells = requests_table(
        {
            "new": [3, 0, 0, 0, 0, 0, 3],
            "granted": [3, 0, 0, 0, 0, 0, None],
            "total_handled": [3, 0, 0, 0, 0, 0, 3],
        }
    )
    found = validate_cells(cells)
    assert codes(found) == [
        ("requests.row_total", "granted", None),
        ("requests.total_handled", None, "total"),
    ]
    assert all(f.blank_as_zero for f in found)
    assert "blank cells counted as 0" in found[0].message


def test_a_blank_total_is_never_quoted_as_a_printed_zero():
    cells = requests_table(
        {"new": [6, 0, 0, 0, 0, 0, None], "total_handled": [6, 0, 0, 0, 0, 0, 6]}
    )
    row_total = next(f for f in validate_cells(cells) if f.code == "requests.row_total")
    assert row_total.row == "new"
    assert "总计 left blank (counted as 0)" in row_total.message
    assert "printed 0" not in row_total.message
    assert row_total.found == "left blank (counted as 0)" and row_total.expected == 6


def test_a_printed_total_is_quoted_as_printed():
    cells = requests_table({"new": [6, 0, 0, 0, 0, 0, 5], "total_handled": [6, 0, 0, 0, 0, 0, 6]})
    row_total = next(f for f in validate_cells(cells) if f.code == "requests.row_total")
    assert "总计 printed 5, but the applicant columns sum to 6" in row_total.message
    assert row_total.found == 5 and row_total.blank_as_zero is False


def test_a_whole_blank_total_column_is_consistent_with_itself():
    cells = requests_table({row: [0, 0, 0, 0, 0, 0, None] for row in ("new", "granted")})
    assert validate_cells(cells) == []


def test_blank_as_zero_only_when_a_blank_counted():
    cells = requests_table({"new": [1, 0, 0, 0, 0, None, 0]})
    found = {(f.code, f.row, f.column): f for f in validate_cells(cells)}
    assert found[("requests.row_total", "new", None)].blank_as_zero is True
    assert found[("requests.balance", None, "natural_person")].blank_as_zero is False


def test_not_applicable_and_unread_make_the_rule_inapplicable_for_that_line():
    cells = requests_table(
        {
            "new": [1, "/", 0, 0, 0, 0, 5],
            "carried_over": [0, 0, 0, 0, 0, 0, "?"],
        }
    )
    assert ("requests.row_total", "new", None) not in codes(validate_cells(cells))
    assert all(f.column != "total" for f in validate_cells(cells))


def test_dash_counts_as_zero():
    cells = requests_table({"new": [0, "-", 0, 0, 0, 0, 0]})
    assert validate_cells(cells) == []


def test_org_subtotal_is_checked_only_where_present():
    cells = requests_table(
        {
            "new": [1, 2, 0, 0, 0, 0, 3],
            "granted": [1, 2, 0, 0, 0, 0, 3],
            "total_handled": [1, 2, 0, 0, 0, 0, 3],
        }
    )
    assert validate_cells(cells) == []
    cells.append(Cell("requests", "new", "org_subtotal", 3, "number", "3"))
    assert ("org_subtotal", "new", None) in codes(validate_cells(cells))


def test_review_litigation_total_per_proceeding():
    cells = [
        Cell("review_litigation", p, o, v, "number", str(v))
        for p, values in (("review", [1, 1, 0, 0, 2]), ("litigation_direct", [1, 0, 0, 0, 3]))
        for o, v in zip(("upheld", "corrected", "other", "pending", "total"), values, strict=True)
    ]
    (f,) = validate_cells(cells)
    assert (f.code, f.row, f.found, f.expected) == (
        "review_litigation.total",
        "litigation_direct",
        3,
        1,
    )


def test_validate_report_never_changes_values():
    cells = requests_table({"new": [1, 0, 0, 0, 0, 0, 0]})
    report = Report(cells=cells)
    before = [c.value for c in report.cells]
    assert validate_report(report)
    assert [c.value for c in report.cells] == before
