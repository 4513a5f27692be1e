"""The crawl state stays on a local disk: URLs and network mounts are refused with a reason."""

from __future__ import annotations

import pytest

from govscrape.cli.main import main
from govscrape.crawl.localdisk import filesystem_of, require_local_folder
from govscrape.errors import ConfigError

MOUNTINFO = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
40 27 0:50 / /srv/shared rw,relatime - nfs4 files:/export rw,vers=4.2
41 27 0:51 / /srv/shared/local rw,relatime - ext4 /dev/sdb1 rw
42 27 0:52 / /mnt/my\\040bucket rw - fuse.s3fs s3fs rw
"""


def test_the_deepest_mount_decides_the_file_system(tmp_path):
    assert filesystem_of(tmp_path, MOUNTINFO) == "ext4"  # /tmp/... under /
    assert filesystem_of(tmp_path / "no" / "such", MOUNTINFO) == "ext4"


@pytest.mark.parametrize(
    ("folder", "fs"),
    [("/srv/shared/crawl", "nfs4"), ("/mnt/my bucket/data", "fuse.s3fs")],
)
def test_a_crawl_state_on_a_network_mount_is_refused(folder, fs, monkeypatch):
    monkeypatch.setattr("govscrape.crawl.localdisk._existing", lambda path: str(path))
    with pytest.raises(ConfigError, match=f"on a {fs} mount: the crawl state is a local SQLite"):
        require_local_folder(folder, MOUNTINFO)
    require_local_folder("/srv/shared/local/crawl", MOUNTINFO)  # a local disk inside: fine


def test_crawl_into_an_s3_url_is_refused_with_exit_status_2(capsys):
    assert main(["crawl", "--data", "s3://bucket/govscrape", "--no-parse"]) == 2
    err = capsys.readouterr().err
    assert "local SQLite file" in err and "object store" in err
