"""Exceptions for "cannot continue" (the data being odd is a Finding, not an exception).

GovscrapeError            anything a user can act on; the CLI prints it without a traceback
├── ConfigError           unusable configuration (sites.toml, settings); CLI exit status 2
├── InputError            a file or folder given by the user cannot be read
├── LockedError           another crawl holds the data folder's lock
└── DiskFullError         the disk (or quota) ran out while writing; exit status 3
"""

from __future__ import annotations

import errno


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


_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def is_disk_full(exc: BaseException) -> bool:
    """Whether an error means the disk (or the user's quota) is full: an OSError saying so by
    its errno, or by its words where a library lost the errno (Arrow, SQLite)."""
    if isinstance(exc, OSError) and exc.errno in _FULL:
        return True
    text = str(exc).lower()
    return "no space left on device" in text or "disk is full" in text or "quota exceeded" in text
