"""Exceptions for "cannot continue" (the data being odd is a Finding, not an exception).

GovscrapeError            anything a user can act on; the CLI prints it without a traceback
├── ConfigError           unusable configuration (sites.toml, settings); CLI exit status 2
├── InputError            a file or folder given by the user cannot be read
└── LockedError           another crawl holds the data folder's lock
"""

from __future__ import annotations


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
