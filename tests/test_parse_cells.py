"""Reading one cell's text: numbers with signs and units, blank, "/", dashes, 无, text."""

from __future__ import annotations

import pytest

from govscrape.parse.cells import is_value, read_cell


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("0", 0, None),
        ("447228", 447228, None),
        ("１２３", 123, None),
        ("1,234", 1234, None),
        ("１，２３４", 1234, None),
        ("96171.6", 96171.6, None),
        ("251000元", 251000, "元"),
        ("35.6万元", 35.6, "万元"),
        ("3件", 3, "件"),
        ("12项", 12, "项"),
        ("-3", -3, None),
        ("－8", -8, None),
        ("\u22125", -5, None),
        ("減少２", -2, None),
        ("-1.5万元", -1.5, "万元"),
        ("减少3", -3, None),
        ("增加3", 3, None),
        ("+2", 2, None),
        (" 7 ", 7, None),
    ],
)
def test_numbers_are_normalised_with_sign_and_unit(text, value, unit):
    cell = read_cell(text)
    assert (cell.value, cell.kind, cell.unit, cell.raw) == (value, "number", unit, text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "blank"),
        ("\xa0", "blank"),
        ("　", "blank"),
        (None, "blank"),
        ("/", "not_applicable"),
        ("／", "not_applicable"),
        ("不适用", "not_applicable"),
        ("—", "dash"),
        ("-", "dash"),
        ("－", "dash"),
        ("——", "dash"),
        ("无", "none_word"),
        ("無", "none_word"),
        ("见附件", "text"),
        ("约30", "text"),
    ],
)
def test_cells_without_a_number_have_a_null_value_and_say_what_they_held(text, kind):
    cell = read_cell(text)
    assert cell.value is None
    assert cell.kind == kind


def test_blank_cell_is_null_not_zero():
    assert read_cell("").value is None
    assert read_cell("0").value == 0


def test_decimal_stays_decimal_and_integer_stays_integer():
    assert isinstance(read_cell("5").value, int)
    assert isinstance(read_cell("5.0").value, float)


def test_is_value_tells_values_from_labels():
    assert is_value("0") and is_value("/") and is_value("—") and is_value("无")
    assert not is_value("规章") and not is_value("1.属于国家秘密") and not is_value("")


@pytest.mark.parametrize(
    "text",
    [
        "10000000000000000000",  # beyond int64: would stop every build (OverflowError)
        "9" * 5000,  # beyond Python's int() digit limit: a report-level error before
        "1," * 2000 + "000",
        "1." + "0" * 5000,
    ],
)
def test_a_number_too_long_to_be_a_figure_is_left_unread(text):
    cell = read_cell(text)
    assert (cell.value, cell.kind, cell.raw) == (None, "text", text)


@pytest.mark.parametrize("text", ["5①", "12¹", "⑤", "3⁵", "7₂", "৪", "٣", "१२", "𝟖"])
def test_footnote_markers_and_other_scripts_digits_are_never_read_as_digits(text):
    cell = read_cell(text)
    assert (cell.value, cell.kind) == (None, "text")


def test_fifteen_digits_are_still_a_number():
    assert read_cell("123456789012345").value == 123456789012345
    assert read_cell("1,234,567,890,123").value == 1234567890123
