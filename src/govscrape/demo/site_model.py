"""A demo host in memory: its routes (Resource), its Hanweb jpage columns and the jpage proxy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qsl

from govscrape.demo.pages_common import Host
from govscrape.demo.pages_hanweb import hanweb_jpage_xml

# Hanweb jpage: a column page embeds its first group of records; the proxy serves the others.
JPAGE_PROXY = "/module/web/jpage/dataproxy.jsp"
# Switches a test (or a maintainer trying the crawler) can flip on a running portal
# (DemoPortal.switches): each changes what some paths serve.
SCRIPT_ONLY = "script_only"  # the script-paginated column's static index_1.html is withdrawn
CORRECTED = "corrected"  # a report is corrected in place (更正): its page serves new bytes
SWITCHES = (SCRIPT_ONLY, CORRECTED)


@dataclass(slots=True)
class Resource:
    """One URL of a demo host: its bytes and how the server treats requests for it."""

    body: bytes
    content_type: str
    modified: datetime
    fail_once: bool = False
    challenge: bool = False
    headers: tuple[tuple[str, str], ...] = ()  # extra response headers (Content-Disposition)


@dataclass(frozen=True, slots=True)
class JpageColumn:
    """The records of a Hanweb jpage column, for the proxy to serve by record number."""

    records: tuple[str, ...]  # <li> fragments, in listing order (newest first)
    dates: tuple[datetime, ...]  # each record's date, for Last-Modified


@dataclass(slots=True)
class Site:
    """One demo host (one server, one port)."""

    key: str
    family: str  # trs | hanweb | legacy: the CMS whose pages it serves
    host: Host
    encoding: str
    robots: str | None  # None: the host has no robots.txt (404)
    routes: dict[str, Resource] = field(default_factory=dict)
    jpage: dict[str, JpageColumn] = field(default_factory=dict)  # columnid -> records
    # switch -> path -> what the path serves while the switch is on (None: 404)
    variants: dict[str, dict[str, Resource | None]] = field(default_factory=dict)

    def add(
        self,
        path: str,
        text: str,
        modified: datetime,
        *,
        fail_once: bool = False,
        challenge: bool = False,
    ) -> None:
        ctype = "text/html" if self.encoding != "utf-8" else "text/html; charset=utf-8"
        self.routes[path] = Resource(
            text.encode(self.encoding), ctype, modified, fail_once=fail_once, challenge=challenge
        )

    def resource(
        self, path: str, query: str, switches: frozenset[str] = frozenset()
    ) -> Resource | None:
        """What the host serves at path?query: a fixed route (or its variant under a switch
        that is on), or a jpage proxy answer."""
        if path == JPAGE_PROXY:
            return self._jpage_answer(query)
        key = path + (f"?{query}" if query else "")
        for switch in sorted(switches):
            if key in (variant := self.variants.get(switch, {})):
                return variant[key]
        return self.routes.get(key)

    def vary(self, switch: str, path: str, resource: Resource | None) -> None:
        """While `switch` is on, `path` serves `resource` (None: 404)."""
        self.variants.setdefault(switch, {})[path] = resource

    def _jpage_answer(self, query: str) -> Resource | None:
        """dataproxy.jsp?columnid=…&startrecord=S&endrecord=E: records S..E (1-based) as XML."""
        params = {k.lower(): v for k, v in parse_qsl(query)}
        column = self.jpage.get(params.get("columnid", ""))
        start, end = params.get("startrecord", ""), params.get("endrecord", "")
        if column is None or not (start.isdigit() and end.isdigit()) or int(start) < 1:
            return None
        first, last = int(start) - 1, int(end)
        if first >= len(column.records) or last <= first:
            return None
        body = hanweb_jpage_xml(column.records[first:last], len(column.records))
        modified = max(column.dates[first:last])
        return Resource(body.encode("utf-8"), "text/xml;charset=UTF-8", modified)
