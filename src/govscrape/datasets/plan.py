"""Plan a build from the crawl state: one unit per report, fingerprinted to tell what changed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from govscrape.crawl.state import CrawlState, StoredDocument
from govscrape.datasets.parsing import MissingDoc, ReportUnit, SourceDoc
from govscrape.datasets.rows import report_id_for, utc_time
from govscrape.errors import InputError

FORMAT_VERSION = 3  # bump when the meaning of stored rows changes: forces a full rebuild
# The code a report's rows depend on: when any of it changes, every report is parsed again.
# (How units are planned needs no entry: a unit's contents are part of its key.)
PARSE_INPUTS = (
    "parse",
    "extract",
    "template.py",
    "labels.py",
    "agencies.py",
    "findings.py",
    "model.py",
    "document.py",
    "encoding.py",
    "datasets/schema.py",
    "datasets/rows.py",
    "datasets/agencies.py",
    "datasets/parsing.py",
)
# The code that turns kept and new rows into the datasets (files in govscrape/datasets/).
ASSEMBLY_INPUTS = (
    "build.py",
    "assemble.py",
    "crossreport.py",
    "store.py",
    "partfile.py",
    "staging.py",
    "agencies.py",
    "crossfacts.py",
    "pandas_meta.py",
)
# Attachments the crawl found but holds no bytes of, with why, under the stored report pages.
MISSING_ATTACHMENTS = (
    "SELECT url, parent_url, status, http_status, last_error FROM urls"
    " WHERE kind = 'attachment' AND sha256 IS NULL AND parent_url IS NOT NULL ORDER BY url"
)


def require_crawl_state(data_dir: Path) -> Path:
    """The crawl state's path, or an InputError saying to crawl first (nothing is created)."""
    path = Path(data_dir) / "state.sqlite"
    if not path.is_file():
        raise InputError(f"{data_dir} has no crawl state (state.sqlite): run govscrape crawl first")
    return path


def plan_units(data_dir: Path) -> tuple[list[ReportUnit], dict[str, datetime]]:
    """One unit per report page (with its attachments; an orphan attachment is its own
    report), and when the crawler first looked at each site."""
    with CrawlState(require_crawl_state(data_dir)) as state:
        docs = list(state.documents())
        sites = state.sites()
        since = state.db.execute("SELECT site, MIN(first_seen) FROM urls GROUP BY site").fetchall()
        missing_rows = state.db.execute(MISSING_ATTACHMENTS).fetchall()
    pages = {d.url: d for d in docs if d.kind == "report"}
    attachments: dict[str, list[StoredDocument]] = {url: [] for url in pages}
    orphans = []
    for doc in docs:
        if doc.kind == "attachment" and doc.parent_url in pages:
            attachments[doc.parent_url].append(doc)
        elif doc.kind == "attachment":
            orphans.append(doc)
    missing: dict[str, list[MissingDoc]] = {url: [] for url in pages}
    for url, parent, status, http_status, error in missing_rows:
        if parent in missing:
            missing[parent].append(MissingDoc(url, status, http_status, error))
    units = [_unit(p, attachments[p.url], sites, missing[p.url]) for p in pages.values()]
    units += [_unit(doc, [], sites) for doc in orphans]
    site_since = {site: moment for site, first in since if first and (moment := utc_time(first))}
    return sorted(units, key=lambda u: u.report_id), site_since  # the datasets' row order


def plan_sources(
    crawl_dirs: list[Path],
) -> tuple[list[ReportUnit], dict[str, datetime], dict[str, dict[str, object]]]:
    """plan_units over several crawl folders (shards): their units, sites and first looks as
    one. A report in more than one folder (a site moved between shards) is taken from the
    folder that fetched it last."""
    units: dict[str, ReportUnit] = {}
    since: dict[str, datetime] = {}
    sites: dict[str, dict[str, object]] = {}
    for folder in crawl_dirs:
        found, first = plan_units(folder)
        for unit in found:
            have = units.get(unit.report_id)
            if have is None or (unit.page.fetched_at or "") > (have.page.fetched_at or ""):
                units[unit.report_id] = unit
        for site, moment in first.items():
            since[site] = min(since.get(site, moment), moment)
        sites.update(site_records(folder))
    return sorted(units.values(), key=lambda u: u.report_id), since, sites


def site_records(data_dir: Path) -> dict[str, dict[str, object]]:
    """Site id -> its configured agency, kind and region, as the last crawl recorded them."""
    with CrawlState(require_crawl_state(data_dir)) as state:
        return state.sites()


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


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha1 over the source of the parser and the row conversion."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1(str(FORMAT_VERSION).encode())
    for name in PARSE_INPUTS:
        path = package / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if file.exists():
                digest.update(file.relative_to(package).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def assembly_fingerprint() -> str:
    """sha1 over the code that assembles kept rows (cross-report rules, writing): when it
    changes, the datasets are rewritten, though no report is parsed again."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha1(str(FORMAT_VERSION).encode())
    for name in ASSEMBLY_INPUTS:
        digest.update(name.encode())
        digest.update((package / name).read_bytes())
    return digest.hexdigest()
