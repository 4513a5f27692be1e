"""Parsed rows on their way to the datasets: written per batch into per-year staging files, then
merged, in report_id order, with the rows kept from the previous build.

Nothing here holds more than a few batches in memory: batches arrive (from this process, a pool
or a cluster, in any order), wait in a small reorder buffer until their turn, and are appended to
one staging file per (dataset, year). Because units are planned in report_id order, the staging
file of a partition is sorted by report_id, and merging it with the previous build's (sorted)
partition is a streaming merge.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from govscrape.datasets.manifest_reports import EntryWriter, read_entries
from govscrape.datasets.partfile import (
    partition_name,
    partition_year,
    plain_schema,
    read_batches,
)
from govscrape.datasets.schema import REPORT_DATASETS

Batch = dict[str, pa.Table]
IDS = "ids.parquet"  # the staged reports' ids and years, in order
IDS_SCHEMA = pa.schema(
    [pa.field("report_id", pa.string(), nullable=False), ("year", pa.int16())]
)  # dataset -> plain rows of a batch of reports


class Sink(Protocol):
    """Where parsed batches go (Staging): `add` them by number; `waiting` are those that
    arrived before their turn (held in memory, so parsers look at it to stay bounded)."""

    waiting: dict

    def add(self, index: int, batch: Batch) -> None: ...


# Rows a staging file gathers before it writes a row group: few row groups (their metadata stays
# in memory until the file is closed, so one per batch would grow with the corpus), small buffers.
STAGE_ROWS = {"sections": 2_048, "reports": 4_096}
DEFAULT_STAGE_ROWS = 16_384


class Staging:
    """Per-(dataset, year) staging files in `folder`, appended to in batch order."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.writers: dict[tuple[str, int | None], pq.ParquetWriter] = {}
        self.buffers: dict[tuple[str, int | None], list[pa.Table]] = {}
        self.waiting: dict[int, Batch] = {}
        self.next = 0
        self.ids = EntryWriter(self.folder / IDS, IDS_SCHEMA)  # (report_id, year) as staged
        self.years: set[int | None] = set()  # the years staged

    def add(self, index: int, batch: Batch) -> None:
        """Take batch number `index`; write it (and any waiting successors) when its turn comes."""
        self.waiting[index] = batch
        while self.next in self.waiting:
            self._write(self.waiting.pop(self.next))
            self.next += 1

    def _write(self, batch: Batch) -> None:
        reports = sort_by_report(batch["reports"])
        ids, years = reports.column("report_id").to_pylist(), reports.column("year").to_pylist()
        for report_id, year in zip(ids, years, strict=True):
            self.ids.add(report_id, year)  # raises unless batches come in report_id order
        self.years.update(years)
        for dataset in REPORT_DATASETS:
            table = sort_by_report(batch[dataset])
            for year, part in split_by_year(table):
                buffer = self.buffers.setdefault((dataset, year), [])
                buffer.append(part)
                if sum(len(t) for t in buffer) >= STAGE_ROWS.get(dataset, DEFAULT_STAGE_ROWS):
                    self._flush(dataset, year)

    def _flush(self, dataset: str, year: int | None) -> None:
        buffer = self.buffers.pop((dataset, year), [])
        if buffer:
            self._writer(dataset, year).write_table(pa.concat_tables(buffer))

    def _writer(self, dataset: str, year: int | None) -> pq.ParquetWriter:
        key = (dataset, year)
        if key not in self.writers:
            path = self.path(dataset, year)
            path.parent.mkdir(parents=True, exist_ok=True)
            # lz4: staging files are read once, soon; speed matters more than size. No
            # statistics: nothing filters on them, and their metadata would stay in memory.
            self.writers[key] = pq.ParquetWriter(
                path, plain_schema(dataset), compression="lz4", write_statistics=False
            )
        return self.writers[key]

    def path(self, dataset: str, year: int | None) -> Path:
        return self.folder / dataset / partition_name(year)

    def close(self) -> None:
        if self.waiting:
            raise RuntimeError(f"batches {sorted(self.waiting)} arrived, batch {self.next} never")
        for dataset, year in list(self.buffers):
            self._flush(dataset, year)
        for writer in self.writers.values():
            writer.close()
        self.ids.close()

    def staged(self) -> Iterator[tuple]:
        """(report_id, year) of every staged report, in report_id order."""
        return read_entries(self.folder / IDS)

    def partitions(self, dataset: str) -> set[int | None]:
        """The years staged for a dataset."""
        folder = self.folder / dataset
        return (
            {partition_year(p.name) for p in folder.glob("*.parquet")} if folder.is_dir() else set()
        )

    def rows(self, dataset: str, year: int | None) -> Iterator[pa.Table]:
        """The staged rows of a partition, in report_id order, as chunks."""
        path = self.path(dataset, year)
        if not path.exists():
            return
        for batch in read_batches(path):
            yield pa.Table.from_batches([batch])


def sort_by_report(table: pa.Table) -> pa.Table:
    """Rows sorted by report_id, stable (a report's rows keep their order)."""
    return table.take(pc.sort_indices(table, sort_keys=[("report_id", "ascending")]))


def split_by_year(table: pa.Table) -> Iterator[tuple[int | None, pa.Table]]:
    """(year, rows) for each year in the table, in year order, nulls (unknown) last."""
    if not len(table):
        return
    years = table.column("year")
    for year in sorted(set(years.to_pylist()), key=lambda y: (y is None, y or 0)):
        mask = pc.is_null(years) if year is None else pc.equal(years, year)
        yield year, table.filter(mask)


def merge_by_report(sources: list[Iterator[pa.Table]]) -> Iterator[pa.Table]:
    """Merge chunk streams each sorted by report_id into one sorted stream; rows of equal
    report_id keep the order of their sources (then their order within it).

    The output row sequence does not depend on how the sources are chunked: before rows up to
    a bound are taken, each source's head is extended past the bound, so all of a report's rows
    in a source are taken together.
    """
    heads = [_next(source) for source in sources]
    while any(head is not None for head in heads):
        bound = min(_last(head) for head in heads if head is not None)
        parts = []
        for i, source in enumerate(sources):
            head = heads[i]
            while head is not None and _last(head) == bound:
                more = _next(source)
                if more is None:
                    break
                head = pa.concat_tables([head, more])
            if head is None:
                continue
            n = pc.sum(pc.less_equal(head.column("report_id"), bound)).as_py() or 0
            parts.append(head.slice(0, n))
            heads[i] = head.slice(n) if n < len(head) else _next(source)
        yield sort_by_report(pa.concat_tables(parts))


def _last(table: pa.Table) -> str:
    return table.column("report_id")[-1].as_py()


def _next(source: Iterator[pa.Table]) -> pa.Table | None:
    for chunk in source:
        if len(chunk):
            return chunk
    return None
