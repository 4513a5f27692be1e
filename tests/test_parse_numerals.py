"""Numbers as prose prints them: Chinese numerals in standard form, years, Arabic of any width."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govscrape.parse.numerals import read_chinese, read_number, read_year, write_chinese


def test_every_number_to_99999_reads_back_from_its_chinese_form():
    wrong = [n for n in range(100_000) if read_chinese(write_chinese(n)) != n]
    assert wrong == []


@given(st.integers(min_value=0, max_value=99_999))
def test_a_number_reads_back_with_or_without_the_leading_one_of_ten(number):
    text = write_chinese(number)
    if text.startswith("十"):
        assert read_chinese("一" + text) == number


@given(st.integers(min_value=100_000, max_value=99_999_999))
def test_larger_numbers_read_back_too(number):
    assert read_chinese(write_chinese(number)) == number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三", 3), ("十二", 12), ("一十二", 12), ("二十", 20), ("一百零五", 105),
        ("一百一十", 110), ("两", 2), ("两千", 2000), ("〇", 0), ("零", 0),
        ("一千零五十", 1050), ("一万零一十", 10010), ("十万", 100_000), ("壹佰零伍", 105),
    ],
)  # fmt: skip
def test_standard_forms_read(text, value):
    assert read_chinese(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "一百五",
        "三五",
        "十几",
        "几十",
        "一千五十",
        "二百二",
        "一百零",
        "零五",
        "十十",
        "百",
        "",
        "3",
    ],
)
def test_colloquial_and_ambiguous_forms_are_not_numbers(text):
    # 一百五 may be 150 or 105; 三五 is "three or five", an estimate: never a guess.
    assert read_chinese(text) is None


def test_years_read_digit_by_digit_only_as_years():
    assert read_year("二〇一七") == 2017
    assert read_year("2016") == 2016
    assert read_year("二〇一") is None
    assert read_chinese("二〇一七") is None


def test_arabic_numbers_of_any_width_and_with_separators():
    assert read_number("1,250") == 1250
    assert read_number("12.5") == 12.5
    assert read_number("３") == 3
    assert read_number("一百零五") == 105
    assert read_number("1.2.3") is None


def test_write_refuses_what_it_cannot_write():
    with pytest.raises(ValueError):
        write_chinese(-1)
