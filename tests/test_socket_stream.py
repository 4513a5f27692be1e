"""A pooled connection's stream asks for its socket once and still sees every close and byte."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import httpcore

from govscrape.crawl.socket_stream import SocketKnownStream, is_readable


class CountingStream(httpcore.AsyncNetworkStream):
    """A stream over a real socket that counts how often its socket is asked for."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.asked: list[str] = []

    def get_extra_info(self, info: str) -> Any:
        self.asked.append(info)
        return self.sock if info == "socket" else f"inner {info}"

    async def start_tls(self, ssl_context, server_hostname=None, timeout=None):  # type: ignore[no-untyped-def]
        return CountingStream(self.sock)


def test_the_socket_is_looked_up_once_and_readability_follows_the_peer():
    ours, peer = socket.socketpair()
    inner = CountingStream(ours)
    stream = SocketKnownStream(inner)
    assert stream.get_extra_info("is_readable") is False  # idle: fit for reuse
    assert stream.get_extra_info("is_readable") is False
    peer.sendall(b"stray bytes")
    assert stream.get_extra_info("is_readable") is True  # not reusable
    assert stream.get_extra_info("socket") is ours
    assert inner.asked == ["socket"]
    peer.close()
    ours.close()
    assert stream.get_extra_info("is_readable") is True  # a closed socket is never reused


def test_a_peer_that_closed_makes_the_connection_readable():
    ours, peer = socket.socketpair()
    stream = SocketKnownStream(CountingStream(ours))
    peer.close()
    assert stream.get_extra_info("is_readable") is True
    ours.close()


def test_other_questions_and_tls_go_to_the_inner_stream():
    ours, peer = socket.socketpair()
    inner = CountingStream(ours)
    stream = SocketKnownStream(inner)
    assert stream.get_extra_info("server_addr") == "inner server_addr"
    tls = asyncio.run(stream.start_tls(None))  # type: ignore[arg-type]
    assert isinstance(tls, SocketKnownStream) and tls.get_extra_info("socket") is ours
    assert is_readable(None) is True
    ours.close()
    peer.close()
