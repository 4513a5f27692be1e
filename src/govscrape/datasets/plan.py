"""Plan a build from the crawl state: one unit per report, streamed in report_id order and
fingerprinted to tell what changed."""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from pathlib import Path

from govscrape.crawl.state import CrawlState, StoredDocument
from govscrape.datasets.fingerprint import code_fingerprint
from govscrape.datasets.parsing import MissingDoc, ReportUnit, SourceDoc
from govscrape.datasets.rows import report_id_for, utc_time
from govscrape.errors import InputError

# One folder's stored documents with the report each belongs to (`owner`: a report page, or
# the page an attachment hangs on, or an orphan attachment itself), then the attachments the
# crawl found under a stored page but holds no bytes of. Sorted by report id (the datasets' row
# order) by SQLite's own sorter, which spills to temporary files: memory stays flat however many
# documents there are. report_id() is datasets.rows.report_id_for, registered on the connection.
_STORED = "kind IN ('report', 'attachment') AND sha256 IS NOT NULL AND same_as IS NULL"
_IS_PAGE = (
    "EXISTS (SELECT 1 FROM urls AS p WHERE p.url = {parent} AND p.kind = 'report'"
    " AND p.sha256 IS NOT NULL AND p.same_as IS NULL)"
)
PLAN_QUERY = f"""
SELECT report_id(owner) AS rid, owner, part, url, site, kind, sha256, content_type, title,
       first_seen, first_fetched, changed_at, status, http_status, last_error
FROM (
  SELECT url AS owner, 0 AS part, * FROM urls WHERE {_STORED} AND kind = 'report'
  UNION ALL
  SELECT CASE WHEN {_IS_PAGE.format(parent="a.parent_url")} THEN a.parent_url ELSE a.url END,
         1, a.* FROM urls AS a WHERE {_STORED} AND a.kind = 'attachment'
  UNION ALL
  SELECT m.parent_url, 2, m.* FROM urls AS m
  WHERE m.kind = 'attachment' AND m.sha256 IS NULL AND m.parent_url IS NOT NULL
    AND {_IS_PAGE.format(parent="m.parent_url")}
)
ORDER BY rid, owner, part, url
"""
PLAN_FIELDS = ("rid", "owner", "part", "url", "site", "kind", "sha256", "content_type", "title",
               "first_seen", "first_fetched", "changed_at", "status", "http_status", "last_error")  # fmt: skip
# Rows SQLite's sorter keeps in memory before it spills (pages of its cache): a few MB.
SORT_CACHE_KIB = 16_384


def require_crawl_state(data_dir: Path) -> Path:
    """The crawl state's path, or an InputError saying to crawl first (nothing is created)."""
    path = Path(data_dir) / "state.sqlite"
    if not path.is_file():
        raise InputError(f"{data_dir} has no crawl state (state.sqlite): run govscrape crawl first")
    return path


@dataclass
class FolderFacts:
    """What a build needs of one crawl folder besides its units (all small: per site)."""

    state: tuple[str, int]  # the crawl state's id and change counter (crawl/state_changes.py)
    sites: dict[str, dict[str, object]]  # site id -> its configured agency, kind and region
    site_since: dict[str, datetime]  # site id -> when the crawler first looked at it


def folder_facts(data_dir: Path) -> FolderFacts:
    """The state's change counter first (a write after it is seen by the next build), then
    the sites and when the crawler first looked at each."""
    with CrawlState(require_crawl_state(data_dir)) as state:
        changes = state.changes()
        sites = state.sites()
        since = state.db.execute("SELECT site, MIN(first_seen) FROM urls GROUP BY site").fetchall()
    first = {site: moment for site, when in since if when and (moment := utc_time(when))}
    return FolderFacts(changes, sites, first)


def plan_units(data_dir: Path, sites: dict[str, dict[str, object]]) -> Iterator[ReportUnit]:
    """One unit per report page (with its attachments; an orphan attachment is its own report),
    in report_id order, streamed from the crawl state (one unit per report id: of two URLs
    naming one report, the one fetched last)."""
    with CrawlState(require_crawl_state(data_dir)) as state:
        state.db.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")
        state.db.create_function("report_id", 1, report_id_for, deterministic=True)
        cursor = state.db.execute(PLAN_QUERY)
        cursor.row_factory = None  # tuples: the rows are many
        rows = (dict(zip(PLAN_FIELDS, row, strict=True)) for row in cursor)
        for _, group in groupby(rows, key=lambda r: r["rid"]):
            yield _latest(_units_of(list(group), sites))


def _units_of(rows: list[dict], sites: dict[str, dict[str, object]]) -> list[ReportUnit]:
    units = []
    for _, owned in groupby(rows, key=lambda r: r["owner"]):
        page, *rest = list(owned)
        attached = [_document(r) for r in rest if r["part"] == 1]
        missing = [MissingDoc(r["url"], r["status"], r["http_status"], r["last_error"])
                   for r in rest if r["part"] == 2]  # fmt: skip
        units.append(_unit(_document(page), attached, sites, missing))
    return units


def _document(row: dict) -> StoredDocument:
    return StoredDocument(
        url=row["url"], site=row["site"], kind=row["kind"], sha256=row["sha256"],
        content_type=row["content_type"], title=row["title"], parent_url=None,
        first_seen=row["first_seen"], first_fetched=row["first_fetched"], last_fetched=None,
        changed_at=row["changed_at"],
    )  # fmt: skip


def _latest(units: list[ReportUnit]) -> ReportUnit:
    """Of units with one report id, the one fetched last (the first such in URL order)."""
    best = units[0]
    for unit in units[1:]:
        if (unit.page.fetched_at or "") > (best.page.fetched_at or ""):
            best = unit
    return best


def plan_sources(
    crawl_dirs: list[Path], sites: dict[str, dict[str, object]]
) -> Iterator[ReportUnit]:
    """plan_units over several crawl folders (shards) as one stream in report_id order. A report
    in more than one folder (a site moved between shards) is taken from the folder that fetched
    it last."""
    streams = [plan_units(folder, sites) for folder in crawl_dirs]
    merged = heapq.merge(*streams, key=lambda u: u.report_id)
    for _, same in groupby(merged, key=lambda u: u.report_id):
        yield _latest(list(same))


def sources_facts(crawl_dirs: list[Path]) -> tuple[list[FolderFacts], dict, dict[str, datetime]]:
    """Each folder's facts, and their sites and first looks as one (a later folder's site
    record wins; the earliest first look wins)."""
    facts = [folder_facts(folder) for folder in crawl_dirs]
    sites: dict[str, dict[str, object]] = {}
    since: dict[str, datetime] = {}
    for folder in facts:
        sites.update(folder.sites)
        for site, moment in folder.site_since.items():
            since[site] = min(since.get(site, moment), moment)
    return facts, sites, since


def sites_digest(sites: Mapping[str, Mapping[str, object]]) -> str:
    """sha1 of the site records (the agencies dataset lists sites that gave no report)."""
    blob = json.dumps(sites, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()


def _unit(
    page: StoredDocument,
    attached: list[StoredDocument],
    sites: dict,
    missing: list[MissingDoc] | None = None,
) -> ReportUnit:
    unit = ReportUnit(
        report_id=report_id_for(page.url),
        site=page.site,
        page=_source(page),
        attachments=tuple(_source(d) for d in sorted(attached, key=lambda d: d.url)),
        link_title=page.title,
        site_meta=dict(sites.get(page.site, {})),
        missing=tuple(missing or ()),
    )
    return dataclasses.replace(unit, key=unit_key(unit))


def _source(doc: StoredDocument) -> SourceDoc:
    fetched = doc.changed_at or doc.first_fetched  # when these bytes were first fetched
    return SourceDoc(doc.url, doc.sha256, doc.content_type, doc.first_seen, fetched)


def unit_key(unit: ReportUnit) -> str:
    """Fingerprint of everything a report's rows depend on: bytes, crawl facts, site, code.

    The JSON of dataclasses.asdict(unit), built field by field: asdict deep-copies every value
    and took half of a no-change night's planning."""
    facts = _fields(unit) | {"key": None, "code": code_fingerprint()}
    facts["page"] = _fields(unit.page)
    facts["attachments"] = [_fields(doc) for doc in unit.attachments]
    facts["missing"] = [_fields(doc) for doc in unit.missing]
    facts["site_meta"] = dict(unit.site_meta)
    blob = json.dumps(facts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()


def _fields(record: object) -> dict:
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}  # type: ignore[arg-type]
