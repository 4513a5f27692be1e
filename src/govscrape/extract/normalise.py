"""Whitespace normalisation for extracted text: one rule for lines, one for table cells."""

from __future__ import annotations

import re

# Characters written without spaces between them in Chinese text: CJK ideographs, CJK and
# full-width punctuation, kana, and the curly quotes/dashes/ellipsis Chinese typesetting uses.
CJK_CLASS = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2014\u2018-\u201f\u2026"
_CJK = re.compile(f"[{CJK_CLASS}]")
# \s covers \xa0 (&nbsp;) and \u3000; zero-width characters come from Word and CMS editors.
_WS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_CJK_GAP = re.compile(f"(?<=[{CJK_CLASS}]) (?=[{CJK_CLASS}])")


def is_cjk(ch: str) -> bool:
    """Whether `ch` is a character Chinese text sets without spaces around it."""
    return bool(_CJK.match(ch))


def normalise_text(text: str) -> str:
    """Whitespace runs (&nbsp;, full-width spaces, newlines) to one space, ends stripped."""
    # Every whitespace character but the ASCII space is unprintable (Unicode Z*/C*), so
    # printable text without double spaces has nothing to replace: the common, fast case.
    if text.isprintable() and "  " not in text:
        return text.strip()
    return _WS.sub(" ", text).strip()


def normalise_cell(text: str) -> str:
    """As normalise_text, and no space left between two CJK characters ("商业 企业")."""
    text = normalise_text(text)
    return _CJK_GAP.sub("", text) if " " in text else text


def join_pieces(pieces: list[str]) -> str:
    """Join line pieces of one cell: nothing between CJK characters, a space otherwise."""
    out = ""
    for piece in pieces:
        piece = normalise_cell(piece)
        if not piece:
            continue
        if out and not (is_cjk(out[-1]) and is_cjk(piece[0])):
            out += " "
        out += piece
    return out
