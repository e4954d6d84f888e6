"""What the gateway sends back, and the header rules on the way out (gateway-runtime.md 12.5, 18)."""
from __future__ import annotations

from dataclasses import dataclass, field

# Mapped (or backend) headers API Gateway renames to x-amzn-Remapped-<name> (12.5).
REMAPPED_MAPPED = frozenset({"authorization", "connection", "content-length", "content-md5", "date", "expect", "host",
                             "max-forwards", "proxy-authenticate", "server", "trailer", "upgrade", "user-agent",
                             "www-authenticate"})
REMAPPED_BACKEND = frozenset({"connection", "content-length", "date", "server", "x-amzn-requestid"})
DROPPED_BACKEND = frozenset({"transfer-encoding", "keep-alive"})


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    trace: bool = False  # send X-Amzn-Trace-Id (AWS_PROXY, AWS and HTTP integrations)
    is_error: bool = False  # a gateway error (no trace header, counted as error in logs)
    preflight: bool = False  # a CORS preflight the gateway answered itself

    def header(self, name: str) -> str | None:
        lower = name.lower()
        values = [v for n, v in self.headers if n.lower() == lower]
        return values[-1] if values else None

    def set_header(self, name: str, value: str) -> None:
        lower = name.lower()
        self.headers = [(n, v) for n, v in self.headers if n.lower() != lower]
        self.headers.append((name, value))


def remap(headers: list[tuple[str, str]], names: frozenset[str]) -> list[tuple[str, str]]:
    out = []
    for name, value in headers:
        lower = name.lower()
        if lower in DROPPED_BACKEND:
            continue
        out.append((f"x-amzn-Remapped-{name}", value) if lower in names else (name, value))
    return out
