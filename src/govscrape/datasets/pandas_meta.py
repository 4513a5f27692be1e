"""The pandas metadata of the datasets' files: what makes a plain `pd.read_parquet` give the
dtypes of govscrape.load (nullable integers, string[pyarrow], categories, aware times)."""

from __future__ import annotations

import json

import pyarrow as pa

# pandas dtypes of the Arrow types (pandas metadata): what govscrape.load gives as well.
PANDAS_DTYPES = {
    "int16": "Int16",
    "int32": "Int32",
    "int64": "Int64",
    "double": "Float64",
    "bool": "boolean",
    "string": "string[pyarrow]",
}


def pandas_metadata(fields: list[pa.Field]) -> str:
    """The `pandas` schema metadata pyarrow reads in to_pandas (written by hand, not by pandas:
    parse workers never import pandas, and the bytes must not depend on the pandas version)."""
    columns = [_pandas_column(f) for f in fields]
    meta = {
        "index_columns": [],
        "column_indexes": [],
        "columns": columns,
        "creator": {"library": "govscrape", "version": "1"},
        "pandas_version": "2.1.0",
    }
    return json.dumps(meta, sort_keys=True)


def _pandas_column(f: pa.Field) -> dict:
    column = {"name": f.name, "field_name": f.name, "metadata": None}
    if pa.types.is_dictionary(f.type):
        # categories: the code list of the column (see code_values), unordered
        return column | {"pandas_type": "categorical", "numpy_type": "int32",
                         "metadata": {"num_categories": None, "ordered": False}}  # fmt: skip
    if pa.types.is_timestamp(f.type):
        return column | {"pandas_type": "datetimetz", "numpy_type": "datetime64[ms]",
                         "metadata": {"timezone": f.type.tz}}  # fmt: skip
    name = str(f.type)
    pandas_type = {"string": "unicode", "double": "float64"}.get(name, name)
    return column | {"pandas_type": pandas_type, "numpy_type": PANDAS_DTYPES[name]}
