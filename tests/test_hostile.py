"""Every hostile file is answered by `govscrape parse` within 20 s and 1 GB: exit 0 or 1 with at
most a one-line error, never a traceback, and with the finding that says what was not read."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile_corpus import KINDS, ONE_LINE_ERROR, write_corpus

SECONDS = 20
MEMORY = 1 << 30
GOVSCRAPE = [sys.executable, "-m", "govscrape"]

# What each file must come back with, beyond "answered": a finding code in the JSON.
EXPECTED_CODES = {
    "huge_numbers.html": "parse.unreadable_cell",
    "footnote_markers.html": "parse.unreadable_cell",
    "nested_tables.html": "parse.resource_limit",
    "big_page.html": "parse.resource_limit",
    "rowspan_stack.html": "parse.resource_limit",
    "colspan_wide.html": "parse.resource_limit",
    "docx_span_bomb.docx": "parse.resource_limit",
    "docx_inflates_to_70mb.docx": "parse.resource_limit",
    "docx_many_cells.docx": "parse.resource_limit",
    "pdf_flate_bomb.pdf": "parse.resource_limit",
    "pdf_5000_pages.pdf": "parse.resource_limit",
    "pdf_200k_rectangles.pdf": "parse.resource_limit",
    "pdf_dense_rules.pdf": "parse.resource_limit",
    "pdf_2m_glyphs.pdf": "parse.resource_limit",
    "pdf_many_small_glyph_pages.pdf": "parse.resource_limit",
}


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def parse_under_limits(path: Path) -> Run:
    """`govscrape parse --json FILE` in a subprocess limited to 1 GB of address space (its
    guarded PDF reader too); killed at 20 s."""
    return _run_limited([*GOVSCRAPE, "parse", "--json", str(path)], seconds=SECONDS)


def _run_limited(command: list[str], seconds: float) -> Run:
    """Run under 1 GB of address space, killed at `seconds`. The peak RSS is wait4's: the
    process's own, or that of a child it waited for, the larger."""
    started = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, preexec_fn=_limits, env=env)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > seconds:
                child.kill()
                os.wait4(child.pid, 0)
                pytest.fail(f"{command[-1]}: not answered within {seconds} s")
            time.sleep(0.02)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            child.returncode,
            out.read().decode(),
            err.read().decode("utf-8", "replace"),
            time.monotonic() - started,
            usage.ru_maxrss / 1024,
        )


@pytest.mark.slow
@pytest.mark.parametrize("name", list(KINDS))
def test_every_hostile_file_is_answered_within_the_limits(name, tmp_path):
    path = write_corpus(tmp_path, [name])[name]
    run = parse_under_limits(path)
    assert run.status in (0, 1), run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr == "" or ONE_LINE_ERROR.match(run.stderr), run.stderr
    report = json.loads(run.stdout)
    codes = {f["code"] for f in report["findings"]}
    assert "parse.internal_error" not in codes, report["findings"]
    if name in EXPECTED_CODES:
        assert EXPECTED_CODES[name] in codes, report["findings"]


# --- a crawl of a hostile server -----------------------------------------------------------------

HOSTILE_CONFIG = """
[crawl]
per_host_delay_s = 0
request_deadline_s = 3
max_tries = 1
max_body_bytes = 2000000

[[site]]
id = "hostile"
agency = "某某县民政局"
listing = "{listing}"
allow_private_addresses = true
robots = {{ obey = false, reason = "our own test server" }}
"""


def _report_link(n: int, path: str) -> str:
    return f'<li><a href="{path}">某某县民政局{2000 + n}年政府信息公开工作年度报告</a></li>'


def _hostile_server():
    import gzip

    from crawl_server import Reply, ScriptedServer

    server = ScriptedServer().start()
    bomb = gzip.compress(gzip.compress(bytes(64 * 1024 * 1024), mtime=0), mtime=0)
    pages = {
        "/r/bomb.html": Reply(bomb, headers={"Content-Encoding": "gzip, gzip"}),
        "/r/drip.html": Reply(b"<html>" + b"x" * 100, drip=0.5),
        "/r/headers.html": Reply("<html>ok</html>", headers={"X-Junk": "a" * 200_000}),
        "/r/anchors.html": Reply(b"<html><body>" + b"<a x" * 300_000),
        "/r/scripts.html": Reply(b"<script>" * 40_000),  # a 521 would close the host
        "/r/nested.html": Reply(b"<html><body>" + b"<div>" * 200_000),
        "/r/private.html": Reply(status=302, headers={"Location": "http://169.254.169.254/x"}),
        "/r/private2.html": Reply(status=302, headers={"Location": "http://10.0.0.1/x"}),
        "/r/charset.html": Reply(b"<html>x</html>", content_type="text/html; charset=rot13"),
        "/r/big.html": Reply(b"<p>1</p>" * 1_000_000),
    }
    for path, reply in pages.items():
        server.route(path, reply)
    links = "".join(_report_link(n, path) for n, path in enumerate(pages))
    server.page("/list/", f"<html><body><ul>{links}</ul>" + "<a x" * 100_000)
    return server, len(pages)


@pytest.mark.slow
def test_a_crawl_of_a_hostile_server_finishes_with_bounded_memory(tmp_path):
    server, count = _hostile_server()
    try:
        config = tmp_path / "sites.toml"
        config.write_text(HOSTILE_CONFIG.format(listing=server.url("/list/")), "utf-8")
        command = [*GOVSCRAPE, "crawl", "--config", str(config), "--data", str(tmp_path / "d")]
        run = _run_limited([*command, "--no-parse"], seconds=120)
    finally:
        server.stop()
    assert run.status == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout
    assert run.peak_rss_mb < 400, run.peak_rss_mb  # a 64 MB bomb, a 2 MB body limit
    assert f"{count}/" in run.stdout  # every report page was handled
    assert "body larger than 2000000 bytes" in run.stdout + run.stderr
    assert "within 3 s" in run.stdout + run.stderr
    assert "outside the site's domains" in run.stdout + run.stderr
