"""Numbers as reports print them in prose: Arabic (any width) and Chinese numerals (一百零五).

`read_chinese` accepts the standard written form only (十二, 一十二, 一百零五, 两千, 一万零一十,
〇, 零); anything else is None, never a guess: colloquial 一百五 (150 or 105?), 三五 (three or
five: an estimate) and 十几 are not numbers. Years are read digit by digit (`read_year`: 二〇一七).
"""

from __future__ import annotations

import re

DIGITS: dict[str, int] = {
    **dict.fromkeys("〇零", 0),
    **{c: i for i, c in enumerate("一二三四五六七八九", start=1)},
    **{c: i for i, c in enumerate("壹贰叁肆伍陆柒捌玖", start=1)},  # financial (大写) forms
    "两": 2,
    "兩": 2,
}
UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
MYRIAD: dict[str, int] = {"万": 10_000, "萬": 10_000}
ZEROS = frozenset("〇零")
CHINESE_NUMERAL_CHARS = "".join([*DIGITS, *UNITS, *MYRIAD])
# One number as printed: Arabic (thousands separators, decimals) or a run of Chinese numerals.
ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
NUMBER = re.compile(rf"(?:{ARABIC})|[{CHINESE_NUMERAL_CHARS}]+")
_WRITE_DIGITS = "零一二三四五六七八九"


def read_chinese(text: str) -> int | None:
    """The value of a Chinese numeral in standard form (see the module docstring), else None."""
    if not text or any(c not in DIGITS and c not in UNITS and c not in MYRIAD for c in text):
        return None
    if len(text) > 1 and all(c in DIGITS for c in text):
        return None  # 三五: "three or five", an estimate; a year is read by read_year
    myriad = [i for i, c in enumerate(text) if c in MYRIAD]
    if len(myriad) > 1:
        return None
    if not myriad:
        return _below_myriad(text, first=True)
    head, tail = text[: myriad[0]], text[myriad[0] + 1 :]
    high = _below_myriad(head, first=True)
    if high is None or high == 0:
        return None
    if not tail:
        return high * 10_000
    if tail[0] in ZEROS:  # 一万零五: the 零 marks skipped thousands
        low = _below_myriad(tail[1:], first=False)
        return None if low is None or low >= 1000 or low == 0 else high * 10_000 + low
    low = _below_myriad(tail, first=False)
    return None if low is None or low < 1000 else high * 10_000 + low


def read_year(text: str) -> int | None:
    """A four-digit year, Arabic or digit by digit (二〇一七 → 2017), else None."""
    if len(text) != 4:
        return None
    if text.isdigit():
        return int(text)
    if any(c not in DIGITS or c in "两兩" for c in text):
        return None
    return int("".join(str(DIGITS[c]) for c in text))


def _below_myriad(text: str, *, first: bool) -> int | None:
    """A number under 10 000 in standard form: digit-unit pairs with falling units, 零 where a
    unit is skipped, an optional last digit for the ones. `first`: 十二 may drop its 一."""
    if not text:
        return None
    if text in ZEROS or text in DIGITS:
        return DIGITS[text]
    total, i, last_unit, after_zero = 0, 0, 10_000, False
    if first and text[0] in UNITS and UNITS[text[0]] == 10:
        text = "一" + text
    while i < len(text):
        c = text[i]
        if c in ZEROS:
            if after_zero or i == 0 or i == len(text) - 1:
                return None
            after_zero, i = True, i + 1
            continue
        if c not in DIGITS:
            return None
        nxt = text[i + 1] if i + 1 < len(text) else None
        if nxt is None:  # the ones: only after 十 or after 零
            if last_unit != 10 and not after_zero:
                return None
            return total + DIGITS[c]
        unit = UNITS.get(nxt)
        if unit is None or unit >= last_unit or (after_zero and unit * 10 == last_unit):
            return None
        if not after_zero and last_unit != 10_000 and unit * 10 != last_unit:
            return None  # a skipped unit needs its 零 (一千五十 is not standard)
        total += DIGITS[c] * unit
        last_unit, after_zero, i = unit, False, i + 2
    return total


def write_chinese(number: int) -> str:
    """The standard written form of 0 ≤ number < 100 000 000 (一万零一十, 十二, 零)."""
    if not 0 <= number < 100_000_000:
        raise ValueError(f"{number} is outside 0..99 999 999")
    if number == 0:
        return "零"
    high, low = divmod(number, 10_000)
    if not high:
        return _write_below_myriad(low, first=True)
    text = _write_below_myriad(high, first=True) + "万"
    if low == 0:
        return text
    if low < 1000:
        return text + "零" + _write_below_myriad(low, first=False)
    return text + _write_below_myriad(low, first=False)


def _write_below_myriad(number: int, *, first: bool) -> str:
    parts: list[str] = []
    zero_pending = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = (number // unit) % 10
        if digit == 0:
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        if unit == 10 and digit == 1 and first and not parts:
            parts.append("十")  # 十二, not 一十二, at the start of a number
            continue
        parts.append(_WRITE_DIGITS[digit] + name)
    return "".join(parts)


def read_number(text: str) -> int | float | None:
    """The value of one printed number (Arabic after NFKC, or Chinese), else None."""
    plain = text.replace(",", "")
    if plain and plain[0].isdigit():
        try:
            value = float(plain)
        except ValueError:
            return None
        return int(value) if value.is_integer() and "." not in plain else value
    return read_chinese(text)
