"""Run one document's extraction in a guarded worker process: rlimits, a deadline, one death.

For what no cheap check can bound in advance (pdfium inflating a content stream, aborting the
process when memory runs out): the extraction runs in a child process under the memory and
time limits of extract/limits.py. Whatever becomes of the child (an abort, an OOM kill, a
segfault, a hang) costs that document only: it comes back as a Document with a
`parse.resource_limit` finding. The child dies with its parent (PR_SET_PDEATHSIG), and sends
its Document back as JSON, never as a pickle (its input was hostile).

Run as `python -m govscrape.extract.guard KIND`: the document's bytes on stdin, the Document
as JSON on stdout.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
from dataclasses import asdict
from typing import Any

from govscrape.document import Block, Document, Grid, GridCell
from govscrape.extract.limits import limit, limit_finding
from govscrape.model import Finding

# The child's own deadline is the budget's; the parent allows start-up (imports) on top.
STARTUP_GRACE_S = 3
# Exit status the child uses for a MemoryError Python could still report.
EXIT_NO_MEMORY = 3
PR_SET_PDEATHSIG = 1
# The extractors that run guarded: kind -> (module, function).
GUARDED: dict[str, tuple[str, str]] = {"pdf": ("govscrape.extract.pdf", "extract_pdf")}


def run_guarded(kind: str, data: bytes) -> Document:
    """Extract `data` with the `kind` extractor in a guarded child process."""
    command = [sys.executable, "-m", "govscrape.extract.guard", kind]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as child:
        try:
            out, err = child.communicate(data, timeout=limit("seconds") + STARTUP_GRACE_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            return _not_read("seconds", "the reader was stopped at the deadline")
    if child.returncode == 0:
        try:
            return from_json(json.loads(out))
        except (ValueError, KeyError, TypeError) as exc:
            return _not_read("memory", f"the reader's answer was unreadable ({exc})")
    return _not_read(*_death(child.returncode, err))


def _death(status: int, err: bytes) -> tuple[str, str]:
    """The limit a child's death stands for, and what happened, in a user's words."""
    if status == EXIT_NO_MEMORY or status in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
        what = {
            EXIT_NO_MEMORY: "the reader ran out of memory",
            -signal.SIGABRT: "the reader aborted (pdfium does so when memory runs out)",
            -signal.SIGKILL: "the reader was killed (out of memory)",
            -signal.SIGSEGV: "the reader crashed (segmentation fault in a native library)",
        }[status]
        return "memory", what
    if status == -signal.SIGXCPU:
        return "seconds", "the reader used up its CPU time"
    last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit status {status}"]
    return "memory", f"the reader died ({last[0][:200]})"


def _not_read(name: str, what: str) -> Document:
    return Document("unsupported", findings=[limit_finding(name, f"{what}; nothing was read")])


# --- JSON, both ways: the child's answer is data, never code ----------------------------------


def to_json(doc: Document) -> dict[str, Any]:
    return {
        "source_form": doc.source_form,
        "blocks": [b if isinstance(b, str) else _grid_json(b) for b in doc.blocks],
        "title": doc.title,
        "meta": doc.meta,
        "findings": [asdict(f) for f in doc.findings],
    }


def _grid_json(grid: Grid) -> dict[str, Any]:
    return {"page": grid.page, "rows": [[[c.text, *c.origin, c.raw] for c in r] for r in grid.rows]}


def from_json(data: dict[str, Any]) -> Document:
    return Document(
        source_form=str(data["source_form"]),
        blocks=[_block(b) for b in data["blocks"]],
        title=data["title"],
        meta={str(k): str(v) for k, v in data["meta"].items()},
        findings=[Finding(**f) for f in data["findings"]],
    )


def _block(item: str | dict[str, Any]) -> Block:
    if isinstance(item, str):
        return item
    rows = [
        [GridCell(str(t), (int(r), int(c)), raw) for t, r, c, raw in row] for row in item["rows"]
    ]
    return Grid(rows=rows, page=item["page"])


# --- the child -------------------------------------------------------------------------------


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux PR_SET_PDEATHSIG): a
    worker never outlives the build or parse that started it, even one killed with -9."""
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the deadline ends the child
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent or parent == 1:  # the parent died before the signal was asked for
        os._exit(1)


def _limit_self() -> None:
    """Die with the parent; stay within the memory and CPU limits."""
    import resource  # here: POSIX only, and only the child needs it

    die_with_parent()
    memory = limit("memory")
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    seconds = limit("seconds") + 2
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))


def main(kind: str) -> int:
    import importlib  # here: the child imports only its own format's extractor

    _limit_self()
    data = sys.stdin.buffer.read()
    module, function = GUARDED[kind]
    try:
        doc = getattr(importlib.import_module(module), function)(data)
        out = json.dumps(to_json(doc), ensure_ascii=False).encode()
    except MemoryError:
        return EXIT_NO_MEMORY
    sys.stdout.buffer.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
