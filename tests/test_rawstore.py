"""The content-addressed raw store: sha256 names, compressed, never overwritten."""

from __future__ import annotations

import gzip
import hashlib

import pytest

from govscrape.crawl.rawstore import RawStore


def test_put_returns_the_sha256_and_get_returns_the_bytes_untouched(tmp_path):
    store = RawStore(tmp_path)
    data = "某某局2023年政府信息公开工作年度报告".encode("gb18030")
    digest = store.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert store.get(digest) == data and store.has(digest)


def test_files_are_gzip_compressed_under_a_two_level_fan_out(tmp_path):
    store = RawStore(tmp_path)
    digest = store.put(b"<html>" + b"x" * 10_000)
    path = store.path(digest)
    assert path.relative_to(tmp_path).parts[:2] == (digest[:2], digest[2:4])
    assert path.stat().st_size < 1000
    assert gzip.decompress(path.read_bytes()).startswith(b"<html>")


def test_storing_the_same_bytes_again_never_rewrites_the_file(tmp_path):
    store = RawStore(tmp_path)
    digest = store.put(b"report")
    path = store.path(digest)
    before = path.stat().st_mtime_ns
    path.chmod(0o444)  # a rewrite would have to replace this file
    assert store.put(b"report") == digest
    assert path.stat().st_mtime_ns == before


def test_put_many_stores_each_item_and_leaves_no_temporary_files(tmp_path):
    store = RawStore(tmp_path)
    items = [f"page {i}".encode() for i in range(5)] + [b"page 0"]
    digests = store.put_many(items)
    assert [store.get(d) for d in digests] == items
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.endswith(".gz")]


def test_get_of_an_unknown_hash_is_a_key_error(tmp_path):
    with pytest.raises(KeyError):
        RawStore(tmp_path).get("0" * 64)
