"""A connection's stream that looks its socket up once, not before every request.

httpcore asks each pooled connection whether its socket is readable (closed by the server, or
holding stray bytes) every time it hands out a connection or takes one back: several times per
request. anyio answers by building all of the socket's attributes afresh, a getpeername()
system call included, each time. The socket of a connection never changes (TLS wraps the same
one), so it is looked up once; the readability check itself is the same poll, every time."""

from __future__ import annotations

import select
import socket
import ssl
from typing import Any

import httpcore

_UNSET: Any = object()


class SocketKnownStream(httpcore.AsyncNetworkStream):
    """`inner`, with its socket remembered for httpcore's `is_readable` and `socket` questions."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self.inner = inner
        self._socket: socket.socket | None = _UNSET

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self.inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self.inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return SocketKnownStream(await self.inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info not in ("socket", "is_readable"):
            return self.inner.get_extra_info(info)
        if self._socket is _UNSET:
            self._socket = self.inner.get_extra_info("socket")
        return self._socket if info == "socket" else is_readable(self._socket)


def is_readable(sock: socket.socket | None) -> bool:
    """httpcore's check: bytes waiting, or the peer closed (a closed socket counts as readable,
    so the connection is dropped rather than reused)."""
    fd = -1 if sock is None else sock.fileno()
    if fd < 0:
        return True
    if getattr(select, "poll", None) is None:  # Windows
        ready, _, _ = select.select([fd], [], [], 0)
        return bool(ready)
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(0))
