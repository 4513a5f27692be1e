"""The parser on the long tail: generated reports in the forms that lose rows or cell positions.

For each form (damaged-label PDF text and grids, traditional script, vanished blanks, glued
digits), a corpus of random consistent reports (tests/longtail_render.py) is parsed and
every cell compared with what was printed. Printed per form:

- cells right (the value printed, or blank where blank), and of them `zero_or_blank` cells
  (the parser says "0 or blank", never picking one; right when the cell was 0 or blank);
- cells unread (each must carry a finding naming its row);
- wrong cells: with a finding naming their row, and WITHOUT one (must be 0: the one error the
  project never makes);
- for vanished blanks and glued digits: the share of cells recovered against the share the
  arithmetic determines at all, the bound computed by an exhaustive solver on small tables,
  and on full reports the share right with the joint search's caps lifted (its ceiling);
- parse speed (reports/s by CPU time, one core).

    .venv/bin/python bench/longtail_bench.py [--reports 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from itertools import combinations, product
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import longtail_render as lr  # noqa: E402  (a test helper: tests/ is put on the path first)
from report_render import (  # noqa: E402
    APPLICANTS,
    Page,
    cells_lines,
    html_document,
    pipe_lines,
    text_document,
)

from govscrape import parse_report  # noqa: E402
from govscrape.model import Report  # noqa: E402

PAGE = Page(
    title="青松县示例局2023年政府信息公开工作年度报告",
    agency="青松县示例局",
    published="2024-01-20",
    overview=["2023年，青松县示例局认真贯彻落实《中华人民共和国政府信息公开条例》。"],
    problems=["一是公开内容还需更加全面。"],
    other=["本年度未收取信息处理费。"],
)
READ_KINDS = frozenset({"number", "blank"})


def score(report: Report, want: lr.Truth) -> Counter:
    """Cells right / unread / wrong (with or without a finding naming their row)."""
    named = {(f.table, f.row) for f in report.findings if f.row}
    got = {(c.table, c.row, c.column): c for c in report.cells}
    out: Counter = Counter()
    for key, value in want.items():
        cell = got.get(key)
        flagged = (key[0], key[1]) in named
        if cell is None or cell.kind == "unread":
            out["unread"] += 1
            out["unread_without_finding"] += not flagged
        elif cell.kind == "zero_or_blank":
            right = value in (0, None)
            out["right" if right else "wrong"] += 1
            out["zero_or_blank"] += 1
            out["wrong_without_finding"] += not right and not flagged
        elif cell.kind in READ_KINDS and cell.value == value:
            out["right"] += 1
        else:
            out["wrong"] += 1
            out["wrong_without_finding"] += not flagged
    for key, cell in got.items():  # cells read where the report printed none (e.g. other.*)
        if key not in want and cell.kind not in ("unread",):
            out["wrong"] += 1
            out["wrong_without_finding"] += (key[0], key[1]) not in named
    out["cells"] = len(want)
    return out


Form = Callable[[random.Random], tuple[str, lr.Truth]]


def damaged_pdf(rng: random.Random) -> tuple[str, lr.Truth]:
    t = lr.draw_tables(rng, rng.choice(("v2019", "v2021")), blank_share=0.0)
    drawn = lr.Drawn(t, lr.single_other_2021(rng, t))
    lines = lr.damaged_pdf_lines(rng, drawn)
    return text_document(PAGE, lines), lr.truth(t, single_other=drawn.single_other)


def damaged_grid(rng: random.Random) -> tuple[str, lr.Truth]:
    """An HTML report whose table 三 grid (each number in its own cell, as a PDF with ruled
    columns gives it) prints labels damaged: a character dropped, changed or doubled, a
    character of the vertical group label interleaved."""
    t = lr.draw_tables(rng, rng.choice(("v2019", "v2021")))
    html = html_document(PAGE, t)
    for _code, label, *_ in t.request_rows():
        html = html.replace(f">{label}<", f">{lr.damage_grid_label(rng, label)}<", 1)
    return html, lr.truth(t)


def traditional(rng: random.Random) -> tuple[str, lr.Truth]:
    """A mirror's traditional-script copy (OpenCC s2twp: characters and vocabulary) of a
    report as PDF text, pipe text or cell-per-line text."""
    import opencc  # bench only: the converter a mirror would use

    t = lr.draw_tables(rng, rng.choice(("v2019", "v2021")), blank_share=0.0)
    form = rng.choice(("pdf", "pipe", "cells"))
    if form == "pdf":
        lines = lr.damaged_pdf_lines(rng, lr.Drawn(t))
    elif form == "pipe":
        lines = pipe_lines(t)
    else:
        lines = cells_lines(t)
    text = opencc.OpenCC("s2twp").convert(text_document(PAGE, lines))
    return text, lr.truth(t)


def vanished_blanks(rng: random.Random) -> tuple[str, lr.Truth]:
    t = lr.draw_tables(rng, rng.choice(("v2019", "v2021")), blank_share=0.6)
    return text_document(PAGE, lr.vanished_blank_lines(t)), lr.truth(t)


def glued(rng: random.Random) -> tuple[str, lr.Truth]:
    t = lr.with_blanks_printed(lr.draw_tables(rng, rng.choice(("v2019", "v2021"))))
    return text_document(PAGE, lr.glued_lines(rng, t)), lr.truth(t)


BOUNDED = {"vanished blanks": False, "glued digits": True}  # form -> glued
FORMS: dict[str, Form] = {
    "damaged-label PDF text": damaged_pdf,
    "damaged-label grid": damaged_grid,
    "traditional script": traditional,
    "vanished blanks": vanished_blanks,
    "glued digits": glued,
}


# --- the bound: what the arithmetic determines at all (exhaustive, small tables) --------------

ROW_TOTAL = (6, (0, 1, 2, 3, 4, 5))
MAX_PRODUCT = 200_000  # readings combined per small table


def _splits(digits: str, most: int) -> list[list[str]]:
    """Every split of a digit run into 1..most numbers without leading zeros."""
    if not digits:
        return [[]]
    out = []
    for n in range(1, len(digits) + 1):
        head = digits[:n]
        if len(head) > 1 and head[0] == "0":
            break
        if most > 1 or n == len(digits):
            out += [[head, *rest] for rest in _splits(digits[n:], most - 1) if len(rest) < most]
    return out


def brute_readings(texts: list[str], glued: bool) -> list[tuple]:
    """All readings of a printed row (blank cells gone, or glued) that keep its row total."""
    printed = [x for x in texts if x]
    sequences = _splits("".join(printed), 7) if glued and printed else [printed]
    out = set()
    for seq in sequences:
        for cols in combinations(range(7), len(seq)):
            row = [None] * 7
            for c, x in zip(cols, seq, strict=True):
                row[c] = x
            v = [int(x) if x else 0 for x in row]
            if v[ROW_TOTAL[0]] == sum(v[c] for c in ROW_TOTAL[1]):
                out.add(tuple(row))
    return sorted(out, key=str)


def exhaustive(t, glued: bool) -> dict[str, set] | None:
    """For each requests row, the readings some solution of the whole table uses; None when
    the table is too large to search exhaustively."""
    codes = [code for code, *_ in t.request_rows()]
    rows = [brute_readings([t.requests[c][a] for a in APPLICANTS], glued) for c in codes]
    size = 1
    for r in rows:
        size *= max(len(r), 1)
    if size > MAX_PRODUCT or not all(rows):
        return None
    at = {c: i for i, c in enumerate(codes)}
    outcomes = [at[c] for c in codes if c not in lr.NOT_OUTCOMES]
    used: dict[str, set] = {c: set() for c in codes}
    for choice in product(*rows):
        v = [[int(x) if x else 0 for x in r] for r in choice]
        new, old, done, fwd = (
            v[at[c]] for c in ("new", "carried_over", "total_handled", "carried_forward")
        )
        if all(
            new[k] + old[k] == done[k] + fwd[k] and done[k] == sum(v[i][k] for i in outcomes)
            for k in range(7)
        ):
            for c, r in zip(codes, choice, strict=True):
                used[c].add(r)
    return used


def bound_run(name: str, glued: bool, n: int, seed: int) -> None:
    """Small tables: share of cells the arithmetic determines (exactly, and up to 0/blank),
    against the share the parser read right."""
    rng = random.Random(seed)
    cells = determined = up_to_zero = recovered = tables = 0
    tries = 0
    while tables < n and tries < n * 50:
        tries += 1
        t = lr.draw_tables(rng, rng.choice(("v2019", "v2021")), blank_share=0.6, scale=4)
        for code in list(t.requests)[2:-2]:  # most outcome rows all zero: a small table
            if rng.random() < 0.8:
                t.requests[code] = dict.fromkeys(APPLICANTS, "" if not glued else "0")
        lr.rebalance(t)
        if glued:
            t = lr.with_blanks_printed(t)
        used = exhaustive(t, glued)
        if used is None:
            continue
        tables += 1
        lines = lr.glued_lines(rng, t) if glued else lr.vanished_blank_lines(t)
        report = parse_report(text_document(PAGE, lines).encode())
        got = {(c.row, c.column): c for c in report.cells if c.table == "requests"}
        for code, readings in used.items():
            for k, a in enumerate(APPLICANTS):
                cells += 1
                texts = {r[k] for r in readings}
                determined += len(texts) == 1
                up_to_zero += len(texts) == 1 or texts <= {None, "0"}
                cell = got.get((code, a))
                truth = int(t.requests[code][a]) if t.requests[code][a] else None
                if cell is not None and (
                    (cell.kind in READ_KINDS and cell.value == truth)
                    or (cell.kind == "zero_or_blank" and truth in (0, None))
                ):
                    recovered += 1
    print(
        f"  bound ({name}, {tables} small tables, table 三, {cells} cells): the arithmetic "
        f"determines {determined / cells:.1%} (up to 0/blank {up_to_zero / cells:.1%}); "
        f"the parser read {recovered / cells:.1%} right"
    )


def run_form(name: str, form: Form, n: int, seed: int) -> None:
    rng = random.Random(seed)
    docs = [form(rng) for _ in range(n)]
    total: Counter = Counter()
    cpu = time.process_time()
    reports = [parse_report(text.encode()) for text, _ in docs]
    cpu = time.process_time() - cpu
    examples = []
    for report, (_, want) in zip(reports, docs, strict=True):
        s = score(report, want)
        total += s
        if s["wrong_without_finding"] and len(examples) < 3:
            examples.append(report)
    cells = total["cells"]
    print(f"{name}: {n} reports, {cells} cells, {n / cpu:.0f} reports/s (cpu, one core)")
    print(
        f"  right {total['right'] / cells:7.2%} (of them zero_or_blank {total['zero_or_blank']})"
        f"  unread {total['unread'] / cells:7.2%} (without a finding: "
        f"{total['unread_without_finding']})  wrong {total['wrong']}  "
        f"wrong WITHOUT a finding: {total['wrong_without_finding']}"
    )


def ceiling_run(name: str, form: Form, n: int, seed: int) -> None:
    """Full tables: the share right with the joint search's caps lifted (states, checks,
    CPU time), against the share right with them, on the same reports. Where the uncapped
    search finishes it is exact, so this is the share the arithmetic determines on full
    tables (the parser's own solver: the exhaustive bound above checks it on small ones)."""
    from govscrape.parse import column_search as cs  # bench only: the caps are module constants

    rng = random.Random(seed)
    docs = [form(rng) for _ in range(n)]
    capped = sum((score(parse_report(t.encode()), w) for t, w in docs), Counter())
    caps = cs.MAX_STATES, cs.MAX_CHOICES, cs.MAX_SECONDS, cs.PROBE_BUDGET
    cs.MAX_STATES, cs.MAX_CHOICES, cs.MAX_SECONDS, cs.PROBE_BUDGET = 10**6, 10**7, 60.0, 10**6
    try:
        lifted = sum((score(parse_report(t.encode()), w) for t, w in docs), Counter())
    finally:
        cs.MAX_STATES, cs.MAX_CHOICES, cs.MAX_SECONDS, cs.PROBE_BUDGET = caps
    print(
        f"  ceiling ({name}, {n} full reports): right {lifted['right'] / lifted['cells']:.2%} "
        f"with the search uncapped, {capped['right'] / capped['cells']:.2%} with its caps"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000, help="reports per form")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--form", action="append", help="only these forms (repeatable)")
    parser.add_argument("--bound-tables", type=int, default=200, help="small tables for the bound")
    parser.add_argument(
        "--ceiling", type=int, default=30, help="full reports searched without the caps"
    )
    args = parser.parse_args()
    for name, form in FORMS.items():
        if not args.form or name in args.form:
            run_form(name, form, args.reports, args.seed)
            if name in BOUNDED:
                bound_run(name, BOUNDED[name], args.bound_tables, args.seed)
                if args.ceiling:
                    ceiling_run(name, form, args.ceiling, args.seed)


if __name__ == "__main__":
    main()
