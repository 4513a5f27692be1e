"""`govscrape crawl`: options, summary output, exit statuses 0 / 1 / 2, documented in --help."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from crawl_server import Reply, ScriptedServer

from govscrape.cli.main import main

REPORT = "<html><body>二、主动公开政府信息情况 四、政府信息公开行政复议</body></html>"


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    srv = ScriptedServer().start()
    yield srv
    srv.stop()


def write_config(tmp_path: Path, srv: ScriptedServer) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(
        "[crawl]\nper_host_delay_s = 0.0\nbackoff_initial_s = 0.01\nmax_tries = 2\n"
        f'[[site]]\nid = "good"\nagency = "某某县民政局"\nlisting = "{srv.url("/list/")}"\n'
        "allow_private_addresses = true\n"
        f'[[site]]\nid = "gone"\nagency = "某某县财政局"\nlisting = "{srv.url("/gone/")}"\n'
        "allow_private_addresses = true\n",
        encoding="utf-8",
    )
    return path


def test_help_documents_the_exit_statuses(capsys):
    with pytest.raises(SystemExit):
        main(["crawl", "--help"])
    out = capsys.readouterr().out
    assert "exit status" in out and "unusable" in out and "--no-parse" in out


def test_crawl_prints_the_summary_and_exits_0_for_good_sites(server, tmp_path, capsys):
    server.page("/list/", '<a href="r1.html">某某县民政局2023年政府信息公开工作年度报告</a>')
    server.page("/list/r1.html", REPORT)
    config = write_config(tmp_path, server)
    status = main(
        [
            "crawl",
            "--config",
            str(config),
            "--site",
            "good",
            "--data",
            str(tmp_path / "d"),
            "--no-parse",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0 and "good" in out and "1 new report document" in out
    assert (tmp_path / "d" / "state.sqlite").exists()


def test_a_site_that_fails_entirely_gives_exit_status_1(server, tmp_path, capsys):
    config = write_config(tmp_path, server)
    status = main(["crawl", "--config", str(config), "--data", str(tmp_path / "d"), "--no-parse"])
    assert status == 1 and "FAILED" in capsys.readouterr().out


def test_a_full_disk_under_the_crawl_state_gives_exit_status_3_in_one_line(
    server, tmp_path, capsys
):
    """SQLite meets the full disk first (it cannot grow the state's -shm file) and says only
    "disk I/O error": still the one-line exit-3 error, not a traceback."""
    from small_disk import fill, small_disk

    server.page("/list/", '<a href="r1.html">某某县民政局2023年政府信息公开工作年度报告</a>')
    server.page("/list/r1.html", REPORT)
    config, data = write_config(tmp_path, server), tmp_path / "d"
    crawl = ["crawl", "--config", str(config), "--site", "good", "--data", str(data), "--no-parse"]
    with small_disk(data, "1m"):
        (tmp_path / "raw").mkdir()
        (data / "raw").symlink_to(tmp_path / "raw")  # the raw store has room: SQLite meets it
        assert main(crawl) == 0
        capsys.readouterr()
        filler = fill(data, leave=8192)  # room for the lock file, not for the state's -shm
        assert main(crawl) == 3
        err = capsys.readouterr().err
        filler.unlink()
        assert main(crawl) == 0  # space again: the next crawl works
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"the disk holding {data} is full" in err and "disk I/O error" in err


def test_unusable_config_gives_exit_status_2(tmp_path, capsys):
    bad = tmp_path / "sites.toml"
    bad.write_text('[[site]]\nid = "x"\n', encoding="utf-8")
    assert main(["crawl", "--config", str(bad), "--data", str(tmp_path)]) == 2
    assert "'agency'" in capsys.readouterr().err


def test_unknown_site_id_gives_exit_status_2(server, tmp_path, capsys):
    config = write_config(tmp_path, server)
    assert main(["crawl", "--config", str(config), "--site", "nope", "--data", str(tmp_path)]) == 2


def test_sigterm_ends_the_crawl_cleanly_and_marks_the_run_interrupted(server, tmp_path):
    items = "".join(
        f'<li><a href="r{n}.html">某某县民政局{2010 + n}年政府信息公开工作年度报告</a></li>'
        for n in range(1, 9)
    )
    server.page("/list/", f"<ul>{items}</ul>")
    held = server.gate()  # the reports are not answered: the crawl is mid-way when signalled
    for n in range(1, 9):
        server.route(f"/list/r{n}.html", Reply(REPORT, hold=held))
    config = write_config(tmp_path, server)
    data = tmp_path / "d"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    cmd = [sys.executable, "-m", "govscrape", "crawl", "--config", str(config), "--site", "good",
           "--data", str(data), "--no-parse"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60  # only stops a broken test hanging
    while server.hits("/list/r1.html") == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 130
    with sqlite3.connect(data / "state.sqlite") as con:
        assert con.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]


def _crawl_cmd(config: Path, data: Path, *flags: str) -> list[str]:
    return [sys.executable, "-m", "govscrape", *flags, "crawl", "--config", str(config),
            "--site", "good", "--data", str(data), "--no-parse"]  # fmt: skip


ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}


_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ")


def _untimed(line: str) -> str:
    return _TIMESTAMP.sub("", line, count=1)


def test_without_a_terminal_log_lines_name_new_reports_and_failures_only(server, tmp_path):
    server.page(
        "/list/",
        '<a href="r1.html">某某县民政局2023年政府信息公开工作年度报告</a>'
        '<a href="r2.html">某某县民政局2022年政府信息公开工作年度报告</a>',
    )
    server.page("/list/r1.html", REPORT)
    config = write_config(tmp_path, server)
    done = subprocess.run(
        _crawl_cmd(config, tmp_path / "d"), env=ENV, capture_output=True, text=True, timeout=60
    )
    # Without a terminal every line starts with a timestamp (for cron logs): strip it.
    lines = [_untimed(line) for line in done.stderr.splitlines()]
    assert done.returncode == 0
    assert all(_TIMESTAMP.match(line) for line in done.stderr.splitlines())
    assert any(line.startswith("good report new ") and "/list/r1.html" in line for line in lines)
    assert any(line.startswith("good report failed ") and "HTTP 404" in line for line in lines)
    assert not any(" listing " in line for line in lines) and "\x1b[" not in done.stderr
    quiet = subprocess.run(
        _crawl_cmd(config, tmp_path / "q", "-q"), env=ENV, capture_output=True, text=True
    )
    assert quiet.returncode == 0 and [_untimed(x) for x in quiet.stderr.splitlines()] == [
        line for line in lines if " failed " in line
    ]
    assert "report pages" in quiet.stdout and "cells: seen/new/unch/fail/blk" in quiet.stdout


def test_on_a_terminal_a_progress_line_is_shown(server, tmp_path):
    import pty

    server.page("/list/", '<a href="r1.html">某某县民政局2023年政府信息公开工作年度报告</a>')
    server.page("/list/r1.html", REPORT, delay=0.3)
    config = write_config(tmp_path, server)
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        _crawl_cmd(config, tmp_path / "d"), env={**ENV, "TERM": "xterm", "COLUMNS": "160"},
        stdout=subprocess.PIPE, stderr=follower,
    )  # fmt: skip
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert proc.wait(timeout=30) == 0
    text = shown.decode("utf-8", "replace")
    assert "crawling 1 site(s)" in text and "good report new" in text
