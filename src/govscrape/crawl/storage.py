"""Where the raw store and the datasets live: a folder by path (local or a network mount), or an
fsspec URL a cluster can share (`s3://bucket/prefix` with s3fs).

Paths keep the plain file-system code (atomic rename, fsync, hard links); a URL goes through
fsspec, imported only when a URL is used (it comes with the optional `cluster` extra), so the
default install and the CLI's start-up stay light. Credentials and the endpoint of an S3 store
come from the usual places (AWS_* variables, ~/.aws), as s3fs reads them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from govscrape.errors import ConfigError

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# Object stores, where one PUT is atomic (an object is seen whole or not at all) and a rename is
# a copy: a write goes straight to its name. Elsewhere an fsspec write goes aside, then renames.
OBJECT_STORES = frozenset({"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "oss"})
INSTALL_HINT = "pip install 'govscrape[cluster]' (fsspec, and s3fs for s3://)"


def is_url(location: Path | str) -> bool:
    """True for `s3://bucket/x`, `file:///srv/x` and the like; False for a plain path."""
    return bool(_URL.match(str(location)))


def join(location: Path | str, *parts: str) -> str:
    """`location` / parts: with `/` for a URL, as a path otherwise."""
    if is_url(location):
        return "/".join([str(location).rstrip("/"), *(p.strip("/") for p in parts)])
    return str(Path(location).joinpath(*parts))


def filesystem(url: str) -> tuple[AbstractFileSystem, str]:
    """The fsspec file system of `url` and the path within it; ConfigError when fsspec (or the
    protocol's library, such as s3fs) is not installed."""
    try:
        # Imported here: fsspec is optional (the `cluster` extra) and costs start-up time.
        from fsspec.core import url_to_fs
    except ImportError:
        raise ConfigError(f"{url}: a URL needs fsspec: {INSTALL_HINT}") from None
    try:
        return url_to_fs(url)
    except ImportError as exc:  # the protocol's own library (s3fs, gcsfs) is missing
        raise ConfigError(f"{url}: {exc}; {INSTALL_HINT}") from None
    except ValueError as exc:  # an unknown protocol
        raise ConfigError(f"{url}: not a storage location fsspec knows ({exc})") from None


def is_object_store(fs: AbstractFileSystem) -> bool:
    protocols = fs.protocol if isinstance(fs.protocol, tuple | list) else (fs.protocol,)
    return any(p in OBJECT_STORES for p in protocols)


def put_atomic(fs: AbstractFileSystem, path: str, data: bytes) -> None:
    """Write `data` under `path` so that no reader ever sees part of it: one PUT on an object
    store (s3fs sends a multipart upload only on completion, also whole), else write aside and
    rename (a crash leaves at most a `.tmp-` file, never a torn object under its name)."""
    if is_object_store(fs):
        fs.pipe_file(path, data)
        return
    parent = path.rsplit("/", 1)[0]
    fs.makedirs(parent, exist_ok=True)
    tmp = f"{parent}/.tmp-{os.getpid()}-{path.rsplit('/', 1)[-1]}"
    try:
        fs.pipe_file(tmp, data)
        fs.mv(tmp, path)
    except BaseException:
        if fs.exists(tmp):
            fs.rm_file(tmp)
        raise
