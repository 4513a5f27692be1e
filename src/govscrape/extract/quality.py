"""Text quality signals: mojibake (double-decoded UTF-8) and the share of traditional script."""

from __future__ import annotations

import re
from functools import cache

from govscrape.labels import has_traditional, traditional_chars
from govscrape.model import Finding

__all__ = ["has_traditional", "mojibake_finding", "page_quality", "traditional_share"]


@cache
def _script_res() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    """Regexes of the characters that differ between the scripts (OpenCC's data): traditional,
    simplified within the BMP, and the simplified ones beyond it (a set). Beyond the BMP a
    character class is tested range by range: ~800 of them made every character cost ~1 µs."""
    pairs = traditional_chars()
    trad = "".join(sorted(pairs))
    simp = sorted(set(pairs.values()) - set(pairs))
    bmp = "".join(c for c in simp if ord(c) < _ASTRAL)
    astral = frozenset(c for c in simp if ord(c) >= _ASTRAL)
    return re.compile(f"[{re.escape(trad)}]"), re.compile(f"[{re.escape(bmp)}]"), astral


_ASTRAL = 0x10000
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def traditional_share(text: str) -> float | None:
    """Share of traditional forms among the characters that differ between the scripts."""
    trad_re, simp_re, simp_astral = _script_res()
    if trad_re.search(text) is None:  # the common case, found without counting the page
        return _simplified_share(text)
    trad = len(trad_re.findall(text))
    simp = len(simp_re.findall(text))
    simp += sum(1 for c in _ASTRAL_RE.findall(text) if c in simp_astral)
    return trad / (trad + simp)


def _simplified_share(text: str) -> float | None:
    """traditional_share of a text without traditional characters: 0.0, or None when it has
    no character that differs between the scripts either."""
    _trad_re, simp_re, simp_astral = _script_res()
    if simp_re.search(text) is not None:
        return 0.0
    return 0.0 if any(c in simp_astral for c in _ASTRAL_RE.findall(text)) else None


def _level1_hanzi() -> str:
    """The 3755 most common characters (GB2312 level 1, lead bytes B0-D7)."""
    chars = []
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.append(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def _rare_class() -> str:
    """A regex class of the CJK characters outside GB2312 level 1, as code-point ranges."""
    common = {ord(c) for c in _level1_hanzi()}
    ranges, start = [], None
    for cp in range(0x4E00, 0xA000):
        if cp not in common and start is None:
            start = cp
        elif cp in common and start is not None:
            ranges.append((start, cp - 1))
            start = None
    if start is not None:
        ranges.append((start, 0x9FFF))
    body = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)
    return f"[\u3400-\u4dbf{body}]"


# UTF-8 bytes read as GBK land all over the code table, mostly on rare characters: official
# simplified prose is ~100% level-1 characters, traditional text ~65%, mojibake ~10-25%.
_RARE_RE = re.compile(_rare_class())
MOJIBAKE_RARE_SHARE = 0.6  # a line with more rare characters than this is mojibake
MOJIBAKE_MIN_CJK = 6  # lines shorter than this carry too little evidence
MOJIBAKE_MIN_RARE = 8  # fewer rare characters on the whole page: nothing to examine
MOJIBAKE_CHUNK_CHARS = 12  # short lines are judged in chunks of at least this many characters


def mojibake_lines(text: str) -> list[str]:
    """The stretches of `text` that look like double-decoded UTF-8 (闂備礁缍婂ḿ褔顢栭崱…).

    Short lines (navigation items) are judged together with their neighbours, so that a
    garbled menu of two-character items is seen as the garbled block it is.
    """
    if len(_RARE_RE.findall(_as_simplified(text))) < MOJIBAKE_MIN_RARE:
        return []
    bad = []
    for chunk in _chunks(text.splitlines()):
        # Traditional script is rare in GB2312 terms but not garbled: judge it as simplified.
        rare = len(_RARE_RE.findall(_as_simplified(chunk)))
        if rare < MOJIBAKE_MIN_CJK // 2:
            continue
        cjk = len(_CJK_RE.findall(chunk))
        if cjk >= MOJIBAKE_MIN_CJK and rare / cjk > MOJIBAKE_RARE_SHARE:
            bad.append(chunk)
    return bad


@cache
def _common_traditional() -> tuple[re.Pattern[str], dict[str, str]]:
    """OpenCC's conversions of the common traditional characters (Big5 level 1) only, and a
    regex of them. Double-decoded UTF-8 lands on rare characters, some of which OpenCC also
    converts (鍘 -> 铡): converted, garbled text would pass for common text."""
    common: set[str] = set()
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            try:
                common.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                continue
    table = {k: v for k, v in traditional_chars().items() if k in common}
    return re.compile("[" + re.escape("".join(table)) + "]"), table


def _as_simplified(text: str) -> str:
    """The text's common traditional characters in simplified script (a page without any
    traditional character, the common case, as it is). A regex finds them: str.translate
    looks every character of the page up, ten times slower on a traditional page."""
    if not has_traditional(text):
        return text
    common, table = _common_traditional()
    return common.sub(lambda m: table[m.group()], text)


def _chunks(lines: list[str]) -> list[str]:
    """Consecutive lines joined until each chunk holds enough characters to judge."""
    chunks, buf, size = [], [], 0
    for line in lines:
        if not line.strip():
            continue
        buf.append(line.strip())
        size += len(line)
        if size >= MOJIBAKE_CHUNK_CHARS:
            chunks.append(" ".join(buf))
            buf, size = [], 0
    if buf:
        chunks.append(" ".join(buf))
    return chunks


@cache
def _page_scan() -> tuple[re.Pattern[str], frozenset[str], frozenset[str]]:
    """One regex for both checks of a page, and its two parts: the characters that are rare
    once the text is simplified (what mojibake_lines counts first: _RARE_RE over
    _as_simplified, which replaces one character by one), and the traditional characters."""
    _common, table = _common_traditional()
    chars = [
        chr(cp) for start, end in ((0x3400, 0x4DC0), (0x4E00, 0xA000)) for cp in range(start, end)
    ]
    rare = frozenset(c for c in chars if _is_rare(table.get(c, c)))
    trad = frozenset(traditional_chars())
    return re.compile(_char_class(rare | trad)), rare, trad


def _is_rare(c: str) -> bool:
    """_RARE_RE on one character, without the regex (_page_scan asks it of 27 000)."""
    return "\u3400" <= c <= "\u4dbf" or ("\u4e00" <= c <= "\u9fff" and c not in _level1_set())


@cache
def _level1_set() -> frozenset[str]:
    return frozenset(_level1_hanzi())


def _char_class(chars: frozenset[str]) -> str:
    """A regex class of the characters as code-point ranges: short, so it compiles fast."""
    points = sorted(ord(c) for c in chars)
    ranges: list[tuple[int, int]] = []
    for cp in points:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    body = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return f"[{body}]"


def page_quality(page: str, body: str) -> tuple[Finding | None, float | None]:
    """(mojibake_finding(page), traditional_share(body)) for a body whose characters are all
    on the page: one regex pass over the page settles both on most pages (no traditional
    character, too few rare ones to look for mojibake), where each took passes of its own."""
    scan, rare, trad = _page_scan()
    found = scan.findall(page)
    if sum(1 for c in found if c in rare) < MOJIBAKE_MIN_RARE:
        mojibake = None  # what mojibake_lines' first test decides, on the same count
    else:
        mojibake = mojibake_finding(page)
    if any(c in trad for c in found):
        return mojibake, traditional_share(body)
    return mojibake, _simplified_share(body)  # none on the page, so none in its body


def mojibake_finding(text: str) -> Finding | None:
    """A parse.mojibake warning when stretches of `text` are garbled; the rest is still read."""
    bad = mojibake_lines(text)
    if not bad:
        return None
    return Finding(
        code="parse.mojibake",
        severity="warning",
        message=(
            f"{len(bad)} stretch(es) of text look double-decoded (mojibake); "
            "they were kept as found and the rest of the page was read normally"
        ),
        found=len(bad),
        raw=bad[0][:200],
    )
