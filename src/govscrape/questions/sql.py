"""Read-only SQL (DuckDB) over the datasets, each a view of its name."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from govscrape.crawl.storage import is_url
from govscrape.datasets.schema import DATASETS, schema
from govscrape.datasets.store import dataset_path
from govscrape.errors import ConfigError, GovscrapeError
from govscrape.questions.load import PANDAS_TYPES, check_built

if TYPE_CHECKING:
    import duckdb

SQL_TIME_ZONE = "Asia/Shanghai"  # the portals' and the law's clock


def sql(data_dir: Path | str, query: str) -> pd.DataFrame:
    """Run read-only SQL with DuckDB over the datasets, each a view of its name.

    The views have the columns of govscrape.load, in the same order (`year` null where
    unknown). The session time zone is Asia/Shanghai, so `published::DATE` is the date printed
    on the page (the legal deadlines are in China time); crawler times are the same instants.
    Only reading statements run (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE,
    EXPLAIN); anything else (COPY, CREATE, ATTACH, SET, …) is a GovscrapeError, and the
    session cannot touch files outside the datasets.
    """
    import duckdb  # here: DuckDB is only loaded by those who run SQL

    if is_url(data_dir):  # the session is sandboxed to local folders (allowed_directories)
        raise ConfigError(
            f"govscrape sql reads a local data folder, not {data_dir}: in Python, "
            "govscrape.scan(table, url) gives a DuckDB relation over datasets at a URL"
        )
    check_built(data_dir)
    # DuckDB's temp directory (default `.tmp` under the working directory) is readable by the
    # session whatever allowed_directories says: it is a fresh private folder instead, so the
    # only files a query can read are the datasets (and DuckDB's own spill files).
    with tempfile.TemporaryDirectory(prefix="govscrape-sql-") as spill:
        con = duckdb.connect(config={"temp_directory": spill})
        return _run(con, Path(data_dir), query)


def _run(con: duckdb.DuckDBPyConnection, data_dir: Path, query: str) -> pd.DataFrame:
    import duckdb  # as in sql()

    try:
        _open_views(con, data_dir)
        try:
            check_read_only(con, query)
            result = con.execute(query)
            if result.description is None:
                return pd.DataFrame()  # type: ignore[unreachable]  # duckdb's stub: never None
            arrow = _fetch_arrow(result)
        except duckdb.Error as exc:
            raise GovscrapeError(f"SQL error: {exc}{_hint(exc)}") from None
        # Through Arrow, not .df(): nullable integers stay integers, dates stay dates.
        return arrow.to_pandas(types_mapper=PANDAS_TYPES.get)
    finally:
        con.close()


def _hint(exc: Exception) -> str:
    if "Catalog Error" in str(exc):
        return f"\nthe views are: {', '.join(DATASETS)}"
    if "Permission Error" in str(exc):
        return "\ngovscrape sql reads the datasets' views only, no other files"
    return ""


READ_STATEMENTS = frozenset({"SELECT", "EXPLAIN"})  # DESCRIBE/SHOW/SUMMARIZE parse as SELECT
READ_ONLY = (
    "govscrape sql only reads: {what} is not allowed (allowed: SELECT, WITH, FROM, VALUES, "
    "DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); to save a result, use --format csv > file.csv"
)


def check_read_only(con, query: str) -> None:
    """GovscrapeError unless every statement of `query` only reads (EXPLAIN ANALYZE runs its
    statement, so that statement must read too)."""
    for statement in con.extract_statements(query):
        kind = statement.type.name
        if kind == "EXPLAIN":
            inner = _EXPLAIN.sub("", statement.query, count=1)
            if inner == statement.query:  # a form not understood: refused, not guessed
                raise GovscrapeError(READ_ONLY.format(what="this form of EXPLAIN"))
            if inner.strip():
                check_read_only(con, inner)
            continue
        if kind not in READ_STATEMENTS:
            words = statement.query.split()
            raise GovscrapeError(READ_ONLY.format(what=words[0].upper() if words else kind))


_EXPLAIN = re.compile(r"^\s*explain\b(\s*\([^)]*\))?(\s+analy[sz]e\b)?", re.IGNORECASE)


def _open_views(con, data_dir: Path) -> None:
    """The views, then the session locked: files outside the datasets can be neither read nor
    written and settings cannot change (older DuckDB without allowed_directories: views only)."""
    import duckdb  # as in sql()

    con.execute(f"SET TimeZone = '{SQL_TIME_ZONE}'")
    for name in DATASETS:
        con.execute(_view_sql(data_dir, name))
    parquet = _quoted(str(dataset_path(data_dir, DATASETS[0]).parent) + os.sep)
    try:
        con.execute(f"SET allowed_directories = [{parquet}]")
    except duckdb.Error:
        return  # the statement check in check_read_only still refuses writes
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fetch_arrow(result) -> pa.Table:
    fetch = getattr(result, "to_arrow_table", None) or result.fetch_arrow_table  # duckdb 1.0-1.5
    return fetch()


def _view_sql(data_dir: Path, name: str) -> str:
    pattern = str(dataset_path(data_dir, name) / "*.parquet").replace("'", "''")
    columns = ", ".join(f'"{c}"' for c in schema(name).names)
    # year is a column of the files (SMALLINT); file names are not hive keys
    return (
        f"CREATE VIEW {name} AS SELECT {columns} "
        f"FROM read_parquet('{pattern}', hive_partitioning = false)"
    )
