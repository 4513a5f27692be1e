"""Read one cell's text as a value: number (with sign and unit), blank, "/", dash, 无 or text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from govscrape.model import CellKind

NOT_APPLICABLE = frozenset({"/", "不适用", "不適用", "\\"})
DASHES = frozenset({"-", "—", "–", "--", "——", "―", "─", "-/-"})
NONE_WORDS = frozenset({"无", "無", "没有", "沒有"})
# Units as printed inside a cell; the unit is kept on the value (never converted).
UNITS: dict[str, str] = {
    "万元": "万元",
    "萬元": "万元",
    "元": "元",
    "件": "件",
    "项": "项",
    "項": "项",
    "个": "个",
    "個": "个",
    "条": "条",
    "條": "条",
}
_SIGNS = {"-": -1, "+": 1, "减少": -1, "減少": -1, "减": -1, "減": -1, "增加": 1, "增": 1}
_NUMBER = re.compile(
    r"^(?P<sign>[-+]|减少|減少|增加|减|減|增)?"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?"
    r"(?P<unit>万元|萬元|元|件|项|項|个|個|条|條)?$"
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
    if s in NOT_APPLICABLE:
        return CellValue(None, "not_applicable", None, raw)
    if s in DASHES or (len(s) > 1 and set(s) <= {"—", "-"}):
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
        number = _SIGNS[m["sign"]] * number
    unit = UNITS[m["unit"]] if m["unit"] else None
    return CellValue(number, "number", unit, raw)


def is_value(text: str) -> bool:
    """True when the text reads as a value (number, "/", dash, 无), i.e. not a label."""
    return read_cell(text).kind in VALUE_KINDS
