"""The deliberate trouble of real reports, each applied to one demo report.

Totals that disagree with their columns, blank cells, a late publication, a garbled page header,
a report published only as a .doc: see docs/national-format.md#real-world-variants.
"""

from __future__ import annotations

from govscrape import template as T
from govscrape.demo.report_numbers import (
    APPLICANT_CODES,
    PERSON_AND_ORGS,
    DemoReport,
    request_rows,
)


def apply_quirks(report: DemoReport) -> None:
    """The deliberate trouble of real reports, each on one report."""
    key = (report.agency.site_id, report.year)
    quirk = QUIRKS.get(key)
    if quirk is not None:
        quirk(report)
    if report.form == "doc":
        _word97_only(report)
    if report.template == T.V2021 and report.agency.kind == "government":
        report.fee_yuan = {2021: 0, 2022: 150, 2023: 380, 2024: 260}[report.year]
        if report.fee_yuan == 0:
            report.fee_yuan = None  # "未收取" is stated in words, not as a figure


def _seed_like(report: DemoReport) -> None:
    """Like the seed: one natural-person request, but the 总计 column of 一 and (六) reads 0."""
    rows = request_rows(report.template)
    report.requests = {r: dict.fromkeys(APPLICANT_CODES, 0) for r in rows}
    for row in ("new", "other", "total_handled"):
        report.requests[row]["natural_person"] = 1
    report.requests["total_handled"]["total"] = 1
    report.findings = frozenset(
        {"requests.row_total", "requests.total_handled", "requests.balance"}
    )
    report.note = "总计 printed 0 in rows 一 and (六) while the natural-person column says 1"


def _inconsistent(report: DemoReport) -> None:
    """A typing slip: 予以公开 for natural persons printed 2 lower, totals left as they were."""
    cell = report.requests["granted"]
    assert (cell["natural_person"] or 0) >= 2, "the slip needs a cell of at least 2"
    cell["natural_person"] = (cell["natural_person"] or 0) - 2
    report.findings = frozenset({"requests.total_handled", "requests.row_total"})
    report.note = "予以公开/自然人 printed 2 lower than the (七)总计 row and the 总计 column imply"


def _blank_zeros(report: DemoReport) -> None:
    """Zero cells of the organisation columns left blank, as many small agencies do."""
    for cells in report.requests.values():
        for col in PERSON_AND_ORGS[1:]:
            if cells[col] == 0:
                cells[col] = None
    report.note = "zero cells of the organisation columns printed blank (null, not 0)"


def _zero_year(report: DemoReport) -> None:
    """A quiet year: nothing received, nothing carried; every cell printed 0."""
    assert not any(report.requests["carried_over"].values()), "the chain must carry nothing"
    report.requests = {r: dict.fromkeys(APPLICANT_CODES, 0) for r in report.requests}
    report.note = "a clean zero: no request received or carried over"


def _late(report: DemoReport) -> None:
    """A department report published in mid-February, after the 31 January deadline."""
    report.published = report.published.replace(month=2, day=16)
    report.findings = frozenset({"publication.late"})
    report.note = "published 16 February, after the departments' 31 January deadline"


def _mojibake_header(report: DemoReport) -> None:
    """Not the numbers but the page: its header include is mojibake (sites.py garbles it)."""
    report.findings = frozenset({"parse.mojibake"})
    report.note = "the page's title, banner and nav are mojibake (UTF-8 read as GBK); body clean"


def _vanished_blanks(report: DemoReport) -> None:
    """Zero cells of the outcome rows left blank, then lost by the text (html_text_vanished):
    the rows are rebuilt from the table's arithmetic where it decides them, else unread."""
    for row, cells in report.requests.items():
        if row not in BALANCE_ROWS:
            for col, value in cells.items():
                if value == 0:
                    cells[col] = None
    report.findings = frozenset({"parse.ambiguous_row"})
    report.note = (
        "cell per line with the blank cells of the outcome rows gone: rows rebuilt from the "
        "table's arithmetic where it decides them, the rest unread with parse.ambiguous_row"
    )


def _glued(report: DemoReport) -> None:
    """Each row's numbers glued into one digit run (html_text_glued): table 三 and 四 are
    rebuilt from their arithmetic; table 二 has none, so a glued row of it stays unread."""
    report.findings = frozenset({"parse.ambiguous_row"})
    report.note = "each row's numbers glued into one digit run; table 二's glued row unread"


def _damaged_labels(report: DemoReport) -> None:
    """Table 三 labels as long-tail PDFs print them: a character missing (the agency's typo),
    characters of the vertical group label 三、本年度办理结果 interleaved into a row's label, and
    a label wrapped over two rows of the grid. Aligned to the template by order and similarity:
    every cell read, the two labels no lookup finds named by a parse.fuzzy_label (info)."""
    report.labels = dict(DAMAGED_LABELS)
    report.note = (
        "a PDF whose table 三 prints labels damaged (a character missing, group-label characters "
        "interleaved, a label wrapped over two rows): rows aligned by order and similarity"
    )


def _word97_only(report: DemoReport) -> None:
    """Published only as a .doc (OLE): the pipeline keeps it raw and says why it has no numbers."""
    report.findings = frozenset({"parse.unsupported_format"})
    report.note = "published only as a Word 97-2003 .doc attachment: kept raw, flagged, not read"


QUIRKS = {
    ("yunze-gxq", 2020): _seed_like,
    ("yunze-scjgj", 2022): _inconsistent,
    ("yunze-scjgj", 2021): _late,
    ("yunze-jyj", 2019): _blank_zeros,
    ("qingshi-bsz", 2022): _zero_year,
    ("yunze-gxq", 2024): _mojibake_header,
    ("qingshi-fgj", 2024): _vanished_blanks,
    ("yunze-wjw", 2023): _glued,
    ("yunze-jyj", 2022): _damaged_labels,
}
# The damaged labels of the PDF above (row -> printed pieces, see DemoReport.labels).
DAMAGED_LABELS: dict[str, tuple[str, ...]] = {
    "denied.process_info": ("6.属于四类过程信息",),  # 性 missing
    "unable.unclear_after_correction": ("3.补正后申本请内容仍不年明确",),  # 本, 年 interleaved
    "carried_forward": ("四、结转下年度", "继续办理"),  # wrapped over two rows
}
FUZZY_ROWS = ("denied.process_info", "unable.unclear_after_correction")  # no key in the label
BALANCE_ROWS = ("new", "carried_over", "total_handled", "carried_forward")  # printed in full
