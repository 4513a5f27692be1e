"""Lazy reading at scale: a dataset as a DuckDB relation, nothing read until asked."""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Integral
from pathlib import Path
from typing import TYPE_CHECKING

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
    pattern = str(dataset_path(Path(data_dir), table) / "*.parquet")
    relation = con.read_parquet(pattern, hive_partitioning=False)
    condition = _condition(years, agencies)
    if condition is not None:
        relation = relation.filter(condition)
    names = list(columns) if columns is not None else schema(table).names
    unknown = sorted(set(names) - set(schema(table).names))
    if unknown:
        raise ValueError(f"{table} has no column {', '.join(unknown)}")
    return relation.select(*(duckdb.ColumnExpression(name) for name in names))


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
