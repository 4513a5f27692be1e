"""What travels between a guarded reader and its parent: length-prefixed frames, JSON Documents.

A frame is 8 bytes of big-endian length, then that many bytes. A request is two frames (a JSON
header naming the extractor, then the document's bytes); an answer is one frame of JSON. The
answer is data, never a pickle: the child read hostile input and may be in any state.
"""

from __future__ import annotations

import json
import struct
from dataclasses import asdict
from typing import Any, BinaryIO

from govscrape.document import Block, Document, Grid, GridCell
from govscrape.model import Finding

LENGTH = struct.Struct(">Q")


def frame(payload: bytes) -> bytes:
    return LENGTH.pack(len(payload)) + payload


def read_frame(stream: BinaryIO) -> bytes | None:
    """The next frame's payload; None at the end of the stream (or a stream cut mid-frame)."""
    head = stream.read(LENGTH.size)
    if len(head) < LENGTH.size:
        return None
    (size,) = LENGTH.unpack(head)
    payload = stream.read(size)
    return payload if len(payload) == size else None


def request(kind: str, data: bytes, options: dict[str, str | None]) -> bytes:
    header = json.dumps({"kind": kind, "options": options}).encode()
    return frame(header) + frame(data)


def encode(answer: dict[str, Any]) -> bytes:
    # surrogatepass: text a PDF's broken font maps to a lone surrogate still travels, and back
    return json.dumps(answer, ensure_ascii=False).encode("utf-8", "surrogatepass")


def decode(payload: bytes) -> dict[str, Any]:
    answer = json.loads(payload.decode("utf-8", "surrogatepass"))
    if not isinstance(answer, dict):
        raise ValueError("the answer is not a JSON object")
    return answer


# --- Documents as JSON, both ways ----------------------------------------------------------------


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
