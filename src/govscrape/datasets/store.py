"""Parquet on disk: a new build folder per build, swapped in atomically.

Layout of a data folder:

    parquet -> .parquet-builds/<build>     a symlink, replaced atomically (rename) by each build
    .parquet-builds/<build>/<dataset>/2020.parquet   one file per statistical year (see partfile)
    .parquet-builds/<build>/<dataset>/unknown.parquet  reports whose year is unknown
    .parquet-builds/<build>/agencies/all.parquet   a derived dataset: one file, no year
    .parquet-builds/<build>/_manifest.json  what the build was made from (datasets/manifest.py)
    .parquet-builds/<build>/_manifest_reports.parquet  each report's key and year

Readers always see one complete build: a build writes a whole new folder aside (unchanged
partition files hard-linked from the previous build) and only then renames a new symlink over
`parquet`, so a run killed midway leaves the previous datasets readable and intact (its
half-written folder is removed by the next build).
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from govscrape.crawl.storage import is_url
from govscrape.datasets.manifest import LINK, write_header
from govscrape.datasets.manifest_reports import REPORTS
from govscrape.datasets.partfile import fsync, plain_schema
from govscrape.datasets.remote import dataset_files
from govscrape.datasets.schema import DATASETS, REPORT_DATASETS, file_schema, schema

if TYPE_CHECKING:
    import pyarrow.dataset as ds

BUILDS = ".parquet-builds"
STAGING = ".staging"  # inside a build folder while it is being written


def to_tables(rows: dict[str, dict[str, list]]) -> dict[str, pa.Table]:
    """Column lists (datasets.rows.Rows) as Arrow tables in the plain schema (the datasets
    built from each report's rows; the derived ones are computed when assembling)."""
    return {
        name: pa.Table.from_pydict(rows[name], schema=plain_schema(name))
        for name in REPORT_DATASETS
    }


def dataset_path(data_dir: Path, dataset: str) -> Path:
    """Folder of one dataset inside the current build (through the `parquet` symlink)."""
    return Path(data_dir) / LINK / dataset


def is_built(data: Path | str, dataset: str) -> bool:
    """True when the current build at `data` (a folder or a URL) has `dataset`."""
    if is_url(data):
        return dataset_files(str(data), dataset) is not None
    return dataset_path(Path(data), dataset).is_dir()


def open_dataset(data_dir: Path | str, dataset: str) -> ds.Dataset:
    """A pyarrow dataset over the current build (in a folder, or at a URL through fsspec);
    FileNotFoundError when none is built."""
    import pyarrow.dataset as ds  # here, not above: parse workers need no pandas (it imports it)

    if is_url(data_dir):
        found = dataset_files(str(data_dir), dataset)
        if found is None:
            raise FileNotFoundError(f"{data_dir}: no {dataset} dataset published")
        fs, paths = found
        return ds.dataset(paths, schema=file_schema(dataset), format="parquet", filesystem=fs)
    path = dataset_path(Path(data_dir), dataset)
    if not path.is_dir():
        raise FileNotFoundError(path)
    files = sorted(str(p) for p in path.glob("*.parquet"))
    return ds.dataset(files, schema=file_schema(dataset), format="parquet")


def read_table(
    data_dir: Path | str,
    dataset: str,
    filter: ds.Expression | None = None,
    plain: bool = False,
    columns: list[str] | None = None,
) -> pa.Table:
    """A dataset (or some of its columns) as one Arrow table in schema order."""
    table = open_dataset(data_dir, dataset).to_table(filter=filter, columns=columns)
    target = plain_schema(dataset) if plain else schema(dataset)
    if columns is not None:
        target = pa.schema([target.field(c) for c in columns], metadata=target.metadata)
    return table.select(target.names).cast(target)


def current_build(data_dir: Path) -> Path | None:
    """The build folder `parquet` points at, or None."""
    link = Path(data_dir) / LINK
    return link.resolve() if link.is_dir() else None


def new_build(data_dir: Path) -> Path:
    """A fresh, empty build folder beside the current one."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    build = Path(data_dir) / BUILDS / f"{stamp}-{os.getpid()}"
    build.mkdir(parents=True)
    return build


def finish_build(data_dir: Path, build: Path, header: dict) -> None:
    """Seal a written build folder (manifest, fsync) and swap it in; older builds go."""
    shutil.rmtree(build / STAGING, ignore_errors=True)
    if (build / REPORTS).exists():
        fsync(build / REPORTS)
    write_header(build, header)  # last: a build folder with a header is complete
    for name in DATASETS:  # the files are synced as written (partfile); their folders here
        fsync(build / name)
    fsync(build)
    swap_link(data_dir, build)
    remove_other_builds(data_dir, keep=build)


def swap_link(data_dir: Path, build: Path) -> None:
    """Point `parquet` at `build` with one atomic rename of a fresh symlink."""
    link = data_dir / LINK
    if link.is_dir() and not link.is_symlink():  # a plain folder from elsewhere: keep it aside
        link.rename(data_dir / BUILDS / f"moved-aside-{datetime.now(UTC):%Y%m%dT%H%M%S}")
    tmp = data_dir / f".{LINK}.tmp-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(Path(BUILDS) / build.name, target_is_directory=True)
    os.replace(tmp, link)
    fsync(data_dir)


def remove_other_builds(data_dir: Path, keep: Path) -> None:
    """Delete older builds and half-written ones left by killed runs."""
    for folder in (data_dir / BUILDS).iterdir():
        if folder.name != keep.name and not folder.name.startswith("moved-aside-"):
            shutil.rmtree(folder, ignore_errors=True)
