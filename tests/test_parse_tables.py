"""Reading tables 二, 三 and 四 from Documents of every form (grids, pipe, cell-per-line, PDF)."""

from __future__ import annotations

import random

import pdf_fixtures as fx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from longtail_render import check_never_wrong_silently, damage_grid_label, draw_tables, truth
from report_render import (
    APPLICANTS,
    OUTCOMES,
    PROCEEDINGS,
    REQUEST_ROWS_2021,
    Tables,
    cells_lines,
    pdf_lines,
    pipe_lines,
)

from govscrape.document import Document, Grid, GridCell
from govscrape.extract.pdf import extract_pdf
from govscrape.parse.tables import read_tables
from govscrape.template import request_rows

Spec = str | tuple[str, int, int]  # text, or (text, colspan, rowspan)


def grid(rows: list[list[Spec]]) -> Grid:
    """A Grid with spans expanded the way extraction does it (copies keep their origin)."""
    placed: dict[tuple[int, int], GridCell] = {}
    for r, row in enumerate(rows):
        c = 0
        for spec in row:
            text, colspan, rowspan = (spec, 1, 1) if isinstance(spec, str) else spec
            while (r, c) in placed:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    placed[(r + dr, c + dc)] = GridCell(text, (r, c), text)
            c += colspan
    height = max(r for r, _ in placed) + 1
    width = max(c for _, c in placed) + 1
    return Grid(
        [
            [placed.get((r, c), GridCell("", (r, c), "")) for c in range(width)]
            for r in range(height)
        ]
    )


def values(result, table: str) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for c in result.cells:
        if c.table == table:
            out.setdefault(c.row, {})[c.column] = c.value
    return out


def cell(result, table: str, row: str, column: str):
    return next(c for c in result.cells if (c.table, c.row, c.column) == (table, row, column))


def codes(result) -> list[tuple[str, str | None]]:
    return sorted((f.code, f.row) for f in result.findings)


AD_2021_GRID = [
    [("第二十条第（一）项", 4, 1)],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "1", "", "11"],
    ["行政规范性文件", "8", "26", "66"],
    [("第二十条第（五）项", 4, 1)],
    ["信息内容", ("本年处理决定数量", 3, 1)],
    ["行政许可", ("447228", 3, 1)],
    [("第二十条第（六）项", 4, 1)],
    ["信息内容", ("本年处理决定数量", 3, 1)],
    ["行政处罚", ("3985758", 3, 1)],
    ["行政强制", ("88283", 3, 1)],
    [("第二十条第（八）项", 4, 1)],
    ["信息内容", ("本年收费金额（单位：万元）", 3, 1)],
    ["行政事业性收费", ("96171.6", 3, 1)],
]


def requests_grid(
    t: Tables, *, spaced: bool = False, printed: dict[str, tuple[str, ...]] | None = None
) -> list[list[Spec]]:
    """Table 三 as a grid; `printed`: labels printed otherwise (row -> pieces; two pieces are a
    label wrapped over two grid rows, the first with blank cells: rows new, carried_over and
    carried_forward only)."""
    leaf = (
        ["商业 企业", "科研 机构", "社会公益 组织", "法律服务 机构", "其他"]
        if spaced
        else ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    )
    rows: list[list[Spec]] = [
        [
            ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
            ("申请人情况", 7, 1),
        ],
        [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)],
        leaf,
    ]
    sizes = {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}
    for code, label, vertical, category in REQUEST_ROWS_2021:
        row: list[Spec] = []
        if vertical:
            row.append((vertical, 1, 22))
        if category:
            row.append((category, 1, sizes[category]))
        span = (
            3
            if code in ("new", "carried_over", "carried_forward")
            else (2 if code in ("granted", "partially_granted", "total_handled") else 1)
        )
        *wrapped, label = (printed or {}).get(code, (label,))
        for piece in wrapped:
            rows.append([(piece, span, 1), *[""] * len(APPLICANTS)])
        row.append((label, span, 1))
        row += [t.requests[code][a] for a in APPLICANTS]
        rows.append(row)
    return rows


REVIEW_GRID = [
    [("行政复议", 5, 1), ("行政诉讼", 10, 1)],
    [
        ("结果维持", 1, 2),
        ("结果纠正", 1, 2),
        ("其他结果", 1, 2),
        ("尚未审结", 1, 2),
        ("总计", 1, 2),
        ("未经复议直接起诉", 5, 1),
        ("复议后起诉", 5, 1),
    ],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
    ["1", "0", "2", "", "3", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0"],
]


def sample_tables(template: str = "v2021") -> Tables:
    """A small consistent table set: 3 natural-person requests granted, one business denied."""
    rows = [r[0] for r in REQUEST_ROWS_2021] if template == "v2021" else None
    assert rows is not None
    zero = dict.fromkeys(APPLICANTS, "0")
    requests = {r: dict(zero) for r in rows}
    requests["new"] = {**zero, "natural_person": "3", "commercial": "1", "total": "4"}
    requests["granted"] = {**zero, "natural_person": "3", "total": "3"}
    requests["denied.third_party_rights"] = {**zero, "commercial": "1", "total": "1"}
    requests["total_handled"] = dict(requests["new"])
    active = {
        "regulation": {"issued": "1", "repealed": "0", "in_force": "11"},
        "normative_document": {"issued": "8", "repealed": "26", "in_force": "66"},
        "license": {"decisions": "447"},
        "penalty": {"decisions": "39"},
        "coercion": {"decisions": "8"},
        "admin_fee": {"amount": "9.6"},
    }
    review = {p: dict(zip(OUTCOMES, ["1", "0", "0", "0", "1"], strict=True)) for p in PROCEEDINGS}
    return Tables("v2021", requests, active, review)


EXPECTED_NEW = {
    "natural_person": 3,
    "commercial": 1,
    "research": 0,
    "social_welfare": 0,
    "legal_service": 0,
    "other_org": 0,
    "total": 4,
}

# --- grids ------------------------------------------------------------------------------------


def test_grid_value_spanning_three_columns_is_one_value_with_header_unit():
    doc = Document("html_table", ["二、主动公开政府信息情况", grid(AD_2021_GRID)])
    result = read_tables(doc)
    ad = values(result, "active_disclosure")
    assert ad["license"] == {"decisions": 447228}
    assert ad["regulation"] == {"issued": 1, "repealed": None, "in_force": 11}
    assert cell(result, "active_disclosure", "regulation", "repealed").kind == "blank"
    fee = cell(result, "active_disclosure", "admin_fee", "amount")
    assert (fee.value, fee.unit, fee.raw) == (96171.6, "万元", "96171.6")


def test_requests_grid_with_vertical_merged_labels_reads_every_row():
    t = sample_tables()
    doc = Document("html_table", [grid(requests_grid(t)), grid(REVIEW_GRID)])
    result = read_tables(doc)
    req = values(result, "requests")
    assert len(req) == 25
    assert req["new"] == EXPECTED_NEW
    assert req["denied.third_party_rights"]["commercial"] == 1
    assert ("parse.missing_table", None) in codes(result)  # table 二 is absent here
    rl = values(result, "review_litigation")
    assert rl["review"] == {"upheld": 1, "corrected": 0, "other": 2, "pending": None, "total": 3}
    assert cell(result, "review_litigation", "review", "pending").kind == "blank"


def test_blank_grid_cell_is_null_with_kind_blank():
    t = sample_tables()
    t.requests["granted"]["research"] = ""
    result = read_tables(Document("html_table", [grid(requests_grid(t))]))
    c = cell(result, "requests", "granted", "research")
    assert (c.value, c.kind) == (None, "blank")


def test_header_labels_split_by_spaces_and_table_split_over_grids():
    t = sample_tables()
    rows = requests_grid(t, spaced=True)
    doc = Document("html_table", [grid(rows[:12]), "（续表）", grid(rows[12:])])
    result = read_tables(doc)
    req = values(result, "requests")
    assert len(req) == 25 and req["new"] == EXPECTED_NEW
    assert not [f for f in result.findings if f.table == "requests"]


def test_all_three_tables_in_one_grid():
    t = sample_tables()
    ad = [
        [(x[0][0], 15, 1)] if isinstance(x[0], tuple) and len(x) == 1 else x for x in AD_2021_GRID
    ]
    rows = [
        [("二、主动公开政府信息情况", 15, 1)],
        *ad,
        [("三、收到和处理政府信息公开申请情况", 15, 1)],
        *requests_grid(t),
        [("四、政府信息公开行政复议、行政诉讼情况", 15, 1)],
        *REVIEW_GRID,
    ]
    result = read_tables(Document("html_table", [grid(rows)]))
    assert values(result, "requests")["new"] == EXPECTED_NEW
    assert values(result, "active_disclosure")["admin_fee"] == {"amount": 96171.6}
    assert values(result, "review_litigation")["review"]["total"] == 3
    assert result.findings == []


def test_extra_org_subtotal_column_is_kept():
    t = sample_tables()
    rows = requests_grid(t)
    rows[0][1] = ("申请人情况", 8, 1)
    rows[1][1] = ("法人或其他组织", 6, 1)
    rows[2] = [*rows[2], "小计"]
    for row in rows[3:]:
        row.insert(len(row) - 1, "1" if row[-1] == "4" else "0")
    result = read_tables(Document("html_table", [grid(rows)]))
    req = values(result, "requests")
    assert req["new"]["org_subtotal"] == 1
    assert req["new"]["total"] == 4


# --- text forms -------------------------------------------------------------------------------


def text_doc(lines: list[str], form: str) -> Document:
    return Document(form, list(lines))


def assert_sample(result) -> None:
    t = sample_tables()
    req = values(result, "requests")
    assert req["new"] == EXPECTED_NEW
    for row in t.requests:
        assert req[row] == {a: int(v) for a, v in t.requests[row].items()}, row
    assert values(result, "active_disclosure")["normative_document"] == {
        "issued": 8,
        "repealed": 26,
        "in_force": 66,
    }
    assert values(result, "review_litigation")["litigation_after_review"]["total"] == 1
    assert [f for f in result.findings if f.severity != "info"] == []


def test_cell_per_line_text():
    assert_sample(read_tables(text_doc(cells_lines(sample_tables()), "text_cells")))


def test_cell_per_line_with_trailing_pipes():
    lines = cells_lines(sample_tables(), pipe=True, keep_blanks=True)
    assert lines[3].endswith(" |")
    assert_sample(read_tables(text_doc(lines, "text_pipe")))


def test_pipe_rows_with_runs_of_empty_cells():
    lines = pipe_lines(sample_tables())
    assert any("| |||" in line for line in lines)
    assert_sample(read_tables(text_doc(lines, "text_pipe")))


def test_pipe_blank_cell_is_blank_not_vanished():
    t = sample_tables()
    t.requests["granted"]["natural_person"] = ""
    t.requests["granted"]["total"] = "0"
    t.requests["new"]["natural_person"] = "0"
    t.requests["new"]["total"] = "1"
    result = read_tables(text_doc(pipe_lines(t), "text_pipe"))
    c = cell(result, "requests", "granted", "natural_person")
    assert (c.value, c.kind) == (None, "blank")
    assert cell(result, "requests", "granted", "commercial").value == 0


def test_pdf_text_with_wrapped_and_interleaved_labels_page_footer_and_repeated_header():
    lines = pdf_lines(sample_tables(), wrap_width=12, page_break_before="unable.needs_creation")
    assert "- 4 -" in lines
    assert_sample(read_tables(text_doc(lines, "text_pdf")))


def test_pdf_text_numbers_on_the_middle_line_of_a_three_line_label():
    lines = [
        "三、收到和处理政府信息公开申请情况",
        "申请人情况",
        "自然人 总计",
        "一、本年新收政府信息公开申请数量 3 1 0 0 0 0 4",
        "（二）部分公开（区分处",
        "理的，只计这一情形， 2 0 0 0 0 0 2",
        "不计其他情形）",
        "5.要求行政机关确认或重新出",
        "1 0 0 0 0 0 1",
        "具已获取信息",
    ]
    result = read_tables(text_doc(lines, "text_pdf"))
    req = values(result, "requests")
    assert req["partially_granted"]["total"] == 2
    assert req["not_processed.confirm_or_reissue"]["natural_person"] == 1


# --- what cannot be read ----------------------------------------------------------------------


def requests_lines(rows: dict[str, str]) -> list[str]:
    """PDF-style lines of table 三 with the given rows (code -> numbers text) only."""
    labels = {code: label for code, label, _v, _c in REQUEST_ROWS_2021}
    out = ["三、收到和处理政府信息公开申请情况", "申请人情况 自然人 总计"]
    return out + [f"{labels[code]} {nums}" for code, nums in rows.items()]


def test_four_numbers_for_seven_columns_is_an_unread_row_with_a_finding():
    rows = {code: "0 0 0 0 0 0 0" for code, *_ in REQUEST_ROWS_2021}
    rows["new"] = "2 1 1 4"
    rows["carried_over"] = "1 1 0 0 0 0 2"  # keeps the arithmetic from choosing a reading
    result = read_tables(text_doc(requests_lines(rows), "text_pdf"))
    new = [c for c in result.cells if c.table == "requests" and c.row == "new"]
    assert {c.kind for c in new} == {"unread"} and {c.value for c in new} == {None}
    (f,) = [f for f in result.findings if f.code == "parse.ambiguous_row"]
    assert f.row == "new" and "2 1 1 4" in f.raw


def test_arithmetic_chooses_the_only_placement_and_says_so():
    rows = {code: "0 0 0 0 0 0 0" for code, *_ in REQUEST_ROWS_2021}
    rows["new"] = "2 2"  # blanks vanished: natural person 2, total 2
    rows["granted"] = "2 0 0 0 0 0 2"
    rows["total_handled"] = "2 0 0 0 0 0 2"
    result = read_tables(text_doc(requests_lines(rows), "text_pdf"))
    assert values(result, "requests")["new"] == {
        **dict.fromkeys(APPLICANTS),
        "natural_person": 2,
        "total": 2,
    }
    assert cell(result, "requests", "new", "commercial").kind == "blank"
    (f,) = [f for f in result.findings if f.code == "parse.resolved_by_arithmetic"]
    assert f.severity == "info" and f.row == "new"


def test_missing_rows_and_missing_tables_are_findings():
    rows = {code: "0 0 0 0 0 0 0" for code, *_ in REQUEST_ROWS_2021[:10]}
    result = read_tables(text_doc(requests_lines(rows), "text_pdf"))
    found = codes(result)
    assert ("parse.missing_row", "total_handled") in found
    assert ("parse.missing_row", "new") not in found
    assert found.count(("parse.missing_table", None)) == 2
    assert cell(result, "requests", "carried_forward", "total").kind == "unread"


def test_unknown_label_inside_a_table_keeps_its_raw_text():
    rows = {code: "0 0 0 0 0 0 0" for code, *_ in REQUEST_ROWS_2021}
    lines = requests_lines(rows)
    lines.insert(5, "（八）特殊情形 1 0 0 0 0 0 1")
    result = read_tables(text_doc(lines, "text_pdf"))
    (f,) = [f for f in result.findings if f.code == "parse.unmatched_label"]
    assert "特殊情形" in f.raw


def test_too_many_cells_is_a_cell_count_finding():
    rows = {code: "0 0 0 0 0 0 0" for code, *_ in REQUEST_ROWS_2021}
    rows["granted"] = "0 0 0 0 0 0 0 0 0"
    result = read_tables(text_doc(requests_lines(rows), "text_pdf"))
    assert ("parse.cell_count", "granted") in codes(result)
    assert cell(result, "requests", "granted", "total").kind == "unread"


def test_negative_change_keeps_its_sign():
    lines = [
        "二、主动公开政府信息情况",
        "第二十条第（五）项",
        "信息内容 上一年项目数量 本年增/减 处理决定数量",
        "行政许可 12 -3 40",
        "其他对外管理服务事项 5 减少2 7",
    ]
    result = read_tables(text_doc(lines, "text_pdf"))
    ad = values(result, "active_disclosure")
    assert ad["license"] == {"prev_year_count": 12, "change": -3, "decisions": 40}
    assert ad["other_admin_service"]["change"] == -2


def test_v2019_procurement_amount_unit_comes_only_from_the_cell():
    lines = [
        "二、主动公开政府信息情况",
        "第二十条第（九）项",
        "信息内容 采购项目数量 采购总金额",
        "政府集中采购 3 251000元",
        "第二十条第（八）项",
        "信息内容 上一年项目数量 本年增/减",
        "行政事业性收费 2 0",
    ]
    result = read_tables(text_doc(lines, "text_pdf"))
    amount = cell(result, "active_disclosure", "procurement", "amount")
    assert (amount.value, amount.unit) == (251000, "元")
    assert cell(result, "active_disclosure", "admin_fee", "change").unit is None


# --- templates --------------------------------------------------------------------------------


def test_legacy_and_unknown_documents_have_no_table_cells():
    sheet = ["统计指标", "主动公开政府信息数 156", "其中：主动公开规范性文件数 3", "收到申请数 2"]
    result = read_tables(Document("html_text", ["2016年政府信息公开工作年度报告", *sheet]))
    assert (result.template, result.cells, result.findings) == ("legacy", [], [])
    stub = read_tables(Document("html_text", ["2021年政府信息公开工作年度报告", "详见附件。"]))
    assert (stub.template, stub.cells) == ("unknown", [])


# --- grid columns located from the header -----------------------------------------------------


def with_spare_column(rows: list[list[Spec]], at: int) -> list[list[Spec]]:
    """The requests grid with an unmerged empty column inserted at grid column `at`."""
    out = []
    for r, row in enumerate(grid(rows).rows):
        specs: list[Spec] = []
        for c, gc in enumerate(row):
            if c == at:
                specs.append("")
            if gc.origin == (r, c):
                span = [x for x in row if x.origin == gc.origin]
                rowspan = sum(1 for rr in grid(rows).rows if rr[c].origin == gc.origin)
                specs.append((gc.text, len(span), rowspan))
        out.append(specs)
    return out


def test_spare_empty_column_beside_the_values_does_not_shift_them():
    t = sample_tables()
    for row in t.requests.values():
        row["total"] = ""  # a blank 总计 column: trimming blanks from the right would misalign
    rows = with_spare_column(requests_grid(t), at=3)
    assert len(grid(rows).rows[0]) == 11
    result = read_tables(Document("html_table", [grid(rows)]))
    req = values(result, "requests")
    assert req["new"] == {**EXPECTED_NEW, "total": None}
    assert req["denied.third_party_rights"]["commercial"] == 1
    assert cell(result, "requests", "new", "total").kind == "blank"
    assert not [f for f in result.findings if f.table == "requests" and f.code.startswith("parse.")]


def test_spare_empty_column_before_the_total_column():
    t = sample_tables()
    rows = with_spare_column(requests_grid(t), at=9)
    t.requests["granted"]["other_org"] = ""
    result = read_tables(Document("html_table", [grid(rows)]))
    assert values(result, "requests")["new"] == EXPECTED_NEW


def test_spare_empty_column_in_an_active_disclosure_block():
    rows: list[list[Spec]] = [
        [("第二十条第（一）项", 5, 1)],
        ["信息内容", "", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "", "1", "2", ""],
        ["行政规范性文件", "", "8", "26", "66"],
    ]
    result = read_tables(Document("html_table", ["二、主动公开政府信息情况", grid(rows)]))
    ad = values(result, "active_disclosure")
    assert ad["regulation"] == {"issued": 1, "repealed": 2, "in_force": None}
    assert ad["normative_document"] == {"issued": 8, "repealed": 26, "in_force": 66}


def subtotal_first_grid(t: Tables) -> list[list[Spec]]:
    rows = requests_grid(t)
    rows[0][1] = ("申请人情况", 8, 1)
    rows[1][1] = ("法人或其他组织", 6, 1)
    rows[2] = ["小计", *rows[2]]
    for row, (code, *_rest) in zip(rows[3:], REQUEST_ROWS_2021, strict=True):
        org = sum(int(t.requests[code][a]) for a in APPLICANTS[1:6])
        row.insert(len(row) - 6, str(org))
    return rows


def test_org_subtotal_column_before_the_five_organisations_is_read_by_position():
    t = sample_tables()
    result = read_tables(Document("html_table", [grid(subtotal_first_grid(t))]))
    req = values(result, "requests")
    assert req["new"] == {**EXPECTED_NEW, "org_subtotal": 1}
    assert req["denied.third_party_rights"]["org_subtotal"] == 1
    assert [f for f in result.findings if f.table == "requests"] == []


def test_org_subtotal_column_first_in_cell_per_line_text_follows_the_header_order():
    t = sample_tables()
    t.subtotal = {r: str(sum(int(c[a]) for a in APPLICANTS[1:6])) for r, c in t.requests.items()}
    lines = cells_lines(t)
    lines.remove("小计")
    lines.insert(lines.index("商业企业"), "小计")
    labels = {label: code for code, label, *_ in REQUEST_ROWS_2021}
    for i, line in enumerate(lines):
        if line in labels:  # the row's eight values: subtotal moved to after the natural person
            vals = lines[i + 1 : i + 9]
            lines[i + 1 : i + 9] = [vals[0], vals[6], *vals[1:6], vals[7]]
    result = read_tables(text_doc(lines, "text_cells"))
    req = values(result, "requests")
    assert req["new"] == {**EXPECTED_NEW, "org_subtotal": 1}
    assert req["denied.third_party_rights"] == {
        **dict.fromkeys(APPLICANTS, 0),
        "commercial": 1,
        "total": 1,
        "org_subtotal": 1,
    }
    assert [f for f in result.findings if f.table == "requests"] == []


def test_words_in_a_value_cell_are_an_unreadable_cell_finding_with_raw_kept():
    t = sample_tables()
    t.requests["granted"]["research"] = "见说明"
    t.requests["other.other"]["natural_person"] = "约3件"
    result = read_tables(Document("html_table", [grid(requests_grid(t))]))
    c = cell(result, "requests", "granted", "research")
    assert (c.value, c.kind, c.raw) == (None, "text", "见说明")
    assert cell(result, "requests", "granted", "natural_person").value == 3
    other = cell(result, "requests", "other.other", "natural_person")
    assert (other.value, other.kind, other.raw) == (None, "text", "约3件")
    found = [
        (f.code, f.row, f.column, f.raw)
        for f in result.findings
        if f.code == "parse.unreadable_cell"
    ]
    assert found == [
        ("parse.unreadable_cell", "granted", "research", "见说明"),
        ("parse.unreadable_cell", "other.other", "natural_person", "约3件"),
    ]


def test_two_filled_cells_under_one_header_are_not_guessed_between():
    rows: list[list[Spec]] = [
        [("第二十条第（一）项", 4, 1)],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        [("第二十条第（五）项", 4, 1)],
        ["信息内容", ("本年处理决定数量", 3, 1)],
        ["行政许可", "12", "5", ""],
    ]
    result = read_tables(Document("html_table", ["二、主动公开政府信息情况", grid(rows)]))
    assert values(result, "active_disclosure")["license"] == {"decisions": None}
    assert ("parse.cell_count", "license") in codes(result)


def test_spare_empty_column_in_the_review_table_is_skipped_by_header_position():
    rows = with_spare_column(REVIEW_GRID, at=5)
    doc = Document(
        "html_table", [grid(AD_2021_GRID), "四、政府信息公开行政复议、行政诉讼情况", grid(rows)]
    )
    rl = values(read_tables(doc), "review_litigation")
    assert rl["review"] == {"upheld": 1, "corrected": 0, "other": 2, "pending": None, "total": 3}
    assert rl["litigation_direct"] == {**dict.fromkeys(OUTCOMES, 0), "pending": 1, "total": 1}
    assert rl["litigation_after_review"] == dict.fromkeys(OUTCOMES, 0)


def test_page_furniture_lines_are_not_table_rows():
    from govscrape.parse.rows import text_row

    for line in ["- 4 -", "— 12 —", "－ ４ －", "第 4 页 共 9 页", "第4页", "4/9", "| --- | --- |"]:
        assert text_row(line) is None, line
    assert text_row("行政许可 4 9") is not None


def test_requests_grid_with_a_single_header_row_and_a_caption_row():
    t = sample_tables()
    rows = requests_grid(t)
    one_header: list[list[Spec]] = [
        [("表2 收到和处理政府信息公开申请情况", 10, 1)],
        [
            ("项目", 3, 1),
            *["自然人", "商业企业", "科研机构", "社会公益组织"],
            "法律服务机构",
            "其他",
            "总计",
        ],
        *rows[3:],
    ]
    result = read_tables(Document("html_table", [grid(one_header)]))
    req = values(result, "requests")
    assert req["new"] == EXPECTED_NEW
    assert req["denied.third_party_rights"]["commercial"] == 1
    assert [f for f in result.findings if f.table == "requests"] == []


def test_requests_grid_with_four_header_rows():
    t = sample_tables()
    rows = requests_grid(t)
    rows[0][0] = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 4)
    four = [rows[0], [("单位：件", 7, 1)], *rows[1:]]
    result = read_tables(Document("html_table", [grid(four)]))
    assert values(result, "requests")["new"] == EXPECTED_NEW


def test_rows_not_lined_up_with_their_header_fall_back_to_the_last_values():
    t = sample_tables()
    rows = requests_grid(t)
    rows[3] = [("一、本年新收政府信息公开申请数量", 4, 1), *rows[3][1:]]  # one column too wide
    result = read_tables(Document("html_table", [grid(rows)]))
    assert values(result, "requests")["new"] == EXPECTED_NEW


def test_glued_row_digits_are_never_read_as_a_blank_row():
    lines = [
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量3651084110556237061741033",
        "二、上年结转政府信息公开申请数量 850210774001069",
    ]
    result = read_tables(text_doc(lines, "text_pdf"))
    named = {f.row for f in result.findings}
    for row in ("new", "carried_over"):
        assert all(cell(result, "requests", row, a).kind != "blank" for a in APPLICANTS)
        assert row in named


# --- A PDF whose table 三 has each number in its own column (the grid path) -----------------

DAMAGED_PDF_LABELS = {
    "6.属于四类过程性信息": "6.属于四类过程信息",  # a character missing (the agency's typo)
    "3.补正后申请内容仍不明确": "3.补正后申本请内容仍不年明确",  # group label 本, 年 interleaved
    "（一）予以公开": "（一)予以公开",  # full- and half-width brackets mixed
}


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_damaged_labels_in_a_pdf_grid_are_aligned_with_fuzzy_findings_naming_the_rows(ruled):
    pdf = fx.report_pdf(template="v2021", ruled=ruled, damaged=DAMAGED_PDF_LABELS)
    result = read_tables(extract_pdf(pdf))
    rows = [line.code for line in request_rows("v2021")]
    want = {
        (code, column): int(text) if text else None
        for code, (_group, _label, printed) in zip(rows, fx.REQUEST_ROWS_2021, strict=True)
        for column, text in zip(APPLICANTS, printed, strict=True)
    }
    got = {(c.row, c.column): c.value for c in result.cells if c.table == "requests"}
    assert got == want
    fuzzy = {(f.row, f.found) for f in result.findings if f.code == "parse.fuzzy_label"}
    assert fuzzy == {
        ("denied.process_info", "6.属于四类过程信息"),
        ("unable.unclear_after_correction", "3.补正后申本请内容仍不年明确"),
    }
    assert not [
        f for f in result.findings if f.table == "requests" and f.code != "parse.fuzzy_label"
    ]


def test_a_grid_row_matching_no_label_never_gives_its_numbers_to_a_blank_neighbour():
    t = sample_tables()
    t.requests["carried_over"] = dict.fromkeys(APPLICANTS, "")  # printed blank: no numbers
    rows = requests_grid(t)
    at = next(i for i, r in enumerate(rows) if r[0] == ("二、上年结转政府信息公开申请数量", 3, 1))
    rows.insert(at + 1, [("其中：线上渠道", 3, 1), "2", "0", "0", "0", "0", "0", "2"])
    result = read_tables(Document("html_table", [grid(rows)]))
    assert values(result, "requests")["carried_over"] == dict.fromkeys(APPLICANTS)
    assert values(result, "requests")["granted"]["natural_person"] == 3
    unmatched = [f.raw for f in result.findings if f.code == "parse.unmatched_label"]
    assert len(unmatched) == 1 and "其中：线上渠道" in unmatched[0]


@pytest.mark.parametrize("label", ["", " "])
def test_a_grid_row_of_numbers_without_a_label_is_never_given_to_a_blank_neighbour(label):
    # A damaged label elsewhere puts the grid through alignment; the label-less row's numbers
    # could be a wrapped label's or a lost label's: the blank row beside them is not read.
    t = sample_tables()
    t.requests["carried_over"] = dict.fromkeys(APPLICANTS, "")
    rows = requests_grid(t, printed={"denied.process_info": ("6.属于四类过程信息",)})
    at = next(i for i, r in enumerate(rows) if r[0] == ("二、上年结转政府信息公开申请数量", 3, 1))
    rows.insert(at + 1, [(label, 3, 1), "2", "0", "0", "0", "0", "0", "2"])
    result = read_tables(Document("html_table", [grid(rows)]))
    assert values(result, "requests")["carried_over"] == dict.fromkeys(APPLICANTS)
    assert cell(result, "requests", "carried_over", "total").kind == "unread"
    named = {f.row for f in result.findings if f.code == "parse.ambiguous_row"}
    assert "carried_over" in named
    assert values(result, "requests")["granted"]["natural_person"] == 3


WRAPPABLE = ("new", "carried_over", "carried_forward")  # rows without merged cells beside them


def damaged_grid_labels(rng: random.Random) -> dict[str, tuple[str, ...]]:
    """Labels as long-tail PDF grids print them: a character dropped, changed or doubled, a
    group-label character interleaved, a label wrapped over two grid rows."""
    out: dict[str, tuple[str, ...]] = {}
    for code, label, *_ in REQUEST_ROWS_2021:
        printed = damage_grid_label(rng, label)
        if code in WRAPPABLE and rng.random() < 0.3:
            cut = rng.randrange(3, len(printed) - 2)
            out[code] = (printed[:cut], printed[cut:])
        elif printed != label:
            out[code] = (printed,)
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32))
def test_damaged_grid_labels_never_put_a_number_in_a_wrong_row_silently(seed):
    rng = random.Random(seed)
    t = draw_tables(rng, "v2021")
    rows = requests_grid(t, printed=damaged_grid_labels(rng))
    # table 二 as a real report prints it: its wording tells the template when 三's cannot
    result = read_tables(Document("html_table", [grid(AD_2021_GRID), grid(rows)]))
    want = {k: v for k, v in truth(t).items() if k[0] == "requests"}
    cells = [c for c in result.cells if c.table == "requests"]
    right = check_never_wrong_silently(cells, result.findings, want)
    assert right >= len(want) * 0.8
