"""Run SQL (DuckDB) over the datasets: each dataset is a view of its name.

Views: reports, requests, active_disclosure, review_litigation, sections, findings, with the
columns of docs/data-dictionary.md (`year` is null where the report's year is unknown). Times
are shown in China time (the session time zone is Asia/Shanghai), so `published::DATE` is the
date printed on the report page. Only reading statements run (SELECT, WITH, FROM, VALUES,
DESCRIBE, SHOW, SUMMARIZE, EXPLAIN): COPY, CREATE, ATTACH, SET and the like are refused,
and no file other than the datasets can be read. Examples:

  govscrape sql "SELECT agency, value FROM requests WHERE row = 'new' AND applicant = 'total'"
  govscrape sql "SELECT code, count(*) AS n FROM findings GROUP BY code" --format csv
"""

from __future__ import annotations

import argparse

from govscrape.cli.common import add_common, output

SQL_FORMAT_HELP = (
    "output format (default: table): table prints every column of the result, aligned; "
    "csv and json are for other tools"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help="the SQL statement")
    add_common(parser, SQL_FORMAT_HELP)


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: the questions load pandas, which `govscrape --help` should not.
    from govscrape.questions.sql import sql

    return output(sql(args.data, args.query), args.format)
