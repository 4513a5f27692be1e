"""Headline figures read from a report's prose: what each sentence states, and with what caveat.

The wording is data (parse/prose_wording.py); the rules, per clause of a sentence:

1. A clause about another year, saying what should happen (应当, 可以), or holding a word that
   makes it about something else for a measure (咨询, 复议, 诉讼 … for requests) gives that
   measure nothing. A comparison (比上年增加2件) is cut off.
2. Words name measures (主动公开, 行政复议, 依申请公开; 申请 beside a receiving verb), and
   other words own counts that are no measure (规范性文件, 人次, 网站). A count (a number and a
   unit the measure is counted in) belongs to the nearest such word before it (or after it,
   when none is before). One count after two measures joined by 和/及/、 covers both: a 0 is
   0 for each, 各/均 gives each the count, another number is their sum (qualified).
3. A zero is a count of 0, a negated verb before the measure's word (未收到…申请, 没有公民提出
   …申请, 未发生…行政复议), a negation before its noun (无依申请公开事项), or 无 after it (依申请
   公开：无).
4. A figure is `qualified`, never plain, within 除…外, beside 其他 or 涉及, after a period
   that is not the year (截至11月, 1-11月, 累计), in a total across agencies (全县, 各部门),
   when it is an estimate (约, 余, 多, 几件), or when one sentence gives two different figures.

Across the report: one plain figure (stated once or repeated) is `stated_count` or
`stated_zero` with the first sentence; anything qualified, or two sentences disagreeing, is
`qualified` with every sentence quoted; no statement at all is `not_stated`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from govscrape.model import Headline, HeadlineStatus
from govscrape.parse.clauses import Clause, clauses, compile_words, normalised
from govscrape.parse.numerals import ARABIC, CHINESE_NUMERAL_CHARS, read_number
from govscrape.parse.prose_wording import (
    APPROXIMATE_AFTER,
    APPROXIMATE_BEFORE,
    APPROXIMATE_UNIT_AFTER,
    CHANGE_BEFORE,
    CONJUNCTION,
    DISTRIBUTIVE,
    ESTIMATE_WORDS,
    MEASURES,
    NARROWED,
    NARROWING,
    NEGATED_VERBS,
    NEGATION,
    NEGATION_REACH,
    NONE_AT_END,
    NOT_A_COUNT_BEFORE,
    NOT_COUNTED_AFTER,
    NOUN_MODIFIERS,
    OTHER,
    OWNERS,
    SUBJECT_NEGATIONS,
    ZERO_BEFORE,
    Measure,
)
from govscrape.parse.sentences import Sentence

EVIDENCE_JOIN = " | "  # between the sentences quoted for one figure
SENTENCE_CACHE = 1 << 14  # sentences remembered: boilerplate recurs, memory stays bounded


@dataclass(frozen=True, slots=True)
class _Words:
    """A measure's wordings, compiled."""

    measure: Measure
    triggers: re.Pattern[str] | None
    nouns: re.Pattern[str] | None
    verbs: re.Pattern[str] | None
    handling: re.Pattern[str] | None
    elsewhere: re.Pattern[str] | None


_MEASURES = tuple(
    _Words(m, *(compile_words(getattr(m, f)) for f in ("triggers", "nouns", "verbs", "handling", "elsewhere")))
    for m in MEASURES
)  # fmt: skip
_BY_CODE = {w.measure.code: w for w in _MEASURES}
# A sentence can state a figure only if it names a measure and holds a number, a negation or an
# estimate word: most sentences of a report hold neither and are passed over at once.
_ANY_MEASURE = compile_words([w for m in MEASURES for w in (*m.triggers, *m.nouns, *m.verbs)])
_ANY_FIGURE = re.compile(rf"[\d{CHINESE_NUMERAL_CHARS}未没无几数若干]")
_OWNERS = compile_words(OWNERS)
_UNITS = sorted({u for m in MEASURES for u in m.units}, key=len, reverse=True)
_COUNT = re.compile(
    rf"(?P<num>{ARABIC}|[{CHINESE_NUMERAL_CHARS}]+)(?P<about>{APPROXIMATE_AFTER.pattern})?"
    rf"(?P<unit>{'|'.join(_UNITS)})(?P<after>{APPROXIMATE_UNIT_AFTER.pattern})?"
)
_UNITLESS = re.compile(rf"(?:为|是|:)(?P<num>{ARABIC}|[{CHINESE_NUMERAL_CHARS}]+)$")
_ESTIMATE = re.compile(ESTIMATE_WORDS.pattern)
_NOT_A_COUNT_BEFORE = re.compile(NOT_A_COUNT_BEFORE.pattern)
_NOT_COUNTED_AFTER = re.compile(NOT_COUNTED_AFTER.pattern)
_APPROX_BEFORE = re.compile(rf"(?:{APPROXIMATE_BEFORE.pattern})$")
_CHANGE_BEFORE = re.compile(rf"(?:{CHANGE_BEFORE.pattern})$")
_NEGATION = re.compile(NEGATION.pattern)
_NEGATED_VERB = re.compile(NEGATED_VERBS.pattern)
_SUBJECT_NEGATION = re.compile(rf"(?:{SUBJECT_NEGATIONS.pattern})$")
_NEGATED_NOUN = re.compile(rf"(?:{NEGATION.pattern})(?:{NOUN_MODIFIERS.pattern})$")
_NONE_AT_END = re.compile(NONE_AT_END.pattern)
_ZERO_BEFORE = re.compile(ZERO_BEFORE.pattern)
_NARROWING = re.compile(NARROWING.pattern)
_CONJUNCTION = re.compile(CONJUNCTION.pattern)
_DISTRIBUTIVE = re.compile(DISTRIBUTIVE.pattern)
_OTHER = re.compile(OTHER.pattern)
_NARROWED = re.compile(NARROWED.pattern)


@dataclass(frozen=True, slots=True)
class Token:
    """A word in a clause that owns counts: a measure's word (trigger, noun or verb), or an
    owner (measure None)."""

    start: int
    end: int
    measure: str | None
    kind: str = "triggers"


@dataclass(frozen=True, slots=True)
class Count:
    """A number with its unit; `estimate` says why it is not a plain figure."""

    start: int
    end: int
    value: int | float | None
    unit: str | None
    estimate: str | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    """What one sentence states about one measure; `note` set: qualified, and why."""

    measure: str
    value: int | float | None
    unit: str | None
    note: str | None
    sentence: Sentence


# --- One clause --------------------------------------------------------------------------------


def clause_tokens(text: str, section: str | None) -> list[Token]:
    """The words of a clause that own counts, in order; overlapping words: the earlier wins,
    then the longer (不予公开 over 予公开, 依申请公开 over 申请)."""
    found: list[Token] = []
    for words in _MEASURES:
        for kind in ("triggers", "nouns", "verbs"):
            pattern = getattr(words, kind)
            if pattern is not None:
                found += [Token(m.start(), m.end(), words.measure.code, kind)
                          for m in pattern.finditer(text) if m.end() > m.start()]  # fmt: skip
    if _OWNERS is not None:
        found += [Token(m.start(), m.end(), None, "owner") for m in _OWNERS.finditer(text)]
    kept: list[Token] = []
    for token in sorted(found, key=lambda t: (t.start, t.start - t.end)):
        if not kept or token.start >= kept[-1].end:
            kept.append(token)
    return _valid(kept, text, section)


def _valid(found: list[Token], text: str, section: str | None) -> list[Token]:
    """Drop the words that do not make this clause about their measure (see Measure)."""
    verbs = {t.measure for t in found if t.kind == "verbs"}
    out = []
    for token in found:
        if token.measure is None:
            out.append(token)
            continue
        words = _BY_CODE[token.measure]
        has_verb = token.measure in verbs
        if token.kind == "nouns" and not (has_verb or _NEGATED_NOUN.search(text, 0, token.start)):
            continue  # 申请 is a request where one is received (收到…申请) or denied (无…申请)
        handled = words.handling is not None and words.handling.search(text) is not None
        if token.kind == "triggers" and handled and not has_verb:
            continue  # 办理依申请公开3件: requests handled, not received
        named = any(t.measure == token.measure and t.kind != "verbs" for t in found)
        if token.kind == "verbs" and not named and section != words.measure.section:
            continue  # 受理3件 counts requests only under the 依申请公开 heading
        out.append(token)
    return out


def clause_counts(text: str) -> list[Count]:
    """The counts of a clause: number + unit, 为0 at its end, and estimates (几件)."""
    counts = []
    for m in _COUNT.finditer(text):
        start, end = m.start(), m.end()
        if start and _NOT_A_COUNT_BEFORE.match(text, start - 1):
            continue
        if _NOT_COUNTED_AFTER.match(text, end) or _CHANGE_BEFORE.search(text, 0, start):
            continue
        value = read_number(m.group("num"))
        estimate = None
        if value is None:
            estimate = f"not a number as written ({m.group('num')})"
        else:
            about = _APPROX_BEFORE.search(text, 0, start)
            if about or m.group("about") or m.group("after"):
                estimate = f"an estimate ({about.group() if about else ''}{m.group()})"
        counts.append(Count(start, end, value, m.group("unit"), estimate))
    if (bare := _UNITLESS.search(text)) is not None:
        value = read_number(bare.group("num"))
        note = None if value is not None else f"not a number as written ({bare.group('num')})"
        counts.append(Count(bare.start("num"), bare.end(), value, None, note))
    counts += [Count(m.start(), m.end(), None, None, f"no figure ({m.group()})")
               for m in _ESTIMATE.finditer(text)]  # fmt: skip
    return sorted(counts, key=lambda c: c.start)


def clause_zeros(text: str, tokens: list[Token]) -> list[Token]:
    """The measure words a zero statement bears on (rule 3 of the module docstring)."""
    named = [t for t in tokens if t.measure is not None]
    out = [t for t in named if _NEGATED_NOUN.search(text, 0, t.start)]
    for neg in _NEGATION.finditer(text):
        verb = _NEGATED_VERB.match(text, neg.end())
        if verb is None and _SUBJECT_NEGATION.search(neg.group()):
            verb = _NEGATED_VERB.search(text, neg.end(), neg.end() + NEGATION_REACH)
        if verb is not None:
            out += [t for t in named if t.start >= verb.start()
                    and not _NARROWING.search(text, verb.end(), t.start)]  # fmt: skip
    if (end := _NONE_AT_END.search(text)) is not None:
        out += [t for t in named if t.end <= end.start()][-1:]
    for zero in _ZERO_BEFORE.finditer(text):
        out += [t for t in named if t.start == zero.end()]
    return list(dict.fromkeys(out))


def attribute(text: str, tokens: list[Token], count: Count) -> tuple[list[str], str | None]:
    """(the measures a count belongs to, a note when it covers several at once)."""
    before = [i for i, t in enumerate(tokens) if t.end <= count.start]
    after = [i for i, t in enumerate(tokens) if t.start >= count.end]
    if not before and not after:
        return [], None
    at = before[-1] if before else after[0]
    owner = tokens[at]
    if owner.measure is None:
        return [], None
    measures = [owner.measure]
    while at > 0 and before:
        prev = tokens[at - 1]
        gap = text[prev.end : tokens[at].start]
        if prev.measure is None or prev.measure in measures or not _CONJUNCTION.fullmatch(gap):
            break
        measures.insert(0, prev.measure)
        at -= 1
    if len(measures) == 1 or count.value == 0:
        return measures, None
    if _DISTRIBUTIVE.search(text, owner.end, count.start):
        return measures, None
    return measures, "one count for " + " and ".join(measures) + " together"


def read_clause(clause: Clause, section: str | None) -> dict[str, list[tuple]]:
    """measure -> [(value, unit, note)] for what the clause states (rules 1-4)."""
    text = clause.text
    if not clause.this_year or clause.procedural or not text:
        return {}
    if _ANY_MEASURE is None or _ANY_MEASURE.search(text) is None:
        return {}  # most clauses name no measure: no need to look for every word
    tokens = clause_tokens(text, section)
    if not any(t.measure for t in tokens):
        return {}
    found: dict[str, list[tuple]] = {}
    for count in clause_counts(text):
        measures, note = attribute(text, tokens, count)
        for code in measures:
            unit_ok = count.unit is None or count.unit in _BY_CODE[code].measure.units
            if unit_ok:
                found.setdefault(code, []).append((count.value, count.unit, count.estimate or note))
    for token in clause_zeros(text, tokens):
        found.setdefault(str(token.measure), []).append((0, None, None))
    context = _context_note(clause)
    out = {}
    for code, items in found.items():
        words = _BY_CODE[code]
        if words.elsewhere is not None and words.elsewhere.search(text):
            continue
        out[code] = [(v, u, n or context) for v, u, n in items]
    return out


def _context_note(clause: Clause) -> str | None:
    """Why every figure of the clause is qualified, if anything makes it so."""
    if clause.scope:
        return f"a total across agencies ({clause.scope})"
    if clause.period:
        return clause.period
    if clause.exception:
        return "an exception (除…外)"
    if (m := _OTHER.search(clause.text)) is not None:
        return f"other than something said before ({m.group()})"
    if (m := _NARROWED.search(clause.text)) is not None:
        return f"one kind of request only ({m.group()})"
    return None


# --- One sentence, then the report ------------------------------------------------------------


def read_sentence(sentence: Sentence, year: int | None) -> list[Reading]:
    """What the sentence states about each measure: one Reading per measure it speaks of."""
    return [
        Reading(code, value, unit, note, sentence)
        for code, value, unit, note in _read(sentence.text, sentence.section, year)
    ]


@lru_cache(maxsize=SENTENCE_CACHE)
def _read(sentence: str, section: str | None, year: int | None) -> tuple[tuple, ...]:
    """read_sentence on the text alone, cached: boilerplate sentences recur across reports."""
    text = normalised(sentence)
    if _ANY_FIGURE.search(text) is None or _ANY_MEASURE is None or not _ANY_MEASURE.search(text):
        return ()
    found: dict[str, list[tuple]] = {}
    for clause in clauses(text, year):
        for code, items in read_clause(clause, section).items():
            found.setdefault(code, []).extend(items)
    disclosure = "公开" in text
    readings = []
    for code, items in found.items():
        measure = _BY_CODE[code].measure
        if measure.about_disclosure and not disclosure and section != measure.section:
            continue
        readings.append(_sentence_reading(code, items))
    return tuple(readings)


def _sentence_reading(code: str, items: list[tuple]) -> tuple:
    """(measure, value, unit, note) of one sentence: two figures, or any note, qualify it."""
    notes = list(dict.fromkeys(n for _, _, n in items if n))
    values = list(dict.fromkeys(v for v, _, _ in items))
    if not notes and len(values) > 1:
        notes = ["two figures in one sentence: " + ", ".join(_show(v) for v in values)]
    if notes:
        return code, None, None, "; ".join(notes)
    unit = next((u for _, u, _ in items if u), None)
    return code, values[0], unit, None


def read_prose(sentences: Iterable[Sentence], year: int | None) -> dict[str, Headline]:
    """measure -> its Headline from the report's prose (every measure, not_stated included)."""
    readings: dict[str, list[Reading]] = {m.code: [] for m in MEASURES}
    for sentence in sentences:
        if _read(sentence.text, sentence.section, year):  # most sentences state nothing
            for reading in read_sentence(sentence, year):
                readings[reading.measure].append(reading)
    return {code: _headline(code, found) for code, found in readings.items()}


def _headline(code: str, found: list[Reading]) -> Headline:
    if not found:
        return Headline(code, "not_stated")
    first = found[0]
    quoted = EVIDENCE_JOIN.join(dict.fromkeys(r.sentence.text for r in found))
    notes = list(dict.fromkeys(r.note for r in found if r.note))
    values = list(dict.fromkeys(r.value for r in found if not r.note))
    if not notes and len(values) > 1:
        notes = ["different figures in different sentences: " + ", ".join(_show(v) for v in values)]
    if notes:
        section = first.sentence.section
        return Headline(code, "qualified", evidence=quoted, section=section, note="; ".join(notes))
    status: HeadlineStatus = "stated_zero" if first.value == 0 else "stated_count"
    unit = first.unit
    if unit is None and first.value == 0:
        unit = _BY_CODE[code].measure.unit  # none of them: 0 in the measure's own unit
    return Headline(code, status, first.value, unit, first.sentence.text, first.sentence.section)


def _show(value: object) -> str:
    return "null" if value is None else str(value)
