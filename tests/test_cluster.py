"""Parsing on a Dask cluster: a real LocalCluster (scheduler, nanny and worker processes)."""

from __future__ import annotations

import os
import shutil
import signal

import dask
import pytest
from datasets_factory import (
    fake_parse,
    killer_parse,
    make_report,
    report_to_bytes,
    slow_parse,
    store_report,
)
from test_datasets import _files, crawl_like

import govscrape
from govscrape.datasets import build_datasets, workers
from govscrape.datasets.cluster import LOCAL_CLUSTER_CONFIG
from govscrape.errors import InputError

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    """One LocalCluster for the module, as `--cluster local:2` makes it: 2 worker processes
    restarted however long a loaded machine takes; a task retried once after its worker dies
    (so a killer document is given up on quickly)."""
    config = {**LOCAL_CLUSTER_CONFIG, "distributed.scheduler.allowed-failures": 1}
    with (
        dask.config.set(config),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as local,
    ):
        yield local.scheduler_address


def _reports(n: int) -> dict:
    return {f"http://a.gov.cn/{i}.html": make_report(f"局{i}", 2019 + i % 4) for i in range(n)}


def test_cluster_build_is_byte_identical_to_a_one_process_build(tmp_path, cluster, monkeypatch):
    monkeypatch.setattr(workers, "BATCH", 5)  # several batches, in any order
    here, there = tmp_path / "one", tmp_path / "cluster"
    crawl_like(here, _reports(23))
    shutil.copytree(here, there)
    build_datasets(here, parse=fake_parse, jobs=1)
    summary = build_datasets(there, parse=fake_parse, cluster=cluster)
    assert summary.parsed == 23 and "on the Dask cluster" in summary.format()
    assert _files(there) == _files(here)
    changed = make_report("局3", 2022, requests={"new": {"natural_person": 2, "total": 2}})
    store_report(there, "http://a.gov.cn/3.html", report_to_bytes(changed), site="site-a")
    again = build_datasets(there, parse=fake_parse, cluster=cluster)
    assert (again.parsed, again.reused) == (1, 22)  # incremental on the cluster too


def test_a_killed_worker_costs_only_a_rerun_of_its_batches(tmp_path, cluster, monkeypatch):
    monkeypatch.setattr(workers, "BATCH", 4)
    here, there = tmp_path / "one", tmp_path / "cluster"
    crawl_like(here, _reports(40))
    shutil.copytree(here, there)
    build_datasets(here, parse=fake_parse, jobs=1)
    with distributed.Client(cluster) as client:
        pids = sorted(client.run(os.getpid).values())
    killed = []

    def kill_one(done: int, total: int) -> None:
        if done >= 8 and not killed:  # batches are running on both workers
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    summary = build_datasets(there, parse=slow_parse, cluster=cluster, progress=kill_one)
    assert killed and summary.parsed == 40
    assert _files(there) == _files(here)  # nothing lost, nothing twice


def test_a_report_that_kills_every_worker_is_recorded_as_failed(tmp_path, cluster, monkeypatch):
    monkeypatch.setattr(workers, "BATCH", 4)
    reports = _reports(8)
    reports["http://a.gov.cn/5.html"] = make_report("KILL-ME", 2020)
    crawl_like(tmp_path, reports)
    summary = build_datasets(tmp_path, parse=killer_parse, cluster=cluster)
    assert summary.parsed == 8
    found = govscrape.load("findings", tmp_path)
    [failed] = found[found.code == "parse.resource_limit"].to_dict("records")
    assert "killed the Dask worker" in failed["message"]
    status = govscrape.load("reports", tmp_path).set_index("url")["parse_status"]
    assert status["http://a.gov.cn/5.html"] == "no_tables"  # nothing read, as the pool does
    assert (status.drop("http://a.gov.cn/5.html") == "ok").all()


def test_a_cluster_left_without_workers_stops_the_build_with_a_clear_error(tmp_path, monkeypatch):
    from govscrape.datasets import cluster as module

    monkeypatch.setattr(module, "NO_WORKERS_S", 1.0)
    monkeypatch.setattr(module, "WORKER_CHECK_S", 0.2)
    crawl_like(tmp_path, _reports(2))
    with (
        distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=":0") as empty,
        pytest.raises(InputError, match="no workers for 1 s"),
    ):
        build_datasets(tmp_path, parse=fake_parse, cluster=empty.scheduler_address)
    assert not (tmp_path / "parquet").exists()  # nothing half-written


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    from govscrape.datasets import cluster as module

    monkeypatch.setattr(module, "CONNECT_TIMEOUT", 1.0)
    crawl_like(tmp_path, _reports(1))
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        build_datasets(tmp_path, parse=fake_parse, cluster="tcp://127.0.0.1:9")


def test_local_n_must_name_a_number_of_workers(tmp_path):
    crawl_like(tmp_path, _reports(1))
    with pytest.raises(InputError, match="local:N"):
        build_datasets(tmp_path, parse=fake_parse, cluster="local:zero")


def test_parse_cluster_local_starts_a_local_cluster_from_the_command_line(tmp_path, capsys):
    from govscrape.cli.main import main

    crawl_like(tmp_path, _reports(3))
    status = main(["parse", "--data", str(tmp_path), "--cluster", "local:1"])
    assert status == 0
    assert "3 parsed on the Dask cluster local:1" in capsys.readouterr().out
    assert len(govscrape.load("reports", tmp_path)) == 3
