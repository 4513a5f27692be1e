"""The crawl state is a local SQLite file: refuse a URL or a network file system for it.

SQLite's locking (and the write-ahead log the crawl state uses, which needs shared memory
between processes) is not reliable over NFS, SMB/CIFS or FUSE network mounts, and impossible on
an object store: a crawl there could corrupt its state and lose what it fetched. A cluster shares
the raw store and the datasets instead (copy or sync the folder, or build from several crawl
folders with `govscrape parse --from`); the machine that crawls keeps its state on its own disk.
"""

from __future__ import annotations

import os
from pathlib import Path

from govscrape.crawl.storage import is_url
from govscrape.errors import ConfigError

# File system types (as /proc/self/mountinfo names them) that are network or FUSE-remote mounts.
NETWORK_FS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre",
     "fuse.sshfs", "fuse.s3fs", "fuse.gcsfuse", "fuse.rclone", "fuse.juicefs", "fuse.goofys"}
)  # fmt: skip

WHY = (
    "the crawl state is a local SQLite file, and SQLite's locking and write-ahead log are not "
    "reliable on {where}; keep the state in a folder on this machine's own disk (--state DIR) "
    "and put the raw store and datasets on the shared location (--data; see README, Beyond one "
    "machine)"
)


def require_local_folder(
    data_dir: Path | str, mountinfo: str | None = None, option: str = "--data"
) -> None:
    """ConfigError when the crawl state's folder is a URL or on a network file system."""
    text = str(data_dir)
    if is_url(text) or text.startswith(("s3:", "gs:", "gcs:", "az:", "abfs:")):
        raise ConfigError(f"{option} {text}: " + WHY.format(where="an object store or a URL"))
    fs = filesystem_of(Path(text), mountinfo)
    if fs in NETWORK_FS:
        raise ConfigError(f"{option} {text} is on a {fs} mount: " + WHY.format(where=f"{fs}"))


def filesystem_of(path: Path, mountinfo: str | None = None) -> str | None:
    """The file system type of the mount holding `path` (Linux; None where unknown)."""
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text("utf-8", "replace")
        except OSError:
            return None
    target = _existing(path)
    best, fstype = "", None
    for line in mountinfo.splitlines():
        fields = line.split()
        if " - " not in line or len(fields) < 5:
            continue
        mount = fields[4].replace("\\040", " ")
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, fstype = mount, line.split(" - ", 1)[1].split()[0]
    return fstype


def _existing(path: Path) -> str:
    """The path resolved, up to its deepest folder that exists (a new data folder is made later)."""
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    return str(path.resolve())
