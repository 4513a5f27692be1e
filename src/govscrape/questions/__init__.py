"""Questions: the Parquet datasets in; DataFrames that answer the users' questions out.

`load` reads a dataset with the schema's types; `zero_requests` answers "who received no
requests?" with evidence; `headline_figures` and `compare` put agencies and years side by side
across the 2021 break; `findings` lists the inconsistencies; `sql` runs read-only DuckDB SQL.
Nothing here parses or fetches: every answer comes from the datasets (and, for missing reports,
the crawl state).
"""
