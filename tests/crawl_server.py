"""A small threaded HTTP server on 127.0.0.1 serving scripted replies per path, for crawler tests."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """One scripted answer. `reset_after` sends that many body bytes, then a TCP reset.
    `hold` keeps the answer back until that event is set (the server sets it when stopping):
    a request in flight for as long as a test needs, with no guess at how long that is."""

    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    delay: float = 0.0
    reset_after: int | None = None
    chunked: bool = False  # no Content-Length: the size is only known by reading
    hold: threading.Event | None = None
    drip: float = 0.0  # send the body one byte at a time, this many seconds apart


Handler = Callable[[dict[str, str]], Reply]


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


class ScriptedServer:
    """`route(path, reply...)`: successive requests get successive replies, the last repeats."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply | Handler]] = {}
        self.requests: list[Seen] = []
        self.lock = threading.Lock()
        self.gates: list[threading.Event] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body leave at once, no 40 ms ACK waits

            def do_GET(self) -> None:
                server._answer(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = _QuietServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    def start(self) -> ScriptedServer:
        self.thread.start()
        return self

    def gate(self) -> threading.Event:
        """An event for `Reply(hold=...)`; set by `stop()` so no handler thread is left waiting."""
        event = threading.Event()
        self.gates.append(event)
        return event

    def stop(self) -> None:
        for event in self.gates:
            event.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, *replies: Reply | Handler) -> None:
        self.routes[path] = list(replies)

    def page(self, path: str, html: str, **kw: object) -> None:
        self.route(path, Reply(html, **kw))  # type: ignore[arg-type]

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for r in self.requests if r.path == path)

    def seen(self, path: str) -> list[Seen]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def _next(self, path: str, headers: dict[str, str]) -> Reply:
        with self.lock:
            self.requests.append(Seen(path, headers, time.monotonic()))
            script = self.routes.get(path)
            if not script:
                return Reply("<html><body>no such page</body></html>", status=404)
            step = script.pop(0) if len(script) > 1 else script[0]
        return step(headers) if callable(step) else step

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        headers = {k.lower(): v for k, v in h.headers.items()}
        reply = self._next(h.path, headers)
        if reply.hold is not None:
            reply.hold.wait()
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        try:
            h.send_response(reply.status)
            if reply.content_type:
                h.send_header("Content-Type", reply.content_type)
            for key, value in reply.headers.items():
                h.send_header(key, value)
            if reply.chunked:
                h.send_header("Transfer-Encoding", "chunked")
            elif "Content-Length" not in reply.headers:
                h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if reply.chunked:
                for i in range(0, len(body), 4096):
                    piece = body[i : i + 4096]
                    h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                h.wfile.write(b"0\r\n\r\n")
                return
            if reply.drip:
                for i in range(len(body)):
                    h.wfile.write(body[i : i + 1])
                    h.wfile.flush()
                    time.sleep(reply.drip)
                return
            if reply.reset_after is not None:
                h.wfile.write(body[: reply.reset_after])
                h.wfile.flush()
                _reset(h.connection)
                h.close_connection = True
                return
            h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            h.close_connection = True


class _QuietServer(ThreadingHTTPServer):
    """Resets and aborted reads are what some tests are about: no tracebacks for them."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def _reset(conn: socket.socket) -> None:
    """Close with SO_LINGER 0: the peer sees a TCP reset, as from a crashed upstream."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def conditional(
    body: str, etag: str, last_modified: str = "Mon, 01 Jan 2024 00:00:00 GMT"
) -> Handler:
    """A static page that answers 304 when the client already has this version."""

    def handler(headers: dict[str, str]) -> Reply:
        validators = {"ETag": etag, "Last-Modified": last_modified}
        # If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 §13.2.2).
        if "if-none-match" in headers:
            fresh = headers["if-none-match"] == etag
        else:
            fresh = headers.get("if-modified-since") == last_modified
        if fresh:
            return Reply(b"", status=304, headers=validators, content_type=None)
        return Reply(body, headers=validators)

    return handler
