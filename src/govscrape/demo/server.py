"""Serve the demo portal on 127.0.0.1: one threaded HTTP server per host, trouble included.

Each host is its own server (own port, own robots.txt), as the crawler keys politeness, robots
and host-wide blocks by origin. Behaviours (docs/portal-families.md): ETag / Last-Modified with 304
answers to conditional requests; a page that fails once with 500; a host behind a 521
JavaScript challenge (served normally to a client presenting the cookie the stub sets); a
robots.txt disallowing a path; a GB2312 host that sends no charset in its Content-Type; 404
pages for unknown paths (including Hanweb's static index_1.html).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from govscrape.demo.agencies import CITY, COLUMN_AGENCIES, PROVINCE, Agency
from govscrape.demo.pages import challenge_page
from govscrape.demo.site_model import Resource, Site
from govscrape.demo.site_paths import PAGERS
from govscrape.demo.sites import CHALLENGE_COOKIE, build_sites

HOST_KEYS: tuple[str, ...] = ("city", "county", "waf", "zone")
_BEIJING = timezone(timedelta(hours=8))
_JSLUID = "__jsluid_s=6d1f0c2b9a8e7d6c5b4a39281706f5e4; max-age=31536000; path=/; HttpOnly"


@dataclass(frozen=True, slots=True)
class Hit:
    """One request the portal answered (the demo prints a tally; tests count them)."""

    site: str
    method: str
    path: str
    status: int


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class _State:
    """Per-server memory: which fail-once pages already failed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.failed: set[str] = set()

    def first_time(self, key: str) -> bool:
        with self.lock:
            if key in self.failed:
                return False
            self.failed.add(key)
            return True


def answer(
    site: Site,
    state: _State,
    target: str,
    headers: Mapping[str, str] | Message,
    switches: frozenset[str] = frozenset(),
) -> Answer:
    """What the host answers to GET `target` (path and query) with these request headers, with
    these switches (site_model.SWITCHES) on."""
    parts = urlsplit(target)
    key = parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.path == "/robots.txt":
        if site.robots is None:
            return _error_page(site, 404)
        return Answer(200, {"Content-Type": "text/plain"}, site.robots.encode())
    resource = site.resource(parts.path, parts.query, switches)
    if resource is None:
        return _error_page(site, 404)
    if resource.challenge and CHALLENGE_COOKIE not in headers.get("Cookie", ""):
        body = _challenge_stub(site)
        return Answer(521, {"Content-Type": "text/html", "Set-Cookie": _JSLUID}, body)
    if resource.fail_once and state.first_time(key):
        return _error_page(site, 500)
    return _conditional(resource, headers)


def _conditional(resource: Resource, headers: Mapping[str, str] | Message) -> Answer:
    """200 with validators, or 304 when the client's copy is current (ETag first, RFC 9110)."""
    etag = '"' + hashlib.sha1(resource.body).hexdigest()[:16] + '"'
    modified = resource.modified.replace(tzinfo=_BEIJING).astimezone(UTC)
    validators = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        if etag in [t.strip() for t in if_none_match.split(",")] or if_none_match.strip() == "*":
            return Answer(304, validators, b"")
    elif (since := _http_date(headers.get("If-Modified-Since"))) and modified <= since:
        return Answer(304, validators, b"")
    headers = {"Content-Type": resource.content_type, **dict(resource.headers), **validators}
    return Answer(200, headers, resource.body)


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def _error_page(site: Site, status: int) -> Answer:
    text = "页面不存在" if status == 404 else "服务器内部错误"
    page = f"<html><head><title>{status} {text}</title></head><body><h1>{text}</h1></body></html>"
    ctype = "text/html" if site.encoding != "utf-8" else "text/html; charset=utf-8"
    return Answer(status, {"Content-Type": ctype}, page.encode(site.encoding))


def _challenge_stub(site: Site) -> bytes:
    return challenge_page(CHALLENGE_COOKIE).encode(site.encoding)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    server: _SiteServer

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, *, send_body: bool) -> None:
        switches = frozenset(self.server.switches)
        result = answer(self.server.site, self.server.state, self.path, self.headers, switches)
        self.server.hits.append(Hit(self.server.site.key, self.command, self.path, result.status))
        self.send_response(result.status)
        for name, value in result.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(result.body)))
        self.end_headers()
        if send_body and result.body:
            self.wfile.write(result.body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the portal's tally (DemoPortal.hits) replaces the access log


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], site: Site, hits: list[Hit], switches: set[str]
    ) -> None:
        super().__init__(address, _Handler)
        self.site, self.hits, self.state, self.switches = site, hits, _State(), switches


class DemoPortal:
    """The demo portal, running: `with DemoPortal() as portal: ...portal.urls["city"]...`.

    Ports are free ones picked by the system unless `port` (the first of four consecutive
    ports) or `ports` (host key -> port, e.g. those of an earlier run) are given.
    """

    def __init__(
        self,
        *,
        port: int | None = None,
        ports: Mapping[str, int] | None = None,
        address: str = "127.0.0.1",
    ) -> None:
        self.address = address
        self.wanted = {
            k: (ports or {}).get(k, port + i if port else 0) for i, k in enumerate(HOST_KEYS)
        }
        self.hits: list[Hit] = []
        # Switches that are on (site_model.SWITCHES): flip with `portal.switches.add(name)`.
        self.switches: set[str] = set()
        self.servers: dict[str, _SiteServer] = {}
        self.threads: list[threading.Thread] = []

    def start(self) -> DemoPortal:
        sites = build_sites()
        try:
            for key in HOST_KEYS:
                server = _SiteServer(
                    (self.address, self.wanted[key]), sites[key], self.hits, self.switches
                )
                self.servers[key] = server
                thread = threading.Thread(
                    target=server.serve_forever, args=(0.05,), name=f"demo-{key}", daemon=True
                )
                thread.start()
                self.threads.append(thread)
        except OSError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)
        self.servers.clear()
        self.threads.clear()

    def __enter__(self) -> DemoPortal:
        return self if self.servers else self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def ports(self) -> dict[str, int]:
        return {k: s.server_address[1] for k, s in self.servers.items()}

    @property
    def urls(self) -> dict[str, str]:
        """Host key -> base URL (http://127.0.0.1:PORT)."""
        return {k: f"http://{self.address}:{p}" for k, p in self.ports.items()}

    def listing_url(self, agency: Agency) -> str:
        return self.urls[agency.host] + agency.column

    def config_text(self) -> str:
        """A sites.toml for the running portal: one entry per agency column."""
        return demo_config_text(self.urls)


# Tiny delays: the portal is local and the demo should take seconds, not minutes.
DEMO_CRAWL_SETTINGS = {
    "per_host_delay_s": 0.01,
    "per_host_concurrency": 4,
    "backoff_initial_s": 0.05,
    "backoff_max_s": 0.5,
    "connect_timeout_s": 5.0,
    "read_timeout_s": 10.0,
}


def demo_config_text(urls: Mapping[str, str]) -> str:
    """sites.toml text for the demo portal at these base URLs (host key -> base URL)."""
    out = [
        "# The govscrape demo portal: fictional agencies served on 127.0.0.1 by `govscrape demo`.",
        "# Written by govscrape for the ports below; they change when the portal restarts.",
        "",
        "[crawl]",
        *(f"{k} = {_toml(v)}" for k, v in DEMO_CRAWL_SETTINGS.items()),
    ]
    for agency in COLUMN_AGENCIES:
        entry = {
            "id": agency.site_id,
            "agency": agency.name,
            "agency_kind": agency.kind,
            "province": PROVINCE,
            "city": CITY,
            "county": agency.county,
            "level": agency.level,
            "listing": urls[agency.host] + agency.column,
            "allow_private_addresses": True,
            "family": _family(agency),
        }
        out += ["", "[[site]]", *(f"{k} = {_toml(v)}" for k, v in entry.items() if v is not None)]
    return "\n".join(out) + "\n"


def _family(agency: Agency) -> str:
    """The CMS family of a column (informational in sites.toml)."""
    by_pager = {"gkmlpt": "gkmlpt", "datastore": "hanweb_jcms"}
    if (family := by_pager.get(PAGERS.get(agency.site_id, ""))) is not None:
        return family
    return {"city": "trs_static", "zone": "generic"}.get(agency.host, "hanweb_like")


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
