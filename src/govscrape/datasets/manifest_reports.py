"""The manifest's report list: every report's key and year, sorted by report id, in a Parquet file
of the build folder (`_manifest_reports.parquet`), read and written as a stream: a build compares
it with its plan (also in report id order) without holding either in memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from govscrape.datasets.partfile import read_batches

REPORTS = "_manifest_reports.parquet"
SCHEMA = pa.schema(
    [
        pa.field("report_id", pa.string(), nullable=False),
        pa.field("key", pa.string(), nullable=False),
        pa.field("year", pa.int16()),
    ]
)
CHUNK = 65_536  # reports per row group written, and per chunk read

Entry = tuple  # one row: (report id, key, year) in a report list


def read_reports(folder: Path | None) -> Iterator[Entry]:
    """The entries of a build folder's report list, in report id order (none without one)."""
    if folder is not None:
        yield from read_entries(Path(folder) / REPORTS)


def read_entries(path: Path, chunk: int = CHUNK) -> Iterator[Entry]:
    """The rows of an entry file as tuples, in order, `chunk` at a time (none without one)."""
    if not path.exists():
        return
    for batch in read_batches(path, chunk):
        yield from zip(*(column.to_pylist() for column in batch.columns), strict=True)


class EntryWriter:
    """Writes rows of a schema whose first column is the report id, in report id order (a
    report once), CHUNK rows at a time: a report list, or a build's plan."""

    def __init__(self, path: Path, schema: pa.Schema = SCHEMA) -> None:
        self.path, self.schema = Path(path), schema
        self.writer = pq.ParquetWriter(self.path, schema, compression="zstd")
        self.pending: list[Entry] = []
        self.count = 0
        self.last = ""

    def add(self, *entry: object) -> None:
        report_id = str(entry[0])
        if report_id <= self.last:
            raise ValueError(f"report {report_id} after {self.last}: the list must be sorted")
        self.last = report_id
        self.pending.append(entry)
        self.count += 1
        if len(self.pending) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            columns = zip(*self.pending, strict=True)
            arrays = [pa.array(c, f.type) for c, f in zip(columns, self.schema, strict=True)]
            self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
            self.pending = []

    def close(self) -> int:
        """Flush and close; the entries written."""
        self._flush()
        self.writer.close()
        return self.count


def reports_dict(folder: Path | None) -> dict[str, tuple[str, int | None]]:
    """The whole list as a dict (for tests and small builds only)."""
    return {rid: (key, year) for rid, key, year in read_reports(folder)}
