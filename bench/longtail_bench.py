"""The parser on the long tail: generated reports in the forms that lose rows or cell positions.

For each form, a corpus of random consistent reports (tests/longtail_render.py) is parsed and
every cell compared with what was printed. Printed per form:

- cells right (the value printed, or blank where blank), and of them `zero_or_blank` cells
  (the parser says "0 or blank", never picking one; right when the cell was 0 or blank);
- cells unread (each must carry a finding naming its row);
- wrong cells: with a finding naming their row, and WITHOUT one (must be 0: the one error the
  project never makes);
- for vanished blanks and glued digits: the share of cells recovered against the share the
  arithmetic determines at all, the bound computed by an exhaustive solver on small tables;
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import longtail_render as lr  # noqa: E402  (a test helper: tests/ is put on the path first)
from report_render import Page, cells_lines, pipe_lines, text_document  # noqa: E402

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


FORMS: dict[str, Form] = {
    "damaged-label PDF text": damaged_pdf,
    "traditional script": traditional,
    "vanished blanks": vanished_blanks,
    "glued digits": glued,
}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000, help="reports per form")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--form", action="append", help="only these forms (repeatable)")
    args = parser.parse_args()
    for name, form in FORMS.items():
        if not args.form or name in args.form:
            run_form(name, form, args.reports, args.seed)


if __name__ == "__main__":
    main()
