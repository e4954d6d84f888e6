"""Parameter-mapping expressions (gateway-extensions.md 3.1-3.6): REST ``method.request.*`` /
``integration.response.*`` sources and HTTP API ``$request.*`` / ``$response.*`` values."""
from __future__ import annotations

import json
import re
from typing import Any, Callable

from .context import lookup
from .request import GatewayRequest
from .vtl import json_path

HTTP_TOKEN = re.compile(r"\$\{([^}]+)\}|\$([A-Za-z][A-Za-z0-9_.\-]*)")


def _stringify(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _body_path(body: bytes | str, path: str | None) -> str | None:
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if path is None:
        return text
    try:
        document = json.loads(text or "{}")
    except ValueError:
        return None
    value = json_path(document, "$." + path)
    return None if value is None else _stringify(value)


def rest_request_value(expr: str, req: GatewayRequest, ctx: dict, variables: dict[str, str]) -> str | list | None:
    """The value of a REST request mapping source (None when the source is absent: the target is skipped).
    ``multivaluequerystring`` gives a list."""
    expr = expr.strip()
    if len(expr) >= 2 and expr.startswith("'") and expr.endswith("'"):
        return expr[1:-1]
    if expr.startswith("method.request.path."):
        return req.path_parameters.get(expr[len("method.request.path."):])
    if expr.startswith("method.request.querystring."):
        return req.query_last().get(expr[len("method.request.querystring."):])
    if expr.startswith("method.request.multivaluequerystring."):
        values = req.query_multi().get(expr[len("method.request.multivaluequerystring."):])
        return list(values) if values else None
    if expr.startswith("method.request.header."):
        return req.header(expr[len("method.request.header."):])
    if expr.startswith("method.request.multivalueheader."):
        values = req.header_map.get(expr[len("method.request.multivalueheader."):].lower())
        return ",".join(values) if values else None
    if expr == "method.request.body":
        return req.body.decode("utf-8", errors="replace")
    if expr.startswith("method.request.body."):
        return _body_path(req.body, expr[len("method.request.body."):])
    return _common(expr, ctx, variables)


def _common(expr: str, ctx: dict, variables: dict[str, str]) -> str | None:
    for prefix in ("stageVariables.", "$stageVariables."):
        if expr.startswith(prefix):
            return variables.get(expr[len(prefix):])
    for prefix in ("context.", "$context."):
        if expr.startswith(prefix):
            value = lookup(ctx, expr[len(prefix):])
            return None if value is None else _stringify(value)
    return None


def rest_response_value(expr: str, headers: list[tuple[str, str]], body: bytes, ctx: dict,
                        variables: dict[str, str]) -> str | None:
    expr = expr.strip()
    if len(expr) >= 2 and expr.startswith("'") and expr.endswith("'"):
        return expr[1:-1]
    if expr.startswith("integration.response.header."):
        name = expr[len("integration.response.header."):].lower()
        values = [v for n, v in headers if n.lower() == name]
        return values[-1] if values else None
    if expr.startswith("integration.response.multivalueheader."):
        name = expr[len("integration.response.multivalueheader."):].lower()
        values = [v for n, v in headers if n.lower() == name]
        return ",".join(values) if values else None
    if expr == "integration.response.body":
        return body.decode("utf-8", errors="replace")
    if expr.startswith("integration.response.body."):
        return _body_path(body, expr[len("integration.response.body."):])
    return _common(expr, ctx, variables)


def http_value(expr: str, resolve: Callable[[str], str | None]) -> str:
    """An HTTP API mapping value: ``$a.b`` / ``${a.b}`` references substituted into the literal text."""
    return HTTP_TOKEN.sub(lambda m: resolve(m.group(1) or m.group(2)) or "", str(expr))


def http_request_resolver(req: GatewayRequest, ctx: dict, variables: dict[str, str]) -> Callable[[str], str | None]:
    def resolve(ref: str) -> str | None:
        if ref.startswith("request.header."):
            values = req.header_map.get(ref[len("request.header."):].lower())
            return ",".join(values) if values else None
        if ref.startswith("request.querystring."):
            values = req.query_multi().get(ref[len("request.querystring."):])
            return ",".join(values) if values else None
        if ref == "request.path":
            return req.stage_path
        if ref.startswith("request.path."):
            return req.path_parameters.get(ref[len("request.path."):])
        if ref == "request.body":
            return req.body.decode("utf-8", errors="replace")
        if ref.startswith("request.body."):
            return _body_path(req.body, ref[len("request.body."):])
        return _common(ref, ctx, variables)

    return resolve


def http_response_resolver(headers: list[tuple[str, str]], body: bytes, ctx: dict,
                           variables: dict[str, str]) -> Callable[[str], str | None]:
    def resolve(ref: str) -> str | None:
        if ref.startswith("response.header."):
            name = ref[len("response.header."):].lower()
            values = [v for n, v in headers if n.lower() == name]
            return ",".join(values) if values else None
        if ref == "response.body":
            return body.decode("utf-8", errors="replace")
        if ref.startswith("response.body."):
            return _body_path(body, ref[len("response.body."):])
        return _common(ref, ctx, variables)

    return resolve
