"""Test-only extractors for the guarded worker (registered in guard.GUARDED by tests only).

`behave(data)` does what the document says: `abort`, `segv`, `hang`, `spin` (burn CPU),
`reserve:N` (take N MB of address space, untouched, and let it go; MemoryError past the
limit), `hold:N` (take N MB and keep it), `sleep:S:PIDFILE` (write the pid, then sleep S
seconds), anything else is echoed back. Every answer names the process
that read it (meta["pid"]), so tests can see which child served which document.
`abort_in_parse(data, content_type)` is the real extraction, except that it aborts its process
(as pdfium does when memory runs out) after reading a document whose text holds KILL_TEXT.
"""

from __future__ import annotations

import mmap
import os
import signal
import time
from pathlib import Path

from govscrape.document import Document, Grid
from govscrape.extract import extract_unguarded

KILL_TEXT = "KILLSITSREADER"  # text, in any format, whose reading aborts (abort_in_parse)
_HELD: list[mmap.mmap] = []  # what `hold` keeps, for the child's life


def behave(data: bytes) -> Document:
    word, _, rest = data.decode().partition(":")
    if word == "abort":
        os.abort()
    if word == "segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    if word == "hang":
        time.sleep(3600)
    if word == "spin":
        while True:
            pass
    if word in ("reserve", "hold"):
        try:  # address space, never touched
            held = mmap.mmap(-1, int(rest) * 1024 * 1024)
        except OSError as exc:  # beyond RLIMIT_AS: what an allocation then raises
            raise MemoryError from exc
        if word == "hold":
            _HELD.append(held)
        else:
            held.close()
    if word == "sleep":
        seconds, pidfile = rest.split(":", 1)
        Path(pidfile).write_text(str(os.getpid()))
        time.sleep(float(seconds))
    return Document("text_cells", blocks=[data.decode()], meta={"pid": str(os.getpid())})


def abort_in_parse(data: bytes, content_type: str | None = None) -> Document:
    """The real extraction (HTML, DOCX, PDF: lexbor, lxml, pdfium), then an abort in the same
    process when the text it read holds KILL_TEXT: a native crash in the middle of reading."""
    doc = extract_unguarded(data, content_type)
    cells = (c.text for b in doc.blocks if isinstance(b, Grid) for row in b.rows for c in row)
    texts = [b for b in doc.blocks if isinstance(b, str)]
    if any(KILL_TEXT in text for text in (*texts, *cells)):
        os.abort()
    return doc
