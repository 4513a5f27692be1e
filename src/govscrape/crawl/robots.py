"""robots.txt per origin, fetched once per run and cached: RFC 9309 rules (read by Protego, the
parser Scrapy uses), with gov-site leniencies for what is not a robots file at all."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

# RFC 9309 §2.5: a parsing limit of at least 500 KiB; rules past it are not read.
PARSE_LIMIT_BYTES = 500 * 1024


@dataclass(frozen=True, slots=True)
class RobotsAnswer:
    """What fetching /robots.txt gave: an HTTP status (None when the host gave no answer), the
    body and its type, the error, and the anti-bot challenge that stood in its place, if any."""

    status: int | None
    content_type: str | None = None
    body: bytes | None = None
    error: str | None = None
    challenge: str | None = None


RobotsFetch = Callable[[str], Awaitable[RobotsAnswer]]


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """The rules of one origin; `unreachable` carries why everything is off limits this run."""

    parser: Protego | None
    unreachable: str | None = None
    no_answer: bool = False  # the host itself gave no answer: a failure, not a robots refusal
    challenged: bool = False  # a challenge/WAF page answered: the host is blocked, not robots

    @property
    def refusal_status(self) -> str:
        """The fetch status of a URL these rules refuse: failed | blocked | robots."""
        return "failed" if self.no_answer else ("blocked" if self.challenged else "robots")

    def allows(self, url: str, agent: str) -> bool:
        if self.unreachable:
            return False
        return self.parser is None or self.parser.can_fetch(url, product_token(agent))

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(product_token(agent))
        return float(delay) if delay is not None else None


def product_token(agent: str) -> str:
    """The product token a robots.txt group names (RFC 9309 §2.2.1): `govscrape` of
    `govscrape/0.1 (+https://…)`. Matching on the whole User-Agent would let a group for any
    word of the comment (`research`, `github`) apply to us."""
    return agent.split("/", 1)[0].split()[0] if agent.strip() else agent


def parse_robots(answer: RobotsAnswer) -> RobotsRules:
    """Rules from a robots.txt answer, by RFC 9309 §2.3.1 with gov-site leniencies:
    - no answer at all: the host is down (a failure of every URL, not a robots refusal);
    - a challenge/WAF page: the host is blocked, and the fetch says which challenge;
    - 5xx: unreachable, so complete disallow for this run (§2.3.1.4);
    - 4xx, or an HTML page (many gov CMSs answer every unknown path with one): no rules (§2.3.1.3);
    - otherwise the body is parsed, whatever its declared type (only the first 500 KiB, §2.5)."""
    if answer.challenge:
        return RobotsRules(None, f"blocked on robots.txt: {answer.challenge}", challenged=True)
    if answer.status is None and answer.error:
        return RobotsRules(None, f"no answer from the host: {answer.error}", no_answer=True)
    if answer.status is None or answer.status >= 500:
        return RobotsRules(None, f"robots.txt unreachable (HTTP {answer.status or 'no answer'})")
    if answer.status != 200 or answer.body is None:
        return RobotsRules(None)
    text = answer.body[:PARSE_LIMIT_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")
    kind = (answer.content_type or "text/plain").split(";")[0].strip().lower()
    if _is_html(text, kind):
        return RobotsRules(None)
    return RobotsRules(Protego.parse(text))


def _is_html(text: str, kind: str) -> bool:
    """A web page in robots.txt's place; a text file served as text/html is still read."""
    head = text.lstrip()[:1024].lower()
    marked = head.startswith(("<!doctype", "<html", "<?xml", "<head", "<body", "<meta"))
    return marked or ("html" in kind and ("<html" in head or "<body" in head))


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
                self._rules[origin] = parse_robots(await self._fetch(origin + "/robots.txt"))
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
