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


_NUMBER = re.compile(
    rf"^(?P<sign>{_alternation(CELL_SIGNS)})?"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?"
    rf"(?P<unit>{_alternation(CELL_UNITS)})?$"
)
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
