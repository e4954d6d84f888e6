"""A live test server for generated SDKs (Python, JS, Swift, Java): the e-commerce API of specs/ecommerce.yaml.

Use from Python::

    from tests.sdk_server import start_server, API_KEY, TOKEN, ACCESS_KEY, SECRET_KEY
    with start_server() as server:      # 127.0.0.1, random port, in a daemon thread
        server.url                      # "http://127.0.0.1:PORT"  (pass as the SDK's base URL)
        server.log                      # [Seen(method, path, query, headers, body)] in arrival order

or from any other toolchain: ``python tests/sdk_server.py`` prints the URL on its first line, then serves until
killed.

Behaviour (every response carries ``x-amzn-RequestId`` and ``x-amz-apigw-id``; errors are JSON
``{"message": ..., "requestId": ...}``):

* Auth, checked per operation as the spec says: ``x-api-key: API_KEY`` (GET /products, GET /products/{id}),
  ``Authorization: TOKEN`` raw Cognito token (POST /products, PUT /products/{id}, PUT .../image),
  ``Authorization: TOKEN`` + ``X-Customer-Id`` (cart and orders), and SigV4 for DELETE /products/{id}: the
  server recomputes the signature (service execute-api, any region, ACCESS_KEY/SECRET_KEY, optional
  X-Amz-Security-Token must equal SESSION_TOKEN when sent) and answers 403 on any mismatch.
  Missing/wrong credentials: 401 (bearer) or 403 (api key, SigV4).
* GET /products?category=...: ``slow`` sleeps SLOW_SECONDS before answering (timeouts); ``boom`` is always 500;
  ``busy`` is always 503 with ``Retry-After: 0``; ``flaky:<id>`` is 503 with ``Retry-After: 1`` the first time
  that id is seen, then 200. Any other category: 200 with two products of that category.
* GET /products/missing -> 404. POST /products with name ``invalid`` -> 400; name ``flaky:<id>`` -> 503 the
  first time (POST without Idempotency-Key must not be retried). Created products echo the input.
* PUT /products/{id}/image: 204 when Content-Type is image/png or image/jpeg, else 415; the body is logged.
* POST /orders needs ``Idempotency-Key``; a key starting with ``flaky`` gets 503 (``Retry-After: 0``) the first
  time, then 201. GET /orders/{id} returns an order with ``deliveryDate`` "2024-03-01" (date only).
* OPTIONS answers 200 with CORS headers. Unknown paths: 404.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import itertools
import json
import re
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

API_KEY = "test-api-key"
TOKEN = "test-token"
CUSTOMER_ID = "customer-1"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "session-token-example"
SLOW_SECONDS = 2.0


@dataclass
class Seen:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


def _product(pid: str, name: str = "Espresso cup", category: str = "kitchen") -> dict:
    return {"id": pid, "name": name, "price": {"amount": 12.5, "currency": "EUR"}, "category": category,
            "tags": ["ceramic"], "createdAt": "2024-01-31T12:00:00Z", "stock": 3, "description": None}


def _cart() -> dict:
    return {"items": [{"productId": "p1", "quantity": 2, "itemId": "i1",
                       "unitPrice": {"amount": 12.5, "currency": "EUR"}}],
            "total": {"amount": 25.0, "currency": "EUR"}, "updatedAt": "2024-01-31T12:00:00Z"}


def _order(oid: str, address: dict | None = None) -> dict:
    return {"id": oid, "status": "paid", "items": _cart()["items"], "total": {"amount": 25.0, "currency": "EUR"},
            "shippingAddress": address or {"name": "A", "line1": "B", "city": "C", "postalCode": "1",
                                           "country": "DE", "line2": None},
            "createdAt": "2024-01-31T12:00:00Z", "deliveryDate": "2024-03-01"}


# -- SigV4, recomputed independently of any SDK ----------------------------------------------------------------------
def _aws_quote(text: str) -> str:
    return quote(text, safe="-_.~")


def verify_sigv4(method: str, raw_path: str, raw_query: str, headers: dict[str, str], body: bytes) -> str | None:
    """None when the request is correctly signed, else the reason."""
    auth = headers.get("authorization", "")
    match = re.fullmatch(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
                         r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})", auth)
    if not match:
        return "no SigV4 Authorization header"
    access, day, region, service, signed, signature = match.groups()
    if access != ACCESS_KEY or service != "execute-api":
        return "wrong access key or service"
    amz_date = headers.get("x-amz-date", "")
    if not amz_date.startswith(day):
        return "x-amz-date does not match the credential scope"
    when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    if abs((datetime.datetime.now(datetime.timezone.utc) - when).total_seconds()) > 900:
        return "request time too skewed"
    token = headers.get("x-amz-security-token")
    if token is not None and token != SESSION_TOKEN:
        return "wrong session token"
    names = signed.split(";")
    if "host" not in names or (token is not None and "x-amz-security-token" not in names):
        return "host (and the session token) must be signed"
    pairs = []
    for part in raw_query.split("&") if raw_query else []:
        k, _, v = part.partition("=")
        pairs.append((_aws_quote(unquote(k.replace("+", " "))), _aws_quote(unquote(v.replace("+", " ")))))
    canonical = "\n".join([
        method, quote(raw_path, safe="/~"), "&".join(f"{k}={v}" for k, v in sorted(pairs)),
        "".join(f"{n}:{' '.join(headers.get(n, '').strip().split())}\n" for n in names), signed,
        hashlib.sha256(body).hexdigest()])
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + SECRET_KEY).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return None if hmac.compare_digest(expected, signature) else "signature mismatch"


class _Handler(BaseHTTPRequestHandler):
    server: "SdkTestServer"  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        return None

    def _send(self, status: int, body: object = None, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        rid = f"req-{next(self.server.ids)}"
        try:
            self.send_response(status)
            self.send_header("x-amzn-RequestId", rid)
            self.send_header("x-amz-apigw-id", f"apigw-{rid}")
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, {"message": message, "requestId": f"req-{status}"}, headers)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        seen = Seen(self.command, parts.path, parts.query, headers, body)
        with self.server.lock:
            self.server.log.append(seen)
        try:
            self._route(self.command, parts.path, parts.query, headers, body)
        except (ValueError, KeyError, TypeError) as exc:
            self._error(400, f"bad request: {exc}")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _handle

    def _first_time(self, key: str) -> bool:
        with self.server.lock:
            first = key not in self.server.seen_keys
            self.server.seen_keys.add(key)
        return first

    def _route(self, method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
        q = {k: v[0] for k, v in parse_qs(query).items()}
        segments = [unquote(s) for s in path.strip("/").split("/")]
        api_key_ok = headers.get("x-api-key") == API_KEY
        bearer_ok = headers.get("authorization") == TOKEN
        customer_ok = bearer_ok and bool(headers.get("x-customer-id"))
        if method == "OPTIONS":
            return self._send(200, None, {"Access-Control-Allow-Origin": "*",
                                          "Access-Control-Allow-Methods": "GET,POST,PUT,PATCH,DELETE,OPTIONS"})
        if segments[0] == "products":
            if len(segments) == 1 and method == "GET":
                if not api_key_ok:
                    return self._error(403, "Forbidden")
                category = q.get("category", "kitchen")
                if category == "slow":
                    time.sleep(SLOW_SECONDS)
                elif category == "boom":
                    return self._error(500, "internal error")
                elif category == "busy":
                    return self._error(503, "busy", {"Retry-After": "0"})
                elif category.startswith("flaky") and self._first_time(category):
                    return self._error(503, "try again", {"Retry-After": "1"})
                limit = int(q.get("limit", "2"))
                items = [_product(f"p{i}", category=category) for i in range(1, min(limit, 2) + 1)]
                return self._send(200, {"items": items, "nextToken": None})
            if len(segments) == 1 and method == "POST":
                if not bearer_ok:
                    return self._error(401, "Unauthorized")
                data = json.loads(body)
                name = data.get("name")
                if not isinstance(name, str) or name == "invalid":
                    return self._error(400, "name is required")
                if name.startswith("flaky") and self._first_time(name):
                    return self._error(503, "try again", {"Retry-After": "0"})
                return self._send(201, {**_product("p-new", name, data.get("category", "")), **data,
                                        "id": "p-new", "createdAt": "2024-01-31T12:00:00Z"},
                                  {"Location": "/products/p-new"})
            pid = segments[1] if len(segments) > 1 else ""
            if len(segments) == 2 and method == "GET":
                if not api_key_ok:
                    return self._error(403, "Forbidden")
                if pid == "missing":
                    return self._error(404, "product not found")
                return self._send(200, _product(pid))
            if len(segments) == 2 and method == "PUT":
                if not bearer_ok:
                    return self._error(401, "Unauthorized")
                return self._send(200, {**_product(pid), **json.loads(body), "id": pid})
            if len(segments) == 2 and method == "DELETE":
                raw_path, _, raw_query = self.path.partition("?")
                reason = verify_sigv4(method, raw_path, raw_query, headers, body)
                if reason:
                    return self._error(403, reason)
                return self._send(204)
            if len(segments) == 3 and segments[2] == "image" and method == "PUT":
                if not bearer_ok:
                    return self._error(401, "Unauthorized")
                if headers.get("content-type") not in ("image/png", "image/jpeg"):
                    return self._error(415, "unsupported media type")
                return self._send(204)
        if segments[0] in ("cart", "orders"):
            if not customer_ok:
                return self._error(401, "Unauthorized")
            if segments == ["cart"]:
                return self._send(204) if method == "DELETE" else self._send(200, _cart())
            if segments == ["cart", "items"] and method == "POST":
                json.loads(body)
                return self._send(201, _cart())
            if len(segments) == 3 and segments[1] == "items":
                return self._send(200, _cart())
            if segments == ["orders"] and method == "GET":
                return self._send(200, {"items": [_order("o1")], "nextToken": None})
            if segments == ["orders"] and method == "POST":
                key = headers.get("idempotency-key")
                if not key:
                    return self._error(400, "Idempotency-Key is required")
                if key.startswith("flaky") and self._first_time(key):
                    return self._error(503, "try again", {"Retry-After": "0"})
                data = json.loads(body)
                return self._send(201, _order("o-new", data.get("shippingAddress")))
            if len(segments) == 2 and segments[0] == "orders" and method == "GET":
                return self._send(200, _order(segments[1]))
        return self._error(404, "no such route")


class SdkTestServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.log: list[Seen] = []
        self.seen_keys: set[str] = set()
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def requests_to(self, method: str, path: str) -> list[Seen]:
        with self.lock:
            return [s for s in self.log if s.method == method and s.path == path]

    def start(self) -> "SdkTestServer":
        self._thread = threading.Thread(target=self.serve_forever, name="sdk-test-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self) -> "SdkTestServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server() -> SdkTestServer:
    return SdkTestServer().start()


if __name__ == "__main__":
    srv = SdkTestServer()
    print(srv.url, flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)
