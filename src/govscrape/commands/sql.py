"""Run SQL (DuckDB) over the datasets: each dataset is a view of its name.

Views: reports, requests, active_disclosure, review_litigation, sections, findings (see
docs/data-dictionary.md). Example:

  govscrape sql "SELECT agency, value FROM requests WHERE row = 'new' AND applicant = 'total'"
"""

from __future__ import annotations

import argparse

from govscrape.commands.questions_common import add_common, output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help="the SQL statement")
    add_common(parser)


def run(args: argparse.Namespace) -> int:
    from govscrape.query import sql

    return output(sql(args.data, args.query), args.format)
