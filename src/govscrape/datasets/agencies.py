"""One agency is one agency: each report's agency against its site's, and the agencies dataset.

A site (a sites.toml entry) is a column; its configured `agency` owns the column. Many columns
hold reports of other agencies (a county's 部门年报 column: its departments, towns, hospitals).
A report is counted under the agency it names itself (parse/agency.py); the site's agency is the
fallback where it names none. A name that is one of the site agency's printed variants
(govscrape.agencies.same_agency: 湘西高新区 for 湘西高新技术产业开发区管理委员会) is the site's
agency, under the site's name; any other is a different agency, under its canonical name, and
the report carries an info finding `meta.agency_differs_from_site` saying so (info: the report
is attributed as it names itself, nothing is wrong with its numbers; on a shared column every
report of another agency carries one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from govscrape.agencies import canonical_name, kind_of_agency, same_agency
from govscrape.datasets.partfile import plain_schema
from govscrape.findings import finding
from govscrape.model import Finding, Report

READ_FROM = {"title": "its title", "field": "a field of its page", "signature": "its signature"}
REGION = ("province", "city", "county", "level")
# The reports' columns the agencies dataset is made of.
SLICE = 20_000  # agencies whose years and names are Python objects at one time
REPORT_COLUMNS = ["agency", "agency_kind", "agency_raw", "site", "site_agency", "year", *REGION]


@dataclass(frozen=True, slots=True)
class Attribution:
    """Whom a report is counted under: the agency, its kind, and a finding when that agency is
    not the site's."""

    agency: str | None
    kind: str | None
    finding: Finding | None = None


def attribute(report: Report, site_agency: str | None, site_kind: str | None) -> Attribution:
    """The report's agency: its own (read from the document) or, where it names none, the
    site's; a name that is the site's agency printed otherwise is the site's agency."""
    read = report.agency if report.agency_source in READ_FROM else None
    if read is None:
        agency = site_agency or report.agency
        return Attribution(agency, site_kind if site_agency else report.agency_kind)
    if site_agency is not None and same_agency(read, site_agency):
        return Attribution(site_agency, site_kind or kind_of_agency(site_agency))
    name = canonical_name(read)
    if site_agency is None:
        return Attribution(name, kind_of_agency(name))
    note = finding(
        "meta.agency_differs_from_site",
        f"the report names {read} in {READ_FROM[report.agency_source or 'title']}, not the "
        f"site's agency {site_agency}: it is counted under {name}",
        expected=site_agency,
        found=name,
        raw=read,
    )
    return Attribution(name, kind_of_agency(name), note)


def agency_table(
    reports: pa.Table, sites: Mapping[str, Mapping[str, object]] | None = None
) -> pa.Table:
    """The agencies dataset: one row per (agency, site) seen in `reports`, plus the configured
    agency of every crawled site that gave no report at all (whether it published is unknown).

    A site's own agency is not listed for a site where only other agencies' reports were found:
    such a column is shared, and its owner publishes elsewhere.

    Grouped in Arrow (tens of bytes an agency, where a Python record per agency took 1.9 KB);
    an agency's columns are those of its first report, its years and printed names gathered."""
    known = _plain(reports.select(REPORT_COLUMNS))
    known = known.filter(pc.is_valid(known["agency"]))
    raw = known["agency_raw"]
    printed = pc.if_else(pc.fill_null(pc.not_equal(raw, ""), False), raw, known["agency"])
    known = known.append_column("_at", pa.array(range(len(known)), pa.int64()))
    known = known.append_column("_printed", printed)
    groups = known.group_by(["agency", "site"], use_threads=False).aggregate(
        [("_at", "min"), ("_at", "count"), ("year", "distinct"), ("_printed", "distinct")]
    )
    first = known.take(groups["_at_min"])
    columns = {
        name: first[name] for name in ("agency", "agency_kind", "site", "site_agency", *REGION)
    }
    columns["reports"] = groups["_at_count"]
    columns |= _years_and_names(groups["year_distinct"], groups["_printed_distinct"])
    table = _agencies(columns, len(groups))
    seen_sites = set(groups["site"].to_pylist())
    extra = [_site_row(site, meta) for site, meta in sorted((sites or {}).items())
             if site not in seen_sites and meta.get("agency")]  # fmt: skip
    if extra:
        table = pa.concat_tables([table, _agencies(_site_columns(extra), len(extra))])
    order = pc.sort_indices(
        pa.table({"site": pc.fill_null(table["site"], ""), "agency": table["agency"]}),
        sort_keys=[("site", "ascending"), ("agency", "ascending")],
    )
    return table.take(order)


def _plain(table: pa.Table) -> pa.Table:
    """Code columns as plain strings (a file's dictionary columns)."""
    return table.cast(pa.schema([pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type)
                                 else f for f in table.schema]))  # fmt: skip


def _years_and_names(years: pa.ChunkedArray, names: pa.ChunkedArray) -> dict[str, pa.Array]:
    """first_year, last_year, years (as ranges) and printed_as of each group, a slice at a time."""
    out: dict[str, list[pa.Array]] = {
        k: [] for k in ("first_year", "last_year", "years", "printed_as")
    }
    for start in range(0, len(years), SLICE):
        spans = [
            sorted(y for y in ys if y is not None) for ys in years.slice(start, SLICE).to_pylist()
        ]
        named = [
            sorted(n for n in ns if n is not None) for ns in names.slice(start, SLICE).to_pylist()
        ]
        out["first_year"].append(pa.array([ys[0] if ys else None for ys in spans], pa.int64()))
        out["last_year"].append(pa.array([ys[-1] if ys else None for ys in spans], pa.int64()))
        out["years"].append(pa.array([year_ranges(ys) for ys in spans], pa.string()))
        out["printed_as"].append(pa.array(["; ".join(ns) or None for ns in named], pa.string()))
    return {k: pa.concat_arrays(v) if v else pa.array([], pa.string()) for k, v in out.items()}


def _agencies(columns: Mapping[str, object], rows: int) -> pa.Table:
    """A table of the agencies schema from the columns given (arrays or lists); nulls for others."""
    arrays = []
    for field in plain_schema("agencies"):
        values = columns.get(field.name)
        if values is None:
            arrays.append(pa.nulls(rows, field.type))
        elif isinstance(values, list):
            arrays.append(pa.array(values, field.type))
        else:
            arrays.append(pc.cast(values, field.type))
    return pa.Table.from_arrays(arrays, schema=plain_schema("agencies"))


def _site_columns(rows: list[dict]) -> dict[str, list]:
    names = ("agency", "agency_kind", "site", "site_agency", *REGION, "reports")
    return {name: [r.get(name) for r in rows] for name in names}


def _site_row(site: str, meta: Mapping[str, object]) -> dict:
    agency = str(meta["agency"])
    region = {k: (str(meta[k]) if meta.get(k) else None) for k in REGION}
    kind = meta.get("agency_kind") or kind_of_agency(agency)
    return {"agency": agency, "agency_kind": kind, "site": site, "site_agency": agency,
            **region, "reports": 0, "_years": set()}  # fmt: skip


def year_ranges(years: list[int]) -> str | None:
    """[2016, 2017, 2018, 2020] -> "2016-2018, 2020"."""
    spans: list[list[int]] = []
    for year in years:
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
    return text or None
