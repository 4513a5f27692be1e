"""Exceptions for "cannot continue" (the data being odd is a Finding, not an exception).

GovscrapeError            anything a user can act on; the CLI prints it without a traceback
├── ConfigError           unusable configuration (sites.toml, settings); CLI exit status 2
├── InputError            a file or folder given by the user cannot be read
├── LockedError           another crawl holds the data folder's lock
├── DiskFullError         the disk (or quota) ran out while writing; exit status 3
└── CrawlCrashedError     the crawl process kept dying (crawl/supervise.py); exit status 4
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class GovscrapeError(Exception):
    """An error whose message tells the user what to do; shown without a traceback."""

    exit_status = 1


class ConfigError(GovscrapeError):
    """The configuration cannot be used as written."""

    exit_status = 2


class InputError(GovscrapeError):
    """A file or folder named by the user cannot be read."""


class LockedError(GovscrapeError):
    """Another govscrape process holds the lock on the data folder."""


class DiskFullError(GovscrapeError):
    """The disk holding the data folder ran out of space while writing."""

    exit_status = 3


class CrawlCrashedError(GovscrapeError):
    """The crawl process died too often, or twice on one page, to go on restarting it."""

    exit_status = 4


_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
# SQLite's result codes for a write the disk refused. SQLite loses the errno: a full disk is
# SQLITE_FULL where it writes a page, but a "disk I/O error" where it grows its WAL index
# (the -shm file: SHMSIZE), truncates or syncs a file. These codes are writes only (never
# IOERR_READ or a lock), so a message naming a full disk is the likely truth and the right
# advice (free space); the error's own words are quoted beside it.
_SQLITE_FULL = frozenset(
    {
        "SQLITE_FULL",
        "SQLITE_IOERR_WRITE",
        "SQLITE_IOERR_FSYNC",
        "SQLITE_IOERR_DIR_FSYNC",
        "SQLITE_IOERR_TRUNCATE",
        "SQLITE_IOERR_SHMSIZE",
    }
)


def is_disk_full(exc: BaseException) -> bool:
    """Whether an error means the disk (or the user's quota) is full: an OSError saying so by
    its errno, SQLite by its result code, or the words where a library lost both (Arrow)."""
    if isinstance(exc, OSError) and exc.errno in _FULL:
        return True
    if getattr(exc, "sqlite_errorname", None) in _SQLITE_FULL:  # sqlite3.Error (Python 3.11+)
        return True
    text = str(exc).lower()
    return "no space left on device" in text or "disk is full" in text or "quota exceeded" in text


@contextmanager
def disk_full_is_an_error(folder: Path | str, doing: str) -> Iterator[None]:
    """Turn a full disk met while `doing` something in `folder` into a DiskFullError a user can
    act on (exit status 3, one line), whichever library met it first."""
    try:
        yield
    except DiskFullError:
        raise
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        raise DiskFullError(
            f"the disk holding {folder} is full: {doing} ({exc}). Free some space and run the "
            "command again"
        ) from None
