"""Storage locations: paths stay paths, URLs go through fsspec, every write is atomic; the raw
store at an s3:// URL (a moto S3 server on 127.0.0.1) behaves as the one in a folder."""

from __future__ import annotations

import gzip
import hashlib

import pytest

from govscrape.crawl.rawstore import RawStore, RawStores, UrlRawStore, open_store, store_at
from govscrape.crawl.storage import filesystem, is_url, join, put_atomic
from govscrape.errors import ConfigError

pytest.importorskip("s3fs")


def test_urls_are_told_from_paths():
    assert is_url("s3://bucket/x") and is_url("file:///srv/x")
    assert not is_url("/srv/x") and not is_url("data") and not is_url("C:\\data")


def test_join_keeps_the_double_slash_of_a_url():
    assert join("s3://bucket/x/", "raw", "ab") == "s3://bucket/x/raw/ab"
    assert join("/srv/x", "raw") == "/srv/x/raw"


def test_an_unknown_protocol_is_a_config_error():
    with pytest.raises(ConfigError, match="nosuch://x"):
        filesystem("nosuch://x")


def test_an_atomic_write_on_a_file_system_leaves_no_temporary_file(tmp_path):
    fs, path = filesystem(f"file://{tmp_path}/a/b.json")
    put_atomic(fs, path, b"{}")
    put_atomic(fs, path, b"[1]")
    assert (tmp_path / "a" / "b.json").read_bytes() == b"[1]"
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["b.json"]


def test_a_failed_write_leaves_nothing_under_the_name(tmp_path, monkeypatch):
    fs, path = filesystem(f"file://{tmp_path}/a/b.json")

    def broken_rename(*args, **kwargs):
        raise OSError("the network went away")

    monkeypatch.setattr(fs, "mv", broken_rename)
    with pytest.raises(OSError, match="went away"):
        put_atomic(fs, path, b"{}")
    assert list((tmp_path / "a").iterdir()) == []


def test_the_s3_raw_store_round_trips_and_is_content_addressed(bucket):
    store = UrlRawStore(f"{bucket}/data/raw")
    data = "<html>年度报告</html>".encode()
    digest = store.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert store.get(digest) == data and store.has(digest)
    assert store.put_many([data, b"other", data]) == [
        digest,
        hashlib.sha256(b"other").hexdigest(),
        digest,
    ]
    with pytest.raises(KeyError):
        store.get("0" * 64)
    assert not store.has("0" * 64)


def test_the_s3_raw_store_has_the_layout_of_a_folder_store(bucket, tmp_path):
    """A folder store copied to a bucket is a store there, and the other way round."""
    url = UrlRawStore(f"{bucket}/raw")
    folder = RawStore(tmp_path / "raw")
    digest = url.put(b"report")
    assert folder.put(b"report") == digest
    assert (
        url.path(digest)
        == f"{bucket}/raw/{folder.path(digest).relative_to(folder.root).as_posix()}"
    )
    fs, key = filesystem(url.path(digest))
    assert fs.cat_file(key) == folder.path(digest).read_bytes()  # the same gzip bytes
    assert gzip.decompress(fs.cat_file(key)) == b"report"


def test_several_stores_read_as_one_whatever_their_kind(bucket, tmp_path):
    UrlRawStore(f"{bucket}/raw").put(b"in the bucket")
    RawStore(tmp_path / "raw").put(b"in the folder")
    both = open_store(f"{tmp_path / 'raw'}\n{bucket}/raw")
    assert isinstance(both, RawStores)
    for data in (b"in the bucket", b"in the folder"):
        assert both.get(hashlib.sha256(data).hexdigest()) == data
    assert isinstance(store_at(f"{bucket}/raw"), UrlRawStore)
    assert isinstance(open_store(str(tmp_path / "raw")), RawStore)


def test_only_documents_not_yet_in_the_s3_store_are_sent(bucket, monkeypatch):
    store = UrlRawStore(f"{bucket}/raw")
    old = [f"listing page {i}".encode() for i in range(5)]
    store.put_many(old)
    sent: list[str] = []
    pipe = store.fs.pipe
    monkeypatch.setattr(store.fs, "pipe", lambda objects: (sent.extend(objects), pipe(objects)))
    new = [f"report {i}".encode() for i in range(5)]
    digests = store.put_many([*old, *new, new[0]])
    assert sorted(key.rsplit("/", 1)[-1] for key in sent) == sorted(
        f"{hashlib.sha256(data).hexdigest()}.gz" for data in new
    )
    assert [store.get(d) for d in digests] == [*old, *new, new[0]]
