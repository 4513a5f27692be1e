"""An HTTP server in its own process that notes when each request arrived, for on-the-wire checks.

Run as a script it prints its port, answers every GET with a small page (keep-alive), and serves
the arrival times as JSON at /_arrivals. The time of a request is the kernel's receive timestamp
of its first bytes (SO_TIMESTAMPNS): a server thread that the scheduler starts late on a loaded
machine still reads the moment the request reached the host, not the moment it got to look.
"""

from __future__ import annotations

import json
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request

ARRIVALS_PATH = "/_arrivals"
# Linux values (asm-generic/socket.h); Python's socket module does not name them.
SO_TIMESTAMPNS = 35
SCM_TIMESTAMPNS = SO_TIMESTAMPNS
_TIMESPEC = struct.Struct("@ll")
PAGE = b"<html><body>fine</body></html>"


class ArrivalServer:
    """The server process, started and stopped by a test (a context manager)."""

    def __enter__(self) -> ArrivalServer:
        self.proc = subprocess.Popen([sys.executable, __file__], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(10)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def arrivals(self) -> list[tuple[str, float]]:
        """(path, arrival time in seconds) of every request so far, in order of arrival."""
        with urllib.request.urlopen(self.url(ARRIVALS_PATH), timeout=10) as resp:
            found = [(path, at) for path, at in json.loads(resp.read())]
        return sorted(found, key=lambda pair: pair[1])


def serve() -> None:
    arrivals: list[tuple[str, float]] = []
    lock = threading.Lock()
    listener = socket.create_server(("127.0.0.1", 0))
    print(listener.getsockname()[1], flush=True)

    def connection(sock: socket.socket) -> None:
        sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        pending = b""
        arrived: float | None = None
        with sock:
            while True:
                data, ancillary, _, _ = sock.recvmsg(65536, socket.CMSG_SPACE(_TIMESPEC.size))
                if not data:
                    return
                if arrived is None:  # the first bytes of this request
                    arrived = _kernel_time(ancillary)
                pending += data
                while b"\r\n\r\n" in pending:
                    head, pending = pending.split(b"\r\n\r\n", 1)
                    path = head.split(b"\r\n", 1)[0].split(b" ")[1].decode()
                    with lock:
                        if path == ARRIVALS_PATH:
                            body = json.dumps(arrivals).encode()
                        else:
                            arrivals.append((path, arrived or time.time()))
                            body = PAGE
                    arrived = None
                    sock.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
                    )

    while True:
        sock, _ = listener.accept()
        threading.Thread(target=connection, args=(sock,), daemon=True).start()


def _kernel_time(ancillary: list[tuple[int, int, bytes]]) -> float:
    """The receive timestamp the kernel attached (wall clock), else now."""
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == SCM_TIMESTAMPNS:
            seconds, nanoseconds = _TIMESPEC.unpack(data[: _TIMESPEC.size])
            return seconds + nanoseconds / 1e9
    return time.time()


if __name__ == "__main__":
    serve()
