"""Lambda integrations: ``AWS_PROXY`` (REST event 1.0, HTTP API 1.0/2.0, result mapping with the
exact failures, gateway-runtime.md 9-10) and ``AWS`` non-proxy (mapping templates, selection on
``errorMessage``, 11.6)."""
from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from ..content import accept_is_binary
from ..events import http_v2_event, rest_event
from ..gateway_errors import REST_INTEGRATION_ERROR, REST_LAMBDA_PROXY_ERROR, GatewayFailure
from ..lambdas import LambdaResult
from ..request import GatewayRequest
from ..response import REMAPPED_BACKEND, Response, remap
from .transform import build_request, build_response

PROXY_RESULT_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"}


class MalformedResult(Exception):
    pass


def _header_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise MalformedResult(f"header value {value!r} is not a string")


def _status(value: Any) -> int:
    if value is None:
        return 200
    if isinstance(value, bool):
        raise MalformedResult("statusCode is a boolean")
    try:
        status = int(str(value).strip())
    except ValueError:
        raise MalformedResult(f"statusCode {value!r} is not a number") from None
    if not 100 <= status <= 599:
        raise MalformedResult(f"statusCode {status} is out of range")
    return status


def map_proxy_result(payload: Any, *, accept: str | None, binary_types: list[str], v2: bool = False,
                     allowed: set[str] = PROXY_RESULT_KEYS) -> Response:
    """A Lambda proxy result as the client gets it (raises MalformedResult for what API Gateway rejects)."""
    if v2 and not (isinstance(payload, dict) and "statusCode" in payload):
        body = payload if isinstance(payload, str) else json.dumps(payload)
        return Response(200, [("Content-Type", "application/json")], body.encode("utf-8"), trace=True)
    if not isinstance(payload, dict):
        raise MalformedResult("the result is not a JSON object")
    unknown = set(payload) - allowed
    if unknown and not v2:
        raise MalformedResult(f"unknown keys in the result: {', '.join(sorted(unknown))}")
    status = _status(payload.get("statusCode"))
    headers: list[tuple[str, str]] = []
    multi = payload.get("multiValueHeaders")
    if multi is not None:
        if not isinstance(multi, dict):
            raise MalformedResult("multiValueHeaders is not an object")
        for name, values in multi.items():
            if not isinstance(values, list):
                raise MalformedResult(f"multiValueHeaders.{name} is not a list")
            headers.extend((str(name), _header_value(v)) for v in values)
    single = payload.get("headers")
    if single is not None:
        if not isinstance(single, dict):
            raise MalformedResult("headers is not an object")
        for name, value in single.items():
            text = _header_value(value)
            existing = [(n, v) for n, v in headers if n.lower() == str(name).lower()]
            if any(v == text for _, v in existing):
                continue
            headers.append((existing[0][0] if existing else str(name), text))
    for cookie in payload.get("cookies") or [] if v2 else []:
        headers.append(("Set-Cookie", str(cookie)))
    body = payload.get("body")
    if body is None:
        raw = b""
    elif isinstance(body, str):
        raw = body.encode("utf-8")
    elif v2:
        raw = json.dumps(body).encode("utf-8")
    else:
        raise MalformedResult("body is not a string")
    if payload.get("isBase64Encoded") is True and (v2 or accept_is_binary(accept, binary_types)):
        try:
            raw = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise MalformedResult("isBase64Encoded is true but the body is not base64") from None
    headers = remap(headers, REMAPPED_BACKEND)
    if not any(n.lower() == "content-type" for n, _ in headers):
        headers.append(("Content-Type", "application/json"))
    return Response(status, headers, raw, trace=True)


def _failure_for(result: LambdaResult, rest: bool, what: str) -> GatewayFailure:
    if result.timed_out:
        return GatewayFailure("INTEGRATION_TIMEOUT", log=f"{what}: timed out")
    detail = result.crashed or json.dumps(result.error)
    fixed = REST_LAMBDA_PROXY_ERROR if rest else None
    return GatewayFailure("INTEGRATION_FAILURE" if rest else "API_CONFIGURATION_ERROR", fixed=fixed,
                          log=f"{what}: {detail}")


async def invoke_proxy(gw: Any, req: GatewayRequest, integration: dict, ctx: dict) -> Response:
    definition = gw.definition
    method = req.method_def
    rest = definition.is_rest
    if rest and str(integration.get("httpMethod", "POST")).upper() != "POST":
        raise GatewayFailure("INTEGRATION_FAILURE", log="AWS_PROXY integrations must use httpMethod POST")
    version = str(integration.get("payloadFormatVersion", "1.0" if rest else "2.0"))
    if rest:
        event = rest_event(req, definition, gw.port)
    elif version == "2.0":
        event = http_v2_event(req, definition, gw.port)
    else:
        event = rest_event(req, definition, gw.port, version="1.0")
    target = method.lambda_target
    result = await gw.lambdas.invoke(target.handler_key, event, request_id=req.request_id,
                                     timeout_ms=method.timeout_ms, function_arn=target.arn)
    req.integration_latency = str(result.latency_ms)
    what = f"Lambda {target.name}"
    if not result.ok:
        req.integration_status = "200" if result.error else "-"
        raise _failure_for(result, rest, what)
    req.integration_status = "200"
    try:
        return map_proxy_result(result.payload, accept=req.header("accept"),
                                binary_types=definition.binary_media_types if rest else [],
                                v2=not rest and version == "2.0")
    except MalformedResult as exc:
        raise GatewayFailure("INTEGRATION_FAILURE" if rest else "API_CONFIGURATION_ERROR",
                             fixed=REST_LAMBDA_PROXY_ERROR if rest else None,
                             log=f"{what}: malformed Lambda proxy response: {exc}") from None


async def invoke_custom(gw: Any, req: GatewayRequest, integration: dict, ctx: dict) -> Response:
    """``AWS`` integration with a Lambda function (non-proxy)."""
    method = req.method_def
    request = build_request(gw, req, integration, ctx, aws=True)
    text = request.body.decode("utf-8", errors="replace").strip()
    try:
        event = json.loads(text) if text else {}
    except ValueError:
        raise GatewayFailure("API_CONFIGURATION_ERROR", fixed=REST_INTEGRATION_ERROR,
                             log="Lambda non-proxy: the integration request body is not JSON "
                                 "(Lambda accepts JSON payloads only)") from None
    target = method.lambda_target
    asynchronous = next((v for k, v in request.headers.items() if k.lower() == "x-amz-invocation-type"), "")
    if asynchronous.strip("'") == "Event":
        gw.background(gw.lambdas.invoke(target.handler_key, event, request_id=req.request_id,
                                        timeout_ms=method.timeout_ms, function_arn=target.arn))
        req.integration_status = "202"
        return build_response(gw, req, integration, "", 200, [], b"", request, ctx, trace=True)
    result = await gw.lambdas.invoke(target.handler_key, event, request_id=req.request_id,
                                     timeout_ms=method.timeout_ms, function_arn=target.arn)
    req.integration_latency = str(result.latency_ms)
    if result.timed_out:
        raise GatewayFailure("INTEGRATION_TIMEOUT", log=f"Lambda {target.name}: timed out")
    req.integration_status = "200"
    if result.crashed:
        error = {"errorMessage": result.crashed, "errorType": "Runtime.ExitError"}
    else:
        error = result.error
    if error is not None:
        body = json.dumps({"errorMessage": error.get("errorMessage"), "errorType": error.get("errorType"),
                           "requestId": req.request_id, "stackTrace": error.get("stackTrace") or []}).encode()
        gw.log(f"Lambda {target.name} error: {error.get('errorType')}: {error.get('errorMessage')}")
        return build_response(gw, req, integration, str(error.get("errorMessage") or ""), 200, [], body, request,
                              ctx, trace=True)
    body = json.dumps(result.payload).encode("utf-8")
    return build_response(gw, req, integration, "", 200, [], body, request, ctx, trace=True)
