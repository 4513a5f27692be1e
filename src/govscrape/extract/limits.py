"""Per-document budgets: what reading one document may cost, each limit with its reason.

Every extractor (HTML, text, PDF, DOCX) reads within these limits. Cheap checks come first
(declared sizes, counts), then bounded pieces while reading; what cannot be checked in advance
(pdfium, a native library) runs in a guarded worker process (extract/guard.py) under the time
and memory limits. A document that reaches a limit keeps what was read and carries a
`parse.resource_limit` finding naming the limit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from govscrape.findings import finding
from govscrape.model import Finding

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limit:
    """One budget: its name (as findings name it), value, unit and why it is that value."""

    name: str
    value: int
    unit: str
    reason: str


LIMITS: dict[str, Limit] = {
    limit.name: limit
    for limit in (
        Limit("seconds", 10, "seconds", "a real report reads in under 2 s (a 100-page PDF); "
              "a night's build must not wait on one file"),
        Limit("memory", 768 * MIB, "bytes", "address space of the worker reading a PDF: real "
              "reports need under 300 MB; pdfium aborts, rather than fails, beyond its limit"),
        Limit("document_bytes", 32 * MIB, "bytes", "above the crawler's 30 MB body limit: "
              "reports are 50-300 KB as HTML and a few MB as PDF"),
        Limit("text_chars", 8_000_000, "characters", "an HTML or text report is under 1 M "
              "characters; a 50 MB page took 66 s"),
        Limit("nesting", 1_000, "elements open inside one another", "report pages nest under "
              "50 deep; the HTML parser's time grows with the square of the depth (200k nested "
              "divs: minutes)"),
        Limit("tables", 2_000, "tables", "a report has about 10 tables; 100k nested tables "
              "took over 120 s to walk"),
        Limit("table_cells", 100_000, "grid positions in one table", "the largest national "
              "table has under 300 cells; spans expand a table's positions"),
        Limit("cells", 100_000, "grid positions", "a report's tables hold about 1,000 cells; "
              "rowspans stacked across many tables reached 942 MB"),
        Limit("spans", 100, "rows or columns one cell spans", "national tables are under 30 "
              "wide (Word allows 63); a gridSpan of 10^9 took 57 s and 7.8 GB"),
        Limit("decompressed_bytes", 64 * MIB, "bytes", "inflated size of a DOCX's parts: a "
              "report's document.xml is a few MB; a 3 MB member inflated to 3 GiB"),
        Limit("pages", 300, "pages", "reports run to 10-60 pages; 5,000 text pages took 98 s"),
        Limit("glyphs", 20_000, "characters on one page", "a dense A4 page holds under 10,000; "
              "2.2M glyphs in a 13 KB file took 80 s and 1 GB"),
        Limit("document_glyphs", 300_000, "characters", "a 60-page report holds about "
              "100,000; reading costs about 10 µs a character"),
        Limit("graphic_objects", 20_000, "drawing objects on one page", "a ruled table page "
              "draws under 2,000; 200k rectangles took over 120 s"),
    )
}  # fmt: skip


def limit(name: str) -> int:
    """The value of a limit (KeyError for an unknown name: a bug)."""
    return LIMITS[name].value


def limit_finding(name: str, what: str) -> Finding:
    """A parse.resource_limit finding: what was not read, and the limit that stopped it."""
    lim = LIMITS[name]
    return finding(
        "parse.resource_limit",
        f"{what}: the document reached the limit {name} = {lim.value:,} {lim.unit} ({lim.reason})",
        raw=name,
    )


@dataclass(slots=True)
class Budget:
    """What one document has spent so far: a deadline and counters, shared by its readers."""

    started: float = field(default_factory=time.monotonic)
    cells: int = 0
    glyphs: int = 0
    findings: list[Finding] = field(default_factory=list)
    _reached: set[str] = field(default_factory=set)

    def out_of_time(self) -> bool:
        return time.monotonic() - self.started > limit("seconds")

    def reach(self, name: str, what: str) -> None:
        """Record that a limit was reached (once per limit: the first place says it)."""
        if name not in self._reached:
            self._reached.add(name)
            self.findings.append(limit_finding(name, what))
