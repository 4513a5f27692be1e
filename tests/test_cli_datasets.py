"""`govscrape parse` without files: rebuilding the datasets, its options and its errors."""

from __future__ import annotations

import pytest
from datasets_factory import add_site, make_report, report_to_bytes, store_report

from govscrape.cli.main import main
from govscrape.datasets.workers import INLINE_BELOW


def test_rebuild_without_crawl_state_fails_and_leaves_nothing_behind(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["parse", "--data", str(data)]) == 1
    assert "run govscrape crawl first" in capsys.readouterr().err
    assert not data.exists()


@pytest.mark.parametrize("value", ["0", "-3", "two"])
def test_jobs_must_be_a_whole_number_of_at_least_one(value, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["parse", "--jobs", value])
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert "--jobs" in err and f"must be a whole number of at least 1, not {value!r}" in err


def test_jobs_help_gives_the_default(capsys):
    with pytest.raises(SystemExit):
        main(["parse", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    expected = (
        "worker processes (default: the cores available; "
        f"a build under {INLINE_BELOW} reports runs in-process)"
    )
    assert expected in text


def test_rebuild_with_one_job_writes_the_datasets(tmp_path, capsys):
    add_site(tmp_path, "a", agency="甲局")
    report = make_report("甲局", 2021)
    store_report(tmp_path, "http://a.gov.cn/2021.html", report_to_bytes(report), site="a")
    assert main(["parse", "--data", str(tmp_path), "--jobs", "1"]) == 0
    assert "datasets written" in capsys.readouterr().out
