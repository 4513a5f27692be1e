"""Content-addressed store of raw fetched bytes: sha256-named, gzip-compressed, never overwritten."""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
from pathlib import Path

# zlib level 6 stores HTML within ~3% of level 9 at about half the CPU; the crawl is CPU-bound.
COMPRESS_LEVEL = 6


class RawStore:
    """Files under `root/ab/cd/<sha256>.gz`; writing the same bytes twice is a no-op."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._made: set[Path] = set()  # folders known to exist: no mkdir call per document

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}.gz"

    def has(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def put(self, data: bytes) -> str:
        """Store `data` and return its sha256; atomic (write aside, fsync, rename).

        The file is fsynced before the rename, so a name that exists always holds its bytes; the
        directory is not (a crash can lose a just-made name, never expose a torn file), which is
        why callers record a document only after put() returns."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.exists():
            return digest
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        # One-shot gzip (zlib's own gzip framing) costs a third less than a GzipFile stream.
        packed = gzip.compress(data, compresslevel=COMPRESS_LEVEL, mtime=0)
        tmp = target.parent / f".tmp-{os.getpid()}-{threading.get_ident()}-{digest}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            try:
                view = memoryview(packed)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return digest

    def get(self, sha256: str) -> bytes:
        """The bytes stored under `sha256`; KeyError when absent."""
        try:
            with gzip.open(self.path(sha256), "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            raise KeyError(sha256) from None
