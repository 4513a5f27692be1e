"""Generators of fictional annual-report PDFs and DOCX files laid out like real ones.

Used by tests/test_extract_pdf.py, tests/test_extract_docx.py and bench/pdf_bench.py. The PDFs
use reportlab's built-in CID font STSong-Light, so no font file is needed.
"""

from __future__ import annotations

import io

AGENCY = "青州市示范区人民政府"
YEAR = 2023
FONT = "STSong-Light"

APPLICANT_HEADERS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
# (group label or None, leaf label, 7 values) — "" is a blank cell in the source.
REQUEST_ROWS_2021: list[tuple[str | None, str, list[str]]] = [
    (None, "一、本年新收政府信息公开申请数量", ["120", "8", "", "1", "3", "0", "132"]),
    (None, "二、上年结转政府信息公开申请数量", ["5", "0", "", "0", "0", "0", "5"]),
    ("outcome", "（一）予以公开", ["60", "4", "", "1", "2", "0", "67"]),
    (
        "outcome",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ["9", "1", "", "0", "0", "0", "10"],
    ),
    ("denied", "1.属于国家秘密", ["0", "0", "", "0", "0", "0", "0"]),
    ("denied", "2.其他法律行政法规禁止公开", ["1", "0", "", "0", "0", "0", "1"]),
    ("denied", "3.危及“三安全一稳定”", ["0", "0", "", "0", "0", "0", "0"]),
    ("denied", "4.保护第三方合法权益", ["2", "0", "", "0", "0", "0", "2"]),
    ("denied", "5.属于三类内部事务信息", ["1", "0", "", "0", "0", "0", "1"]),
    ("denied", "6.属于四类过程性信息", ["3", "0", "", "0", "0", "0", "3"]),
    ("denied", "7.属于行政执法案卷", ["0", "0", "", "0", "0", "0", "0"]),
    ("denied", "8.属于行政查询事项", ["4", "1", "", "0", "0", "0", "5"]),
    ("unable", "1.本机关不掌握相关政府信息", ["25", "2", "", "0", "1", "0", "28"]),
    ("unable", "2.没有现成信息需要另行制作", ["2", "0", "", "0", "0", "0", "2"]),
    ("unable", "3.补正后申请内容仍不明确", ["1", "0", "", "0", "0", "0", "1"]),
    ("not_processed", "1.信访举报投诉类申请", ["3", "0", "", "0", "0", "0", "3"]),
    ("not_processed", "2.重复申请", ["2", "0", "", "0", "0", "0", "2"]),
    ("not_processed", "3.要求提供公开出版物", ["0", "0", "", "0", "0", "0", "0"]),
    ("not_processed", "4.无正当理由大量反复申请", ["0", "0", "", "0", "0", "0", "0"]),
    ("not_processed", "5.要求行政机关确认或重新出具已获取信息", ["1", "0", "", "0", "0", "0", "1"]),
    (
        "other",
        "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ["4", "0", "", "0", "0", "0", "4"],
    ),
    (
        "other",
        "2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ["1", "0", "", "0", "0", "0", "1"],
    ),
    ("other", "3、其他", ["3", "0", "", "0", "0", "0", "3"]),
    ("outcome", "（七）总计", ["122", "8", "", "1", "3", "0", "134"]),
    (None, "四、结转下年度继续办理", ["3", "0", "", "0", "0", "0", "3"]),
]
GROUP_LABELS = {
    "denied": "（三）不予公开",
    "unable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}
REVIEW_VALUES = ["2", "1", "0", "0", "3", "1", "0", "0", "1", "2", "0", "0", "0", "0", "0"]
OUTCOME_HEADERS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
FILLER = (
    "本年度，本机关坚持以公开为常态、不公开为例外，认真落实政府信息公开条例，"
    "持续深化重点领域信息公开，及时回应社会关切，不断提升政务公开标准化规范化水平。"
)


def _styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK")
    title = ParagraphStyle(
        "title", fontName=FONT, fontSize=18, leading=26, alignment=1, wordWrap="CJK"
    )
    return body, cell, title


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 10)
    canvas.drawCentredString(canvas._pagesize[0] / 2, 30, f"- {doc.page} -")
    canvas.restoreState()


def _requests_table(cell, *, ruled: bool, template: str, damaged: dict[str, str] | None = None):
    """Table 三: 3 label columns + 7 data columns, merged labels, a blank 科研机构 column;
    `damaged` prints some leaf labels otherwise (printed label -> damaged label)."""
    from reportlab.platypus import Paragraph, Table

    def p(text: str) -> Paragraph:
        return Paragraph(text, cell)

    rows = REQUEST_ROWS_2021 if template == "v2021" else _rows_2019()
    header = [
        [
            p("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
            "",
            "",
            p("申请人情况"),
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["", "", "", p("自然人"), p("法人或其他组织"), "", "", "", "", p("总计")],
        ["", "", "", "", *(p(h) for h in APPLICANT_HEADERS), ""],
    ]
    data, spans = list(header), _header_spans()
    for group, label, values in rows:
        r = len(data)
        leaf = (damaged or {}).get(label, label)
        if group is None:
            data.append([p(leaf), "", "", *values])
            spans.append(("SPAN", (0, r), (2, r)))
        elif group == "outcome":
            data.append(["", p(leaf), "", *values])
            spans.append(("SPAN", (1, r), (2, r)))
        else:
            data.append(["", "", p(leaf), *values])
    outcome_rows = [i for i, (g, _, _) in enumerate(rows) if g]
    first, last = 3 + outcome_rows[0], 3 + outcome_rows[-1]
    data[first][0] = p("<br/>".join(["三、", "本", "年", "度", "办", "理", "结", "果"]))
    spans.append(("SPAN", (0, first), (0, last)))
    for group, label in GROUP_LABELS.items():
        members = [3 + i for i, (g, _, _) in enumerate(rows) if g == group]
        if len(members) > 1:
            data[members[0]][1] = p(label)
            spans.append(("SPAN", (1, members[0]), (1, members[-1])))
    widths = [28, 42, 110] + [34] * 7
    style = [
        *spans,
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (3, 3), (-1, -1), "CENTER"),
        ("FONT", (0, 0), (-1, -1), FONT, 8),
    ]
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    return Table(data, colWidths=widths, repeatRows=3, style=style)


def _rows_2019() -> list[tuple[str | None, str, list[str]]]:
    rows = [r for r in REQUEST_ROWS_2021 if r[0] != "other"]
    at = next(i for i, r in enumerate(rows) if r[1] == "（七）总计")
    rows.insert(at, ("outcome", "（六）其他处理", ["8", "0", "", "0", "0", "0", "8"]))
    return rows


def _header_spans() -> list:
    return [
        ("SPAN", (0, 0), (2, 2)),
        ("SPAN", (3, 0), (9, 0)),
        ("SPAN", (3, 1), (3, 2)),
        ("SPAN", (4, 1), (8, 1)),
        ("SPAN", (9, 1), (9, 2)),
    ]


# Table 二 per block: (caption, header row, rows of label + values); "" is a blank cell.
ACTIVE_2021 = [
    (
        "第二十条第（一）项",
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        [["规章", "0", "", "2"], ["行政规范性文件", "3", "1", "17"]],
    ),
    ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], [["行政许可", "1520"]]),
    (
        "第二十条第（六）项",
        ["信息内容", "本年处理决定数量"],
        [["行政处罚", "86"], ["行政强制", "4"]],
    ),
    (
        "第二十条第（八）项",
        ["信息内容", "本年收费金额（单位：万元）"],
        [["行政事业性收费", "12.5"]],
    ),
]
ACTIVE_2019 = [
    (
        "第二十条第（一）项",
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        [["规章", "0", "0", "0"], ["规范性文件", "3", "3", "40"]],
    ),
    (
        "第二十条第（五）项",
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        [["行政许可", "52", "-2", "1180"], ["其他对外管理服务事项", "6", "0", "35"]],
    ),
    (
        "第二十条第（六）项",
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        [["行政处罚", "120", "3", "77"], ["行政强制", "15", "", "/"]],
    ),
    (
        "第二十条第（八）项",
        ["信息内容", "上一年项目数量", "本年增/减"],
        [["行政事业性收费", "4", "0"]],
    ),
    (
        "第二十条第（九）项",
        ["信息内容", "采购项目数量", "采购总金额"],
        [["政府集中采购", "7", "251000元"]],
    ),
]


def _active_table(cell, *, ruled: bool, template: str):
    """Table 二: a caption row per block, single-value blocks spanning the value columns."""
    from reportlab.platypus import Paragraph, Table

    blocks = ACTIVE_2021 if template == "v2021" else ACTIVE_2019
    data: list[list] = []
    style: list = [("FONT", (0, 0), (-1, -1), FONT, 9), ("ALIGN", (1, 0), (-1, -1), "CENTER")]
    for caption, header, rows in blocks:
        for kind, row in (("caption", [caption]), ("header", header), *(("row", r) for r in rows)):
            r = len(data)
            cells = [
                Paragraph(str(x), cell) if kind != "row" or i == 0 else x for i, x in enumerate(row)
            ]
            data.append(cells + [""] * (4 - len(cells)))
            if kind == "caption":
                style.append(("SPAN", (0, r), (3, r)))
            elif len(row) < 4:
                style.append(("SPAN", (len(row) - 1, r), (3, r)))
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    return Table(data, colWidths=[130, 100, 100, 100], style=style)


def _review_table(cell, *, ruled: bool):
    from reportlab.platypus import Paragraph, Table

    def p(text: str) -> Paragraph:
        return Paragraph(text, cell)

    data = [
        [p("行政复议"), "", "", "", "", p("行政诉讼"), *[""] * 9],
        [
            *(p(h) for h in OUTCOME_HEADERS),
            p("未经复议直接起诉"),
            "",
            "",
            "",
            "",
            p("复议后起诉"),
            "",
            "",
            "",
            "",
        ],
        ["", "", "", "", "", *(p(h) for h in OUTCOME_HEADERS), *(p(h) for h in OUTCOME_HEADERS)],
        list(REVIEW_VALUES),
    ]
    style = [
        ("SPAN", (0, 0), (4, 0)),
        ("SPAN", (5, 0), (14, 0)),
        ("SPAN", (5, 1), (9, 1)),
        ("SPAN", (10, 1), (14, 1)),
        *(("SPAN", (c, 1), (c, 2)) for c in range(5)),
        ("FONT", (0, 0), (-1, -1), FONT, 8),
        ("ALIGN", (0, 3), (-1, 3), "CENTER"),
    ]
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    return Table(data, colWidths=[30] * 15, style=style)


def report_pdf(
    *,
    template: str = "v2021",
    ruled: bool = True,
    filler: int = 6,
    note: str = "",
    damaged: dict[str, str] | None = None,
) -> bytes:
    """A whole report: title, six sections, tables 二 三 四, page numbers "- N -" (and `note`,
    a last paragraph, when given; `damaged`: table 三 labels printed otherwise)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    body, cell, title = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title="政府信息公开工作年度报告",
        author="示范区政务公开办",
        creator="govscrape tests",
    )
    story = [
        Paragraph(AGENCY, title),
        Paragraph(f"{YEAR}年政府信息公开工作年度报告", title),
        Spacer(1, 12),
        Paragraph("一、总体情况", body),
        *(Paragraph(FILLER, body) for _ in range(filler)),
        Paragraph("二、主动公开政府信息情况", body),
        _active_table(cell, ruled=ruled, template=template),
        Paragraph("三、收到和处理政府信息公开申请情况", body),
        _requests_table(cell, ruled=ruled, template=template, damaged=damaged),
        Paragraph("四、政府信息公开行政复议、行政诉讼情况", body),
        _review_table(cell, ruled=ruled),
        Paragraph("五、存在的主要问题及改进情况", body),
        Paragraph(FILLER, body),
        Paragraph("六、其他需要报告的事项", body),
        Paragraph("本年度未收取信息处理费。", body),
        *([Paragraph(note, body)] if note else []),
    ]
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return out.getvalue()


def split_row_pdf() -> bytes:
    """A ruled table whose row 5.要求行政机关确认或重新出具已获取信息 breaks across the page:
    the head of its label and its values end page 1, the tail of the label starts page 2 in
    a row part with no values (Word's "allow row to break across pages")."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    body, cell, _ = _styles()
    at = next(i for i, r in enumerate(REQUEST_ROWS_2021) if r[1].startswith("5.要求行政机关"))
    label = REQUEST_ROWS_2021[at][1]
    cut = label.index("出具")
    head = [[Paragraph("申请人", cell), *(Paragraph(h, cell) for h in APPLICANT_HEADERS), "", ""]]
    rows = [[Paragraph(leaf, cell), *values] for _, leaf, values in REQUEST_ROWS_2021]
    first = [*head, *rows[:at], [Paragraph(label[:cut], cell), *REQUEST_ROWS_2021[at][2]]]
    second = [[Paragraph(label[cut:], cell), *[""] * 7], *rows[at + 1 :]]
    style = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("FONT", (0, 0), (-1, -1), FONT, 8)]
    widths = [150] + [40] * 7
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(
        [
            Paragraph("三、收到和处理政府信息公开申请情况", body),
            Table(first, colWidths=widths, style=style),
            PageBreak(),
            Table(second, colWidths=widths, style=style),
        ],
        onFirstPage=_page_number,
        onLaterPages=_page_number,
    )
    return out.getvalue()


def scanned_pdf() -> bytes:
    """Two pages that are only pictures of text (no text layer)."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for n in range(2):
        img = Image.new("L", (600, 800), 255)
        ImageDraw.Draw(img).rectangle((50, 50 + n * 10, 550, 120), outline=0, width=3)
        c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return out.getvalue()


def encrypted_pdf() -> bytes:
    """A PDF that needs a user password to open."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    _styles()
    out = io.BytesIO()
    enc = pdfencrypt.StandardEncryption("secret", ownerPassword="owner", strength=128)
    c = canvas.Canvas(out, encrypt=enc)
    c.setFont(FONT, 12)
    c.drawString(72, 720, f"{AGENCY}{YEAR}年政府信息公开工作年度报告")
    c.save()
    return out.getvalue()


def report_docx() -> bytes:
    """A Word report whose table 三 merges cells with gridSpan and vMerge."""
    import docx

    d = docx.Document()
    d.core_properties.title = "政府信息公开工作年度报告"
    d.core_properties.author = "示范区政务公开办"
    d.add_paragraph(AGENCY)
    d.add_paragraph(f"{YEAR}年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    d.add_paragraph(FILLER)
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    rows = REQUEST_ROWS_2021
    t = d.add_table(rows=3 + len(rows), cols=10)
    _fill_docx_requests(t, rows)
    d.add_paragraph("六、其他需要报告的事项")
    p = d.add_paragraph("本年度未收取")
    p.add_run().add_break()
    p.add_run("信息处理费。")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _fill_docx_requests(t, rows) -> None:
    t.cell(0, 0).merge(
        t.cell(2, 2)
    ).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    t.cell(0, 3).merge(t.cell(0, 9)).text = "申请人情况"
    t.cell(1, 3).merge(t.cell(2, 3)).text = "自然人"
    t.cell(1, 4).merge(t.cell(1, 8)).text = "法人或其他组织"
    t.cell(1, 9).merge(t.cell(2, 9)).text = "总计"
    for i, h in enumerate(APPLICANT_HEADERS):
        t.cell(2, 4 + i).text = h
    for k, (group, leaf, values) in enumerate(rows):
        r = 3 + k
        if group is None:
            t.cell(r, 0).merge(t.cell(r, 2)).text = leaf
        elif group == "outcome":
            t.cell(r, 1).merge(t.cell(r, 2)).text = leaf
        else:
            t.cell(r, 2).text = leaf
        for c, v in enumerate(values):
            t.cell(r, 3 + c).text = v
    outcome = [3 + k for k, (g, _, _) in enumerate(rows) if g]
    t.cell(outcome[0], 0).merge(t.cell(outcome[-1], 0)).text = "三、本年度办理结果"
    for group, label in GROUP_LABELS.items():
        members = [3 + k for k, (g, _, _) in enumerate(rows) if g == group]
        t.cell(members[0], 1).merge(t.cell(members[-1], 1)).text = label
