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
    "docx_inflates_to_200mb.docx": "parse.resource_limit",
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
    guarded PDF reader too); killed at 20 s. The peak RSS is wait4's: the process's own and
    that of the children it waited for (the guarded reader), whichever is larger."""
    started = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [*GOVSCRAPE, "parse", "--json", str(path)],
            stdout=out,
            stderr=err,
            preexec_fn=_limits,
            env=env,
        )
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > SECONDS:
                child.kill()
                os.wait4(child.pid, 0)
                pytest.fail(f"{path.name}: not answered within {SECONDS} s")
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
