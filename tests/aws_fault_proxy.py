"""A fault-injecting HTTP proxy between apictl and moto_server, on 127.0.0.1 at a free port.

It forwards every request and counts them (one request = one AWS call, retries included). Armed
with ``arm(index, fault)``, it spoils call number ``index``:

- ``drop``: the call reaches moto and takes effect, then the connection closes without an answer
  (a response lost on the way back);
- ``500``: the call takes effect, and the client is told ``500 Internal Server Error``;
- ``close``: the connection closes before the call reaches moto (it never happened);
- ``kill-before`` / ``kill-after``: ``on_kill`` runs (the test SIGKILLs apictl) before the call
  reaches moto, or after it took effect; the connection then closes.

``always`` spoils every call whose label matches (a server that keeps failing); ``delay`` slows
every answer (to make runs overlap).
"""
from __future__ import annotations

import http.client
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

FAULTS = ("drop", "500", "close")
_ID = re.compile(r"^[a-z0-9]{10}$")  # API Gateway's generated ids
_WORDS = {"restapis", "deployments", "usageplans", "domainnames", "apimappings", "authorizers", "basepathmappings"}


def label(method: str, path: str, target: str | None) -> str:
    """'POST /restapis', 'PATCH /restapis/{id}/stages/dev', 'DynamoDB_20120810.PutItem'."""
    if target:
        return target
    path = path.split("?", 1)[0]
    parts = ["{id}" if _ID.match(p) and p not in _WORDS else p for p in path.split("/")]
    return f"{method} {'/'.join(parts)}"


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client killed mid-call (the SIGKILL test) resets its connection: expected, not news."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FaultProxy:
    def __init__(self, upstream: str):
        host, port = upstream.removeprefix("http://").split(":")
        self.upstream = (host, int(port))
        self.calls: list[str] = []
        self.lock = threading.Lock()
        self.index: int | None = None
        self.fault: str | None = None
        self.always: tuple[str, str] | None = None  # (label, fault)
        self.delay = 0.0
        self.on_kill: Callable[[], None] | None = None
        self.fired = False
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                name = label(self.command, self.path, self.headers.get("X-Amz-Target"))
                with proxy.lock:
                    number = len(proxy.calls)
                    proxy.calls.append(name)
                    fault = proxy.fault if number == proxy.index else None
                    if proxy.always and proxy.always[0] == name:
                        fault = proxy.always[1]
                    if fault:
                        proxy.fired = True
                if fault in ("close", "kill-before"):
                    if fault == "kill-before" and proxy.on_kill:
                        proxy.on_kill()
                    return self._cut()
                status, headers, payload = proxy.forward(self.command, self.path, self.headers, body)
                if fault in ("drop", "kill-after"):
                    if fault == "kill-after" and proxy.on_kill:
                        proxy.on_kill()
                    return self._cut()
                if fault == "500":
                    status, payload = 500, b'{"message": "injected fault"}'
                    headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", "InternalFailure")]
                if proxy.delay:
                    time.sleep(proxy.delay)
                self.send_response(status)
                for key, value in headers:
                    if key.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _cut(self) -> None:
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def forward(self, method: str, path: str, headers, body: bytes) -> tuple[int, list, bytes]:
        conn = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            out = {k: v for k, v in headers.items() if k.lower() not in ("connection", "keep-alive")}
            conn.request(method, path, body=body or None, headers=out)
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def arm(self, index: int | None = None, fault: str | None = None, on_kill: Callable[[], None] | None = None,
            always: tuple[str, str] | None = None, delay: float = 0.0) -> None:
        with self.lock:
            self.calls = []
            self.index, self.fault, self.on_kill, self.always, self.delay = index, fault, on_kill, always, delay
            self.fired = False

    def disarm(self) -> None:
        self.arm()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
