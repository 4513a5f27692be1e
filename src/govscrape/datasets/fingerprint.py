"""Fingerprints of the code a build depends on: when the parser's code changes every report is
parsed again; when the assembling code changes every file is rewritten (nothing parsed again).

Light on purpose (no pyarrow): the no-change check of a nightly build reads these first.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

# Bump when the meaning of stored rows or the manifest's form changes: forces a full rebuild.
FORMAT_VERSION = 4
# The code a report's rows depend on: when any of it changes, every report is parsed again.
# (How units are planned needs no entry: a unit's contents are part of its key.)
PARSE_INPUTS = (
    "parse",
    "extract",
    "template.py",
    "labels.py",
    "agencies.py",
    "findings.py",
    "model.py",
    "document.py",
    "encoding.py",
    "datasets/schema.py",
    "datasets/rows.py",
    "datasets/agencies.py",
    "datasets/parsing.py",
)
# The code that turns kept and new rows into the datasets (files in govscrape/datasets/).
ASSEMBLY_INPUTS = (
    "build.py",
    "assemble.py",
    "crossreport.py",
    "store.py",
    "partfile.py",
    "staging.py",
    "agencies.py",
    "crossfacts.py",
    "pandas_meta.py",
)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha1 over the source of the parser and the row conversion."""
    package = Path(__file__).resolve().parent.parent  # src/govscrape
    digest = hashlib.sha1(str(FORMAT_VERSION).encode())
    for name in PARSE_INPUTS:
        path = package / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if file.exists():
                digest.update(file.relative_to(package).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def assembly_fingerprint() -> str:
    """sha1 over the code that assembles kept rows (cross-report rules, writing): when it
    changes, the datasets are rewritten, though no report is parsed again."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha1(str(FORMAT_VERSION).encode())
    for name in ASSEMBLY_INPUTS:
        digest.update(name.encode())
        digest.update((package / name).read_bytes())
    return digest.hexdigest()
