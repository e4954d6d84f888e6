"""HTTP API CORS (``x-amazon-apigateway-cors``, gateway-runtime.md 15.2): preflights answered by the
gateway itself, CORS headers added to responses for requests with an ``Origin``, the backend's own
CORS headers ignored."""
from __future__ import annotations

import fnmatch

from .request import GatewayRequest
from .response import Response


def _allowed_origin(cors: dict, origin: str) -> str | None:
    origins = [str(o) for o in cors.get("allowOrigins") or []]
    if "*" in origins:
        return "*"
    for pattern in origins:
        if origin == pattern or ("*" in pattern and fnmatch.fnmatchcase(origin, pattern)):
            return origin
    return None


def _join(values: object) -> str:
    return ",".join(str(v) for v in values) if isinstance(values, list) else str(values)


def preflight(cors: dict, req: GatewayRequest) -> Response | None:
    origin = req.header("origin")
    if req.method != "OPTIONS" or not origin or not req.header("access-control-request-method"):
        return None
    resp = Response(204, [], preflight=True)
    allowed = _allowed_origin(cors, origin)
    if allowed is None:
        return resp
    resp.headers.append(("access-control-allow-origin", allowed))
    if cors.get("allowMethods"):
        resp.headers.append(("access-control-allow-methods", _join(cors["allowMethods"])))
    if cors.get("allowHeaders"):
        headers = cors["allowHeaders"]
        if headers == ["*"] and req.header("access-control-request-headers"):
            resp.headers.append(("access-control-allow-headers", req.header("access-control-request-headers") or ""))
        else:
            resp.headers.append(("access-control-allow-headers", _join(headers)))
    if cors.get("maxAge") is not None:
        resp.headers.append(("access-control-max-age", str(cors["maxAge"])))
    if cors.get("allowCredentials") is True:
        resp.headers.append(("access-control-allow-credentials", "true"))
    return resp


def decorate(cors: dict, req: GatewayRequest, resp: Response) -> None:
    resp.headers = [(n, v) for n, v in resp.headers if not n.lower().startswith("access-control-")]
    origin = req.header("origin")
    if not origin:
        return
    allowed = _allowed_origin(cors, origin)
    if allowed is None:
        return
    resp.headers.append(("access-control-allow-origin", allowed))
    if cors.get("allowCredentials") is True:
        resp.headers.append(("access-control-allow-credentials", "true"))
    if cors.get("exposeHeaders"):
        resp.headers.append(("access-control-expose-headers", _join(cors["exposeHeaders"])))
