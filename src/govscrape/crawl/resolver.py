"""Connect only to the address that was checked: no SSRF by DNS rebinding.

A host name is resolved once, when the connection is made; its addresses are checked there
(loopback, private, link-local and reserved ones are refused unless the site allows them) and
the connection goes to a checked address, never to one a second lookup might give. A lookup
that fails refuses the connection: it is never taken as "allowed".
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable, Iterable
from typing import Any

import httpcore

from govscrape.crawl.socket_stream import SocketKnownStream
from govscrape.crawl.url_policy import is_private_host

# The words of the error that says why a connection was refused (http_exchange reads them).
PRIVATE_REFUSAL = "resolves to a private address"


class CheckedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving and checking host names itself.

    `private_ok(host)` says whether a host may resolve to a private address (a site entry with
    allow_private_addresses); literal addresses are policed before any request (url_policy)."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend, private_ok: Callable[[str], bool]):
        self.inner = inner
        self.private_ok = private_ok

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        address = await self._checked_address(host, port, timeout)
        stream = await self.inner.connect_tcp(
            address, port, timeout=timeout, local_address=local_address,
            socket_options=socket_options,
        )  # fmt: skip
        return SocketKnownStream(stream)

    async def _checked_address(self, host: str, port: int, timeout: float | None) -> str:
        if _is_literal(host) or self.private_ok(host):
            return host
        try:
            infos = await asyncio.wait_for(
                asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM),
                timeout,
            )
        except (OSError, TimeoutError) as exc:
            raise httpcore.ConnectError(f"{host} could not be resolved ({exc})") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        private = [a for a in addresses if is_private_host(a)]
        if private:  # one private answer is enough to distrust the name (rebinding)
            raise httpcore.ConnectError(f"{host} {PRIVATE_REFUSAL} ({', '.join(private)})")
        if not addresses:
            raise httpcore.ConnectError(f"{host} resolves to no address")
        return addresses[0]

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
