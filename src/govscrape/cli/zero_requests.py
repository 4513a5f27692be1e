"""List the agencies whose reports say they received no new requests, with evidence.

Each zero is checked against the applicant columns: a 总计 of 0 whose columns add up to N is
listed as "reported 0 but columns sum to N", never as a clean zero; a 总计 of 0 with an
applicant cell that could not be read is zero_unverified, naming the cell. A clean zero has
every applicant column read (blank, — and 无 counted as 0, named in the detail). Agencies
with no report for the year are listed too, so that a missing report is not mistaken for a
zero, with what the crawl could see of their site: a site blocked by an anti-bot challenge or
unreachable says so, since its missing report says nothing about the agency.

status: clean_zero | zero_but_columns_sum | zero_unverified | total_blank | no_figures |
unreadable | no_report (see docs/data-dictionary.md). Notes (e.g. a year with no report at
all) go to stderr.
"""

from __future__ import annotations

import argparse

from govscrape.cli.common import add_common, output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument("--year", type=int, help="statistical year (default: every year)")


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: the questions load pandas, which `govscrape --help` should not.
    from govscrape.questions.zero_requests import zero_requests

    return output(zero_requests(args.data, year=args.year), args.format)
