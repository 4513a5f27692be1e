"""A bundled demo portal of fictional agencies, served on 127.0.0.1 for `govscrape demo`.

data.py holds the numbers (the single source of truth, and the expected answers), render.py and
pages.py turn them into report bodies and CMS pages, sites.py assembles the four hosts, server.py
serves them (`DemoPortal`); at build time pdf.py typesets the bundled PDF and word.py writes the
bundled .docx (both shipped in portal/); doc97.py makes the unreadable .doc stand-in on the fly.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DemoPortal"]


def __getattr__(name: str) -> Any:
    if name == "DemoPortal":
        from govscrape.demo.server import DemoPortal

        return DemoPortal
    raise AttributeError(f"module 'govscrape.demo' has no attribute {name!r}")
