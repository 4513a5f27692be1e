"""Normalise printed labels (script, width, quotes, spaces, numbering, notes) and look them up."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

import opencc

from govscrape.template import VOCABULARY, Line

_QUOTES = "“”„‟〝〞«»「」『』＂'‘’`"
_BRACKETS = {"【": "(", "】": ")", "〔": "(", "〕": ")", "［": "(", "］": ")", "[": "(", "]": ")"}
# Quotes and brackets of every width and script unified (script itself is OpenCC's job).
MARKS: dict[int, str] = {ord(q): '"' for q in _QUOTES}
MARKS.update({ord(k): v for k, v in _BRACKETS.items()})
# OpenCC's traditional -> simplified conversion (characters; the format's own vocabulary,
# such as 檔案 for 文件, is template.VOCABULARY, applied after it).
OPENCC_CONFIG = "t2s"
# Every CJK character, to learn once which ones OpenCC converts.
_CJK_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000))


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC(OPENCC_CONFIG)


@cache
def traditional_chars() -> dict[str, str]:
    """Each character OpenCC converts to simplified, and its simplified form: learned from
    OpenCC once per process (~30 ms), so a text without any is recognised by one regex scan.
    The characters are converted one per line, so no phrase rule joins two of them."""
    chars = [chr(cp) for start, end in _CJK_BLOCKS for cp in range(start, end)]
    converted = _converter().convert("\n".join(chars)).split("\n")
    return {a: b for a, b in zip(chars, converted, strict=True) if a != b}


@cache
def _traditional_re() -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(traditional_chars())) + "]")


def has_traditional(text: str) -> bool:
    """Whether the text holds a character OpenCC would convert to simplified script."""
    return _traditional_re().search(text) is not None


def to_simplified(text: str) -> str:
    """The text in simplified script (OpenCC); a text without traditional characters, the
    common case, is returned as it is after one regex scan."""
    if _traditional_re().search(text) is None:
        return text
    return _converter().convert(text)


_SPACE = re.compile(r"\s+")
MAX_CACHED_LABELS = 50_000  # bounds a long dataset build's memory; labels recur, prose does not
_NUMERALS = "一二三四五六七八九十"
# One leading numbering token: 一、 (一) (1) 1. 1、 1) — applied repeatedly.
_NUMBERING = re.compile(
    rf"^(?:[{_NUMERALS}]{{1,3}}[、.]|\([{_NUMERALS}\d]{{1,3}}\)[、.]?|\d{{1,2}}[、.)](?!\d))"
)
# A bracketed fill-in note, e.g. 规章(设区的市…应提供相关数据); never a numbering bracket.
_NOTE = re.compile(rf"\((?![{_NUMERALS}\d]{{1,3}}\))[^()]*\)")
_ENDS_WITH_NUMBERING = re.compile(rf"(?:[、.)]|\([{_NUMERALS}\d]{{1,3}}\))$")


def normalise_text(text: str) -> str:
    """Width, script, quotes and brackets unified, whitespace dropped; numbering kept.
    Uncached: for whole documents (see `normalise` for labels and lines)."""
    s = to_simplified(unicodedata.normalize("NFKC", text).translate(MARKS))
    for old, new in VOCABULARY:
        if old in s:
            s = s.replace(old, new)
    return _SPACE.sub("", s)


def _fold_table() -> dict[str, str]:
    """Character -> replacement for fold_text: full-width ASCII forms, quotes, brackets."""
    table = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    table = {k: MARKS.get(ord(v), v) for k, v in table.items()}
    table.update({chr(k): v for k, v in MARKS.items()})
    return table


_FOLD = _fold_table()
_FOLD_RE = re.compile("[" + re.escape("".join(_FOLD)) + "]")


def fold_text(text: str) -> str:
    """A fast stand-in for normalise_text over whole documents, to search them for wording:
    full-width ASCII forms, script, quotes, brackets and vocabulary unified, whitespace
    dropped (NFKC, slow on long text, is left out: only its width folding matters here)."""
    s = to_simplified(_FOLD_RE.sub(lambda m: _FOLD[m.group()], _SPACE.sub("", text)))
    for old, new in VOCABULARY:
        if old in s:
            s = s.replace(old, new)
    return s


FOLD_CACHED_CHARS = 200  # lines up to this long recur across reports (labels, headings)


def fold_lines(lines: Iterable[str]) -> str:
    """fold_text over lines joined by newlines; the short, recurring ones cached."""
    return "\n".join(
        _fold_cached(line) if len(line) <= FOLD_CACHED_CHARS else fold_text(line) for line in lines
    )


@lru_cache(maxsize=1 << 16)
def _fold_cached(line: str) -> str:
    return fold_text(line)


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """normalise_text for a label or a line, cached: the same labels recur in every report."""
    return normalise_text(text)


@lru_cache(maxsize=1 << 16)
def key_form(text: str) -> str:
    """The normalised label without leading numbering and without bracketed fill-in notes."""
    s = normalise(text)
    for _ in range(3):
        stripped = _NUMBERING.sub("", s, count=1)
        if stripped == s:
            break
        s = stripped
    without_notes = _NOTE.sub("", s)
    return without_notes or s


class LabelIndex:
    """Looks printed labels up among template lines by their `keys` (containment or `exact`)."""

    def __init__(self, lines: Iterable[Line]) -> None:
        self.lines = tuple(lines)
        self._entries = [
            (key_form(key), line, line.exact) for line in self.lines for key in line.keys
        ]
        self._cache: dict[str, tuple[Line, ...]] = {}

    def match(self, label: str) -> tuple[Line, ...]:
        """Lines whose keys the label carries, best (longest key) first; cached per label."""
        hit = self._cache.get(label)
        if hit is None:
            if len(self._cache) > MAX_CACHED_LABELS:  # prose lines are looked up too
                self._cache.clear()
            hit = self._cache[label] = self._match(key_form(label))
        return hit

    def first(self, label: str) -> Line | None:
        hits = self.match(label)
        return hits[0] if hits else None

    def _match(self, s: str) -> tuple[Line, ...]:
        if not s:
            return ()
        scored: dict[str, tuple[int, Line]] = {}
        for key, line, exact in self._entries:
            if exact:
                ok = s == key or (
                    s.endswith(key) and _ENDS_WITH_NUMBERING.search(s[: -len(key)]) is not None
                )
            else:
                ok = key in s
            if ok and len(key) > scored.get(line.code, (0, line))[0]:
                scored[line.code] = (len(key), line)
        ranked = sorted(scored.values(), key=lambda pair: -pair[0])
        return tuple(line for _, line in ranked)
