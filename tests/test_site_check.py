"""`govscrape sites check` against the demo portal and real local servers: reachable or why not,
family, items per year, items beyond the static pages, robots; table, JSON and exit statuses."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from crawl_server import Reply, ScriptedServer

from govscrape.cli.main import main
from govscrape.demo.server import DemoPortal

REPORT = "某某县民政局{year}年政府信息公开工作年度报告"


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    srv = ScriptedServer().start()
    yield srv
    srv.stop()


def write_config(tmp_path: Path, *entries: dict[str, object]) -> Path:
    lines = ["[crawl]", "per_host_delay_s = 0.0", "max_tries = 1", "connect_timeout_s = 5.0"]
    for entry in entries:
        lines += [
            "",
            "[[site]]",
            *(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in entry.items()),
        ]
    path = tmp_path / "sites.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def site(site_id: str, listing: str) -> dict[str, object]:
    return {
        "id": site_id,
        "agency": "某某县民政局",
        "listing": listing,
        "allow_private_addresses": True,
    }


def checked(path: Path, capsys, *extra: str) -> tuple[int, list[dict]]:
    status = main(["sites", "check", "--config", str(path), "--format", "json", *extra])
    return status, json.loads(capsys.readouterr().out)


def test_the_demo_portal_is_checked_site_by_site(tmp_path, capsys):
    with DemoPortal() as portal:
        path = tmp_path / "demo-sites.toml"
        path.write_text(portal.config_text(), encoding="utf-8")
        status, checks = checked(path, capsys)
        table_status = main(["sites", "check", "--config", str(path), "--site", "yunze-dfz"])
        table = capsys.readouterr().out
    by_site = {c["site"]: c for c in checks}
    assert status == 1  # the county health bureau sits behind a challenge
    assert not by_site["qingshi-wjj"]["reachable"]
    assert "challenge" in by_site["qingshi-wjj"]["why"]
    dfz = by_site["yunze-dfz"]
    assert dfz["reachable"] and dfz["family"] == "trs" and dfz["newest_year"] == 2024
    assert dfz["robots"] == "allows the listings" and list(dfz["years"]) == [
        "2024",
        "2023",
        "2022",
        "2021",
    ]
    assert dfz["beyond_static"] == 2  # its script states 6 items; the first page shows 4
    assert by_site["yunze-wjw"]["family"] == "gkmlpt"
    scjgj = by_site["yunze-scjgj"]  # a front page of year sub-columns: the newest are read
    assert scjgj["newest_year"] == 2024 and list(scjgj["years"]) == ["2024", "2023", "2022"]
    assert table_status == 0 and "yunze-dfz" in table and "all reachable" in table


def test_a_script_paginated_listing_shows_the_items_beyond_its_static_page(
    server, tmp_path, capsys
):
    items = "".join(
        f'<li><a href="r{y}.html">{REPORT.format(year=y)}</a></li>' for y in range(2015, 2025)
    )
    script = "<script>listModel({ pageSize: 10, recordCount: '20' });</script>"
    server.page("/list/", f"<html><body><ul>{items}</ul>{script}</body></html>")
    server.route(
        "/robots.txt", Reply("User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    )
    status, (check,) = checked(write_config(tmp_path, site("s", server.url("/list/"))), capsys)
    assert status == 0 and check["reachable"] and check["family"] == "trs"
    assert check["beyond_static"] == 10 and check["newest_year"] == 2024
    assert len(check["years"]) == 10 and check["robots"] == "allows the listings"
    assert server.hits("/list/") == 1 and server.hits("/list/r2024.html") == 0  # listings only


def test_unreachable_sites_say_why(server, tmp_path, capsys):
    server.route("/gone/", Reply("<html>gone</html>", status=404))
    server.route(
        "/robots.txt", Reply("User-agent: *\nDisallow: /nogo/\n", content_type="text/plain")
    )
    with socket.socket() as sock:  # a port nothing listens on: connection refused
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    path = write_config(
        tmp_path,
        site("gone", server.url("/gone/")),
        site("nogo", server.url("/nogo/")),
        site("down", f"http://127.0.0.1:{closed}/list/"),
    )
    status, checks = checked(path, capsys)
    why = {c["site"]: c["why"] for c in checks}
    assert status == 1 and not any(c["reachable"] for c in checks)
    assert why["gone"].startswith("HTTP 404")
    assert why["nogo"] == "disallowed by robots.txt"
    assert checks[1]["robots"] == "disallows 1 listing(s)"
    assert why["down"].startswith(("connection refused", "no answer"))


def test_an_unusable_config_is_exit_status_2(tmp_path, capsys):
    path = write_config(tmp_path, site("bad", "http://[::1/x/"))
    assert main(["sites", "check", "--config", str(path)]) == 2
    assert "field 'listing'" in capsys.readouterr().err
