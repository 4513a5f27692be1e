"""Crawl state in SQLite (WAL): every URL seen, its kind, status, validators and stored sha256."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from govscrape.crawl import state_changes
from govscrape.findings import severity_of

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url           TEXT PRIMARY KEY,
    site          TEXT NOT NULL,
    kind          TEXT NOT NULL,     -- listing | report | attachment
    parent_url    TEXT,              -- the page that linked to it
    title         TEXT,              -- link text seen where it was discovered
    status        TEXT NOT NULL DEFAULT 'pending',  -- pending|ok|failed|blocked|robots|skipped
    http_status   INTEGER,
    etag          TEXT,
    last_modified TEXT,
    sha256        TEXT,
    content_type  TEXT,
    first_seen    TEXT NOT NULL,     -- ISO 8601, UTC
    first_fetched TEXT,
    last_fetched  TEXT,
    changed_at    TEXT,              -- when sha256 last changed
    last_error    TEXT,
    tries         INTEGER NOT NULL DEFAULT 0,
    same_as       TEXT               -- the URL this document is kept under (a redirect, a copy)
);
CREATE INDEX IF NOT EXISTS urls_site ON urls(site, kind);
CREATE TABLE IF NOT EXISTS sites (
    id          TEXT PRIMARY KEY,    -- the sites.toml entry id
    agency      TEXT,
    agency_kind TEXT,                -- department | government | township | other
    province    TEXT,
    city        TEXT,
    county      TEXT,
    level       TEXT,
    entry       TEXT                 -- the whole config entry as JSON, as last crawled
);
CREATE TABLE IF NOT EXISTS scheme_swaps (
    origin     TEXT PRIMARY KEY,     -- scheme://host:port that gave no answer (refused, TLS error)
    use_origin TEXT NOT NULL,        -- the same host on the other scheme, which answered
    learned    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS findings (
    url      TEXT NOT NULL,          -- the page concerned (a listing column's first page)
    site     TEXT NOT NULL,
    code     TEXT NOT NULL,          -- a crawl.* code of the findings catalogue
    severity TEXT NOT NULL,
    message  TEXT NOT NULL,
    expected INTEGER,                -- e.g. the items a listing states
    found    INTEGER,                -- e.g. the items the crawl reached
    recorded TEXT NOT NULL,
    PRIMARY KEY (url, code)
);
CREATE TABLE IF NOT EXISTS quarantine (
    url      TEXT PRIMARY KEY,       -- a page whose reading killed the crawl process
    site     TEXT NOT NULL,
    sha256   TEXT,                   -- the bytes that did (NULL: not known); other bytes are read
    signal   TEXT NOT NULL,          -- SIGSEGV, SIGABRT, SIGKILL (the OOM killer), ...
    recorded TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    started  TEXT NOT NULL,
    finished TEXT,
    status   TEXT,                   -- running | ok | partial | failed | interrupted | crashed
    summary  TEXT                    -- JSON
);
"""


# Rows whose bytes an earlier-seen row of the same site and kind already holds, with that row.
_EARLIER_COPY = """
SELECT later.url, (SELECT first.url FROM urls AS first
                   WHERE first.sha256 = later.sha256 AND first.site = later.site
                     AND first.kind = later.kind AND first.rowid < later.rowid
                   ORDER BY first.rowid LIMIT 1)
FROM urls AS later
WHERE later.kind IN ('report', 'attachment') AND later.sha256 IS NOT NULL
  AND EXISTS (SELECT 1 FROM urls AS first WHERE first.sha256 = later.sha256
              AND first.site = later.site AND first.kind = later.kind AND first.rowid < later.rowid)
"""


def read_only_query(data_dir: Path | str, *queries: str) -> list[list[tuple[Any, ...]]] | None:
    """Rows of each query over DATA/state.sqlite opened read-only; None when there is no
    usable crawl state (absent, or an older or foreign file): readers get no context, not a crash.
    """
    path = Path(data_dir) / "state.sqlite"
    if not path.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return [con.execute(q).fetchall() for q in queries]
        finally:
            con.close()
    except sqlite3.Error:
        return None


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A report page or attachment whose bytes are in the raw store."""

    url: str
    site: str
    kind: str
    sha256: str
    content_type: str | None
    title: str | None
    parent_url: str | None
    first_seen: str
    first_fetched: str | None
    last_fetched: str | None
    changed_at: str | None


class CrawlState:
    """Thin wrapper over the SQLite file; every write is committed at once (crash-safe), unless a
    caller groups writes between begin() and commit() (the crawl does, a second at a time)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self._migrate()
        self.db.execute("CREATE INDEX IF NOT EXISTS urls_sha256 ON urls(sha256)")
        state_changes.install(self.db)

    def changes(self) -> tuple[str, int]:
        """(this state's id, its change counter): see crawl/state_changes.py."""
        found = state_changes.read(self.db)
        assert found is not None  # installed when opened
        return found

    def _migrate(self) -> None:
        """Bring a state written by an older version up to this schema."""
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(urls)")}
        if "same_as" not in columns:
            self.db.execute("ALTER TABLE urls ADD COLUMN same_as TEXT")
            # Documents stored twice before (a redirect chain, a second link): one is kept.
            for url, doc in self.db.execute(_EARLIER_COPY).fetchall():
                self.mark_same_as(url, doc)

    def close(self) -> None:
        self.commit()
        self.db.close()

    def begin(self) -> None:
        """Group the following writes into one transaction, ended by commit(): one commit per
        group instead of one per write; a process killed meanwhile loses only the group."""
        if not self.db.in_transaction:
            self.db.execute("BEGIN")

    def commit(self) -> None:
        """Make the grouped writes durable (a no-op outside begin())."""
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    def __enter__(self) -> CrawlState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM urls WHERE url = ?", (url,)).fetchone()

    def discover(
        self,
        url: str,
        site: str,
        kind: str,
        parent_url: str | None = None,
        title: str | None = None,
    ) -> bool:
        """Record a URL as seen; True when it is new. Keeps a known URL's history intact."""
        cur = self.db.execute(
            "INSERT INTO urls (url, site, kind, parent_url, title, first_seen) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT(url) DO NOTHING",
            (url, site, kind, parent_url, title, now_iso()),
        )
        if cur.rowcount:
            return True
        if title is not None:
            self.db.execute("UPDATE urls SET title = ? WHERE url = ?", (title, url))
        return False

    def record_fetch(
        self,
        url: str,
        *,
        status: str,
        http_status: int | None = None,
        sha256: str | None = None,
        content_type: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        error: str | None = None,
        count_try: bool = True,
    ) -> None:
        """Record the outcome of one fetch. A 304 or failure keeps the previous sha256.
        `count_try=False` for a URL not even requested (its host was skipped for the run)."""
        ts = now_iso()
        fetched = ts if count_try else None
        self.db.execute(
            """UPDATE urls SET
                 status = ?, http_status = ?, last_error = ?, tries = tries + ?,
                 last_fetched = COALESCE(?, last_fetched),
                 first_fetched = COALESCE(first_fetched, ?),
                 changed_at = CASE WHEN ? IS NOT NULL AND ? IS NOT sha256 THEN ? ELSE changed_at END,
                 sha256 = COALESCE(?, sha256),
                 content_type = COALESCE(?, content_type),
                 etag = COALESCE(?, etag),
                 last_modified = COALESCE(?, last_modified)
               WHERE url = ?""",
            (
                status, http_status, error, int(count_try), fetched, fetched,
                sha256, sha256, ts,
                sha256, content_type, etag, last_modified, url,
            ),
        )  # fmt: skip

    def same_document(self, url: str, site: str, kind: str, sha256: str) -> str | None:
        """Another URL of the site holding these very bytes as a document of this kind."""
        row = self.db.execute(
            # By the sha256 index: without statistics SQLite picks (site, kind) and reads every
            # document of the site for every document stored (quadratic in a backfill).
            "SELECT url FROM urls INDEXED BY urls_sha256 WHERE sha256 = ? AND site = ? AND kind = ?"
            " AND url != ? AND same_as IS NULL ORDER BY first_seen, rowid LIMIT 1",
            (sha256, site, kind, url),
        ).fetchone()
        return row[0] if row else None

    def mark_same_as(self, url: str, document: str) -> None:
        """`url` is another address of the document kept under `document` (a redirect to it, a
        stub moving on to it, a copy of its bytes): one document, under one URL. What pointed
        at `url` (aliases, attachments) now points at `document`."""
        if url == document:
            return
        self.db.execute("UPDATE urls SET same_as = NULL WHERE url = ?", (document,))
        self.db.execute(
            "UPDATE urls SET same_as = ? WHERE url = ? OR same_as = ?", (document, url, url)
        )
        self.db.execute(
            "UPDATE urls SET parent_url = ? WHERE parent_url = ? AND kind = 'attachment'",
            (document, url),
        )

    def record_finding(
        self, url: str, site: str, code: str, severity: str, message: str,
        expected: int | None = None, found: int | None = None,
    ) -> None:  # fmt: skip
        """Keep the latest finding of this code about this page (replacing an older one)."""
        self.db.execute(
            "INSERT INTO findings (url, site, code, severity, message, expected, found, recorded)"
            " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(url, code) DO UPDATE SET"
            " severity=excluded.severity, message=excluded.message, expected=excluded.expected,"
            " found=excluded.found, recorded=excluded.recorded",
            (url, site, code, severity, message, expected, found, now_iso()),
        )

    def clear_finding(self, url: str, code: str) -> None:
        """The page no longer shows what the finding said."""
        self.db.execute("DELETE FROM findings WHERE url = ? AND code = ?", (url, code))

    def findings(self, site: str | None = None) -> list[sqlite3.Row]:
        """The crawl's findings (of every site, or one), by site and page."""
        params: tuple[str, ...]
        sql, params = "SELECT * FROM findings", ()
        if site is not None:
            sql, params = sql + " WHERE site = ?", (site,)
        return self.db.execute(sql + " ORDER BY site, url, code", params).fetchall()

    def quarantine(self, url: str, site: str, signal: str, code: str, message: str) -> None:
        """`url` killed the crawl process while it was read: later crawls store its bytes but do
        not read them for links (while they are the same bytes), and a finding says so."""
        row = self.get(url)
        self.db.execute(
            "INSERT INTO quarantine (url, site, sha256, signal, recorded) VALUES (?,?,?,?,?)"
            " ON CONFLICT(url) DO UPDATE SET sha256=excluded.sha256, signal=excluded.signal,"
            " recorded=excluded.recorded",
            (url, site, row["sha256"] if row is not None else None, signal, now_iso()),
        )
        self.record_finding(url, site, code, severity_of(code), message)

    def quarantined(self) -> dict[str, str | None]:
        """URL -> the sha256 of the bytes whose reading killed the crawl (None: not known)."""
        rows = self.db.execute("SELECT url, sha256 FROM quarantine").fetchall()
        return {r["url"]: r["sha256"] for r in rows}

    def pin_quarantine(self, url: str, sha256: str) -> None:
        """The bytes of a quarantined page, unknown when it crashed, are these."""
        self.db.execute("UPDATE quarantine SET sha256 = ? WHERE url = ?", (sha256, url))

    def release(self, url: str, code: str) -> None:
        """`url` now holds other bytes, read without harm: it is no longer quarantined."""
        self.db.execute("DELETE FROM quarantine WHERE url = ?", (url,))
        self.clear_finding(url, code)

    def due_for_revalidation(self, site: str, days: int, most: int) -> list[sqlite3.Row]:
        """A night's share of a site's stored documents to fetch again: those checked longest
        ago, none checked within `days`; the share is 1/`days` of them (at least 1, at most
        `most`), so revalidating costs about the same every night."""
        if days <= 0 or most <= 0:
            return []
        where = (
            "site = ? AND kind IN ('report', 'attachment') AND sha256 IS NOT NULL"
            " AND same_as IS NULL"
        )
        (stored,) = self.db.execute(f"SELECT COUNT(*) FROM urls WHERE {where}", (site,)).fetchone()
        share = min(most, max(1, -(-stored // days)))
        before = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
        return self.db.execute(
            f"SELECT url, kind, parent_url, title FROM urls WHERE {where}"
            " AND COALESCE(last_fetched, first_seen) <= ? ORDER BY last_fetched, rowid LIMIT ?",
            (site, before, share),
        ).fetchall()

    def forget(self, url: str) -> None:
        """Drop a URL that was only a guess (a static page probed for and not there)."""
        self.db.execute("DELETE FROM urls WHERE url = ? AND sha256 IS NULL", (url,))

    def upsert_site(self, site_id: str, entry: dict[str, object]) -> None:
        """Remember a site's metadata as configured at the last crawl (datasets read it)."""
        cols = ("agency", "agency_kind", "province", "city", "county", "level")
        self.db.execute(
            "INSERT INTO sites (id, agency, agency_kind, province, city, county, level, entry)"
            " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET agency=excluded.agency,"
            " agency_kind=excluded.agency_kind, province=excluded.province, city=excluded.city,"
            " county=excluded.county, level=excluded.level, entry=excluded.entry",
            (site_id, *(entry.get(c) for c in cols), json.dumps(entry, ensure_ascii=False)),
        )

    def sites(self) -> dict[str, dict[str, object]]:
        """Site id -> its metadata columns, as recorded by the last crawl."""
        rows = self.db.execute("SELECT * FROM sites ORDER BY id").fetchall()
        return {r["id"]: {k: r[k] for k in r.keys() if k != "entry"} for r in rows}  # noqa: SIM118

    def unfinished(self, site: str, max_tries: int) -> list[sqlite3.Row]:
        """URLs of a site still to fetch: never fetched, or failed/blocked fewer than max_tries times."""
        return self.db.execute(
            "SELECT url, kind, parent_url, title FROM urls WHERE site = ? AND (status = 'pending'"
            " OR (status IN ('failed', 'blocked', 'robots') AND sha256 IS NULL AND tries < ?))"
            " ORDER BY first_seen, rowid",
            (site, max_tries),
        ).fetchall()

    def rename_url(self, url: str, new_url: str) -> None:
        """Move a URL's row to `new_url` (the same page on the scheme that works); a row already
        there wins and the old one is dropped."""
        if url == new_url:
            return
        if self.get(new_url) is not None:
            self.db.execute("DELETE FROM urls WHERE url = ?", (url,))
        else:
            self.db.execute("UPDATE urls SET url = ? WHERE url = ?", (new_url, url))

    def scheme_swaps(self) -> dict[str, str]:
        """origin -> the origin on the other scheme to use instead, as learned by past crawls."""
        rows = self.db.execute("SELECT origin, use_origin FROM scheme_swaps").fetchall()
        return {r["origin"]: r["use_origin"] for r in rows}

    def record_scheme_swap(self, origin: str, use_origin: str) -> None:
        """Remember that `origin` gave no answer and `use_origin` did (replaces the reverse)."""
        self.db.execute("DELETE FROM scheme_swaps WHERE origin = ?", (use_origin,))
        self.db.execute(
            "INSERT INTO scheme_swaps (origin, use_origin, learned) VALUES (?,?,?)"
            " ON CONFLICT(origin) DO UPDATE SET use_origin = excluded.use_origin,"
            " learned = excluded.learned",
            (origin, use_origin, now_iso()),
        )

    def start_run(self) -> int:
        """Open a row in `runs` for this crawl; its id. Runs left 'running' were killed."""
        self.db.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        cur = self.db.execute(
            "INSERT INTO runs (started, status) VALUES (?, 'running')", (now_iso(),)
        )
        return int(cur.lastrowid or 0)

    def crashed_run(self, signal: str) -> None:
        """The run left 'running' died from `signal` (the supervisor saw it: crawl/supervise.py)."""
        self.db.execute(
            "UPDATE runs SET finished = ?, status = 'crashed', summary = ? WHERE status = 'running'",
            (now_iso(), json.dumps({"signal": signal})),
        )

    def finish_run(self, run_id: int, status: str, summary: dict[str, object]) -> None:
        """Close a run: ok | partial | failed | interrupted, with its summary as JSON."""
        self.db.execute(
            "UPDATE runs SET finished = ?, status = ?, summary = ? WHERE id = ?",
            (now_iso(), status, json.dumps(summary, ensure_ascii=False), run_id),
        )

    def documents(self, site: str | None = None) -> Iterator[StoredDocument]:
        """Every report page and attachment with stored bytes, in a stable order."""
        sql = (
            "SELECT url, site, kind, sha256, content_type, title, parent_url, first_seen,"
            " first_fetched, last_fetched, changed_at FROM urls"
            " WHERE kind IN ('report', 'attachment') AND sha256 IS NOT NULL AND same_as IS NULL"
        )
        params: tuple[str, ...] = ()
        if site is not None:
            sql += " AND site = ?"
            params = (site,)
        for row in self.db.execute(sql + " ORDER BY url", params):
            yield StoredDocument(**dict(row))
