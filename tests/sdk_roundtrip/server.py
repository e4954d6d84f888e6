"""A recording HTTP server on 127.0.0.1 (random port) for the cross-language round trip.

Every request is recorded exactly as it arrived (method, raw request target, headers, body bytes) under the case id
the client sends in ``x-apictl-case``; the answer is that case's canned response (status, content type, body).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Canned:
    status: int
    content_type: str | None
    body: bytes


@dataclass(frozen=True)
class Recorded:
    method: str
    target: str  # the raw request target: path and query exactly as sent
    headers: dict[str, str]  # lower-case names
    body: bytes


class _Handler(BaseHTTPRequestHandler):
    server: "RecordingServer"  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        return None

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        body = self._body()
        headers = {k.lower(): v for k, v in self.headers.items()}
        case = headers.get("x-apictl-case", "")
        with self.server.lock:
            self.server.log.setdefault(case, []).append(Recorded(self.command, self.path, headers, body))
        canned = self.server.responses.get(case, Canned(404, "application/json", b'{"message":"unknown case"}'))
        self.send_response(canned.status)
        self.send_header("x-amzn-RequestId", f"req-{case}")
        if canned.content_type:
            self.send_header("Content-Type", canned.content_type)
        self.send_header("Content-Length", str(len(canned.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(canned.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle


class RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, responses: dict[str, Canned]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.responses = responses
        self.log: dict[str, list[Recorded]] = {}
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def take(self) -> dict[str, list[Recorded]]:
        """What arrived since the last call (one SDK's run), by case id."""
        with self.lock:
            log, self.log = self.log, {}
        return log

    def __enter__(self) -> "RecordingServer":
        threading.Thread(target=self.serve_forever, name="roundtrip-server", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
