"""A sentence cut into clauses, each with what the sentence so far says about it: its year, a
scope wider than the agency, a period shorter than the year, an exception (除…外).

These carry forward within one sentence (2016年，我局收到申请5件: the year bears on the
clause after it) and never into the next sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govscrape.labels import normalise_text
from govscrape.parse.numerals import read_year
from govscrape.parse.prose_wording import (
    CLAUSE_BREAK,
    COMPARATIVES,
    EXCEPTION_END,
    EXCEPTION_START,
    EXPLICIT_YEAR,
    FULL_YEAR_END,
    MEASURES,
    OTHER_YEARS,
    PERIOD_LIMITS,
    PROCEDURAL,
    SCOPES,
    SELF_SCOPES,
    THIS_YEAR,
    W,
)


def compile_words(words: tuple[W, ...] | list[W]) -> re.Pattern[str] | None:
    """One pattern for several wordings (None for none)."""
    return re.compile("|".join(f"(?:{w.pattern})" for w in words)) if words else None


BOOK_TITLE = re.compile(r"《[^《》]{0,60}》")
_BREAK = re.compile(CLAUSE_BREAK.pattern)
_COMPARATIVE = re.compile(COMPARATIVES.pattern)
_YEAR = re.compile(EXPLICIT_YEAR.pattern)
_OTHER_YEAR = re.compile(OTHER_YEARS.pattern)
_THIS_YEAR = re.compile(THIS_YEAR.pattern)
_SCOPE = compile_words(SCOPES)
_SELF = re.compile(SELF_SCOPES.pattern)
_PERIOD = tuple((re.compile(w.pattern), w) for w in PERIOD_LIMITS)
_ANY_PERIOD = re.compile("|".join(f"(?:{w.pattern})" for w in PERIOD_LIMITS))
_ANY_YEAR = re.compile(f"{EXPLICIT_YEAR.pattern}|{OTHER_YEARS.pattern}|{THIS_YEAR.pattern}")
_FULL_YEAR = re.compile(FULL_YEAR_END.pattern)
_EXCEPTION_START = re.compile(EXCEPTION_START.pattern)
_EXCEPTION_END = re.compile(EXCEPTION_END.pattern)
_PROCEDURAL = re.compile(PROCEDURAL.pattern)
# Year words that are part of a measure's own wording (上年结转) say nothing about the year.
_OWN_YEAR_WORDS = compile_words([t for m in MEASURES for t in m.triggers if "上" in t.pattern])
UNTIL_WINDOW = 15  # characters after 截至 that say up to when


@dataclass(slots=True)
class Clause:
    """The text of a clause (normalised) and what the sentence says about it so far."""

    text: str
    this_year: bool = True  # False: about another year, or a year that cannot be checked
    scope: str | None = None  # a word making it a total across agencies (全县)
    period: str | None = None  # why it covers part of the year only, or more than the year
    exception: bool = False  # inside a 除…外 exception, or the clause it excepts from
    procedural: bool = False  # says what should happen, not what happened


def normalised(sentence: str) -> str:
    """The sentence as the reader reads it: normalise_text, book titles emptied (《条例》第
    十三条 is no count, 《申请表》 no request)."""
    return BOOK_TITLE.sub("《》", normalise_text(sentence))


def clauses(text: str, year: int | None) -> list[Clause]:
    """The clauses of a normalised sentence, in order, with their carried context; a
    comparison against another year (比上年增加2件) is cut off its clause, and a clause that
    is only a comparison (与上年相比,) empties the clause after it."""
    out: list[Clause] = []
    state = Clause("", this_year=True)
    inside = carry = False  # within 除…外; the clause right after its 外
    compared_before = False  # the clause before was only a comparison (与上年相比,)
    # What the sentence holds at all: clauses are scanned only for the words it has.
    years = _ANY_YEAR.search(text) is not None
    periods = _ANY_PERIOD.search(text) is not None
    scopes = _SCOPE is not None and _SCOPE.search(text) is not None
    excepted = _EXCEPTION_START.search(text) is not None
    for piece in _BREAK.split(text):
        if not piece:
            continue
        compared = _COMPARATIVE.search(piece)
        own = "" if compared_before else piece[: compared.start()] if compared else piece
        compared_before = compared is not None and not piece[: compared.start()].strip()
        masked = _mask(own) if years or periods else own
        if years:
            state.this_year = _year_state(masked, year, state.this_year)
        if scopes:
            state.scope = _scope_state(masked, state.scope)
        if periods:
            period = _period(masked)
            if period is None and _THIS_YEAR.search(masked):
                state.period = None  # 本年度 after 累计…以来: back to the year
            state.period = period or state.period
        exception, carry = carry, False
        start = _EXCEPTION_START.search(own) if excepted else None
        if inside or start is not None:
            exception = inside = True
            if _EXCEPTION_END.search(own, start.end() if start else 0):
                inside, carry = False, True
        out.append(
            Clause(own, state.this_year, state.scope, state.period, exception,
                   _PROCEDURAL.search(own) is not None)
        )  # fmt: skip
    return out


def _mask(text: str) -> str:
    """The text with the measures' own year words blanked (上年结转 names no year)."""
    if _OWN_YEAR_WORDS is None:
        return text
    return _OWN_YEAR_WORDS.sub(lambda m: "□" * len(m.group()), text)


def _year_state(text: str, year: int | None, before: bool) -> bool:
    """Whether the clause (and what follows) is about the report's year: the last year word
    in it decides; none keeps what the sentence said before."""
    marks: list[tuple[int, bool]] = []
    for m in _YEAR.finditer(text):
        named = read_year(m.group(1))
        marks.append((m.start(), year is not None and named == year))
    marks += [(m.start(), False) for m in _OTHER_YEAR.finditer(text)]
    marks += [(m.start(), True) for m in _THIS_YEAR.finditer(text)]
    return max(marks)[1] if marks else before


def _scope_state(text: str, before: str | None) -> str | None:
    """The scope word in force after the clause: a total across agencies until the agency
    names itself (本级, 我局)."""
    marks: list[tuple[int, str | None]] = []
    if _SCOPE is not None:
        marks += [(m.start(), m.group()) for m in _SCOPE.finditer(text)]
    marks += [(m.start(), None) for m in _SELF.finditer(text)]
    return max(marks, key=lambda mark: mark[0])[1] if marks else before


def _period(text: str) -> str | None:
    """Why the clause covers only part of the year (or more than it), if it says so."""
    for pattern, _words in _PERIOD:
        for m in pattern.finditer(text):
            if m.group() in ("截至", "截止"):
                window = text[m.end() : m.end() + UNTIL_WINDOW]
                if _FULL_YEAR.search(window):
                    continue  # 截至12月31日 / 截至年底: the whole year
            return f"a period that is not the year ({m.group()})"
    return None
