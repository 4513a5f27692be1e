"""Read one cell's text as a value: number (with sign and unit), blank, "/", dash, 无 or text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from govscrape.model import CellKind
from govscrape.template import (
    CELL_SIGNS,
    CELL_UNITS,
    DASH_MARKS,
    NONE_WORDS,
    NOT_APPLICABLE_MARKS,
)


def _alternation(words) -> str:
    """A regex alternation of the words, longest first (减少 before 减, 万元 before 元)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# A count or amount in a report has at most this many digits before (and after) the point: a
# longer one is not a figure (and would not fit the datasets' 64-bit integers), so it stays
# unread with its raw text rather than stopping the build or reaching the data as a number.
MAX_INT_DIGITS = 15
MAX_FRAC_DIGITS = 6
# ASCII digits only (full-width ones are made ASCII by NFKC first): `\d` would also take the
# digits of other scripts, some of which look like other ASCII digits (Bengali ৪ is 4).
_NUMBER = re.compile(
    rf"^(?P<sign>{_alternation(CELL_SIGNS)})?"
    rf"(?P<int>[0-9]{{1,3}}(?:,[0-9]{{3}}){{1,{(MAX_INT_DIGITS - 1) // 3}}}|[0-9]{{1,{MAX_INT_DIGITS}}})"
    rf"(?:\.(?P<frac>[0-9]{{1,{MAX_FRAC_DIGITS}}}))?"
    rf"(?P<unit>{_alternation(CELL_UNITS)})?$"
)
# The digits a cell may be written with: ASCII and full-width. Other characters that are digits
# to Unicode are footnote markers NFKC would turn into digits (5① would read 51, 12¹ 121) or
# digits of other scripts: such a cell is left unread.
_PLAIN_DIGITS = frozenset("0123456789０１２３４５６７８９")
_SPACES = re.compile(r"\s+")
VALUE_KINDS: frozenset[str] = frozenset({"number", "not_applicable", "dash", "none_word"})


@dataclass(frozen=True, slots=True)
class CellValue:
    """What a cell held: `value` is set only for numbers; `raw` is the text as found."""

    value: int | float | None
    kind: CellKind
    unit: str | None
    raw: str | None


@lru_cache(maxsize=1 << 14)
def read_cell(text: str | None) -> CellValue:
    """Classify and read a cell's text; never raises, never invents a number."""
    raw = text
    if text and not text.isascii() and any(c.isdigit() and c not in _PLAIN_DIGITS for c in text):
        return CellValue(None, "text", None, raw)
    # NFKC makes full-width digits and signs ASCII; the minus sign (U+2212) of Word and PDF
    # text it leaves alone, so it is mapped here.
    s = _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).replace("\u2212", "-")
    if not s:
        return CellValue(None, "blank", None, raw)
    if s in NOT_APPLICABLE_MARKS:
        return CellValue(None, "not_applicable", None, raw)
    if s in DASH_MARKS or (len(s) > 1 and set(s) <= {"—", "-"}):
        return CellValue(None, "dash", None, raw)
    if s in NONE_WORDS:
        return CellValue(None, "none_word", None, raw)
    m = _NUMBER.match(s)
    if m is None:
        return CellValue(None, "text", None, raw)
    number: int | float = int(m["int"].replace(",", ""))
    if m["frac"] is not None:
        number = float(f"{number}.{m['frac']}")
    if m["sign"]:
        number = CELL_SIGNS[m["sign"]] * number
    unit = CELL_UNITS[m["unit"]] if m["unit"] else None
    return CellValue(number, "number", unit, raw)


def is_value(text: str) -> bool:
    """True when the text reads as a value (number, "/", dash, 无), i.e. not a label."""
    return read_cell(text).kind in VALUE_KINDS
