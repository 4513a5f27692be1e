"""What a build must do: its plan (units in report id order, from the crawl states) compared with
the previous build's report list (also in report id order), as one streaming merge.

Nothing per report stays in Python memory: the units to parse are written to a file of the build
(read back batch by batch by the parsers), every report of the new build goes to a plan file
(report id, key, year where kept), and the reports whose old rows must go are kept per year as
Arrow arrays (about 20 bytes a report). After parsing, the plan and the staged years make the new
manifest's report list (final_reports), again as a merge.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from govscrape.datasets.manifest_reports import CHUNK, EntryWriter, read_entries
from govscrape.datasets.parsing import ReportUnit

PLAN = "plan.parquet"  # in the build's staging folder
TODO = "todo.parquet"
PLAN_SCHEMA = pa.schema(
    [
        pa.field("report_id", pa.string(), nullable=False),
        pa.field("key", pa.string(), nullable=False),
        pa.field("year", pa.int16()),
        pa.field("todo", pa.bool_(), nullable=False),  # parsed in this build: its year is staged
    ]
)
TODO_SCHEMA = pa.schema([pa.field("report_id", pa.string()), pa.field("unit", pa.binary())])
NOTHING = ("\uffff", "", None)  # after every report id: the end of the previous list


@dataclass
class Delta:
    """The outcome of the comparison, and where its files are."""

    folder: Path
    reports: int = 0  # in the new build
    todo: int = 0  # to parse
    gone: int = 0  # in the previous build, no longer in the crawl
    kept_years: set[int | None] = field(default_factory=set)  # years of reports kept as they are
    drop_by_year: dict[int | None, pa.Array] = field(default_factory=dict)  # their old rows go

    @property
    def reused(self) -> int:
        return self.reports - self.todo

    @property
    def plan_path(self) -> Path:
        return self.folder / PLAN

    @property
    def todo_path(self) -> Path:
        return self.folder / TODO

    def dropped(self) -> set[str]:
        """Every dropped report id (for tests and small builds)."""
        return {i for ids in self.drop_by_year.values() for i in ids.to_pylist()}


def compare(
    units: Iterable[ReportUnit], previous: Iterable[tuple], folder: Path, full: bool = False
) -> Delta:
    """Merge the plan with the previous report list (`full`: parse every unit again)."""
    folder.mkdir(parents=True, exist_ok=True)
    delta, drops = Delta(folder), _Drops()
    plan, todo = EntryWriter(folder / PLAN, PLAN_SCHEMA), _TodoWriter(folder / TODO)
    old_entries = iter(previous)
    old = next(old_entries, NOTHING)
    for unit in units:
        while old[0] < unit.report_id:  # in the previous build only: gone
            drops.add(old[2], old[0])
            delta.gone += 1
            old = next(old_entries, NOTHING)
        same = old[0] == unit.report_id
        if same and old[1] == unit.key and not full:
            plan.add(unit.report_id, unit.key, old[2], False)
            delta.kept_years.add(old[2])
        else:
            if same:
                drops.add(old[2], old[0])
            plan.add(unit.report_id, unit.key, None, True)
            todo.add(unit)
            delta.todo += 1
        if same:
            old = next(old_entries, NOTHING)
        delta.reports += 1
    for rest in chain([old], old_entries):
        if rest is not NOTHING:
            drops.add(rest[2], rest[0])
            delta.gone += 1
    plan.close()
    todo.close()
    delta.drop_by_year = drops.arrays()
    return delta


def todo_batches(delta: Delta, size: int) -> Iterator[list[ReportUnit]]:
    """The units to parse, in report id order, `size` at a time (read back from the file)."""
    batch: list[ReportUnit] = []
    for _, blob in read_entries(delta.todo_path, _TodoWriter.TODO_ROWS):
        batch.append(pickle.loads(blob))  # written by this build (_TodoWriter), never foreign
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def final_reports(delta: Delta, staged: Iterator[tuple], writer: EntryWriter) -> None:
    """The new build's report list: the plan, with the staged year of each parsed report
    (`staged`: (report id, year) of the parsed reports in report id order)."""
    for report_id, key, year, parsed in read_entries(delta.plan_path):
        if parsed:
            staged_id, year = next(staged)
            if staged_id != report_id:
                raise RuntimeError(f"report {report_id} was planned, {staged_id} was staged")
        writer.add(report_id, key, year)


class _Drops:
    """Report ids per year, gathered as Arrow arrays a chunk at a time."""

    def __init__(self) -> None:
        self.pending: dict[int | None, list[str]] = {}
        self.chunks: dict[int | None, list[pa.Array]] = {}

    def add(self, year: int | None, report_id: str) -> None:
        ids = self.pending.setdefault(year, [])
        ids.append(report_id)
        if len(ids) >= CHUNK:
            self.chunks.setdefault(year, []).append(pa.array(ids, pa.string()))
            self.pending[year] = []

    def arrays(self) -> dict[int | None, pa.Array]:
        for year, ids in self.pending.items():
            self.chunks.setdefault(year, []).append(pa.array(ids, pa.string()))
        self.pending = {}
        return {
            year: pa.concat_arrays(chunks) if len(chunks) > 1 else chunks[0]
            for year, chunks in self.chunks.items()
        }


class _TodoWriter:
    """The units to parse, pickled, a row group of TODO_ROWS at a time."""

    TODO_ROWS = 1_024

    def __init__(self, path: Path) -> None:
        self.writer = pq.ParquetWriter(path, TODO_SCHEMA, compression="lz4")
        self.ids: list[str] = []
        self.blobs: list[bytes] = []

    def add(self, unit: ReportUnit) -> None:
        self.ids.append(unit.report_id)
        self.blobs.append(pickle.dumps(unit, protocol=pickle.HIGHEST_PROTOCOL))
        if len(self.ids) >= self.TODO_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self.ids:
            table = pa.Table.from_arrays([pa.array(self.ids, pa.string()),
                                          pa.array(self.blobs, pa.binary())], schema=TODO_SCHEMA)  # fmt: skip
            self.writer.write_table(table)
            self.ids, self.blobs = [], []

    def close(self) -> None:
        self._flush()
        self.writer.close()
