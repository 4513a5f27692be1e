"""Compare one agency year by year (--agency), or all agencies side by side for a year (--year).

Headline figures: new requests, share granted, share denied, other handling, review/litigation
corrections and a few active-disclosure figures. Across the 2021 template break, "other
handling" is compared as other_total (v2021: the sum of its three rows, marked derived with a
*), and the active-disclosure figures whose meaning changed are separate figures, each marked
as not comparable. A year without a report is shown as missing, with the reason the crawl knows.

--format table shows --agency as figures by year (one column per year) and --year as one row
per agency; csv and json give one row per report with every column (report_id, url, notes).
"""

from __future__ import annotations

import argparse

from govscrape.cli.common import add_common, output

COMPARE_FORMAT_HELP = (
    "output format (default: table): table is for reading (--agency: figures by year, --year: "
    "the key columns), csv and json carry every column"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser, COMPARE_FORMAT_HELP)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--agency", metavar="NAME", help="one agency, year by year")
    which.add_argument("--year", type=int, help="every agency for one statistical year")


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: the questions load pandas, which `govscrape --help` should not.
    from govscrape.questions.compare import compare_agency, compare_year
    from govscrape.questions.compare_views import side_by_side_view, year_by_year_view

    if args.agency is not None:
        frame = compare_agency(args.data, args.agency)
        view = year_by_year_view
    else:
        frame = compare_year(args.data, args.year)
        view = side_by_side_view
    return output(view(frame) if args.format == "table" else frame, args.format)
