"""Lazy reading at scale: a dataset as a DuckDB relation, nothing read until asked."""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Integral
from pathlib import Path
from typing import TYPE_CHECKING

from govscrape.crawl.storage import is_url
from govscrape.datasets.remote import dataset_files
from govscrape.datasets.schema import schema
from govscrape.datasets.store import dataset_path
from govscrape.questions.load import check_built
from govscrape.questions.sql import SQL_TIME_ZONE

if TYPE_CHECKING:
    import duckdb

__all__ = ["scan"]


def scan(
    table: str,
    data_dir: Path | str = "data",
    *,
    years: int | Iterable[int | None] | None = None,
    agencies: str | Iterable[str] | None = None,
    columns: Iterable[str] | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> duckdb.DuckDBPyRelation:
    """A dataset as a lazy DuckDB relation: filters (`years`, `agencies`, and any `.filter()`
    you add) and projections (`columns`, `.project()`) are pushed down to the Parquet files,
    and nothing is read until you ask (`.df()`, `.arrow()`, `.aggregate()`, `.fetchall()`, …).

    For datasets larger than memory: `scan("requests").filter("row = 'new'")
    .aggregate("agency, sum(value) AS new", "agency").df()` reads two columns' worth.
    A year of None selects the reports whose year is unknown. The session time zone is
    Asia/Shanghai, as in `govscrape sql`.
    """
    import duckdb  # here: only those who scan load DuckDB

    check_built(data_dir, table)
    con = connection or duckdb.connect()
    con.execute(f"SET TimeZone = '{SQL_TIME_ZONE}'")
    relation = con.read_parquet(_files(con, data_dir, table), hive_partitioning=False)
    condition = _condition(years, agencies)
    if condition is not None:
        relation = relation.filter(condition)
    names = list(columns) if columns is not None else schema(table).names
    unknown = sorted(set(names) - set(schema(table).names))
    if unknown:
        raise ValueError(f"{table} has no column {', '.join(unknown)}")
    return relation.select(*(duckdb.ColumnExpression(name) for name in names))


def _files(con: duckdb.DuckDBPyConnection, data_dir: Path | str, table: str) -> list[str]:
    """The dataset's Parquet files for DuckDB. At a URL they are read through fsspec, registered
    on the connection: DuckDB's own httpfs extension is downloaded on first use, which a machine
    without internet access (or with a private S3 endpoint) may not manage."""
    if not is_url(data_dir):
        return sorted(str(p) for p in dataset_path(Path(data_dir), table).glob("*.parquet"))
    found = dataset_files(str(data_dir), table)
    if found is None:  # check_built said it was there: published over meanwhile
        raise FileNotFoundError(f"{data_dir}: no {table} dataset published")
    fs, paths = found
    con.register_filesystem(fs)
    protocol = fs.protocol[0] if isinstance(fs.protocol, tuple | list) else fs.protocol
    return [f"{protocol}://{p}" for p in paths]


def _condition(years, agencies):
    """The filter as a DuckDB expression (values are constants, never pasted into SQL)."""
    import duckdb  # as in scan()

    parts = []
    if years is not None:
        wanted = [years] if isinstance(years, Integral) else list(years)
        year = duckdb.ColumnExpression("year")
        known = [duckdb.ConstantExpression(int(y)) for y in wanted if y is not None]
        part = year.isin(*known) if known else None
        if None in wanted:
            part = year.isnull() if part is None else part | year.isnull()
        parts.append(part if part is not None else duckdb.ConstantExpression(False))
    if agencies is not None:
        names = [agencies] if isinstance(agencies, str) else list(agencies)
        constants = [duckdb.ConstantExpression(str(n)) for n in names]
        agency = duckdb.ColumnExpression("agency")
        parts.append(agency.isin(*constants) if constants else duckdb.ConstantExpression(False))
    condition = None
    for part in parts:
        condition = part if condition is None else condition & part
    return condition
