"""`govscrape crawl` under its supervisor: a page whose reading kills the crawl process costs that
page only (quarantined, with a finding), the crawl finishes; stops reach the child; bounded."""

from __future__ import annotations

import faulthandler
import fcntl
import os
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
from govscrape.crawl import site_crawl
from govscrape.crawl.reading_marker import MARKER_NAME
from govscrape.crawl.supervise import MAX_CRASHES, _Supervisor

KILL_TEXT = "KILLSTHECRAWL"  # a page holding it kills the process reading it (the test hook)
REPORT = "<html><body>二、主动公开政府信息情况 四、政府信息公开行政复议 {extra}</body></html>"
PDF_LINK = '<a href="r2.pdf">附件：年度报告</a>'
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    srv = ScriptedServer().start()
    yield srv
    srv.stop()


def portal(srv: ScriptedServer, tmp_path: Path, reports: int = 4) -> Path:
    """A listing of `reports` report pages, each linking its PDF; the config for it."""
    items = "".join(
        f'<li><a href="r{n}.html">某某县民政局{2010 + n}年政府信息公开工作年度报告</a></li>'
        for n in range(1, reports + 1)
    )
    srv.page("/list/", f"<ul>{items}</ul>")
    for n in range(1, reports + 1):
        srv.page(f"/list/r{n}.html", REPORT.format(extra=f'<a href="r{n}.pdf">附件：年度报告</a>'))
        srv.route(f"/list/r{n}.pdf", Reply(b"%PDF-1.4 fictional", content_type="application/pdf"))
    config = tmp_path / "sites.toml"
    config.write_text(
        "[crawl]\nper_host_delay_s = 0.0\nbackoff_initial_s = 0.01\nmax_tries = 2\n"
        f'[[site]]\nid = "good"\nagency = "某某县民政局"\nlisting = "{srv.url("/list/")}"\n'
        "allow_private_addresses = true\n",
        encoding="utf-8",
    )
    return config


def crash_reading(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """The test hook: reading a report page holding KILL_TEXT kills the process natively, as a
    crash in lexbor would (the supervisor's child is a fork: it inherits the patch)."""
    real = site_crawl.inspect_report

    def inspect(url: str, html: str, site: object) -> object:
        if KILL_TEXT in html:
            faulthandler.disable()  # pytest's would print every thread's stack: noise here
            if how == "abort":
                os.abort()
            os.kill(os.getpid(), getattr(signal, how))
        return real(url, html, site)  # type: ignore[arg-type]

    monkeypatch.setattr(site_crawl, "inspect_report", inspect)


def crawl(config: Path, data: Path, *flags: str) -> int:
    return main(["crawl", "--config", str(config), "--data", str(data), "--no-parse", *flags])


def rows(data: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(data / "state.sqlite") as con:
        return con.execute(sql).fetchall()


@pytest.mark.parametrize(("how", "name"), [("abort", "SIGABRT"), ("SIGSEGV", "SIGSEGV"),
                                           ("SIGKILL", "SIGKILL")])  # fmt: skip
def test_a_page_that_kills_the_crawl_is_quarantined_and_the_crawl_finishes(
    server, tmp_path, monkeypatch, capsys, how, name
):
    config, data = portal(server, tmp_path), tmp_path / "d"
    server.page("/list/r2.html", REPORT.format(extra=KILL_TEXT + PDF_LINK))
    crash_reading(monkeypatch, how)
    assert crawl(config, data) == 0
    assert "2 new report document" not in capsys.readouterr().out  # the summary is printed
    stored = {url.rsplit("/", 1)[1] for (url,) in rows(data, "SELECT url FROM urls WHERE sha256"
                                                       " IS NOT NULL")}  # fmt: skip
    # Every other page and attachment is stored; the page that crashed is stored, not read.
    assert stored == {"", "r1.html", "r2.html", "r3.html", "r4.html", "r1.pdf", "r3.pdf", "r4.pdf"}
    ((url, code, message),) = rows(data, "SELECT url, code, message FROM findings")
    assert url == server.url("/list/r2.html") and code == "crawl.document_crashed"
    assert url in message and name in message
    runs = rows(data, "SELECT status, summary FROM runs")
    assert [status for status, _ in runs] == ["crashed", "ok"]  # one run, started twice
    assert runs[0][1] == f'{{"signal": "{name}"}}'
    assert not (data / MARKER_NAME).exists()


def test_a_quarantined_page_is_not_read_again_until_its_bytes_change(server, tmp_path, monkeypatch):
    config, data = portal(server, tmp_path, reports=2), tmp_path / "d"
    server.page("/list/r2.html", REPORT.format(extra=KILL_TEXT + PDF_LINK))
    crash_reading(monkeypatch, "SIGSEGV")
    assert crawl(config, data) == 0
    assert crawl(config, data, "--full") == 0  # fetched again, the same bytes: not read
    assert len(rows(data, "SELECT * FROM findings")) == 1 and server.hits("/list/r2.pdf") == 0
    server.page("/list/r2.html", REPORT.format(extra=PDF_LINK))  # corrected
    assert crawl(config, data, "--full") == 0
    assert rows(data, "SELECT * FROM findings") == [] == rows(data, "SELECT * FROM quarantine")
    assert server.hits("/list/r2.pdf") == 1


def test_a_crawl_that_keeps_dying_stops_with_exit_status_4_in_one_line(
    server, tmp_path, monkeypatch, capsys
):
    config, data = portal(server, tmp_path, reports=MAX_CRASHES + 2), tmp_path / "d"
    for n in range(1, MAX_CRASHES + 3):
        server.page(f"/list/r{n}.html", REPORT.format(extra=KILL_TEXT))
    crash_reading(monkeypatch, "SIGSEGV")
    assert crawl(config, data) == 4
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("govscrape crawl: error: the crawl process died 5 times")
    assert len(rows(data, "SELECT * FROM quarantine")) == MAX_CRASHES


def test_a_crash_while_several_pages_were_read_restarts_reading_one_at_a_time(tmp_path):
    (tmp_path / MARKER_NAME).write_bytes(b"good\thttp://a/1.html\ngood\thttp://a/2.html\n\0stale")
    supervisor = _Supervisor(lambda one: None, tmp_path)
    supervisor._after_crash(signal.SIGSEGV)
    assert supervisor.suspects == {"http://a/1.html", "http://a/2.html"}  # read again, alone
    assert rows(tmp_path, "SELECT * FROM quarantine") == []  # nothing quarantined on a guess


@pytest.mark.slow
def test_pages_read_together_at_a_crash_are_read_again_one_at_a_time(
    server, tmp_path, monkeypatch, caplog
):
    """Two large pages are read at once (each in a thread) when one of them kills the process,
    after both were recorded as stored: which one did it is unknown, so neither is quarantined;
    the restart reads both again, one at a time, and the page that did it is found alone. The
    other one's links are followed (not lost because it was already stored)."""
    config, data = portal(server, tmp_path, reports=2), tmp_path / "d"
    pad = "<p>" + "本机关坚持以公开为常态。" * 12_000 + "</p>"  # > READ_IN_LOOP_BYTES
    server.page(
        "/list/r1.html", REPORT.format(extra=f"SLOWREAD{pad}" + PDF_LINK.replace("r2", "r1"))
    )
    server.page("/list/r2.html", REPORT.format(extra=KILL_TEXT + pad + PDF_LINK))
    marker, real = data / MARKER_NAME, site_crawl.inspect_report

    def inspect(url: str, html: str, site: object) -> object:
        if "SLOWREAD" in html:
            time.sleep(2.5)
        if KILL_TEXT in html:
            deadline = time.monotonic() + 1.0
            while marker.read_bytes().count(b"\n") < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(1.2)  # past the state's commit interval: both pages recorded as stored
            faulthandler.disable()
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(url, html, site)  # type: ignore[arg-type]

    monkeypatch.setattr(site_crawl, "inspect_report", inspect)
    assert crawl(config, data) == 0
    assert "reading one page at a time" in caplog.text
    ((url,),) = rows(data, "SELECT url FROM quarantine")
    assert url == server.url("/list/r2.html")
    assert server.hits("/list/r1.pdf") == 1 and server.hits("/list/r2.pdf") == 0


def _start_held_crawl(
    server: ScriptedServer, tmp_path: Path, **popen: object
) -> tuple[subprocess.Popen, Path]:
    """A real `govscrape crawl` process whose report fetches are held: mid-crawl."""
    config, data = portal(server, tmp_path), tmp_path / "d"
    held = server.gate()
    for n in range(1, 5):
        server.route(f"/list/r{n}.html", Reply(REPORT.format(extra=""), hold=held))
    cmd = [sys.executable, "-m", "govscrape", "crawl", "--config", str(config), "--data",
           str(data), "--no-parse"]  # fmt: skip
    proc = subprocess.Popen(
        cmd,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **popen,  # type: ignore[call-overload]
    )
    deadline = time.monotonic() + 60  # only stops a broken test hanging
    while server.hits("/list/r1.html") == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    return proc, data


def test_sigterm_to_the_supervisor_reaches_the_crawl_which_ends_cleanly(server, tmp_path):
    proc, data = _start_held_crawl(server, tmp_path)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 130
    assert "interrupted" in proc.stderr.read().decode()  # type: ignore[union-attr]
    assert rows(data, "SELECT status FROM runs") == [("interrupted",)]


def test_ctrl_c_on_a_terminal_reaching_supervisor_and_crawl_ends_cleanly(server, tmp_path):
    """A terminal's Ctrl-C signals the whole foreground group: the crawl gets SIGINT directly and
    forwarded by the supervisor; the second must not break its clean ending."""
    proc, data = _start_held_crawl(server, tmp_path, start_new_session=True)
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=60) == 130
    assert "Traceback" not in proc.stderr.read().decode()  # type: ignore[union-attr]
    assert rows(data, "SELECT status FROM runs") == [("interrupted",)]


def test_a_killed_supervisor_leaves_no_crawl_running(server, tmp_path):
    """kill -9 of the supervisor: its child ends cleanly (PR_SET_PDEATHSIG), freeing the lock."""
    proc, data = _start_held_crawl(server, tmp_path)
    proc.kill()
    proc.wait(timeout=60)
    fd = os.open(data / "crawl.lock", os.O_RDWR)
    deadline = time.monotonic() + 60
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free once the child is gone
            break
        except BlockingIOError:
            assert time.monotonic() < deadline, "the crawl's child still holds the lock"
            time.sleep(0.05)
    os.close(fd)
    assert rows(data, "SELECT status FROM runs") == [("interrupted",)]
