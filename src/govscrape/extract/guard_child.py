"""The guarded reader's own side: limit itself, then read documents one at a time from a pipe.

Run as `python -m govscrape.extract.guard_child TABLE` (TABLE: JSON {kind: [module, function]},
the extractors it may run). It dies with its parent (PR_SET_PDEATHSIG), holds its address space
under the memory limit for its whole life and its CPU time under the seconds limit per document,
says it is ready, then answers each request (extract/guard_wire.py) with the Document as JSON
and its memory figures, until its input ends.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import json
import math
import os
import signal
import sys
from collections.abc import Callable
from typing import Any, BinaryIO

from govscrape.extract.guard_wire import decode, encode, frame, read_frame, to_json
from govscrape.extract.limits import limit

# Exit status for a MemoryError Python could still report (the parent names the limit).
EXIT_NO_MEMORY = 3
PR_SET_PDEATHSIG = 1
CPU_SLACK_S = 2  # the parent's deadline comes first; the CPU limit is for a parent that hangs


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux PR_SET_PDEATHSIG): a
    worker never outlives the build or parse that started it, even one killed with -9."""
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the deadline ends the child
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent or parent == 1:  # the parent died before the signal was asked for
        os._exit(1)


def limit_memory() -> int:
    """Hold the address space under the memory limit (or a lower one inherited); the cap."""
    import resource  # here: POSIX only, and only the child needs it

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = limit("memory") if hard == resource.RLIM_INFINITY else min(limit("memory"), hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    return cap


def limit_cpu_for_one_document() -> None:
    """CPU time from now on is limited to the seconds budget (SIGXCPU past it): the limit is
    the process's total, so it is moved on before each document."""
    import resource  # here: POSIX only

    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(used.ru_utime + used.ru_stime) + limit("seconds") + CPU_SLACK_S
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def memory_figures() -> dict[str, int]:
    """Peak address space and resident memory now, in bytes (Linux /proc; else peak RSS)."""
    try:
        with open("/proc/self/status", "rb") as fh:
            fields = dict(line.split(b":", 1) for line in fh if b":" in line)
        return {key: int(fields[name].split()[0]) * 1024 for key, name in _PROC.items()}
    except (OSError, KeyError, ValueError):
        import resource  # here: POSIX only

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return {"vm_peak": peak, "rss": peak}


_PROC = {"vm_peak": b"VmPeak", "rss": b"VmRSS"}


def answer_one(table: dict[str, Callable[..., Any]], header: bytes, data: bytes) -> bytes:
    """Read one document; its answer frame (an exception becomes an "error" answer)."""
    try:
        request = decode(header)
        extractor = table[request["kind"]]
        answer: dict[str, Any] = {"document": to_json(extractor(data, **request["options"]))}
    except MemoryError:
        os._exit(EXIT_NO_MEMORY)
    except Exception as exc:
        answer = {"error": f"{type(exc).__name__}: {exc}"}
    return frame(encode(answer | memory_figures()))


def serve(table: dict[str, Callable[..., Any]], requests: BinaryIO, answers: BinaryIO) -> None:
    answers.write(frame(encode({"ready": True, "memory_cap": limit_memory()})))
    answers.flush()
    while (header := read_frame(requests)) is not None:
        data = read_frame(requests)
        if data is None:
            break
        limit_cpu_for_one_document()
        answers.write(answer_one(table, header, data))
        answers.flush()


def main(table_json: str) -> None:
    die_with_parent()
    # Answers go to a copy of stdout; whatever a library prints goes to stderr instead.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    named = json.loads(table_json)
    # The extractors named by the parent's table (our code, never the document) are imported
    # before the first document, so a document's deadline is not spent on imports.
    table = {kind: getattr(importlib.import_module(m), f) for kind, (m, f) in named.items()}
    serve(table, sys.stdin.buffer, answers)
    os._exit(0)  # no interpreter teardown: the parent may be waiting for the next child


if __name__ == "__main__":
    main(sys.argv[1])
