"""Parquet on disk: hive-partitioned writes into a new build folder, swapped in atomically.

Layout of a data folder:

    parquet -> .parquet-builds/<build>     a symlink, replaced atomically (rename) by each build
    .parquet-builds/<build>/<dataset>/year=2020/part-0.parquet
    .parquet-builds/<build>/agencies/part-0.parquet   a derived dataset: one file, no year
    .parquet-builds/<build>/_manifest.json  what each report's rows were built from

Readers always see one complete build: a build writes a whole new folder aside and only then
renames a new symlink over `parquet`, so a run killed midway leaves the previous datasets
readable and intact (its half-written folder is removed by the next build).
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from govscrape.datasets.schema import (
    COLUMNS,
    DATASETS,
    DERIVED,
    REPORT_DATASETS,
    UNKNOWN_YEAR,
    YEAR,
    file_schema,
    schema,
)

if TYPE_CHECKING:
    import pyarrow.dataset as ds

BUILDS = ".parquet-builds"
LINK = "parquet"
MANIFEST = "_manifest.json"
PART = "part-0.parquet"


def plain_schema(dataset: str) -> pa.Schema:
    """A dataset's schema with code columns as plain strings: the form rows are assembled in."""
    fields = [
        pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type) else f
        for f in schema(dataset)
    ]
    return pa.schema(fields)


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


def open_dataset(data_dir: Path, dataset: str) -> ds.Dataset:
    """A pyarrow dataset over the current build; FileNotFoundError when none is built."""
    import pyarrow.dataset as ds  # here, not above: parse workers need no pandas (it imports it)

    path = dataset_path(data_dir, dataset)
    if not path.is_dir():
        raise FileNotFoundError(path)
    if dataset in DERIVED:
        return ds.dataset(path, format="parquet")
    partitioning = ds.partitioning(pa.schema([("year", YEAR)]), flavor="hive")
    return ds.dataset(path, format="parquet", partitioning=partitioning)


def read_table(
    data_dir: Path, dataset: str, filter: ds.Expression | None = None, plain: bool = False
) -> pa.Table:
    """A dataset as one Arrow table in schema order, `year` 0 (unknown) read back as null."""
    table = open_dataset(data_dir, dataset).to_table(filter=filter)
    target = plain_schema(dataset) if plain else schema(dataset)
    if dataset in DERIVED:
        return table.select(target.names).cast(target)
    year = table.column("year")
    table = table.set_column(
        table.schema.get_field_index("year"),
        "year",
        pc.if_else(pc.equal(year, UNKNOWN_YEAR), pa.scalar(None, YEAR), year),
    )
    return table.select(target.names).cast(target)


def read_manifest(data_dir: Path) -> dict:
    """The manifest of the current build, or {} when there is none (or it is unreadable)."""
    try:
        return json.loads((Path(data_dir) / LINK / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def write_build(data_dir: Path, tables: dict[str, pa.Table], manifest: dict) -> Path:
    """Write every dataset into a new build folder and swap it in; returns the folder."""
    data_dir = Path(data_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    build = data_dir / BUILDS / f"{stamp}-{os.getpid()}"
    build.mkdir(parents=True)
    for name in DATASETS:
        write_dataset(build / name, name, tables[name])
    _write_synced(build / MANIFEST, json.dumps(manifest, sort_keys=True, indent=1).encode())
    _fsync(build)
    swap_link(data_dir, build)
    remove_other_builds(data_dir, keep=build)
    return build


def write_dataset(folder: Path, dataset: str, table: pa.Table) -> None:
    """One dataset, one file per statistical year (`year=0` for unknown; an empty dataset
    still gets one empty file so that every reader sees its columns); a derived dataset is one
    file."""
    if dataset in DERIVED:
        _write_part(folder / PART, dataset, table)
        _fsync(folder)
        return
    years = pc.fill_null(table.column("year"), UNKNOWN_YEAR)
    table = table.set_column(table.schema.get_field_index("year"), "year", years)
    values = sorted(set(years.to_pylist())) or [UNKNOWN_YEAR]
    for year in values:
        part = table.filter(pc.equal(table.column("year"), year)) if len(table) else table
        _write_part(folder / f"year={year}" / PART, dataset, part)
    _fsync(folder)


def _write_part(target: Path, dataset: str, table: pa.Table) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(_encode(dataset, table), target, compression="zstd")
    _fsync(target)
    _fsync(target.parent)


def _encode(dataset: str, table: pa.Table) -> pa.Table:
    """Drop the partition key and dictionary-encode the code columns, in a stable order."""
    columns = []
    for column in COLUMNS[dataset]:
        values = table.column(column.name)
        if pa.types.is_dictionary(column.type):
            values = pc.dictionary_encode(values)
        columns.append(values)
    return pa.Table.from_arrays(columns, schema=file_schema(dataset))


def swap_link(data_dir: Path, build: Path) -> None:
    """Point `parquet` at `build` with one atomic rename of a fresh symlink."""
    link = data_dir / LINK
    if link.is_dir() and not link.is_symlink():  # a plain folder from elsewhere: keep it aside
        link.rename(data_dir / BUILDS / f"moved-aside-{datetime.now(UTC):%Y%m%dT%H%M%S}")
    tmp = data_dir / f".{LINK}.tmp-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(Path(BUILDS) / build.name, target_is_directory=True)
    os.replace(tmp, link)
    _fsync(data_dir)


def remove_other_builds(data_dir: Path, keep: Path) -> None:
    """Delete older builds and half-written ones left by killed runs."""
    for folder in (data_dir / BUILDS).iterdir():
        if folder.name != keep.name and not folder.name.startswith("moved-aside-"):
            shutil.rmtree(folder, ignore_errors=True)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
