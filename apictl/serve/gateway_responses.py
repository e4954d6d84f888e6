"""Errors as API Gateway answers them: REST gateway responses (with the API's
``x-amazon-apigateway-gateway-responses``: templates by simple substitution, header parameters,
DEFAULT_4XX/5XX fallbacks) and HTTP API fixed bodies (gateway-runtime.md 5)."""
from __future__ import annotations

import json
import re
from typing import Any

from .context import lookup
from .gateway_errors import HTTP_ERROR_FOR_TYPE, HTTP_ERRORS, REST_ERRORS, GatewayFailure
from .request import GatewayRequest
from .response import Response

DEFAULT_TEMPLATE = '{"message":$context.error.messageString}'
SUBSTITUTION = re.compile(r"\$(?:\{(context|stageVariables)\.([A-Za-z0-9_.]+)\}|(context|stageVariables)\.([A-Za-z0-9_]+"
                          r"(?:\.[A-Za-z0-9_]+)*))|(method\.request\.(?:path|querystring|header)\.[A-Za-z0-9_.\-]+)")


def _configured(definition: Any, type_name: str, status: int | None) -> tuple[dict | None, dict | None]:
    """(the API's response for this type, the DEFAULT_4XX/5XX it falls back to)."""
    own = definition.gateway_responses.get(type_name)
    fallback = None
    if status is not None:
        fallback = definition.gateway_responses.get("DEFAULT_4XX" if status < 500 else "DEFAULT_5XX")
    return own, fallback


def _status(value: Any) -> int | None:
    try:
        status = int(str(value))
    except (TypeError, ValueError):
        return None
    return status if 100 <= status <= 599 else None


def _request_value(req: GatewayRequest, expr: str) -> str | None:
    if expr.startswith("method.request.path."):
        return req.path_parameters.get(expr[len("method.request.path."):])
    if expr.startswith("method.request.querystring."):
        return req.query_last().get(expr[len("method.request.querystring."):])
    if expr.startswith("method.request.header."):
        return req.header(expr[len("method.request.header."):])
    return None


def substitute(template: str, ctx: dict, variables: dict[str, str], req: GatewayRequest) -> str:
    def replace(m: re.Match) -> str:
        if m.group(5):
            return _request_value(req, m.group(5)) or ""
        kind, name = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if kind == "stageVariables":
            return variables.get(name, "")
        value = lookup(ctx, name)
        if value is None:
            return "null" if name == "error.messageString" else ""
        return value if isinstance(value, str) else json.dumps(value)

    return SUBSTITUTION.sub(replace, template)


def rest_error_response(definition: Any, failure: GatewayFailure, req: GatewayRequest, ctx: dict) -> Response:
    if failure.fixed is not None:
        status, body = failure.fixed
        error_type = "ForbiddenException" if status == 403 else "InternalServerErrorException"
        return Response(status, [("Content-Type", "application/json"), ("x-amzn-ErrorType", error_type)], body,
                        is_error=True)
    kind = REST_ERRORS.get(failure.type) or REST_ERRORS["API_CONFIGURATION_ERROR"]
    message = failure.message if failure.message is not None else kind.message
    own, fallback = _configured(definition, kind.type, kind.status)
    status = (_status((own or {}).get("statusCode")) or _status((fallback or {}).get("statusCode"))
              or kind.status or 500)
    ctx = {**ctx, "error": {"message": message, "messageString": json.dumps(message),
                            "responseType": kind.type, "validationErrorString": failure.validation_error}}
    templates = (own or {}).get("responseTemplates") or (fallback or {}).get("responseTemplates")
    if isinstance(templates, dict) and templates:
        template = templates.get("application/json", next(iter(templates.values())))
        body = substitute(str(template or ""), ctx, definition.variables, req)
    elif kind.body_key != "message":
        body = json.dumps({kind.body_key: message}, separators=(",", ":"))
    else:
        body = substitute(DEFAULT_TEMPLATE, ctx, definition.variables, req)
    headers = [("Content-Type", "application/json")]
    if kind.error_type:
        headers.append(("x-amzn-ErrorType", kind.error_type))
    parameters: dict = {}
    for source in (fallback, own):
        if isinstance((source or {}).get("responseParameters"), dict):
            parameters.update(source["responseParameters"])
    for key, expr in parameters.items():
        if not str(key).startswith("gatewayresponse.header."):
            continue
        expr = str(expr).strip()
        value = expr[1:-1] if len(expr) >= 2 and expr[0] == expr[-1] == "'" else _request_value(req, expr)
        if value is not None:
            name = str(key)[len("gatewayresponse.header."):]
            headers = [(n, v) for n, v in headers if n.lower() != name.lower()]
            headers.append((name, value))
    for name, value in failure.headers.items():
        headers.append((name, value))
    return Response(status, headers, body.encode("utf-8"), is_error=True)


def http_error_response(failure: GatewayFailure) -> Response:
    if failure.fixed is not None:
        status, body = failure.fixed
    else:
        status, body = HTTP_ERRORS[HTTP_ERROR_FOR_TYPE.get(failure.type, "INTERNAL")]
    headers = [("Content-Type", "application/json")]
    headers.extend(failure.headers.items())
    return Response(status, headers, body, is_error=True)
