"""URL policy: one URL per page, and which addresses a site's crawl may fetch."""

from __future__ import annotations

import functools
import ipaddress
from urllib.parse import urldefrag, urlsplit, urlunsplit

from govscrape.crawl.config import SiteConfig, url_problem

_PRIVATE_NAMES = ("localhost", "localhost.localdomain")


def normalise_url(url: str) -> str:
    """Drop the fragment and lower-case scheme and host, so one page has one URL."""
    url, _ = urldefrag(url.strip())
    parts = urlsplit(url)
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


@functools.lru_cache(maxsize=4096)  # asked for every link and request: a few hundred hosts
def is_private_host(host: str) -> bool:
    """True for loopback, private, link-local and reserved literal addresses and localhost."""
    host = host.strip("[]").lower()
    if host in _PRIVATE_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def host_allowed(host: str, domains: tuple[str, ...]) -> bool:
    """`host` is one of `domains` or a subdomain of one."""
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def is_allowed(url: str, site: SiteConfig) -> bool:
    """http(s) only, on the site's allowed domains, never private unless the entry allows it."""
    if url_problem(url) is not None:  # a hostile link: a bad port, no host, not http(s)
        return False
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    if not host_allowed(parts.hostname, site.allowed_domains):
        return False
    return site.allow_private_addresses or not is_private_host(parts.hostname)
