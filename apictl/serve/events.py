"""Lambda proxy events: REST (payload 1.0), HTTP API payload 1.0 and 2.0 (gateway-runtime.md 9, 10),
and the Lambda authorizer events (8.1, 8.2, 8.8)."""
from __future__ import annotations

import base64
from typing import Any

from .content import is_binary_request
from .context import base_context, identity
from .request import DROPPED_HEADERS, PASCAL_HEADERS, GatewayRequest

TEXT_TYPES_V2 = ("application/json", "application/xml", "application/javascript")


def _gateway_headers(req: GatewayRequest, port: int) -> list[tuple[str, str]]:
    """The client's headers as the integration sees them: hop-by-hop ones dropped, forwarding and
    trace headers added."""
    out = [(n, v) for n, v in req.headers if n.lower() not in DROPPED_HEADERS]
    present = {n.lower() for n, _ in out}
    if "x-forwarded-for" not in present:
        out.append(("X-Forwarded-For", req.source_ip))
    if "x-forwarded-port" not in present:
        out.append(("X-Forwarded-Port", str(port)))
    if "x-forwarded-proto" not in present:
        out.append(("X-Forwarded-Proto", "http"))
    if "x-amzn-trace-id" not in present:
        out.append(("X-Amzn-Trace-Id", req.trace_header))
    return out


def _rest_body(req: GatewayRequest, binary_types: list[str]) -> tuple[str | None, bool]:
    if not req.body:
        return None, False
    if is_binary_request(req.content_type, binary_types):
        return base64.b64encode(req.body).decode("ascii"), True
    return req.body.decode("utf-8", errors="replace"), False


def rest_request_context(req: GatewayRequest, definition: Any) -> dict[str, Any]:
    ctx = base_context(req, definition)
    out = {k: ctx[k] for k in ("accountId", "apiId", "deploymentId", "domainName", "domainPrefix",
                               "extendedRequestId", "httpMethod", "identity", "path", "protocol", "requestId",
                               "requestTime", "requestTimeEpoch", "resourceId", "resourcePath", "stage")}
    if req.identity.get("apiKey") is not None:
        out["identity"]["apiKey"] = req.identity["apiKey"]
        out["identity"]["apiKeyId"] = req.identity.get("apiKeyId")
    if req.authorizer is not None or req.authorizer_claims is not None:
        auth: dict[str, Any] = dict(req.authorizer or {})
        auth.update(auth.pop("lambda", None) or {})  # HTTP API Lambda authorizer context, payload 1.0 shape
        if req.authorizer_claims is not None:
            auth["claims"] = req.authorizer_claims
        auth.setdefault("integrationLatency", 0)
        out["authorizer"] = auth
    return out


def rest_event(req: GatewayRequest, definition: Any, port: int, *, version: str | None = None) -> dict[str, Any]:
    """REST ``AWS_PROXY`` event; with ``version="1.0"`` the HTTP API payload 1.0 variant."""
    http = version is not None
    headers = _gateway_headers(req, port)
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in headers:
        key = name.lower() if http else PASCAL_HEADERS.get(name.lower(), name)
        existing = next((k for k in multi if k.lower() == key.lower()), key)
        multi.setdefault(existing, []).append(value)
        single[existing] = value
    method = req.method_def
    body, is_b64 = _rest_body(req, [] if http else definition.binary_media_types)
    if http and req.body:
        body, is_b64 = _v2_body(req)
    event: dict[str, Any] = {}
    if http:
        event["version"] = "1.0"
    event.update({
        "resource": method.resource_path,
        "path": req.context_path if http else req.stage_path,
        "httpMethod": req.method,
        "headers": single or None,
        "multiValueHeaders": multi or None,
        "queryStringParameters": req.query_last() or None,
        "multiValueQueryStringParameters": req.query_multi() or None,
        "pathParameters": dict(req.path_parameters) or None,
        "stageVariables": dict(definition.variables) or None,
        "requestContext": rest_request_context(req, definition),
        "body": body,
        "isBase64Encoded": is_b64,
    })
    if http:
        ctx = event["requestContext"]
        ctx["resourceId"] = None
        ctx["resourcePath"] = method.resource_path
        ctx.setdefault("authorizer", {"claims": None, "scopes": None})
    return event


def _v2_body(req: GatewayRequest) -> tuple[str, bool]:
    ctype = req.content_type or ""
    if ctype.startswith("text/") or ctype in TEXT_TYPES_V2 or ctype.endswith("+json") or ctype.endswith("+xml"):
        return req.body.decode("utf-8", errors="replace"), False
    return base64.b64encode(req.body).decode("ascii"), True


def http_v2_event(req: GatewayRequest, definition: Any, port: int) -> dict[str, Any]:
    method = req.method_def
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in _gateway_headers(req, port):
        key = name.lower()
        if key == "cookie":
            cookies.extend(part.strip() for part in value.split(";") if part.strip())
            continue
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": method.route_key,
        "rawPath": req.context_path,
        "rawQueryString": req.raw_query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    if req.query:
        joined: dict[str, str] = {}
        for k, v in req.query:
            joined[k] = f"{joined[k]},{v}" if k in joined else v
        event["queryStringParameters"] = joined
    ctx = base_context(req, definition)
    request_context: dict[str, Any] = {
        "accountId": ctx["accountId"], "apiId": ctx["apiId"], "domainName": ctx["domainName"],
        "domainPrefix": ctx["domainPrefix"],
        "http": {"method": req.method, "path": req.context_path, "protocol": req.protocol,
                 "sourceIp": req.source_ip, "userAgent": req.user_agent or ""},
        "requestId": req.request_id, "routeKey": method.route_key, "stage": definition.stage,
        "time": req.request_time, "timeEpoch": req.request_time_epoch,
    }
    if req.authorizer is not None:
        request_context["authorizer"] = req.authorizer
    event["requestContext"] = request_context
    if req.path_parameters:
        event["pathParameters"] = dict(req.path_parameters)
    if definition.variables:
        event["stageVariables"] = dict(definition.variables)
    if req.body:
        event["body"], event["isBase64Encoded"] = _v2_body(req)
    else:
        event["isBase64Encoded"] = False
    return event


def method_arn(req: GatewayRequest, definition: Any) -> str:
    path = req.stage_path.lstrip("/")
    return (f"arn:aws:execute-api:{definition.region}:{definition.account_id}:{definition.api_id}/"
            f"{definition.stage}/{req.method}/{path}")


def route_arn(req: GatewayRequest, definition: Any) -> str:
    return (f"arn:aws:execute-api:{definition.region}:{definition.account_id}:{definition.api_id}/"
            f"{definition.stage}/{req.method}{req.stage_path}")


def token_authorizer_event(req: GatewayRequest, definition: Any, token: str) -> dict[str, Any]:
    return {"type": "TOKEN", "authorizationToken": token, "methodArn": method_arn(req, definition)}


def request_authorizer_event(req: GatewayRequest, definition: Any, port: int) -> dict[str, Any]:
    event = rest_event(req, definition, port)
    event.pop("body", None)
    event.pop("isBase64Encoded", None)
    event["requestContext"].pop("authorizer", None)
    return {"type": "REQUEST", "methodArn": method_arn(req, definition), **event}


def http_authorizer_event(req: GatewayRequest, definition: Any, port: int, version: str,
                          identity_values: list[str]) -> dict[str, Any]:
    if version == "2.0":
        event = http_v2_event(req, definition, port)
        event.pop("body", None)
        event["requestContext"].pop("authorizer", None)
        return {"type": "REQUEST", "routeArn": route_arn(req, definition),
                "identitySource": identity_values or None, **event}
    event = rest_event(req, definition, port, version="1.0")
    event.pop("body", None)
    event["requestContext"].pop("authorizer", None)
    return {"type": "REQUEST", "methodArn": route_arn(req, definition),
            "identitySource": ",".join(identity_values), "authorizationToken": ",".join(identity_values), **event}


__all__ = ["rest_event", "http_v2_event", "token_authorizer_event", "request_authorizer_event",
           "http_authorizer_event", "method_arn", "identity"]
