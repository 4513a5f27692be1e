"""The dataset schemas: stable column names and types, code lists from template.py, docs in sync.

The docs in sync: docs/data-dictionary.md is generated whole; the generated blocks of
docs/national-format.md and docs/portal-families.md are checked here too (tests/test_docs.py
checks how the blocks are filled and the docs' cross-references).
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets_factory import make_report, write_reports

from govscrape import template
from govscrape.cli.docgen import PARTLY_GENERATED, render_data_dictionary, render_partly_generated
from govscrape.datasets.schema import (
    CODE_LISTS,
    COLUMNS,
    DATASETS,
    file_schema,
    finding_codes,
    schema,
)
from govscrape.findings import CATALOGUE

REPO_ROOT = Path(__file__).resolve().parents[1]

# The public contract: changing a name or type here breaks analysts' code; do it on purpose.
EXPECTED = {
    "reports": "report_id:string site:code agency:code agency_kind:code site_agency:code "
    "agency_source:code agency_raw:string province:code city:code "
    "county:code level:code title:string year:int16 published:timestamp[ms, tz=Asia/Shanghai] "
    "first_seen:timestamp[ms, tz=UTC] url:string source_url:string "
    "fetched_at:timestamp[ms, tz=UTC] sha256:string template:code source_form:code "
    "processing_fee_yuan:double parse_status:code cells:int32 findings_error:int32 "
    "findings_warning:int32 findings_info:int32",
    "requests": "report_id:string agency:code year:int16 row:code applicant:code value:int64 "
    "unit:code kind:code raw:string",
    "active_disclosure": "report_id:string agency:code year:int16 item:code metric:code "
    "value:double unit:code kind:code raw:string",
    "review_litigation": "report_id:string agency:code year:int16 proceeding:code outcome:code "
    "value:int64 unit:code kind:code raw:string",
    "sections": "report_id:string agency:code year:int16 section:code text:string",
    "findings": "report_id:string agency:code year:int16 code:code severity:code message:string "
    "table:code row:code column:code expected:string found:string blank_as_zero:bool raw:string",
    "headlines": "report_id:string agency:code year:int16 measure:code value:double unit:code "
    "status:code evidence:string section:code note:string",
    "agencies": "agency:code agency_kind:code site:code site_agency:code province:code city:code "
    "county:code level:code first_year:int16 last_year:int16 reports:int32 years:string "
    "printed_as:string",
}


def describe(s: pa.Schema) -> str:
    def name(t: pa.DataType) -> str:
        return "code" if pa.types.is_dictionary(t) else str(t)

    return " ".join(f"{f.name}:{name(f.type)}" for f in s)


def test_schemas_are_stable():
    assert {name: describe(schema(name)) for name in DATASETS} == EXPECTED


def test_code_columns_are_dictionary_strings():
    assert schema("requests").field("row").type == pa.dictionary(pa.int32(), pa.string())


def test_code_lists_come_from_the_template():
    assert CODE_LISTS["row"] == tuple(r.code for r in template.REQUEST_ROWS)
    assert len(template.request_rows("v2019")) == 23 and len(template.request_rows("v2021")) == 25
    assert "other_published_document" in CODE_LISTS["item"]
    assert set(CODE_LISTS["metric"]) >= {"new_made", "issued", "amount", "change"}
    assert {"year.continuity", "publication.late", "requests.row_total"} <= set(finding_codes())


def test_finding_codes_are_the_catalogue_in_its_order():
    assert finding_codes() == tuple(CATALOGUE)


def test_every_column_has_meaning_and_example():
    for columns in COLUMNS.values():
        for column in columns:
            assert column.meaning and column.example, column.name


def test_written_files_match_the_file_schema(tmp_path):
    write_reports(tmp_path, [make_report("甲局", 2021)])
    for name in DATASETS:
        path = next((tmp_path / "parquet" / name).rglob("*.parquet"))
        assert pq.read_schema(path).remove_metadata() == file_schema(name), name


def test_data_dictionary_is_up_to_date():
    committed = REPO_ROOT / "docs" / "data-dictionary.md"
    regenerate = "run `.venv/bin/python -m govscrape.cli.docgen` and commit docs/data-dictionary.md"
    assert committed.exists(), f"docs/data-dictionary.md is missing: {regenerate}"
    current, fresh = committed.read_text("utf-8"), render_data_dictionary()
    diff = difflib.unified_diff(
        current.splitlines(), fresh.splitlines(), "committed", "generated", lineterm="", n=0
    )
    first = "\n".join(list(diff)[:12])
    assert current == fresh, f"docs/data-dictionary.md is out of date: {regenerate}\n{first}"


@pytest.mark.parametrize("name", sorted(PARTLY_GENERATED))
def test_generated_blocks_of_the_hand_written_docs_are_up_to_date(name):
    committed = REPO_ROOT / "docs" / name
    regenerate = f"run `.venv/bin/python -m govscrape.cli.docgen` and commit docs/{name}"
    assert committed.exists(), f"docs/{name} is missing"
    current = committed.read_text("utf-8")
    fresh = render_partly_generated(name, current)
    diff = difflib.unified_diff(
        current.splitlines(), fresh.splitlines(), "committed", "generated", lineterm="", n=0
    )
    first = "\n".join(list(diff)[:12])
    assert current == fresh, f"docs/{name} has stale generated blocks: {regenerate}\n{first}"


def test_national_format_lists_every_code_and_rule():
    text = (REPO_ROOT / "docs" / "national-format.md").read_text("utf-8")
    for name in ("row", "applicant", "item", "metric", "proceeding", "outcome", "section", "kind"):
        for code in CODE_LISTS[name]:
            assert f"`{code}`" in text, (name, code)
    for rule in template.RULES:
        assert f"`{rule.code}`" in text
    for name in ("template", "source_form"):
        for code in CODE_LISTS[name]:
            assert f"`{code}`" in text, (name, code)


def test_data_dictionary_lists_every_dataset_column_and_code():
    text = render_data_dictionary()
    for name, columns in COLUMNS.items():
        assert f"### `{name}`" in text
        for column in columns:
            assert f"`{column.name}`" in text
    for code in (*CODE_LISTS["row"], *CODE_LISTS["outcome"], *finding_codes()):
        assert f"`{code}`" in text
