"""Crawl the bundled demo portal end to end and answer "which agencies reported zero requests?".

Starts a portal of fictional agencies on 127.0.0.1 (a TRS city portal with department columns
and a gkmlpt JSON list API, a Hanweb county portal with a jpage column whose older items come
only from dataproxy.jsp, a host behind a 521 JavaScript challenge, a legacy GB2312
development-zone host laid out with tables), writes a sites.toml for it into the data folder,
crawls it with the real crawler, builds the Parquet datasets, prints the crawl and build
summaries and the zero-requests answer, and stops the portal. Report bodies come as HTML
tables, cell-per-line text, pipe text, a PDF attachment and a Word (.docx) attachment; one
report exists only as a Word 97 .doc, which is kept raw and flagged (parse.unsupported_format),
not read. The portal carries real-world trouble: a page failing once with 500, a robots.txt
rule, a GBK page without a charset header, a page with a mojibake header, an inconsistent
table, a report whose 总计 says 0 while a column says 1, and an agency missing a year. Three
reports on 2017 are prose, as every report before 2019 is: one states that no request came,
one states a count, one states nothing countable (it is no zero).

Run it twice: the second run is incremental and fetches nothing unchanged (the portal's ports are
remembered in DATA/demo-portal.json). With --serve the portal stays up until Ctrl-C, so you can
crawl it by hand with `govscrape crawl --config DATA/demo-sites.toml --data DATA`.

examples:
  govscrape demo                       # into data/demo
  govscrape demo --data /tmp/demo      # a fresh folder: a full first crawl
  govscrape demo --serve --port 8600   # the portal on ports 8600-8603, until Ctrl-C
  govscrape zero-requests --data data/demo --year 2020
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", type=Path, default=Path("data/demo"),
        help="the demo's data folder (default: data/demo)",
    )  # fmt: skip
    parser.add_argument(
        "--serve", action="store_true",
        help="only run the portal (until Ctrl-C) and print how to crawl it",
    )  # fmt: skip
    parser.add_argument(
        "--port", type=int, metavar="N",
        help="serve the four demo hosts on ports N..N+3 (default: free ports, reused next run)",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    # Imported here: the demo pulls in the crawler, the datasets and the questions.
    from govscrape.demo.run import run_demo, serve

    if args.serve:
        serve(args.data, port=args.port)
        return 0
    run_demo(args.data, port=args.port)
    d = args.data
    print(f"\nnext: govscrape zero-requests --data {d} --year 2022")
    print(f"      govscrape zero-requests --data {d} --year 2017")
    print(f"      govscrape findings --data {d}")
    print(f"      govscrape compare --data {d} --agency 云泽高新技术产业开发区管理委员会")
    return 0
