"""Which pages the crawl is reading right now, in a tiny file that outlives a killed process.

Reading a page for links runs native code (lexbor) on hostile bytes; when that kills the process
(a segfault, an abort, the OOM killer), the supervisor (crawl/supervise.py) reads this file to
learn which page did it. Each change is one plain overwrite of the file's start (no fsync: the
kernel keeps the written bytes when the process dies, which is the case to cover; a power cut
ends the supervisor too). Lines `site<TAB>url`, ended by a NUL (older, longer bytes may follow).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

MARKER_NAME = "crawl.reading"  # in the state folder, beside crawl.lock
CRASHED = "crawl.document_crashed"  # the finding of a page whose reading killed the crawl


class ReadingMarker:
    """The set of pages being read, written through to `path` at each change (from one thread)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self._reading: dict[str, str] = {}  # url -> site

    def start(self, site: str, url: str) -> None:
        self._reading[url] = site
        self._write()

    def done(self, url: str) -> None:
        self._reading.pop(url, None)
        self._write()

    def _write(self) -> None:
        lines = "".join(f"{site}\t{url}\n" for url, site in self._reading.items())
        os.pwrite(self._fd, lines.encode() + b"\0", 0)

    def close(self) -> None:
        """The crawl ended by itself (or by an exception): nothing is being read."""
        os.close(self._fd)
        with contextlib.suppress(OSError):
            self.path.unlink()


def pages_being_read(path: Path | str) -> list[tuple[str, str]]:
    """(site, url) of each page a dead crawl process was reading; [] when none or no file."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return []
    text = data.split(b"\0", 1)[0].decode("utf-8", "replace")
    return [(site, url) for site, _, url in (line.partition("\t") for line in text.splitlines())]
