"""How a finding names the file it is about when the URL is not known: raw-store key and size."""

from __future__ import annotations

import hashlib


def file_identity(data: bytes) -> str:
    """'file sha256 <hex>, <n> bytes': the file's key in the raw store, and its size."""
    return f"file sha256 {hashlib.sha256(data).hexdigest()}, {len(data)} bytes"
