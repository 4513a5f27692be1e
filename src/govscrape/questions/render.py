"""Render a DataFrame for the terminal: an aligned plain table (CJK-aware), CSV or JSON."""

from __future__ import annotations

import json
import math
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

import numpy as np
import pandas as pd


def render(frame: pd.DataFrame, fmt: str = "table") -> str:
    """The frame as text: "table", "csv" or "json"; nulls are empty in tables and CSV, null in JSON."""
    if fmt == "csv":
        return frame.to_csv(index=False)
    if fmt == "json":
        records = [
            {str(k): _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")
        ]
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    if fmt == "table":
        return render_table(frame)
    raise ValueError(f"unknown format {fmt!r}")


def render_table(frame: pd.DataFrame) -> str:
    """Columns padded to the widest cell, counting CJK characters as two columns wide."""
    header = [str(c) for c in frame.columns]
    body = [[_text(v) for v in row] for row in frame.itertuples(index=False)]
    widths = [width(h) for h in header]
    for row in body:
        widths = [max(w, width(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = [_line(header, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(row, widths) for row in body]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def width(text: str) -> int:
    """Display width of text in a terminal (wide and full-width characters count double)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell + " " * (w - width(cell)) for cell, w in zip(cells, widths, strict=True))


def _text(value: object) -> str:
    if _is_null(value):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.4g}"
    if isinstance(value, datetime | pd.Timestamp):
        return value.isoformat(sep=" ")
    if isinstance(value, list | tuple | dict | np.ndarray):
        return json.dumps(_json_value(value), ensure_ascii=False)
    return str(value).replace("\n", " ")


def _json_value(value: object) -> object:
    """A JSON-ready value: SQL results may hold decimals, dates, lists and structs too."""
    if isinstance(value, np.ndarray | list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if _is_null(value):
        return None
    if isinstance(value, datetime | date | time | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _is_null(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)
