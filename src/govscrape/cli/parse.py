"""Parse annual report files and print their tables, or rebuild the datasets from the raw store.

  govscrape parse report.html report2.txt      print each report's tables (and headline
                                               figures stated in its text) readably
  govscrape parse --json report.html           one JSON object per file, one per line
  govscrape parse                              rebuild data/parquet from data/raw (new/changed)
  govscrape parse --all --jobs 4               re-parse every stored document
  govscrape parse --all --cluster local:8      ... in a Dask LocalCluster of 8 worker processes
  govscrape parse --cluster tcp://head:8786    ... on a Dask cluster (pip install 'govscrape[cluster]')
  govscrape parse --data all --from shard1 shard2   one set of datasets from several crawl folders
  govscrape parse --data s3://bucket/govscrape --state /var/lib/govscrape
                                               build from that crawl state, publish to the bucket

Exit status 0 when every file was read as a report, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from govscrape.errors import InputError
from govscrape.model import Cell, Report

# A file with one of these findings was not read as a report (exit status 1).
NOT_READ = frozenset(
    {
        "parse.empty_document",
        "parse.not_a_report",
        "parse.unsupported_format",
        "parse.scanned_pdf",
        "parse.template_unknown",
        "parse.internal_error",
    }
)
# The keys issue 3 lists, then whether blanks were counted as 0 and the raw text concerned.
FINDING_KEYS = (
    "code",
    "severity",
    "table",
    "row",
    "column",
    "expected",
    "found",
    "message",
    "blank_as_zero",
    "raw",
)
# A headline figure's keys, as in the headlines dataset.
HEADLINE_KEYS = ("measure", "value", "unit", "status", "evidence", "section", "note")
# Short column headings that keep the requests table within 80 columns (piped, CI, terminal).
APPLICANT_HEADINGS = {
    "natural_person": "自然人",
    "commercial": "商业",
    "research": "科研",
    "social_welfare": "公益",
    "legal_service": "法律",
    "other_org": "其他",
    "org_subtotal": "小计",
    "total": "总计",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE", help="report files (HTML, text, PDF …)")
    parser.add_argument("--json", action="store_true", help="one JSON object per file per line")
    parser.add_argument(
        "--agency",
        metavar="NAME",
        help="the agency, where the file names none (its title, fields and signature come first)",
    )
    parser.add_argument(
        "--data", default="data", metavar="LOCATION",
        help="data folder to rebuild (no FILE given), or a URL to publish the datasets at "
        "(s3://bucket/prefix, with --state)",
    )  # fmt: skip
    parser.add_argument(
        "--all", action="store_true", help="re-parse every stored document, not only new ones"
    )
    parser.add_argument(
        "--jobs", type=at_least_one, default=None, metavar="N",
        help="worker processes (default: the cores available; a build under 300 reports runs "
        "in-process)",
    )  # fmt: skip
    parser.add_argument(
        "--from", "--state", dest="sources", nargs="+", metavar="DIR", type=Path,
        help="build from the crawl states in these folders (e.g. one per crawl --shard, or "
        "crawl's --state DIR) into --data (default: --data itself)",
    )  # fmt: skip
    parser.add_argument(
        "--cluster", metavar="ADDRESS",
        help="parse on a Dask cluster: tcp://host:8786 (its workers must reach the data folder), "
        "or local:N for a LocalCluster of N worker processes; the datasets are the same bytes",
    )  # fmt: skip


def at_least_one(value: str) -> int:
    """argparse type of --jobs: a whole number >= 1 (0 or -3 would be silently clamped)."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return number


def run(args: argparse.Namespace) -> int:
    if not args.files:
        return rebuild(args)
    status = 0
    for name in args.files:
        try:
            content = read_file(Path(name))
        except InputError as exc:
            print(f"govscrape parse: error: {exc}", file=sys.stderr)
            status = 1
            continue
        # Imported once a file was read: `govscrape parse --help` stays fast.
        from govscrape.parse import parse_report

        report = parse_report(content, agency=args.agency)
        if args.json:
            print(json.dumps(report_json(name, report), ensure_ascii=False), flush=True)
        else:
            print_report(name, report)
        if not was_read(report):
            status = 1
    return status


def rebuild(args: argparse.Namespace) -> int:
    # Imported here: the build loads pyarrow, which printing one file's tables does not need.
    from govscrape.datasets import build_datasets

    summary = build_datasets(
        args.data, full=args.all, jobs=args.jobs, cluster=args.cluster, sources=args.sources
    )
    print(summary.format())
    return int(getattr(summary, "exit_status", 0) or 0)


def read_file(path: Path) -> bytes:
    """The file's bytes, or an InputError a user can act on."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a report file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def was_read(report: Report) -> bool:
    """False when a finding says the file could not be read as a report at all."""
    return not any(
        f.code in NOT_READ and (f.severity == "error" or f.code == "parse.template_unknown")
        for f in report.findings
    )


# --- JSON ---------------------------------------------------------------------------------------


def report_json(name: str, report: Report) -> dict[str, Any]:
    """The `--json` object of issue 3, keys in its order."""
    return {
        "file": name,
        "title": report.title,
        "agency": report.agency,
        "agency_source": report.agency_source,
        "year": report.year,
        "published": report.published.isoformat() if report.published else None,
        "template": report.template,
        "source_form": report.source_form,
        "requests": [_cell(c, "row", "applicant") for c in report.table("requests")],
        "active_disclosure": [
            _cell(c, "item", "metric", unit=True) for c in report.table("active_disclosure")
        ],
        "review_litigation": [
            _cell(c, "proceeding", "outcome") for c in report.table("review_litigation")
        ],
        "sections": dict(report.sections),
        "findings": [{k: getattr(f, k) for k in FINDING_KEYS} for f in report.findings],
        "headlines": [{k: getattr(h, k) for k in HEADLINE_KEYS} for h in report.headlines],
    }


def _cell(c: Cell, row_key: str, column_key: str, *, unit: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {row_key: c.row, column_key: c.column, "value": c.value}
    if unit:
        out["unit"] = c.unit
    out["kind"] = c.kind
    out["raw"] = c.raw
    return out


# --- readable tables ----------------------------------------------------------------------------


def print_report(name: str, report: Report) -> None:
    # rich only for readable tables: `--json` output never loads it (so below too).
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False)
    console.rule(f"[bold]{escape(name)}")
    published = report.published.isoformat(sep=" ") if report.published else "?"
    console.print(
        escape(f"{report.title or '(no title)'}\n")
        + escape(
            f"agency: {report.agency or '?'}   year: {report.year or '?'}   "
            f"published: {published}\n"
            f"template: {report.template}   source: {report.source_form}   "
            f"sections: {', '.join(report.sections) or 'none'}"
        )
    )
    for table in ("active_disclosure", "requests", "review_litigation"):
        cells = report.table(table)
        if table == "active_disclosure" and cells:
            for i, block in enumerate(_blocks(cells)):
                console.print(_grid(table if i == 0 else "", block))
        elif cells:
            console.print(_grid(table, cells))
        if table == "requests" and cells:
            console.print(_legend(cells), style="dim")
    stated = [h for h in report.headlines if h.status not in ("not_stated", "table")]
    if stated:
        console.print("headline figures from the text:", style="bold")
    for h in stated:
        value = "" if h.value is None else f" {h.value}{h.unit or ''}"
        why = f" ({h.note})" if h.note else ""
        console.print(
            escape(f"  {h.measure}: {h.status}{value}{why}: “{h.evidence}”"), soft_wrap=True
        )
    for f in report.findings:
        colour = {"error": "red", "warning": "yellow"}.get(f.severity, "cyan")
        console.print(f"[{colour}]{f.severity:7}[/] {f.code}: {escape(f.message)}", soft_wrap=True)


def _blocks(cells: list[Cell]) -> list[list[Cell]]:
    """Active-disclosure cells grouped by their set of metrics (one 第二十条 block each)."""
    metrics: dict[str, list[str]] = {}
    for c in cells:
        metrics.setdefault(c.row, []).append(c.column)
    groups: dict[tuple[str, ...], list[Cell]] = {}
    for c in cells:
        groups.setdefault(tuple(metrics[c.row]), []).append(c)
    return list(groups.values())


def _legend(cells: list[Cell]) -> str:
    columns = dict.fromkeys(c.column for c in cells)
    return "columns: " + " ".join(f"{APPLICANT_HEADINGS.get(c, c)}={c}" for c in columns)


def _grid(title: str, cells: list[Cell]):
    """A compact table: values never cut (only the row labels wrap when space runs out)."""
    # rich imported here, as in print_report.
    from rich import box
    from rich.table import Table

    rows = list(dict.fromkeys(c.row for c in cells))
    columns = list(dict.fromkeys(c.column for c in cells))
    by_key = {(c.row, c.column): c for c in cells}
    shown = {key: _show(c) for key, c in by_key.items()}
    requests = cells[0].table == "requests"
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 0),
    )
    table.add_column("", overflow="fold")
    for column in columns:
        heading = APPLICANT_HEADINGS.get(column, column) if requests else column
        width = max(
            [_width(heading)] + [_width(text) for (_r, c), text in shown.items() if c == column]
        )
        table.add_column(heading, justify="right", no_wrap=True, min_width=width)
    for row in rows:
        table.add_row(row, *(shown.get((row, col), "") for col in columns))
    return table


def _width(markup: str) -> int:
    # rich imported here, as in print_report.
    from rich.cells import cell_len
    from rich.text import Text

    return cell_len(Text.from_markup(markup).plain)


def _show(c: Cell | None) -> str:
    if c is None:
        return ""
    if c.kind == "number":
        return f"{c.value}{c.unit or ''}"
    if c.kind == "unread":
        return "[red]?[/]"
    if c.kind == "blank":
        return "[dim]·[/]"
    from rich.markup import escape  # as in print_report

    return f"[dim]{escape(c.raw or '')}[/]"
