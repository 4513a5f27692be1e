"""Random consistent report tables, damaged the ways the long tail of real reports damages them.

Test and benchmark helper, not a test: the property tests and bench/longtail_bench.py use it.
A table is drawn consistent (row totals, balance, (七)总计, review totals hold; zeros printed
or left blank), then rendered as:

- damaged PDF text: long labels wrapped around their numbers at random widths, the vertical
  三、本年度办理结果 and the category labels spread a character per line and interleaved into
  row labels, a character of a label dropped or changed, "(七) 总 计" spaced, and at times the
  v2019-style single (六)其他处理 row printed inside a v2021 table;
- traditional script (OpenCC s2twp: characters and mirror vocabulary such as 檔案);
- cell per line with every blank cell vanished;
- glued rows: a row's cells printed as one digit run ("640020470").

`truth(t)` gives the value each cell must read as: (table, row, column) -> int or None (blank).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from report_render import (
    AD_2019,
    AD_2021,
    APPLICANTS,
    OUTCOME_LABELS,
    OUTCOMES,
    PROCEEDINGS,
    REQUEST_ROWS_2019,
    REQUEST_ROWS_2021,
    THREE_COL,
    Tables,
    cells_lines,
    wrap,
)

from govscrape.model import Cell, Finding

Truth = dict[tuple[str, str, str], int | None]
NOT_OUTCOMES = ("new", "carried_over", "total_handled", "carried_forward")
OTHER_2021 = ("other.no_correction", "other.unpaid_fee", "other.other")
# Characters a changed label may receive: common, none of them a label's distinctive word.
NOISE = "的一是在了和有大这主中人上为们地个用工时要动国产以我到他会作来分生对于学下级就年阶"


@dataclass
class Drawn:
    """A drawn report: its printed tables, and whether v2021's (六) prints as one v2019 row."""

    tables: Tables
    single_other: bool = False


def draw_tables(
    rng: random.Random, template: str, *, blank_share: float = 0.3, scale: int = 50
) -> Tables:
    """A consistent random report: most cells zero (printed "0" or left blank), a few counts."""

    def count() -> int:
        return rng.choice((0, 0, 0, 0, 1, 2, rng.randrange(scale), rng.randrange(scale * 20)))

    def text(v: int) -> str:
        return "" if v == 0 and rng.random() < blank_share else str(v)

    rows = REQUEST_ROWS_2019 if template == "v2019" else REQUEST_ROWS_2021
    values: dict[str, list[int]] = {}
    for code, *_ in rows:
        if code not in NOT_OUTCOMES:
            values[code] = [count() for _ in range(6)]
    handled = [sum(v[i] for v in values.values()) for i in range(6)]
    forward = [count() for _ in range(6)]
    carried = [
        rng.randrange(h + f + 1) if rng.random() < 0.5 else 0
        for h, f in zip(handled, forward, strict=True)
    ]
    values["total_handled"] = handled
    values["carried_forward"] = forward
    values["carried_over"] = carried
    values["new"] = [h + f - c for h, f, c in zip(handled, forward, carried, strict=True)]
    requests = {
        code: dict(
            zip(
                APPLICANTS, [text(v) for v in values[code]] + [text(sum(values[code]))], strict=True
            )
        )
        for code, *_ in rows
    }
    active = {
        code: {m: text(count()) for m in metrics}
        for _cap, _h, items, metrics in (AD_2019 if template == "v2019" else AD_2021)
        for code, _label in items
    }
    review = {}
    for p in PROCEEDINGS:
        parts = [count() for _ in range(4)]
        review[p] = dict(zip(OUTCOMES, [text(v) for v in [*parts, sum(parts)]], strict=True))
    return Tables(template, requests, active, review)


def truth(t: Tables, *, single_other: bool = False) -> Truth:
    """What every cell of the rendered report holds: an int, or None for a blank cell."""
    out: Truth = {}
    tables = {"requests": t.requests, "active_disclosure": t.active, "review_litigation": t.review}
    for name, rows in tables.items():
        for row, cols in rows.items():
            for col, text in cols.items():
                out[name, row, col] = int(text) if text else None
    if single_other:
        for a in APPLICANTS:
            parts = [out.pop(("requests", r, a)) for r in OTHER_2021]
            printed = [p for p in parts if p is not None]
            out["requests", "other", a] = sum(printed) if printed else None
    return out


def check_never_wrong_silently(cells: list[Cell], findings: list[Finding], want: dict) -> int:
    """Every value read is what was printed; every cell not read (or read otherwise) has a
    finding naming its row. Returns how many cells were read right."""
    named = {(f.table, f.row) for f in findings if f.row}
    # A fuzzy match says which row a damaged label was taken for; it does not excuse a value
    # read into the wrong row (the match itself would be wrong): that needs a warning or error.
    warned = {(f.table, f.row) for f in findings if f.row and f.code != "parse.fuzzy_label"}
    got = {(c.table, c.row, c.column): c for c in cells}
    right = 0
    for key, value in want.items():
        cell = got.get(key)
        if cell is not None and cell.kind in ("number", "blank") and cell.value == value:
            right += 1
        elif cell is not None and cell.kind in ("number", "blank"):
            assert key[:2] in warned, (key, value, cell)
        else:
            assert key[:2] in named, (key, value, cell)
    for key, cell in got.items():
        if key not in want:
            assert cell.kind == "unread" and key[:2] in named, key
    return right


# --- damaged PDF text -------------------------------------------------------------------------


def damage_label(rng: random.Random, label: str) -> str:
    """Drop, change or double one character after the numbering, sometimes; else as printed."""
    start = next((i for i, ch in enumerate(label) if ch in "、.）)"), -1) + 1
    if len(label) - start < 6 or rng.random() < 0.7:
        return label
    i = rng.randrange(start + 1, len(label) - 1)
    kind = rng.choice(("drop", "change", "double"))
    if kind == "drop":
        return label[:i] + label[i + 1 :]
    if kind == "change":
        return label[:i] + rng.choice(NOISE) + label[i + 1 :]
    return label[:i] + label[i] + label[i:]


GROUP_LABEL = "三、本年度办理结果"


def damage_grid_label(rng: random.Random, label: str) -> str:
    """A label as a long-tail PDF's grid cell prints it: damaged as `damage_label` does, and
    at times a character of the vertical group label interleaved (labels of 8+ characters)."""
    printed = damage_label(rng, label)
    if len(printed) >= 8 and rng.random() < 0.15:
        i = rng.randrange(1, len(printed))
        printed = printed[:i] + rng.choice(GROUP_LABEL[2:]) + printed[i:]
    return printed


def _insert(rng: random.Random, text: str, extra: str) -> str:
    """`extra` before the text (as PDF text orders it by x) or, at times, inside it."""
    if not extra:
        return text
    if rng.random() < 0.7 or len(text) < 4:
        return extra + rng.choice(("", " ")) + text
    i = rng.randrange(2, len(text) - 1)
    return text[:i] + extra + text[i:]


def _row_lines(rng: random.Random, label: str, vals: list[str], extras: list[str]) -> list[str]:
    """One table row as PDF text: the label wrapped, the numbers on its middle line (or a line
    of their own between two halves), the group-label pieces spread over the label's lines
    (before a line's text, as PDF text orders characters by x, or at times inside the label)."""
    width = rng.randrange(8, 24)
    parts = wrap(label, width)
    for i, extra in enumerate(extras[: len(parts)]):
        if extra:
            parts[i] = _insert(rng, parts[i], extra)
    leftover = [e for e in extras[len(parts) :] if e]  # group-label pieces: lines of their own
    number_line = " ".join(vals)
    if not number_line:
        return [*parts, *leftover]
    if len(parts) == 1:
        return [f"{parts[0]} {number_line}", *leftover]
    if len(parts) % 2 == 0 and rng.random() < 0.6:
        half = len(parts) // 2
        return [*parts[:half], number_line, *parts[half:], *leftover]
    mid = (len(parts) - 1) // 2 if rng.random() < 0.5 else len(parts) // 2
    lines = [(f"{p} {number_line}" if i == mid else p) for i, p in enumerate(parts)]
    return [*lines, *leftover]


def damaged_pdf_lines(rng: random.Random, drawn: Drawn) -> list[str]:
    """Table 三 (and its neighbours) as PDF text with damaged labels (module docstring)."""
    t = drawn.tables
    lines = ["二、主动公开政府信息情况"]
    for caption, headers, items, metrics in t.ad_blocks():
        lines += [caption.replace("第（", " 第（"), "信息内容 " + " ".join(headers)]
        for code, label in items:
            vals = [x for m in metrics if (x := t.active[code][m])]
            lines.append(" ".join([label, *vals]))
    lines += [
        "三、收到和处理政府信息公开申请情况",
        "申请人情况",
        "（本列数据的勾稽关系为：第一项加第二项之和， 法人或其他组织",
        "等于第三项加第四项之和）",
        "自然人 总计",
        "商业企 科研机 社会公益 法律服务",
        "其他",
        "业 构 组织 机构",
    ]
    vertical = ["三、", *"本年度办理结果"]
    rows = list(t.request_rows())
    if drawn.single_other:
        at = next(i for i, r in enumerate(rows) if r[0] == OTHER_2021[0])
        rows[at : at + 3] = [("other", "（六）其他处理", None, None)]
    spread: list[str] = []
    for code, label, _vertical, category in rows:
        if code == "other" and drawn.single_other:
            vals = _summed_other(t)
        else:
            vals = [x for x in t.applicant_texts(code) if x]
        if category:
            cut = rng.randrange(2, len(category) - 1)
            spread = [category[:cut], category[cut:]]
        extras: list[str] = []
        if code not in THREE_COL and vertical:
            extras += [vertical.pop(0) for _ in range(min(len(vertical), rng.choice((1, 1, 2))))]
        if spread and rng.random() < 0.8:
            piece = spread.pop(0)
            extras = [" ".join(x for x in (extras[0] if extras else "", piece) if x), *extras[1:]]
        if code == "total_handled" and rng.random() < 0.5:
            label = "（七） 总 计"
        lines += _row_lines(rng, damage_label(rng, label), vals, extras)
    lines += vertical + spread
    lines += _review_lines(t)
    return lines


def _summed_other(t: Tables) -> list[str]:
    out = []
    for a in APPLICANTS:
        texts = [t.requests[r][a] for r in OTHER_2021]
        if any(texts):
            out.append(str(sum(int(x) for x in texts if x)))
    return out


def _review_lines(t: Tables) -> list[str]:
    return [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 行政诉讼",
        "未经复议直接起诉 复议后起诉",
        " ".join(OUTCOME_LABELS),
        " ".join(x for p in PROCEEDINGS for o in OUTCOMES if (x := t.review[p][o])),
    ]


def single_other_2021(rng: random.Random, t: Tables) -> bool:
    """Whether a v2021 table prints the single v2019-style (六)其他处理 row (one in eight)."""
    return t.template == "v2021" and rng.random() < 0.125


# --- the other forms --------------------------------------------------------------------------


def vanished_blank_lines(t: Tables) -> list[str]:
    """Cell per line, every blank cell gone (what page-to-text tools give)."""
    return cells_lines(t)


def glued_lines(rng: random.Random, t: Tables) -> list[str]:
    """Each row's cells as one digit run after its label; group labels on lines of their own."""
    lines = ["二、主动公开政府信息情况"]
    for caption, headers, items, metrics in t.ad_blocks():
        lines += [caption, "信息内容 " + " ".join(headers)]
        for code, label in items:
            lines.append(_glued(rng, label, [t.active[code][m] for m in metrics]))
    lines += ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人 法人或其他组织 总计"]
    lines.append(" ".join(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]))
    for code, label, vertical, category in t.request_rows():
        lines += [x for x in (vertical, category) if x]
        lines.append(_glued(rng, label, t.applicant_texts(code)))
    lines += _review_lines(t)[:4]
    lines.append("".join(t.review[p][o] for p in PROCEEDINGS for o in OUTCOMES))
    return lines


def _glued(rng: random.Random, label: str, texts: list[str]) -> str:
    digits = "".join(texts)
    return label + rng.choice(("", " ")) + digits if digits else label


def rebalance(t: Tables) -> None:
    """Make the table consistent again after outcome rows were changed: (七)总计 the sum of
    the outcome rows, nothing carried over, new = total handled + carried forward."""

    def ints(row: str) -> list[int]:
        return [int(t.requests[row][a] or 0) for a in APPLICANTS]

    def put(row: str, values: list[int]) -> None:
        t.requests[row] = {
            a: (str(v) if v else "") for a, v in zip(APPLICANTS, values, strict=True)
        }

    outcomes = [r for r in t.requests if r not in NOT_OUTCOMES]
    handled = [sum(col) for col in zip(*(ints(r) for r in outcomes), strict=True)]
    forward = ints("carried_forward")
    put("total_handled", handled)
    put("carried_over", [0] * len(APPLICANTS))
    put("new", [h + f for h, f in zip(handled, forward, strict=True)])


def with_blanks_printed(t: Tables) -> Tables:
    """The same report with every blank cell printed as 0 (a fully printed table)."""

    def fill(rows: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        return {r: {c: (x or "0") for c, x in cols.items()} for r, cols in rows.items()}

    return Tables(t.template, fill(t.requests), fill(t.active), fill(t.review))
