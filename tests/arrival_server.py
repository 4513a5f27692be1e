"""An HTTP server in its own process that notes when each request arrives, for on-the-wire checks.

Run as a script it prints its port, answers every GET with a small page, and serves the arrival
times it noted (time.monotonic(), as each request's headers were read) as JSON at /_arrivals. Its
own process has its own interpreter lock, so the crawler's work cannot delay its clock readings.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARRIVALS_PATH = "/_arrivals"


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
        """(path, arrival time) of every request so far, in order of arrival."""
        with urllib.request.urlopen(self.url(ARRIVALS_PATH), timeout=10) as resp:
            return [(path, at) for path, at in json.loads(resp.read())]


def serve() -> None:
    arrivals: list[tuple[str, float]] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            at = time.monotonic()
            if self.path == ARRIVALS_PATH:
                with lock:
                    body = json.dumps(arrivals).encode()
            else:
                with lock:
                    arrivals.append((self.path, at))
                body = b"<html><body>fine</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    print(httpd.server_address[1], flush=True)
    httpd.serve_forever(0.05)


if __name__ == "__main__":
    serve()
