"""Sharded crawls: disjoint sites per shard (one host, one shard), one dataset from all shards."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from crawl_server import ScriptedServer

import govscrape
from govscrape.cli.main import main
from govscrape.crawl.config import load_config
from govscrape.crawl.shard import in_shard, parse_shard, shard_of
from govscrape.errors import InputError

REPORT = (
    "<html><head><title>{agency}2023年政府信息公开工作年度报告</title></head><body>"
    "<h1>{agency}2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>{agency}认真贯彻……</p>"
    "</body></html>"
)


@pytest.fixture
def servers() -> Iterator[tuple[ScriptedServer, ScriptedServer]]:
    one, two = ScriptedServer().start(), ScriptedServer().start()
    yield one, two
    one.stop()
    two.stop()


def _config(tmp_path: Path, one: ScriptedServer, two: ScriptedServer) -> Path:
    """Site a on 127.0.0.1, site b on localhost (another host name), site c beside a."""
    path = tmp_path / "sites.toml"
    sites = [
        ("a", "某某县民政局", f"http://127.0.0.1:{one.port}/a/"),
        ("b", "某某县财政局", f"http://localhost:{two.port}/b/"),
        ("c", "某某县教育局", f"http://127.0.0.1:{one.port}/c/"),
    ]
    text = "[crawl]\nper_host_delay_s = 0.0\nbackoff_initial_s = 0.01\nmax_tries = 2\n"
    for site, agency, listing in sites:
        text += (f'[[site]]\nid = "{site}"\nagency = "{agency}"\nlisting = "{listing}"\n'
                 "allow_private_addresses = true\n")  # fmt: skip
    path.write_text(text, encoding="utf-8")
    return path


def _serve(one: ScriptedServer, two: ScriptedServer) -> None:
    for srv, site, agency in ((one, "a", "某某县民政局"), (two, "b", "某某县财政局"),
                              (one, "c", "某某县教育局")):  # fmt: skip
        srv.page(f"/{site}/", f'<a href="r.html">{agency}2023年政府信息公开工作年度报告</a>')
        srv.page(f"/{site}/r.html", REPORT.format(agency=agency))


def _split(config_path: Path) -> int:
    """A shard count that puts 127.0.0.1 and localhost apart (the hash decides, stably)."""
    sites = load_config(config_path).sites
    by_id = {s.id: s for s in sites}
    for n in range(2, 12):
        if shard_of(by_id["a"], n) != shard_of(by_id["b"], n):
            return n
    raise AssertionError("no shard count separates the two hosts")


def _sites_in(data: Path) -> set[str]:
    with sqlite3.connect(data / "state.sqlite") as con:
        return {row[0] for row in con.execute("SELECT DISTINCT site FROM urls")}


def test_shard_is_k_of_n():
    assert parse_shard("2/4") == (2, 4) and parse_shard(" 1 / 1 ") == (1, 1)
    for bad in ("0/4", "5/4", "2", "a/b", "-1/3"):
        with pytest.raises(InputError, match="K/N"):
            parse_shard(bad)


def test_every_site_is_in_one_shard_and_one_host_in_one_shard(tmp_path, servers):
    sites = load_config(_config(tmp_path, *servers)).sites
    for n in range(1, 7):
        shards = [in_shard(sites, k, n) for k in range(1, n + 1)]
        ids = [s.id for shard in shards for s in shard]
        assert sorted(ids) == ["a", "b", "c"]  # every site once
        assert shard_of(sites[0], n) == shard_of(sites[2], n)  # a and c share 127.0.0.1


def test_shards_crawl_disjoint_sites_and_parse_from_builds_one_dataset(tmp_path, servers, capsys):
    config = _config(tmp_path, *servers)
    _serve(*servers)
    n = _split(config)
    sites = {s.id: s for s in load_config(config).sites}
    folders = {}
    for k in sorted({shard_of(sites["a"], n), shard_of(sites["b"], n)}):
        folders[k] = tmp_path / f"shard{k}"
        status = main(["crawl", "--config", str(config), "--shard", f"{k}/{n}",
                       "--data", str(folders[k]), "--no-parse"])  # fmt: skip
        assert status == 0
    a_shard, b_shard = shard_of(sites["a"], n), shard_of(sites["b"], n)
    assert _sites_in(folders[a_shard]) == {"a", "c"} and _sites_in(folders[b_shard]) == {"b"}
    merged = tmp_path / "all"
    args = ["parse", "--data", str(merged), "--from", *map(str, folders.values())]
    assert main(args) == 0
    reports = govscrape.load("reports", merged)
    assert sorted(reports["site"].astype(str)) == ["a", "b", "c"]
    assert set(reports["agency"].astype(str)) == {"某某县民政局", "某某县财政局", "某某县教育局"}
    capsys.readouterr()
    assert main(args) == 0 and "up to date" in capsys.readouterr().out  # incremental across shards


def test_a_bad_shard_is_a_usage_error(tmp_path, servers, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["crawl", "--config", str(_config(tmp_path, *servers)), "--shard", "3/2"])
    assert exit_.value.code == 2 and "K/N" in capsys.readouterr().err
