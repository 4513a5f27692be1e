"""Datasets published at a URL: a new prefix per build, the pointer written last, unchanged files
copied inside the store, a dead publish leaving the previous build current (moto S3 server)."""

from __future__ import annotations

import shutil

import pytest
from datasets_factory import fake_parse, make_report, report_to_bytes, store_report
from test_datasets import crawl_like

import govscrape
from govscrape.crawl.storage import filesystem
from govscrape.datasets import build_datasets, remote

pytest.importorskip("s3fs")


def _published(tmp_path, bucket):
    state, url = tmp_path / "state", f"{bucket}/data"
    crawl_like(state, {f"http://a.gov.cn/{y}.html": make_report("甲局", y) for y in (2020, 2021)})
    summary = build_datasets(url, parse=fake_parse, sources=[state])
    return state, url, summary


def _change_2021(state):
    changed = make_report("甲局", 2021, requests={"new": {"natural_person": 7, "total": 7}})
    store_report(state, "http://a.gov.cn/2021.html", report_to_bytes(changed), site="site-a")


def test_a_build_is_published_under_its_prefix_and_named_by_the_pointer(tmp_path, bucket):
    _, url, summary = _published(tmp_path, bucket)
    pointer = remote.read_pointer(url)
    assert summary.written and summary.location == f"{url}/parquet.json"
    fs, base = filesystem(remote.build_url(url, pointer))
    stored = sorted(p[len(base) + 1 :] for p in fs.find(base))
    assert stored == sorted(pointer["files"]) and "requests/2021.parquet" in stored
    assert len(govscrape.load("reports", url)) == 2


def test_only_changed_files_are_uploaded_and_old_builds_go(tmp_path, bucket, monkeypatch):
    state, url, _ = _published(tmp_path, bucket)
    first = remote.read_pointer(url)
    fs, _ = filesystem(url)
    uploads: list[str] = []
    put_file = fs.put_file
    monkeypatch.setattr(fs, "put_file", lambda lpath, rpath, **kw: (uploads.append(rpath),
                        put_file(lpath, rpath, **kw)))  # fmt: skip
    _change_2021(state)
    build_datasets(url, parse=fake_parse, sources=[state])
    second = remote.read_pointer(url)
    changed = {rel for rel, digest in second["files"].items() if first["files"].get(rel) != digest}
    assert changed and "requests/2020.parquet" not in changed
    assert sorted(u.split(f"/{second['build']}/")[1] for u in uploads) == sorted(changed)
    _change_2021(state)  # back and forth: a third build
    store_report(state, "http://a.gov.cn/2021.html", report_to_bytes(make_report("甲局", 2021)),
                 site="site-a")  # fmt: skip
    build_datasets(url, parse=fake_parse, sources=[state])
    builds = {p.rsplit("/", 1)[-1] for p in fs.ls(filesystem(f"{url}/.parquet-builds")[1])}
    assert builds == {second["build"], remote.read_pointer(url)["build"]}  # the first is gone


def test_a_publish_that_dies_leaves_the_previous_build_current(tmp_path, bucket, monkeypatch):
    state, url, _ = _published(tmp_path, bucket)
    before = remote.read_pointer(url)
    _change_2021(state)

    def network_gone(*args, **kwargs):
        raise OSError("connection reset")

    monkeypatch.setattr(remote, "put_atomic", network_gone)  # the pointer is never replaced
    with pytest.raises(OSError):
        build_datasets(url, parse=fake_parse, sources=[state])
    assert remote.read_pointer(url) == before
    assert govscrape.load("requests", url, years=2021)["value"].max() == 0  # the old numbers
    monkeypatch.undo()
    summary = build_datasets(url, parse=fake_parse, sources=[state])  # nothing left to parse
    assert summary.written and summary.parsed == 0
    assert govscrape.load("requests", url, years=2021)["value"].max() == 7


def test_a_new_machine_starts_from_the_published_build_and_stays_incremental(tmp_path, bucket):
    state, url, _ = _published(tmp_path, bucket)
    shutil.rmtree(state / ".published")  # the working copy is gone (another machine, a new disk)
    _change_2021(state)
    summary = build_datasets(url, parse=fake_parse, sources=[state])
    assert (summary.parsed, summary.reused) == (1, 1)  # not a rebuild of everything
    assert govscrape.load("requests", url, years=2021)["value"].max() == 7
    assert len(govscrape.load("reports", url)) == 2
