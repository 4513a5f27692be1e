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

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa

from govscrape.agencies import canonical_name, kind_of_agency, same_agency
from govscrape.datasets.partfile import plain_schema
from govscrape.datasets.schema import COLUMNS
from govscrape.findings import finding
from govscrape.model import Finding, Report

READ_FROM = {"title": "its title", "field": "a field of its page", "signature": "its signature"}
REGION = ("province", "city", "county", "level")
# The reports' columns the agencies dataset is made of.
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
    such a column is shared, and its owner publishes elsewhere."""
    rows: dict[tuple[str, str | None], dict] = {}
    printed: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for r in reports.select(REPORT_COLUMNS).to_pylist():
        if r["agency"] is None:
            continue
        key = (r["agency"], r["site"])
        row = rows.setdefault(key, _new_row(r))
        row["reports"] += 1
        if r["year"] is not None:
            row["_years"].add(r["year"])
        printed[key].add(r["agency_raw"] or r["agency"])
    seen_sites = {site for _, site in rows}
    for site, meta in sorted((sites or {}).items()):
        if site not in seen_sites and meta.get("agency"):
            rows[(str(meta["agency"]), site)] = _site_row(site, meta)
    out: dict[str, list] = {c.name: [] for c in COLUMNS["agencies"]}
    for key in sorted(rows, key=lambda k: (k[1] or "", k[0])):
        row = rows[key]
        years = sorted(row.pop("_years"))
        row |= {
            "first_year": years[0] if years else None,
            "last_year": years[-1] if years else None,
            "years": year_ranges(years),
            "printed_as": "; ".join(sorted(printed[key])) or None,
        }
        for name in out:
            out[name].append(row.get(name))
    return pa.Table.from_pydict(out, schema=plain_schema("agencies"))


def _new_row(r: dict) -> dict:
    base = {k: r[k] for k in ("agency", "agency_kind", "site", "site_agency", *REGION)}
    return base | {"reports": 0, "_years": set()}


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
