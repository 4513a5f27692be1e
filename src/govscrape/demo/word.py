"""Write the demo's Word report (build time): `python -m govscrape.demo.word`.

The county government's 2020 report is published as a .docx attachment, as many county offices
do. It is written from the same outline as the HTML pages (render.outline) with python-docx:
real Word tables whose merged cells (gridSpan, vMerge) follow the national format. The bytes are
shipped as package data next to the demo PDF, so the portal's ETag is stable across runs; the
zip is rewritten with fixed timestamps and the document properties pinned to the publication
day, so the file is byte-identical on every build (tests/test_demo_portal.py checks it).
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from govscrape.demo.data import REPORTS
from govscrape.demo.render import Table, outline
from govscrape.demo.report_numbers import DemoReport
from govscrape.demo.site_paths import write_bundled


def word_reports() -> list[DemoReport]:
    return [r for r in REPORTS if r.form == "docx"]


def build_docx(report: DemoReport) -> bytes:
    """The report as a .docx: title, paragraphs and the three tables with their merges."""
    # Imported here: only regenerating the shipped .docx needs python-docx's writer.
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    word = docx.Document()
    props = word.core_properties
    props.title, props.author = report.title, report.agency.office
    # Word stores these in UTC; the publication time is Beijing time.
    props.created = props.modified = report.published - timedelta(hours=8)
    props.last_modified_by, props.revision = report.agency.office, 1
    heading = word.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(report.title)
    run.bold, run.font.size = True, Pt(16)
    for block in outline(report):
        if isinstance(block, Table):
            _table(word, block)
        else:
            word.add_paragraph(block)
    out = io.BytesIO()
    word.save(out)
    return _pinned(out.getvalue(), report)


def _table(word, table: Table) -> None:
    """A Word table over the full grid; each source cell merged over the positions it spans."""
    width = sum(c.colspan for c in table.rows[0])
    grid = word.add_table(rows=len(table.rows), cols=width)
    grid.style = "Table Grid"
    taken = [[False] * width for _ in table.rows]
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while taken[r][c]:
                c += 1
            target = grid.cell(r, c)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(grid.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            target.text = cell.text
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[r + dr][c + dc] = True
            c += cell.colspan


def _pinned(data: bytes, report: DemoReport) -> bytes:
    """The package rewritten with every member stamped with the publication time."""
    stamp = report.published.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write every demo .docx into the package's portal folder (or the folder given)."""
    return write_bundled(word_reports(), build_docx, argv)


if __name__ == "__main__":
    raise SystemExit(main())
