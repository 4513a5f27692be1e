"""Content-addressed store of raw fetched bytes: sha256-named, gzip-compressed, never overwritten."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gzip
import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from govscrape.crawl.storage import filesystem, is_object_store, is_url, put_atomic

# zlib level 6 stores HTML within ~3% of level 9 at about half the CPU; the crawl is CPU-bound.
COMPRESS_LEVEL = 6
# From this many files on, one syncfs() (Linux) costs less than an fsync() per file.
SYNCFS_MIN_FILES = 3


def _load_syncfs() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None  # not Linux/glibc: fsync each file


_SYNCFS = _load_syncfs()


class RawStore:
    """Files under `root/ab/cd/<sha256>.gz`; writing the same bytes twice is a no-op."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._made: set[Path] = set()  # folders known to exist: no mkdir call per document

    def path(self, sha256: str) -> Path:
        return self.root / _layout(sha256)

    def has(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def put(self, data: bytes) -> str:
        """Store `data` and return its sha256; atomic (write aside, flush to disk, rename)."""
        return self.put_many([data])[0]

    def put_many(self, items: list[bytes]) -> list[str]:
        """put() for several documents at once, their bytes flushed to disk together.

        Every file is on disk before its name appears, so a name that exists always holds its
        bytes; the folder is not flushed (a crash can lose a just-made name, never expose a torn
        file), which is why callers record a document only after this returns."""
        digests = [hashlib.sha256(data).hexdigest() for data in items]
        aside: dict[Path, Path] = {}  # target -> temporary file
        fds: list[int] = []
        try:
            for data, digest in zip(items, digests, strict=True):
                target = self.path(digest)
                if target in aside or target.exists():
                    continue
                aside[target], fd = self._write_aside(target, data)
                fds.append(fd)
            _flush(fds)
            for target, tmp in aside.items():
                os.replace(tmp, target)
        except BaseException:
            for tmp in aside.values():
                tmp.unlink(missing_ok=True)
            raise
        finally:
            for fd in fds:
                os.close(fd)
        return digests

    def _write_aside(self, target: Path, data: bytes) -> tuple[Path, int]:
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        # One-shot gzip (zlib's own gzip framing) costs a third less than a GzipFile stream.
        packed = memoryview(gzip.compress(data, compresslevel=COMPRESS_LEVEL, mtime=0))
        tmp = target.parent / f".tmp-{os.getpid()}-{threading.get_ident()}-{target.name}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            while packed:
                packed = packed[os.write(fd, packed) :]
        except BaseException:
            os.close(fd)
            tmp.unlink(missing_ok=True)
            raise
        return tmp, fd

    def get(self, sha256: str) -> bytes:
        """The bytes stored under `sha256`; KeyError when absent."""
        try:
            with gzip.open(self.path(sha256), "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            raise KeyError(sha256) from None


def _layout(sha256: str) -> str:
    """Where a document goes inside a store: two levels of folders keep each one small."""
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}.gz"


def _flush(fds: list[int]) -> None:
    """Get the written files' bytes onto the disk."""
    if len(fds) >= SYNCFS_MIN_FILES and _SYNCFS is not None and _SYNCFS(fds[0]) == 0:
        return
    for fd in fds:
        os.fsync(fd)


class UrlRawStore:
    """A raw store at an fsspec URL (`s3://bucket/x/raw`), laid out as RawStore lays out a
    folder (`ab/cd/<sha256>.gz`, gzip), so a folder copied to a bucket is a store there.

    Each object is written in one atomic put (crawl/storage.py): a crash never leaves part of an
    object under its name. Bytes are sent before put_many returns, so the crawl records a
    document only once its bytes are in the store, as with a folder."""

    def __init__(self, url: str) -> None:
        self.root = url.rstrip("/")
        self.fs, self._base = filesystem(self.root)

    def path(self, sha256: str) -> str:
        """The object's URL."""
        return f"{self.root}/{_layout(sha256)}"

    def _key(self, sha256: str) -> str:
        return f"{self._base}/{_layout(sha256)}"

    def has(self, sha256: str) -> bool:
        return bool(self.fs.exists(self._key(sha256)))

    def put(self, data: bytes) -> str:
        return self.put_many([data])[0]

    def put_many(self, items: list[bytes]) -> list[str]:
        """put() for several documents: the objects not yet in the store are sent at once
        (concurrent requests on an object store, each object one atomic put)."""
        digests = [hashlib.sha256(data).hexdigest() for data in items]
        wanted = {self._key(d): data for data, d in zip(items, digests, strict=True)}
        new = {key: gzip.compress(wanted[key], COMPRESS_LEVEL, mtime=0)
               for key, there in zip(wanted, self._exist(list(wanted)), strict=True) if not there}  # fmt: skip
        if is_object_store(self.fs):
            self.fs.pipe(new)
        else:
            for key, packed in new.items():
                put_atomic(self.fs, key, packed)
        return digests

    def _exist(self, keys: list[str]) -> list[bool]:
        """Whether each key is in the store: one round of concurrent requests where the file
        system is asynchronous (s3fs), not one request after another."""
        if not getattr(self.fs, "async_impl", False):
            return [bool(self.fs.exists(key)) for key in keys]
        # Imported here: fsspec is optional (crawl/storage.py).
        from fsspec.asyn import sync

        async def gather() -> list[bool]:
            return list(await asyncio.gather(*(self.fs._exists(key) for key in keys)))

        return sync(self.fs.loop, gather)

    def get(self, sha256: str) -> bytes:
        try:
            return gzip.decompress(self.fs.cat_file(self._key(sha256)))
        except FileNotFoundError:
            raise KeyError(sha256) from None


Store = RawStore | UrlRawStore


class RawStores:
    """Several raw stores read as one (crawl folders of several shards): content-addressed, so
    any store holding a sha256 holds the same bytes. Writes go to the first."""

    def __init__(self, stores: Sequence[Store]) -> None:
        self.stores = list(stores)

    def has(self, sha256: str) -> bool:
        return any(store.has(sha256) for store in self.stores)

    def put(self, data: bytes) -> str:
        return self.stores[0].put(data)

    def put_many(self, items: list[bytes]) -> list[str]:
        return self.stores[0].put_many(items)

    def get(self, sha256: str) -> bytes:
        for store in self.stores:
            try:
                return store.get(sha256)
            except KeyError:
                continue
        raise KeyError(sha256)


AnyStore = Store | RawStores
ROOTS_SEPARATOR = "\n"  # between the stores of open_store's string (a URL holds ":" and ";")


def store_at(location: str | Path) -> Store:
    """The raw store at a folder or at an fsspec URL."""
    return UrlRawStore(str(location)) if is_url(location) else RawStore(location)


def open_store(roots: str) -> AnyStore:
    """The raw store at `roots`, or several as one when it names several (one per line)."""
    parts = [part for part in roots.split(ROOTS_SEPARATOR) if part]
    return RawStores([store_at(p) for p in parts]) if len(parts) > 1 else store_at(parts[0])
