"""Typeset the demo's PDF report (build time only): `python -m govscrape.demo.pdf`.

The city government's 2023 report is published as a PDF attachment, as many agencies do. It is
typeset from the same outline as the HTML pages (render.outline), with ruled tables whose merged
cells follow the national format, in reportlab's built-in CID font STSong-Light (no font file
embedded, so the PDF stays small). reportlab is a test dependency, not a runtime one: the bytes are
written into src/govscrape/demo/portal/ and shipped as package data; tests/test_demo_portal.py
checks that the shipped file is exactly what this module produces today.
"""

from __future__ import annotations

import os
from datetime import timedelta, timezone
from io import BytesIO

from govscrape.demo.data import REPORTS
from govscrape.demo.render import Table, outline
from govscrape.demo.report_numbers import DemoReport
from govscrape.demo.site_paths import write_bundled

FONT = "STSong-Light"


def pdf_reports() -> list[DemoReport]:
    return [r for r in REPORTS if r.form == "pdf"]


def build_pdf(report: DemoReport) -> bytes:
    """The report as a PDF; byte-identical on every run (invariant mode, fixed timestamp)."""
    # reportlab is a test/development dependency (the shipped PDF is committed), so it is only
    # imported when a PDF is regenerated; likewise in the helpers below.
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    styles = _styles()
    story: list = [Paragraph(report.title, styles["title"]), Spacer(1, 4 * mm)]
    for block in outline(report):
        if isinstance(block, Table):
            story += [_table(block, styles["cell"]), Spacer(1, 3 * mm)]
        else:
            story.append(Paragraph(block, styles["body"]))
    out = BytesIO()
    # SOURCE_DATE_EPOCH pins the creation date to the publication time, Beijing time
    # (reportlab honours it and writes the date in UTC).
    old = os.environ.get("SOURCE_DATE_EPOCH")
    published = report.published.replace(tzinfo=timezone(timedelta(hours=8)))
    os.environ["SOURCE_DATE_EPOCH"] = str(int(published.timestamp()))
    try:
        doc = SimpleDocTemplate(
            out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
            bottomMargin=18 * mm, title=report.title, author=report.agency.office, invariant=1,
        )  # fmt: skip
        doc.build(story, onLaterPages=_page_number, onFirstPage=_page_number)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return out.getvalue()


def _styles() -> dict:
    # reportlab imported here, as in build_pdf.
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    return {
        "title": ParagraphStyle("t", fontName=FONT, fontSize=15, leading=20, alignment=TA_CENTER),
        "body": ParagraphStyle("b", fontName=FONT, fontSize=10.5, leading=16, firstLineIndent=21),
        "cell": ParagraphStyle("c", fontName=FONT, fontSize=7.5, leading=9.5, alignment=TA_CENTER),
    }


def _table(table: Table, style):
    """A ruled reportlab Table with the source spans (SPAN commands over a full grid)."""
    # reportlab imported here, as in build_pdf.
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Table as RLTable

    width = sum(c.colspan for c in table.rows[0])
    grid: list[list] = [[""] * width for _ in table.rows]
    taken = [[False] * width for _ in table.rows]
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
    ]
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while taken[r][c]:
                c += 1
            grid[r][c] = Paragraph(cell.text, style) if len(cell.text) > 6 else cell.text
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[r + dr][c + dc] = True
            if cell.rowspan > 1 or cell.colspan > 1:
                commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
            c += cell.colspan
    return RLTable(grid, colWidths=_col_widths(table.name, width), style=commands, repeatRows=0)


def _col_widths(name: str, width: int) -> list[float]:
    # reportlab imported here, as in build_pdf.
    from reportlab.lib.units import mm

    usable = 174 * mm
    if name == "requests":  # three narrow label columns, then seven number columns
        return [10 * mm, 18 * mm, 48 * mm] + [(usable - 76 * mm) / 7] * 7
    if name == "active_disclosure":
        return [50 * mm] + [(usable - 50 * mm) / (width - 1)] * (width - 1)
    return [usable / width] * width


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(105 * 2.8346, 10 * 2.8346, f"- {doc.page} -")
    canvas.restoreState()


def main(argv: list[str] | None = None) -> int:
    """Write every demo PDF into the package's portal folder (or the folder given)."""
    return write_bundled(pdf_reports(), build_pdf, argv)


if __name__ == "__main__":
    raise SystemExit(main())
