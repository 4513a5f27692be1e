"""robots.txt per origin, fetched once per run and cached (RFC 9309, with gov-site leniencies)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

# (http_status or None when unreachable, content type, body, error)
RobotsFetch = Callable[[str], Awaitable[tuple[int | None, str | None, bytes | None, str | None]]]


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """The rules of one origin; `unreachable` carries why everything is off limits this run."""

    parser: RobotFileParser | None
    unreachable: str | None = None
    no_answer: bool = False  # the host itself gave no answer: a failure, not a robots refusal

    def allows(self, url: str, agent: str) -> bool:
        if self.unreachable:
            return False
        return self.parser is None or self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None


def parse_robots(
    status: int | None, content_type: str | None, body: bytes | None, error: str | None = None
) -> RobotsRules:
    """Rules from a robots.txt response. HTML or non-text/plain answers are "no rules"."""
    if status is None and error:
        return RobotsRules(None, f"no answer from the host: {error}", no_answer=True)
    if status is None or status >= 500:
        # RFC 9309 §2.3.1.4: an unreachable robots.txt means assume complete disallow.
        return RobotsRules(None, f"robots.txt unreachable (HTTP {status or 'no answer'})")
    if status != 200 or body is None:
        return RobotsRules(None)  # 4xx: no robots.txt, so no rules (RFC 9309 §2.3.1.3)
    kind = (content_type or "text/plain").split(";")[0].strip().lower()
    text = body.decode("utf-8", errors="replace")
    # Many gov CMSs answer every unknown path, robots.txt included, with an HTML page.
    if kind != "text/plain" or text.lstrip()[:200].lower().startswith(("<!doctype", "<html")):
        return RobotsRules(None)
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    return RobotsRules(parser)


class RobotsCache:
    """Fetches each origin's robots.txt at most once per run, however many tasks ask at once."""

    def __init__(self, fetch: RobotsFetch, agent: str) -> None:
        self._fetch = fetch
        self.agent = agent
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def cached(self, url: str) -> RobotsRules | None:
        """The rules already fetched for `url`'s origin, if any."""
        return self._rules.get(_origin(url))

    async def rules(self, url: str) -> RobotsRules:
        origin = _origin(url)
        if origin in self._rules:
            return self._rules[origin]
        async with self._locks.setdefault(origin, asyncio.Lock()):
            if origin not in self._rules:
                status, ctype, body, error = await self._fetch(origin + "/robots.txt")
                self._rules[origin] = parse_robots(status, ctype, body, error)
        return self._rules[origin]

    async def check(self, url: str) -> str | None:
        """None when `url` may be fetched, else the reason it may not."""
        rules = await self.rules(url)
        if rules.allows(url, self.agent):
            return None
        return rules.unreachable or "disallowed by robots.txt"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
