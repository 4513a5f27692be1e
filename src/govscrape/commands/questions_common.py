"""Arguments and output shared by the question commands (zero-requests, compare, findings, sql)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from govscrape.render import FORMATS, render


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", type=Path, default=Path("data"), help="the data folder (default: data)"
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )


def output(frame: pd.DataFrame, fmt: str) -> int:
    """Print the frame; say so on stderr when there is nothing to show (still exit 0)."""
    if frame.empty and fmt == "table":
        print("(no rows)", file=sys.stderr)
        return 0
    sys.stdout.write(render(frame, fmt))
    return 0
