"""Reading the datasets: load, wide, findings and SQL (DuckDB); the questions live in questions.py."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from numbers import Integral
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from govscrape.datasets.store import dataset_path, read_table
from govscrape.errors import GovscrapeError
from govscrape.schema import COLUMNS, DATASETS, LONG_TABLES, UNKNOWN_YEAR, code_list, schema

__all__ = [
    "compare_agency",
    "compare_year",
    "findings",
    "load",
    "sql",
    "wide",
    "zero_requests",
]

SQL_TIME_ZONE = "Asia/Shanghai"  # the portals' and the law's clock
NOT_BUILT = "no datasets in {path}: run govscrape crawl or govscrape parse first"
DEMO_HINT = "no datasets in {path} — after `govscrape demo`, add --data {demo}"
PANDAS_TYPES = {
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.float64(): pd.Float64Dtype(),
    pa.string(): pd.StringDtype("pyarrow"),  # Arrow-backed: no copy into Python objects
    pa.bool_(): pd.BooleanDtype(),
}


def load(
    table: str,
    data_dir: Path | str = "data",
    *,
    years: int | Iterable[int | None] | None = None,
    agencies: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """A dataset as a DataFrame with proper dtypes (nullable integers, categories, aware times).

    `years` / `agencies` filter the rows, pushed down to Parquet (a year of None selects the
    reports whose year is unknown).
    """
    return load_where(table, data_dir, None, years=years, agencies=agencies)


def load_where(
    table: str,
    data_dir: Path | str,
    where: ds.Expression | None,
    *,
    years: int | Iterable[int | None] | None = None,
    agencies: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """load() with an extra pyarrow filter pushed down, e.g. `ds.field("row") == "new"`."""
    check_built(data_dir, table)
    expression = _filter(years, agencies)
    if where is not None:
        expression = where if expression is None else expression & where
    arrow = read_table(Path(data_dir), table, expression)
    frame = arrow.to_pandas(types_mapper=PANDAS_TYPES.get)
    return _order_categories(frame, table)


def check_built(data_dir: Path | str, table: str = "reports") -> None:
    """GovscrapeError unless `table` is a dataset and it has been built in `data_dir`."""
    if table not in DATASETS:
        raise GovscrapeError(f"unknown dataset {table!r}; the datasets are: {', '.join(DATASETS)}")
    if not dataset_path(Path(data_dir), table).is_dir():
        demo = Path(data_dir) / "demo"
        if dataset_path(demo, table).is_dir():  # `govscrape demo` builds into data/demo
            raise GovscrapeError(DEMO_HINT.format(path=Path(data_dir) / "parquet", demo=demo))
        raise GovscrapeError(NOT_BUILT.format(path=Path(data_dir) / "parquet"))


def _filter(years, agencies) -> ds.Expression | None:
    conditions = []
    if years is not None:
        wanted = [years] if isinstance(years, Integral) else list(years)
        values = [UNKNOWN_YEAR if y is None else int(y) for y in wanted]
        conditions.append(ds.field("year").isin(pa.array(values, pa.int16())))
    if agencies is not None:
        names = [agencies] if isinstance(agencies, str) else list(agencies)
        conditions.append(ds.field("agency").isin(pa.array(names, pa.string())))
    if not conditions:
        return None
    expression = conditions[0]
    for condition in conditions[1:]:
        expression = expression & condition
    return expression


def _order_categories(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Code columns as categories in the national format's order (unknown codes after)."""
    for column in COLUMNS[table]:
        if column.codes is None or column.name not in frame:
            continue
        known = code_list(column.codes)
        present = set(frame[column.name].dropna().unique())
        order = [c for c in known if c in present] + sorted(present - set(known))
        frame[column.name] = frame[column.name].astype(pd.CategoricalDtype(order))
    return frame


def wide(
    table: str,
    data_dir: Path | str = "data",
    *,
    years: int | Iterable[int | None] | None = None,
    agencies: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """One row per report, one column per cell (`new__total`, `granted__natural_person`, …).

    Every report is a row, also one whose table could not be read (its cells are then null).
    """
    reports = load("reports", data_dir, years=years, agencies=agencies)
    base = reports[["report_id", "agency", "year", "template"]].reset_index(drop=True)
    if table == "reports":
        return reports
    if table not in (*LONG_TABLES, "sections"):
        raise GovscrapeError(f"wide() reshapes {', '.join(LONG_TABLES)} or sections, not {table!r}")
    long = load(table, data_dir, years=years, agencies=agencies)
    cells = _pivot(long, table)
    return base.merge(cells, how="left", left_on="report_id", right_index=True)


def _pivot(long: pd.DataFrame, table: str) -> pd.DataFrame:
    names = [c.name for c in COLUMNS[table]]
    if table == "sections":
        row_axis, col_axis, value = "section", None, "text"
    else:
        row_axis, col_axis, value = names[2], names[3], "value"
    rows = long[row_axis].astype(str)
    long = long.assign(cell=rows if col_axis is None else rows + "__" + long[col_axis].astype(str))
    long = long.drop_duplicates(["report_id", "cell"], keep="first")
    order = _cell_order(long, row_axis, col_axis)
    pivot = long.pivot(index="report_id", columns="cell", values=value)
    pivot = pivot.reindex(columns=[c for c in order if c in pivot.columns])
    pivot.columns.name = None
    return pivot


def _cell_order(long: pd.DataFrame, row_axis: str, col_axis: str | None) -> list[str]:
    """Cell columns in the national format's order: rows, then columns within a row."""
    rows = list(long[row_axis].cat.categories)
    if col_axis is None:
        return rows
    columns = list(long[col_axis].cat.categories)
    return [f"{r}__{c}" for r in rows for c in columns]


FINDING_COLUMNS = [
    "year", "agency", "code", "severity", "message", "table", "row", "column",
    "expected", "found", "blank_as_zero", "raw", "title", "url", "report_id",
]  # fmt: skip
FINDING_TABLE_COLUMNS = ["year", "agency", "severity", "code", "message", "url"]


def findings(
    data_dir: Path | str = "data", code: str | None = None, year: int | None = None
) -> pd.DataFrame:
    """The findings, with each report's title and URL, by year and agency; `code` matches a
    code or a family (`requests`, `parse`). An unknown code is an error naming the known ones."""
    found = load("findings", data_dir, years=year)
    if code is not None:
        check_finding_code(code)
        codes = found["code"].astype(str)
        found = found[(codes == code) | codes.str.startswith(code + ".")]
    reports = load("reports", data_dir, years=year)[["report_id", "title", "url"]]
    found = found.merge(reports, on="report_id", how="left")
    found = found.sort_values(["year", "agency", "report_id"], kind="stable", na_position="last")
    frame = found[FINDING_COLUMNS].reset_index(drop=True)
    frame.attrs["table_columns"] = FINDING_TABLE_COLUMNS
    return frame


def check_finding_code(code: str) -> None:
    """GovscrapeError unless `code` is a finding code or the family of one."""
    known = code_list("finding_code")
    families = {c.split(".")[0] for c in known if "." in c}
    if code in known or code in families:
        return
    close = difflib.get_close_matches(code, [*known, *sorted(families)], n=3, cutoff=0.5)
    hint = f"did you mean: {', '.join(close)}? " if close else ""
    raise GovscrapeError(
        f"unknown finding code {code!r}; {hint}codes: {', '.join(known)} "
        f"(or a family: {', '.join(sorted(families))})"
    )


def sql(data_dir: Path | str, query: str) -> pd.DataFrame:
    """Run read-only SQL with DuckDB over the datasets, each a view of its name (hive-partitioned).

    The views have the columns of govscrape.load, in the same order (`year` null where
    unknown). The session time zone is Asia/Shanghai, so `published::DATE` is the date printed
    on the page (the legal deadlines are in China time); crawler times are the same instants.
    Only reading statements run (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE,
    EXPLAIN); anything else (COPY, CREATE, ATTACH, SET, …) is a GovscrapeError, and the
    session cannot touch files outside the datasets.
    """
    import duckdb

    check_built(data_dir)
    con = duckdb.connect()
    try:
        _open_views(con, Path(data_dir))
        try:
            check_read_only(con, query)
            result = con.execute(query)
            if result.description is None:
                return pd.DataFrame()
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
    import duckdb

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
    pattern = str(dataset_path(data_dir, name) / "*" / "*.parquet").replace("'", "''")
    columns = ", ".join(
        f"NULLIF(year, {UNKNOWN_YEAR}) AS year" if c == "year" else f'"{c}"'
        for c in schema(name).names
    )
    return (
        f"CREATE VIEW {name} AS SELECT {columns} "
        f"FROM read_parquet('{pattern}', hive_partitioning = true, "
        "hive_types = {'year': SMALLINT})"
    )


# The questions (questions.py) build on load(); these thin entries keep one public module.


def zero_requests(data_dir: Path | str = "data", year: int | None = None) -> pd.DataFrame:
    """Agencies whose reports say they received no new requests, and those with no report."""
    from govscrape import questions

    return questions.zero_requests(data_dir, year)


def compare_agency(data_dir: Path | str, agency: str) -> pd.DataFrame:
    """One agency's headline figures, year by year (see govscrape.comparisons)."""
    from govscrape import comparisons

    return comparisons.compare_agency(data_dir, agency)


def compare_year(data_dir: Path | str, year: int) -> pd.DataFrame:
    """Every agency's headline figures for one statistical year, side by side."""
    from govscrape import comparisons

    return comparisons.compare_year(data_dir, year)
