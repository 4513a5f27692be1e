"""How closely a printed label matches a template label, tolerating what long-tail reports do.

Labels are compared as bags of characters (order is the alignment's business: rows come in
template order), after normalisation (width, script, quotes) and without punctuation, so
that "1、" and "1." and full-width brackets compare equal. What a printed label may carry
besides the template label's characters:

- characters of the table's group labels (三、本年度办理结果 printed one character per line,
  （三）不予公开 split over two lines): they interleave into row labels in PDF text and cost
  almost nothing;
- a few foreign characters (a changed character, the agency's own wording);

and it may miss a few characters (a typo, a character lost at a line wrap). Both are allowed
up to one character in TOLERANCE_PER characters of the template label.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from govscrape.labels import normalise

TOLERANCE_PER = 6  # one missing (and one foreign) character allowed per this many characters
GROUP_COST = 0.02  # a group-label character inside a row label: PDF text interleaves them
FOREIGN_COST = 0.3
MISSING_COST = 0.5
_PUNCTUATION = re.compile(r"[\s()（）、.,，:：;；\"'“”‘’「」\-—_/·•]")


@lru_cache(maxsize=1 << 15)
def plain(text: str) -> str:
    """The label's characters that matter: normalised, punctuation and spaces dropped."""
    return _PUNCTUATION.sub("", normalise(text))


@lru_cache(maxsize=1 << 12)
def bag(text: str) -> Counter:
    return Counter(plain(text))


@dataclass(frozen=True, slots=True)
class Similarity:
    """How a printed text compares with a template label (counts of characters)."""

    common: int  # characters of the template label found in the text
    missing: int  # characters of the template label not found
    foreign: int  # characters of the text in neither the label nor a group label
    group: int  # characters of the text that belong to group labels only

    def acceptable(self, size: int) -> bool:
        allowed = size // TOLERANCE_PER
        return self.common > 0 and self.missing <= allowed and self.foreign <= allowed

    @property
    def score(self) -> float:
        return (
            2.0
            - MISSING_COST * self.missing
            - FOREIGN_COST * self.foreign
            - GROUP_COST * self.group
        )

    @property
    def exact(self) -> bool:
        return self.missing == 0 and self.foreign == 0 and self.group == 0


def compare(text: Counter, label: Counter, group_chars: frozenset[str]) -> Similarity:
    """`text` (a bag of printed characters) against `label` (a template label's bag).
    Plain loops over the (short) bags: Counter's operators build new Counters, 10x slower."""
    common = foreign = group = 0
    for ch, n in text.items():
        have = label.get(ch, 0)
        if have >= n:
            common += n
            continue
        common += have
        if ch in group_chars:
            group += n - have
        else:
            foreign += n - have
    return Similarity(common, label.total() - common, foreign, group)


def contribution(text: Counter, rest: Counter, label: Counter) -> int:
    """How many characters of `label` the text adds to what `rest` already matched."""
    added = 0
    for ch, n in text.items():
        room = label.get(ch, 0) - rest.get(ch, 0)
        if room > 0:
            added += min(n, room)
    return added
