"""Staging and merging parsed rows: order by report, whatever the batches' order and sizes."""

from __future__ import annotations

import itertools

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from govscrape.datasets.rows import empty_rows
from govscrape.datasets.staging import Staging, merge_by_report
from govscrape.datasets.store import to_tables


def _chunks(rows: list[tuple[str, int]], cuts: list[int]) -> list[pa.Table]:
    table = pa.table({"report_id": [r for r, _ in rows], "n": [n for _, n in rows]})
    edges = sorted({0, len(rows), *(c % (len(rows) + 1) for c in cuts)})
    return [table.slice(a, b - a) for a, b in itertools.pairwise(edges)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from("abcdefg"), max_size=12), min_size=1, max_size=4),
    st.lists(st.integers(0, 20), max_size=6),
)
def test_merge_is_a_stable_sort_by_report_whatever_the_chunks(ids, cuts):
    sources = [sorted(s) for s in ids]
    rows = [[(r, 100 * k + i) for i, r in enumerate(s)] for k, s in enumerate(sources)]
    merged = pa.concat_tables(
        [
            pa.table({"report_id": pa.array([], pa.string()), "n": pa.array([], pa.int64())}),
            *list(merge_by_report([iter(_chunks(r, cuts)) for r in rows])),
        ]
    )
    expected = sorted((r for source in rows for r in source), key=lambda r: (r[0], r[1] // 100))
    assert list(zip(merged["report_id"].to_pylist(), merged["n"].to_pylist(), strict=True)) == [
        (r, n) for r, n in expected
    ]


def _batch(report_ids: list[str], year: int) -> dict[str, pa.Table]:
    rows = empty_rows()
    for report_id in report_ids:
        for column in rows["reports"]:
            rows["reports"][column].append(None)
        rows["reports"]["report_id"][-1] = report_id
        rows["reports"]["year"][-1] = year
    return to_tables(rows)


def test_batches_arriving_out_of_order_are_staged_in_order(tmp_path):
    staging = Staging(tmp_path)
    staging.add(2, _batch(["e", "f"], 2020))
    staging.add(1, _batch(["c", "d"], 2020))
    assert len(staging.waiting) == 2  # held until batch 0 arrives
    staging.add(0, _batch(["a", "b"], 2020))
    staging.close()
    ids = pq.read_table(staging.path("reports", 2020))["report_id"].to_pylist()
    assert ids == ["a", "b", "c", "d", "e", "f"] and staging.years == {2020}
    assert [row for row in staging.staged()][-1] == ("f", 2020)
