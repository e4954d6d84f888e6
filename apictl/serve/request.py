"""One incoming request as API Gateway sees it: raw path and query, headers in the client's casing,
the body, ids and times, and the state the processing steps add (route, identity, authorizer)."""
from __future__ import annotations

import base64
import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

# Headers API Gateway drops before the integration (gateway-runtime.md 9.3, 11.4).
DROPPED_HEADERS = frozenset({
    "connection", "content-length", "content-md5", "expect", "max-forwards", "proxy-authenticate", "server",
    "te", "transfer-encoding", "trailer", "upgrade", "www-authenticate", "keep-alive", "proxy-connection",
})
# Header names REST events normalise whatever casing the client used.
PASCAL_HEADERS = {"authorization": "Authorization", "user-agent": "User-Agent"}


def new_extended_id() -> str:
    return base64.b64encode(os.urandom(6)).decode().rstrip("=")[:8] + "E" + base64.b64encode(os.urandom(3)).decode()[:3] + "="


def new_trace_id(now: float) -> str:
    return f"Root=1-{int(now):08x}-{os.urandom(12).hex()}"


@dataclass
class GatewayRequest:
    method: str
    raw_path: str  # percent-encoded, as sent
    raw_query: str  # without "?"
    headers: list[tuple[str, str]]  # client casing, arrival order
    body: bytes
    source_ip: str = "127.0.0.1"
    protocol: str = "HTTP/1.1"
    started: float = field(default_factory=time.time)
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    extended_request_id: str = field(default_factory=new_extended_id)
    # filled in while processing
    stage_path: str = "/"  # path after the stage
    context_path: str = "/"
    path_parameters: dict[str, str] = field(default_factory=dict)
    method_def: Any = None  # definition.Method once routed
    identity: dict[str, Any] = field(default_factory=dict)  # $context.identity extras (apiKey, IAM caller...)
    authorizer: dict[str, Any] | None = None  # REST: principalId + context; HTTP: {"jwt": ...} / {"lambda": ...}
    authorizer_claims: dict[str, Any] | None = None
    usage_identifier_key: str | None = None
    trace_header: str = ""
    status: int = 0
    response_length: int = 0
    integration_status: str = "-"
    integration_latency: str = "-"
    error_message: str = ""
    error_type: str = ""
    authorizer_error: str = ""
    _lower: dict[str, list[str]] | None = None
    _query: list[tuple[str, str]] | None = None

    @property
    def header_map(self) -> dict[str, list[str]]:
        """lower-cased name -> values in arrival order."""
        if self._lower is None:
            out: dict[str, list[str]] = {}
            for name, value in self.headers:
                out.setdefault(name.lower(), []).append(value)
            self._lower = out
        return self._lower

    def header(self, name: str) -> str | None:
        """The last value of a header (case-insensitive), as API Gateway's single-value views show."""
        values = self.header_map.get(name.lower())
        return values[-1] if values else None

    @property
    def query(self) -> list[tuple[str, str]]:
        """Form-decoded (name, value) pairs in order (``+`` is a space, as API Gateway decodes)."""
        if self._query is None:
            self._query = parse_qsl(self.raw_query, keep_blank_values=True) if self.raw_query else []
        return self._query

    def query_last(self) -> dict[str, str]:
        return {k: v for k, v in self.query}

    def query_multi(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for k, v in self.query:
            out.setdefault(k, []).append(v)
        return out

    @property
    def content_type(self) -> str | None:
        value = self.header("content-type")
        return value.split(";", 1)[0].strip().lower() if value else None

    @property
    def host(self) -> str:
        return self.header("host") or "127.0.0.1"

    @property
    def user_agent(self) -> str | None:
        return self.header("user-agent")

    @property
    def request_time(self) -> str:
        return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(self.started))

    @property
    def request_time_epoch(self) -> int:
        return int(self.started * 1000)
