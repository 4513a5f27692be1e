"""Datasets at an fsspec URL (s3://bucket/x): each build published under its own prefix, then a
pointer object, written last, names the current one.

An object store has no folder rename and no symlink, so the atomic swap of a local data folder
(datasets/store.py) becomes:

    URL/.parquet-builds/<build>/<dataset>/2021.parquet   every file of one build, never changed
    URL/parquet.json     {"build": "<build>", "files": {"requests/2021.parquet": sha256, …}}

A build is written in a local working copy (incremental, with hard links, as always), then its
files are put under a new prefix: a file unchanged since the published build is copied inside
the store (no upload), a new one uploaded. Only then is `parquet.json` replaced, in one put, so a
reader sees the previous build or the new one, never a mix, and a build that dies while
publishing leaves the previous datasets current (its prefix is deleted by the next publish). The
build before the current one is kept, so a reader that resolved it just before the swap can
finish; older ones are deleted.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from govscrape.crawl.storage import filesystem, join, put_atomic

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

POINTER = "parquet.json"
BUILDS = ".parquet-builds"
KEEP = 2  # the current build and the one before it (a reader may still be reading it)


def read_pointer(url: str) -> dict:
    """The pointer of the datasets at `url`, or {} when none was published."""
    fs, path = filesystem(join(url, POINTER))
    try:
        pointer = json.loads(fs.cat_file(path))
    except FileNotFoundError:
        return {}
    return pointer if isinstance(pointer, dict) else {}


def build_url(url: str, pointer: dict | None = None) -> str | None:
    """The URL of the current build's prefix, or None when nothing was published."""
    pointer = read_pointer(url) if pointer is None else pointer
    return join(url, BUILDS, pointer["build"]) if pointer.get("build") else None


def publish(build: Path, url: str) -> bool:
    """Put a finished local build folder at `url` and make it current; False when it already is."""
    build = Path(build)
    previous = read_pointer(url)
    if previous.get("build") == build.name:
        return False
    files = {rel: _sha256(build / rel) for rel in _files(build)}
    fs, base = filesystem(join(url, BUILDS, build.name))
    old = build_url(url, previous)
    old_fs_base = filesystem(old)[1] if old else None
    for rel, digest in files.items():
        target = f"{base}/{rel}"
        if old_fs_base and previous.get("files", {}).get(rel) == digest:
            fs.copy(f"{old_fs_base}/{rel}", target)  # inside the store: nothing uploaded
        else:
            fs.put_file(str(build / rel), target)
    pointer = {"build": build.name, "files": files}
    put_atomic(*filesystem(join(url, POINTER)), json.dumps(pointer, sort_keys=True).encode())
    _remove_old_builds(url, keep={build.name, previous.get("build")})
    return True


def download(url: str, pointer: dict, folder: Path) -> None:
    """Copy the published build `pointer` names into a local build folder."""
    fs, base = filesystem(join(url, BUILDS, pointer["build"]))
    for rel in pointer.get("files", {}):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fs.get_file(f"{base}/{rel}", str(target))


def _files(build: Path) -> list[str]:
    """The files of a build folder, relative to it (the staging area of a build is gone)."""
    return sorted(
        p.relative_to(build).as_posix()
        for p in build.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(build).parts)
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _remove_old_builds(url: str, keep: set[str | None]) -> None:
    fs, base = filesystem(join(url, BUILDS))
    for folder in fs.ls(base, detail=False):
        if folder.rstrip("/").rsplit("/", 1)[-1] not in keep:
            fs.rm(folder, recursive=True)


def dataset_files(url: str, dataset: str) -> tuple[AbstractFileSystem, list[str]] | None:
    """(fsspec file system, paths of a dataset's Parquet files) in the current build at `url`,
    from the pointer alone (no listing); None when no build or no such dataset was published."""
    pointer = read_pointer(url)
    prefix = build_url(url, pointer)
    if prefix is None:
        return None
    fs, base = filesystem(prefix)
    names = sorted(rel for rel in pointer.get("files", {}) if rel.startswith(f"{dataset}/"))
    if not names:
        return None
    return fs, [f"{base}/{rel}" for rel in names if rel.endswith(".parquet")]


def working_copy(sources: list[Path], url: str) -> Path:
    """The local folder where datasets published at `url` are built: beside the first crawl
    state, one per URL, kept so that the next build is incremental."""
    slug = hashlib.sha1(url.rstrip("/").encode()).hexdigest()[:16]
    return Path(sources[0]) / ".published" / slug
