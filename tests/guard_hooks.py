"""Test-only extractors for the guarded worker (registered in guard.GUARDED by tests only).

`behave(data)` does what the document says: `abort`, `segv`, `hang`, `spin` (burn CPU),
`reserve:N` (take N MB of address space, untouched, and let it go), `sleep:S:PIDFILE` (write
the pid, then sleep S seconds), anything else is echoed back. Every answer names the process
that read it (meta["pid"]), so tests can see which child served which document.
`abort_on_marker(data, content_type)` is the real extraction, except that a document holding
KILL_MARKER aborts its process (as pdfium does when memory runs out).
"""

from __future__ import annotations

import mmap
import os
import signal
import time
from pathlib import Path

from govscrape.document import Document
from govscrape.extract import extract_unguarded

KILL_MARKER = b"<!-- kills its reader -->"


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
    if word == "reserve":
        mmap.mmap(-1, int(rest) * 1024 * 1024).close()  # address space, never touched
    if word == "sleep":
        seconds, pidfile = rest.split(":", 1)
        Path(pidfile).write_text(str(os.getpid()))
        time.sleep(float(seconds))
    return Document("text_cells", blocks=[data.decode()], meta={"pid": str(os.getpid())})


def abort_on_marker(data: bytes, content_type: str | None = None) -> Document:
    if KILL_MARKER in data:
        os.abort()
    return extract_unguarded(data, content_type)
