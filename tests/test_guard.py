"""The guarded reader: one long-lived child per process reads document after document; a death,
a hang or a worn-out child costs one document at most, and the next is read by a fresh child."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from guard_hooks import KILL_TEXT
from pdf_fixtures import report_pdf

from govscrape.document import Document, Grid, GridCell
from govscrape.extract import extract_document, guard
from govscrape.extract.guard_wire import from_json, to_json
from govscrape.extract.limits import LIMITS, Limit
from govscrape.extract.pdf import extract_pdf
from govscrape.model import Finding

TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src"


@pytest.fixture
def hooks(monkeypatch):
    """The test-only extractors of guard_hooks.py registered, in children started afresh (the
    children import them, so tests/ is on their path)."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(TESTS), str(SRC)]))
    monkeypatch.setitem(guard.GUARDED, "hook", ("guard_hooks", "behave"))
    guard.close_children()
    yield
    guard.close_children()


def read(data: bytes) -> Document:
    return guard.run_guarded("hook", data)


def pid(doc: Document) -> int:
    return int(doc.meta["pid"])


def limit_codes(doc: Document) -> list[tuple[str, str | None]]:
    return [(f.code, f.raw) for f in doc.findings]


def short_deadline(monkeypatch, seconds: int = 1) -> None:
    monkeypatch.setitem(LIMITS, "seconds", Limit("seconds", seconds, "seconds", "a test"))
    monkeypatch.setattr(guard, "GRACE_S", 0.5)


def test_many_pdfs_are_read_by_one_child_as_they_are_in_process():
    guard.close_children()
    data = report_pdf()
    docs = [extract_document(data) for _ in range(4)]
    assert all(doc == extract_pdf(data) for doc in docs)
    assert docs[0].source_form == "pdf" and any(isinstance(b, Grid) for b in docs[0].blocks)
    assert len(guard._guard().idle) == 1  # one child, kept for the next document


def test_many_documents_go_to_the_same_child(hooks):
    docs = [read(f"doc {n}".encode()) for n in range(5)]
    assert [d.blocks for d in docs] == [[f"doc {n}"] for n in range(5)]
    assert len({pid(d) for d in docs}) == 1 and pid(docs[0]) != os.getpid()


@pytest.mark.parametrize(
    ("death", "said"),
    [("abort", "aborted"), ("segv", "segmentation fault")],
)
def test_a_death_costs_that_document_only(hooks, death, said):
    before = read(b"before")
    dead = read(death.encode())
    after = read(b"after")
    assert limit_codes(dead) == [("parse.resource_limit", "memory")]
    assert said in dead.findings[0].message and not dead.blocks
    assert after.blocks == ["after"] and pid(after) != pid(before)


def test_a_child_killed_mid_document_costs_that_document_and_the_next_is_read(hooks, tmp_path):
    pidfile = tmp_path / "pid"
    answers: list[Document] = []
    reading = threading.Thread(target=lambda: answers.append(read(f"sleep:60:{pidfile}".encode())))
    reading.start()
    deadline = time.monotonic() + 30
    while not pidfile.exists() or not pidfile.read_text():
        assert time.monotonic() < deadline, "the child never started reading"
        time.sleep(0.01)
    os.kill(int(pidfile.read_text()), signal.SIGKILL)  # as the OOM killer does
    reading.join(30)
    assert limit_codes(answers[0]) == [("parse.resource_limit", "memory")]
    assert "killed" in answers[0].findings[0].message
    assert read(b"next").blocks == ["next"]


@pytest.mark.parametrize("stuck", ["hang", "spin"])
def test_a_hang_hits_the_deadline_and_the_next_document_is_read(hooks, monkeypatch, stuck):
    short_deadline(monkeypatch)
    first = read(b"first")
    started = time.monotonic()
    hung = read(stuck.encode())
    waited = time.monotonic() - started
    assert limit_codes(hung) == [("parse.resource_limit", "seconds")]
    assert "stopped at the deadline" in hung.findings[0].message
    assert 1.0 <= waited < 30  # the deadline, not the hour the document asked for
    assert not _alive(pid(first))  # the stuck child was killed, not left behind
    assert read(b"next").blocks == ["next"]


def test_the_child_is_replaced_every_recycle_documents(hooks, monkeypatch):
    monkeypatch.setattr(guard, "RECYCLE_DOCUMENTS", 3)
    pids = [pid(read(f"{n}".encode())) for n in range(7)]
    assert pids[0] == pids[1] == pids[2] != pids[3]
    assert pids[3] == pids[4] == pids[5] != pids[6]
    assert not _alive(pids[0])  # the retired child ended


def test_a_child_that_came_near_its_memory_limit_is_replaced(hooks):
    first = read(b"small")
    near = read(f"reserve:{LIMITS['memory'].value * 8 // 10 // 2**20}".encode())
    after = read(b"after")
    assert pid(first) == pid(near) != pid(after)  # read in full, then retired
    assert near.blocks and not near.findings


def test_a_document_does_not_pay_for_the_memory_an_earlier_one_left_taken(hooks):
    """A child keeps what earlier documents left (here 60% of the cap): a document that then
    does not fit is read again by a fresh child, as it would have been read alone."""
    cap_mb = LIMITS["memory"].value // 2**20
    holder = read(f"hold:{cap_mb * 6 // 10}".encode())
    big = read(f"reserve:{cap_mb * 6 // 10}".encode())
    assert big.blocks and not big.findings  # read in full
    assert pid(big) != pid(holder)


def test_a_document_over_the_memory_limit_in_a_fresh_child_too_is_not_read(hooks):
    cap_mb = LIMITS["memory"].value // 2**20
    read(b"first")
    over = read(f"reserve:{cap_mb}".encode())
    assert limit_codes(over) == [("parse.resource_limit", "memory")]
    assert "ran out of memory" in over.findings[0].message
    assert read(b"next").blocks == ["next"]


def test_a_child_holding_much_resident_memory_is_replaced(hooks, monkeypatch):
    monkeypatch.setattr(guard, "RECYCLE_RSS", 1)  # every child holds more than a byte
    assert pid(read(b"one")) != pid(read(b"two"))


def test_threads_reading_at_once_each_get_their_own_answer(hooks):
    answers: dict[int, list[Document]] = {}

    def reader(n: int) -> None:
        answers[n] = [read(f"thread {n} doc {k}".encode()) for k in range(5)]

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for n in range(4):
        assert [d.blocks for d in answers[n]] == [[f"thread {n} doc {k}"] for k in range(5)]
    pids = {pid(d) for docs in answers.values() for d in docs}
    assert 1 <= len(pids) <= 4  # children are shared between documents, one thread at a time


def test_an_extractor_error_is_an_internal_error_finding_and_the_child_reads_on(hooks):
    doc = read(b"\xff not utf-8")
    assert [f.code for f in doc.findings] == ["parse.internal_error"]
    assert "UnicodeDecodeError" in doc.findings[0].message
    assert read(b"next").blocks == ["next"]


CHILD_OUTLIVES_ITS_THREAD = """
import sys, threading
from govscrape.extract import guard
guard.GUARDED["hook"] = ("guard_hooks", "behave")
pids = []
worker = threading.Thread(target=lambda: pids.append(guard.run_guarded("hook", b"one").meta["pid"]))
worker.start(); worker.join()  # the thread that asked for the child has ended
pids.append(guard.run_guarded("hook", b"two").meta["pid"])
print(pids[0], pids[1], flush=True)
sys.stdin.read()  # until killed
"""


def test_a_child_outlives_the_thread_that_started_it_but_not_its_process(hooks):
    parent = subprocess.Popen(
        [sys.executable, "-c", CHILD_OUTLIVES_ITS_THREAD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first, second = (int(p) for p in parent.stdout.readline().split())
    finally:
        parent.kill()
        parent.wait()
    assert first == second  # the same child read both documents
    deadline = time.monotonic() + 30  # the kernel's signal is immediate; this is slack
    while _alive(first) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(first):  # never leave a stray process on the shared machine
        os.kill(first, signal.SIGKILL)
        pytest.fail("the guarded reader outlived its parent")


def test_documents_travel_as_json_and_come_back_equal():
    doc = Document(
        "pdf",
        blocks=["一、总体情况", Grid([[GridCell("1", (0, 0), "1"), GridCell("", (0, 0))]], page=2)],
        title="某某县2023年报告",
        meta={"CreationDate": "D:20240101"},
        findings=[Finding("parse.scanned_pdf", "error", "x", expected=1.5, found=2, raw="\ud800")],
    )
    assert from_json(to_json(doc)) == doc


def test_a_report_that_kills_its_reader_is_one_lost_document_under_isolation(monkeypatch, hooks):
    monkeypatch.setitem(guard.GUARDED, "document", ("guard_hooks", "abort_in_parse"))
    page = b"<html><body><table><tr><td>1</td></tr></table><p>%s</p></body></html>"
    with guard.isolated():
        killer = extract_document(page % KILL_TEXT.encode(), url="http://a.gov.cn/die.html")
        fine = extract_document(page % b"ok", url="http://a.gov.cn/ok.html")
    assert limit_codes(killer) == [("parse.resource_limit", "memory")]
    assert fine == extract_document(page % b"ok")  # read as in this process


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status
