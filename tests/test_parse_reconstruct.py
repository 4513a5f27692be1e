"""Rows that lost their cell positions: rebuilt only where every reading agrees, else unread."""

from __future__ import annotations

import random

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from longtail_render import (
    Drawn,
    damaged_pdf_lines,
    draw_tables,
    glued_lines,
    truth,
    vanished_blank_lines,
    with_blanks_printed,
)
from report_render import pipe_lines

from govscrape.document import Document
from govscrape.model import Cell, Finding
from govscrape.parse.reconstruct import UNDECIDED, ZERO_OR_BLANK, Token, agreed, row_readings
from govscrape.parse.tables import read_tables

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROW_TOTAL = [(6, (0, 1, 2, 3, 4, 5))]
seeds = st.integers(min_value=0, max_value=2**32)
templates = st.sampled_from(["v2019", "v2021"])


def never_wrong_silently(cells: list[Cell], findings: list[Finding], want: dict) -> None:
    """Every value read is the one printed (zero_or_blank: a 0 or a blank was printed), and
    every cell not read has a finding naming its row."""
    named = {(f.table, f.row) for f in findings if f.row}
    got = {(c.table, c.row, c.column): c for c in cells}
    for key, value in want.items():
        cell = got[key]
        if cell.kind == "zero_or_blank":
            assert value in (0, None), (key, value)
            assert key[:2] in named
        elif cell.kind in ("number", "blank"):
            assert cell.value == value, (key, value, cell)
        else:
            assert key[:2] in named, (key, cell)


@SETTINGS
@given(seeds, templates)
def test_vanished_blank_cells_are_rebuilt_right_or_left_unread(seed, template):
    t = draw_tables(random.Random(seed), template, blank_share=0.6)
    result = read_tables(Document("text_cells", vanished_blank_lines(t)))
    never_wrong_silently(result.cells, result.findings, truth(t))


@SETTINGS
@given(seeds, templates)
def test_glued_digit_rows_are_split_right_or_left_unread(seed, template):
    rng = random.Random(seed)
    t = with_blanks_printed(draw_tables(rng, template))
    result = read_tables(Document("text_pdf", glued_lines(rng, t)))
    never_wrong_silently(result.cells, result.findings, truth(t))


@SETTINGS
@given(seeds, templates, st.booleans())
def test_traditional_script_converted_by_opencc_reads_right(seed, template, pdf):
    rng = random.Random(seed)
    t = draw_tables(rng, template, blank_share=0.0)
    lines = damaged_pdf_lines(rng, Drawn(t)) if pdf else pipe_lines(t)
    converter = opencc.OpenCC("s2twp")  # a mirror's conversion: characters and vocabulary
    lines = [converter.convert(line) for line in lines]
    result = read_tables(Document("text_pdf" if pdf else "text_pipe", lines))
    never_wrong_silently(result.cells, result.findings, truth(t))


def test_a_glued_row_is_split_by_its_total():
    readings = row_readings([Token("365108411055623706174103", glued=True)], 7, ROW_TOTAL)
    assert readings == [("365", "1084", "1105", "562", "370", "617", "4103")]


def test_a_short_row_has_one_reading_per_applicant_column_its_number_may_stand_in():
    readings = row_readings([Token("5"), Token("5")], 7, ROW_TOTAL)
    assert len(readings) == 6 and all(r[6] == "5" for r in readings)


def test_readings_agreeing_only_up_to_zero_or_blank_say_so():
    assert agreed([("0", None), (None, "0")]) == [ZERO_OR_BLANK, ZERO_OR_BLANK]


def test_a_cell_the_readings_agree_on_is_kept_when_its_neighbours_differ():
    readings = [("1", None, "5"), (None, "1", "5")]
    assert agreed(readings) == [UNDECIDED, UNDECIDED, "5"]


def test_a_glued_run_is_split_only_where_the_total_follows_as_the_sum():
    # 12 + 3 = 15 and 1 + 2 + 3 = 6 ≠ 15: one split; 0 never leads a longer number
    assert row_readings([Token("12315", glued=True)], 3, [(2, (0, 1))]) == [("12", "3", "15")]
    assert row_readings([Token("0055", glued=True)], 4, [(3, (0, 1, 2))]) == [("0", "0", "5", "5")]


def test_a_glued_run_whose_total_cannot_be_its_sum_has_no_reading():
    assert row_readings([Token("12399", glued=True)], 3, [(2, (0, 1))]) == []


def test_numbers_read_apart_are_placed_in_order_with_their_total_last():
    readings = row_readings([Token("0"), Token("4"), Token("4")], 4, [(3, (0, 1, 2))])
    assert readings == [("0", "4", None, "4"), ("0", None, "4", "4"), (None, "0", "4", "4")]
