"""The `govscrape` command line: one registry of subcommands, logging flags, friendly errors."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from govscrape import __version__
from govscrape.errors import DiskFullError, GovscrapeError, is_disk_full

# Every subcommand, registered here and only here: name -> (module, one-line description).
# Each module defines `add_arguments(parser)` and `run(args) -> int` (the exit status).
COMMANDS: dict[str, tuple[str, str]] = {
    "crawl": ("govscrape.cli.crawl", "Crawl the portals of sites.toml for annual reports."),
    "parse": (
        "govscrape.cli.parse",
        "Parse report files, or rebuild the Parquet datasets from the raw store.",
    ),
    "demo": (
        "govscrape.cli.demo",
        "Crawl the bundled demo portal end to end and answer a question.",
    ),
    "zero-requests": (
        "govscrape.cli.zero_requests",
        "List agencies that report receiving no requests, and those with no report.",
    ),
    "compare": (
        "govscrape.cli.compare",
        "Compare an agency year by year, or agencies side by side for a year.",
    ),
    "findings": (
        "govscrape.cli.findings",
        "List the inconsistencies found in the reports, for fact-checkers.",
    ),
    "sql": ("govscrape.cli.sql", "Run SQL (DuckDB) over the datasets."),
    "sites": (
        "govscrape.cli.sites",
        "Check the sites of sites.toml: reachable or why not, what their listings show now.",
    ),
}

log = logging.getLogger("govscrape")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govscrape",
        description=(
            "Turn China's government information disclosure annual reports "
            "(政府信息公开工作年度报告) into clean, comparable data."
        ),
    )
    parser.add_argument("--version", action="version", version=f"govscrape {__version__}")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument(
        "-v", "--verbose", action="count", default=0, help="more detail (-vv for debug)"
    )
    verbosity.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name, (module_name, summary) in COMMANDS.items():
        module = importlib.import_module(module_name)
        sub = subparsers.add_parser(
            name,
            help=summary,
            description=(module.__doc__ or summary).strip(),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(sub)
        sub.set_defaults(_run=module.run)
    return parser


def configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    if verbose == 1:
        level = logging.INFO
    if verbose:
        fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    elif sys.stderr.isatty():
        fmt = "%(message)s"
    else:  # under cron a log file without times is hard to read the morning after
        fmt = "%(asctime)s %(message)s"
    logging.basicConfig(level=level, format=fmt, stream=sys.stderr)
    if verbose < 2:  # httpx logs every request at INFO; that is noise unless debugging
        logging.getLogger("httpx").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    configure_logging(args.verbose, args.quiet)
    try:
        return int(args._run(args) or 0)
    except GovscrapeError as exc:
        print(f"govscrape {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_status
    except Exception as exc:  # a full disk wherever it struck: one line, not a traceback
        if not is_disk_full(exc):
            raise
        print(f"govscrape {args.command}: error: the disk is full ({exc})", file=sys.stderr)
        return DiskFullError.exit_status
    except KeyboardInterrupt:
        print(f"govscrape {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `govscrape findings | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
