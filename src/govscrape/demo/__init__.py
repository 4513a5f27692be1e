"""A bundled demo portal of fictional agencies, served on 127.0.0.1 for `govscrape demo`.

data.py holds the reports and the expected answers (the single source of truth), built from
agencies.py (who publishes what), report_numbers.py (the seeded numbers) and quirks.py (the
deliberate trouble). render.py turns a report into a body; pages.py and pages_<cms>.py wrap it in
CMS pages; sites.py assembles the four hosts (site_model.py: a host's routes, site_paths.py: its
URLs and attachments, site_listings.py: its listing pages); server.py serves them (`DemoPortal`).
At build time pdf.py typesets the bundled PDF and word.py writes the bundled .docx (both shipped
in portal/); doc97.py makes the unreadable .doc stand-in on the fly.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DemoPortal"]


def __getattr__(name: str) -> Any:
    # Lazy: the demo's page builders need not load the HTTP server (and the reverse).
    if name == "DemoPortal":
        from govscrape.demo.server import DemoPortal

        return DemoPortal
    raise AttributeError(f"module 'govscrape.demo' has no attribute {name!r}")
