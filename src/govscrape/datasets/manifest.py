"""The build manifest's header: what a build was made from, and the no-change check of a night.

A build folder holds `_manifest.json` (this header: the format, the code fingerprints, each
crawl folder's state id and change counter, a digest of the site records, the cross-report
digests and every file with its rows) and `_manifest_reports.parquet` (every report's key and
year, sorted by report id: datasets/manifest_reports.py, read and written as a stream).

A night with nothing new is decided from the header alone: when every crawl state still has the
change counter the header recorded (crawl/state_changes.py: SQLite triggers count every write a
build could see), the code is the same and the files are there, nothing can have changed, and
the build stops before it plans anything. Light on purpose: no pyarrow is imported for it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from govscrape.crawl import state_changes
from govscrape.datasets.fingerprint import FORMAT_VERSION, assembly_fingerprint, code_fingerprint

HEADER = "_manifest.json"
LINK = "parquet"  # the data folder's link to its current build (datasets/store.py)


def read_header(folder: Path | None) -> dict:
    """The header of a build folder, or {} when there is none (or it is unreadable)."""
    if folder is None:
        return {}
    try:
        header = json.loads((Path(folder) / HEADER).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return header if isinstance(header, dict) else {}


def write_header(folder: Path, header: dict) -> None:
    """Write (or replace) a build folder's header atomically and durably."""
    target = Path(folder) / HEADER
    tmp = target.with_name(f".{HEADER}.tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(json.dumps(header, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)


def sources_record(crawl_dirs: list[Path], states: list[tuple[str, int]]) -> list[list]:
    """[folder, state id, change counter] of each crawl folder, as the header keeps them."""
    return [[str(Path(d).resolve()), s[0], s[1]] for d, s in zip(crawl_dirs, states, strict=True)]


def current_states(crawl_dirs: list[Path]) -> list[tuple[str, int]] | None:
    """Each crawl state's (id, change counter), read-only; None when one has no counter yet."""
    states = []
    for folder in crawl_dirs:
        found = state_changes.read_file(Path(folder) / "state.sqlite")
        if found is None:
            return None
        states.append(found)
    return states


def same_code(header: dict) -> bool:
    """The header was written by this format, parser and assembling code."""
    return (
        header.get("format") == FORMAT_VERSION
        and header.get("code") == code_fingerprint()
        and header.get("assembly") == assembly_fingerprint()
    )


def files_present(folder: Path, header: dict) -> bool:
    """Every file the header names is in the build folder."""
    files = header.get("files", {})
    return all((folder / d / n).exists() for d, names in files.items() for n in names)


def up_to_date(data_dir: Path, crawl_dirs: list[Path]) -> dict | None:
    """The current build's header when nothing it was made from has changed since, else None.

    Milliseconds: one small JSON file, one row of each crawl state, the code fingerprints (the
    sources of the parser, read once), a stat of each file."""
    link = Path(data_dir) / LINK
    folder = link.resolve() if link.is_dir() else None
    header = read_header(folder)
    if folder is None or not header or not same_code(header):
        return None
    states = current_states(crawl_dirs)
    if states is None or header.get("sources") != sources_record(crawl_dirs, states):
        return None
    return header if files_present(folder, header) else None
