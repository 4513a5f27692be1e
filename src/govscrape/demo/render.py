"""Turn a demo report's numbers into the national format: an outline, then HTML or flattened text.

The three tables are first laid out as source rows of spanning cells, exactly as the national
format prints them (docs/national-format.md#the-tables-as-printed: 5/4 grid columns for 二,
10 for 三, 15 for 四), then written in one of the input forms portals use:

- html_table       real <table> markup with rowspan/colspan; a None cell is an empty <td>;
- html_text_cells  one cell per <p> line, as page-to-text copies of the seed look;
- html_text_pipe   one table row per line, cells separated by `|`, spanned cells left empty;
- html_text_vanished  one cell per line, and every blank cell gone (page-to-text tools drop
                   empty cells): the parser rebuilds the rows from the table's arithmetic;
- html_text_glued  a row's numbers glued into one digit run after its label ("640020470"), as
                   some archives store reports;
- pdf, docx        the outline typeset by pdf.py / written by word.py (the files ship as
                   package data); the page itself is a short stub linking to the file;
- doc              a stub page linking to a Word 97-2003 file (doc97.py) nothing here reads;
- prose            a report before 2019: paragraphs only (legacy_reports.py), no table.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass

from govscrape import template as T
from govscrape.demo.report_numbers import APPLICANT_CODES, DemoReport, request_rows

ATTACHMENT_FORMS = ("pdf", "docx", "doc")
_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "："})


def printed(label: str) -> str:
    """A template label as the format prints it: full-width brackets and Chinese quotes."""
    text = label.translate(_FULL_WIDTH)
    while '"' in text:
        text = text.replace('"', "“", 1).replace('"', "”", 1)
    return text


@dataclass(frozen=True, slots=True)
class SourceCell:
    """One cell of a source table as printed: its text and how far it spans."""

    text: str
    colspan: int = 1
    rowspan: int = 1


Row = list[SourceCell]


def _numbers(values: list[int | None]) -> Row:
    return [SourceCell("" if v is None else str(v)) for v in values]


# --- Table 二 ---------------------------------------------------------------------------------


def active_table(report: DemoReport) -> list[Row]:
    """Table 二: caption row, header row and item rows per 第二十条 block."""
    width = 5 if report.template == T.V2019 else 4
    rows: list[Row] = []
    for block in T.ACTIVE_DISCLOSURE[report.template]:
        spans = _metric_spans(len(block.metrics), width - 1)
        rows.append([SourceCell(printed(block.group), colspan=width)])
        header = [SourceCell("信息内容")]
        header += [
            SourceCell(printed(m.label), colspan=s)
            for m, s in zip(block.metrics, spans, strict=True)
        ]
        rows.append(header)
        for item in block.items:
            if item.code in T.OPTIONAL_ITEMS:
                continue
            cells = [SourceCell(printed(item.label))]
            for metric, span in zip(block.metrics, spans, strict=True):
                cells.append(SourceCell(report.active[(item.code, metric.code)], colspan=span))
            rows.append(cells)
    return rows


def _metric_spans(n: int, width: int) -> list[int]:
    """Metric columns fill the grid; the last one spans what is left (as SH2019 and TPL2021)."""
    return [1] * (n - 1) + [width - (n - 1)]


# --- Table 三 ---------------------------------------------------------------------------------

_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def requests_table(report: DemoReport) -> list[Row]:
    """Table 三: three header rows, then the data rows with their merged label cells."""
    orgs = [printed(a.label) for a in T.APPLICANTS[1:6]]
    rows: list[Row] = [
        [SourceCell(_NOTE, colspan=3, rowspan=3), SourceCell("申请人情况", colspan=7)],
        [SourceCell("自然人", rowspan=2), SourceCell("法人或其他组织", colspan=5),
         SourceCell("总计", rowspan=2)],
        [SourceCell(text) for text in orgs],
    ]  # fmt: skip
    codes = request_rows(report.template)
    outcomes = [c for c in codes if c in T.OUTCOME_ROWS or c == "total_handled"]
    labels = {line.code: printed(line.label) for line in T.REQUEST_ROWS}
    labels |= {code: pieces[-1] for code, pieces in report.labels.items()}  # damaged (quirks.py)
    headings = {h.code: printed(h.label) for h in T.REQUEST_HEADINGS[report.template]}
    for code in codes:
        values = _numbers([report.requests[code][a] for a in APPLICANT_CODES])
        if code not in outcomes:
            for piece in report.labels.get(code, ())[:-1]:  # a label wrapped over two rows
                rows.append([SourceCell(piece, colspan=3), *_numbers([None] * len(values))])
            rows.append([SourceCell(labels[code], colspan=3), *values])
            continue
        lead = (
            [SourceCell(headings["outcomes"], rowspan=len(outcomes))] if code == "granted" else []
        )
        group = code.split(".")[0] if "." in code else None
        if group is None:
            rows.append([*lead, SourceCell(labels[code], colspan=2), *values])
            continue
        members = [c for c in outcomes if c.startswith(group + ".")]
        if code == members[0]:
            lead.append(SourceCell(headings[group], rowspan=len(members)))
        rows.append([*lead, SourceCell(labels[code]), *values])
    return rows


# --- Table 四 ---------------------------------------------------------------------------------


def review_table(report: DemoReport) -> list[Row]:
    """Table 四: 行政复议 and the two 行政诉讼 groups, five outcomes each, one row of 15 numbers."""
    outcomes = [o.label for o in T.OUTCOMES]
    return [
        [SourceCell("行政复议", colspan=5), SourceCell("行政诉讼", colspan=10)],
        [*(SourceCell(o, rowspan=2) for o in outcomes),
         SourceCell("未经复议直接起诉", colspan=5), SourceCell("复议后起诉", colspan=5)],
        [SourceCell(o) for o in outcomes * 2],
        _numbers([report.review[(p.code, o.code)] for p in T.PROCEEDINGS for o in T.OUTCOMES]),
    ]  # fmt: skip


# --- The whole report as an outline ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Table:
    """A table of the outline: its name (a model.TABLES name) and source rows."""

    name: str
    rows: list[Row]


Block = str | Table  # a paragraph of text, or a table


def outline(report: DemoReport) -> list[Block]:
    """The report in reading order: intro, six sections (three with tables), signature."""
    a, y = report.agency, report.year
    return [
        f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布{a.name}{y}年度"
        f"政府信息公开工作年度报告。本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
        f"如对本报告有疑问，请与{a.office}联系。",
        "一、总体情况",
        *_overview(report),
        "二、主动公开政府信息情况",
        Table("active_disclosure", active_table(report)),
        "三、收到和处理政府信息公开申请情况",
        Table("requests", requests_table(report)),
        "四、政府信息公开行政复议、行政诉讼情况",
        Table("review_litigation", review_table(report)),
        "五、存在的主要问题及改进情况",
        f"{y}年，{a.name}政府信息公开工作取得一定成效，但仍存在公开内容不够全面、政策解读形式"
        "较为单一等问题。下一步，将加强业务培训，提升公开质量，及时回应社会关切。",
        "六、其他需要报告的事项",
        _other_matters(report),
        a.office,
        f"{report.published.year}年{report.published.month}月{report.published.day}日",
    ]


def _overview(report: DemoReport) -> list[str]:
    new = report.requests["new"]["total"] or 0
    received = f"全年共收到政府信息公开申请{new}件" if new else "全年未收到政府信息公开申请"
    return [
        f"{report.year}年，{report.agency.name}深入贯彻落实《条例》，坚持“以公开为常态、不公开为"
        f"例外”，全面推进决策、执行、管理、服务、结果公开。{received}，均在法定期限内予以答复。",
        "（一）主动公开。通过门户网站政府信息公开专栏、政务新媒体等渠道及时发布政策文件、"
        "财政预决算、重点领域信息。",
        "（二）平台建设。优化政府信息公开专栏栏目设置，规范发布流程，确保信息准确、及时。",
    ]


def _other_matters(report: DemoReport) -> str:
    if report.template == T.V2019:
        return "无其他需要报告的事项。"
    if report.fee_yuan:
        return f"本年度共收取政府信息公开信息处理费{report.fee_yuan}元。无其他需要报告的事项。"
    return "本年度未收取信息处理费。无其他需要报告的事项。"


# --- Writing the outline in an input form ---------------------------------------------------


def body_html(report: DemoReport, *, word_style: bool = False) -> str:
    """The article body (inner HTML) in the report's form; for pdf, the short stub page."""
    if report.form in ATTACHMENT_FORMS:
        return f"<p>{html.escape(report.title)}全文详见附件。</p>"
    if report.form == "prose":
        return "\n".join(f"<p>{html.escape(p)}</p>" for p in report.prose)
    parts: list[str] = []
    for block in outline(report):
        if isinstance(block, str):
            parts.append(f"<p>{html.escape(block)}</p>")
        elif report.form == "html_table":
            parts.append(table_html(block, word_style=word_style))
        elif report.form in TEXT_LINES:
            parts.extend(f"<p>{html.escape(line)}</p>" for line in TEXT_LINES[report.form](block))
        else:
            parts.extend(f"<p>{html.escape(line)}</p>" for line in pipe_lines(block))
    return "\n".join(parts)


def table_html(table: Table, *, word_style: bool = False) -> str:
    """A <table> with the source spans; Word-pasted pages wrap each cell in <p><span>."""
    out = ['<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">']
    for row in table.rows:
        out.append("<tr>")
        for cell in row:
            attrs = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + (
                f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
            )
            text = html.escape(cell.text)
            if word_style and text:
                text = f'<p class="MsoNormal" align="center"><span>{_wrap_header(text)}</span></p>'
            out.append(f"<td{attrs}>{text}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _wrap_header(text: str) -> str:
    """Word breaks long narrow header cells; keep two such line breaks, as real pages show."""
    for word in ("本年新制作数量", "对外公开总数量", "社会公益组织", "法律服务机构"):
        if text == word:
            return f"{word[:3]}<br/>{word[3:]}"
    return text


def cell_lines(table: Table) -> Iterator[str]:
    """Every source cell on its own line, in reading order (spanned cells once)."""
    for row in table.rows:
        for cell in row:
            assert cell.text, "a blank cell would vanish from flattened text"
            yield cell.text


def vanished_lines(table: Table) -> Iterator[str]:
    """Every source cell on its own line, blank cells gone (the form html_text_vanished)."""
    return (cell.text for row in table.rows for cell in row if cell.text)


def glued_lines(table: Table) -> Iterator[str]:
    """A row's label cells on lines of their own, the last one followed by the row's numbers
    glued into one digit run; a row of numbers only is one run (the form html_text_glued).
    Blank cells leave nothing, as in the archives that glue cells."""
    for row in table.rows:
        labels = [c.text for c in row if c.text and not c.text.isdigit()]
        digits = "".join(c.text for c in row if c.text.isdigit())
        if digits and labels:
            yield from labels[:-1]
            yield f"{labels[-1]}{digits}"
        else:
            yield from labels or [digits]


def pipe_lines(table: Table) -> Iterator[str]:
    """One line per source row; a cell spanning n columns is followed by n-1 empty cells."""
    for row in table.rows:
        cells: list[str] = []
        for cell in row:
            assert cell.text, "a blank cell in pipe text is ambiguous"
            cells += [cell.text] + [""] * (cell.colspan - 1)
        yield " | ".join(cells) + " |"


TEXT_LINES = {
    "html_text_cells": cell_lines,
    "html_text_vanished": vanished_lines,
    "html_text_glued": glued_lines,
}  # the text forms written line by line (<p> per line); html_text_pipe is the other
