"""Compare one agency year by year (--agency), or all agencies side by side for a year (--year).

Headline figures: new requests, share granted, share denied, review/litigation corrections and
a few active-disclosure figures. Across the 2021 template break, "other handling" is compared
as other_total (v2021: the sum of its three rows, marked derived), and active-disclosure
figures whose meaning changed are marked as not comparable in the notes column.
"""

from __future__ import annotations

import argparse

from govscrape.commands.questions_common import add_common, output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--agency", metavar="NAME", help="one agency, year by year")
    which.add_argument("--year", type=int, help="every agency for one statistical year")


def run(args: argparse.Namespace) -> int:
    from govscrape.query import compare_agency, compare_year

    if args.agency is not None:
        return output(compare_agency(args.data, args.agency), args.format)
    return output(compare_year(args.data, args.year), args.format)
