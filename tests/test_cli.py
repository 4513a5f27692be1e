"""The command line: help, version, error handling."""

from __future__ import annotations

import subprocess
import sys

from govscrape.cli.main import COMMANDS, main


def test_help_lists_every_subcommand_with_description(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    for name, (_module, summary) in COMMANDS.items():
        assert name in out
        assert summary.split()[0] in out


def test_version_prints_package_version():
    proc = subprocess.run(
        [sys.executable, "-m", "govscrape", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("govscrape ")
