"""Beyond one machine: the raw store and the datasets on shared storage, the crawl state local.

A real crawl of a portal on 127.0.0.1 into an S3 bucket (a moto S3 server, see s3_server.py) and
into a shared folder (a second directory standing in for a network mount), built and read back:
the same datasets as a crawl and build on one local disk.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from crawl_server import ScriptedServer

import govscrape
from govscrape.cli.main import main
from govscrape.crawl.raw_location import raw_store_of
from govscrape.crawl.storage import filesystem
from govscrape.datasets.remote import POINTER, read_pointer

pytest.importorskip("s3fs")

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
# site id -> the reports its listing links to (real report pages from the fixtures)
SITES = {
    "anping": ["anping-devzone-2023.html", "hexi-district-2021.html"],
    "gaoping": ["gaoping-housing-2022.html"],
}


@pytest.fixture
def portal() -> Iterator[ScriptedServer]:
    srv = ScriptedServer().start()
    for site, files in SITES.items():
        links = "".join(
            f'<li><a href="{name}">{name[:-5]}政府信息公开工作年度报告</a></li>' for name in files
        )
        srv.page(f"/{site}/", f"<html><body><ul>{links}</ul></body></html>")
        for name in files:
            srv.page(f"/{site}/{name}", (FIXTURES / name).read_text("utf-8"))
    yield srv
    srv.stop()


def sites_file(tmp_path: Path, srv: ScriptedServer, storage: str = "") -> Path:
    path = tmp_path / "sites.toml"
    entries = "".join(
        f'[[site]]\nid = "{site}"\nagency = "{site}局"\nlisting = "{srv.url(f"/{site}/")}"\n'
        "allow_private_addresses = true\n"
        for site in SITES
    )
    path.write_text(f"{storage}[crawl]\nper_host_delay_s = 0.0\n{entries}", encoding="utf-8")
    return path


def copy_state(machine: Path, build: Path) -> str:
    """The crawl state copied as `sqlite3 state.sqlite ".backup …"` does (README)."""
    build.mkdir(parents=True)
    with (
        sqlite3.connect(machine / "state.sqlite") as src,
        sqlite3.connect(build / "state.sqlite") as dst,
    ):
        src.backup(dst)
    return str(build)


def crawl(config: Path, *args: str) -> None:
    assert main(["-q", "crawl", "--config", str(config), *args]) == 0


def frames(data: Path | str) -> dict[str, pd.DataFrame]:
    """What an analyst reads: every report-level dataset, rows in a fixed order."""
    found = {}
    for table in ("requests", "findings", "sections"):
        frame = govscrape.load(table, data)
        found[table] = frame.sort_values(list(frame.columns[:4])).reset_index(drop=True)
    reports = govscrape.load("reports", data, columns=["report_id", "agency", "year", "url"])
    found["reports"] = reports.sort_values("report_id").reset_index(drop=True)
    return found


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table)
    assert len(a["reports"]) == 3 and len(a["requests"]) > 0


def test_a_crawl_into_s3_builds_the_datasets_of_a_local_crawl(portal, bucket, tmp_path):
    url, state = f"{bucket}/govscrape", tmp_path / "state"
    storage = f'[storage]\ndata = "{url}"\nstate = "{state}"\n'  # as --data and --state
    config = sites_file(tmp_path, portal, storage)
    crawl(config)  # crawls, then builds and publishes
    crawl(config, "--data", str(tmp_path / "local"), "--state", str(tmp_path / "local"))
    assert_same(frames(url), frames(tmp_path / "local"))
    fs, root = filesystem(url)
    assert fs.ls(f"{root}/raw") and not fs.exists(f"{root}/state.sqlite")
    assert (state / "state.sqlite").is_file() and not (state / "raw").exists()
    assert raw_store_of(state) == f"{url}/raw"  # the state knows where its bytes are
    relation = govscrape.scan("requests", url, years=2023, columns=["agency", "value"])
    assert relation.aggregate("count(*)").fetchone()[0] == len(
        govscrape.load("requests", url, years=2023)
    )


def test_the_question_commands_answer_from_datasets_in_s3(portal, bucket, tmp_path, capsys):
    config = sites_file(tmp_path, portal)
    url = f"{bucket}/govscrape"
    crawl(config, "--data", url, "--state", str(tmp_path / "state"))
    crawl(config, "--data", str(tmp_path / "local"))
    capsys.readouterr()
    for command in (["zero-requests"], ["findings"], ["compare", "--year", "2022"]):
        assert main([*command, "--data", url, "--format", "csv"]) == 0
        remote = capsys.readouterr().out.splitlines()
        assert main([*command, "--data", str(tmp_path / "local"), "--format", "csv"]) == 0
        local = capsys.readouterr().out.splitlines()
        if command == ["findings"]:
            assert remote == local and len(remote) > 1
        else:  # the same rows; the crawl's coverage of a missing report is in the state only
            assert [r.split(",")[:3] for r in remote] == [r.split(",")[:3] for r in local]
    assert main(["sql", "SELECT 1", "--data", url]) == 2
    assert "govscrape.scan" in capsys.readouterr().err


def test_parse_rebuilds_from_s3_and_a_night_with_nothing_new_publishes_nothing(
    portal, bucket, tmp_path, capsys
):
    config = sites_file(tmp_path, portal)
    url, state = f"{bucket}/govscrape", str(tmp_path / "state")
    crawl(config, "--data", url, "--state", state, "--no-parse")
    assert read_pointer(url) == {}
    assert main(["-q", "parse", "--data", url, "--state", state]) == 0
    first = read_pointer(url)
    assert f"{url}/{POINTER}" in capsys.readouterr().out and first["build"]
    assert main(["-q", "parse", "--data", url, "--state", state]) == 0
    assert read_pointer(url) == first and "up to date" in capsys.readouterr().out
    assert main(["-q", "parse", "--all", "--data", url, "--state", state]) == 0
    again = read_pointer(url)
    assert again["build"] != first["build"] and again["files"] == first["files"]


def test_a_url_without_a_crawl_state_folder_is_refused_with_a_hint(bucket, capsys):
    assert main(["parse", "--data", f"{bucket}/govscrape"]) == 2
    assert "--state" in capsys.readouterr().err


def test_a_state_bound_to_one_raw_store_refuses_another(portal, bucket, tmp_path, capsys):
    config = sites_file(tmp_path, portal)
    state = str(tmp_path / "state")
    crawl(config, "--data", f"{bucket}/one", "--state", state, "--no-parse", "--site", "gaoping")
    status = main(["crawl", "--config", str(config), "--data", f"{bucket}/two", "--state", state])
    assert status == 2 and f"{bucket}/one/raw" in capsys.readouterr().err


def test_two_crawl_shards_on_a_shared_folder_build_one_set_of_datasets(portal, tmp_path):
    """Each crawler keeps its state on its own disk and its raw store on the shared folder; only
    the states are copied to the build machine, which reads the bytes where the states say."""
    config, shared = sites_file(tmp_path, portal), tmp_path / "shared"
    for k, site in enumerate(SITES, start=1):
        local = str(tmp_path / f"machine{k}")
        crawl(config, "--site", site, "--data", str(shared / f"shard{k}"), "--state", local,
              "--no-parse")  # fmt: skip
        assert raw_store_of(local) == str(shared / f"shard{k}" / "raw")
        assert not (Path(local) / "raw").exists()
    states = [
        copy_state(tmp_path / f"machine{k}", tmp_path / "build" / f"shard{k}") for k in (1, 2)
    ]
    assert main(["-q", "parse", "--data", str(shared / "all"), "--from", *states]) == 0
    crawl(config, "--data", str(tmp_path / "local"))
    assert_same(frames(shared / "all"), frames(tmp_path / "local"))


@pytest.mark.slow
def test_dask_workers_read_the_raw_bytes_from_s3_themselves(portal, bucket, tmp_path):
    """A LocalCluster's worker process gets the endpoint from its environment, as a worker of a
    real cluster would; the build machine holds no raw bytes at all."""
    distributed = pytest.importorskip("distributed")
    config = sites_file(tmp_path, portal)
    url, state = f"{bucket}/govscrape", str(tmp_path / "state")
    crawl(config, "--data", url, "--state", state, "--no-parse")
    crawl(config, "--data", str(tmp_path / "local"))
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        argv = ["-q", "parse", "--data", url, "--state", state, "--cluster"]
        assert main([*argv, cluster.scheduler_address]) == 0
    assert not list(Path(state).rglob("*.gz"))
    assert_same(frames(url), frames(tmp_path / "local"))
