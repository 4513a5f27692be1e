"""Read a response body within a size limit: Content-Encoding layers undone in bounded pieces.

httpx inflates each network chunk whole, so a few KB of stacked gzip (`Content-Encoding: gzip,
gzip`) become gigabytes before any limit can look at them. Here every layer is inflated at most
PIECE bytes at a time and the bytes of every layer are counted against the limit, so a body
costs at most the limit (plus one piece per layer) whatever it inflates to.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import httpx

PIECE = 64 * 1024  # the most one inflate step may produce
# Codings we ask for (Accept-Encoding) and undo; a server answering with another (br, zstd,
# compress) is refused rather than stored undecoded.
ACCEPT_ENCODING = "gzip, deflate"
IDENTITY = frozenset({"", "identity"})
# More layers than this is no server's honest answer (one is usual, two a proxy's mistake).
MAX_LAYERS = 3


class BodyTooLarge(Exception):
    """The body is (or inflates to) more than the limit."""


class UnsupportedEncoding(Exception):
    """The body is encoded in a way the crawler does not undo."""


class _Layer:
    """One gzip or deflate layer, inflated in pieces of at most PIECE bytes."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self.z: zlib._Decompress | None = None
        if coding in ("gzip", "x-gzip"):
            self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.z is None:  # deflate: zlib-wrapped as the RFC says, or raw as many servers send
            self.z = zlib.decompressobj(zlib.MAX_WBITS if _zlib_header(data) else -zlib.MAX_WBITS)
        while True:
            try:
                out = self.z.decompress(data, PIECE)
            except zlib.error as exc:
                raise UnsupportedEncoding(f"{self.coding} body is corrupt ({exc})") from None
            if out:
                yield out
            data = self.z.unconsumed_tail
            if self.z.eof and self.z.unused_data and self.coding != "deflate":
                data = self.z.unused_data  # another gzip member follows
                self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)
            elif not data and len(out) < PIECE:
                return  # a full piece may leave output pending: then ask again, with no input


def _zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def layers(content_encoding: str) -> list[_Layer]:
    """The layers to undo, outermost first (the header lists them in the order applied)."""
    codings = [c.strip().lower() for c in content_encoding.split(",")]
    codings = [c for c in codings if c not in IDENTITY]
    if len(codings) > MAX_LAYERS:
        raise UnsupportedEncoding(f"{len(codings)} stacked content encodings")
    for coding in codings:
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise UnsupportedEncoding(f"unsupported Content-Encoding {coding!r}")
    return [_Layer(c) for c in reversed(codings)]


def _through(pieces: Iterator[bytes], stack: list[_Layer]) -> Iterator[bytes]:
    if not stack:
        yield from pieces
        return
    head, rest = stack[0], stack[1:]
    for piece in pieces:
        yield from _through(head.feed(piece), rest)


async def read_limited(resp: httpx.Response, limit: int) -> bytes:
    """The decoded body; BodyTooLarge when it is (or announces itself) over `limit` bytes."""
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    stack = layers(resp.headers.get("content-encoding", ""))
    chunks: list[bytes] = []
    size = 0
    async for raw in resp.aiter_raw():
        # Inner layers hand on each piece at once, so only the decoded bytes need counting:
        # no layer holds more than a piece.
        for piece in _through(iter((raw,)), stack):
            size += len(piece)
            if size > limit:
                raise BodyTooLarge
            chunks.append(piece)
    return b"".join(chunks)
