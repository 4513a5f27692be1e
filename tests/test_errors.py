"""Errors a user can act on: a full disk is recognised whichever library met it first."""

from __future__ import annotations

import errno
import sqlite3

import pytest
from small_disk import fill, small_disk

from govscrape.errors import DiskFullError, disk_full_is_an_error, is_disk_full


def sqlite_error(name: str, message: str) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorname = name  # type: ignore[attr-defined]
    return exc


def test_an_oserror_is_disk_full_by_its_errno():
    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert is_disk_full(OSError(errno.EDQUOT, "Disk quota exceeded"))
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))


def test_sqlite_refusing_a_write_is_disk_full_but_a_failed_read_is_not():
    assert is_disk_full(sqlite_error("SQLITE_FULL", "database or disk is full"))
    assert is_disk_full(sqlite_error("SQLITE_IOERR_SHMSIZE", "disk I/O error"))
    assert is_disk_full(sqlite_error("SQLITE_IOERR_WRITE", "disk I/O error"))
    assert not is_disk_full(sqlite_error("SQLITE_IOERR_READ", "disk I/O error"))
    assert not is_disk_full(sqlite_error("SQLITE_BUSY", "database is locked"))


def test_sqlite_opening_its_wal_database_on_a_full_disk_is_disk_full(tmp_path):
    """The real thing: SQLite cannot grow a WAL database's -shm file on a full disk and says
    "disk I/O error" (SQLITE_IOERR_SHMSIZE), not "disk is full"."""
    with small_disk(tmp_path / "disk", "1m") as disk:
        db = sqlite3.connect(disk / "state.sqlite", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (x)")
        db.close()
        fill(disk)
        with pytest.raises(sqlite3.OperationalError) as caught:
            sqlite3.connect(disk / "state.sqlite").execute("SELECT * FROM t").fetchall()
    assert "disk I/O error" in str(caught.value)
    assert is_disk_full(caught.value)


def test_a_full_disk_is_turned_into_an_error_naming_the_folder_and_what_was_not_done():
    said = r"disk holding /data is full: nothing was built \("
    with (
        pytest.raises(DiskFullError, match=said),
        disk_full_is_an_error("/data", "nothing was built"),
    ):
        raise sqlite_error("SQLITE_IOERR_SHMSIZE", "disk I/O error")
    with pytest.raises(ValueError), disk_full_is_an_error("/data", "nothing was built"):
        raise ValueError("not a disk")
