"""Progress of a long build: log lines when not on a terminal, a bar on one; quiet when small."""

from __future__ import annotations

import io
import logging

from datasets_factory import add_site, fake_parse, make_report, report_to_bytes, store_report

from govscrape.datasets import build_datasets, progress
from govscrape.datasets.progress import BuildProgress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_long_build_off_a_terminal_logs_its_progress(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(progress, "BAR_FROM", 2)
    monkeypatch.setattr(progress, "LOG_EVERY", 0.0)
    add_site(tmp_path, "a", agency="甲局")
    for year in (2020, 2021, 2022):
        store_report(tmp_path, f"http://a.gov.cn/{year}.html",
                     report_to_bytes(make_report("甲局", year)), site="a")  # fmt: skip
    with caplog.at_level(logging.INFO, logger="govscrape.datasets"):
        build_datasets(tmp_path, parse=fake_parse, jobs=1)  # progress=None: the default display
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0] == "parsing 3 report(s) in this process"
    assert "parsed 1/3 reports (33%" in lines[1]
    assert lines[-1].startswith("parsed 3 report(s) in ")


def test_a_small_build_says_nothing_at_info_level(caplog):
    quiet = caplog.at_level(logging.INFO, logger="govscrape.datasets")
    with quiet, BuildProgress(total=3, jobs=2, stream=io.StringIO()) as show:
        show(3, 3)
    assert caplog.records == []


def test_on_a_terminal_a_long_build_draws_a_bar_unless_quiet(caplog):
    terminal, many = FakeTerminal(), progress.BAR_FROM
    info = caplog.at_level(logging.INFO, logger="govscrape.datasets")
    with info, BuildProgress(total=many, jobs=2, stream=terminal) as show:
        assert show.bar is not None
        show(many, many)
    assert "parsing reports" in terminal.getvalue()
    quiet = caplog.at_level(logging.WARNING, logger="govscrape.datasets")  # govscrape -q
    with quiet, BuildProgress(total=many, jobs=2, stream=FakeTerminal()) as show:
        assert show.bar is None
