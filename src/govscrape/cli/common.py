"""Arguments and output shared by the commands: site selection (crawl, sites) and the question
commands' data folder and output (zero-requests, compare, findings, sql)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "json")  # what govscrape.questions.render can print

FORMAT_HELP = (
    "output format (default: table): table is for reading (the key columns), "
    "csv and json carry every column"
)


def add_site_selection(parser: argparse.ArgumentParser, verb: str) -> None:
    """--config and --site, as the commands that work on sites.toml take them."""
    parser.add_argument(
        "--config", type=Path, default=Path("config/sites.toml"),
        help="the sites file (default: config/sites.toml)",
    )  # fmt: skip
    parser.add_argument(
        "--site", action="append", dest="sites", metavar="ID", default=[],
        help=f"{verb} only this site id (repeatable; default: every site)",
    )  # fmt: skip


def add_common(parser: argparse.ArgumentParser, format_help: str = FORMAT_HELP) -> None:
    parser.add_argument(
        "--data", default="data", metavar="LOCATION",
        help="the data folder, or the URL the datasets were published at (s3://bucket/prefix; "
        "default: data)",
    )  # fmt: skip
    parser.add_argument("--format", choices=FORMATS, default="table", help=format_help)


def output(frame: pd.DataFrame, fmt: str) -> int:
    """Print the frame (a table shows `attrs["table_columns"]` only); notes go to stderr, so
    that CSV and JSON on stdout stay clean. An empty answer is said so (still exit 0)."""
    # Imported here: rendering needs pandas, which `govscrape --help` should not load.
    from govscrape.questions.render import render

    for note in frame.attrs.get("notes", []):
        print(f"note: {note}", file=sys.stderr)
    if frame.empty and fmt == "table":
        print("(no rows)", file=sys.stderr)
        return 0
    if fmt == "table":
        columns = [c for c in frame.attrs.get("table_columns", []) if c in frame.columns]
        frame = frame[columns] if columns else frame
    sys.stdout.write(render(frame, fmt))
    return 0
