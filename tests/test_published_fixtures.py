"""The vendored published reports are the exact bytes their provenance note names."""

from __future__ import annotations

import hashlib
import re

from published import FOLDER


def test_every_vendored_file_has_the_checksum_its_provenance_note_names():
    note = (FOLDER / "PROVENANCE.md").read_text(encoding="utf-8")
    named = dict(re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$", note, re.MULTILINE))
    files = {p.name for p in FOLDER.iterdir() if p.name != "PROVENANCE.md"}
    assert set(named) == files
    for name, digest in named.items():
        assert hashlib.sha256((FOLDER / name).read_bytes()).hexdigest() == digest, name
