"""List the inconsistencies found in the reports, for fact-checkers.

Each finding sits beside the reported values (which are never corrected): the rule, what it
expected, what the report says, and the report's URL. --code takes a code
(requests.row_total) or a family (requests, parse); an unknown code is an error that lists the
known ones. --format table shows year, agency, severity, code, message and URL; csv and json
add the table/row/column concerned, expected, found, blank_as_zero, raw text and report_id.
"""

from __future__ import annotations

import argparse

from govscrape.cli.common import add_common, output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument("--code", help="only this finding code or family (e.g. requests)")
    parser.add_argument("--year", type=int, help="statistical year (default: every year)")


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: the questions load pandas, which `govscrape --help` should not.
    from govscrape.questions.findings import findings

    return output(findings(args.data, code=args.code, year=args.year), args.format)
