"""Reading the datasets into pandas: load, load_where and wide, with the schema's types and code order."""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Integral
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from govscrape.crawl.storage import is_url
from govscrape.datasets.schema import (
    COLUMNS,
    DATASETS,
    DERIVED,
    LONG_TABLES,
    code_list,
)
from govscrape.datasets.store import dataset_path, is_built, read_table
from govscrape.errors import GovscrapeError

__all__ = ["check_built", "load", "load_where", "wide"]

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
    columns: Iterable[str] | None = None,
) -> pd.DataFrame:
    """A dataset as a DataFrame with proper dtypes (nullable integers, categories, aware times).

    `years` / `agencies` filter the rows, pushed down to Parquet (a year of None selects the
    reports whose year is unknown); `columns` reads only those columns (in that order). For
    more than fits in memory, see govscrape.scan.
    """
    return load_where(table, data_dir, None, years=years, agencies=agencies, columns=columns)


def load_where(
    table: str,
    data_dir: Path | str,
    where: ds.Expression | None,
    *,
    years: int | Iterable[int | None] | None = None,
    agencies: str | Iterable[str] | None = None,
    columns: Iterable[str] | None = None,
) -> pd.DataFrame:
    """load() with an extra pyarrow filter pushed down, e.g. `ds.field("row") == "new"`."""
    check_built(data_dir, table)
    if table in DERIVED and years is not None:
        raise GovscrapeError(
            f"the {table} dataset spans years (first_year, last_year): filter it with pandas, "
            "not with years="
        )
    expression = _filter(years, agencies)
    if where is not None:
        expression = where if expression is None else expression & where
    names = None if columns is None else list(columns)
    if names is not None and (unknown := set(names) - {c.name for c in COLUMNS[table]} - {"year"}):
        raise GovscrapeError(f"{table} has no column {', '.join(sorted(unknown))}")
    arrow = read_table(data_dir, table, expression, columns=names)
    frame = arrow.to_pandas(types_mapper=PANDAS_TYPES.get)
    return _order_categories(frame, table)


def check_built(data_dir: Path | str, table: str = "reports") -> None:
    """GovscrapeError unless `table` is a dataset and it has been built in `data_dir`."""
    if table not in DATASETS:
        raise GovscrapeError(f"unknown dataset {table!r}; the datasets are: {', '.join(DATASETS)}")
    if not is_built(data_dir, table):
        if is_url(data_dir):
            raise GovscrapeError(NOT_BUILT.format(path=f"{str(data_dir).rstrip('/')}/parquet.json"))
        demo = Path(data_dir) / "demo"
        if dataset_path(demo, table).is_dir():  # `govscrape demo` builds into data/demo
            raise GovscrapeError(DEMO_HINT.format(path=Path(data_dir) / "parquet", demo=demo))
        raise GovscrapeError(NOT_BUILT.format(path=Path(data_dir) / "parquet"))


def _filter(years, agencies) -> ds.Expression | None:
    conditions = []
    if years is not None:
        wanted = [years] if isinstance(years, Integral) else list(years)
        values = [int(y) for y in wanted if y is not None]
        condition = ds.field("year").isin(pa.array(values, pa.int16()))
        if None in wanted:
            condition = condition | ds.field("year").is_null()
        conditions.append(condition)
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
