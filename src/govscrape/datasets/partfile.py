"""One partition file: a dataset's rows of one statistical year, written as a stream of fixed-size
row groups with code columns in the national format's order.

The bytes of a file depend only on the sequence of its rows, never on how they arrived (batch
sizes, workers, a cluster): a row group is cut every ROW_GROUP[dataset] rows, dictionaries are the
full code list (plus unknown codes, sorted), and no time stamp is written.
That is what makes a cluster build byte-identical to a one-process build.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from govscrape.datasets.schema import COLUMNS, UNKNOWN_YEAR, code_list, file_schema, schema

# Rows per row group: many, for readers and compression; fewer where rows carry long text, so
# that a writer's buffer stays small (memory flat in the corpus size).
ROW_GROUP = {"reports": 32_768, "sections": 8_192}
DEFAULT_ROW_GROUP = 131_072
READ_CHUNK = 65_536  # rows per record batch when an old file is read back


def partition_name(year: int | None) -> str:
    """The file name of a year's partition: `2020.parquet`, `unknown.parquet`."""
    return f"{UNKNOWN_YEAR if year is None else int(year)}.parquet"


def partition_year(name: str) -> int | None:
    """The year of a partition file name (inverse of partition_name)."""
    stem = name.removesuffix(".parquet")
    return None if stem == UNKNOWN_YEAR else int(stem)


def plain_schema(dataset: str) -> pa.Schema:
    """A dataset's schema with code columns as plain strings and every column nullable: the
    form rows are assembled and merged in."""
    fields = [
        pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type) else f.with_nullable(True)
        for f in schema(dataset)
    ]
    return pa.schema(fields)


def encode(dataset: str, table: pa.Table) -> pa.Table:
    """Plain rows -> the file schema: code columns dictionary-encoded over their code list."""
    columns = []
    for field in file_schema(dataset):
        values = table.column(field.name)
        if pa.types.is_dictionary(field.type):
            values = _dictionary(values, _codes(dataset, field.name))
        columns.append(values)
    return pa.Table.from_arrays(columns, schema=file_schema(dataset))


def _codes(dataset: str, column: str) -> tuple[str, ...]:
    for c in COLUMNS[dataset]:
        if c.name == column and c.codes is not None:
            return code_list(c.codes)
    return ()


def _dictionary(values: pa.ChunkedArray, known: tuple[str, ...]) -> pa.Array:
    """Values as a dictionary array over `known` plus the unknown values present, sorted
    (free-text code columns such as agency: the values present, sorted)."""
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    present = pc.unique(values.drop_null()).to_pylist()
    extra = sorted(set(present) - set(known))
    dictionary = pa.array([*known, *extra], pa.string())
    indices = pc.index_in(values, value_set=dictionary)
    return pa.DictionaryArray.from_arrays(indices.cast(pa.int32()), dictionary)


def decode(dataset: str, batch: pa.RecordBatch | pa.Table) -> pa.Table:
    """Rows of a file -> plain rows (code columns as strings)."""
    table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
    return table.select(plain_schema(dataset).names).cast(plain_schema(dataset))


class PartitionWriter:
    """Writes one partition file from plain rows, cutting row groups at fixed row counts."""

    def __init__(self, path: Path, dataset: str) -> None:
        self.path, self.dataset = Path(path), dataset
        self.size = ROW_GROUP.get(dataset, DEFAULT_ROW_GROUP)
        self.pending: list[pa.Table] = []
        self.buffered = 0
        self.rows = 0
        self.writer: pq.ParquetWriter | None = None

    def write(self, table: pa.Table) -> None:
        if not len(table):
            return
        self.pending.append(table)
        self.buffered += len(table)
        while self.buffered >= self.size:
            self._flush(self.size)

    def _flush(self, n: int) -> None:
        table = pa.concat_tables(self.pending).combine_chunks()
        head, rest = table.slice(0, n), table.slice(n)
        self.pending, self.buffered = ([rest] if len(rest) else []), len(rest)
        if self.writer is None:
            self.writer = _open_writer(self.path, self.dataset)
        self.writer.write_table(encode(self.dataset, head), row_group_size=n)
        self.rows += n

    def close(self) -> int:
        """Flush, close and fsync the file (an empty partition still writes an empty file);
        returns the rows written."""
        if self.buffered:
            self._flush(self.buffered)
        if self.writer is None:
            self.writer = _open_writer(self.path, self.dataset)
        self.writer.close()
        fsync(self.path)
        return self.rows


def _open_writer(path: Path, dataset: str) -> pq.ParquetWriter:
    path.parent.mkdir(parents=True, exist_ok=True)
    return pq.ParquetWriter(path, file_schema(dataset), compression="zstd")


def write_partition(path: Path, dataset: str, chunks: Iterable[pa.Table]) -> int:
    """Write a partition file from plain row chunks in order; the rows written."""
    writer = PartitionWriter(path, dataset)
    for chunk in chunks:
        writer.write(chunk)
    return writer.close()


def read_batches(path: Path, batch_size: int = READ_CHUNK) -> Iterator[pa.RecordBatch]:
    """A Parquet file's rows in order, at most `batch_size` a batch, one row group in memory at
    a time. (ParquetFile.iter_batches pre-buffers every row group it reads and holds them until
    it is done: memory growing with the file, 230 MB for a 200 MB file.)"""
    file = pq.ParquetFile(path)
    for index in range(file.num_row_groups):
        yield from file.read_row_group(index).to_batches(max_chunksize=batch_size)


def read_partition(
    path: Path, dataset: str, drop_ids: pa.Array | None = None, drop_codes: pa.Array | None = None
) -> Iterator[pa.Table]:
    """A partition file's rows as plain chunks, without the reports in `drop_ids` (and, for
    findings, without the codes in `drop_codes`)."""
    for batch in read_batches(path):
        table = decode(dataset, batch)
        keep = None
        if drop_ids is not None and len(drop_ids):
            keep = pc.invert(pc.is_in(table.column("report_id"), value_set=drop_ids))
        if drop_codes is not None and len(drop_codes):
            codes = pc.invert(pc.is_in(table.column("code"), value_set=drop_codes))
            keep = codes if keep is None else pc.and_(keep, codes)
        if keep is not None:
            table = table.filter(pc.fill_null(keep, True))
        if len(table):
            yield table


def fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
