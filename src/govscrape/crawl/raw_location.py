"""Where a crawl folder's raw store is: `raw/` beside its state, or elsewhere (an s3:// URL, a
shared folder), as the crawl state records it.

The crawl state (state.sqlite) always stays on the crawling machine's own disk; the raw store
may live where a cluster can share it (`govscrape crawl --data s3://bucket/x --state DIR`). The
state then records that location once, so a build from the state (`govscrape parse --state DIR`
or `--from DIR`) reads the bytes from the right place, and a crawl that names another raw store
for the same state is refused: the state's documents would be split between two stores.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from govscrape.crawl.storage import is_url, join
from govscrape.errors import ConfigError

KEY = "raw_store"  # in the state's meta table (crawl/state_changes.py)
STATE_FILE = "state.sqlite"
META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value)"  # as crawl/state_changes.py


def default_raw(state_dir: Path | str) -> str:
    return str(Path(state_dir) / "raw")


def canonical(location: str | Path) -> str:
    """A URL as given (without a trailing /), a path made absolute."""
    return str(location).rstrip("/") if is_url(location) else str(Path(location).resolve())


def bind_raw_store(db: sqlite3.Connection, state_dir: Path, raw: str) -> None:
    """Record in the state that its raw store is `raw` (when not `raw/` beside it), or
    ConfigError when the state already keeps its documents in another store."""
    db.execute(META)
    found = db.execute("SELECT value FROM meta WHERE key = ?", (KEY,)).fetchone()
    wanted = canonical(raw)
    recorded = found[0] if found else canonical(default_raw(state_dir))
    if recorded == wanted:
        return
    if found is None and not _has_documents(db):
        db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (KEY, wanted))
        db.commit()
        return
    raise ConfigError(
        f"the crawl state in {state_dir} keeps its documents in {recorded}, not {wanted}: "
        f"crawl with --data naming that store (its raw/ folder's parent), or use another --state "
        "folder for a new store"
    )


def _has_documents(db: sqlite3.Connection) -> bool:
    try:
        return (
            db.execute("SELECT 1 FROM urls WHERE sha256 IS NOT NULL LIMIT 1").fetchone() is not None
        )
    except sqlite3.Error:  # no urls table yet: a new state
        return False


def raw_store_of(state_dir: Path | str) -> str:
    """The raw store location of a crawl folder (read-only: nothing is created)."""
    path = Path(state_dir) / STATE_FILE
    if path.is_file():
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            found = con.execute("SELECT value FROM meta WHERE key = ?", (KEY,)).fetchone()
        except sqlite3.Error:  # an older state without a meta table: raw/ beside it
            found = None
        finally:
            con.close()
        if found:
            return str(found[0])
    return default_raw(state_dir)


def raw_of_data(data: Path | str) -> str:
    """The raw store in a data location (`DATA/raw`)."""
    return join(data, "raw")
