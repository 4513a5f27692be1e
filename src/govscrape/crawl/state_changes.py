"""A change counter in the crawl state, kept by SQLite triggers: a build reads one number to know
whether anything the datasets are made from has changed since it last looked.

The counter goes up on every write that can change a report's rows: a report page or attachment
recorded, removed, or changed in any column a build reads (its bytes, title, parent, fetch status
and error, times, the URL it is kept under), and a site's record (agency, kind, region) changed.
It does not move on what cannot change a dataset: a listing page fetched again, a 304 answer
(only last_fetched and tries change), a retry count. The triggers live in the database file, so
every writer counts, whatever code it runs. The state's `id` (random, made once) tells two state
files apart: a counter is only ever compared with the same file's earlier value.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

# The columns of `urls` a build reads (datasets/plan.py): a change in any of them counts; the
# fetch outcome only for a document without stored bytes (a missing attachment's finding says
# why it is missing: a stored document refetched with a 304 or an error keeps its rows).
WATCHED = (
    "url", "site", "kind", "parent_url", "title", "sha256", "content_type", "first_seen",
    "first_fetched", "changed_at", "same_as",
)  # fmt: skip
OUTCOME = ("status", "http_status", "last_error")
SITE_COLUMNS = ("id", "agency", "agency_kind", "province", "city", "county", "level")
DOCUMENT = "{row}.kind IN ('report', 'attachment')"
BUMP = "BEGIN UPDATE meta SET value = value + 1 WHERE key = 'changes'; END"


def _differs(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


# A listing row matters for one thing only: the earliest first_seen of its site (when the crawler
# began watching it, read by the publication.late rule). A new listing row is seen now, never
# before the site's first look; a deleted one counts when it held that earliest time.
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value);
INSERT OR IGNORE INTO meta (key, value) VALUES ('changes', 0);
CREATE TRIGGER IF NOT EXISTS urls_changes_insert AFTER INSERT ON urls
  WHEN {DOCUMENT.format(row="NEW")} {BUMP};
CREATE TRIGGER IF NOT EXISTS urls_changes_delete AFTER DELETE ON urls
  WHEN {DOCUMENT.format(row="OLD")}
    OR OLD.first_seen < (SELECT MIN(first_seen) FROM urls WHERE site = OLD.site) {BUMP};
CREATE TRIGGER IF NOT EXISTS urls_changes_update AFTER UPDATE ON urls
  WHEN ({DOCUMENT.format(row="OLD")} OR {DOCUMENT.format(row="NEW")})
      AND ({_differs(WATCHED)} OR (NEW.sha256 IS NULL AND ({_differs(OUTCOME)})))
    OR OLD.first_seen IS NOT NEW.first_seen OR OLD.site IS NOT NEW.site {BUMP};
CREATE TRIGGER IF NOT EXISTS sites_changes_insert AFTER INSERT ON sites {BUMP};
CREATE TRIGGER IF NOT EXISTS sites_changes_delete AFTER DELETE ON sites {BUMP};
CREATE TRIGGER IF NOT EXISTS sites_changes_update AFTER UPDATE ON sites
  WHEN {_differs(SITE_COLUMNS)} {BUMP};
"""
READ = "SELECT key, value FROM meta WHERE key IN ('id', 'changes')"


def install(db: sqlite3.Connection) -> None:
    """Create the counter and its triggers (idempotent), and the state's id once."""
    db.executescript(SCHEMA)
    db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('id', ?)", (uuid.uuid4().hex,))


def read(db: sqlite3.Connection) -> tuple[str, int] | None:
    """(state id, change count), or None when the state has no counter (an older file)."""
    try:
        found = dict(db.execute(READ).fetchall())
    except sqlite3.Error:
        return None
    if "id" not in found or "changes" not in found:
        return None
    return str(found["id"]), int(found["changes"])


def read_file(path: Path | str) -> tuple[str, int] | None:
    """read() of a state file opened read-only (nothing is created); None when there is none."""
    if not Path(path).is_file():
        return None
    try:
        con = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return read(con)
    finally:
        con.close()
