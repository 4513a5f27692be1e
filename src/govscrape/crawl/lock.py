"""An exclusive lock on a data folder (flock), so two crawls never write it at once."""

from __future__ import annotations

import fcntl
import logging
import os
import socket
from pathlib import Path

from govscrape.errors import LockedError

log = logging.getLogger(__name__)


class FolderLock:
    """Holds `path` locked with flock; the kernel frees it when the holder dies, even by SIGKILL.

    The file also records the holder's pid, for the message a second crawl prints; a file whose pid
    is gone (a killed crawl) is a stale lock and is taken over.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            raise LockedError(
                f"another crawl (pid {holder or 'unknown'}) is using {self.path.parent};"
                f" wait for it to finish, or stop that process (lock file {self.path})"
            ) from None
        previous = _read(fd)
        if previous:
            log.warning("taking over a stale lock left by pid %s (%s)", previous, self.path)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {socket.gethostname()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        # Emptied, not deleted: deleting would let a waiting process lock an orphaned inode.
        os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read(fd: int) -> str:
    data = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
    return data[0] if data else ""
