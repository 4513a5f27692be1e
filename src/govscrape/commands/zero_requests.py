"""Placeholder for `govscrape zero-requests` until its issue lands."""

from __future__ import annotations

import argparse

from govscrape.errors import GovscrapeError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    raise GovscrapeError("this command is not built yet")
