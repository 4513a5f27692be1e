"""govscrape: China's government information disclosure annual reports as clean, comparable data."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("govscrape")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__", "load", "parse_report", "scan", "wide"]


def __getattr__(name: str) -> Any:
    # Lazy so that `import govscrape` (and `govscrape --help`) stays fast: pandas and pyarrow
    # are only imported by those who load datasets.
    if name == "parse_report":
        from govscrape.parse import parse_report

        return parse_report
    if name in ("load", "wide"):
        from govscrape.questions import load as query

        return getattr(query, name)
    if name == "scan":
        from govscrape.questions.scan import scan

        return scan
    raise AttributeError(f"module 'govscrape' has no attribute {name!r}")
