"""Lambda authorizers: REST TOKEN and REQUEST, HTTP API REQUEST (payload 1.0/2.0, simple responses),
with identity sources, the validation regex, result caching and policy evaluation (gateway-runtime.md 8.1-8.4, 8.8)."""
from __future__ import annotations

import re
from typing import Any

from ..context import base_context, lookup
from ..events import http_authorizer_event, method_arn, request_authorizer_event, route_arn, token_authorizer_event
from ..gateway_errors import HTTP_AUTHORIZER_TIMEOUT_MS, REST_DEFAULT_TIMEOUT_MS, GatewayFailure
from ..request import GatewayRequest
from .policy import MalformedPolicy, evaluate


def _rest_identity_value(req: GatewayRequest, source: str, definition: Any) -> str | None:
    if source.startswith("method.request.header."):
        return req.header(source[len("method.request.header."):])
    if source.startswith("method.request.querystring."):
        return req.query_last().get(source[len("method.request.querystring."):])
    if source.startswith("stageVariables."):
        return definition.variables.get(source[len("stageVariables."):])
    if source.startswith("context."):
        value = lookup(base_context(req, definition), source[len("context."):])
        return None if value is None else str(value)
    return None


def _http_identity_value(req: GatewayRequest, source: str, definition: Any) -> str | None:
    if source.startswith("$request.header."):
        values = req.header_map.get(source[len("$request.header."):].lower())
        return ",".join(values) if values else None
    if source.startswith("$request.querystring."):
        values = req.query_multi().get(source[len("$request.querystring."):])
        return ",".join(values) if values else None
    if source.startswith("$stageVariables."):
        return definition.variables.get(source[len("$stageVariables."):])
    if source.startswith("$context."):
        value = lookup(base_context(req, definition), source[len("$context."):])
        return None if value is None else str(value)
    return None


def _stringified_context(context: Any) -> dict[str, str]:
    if context is None:
        return {}
    if not isinstance(context, dict):
        raise MalformedPolicy("context is not an object")
    out = {}
    for key, value in context.items():
        if isinstance(value, bool):
            out[str(key)] = "true" if value else "false"
        elif isinstance(value, (str, int, float)):
            out[str(key)] = str(value)
        else:
            raise MalformedPolicy(f"context.{key} must be a string, number or boolean")
    return out


async def authorize_rest(gw: Any, req: GatewayRequest, auth: Any) -> None:
    definition = gw.definition
    if auth.type == "token":
        token = req.header(auth.header)
        if not token:
            raise GatewayFailure("UNAUTHORIZED", log=f"authorizer {auth.name}: no {auth.header} header")
        if auth.validation_regex and not re.fullmatch(auth.validation_regex, token):
            raise GatewayFailure("UNAUTHORIZED", log=f"authorizer {auth.name}: token does not match "
                                                     "identityValidationExpression")
        cache_key = token
        event = token_authorizer_event(req, definition, token)
    else:
        values = [_rest_identity_value(req, s, definition) for s in auth.identity_sources]
        if auth.ttl > 0 and any(not v for v in values):
            raise GatewayFailure("UNAUTHORIZED", log=f"authorizer {auth.name}: an identity source is missing")
        cache_key = "\x00".join(v or "" for v in values)
        event = request_authorizer_event(req, definition, gw.port)
    output = gw.auth_cache.get(auth.name, cache_key) if auth.ttl > 0 else None
    if output is None:
        output = await _invoke(gw, req, auth, event, REST_DEFAULT_TIMEOUT_MS)
        gw.auth_cache.put(auth.name, cache_key, auth.ttl, output)
    try:
        allowed = evaluate(output.get("policyDocument"), method_arn(req, definition))
        context = _stringified_context(output.get("context"))
    except MalformedPolicy as exc:
        raise GatewayFailure("AUTHORIZER_CONFIGURATION_ERROR", log=f"authorizer {auth.name}: {exc}") from None
    if not allowed:
        raise GatewayFailure("ACCESS_DENIED", log=f"authorizer {auth.name}: the policy denies {method_arn(req, definition)}")
    principal = output.get("principalId")
    req.authorizer = {"principalId": None if principal is None else str(principal), **context}
    key = output.get("usageIdentifierKey")
    req.usage_identifier_key = str(key) if key is not None else None


async def _invoke(gw: Any, req: GatewayRequest, auth: Any, event: dict, timeout_ms: int) -> dict:
    target = auth.function
    result = await gw.lambdas.invoke(target.handler_key, event, request_id=req.request_id, timeout_ms=timeout_ms,
                                     function_arn=target.arn)
    if result.error is not None and str(result.error.get("errorMessage")) == "Unauthorized":
        raise GatewayFailure("UNAUTHORIZED", log=f"authorizer {auth.name}: the function answered Unauthorized")
    if not result.ok:
        why = "timed out" if result.timed_out else result.crashed or f"{result.error.get('errorType')}: " \
                                                                     f"{result.error.get('errorMessage')}"
        req.authorizer_error = why
        raise GatewayFailure("AUTHORIZER_CONFIGURATION_ERROR", log=f"authorizer {auth.name}: {why}")
    if not isinstance(result.payload, dict):
        raise GatewayFailure("AUTHORIZER_CONFIGURATION_ERROR", log=f"authorizer {auth.name}: the result is not an object")
    return result.payload


async def authorize_http(gw: Any, req: GatewayRequest, auth: Any) -> None:
    definition = gw.definition
    values = [_http_identity_value(req, s, definition) for s in auth.identity_sources]
    if any(not v for v in values):
        raise GatewayFailure("UNAUTHORIZED", log=f"authorizer {auth.name}: an identity source is missing")
    cache_key = "\x00".join(v or "" for v in values)
    output = gw.auth_cache.get(auth.name, cache_key) if auth.ttl > 0 else None
    if output is None:
        event = http_authorizer_event(req, definition, gw.port, auth.payload_version, [v or "" for v in values])
        try:
            output = await _invoke(gw, req, auth, event, HTTP_AUTHORIZER_TIMEOUT_MS)
        except GatewayFailure as exc:
            if exc.type == "AUTHORIZER_CONFIGURATION_ERROR":
                raise GatewayFailure("API_CONFIGURATION_ERROR", log=exc.log) from None
            raise
        gw.auth_cache.put(auth.name, cache_key, auth.ttl, output)
    try:
        if auth.payload_version == "2.0" and auth.simple_responses:
            allowed = output.get("isAuthorized") is True
            if not isinstance(output.get("isAuthorized"), bool):
                raise MalformedPolicy("isAuthorized must be a boolean")
        else:
            allowed = evaluate(output.get("policyDocument"), route_arn(req, definition))
        context = output.get("context") or {}
        if not isinstance(context, dict):
            raise MalformedPolicy("context is not an object")
    except MalformedPolicy as exc:
        raise GatewayFailure("API_CONFIGURATION_ERROR", log=f"authorizer {auth.name}: {exc}") from None
    if not allowed:
        raise GatewayFailure("ACCESS_DENIED", log=f"authorizer {auth.name}: not authorized")
    if auth.payload_version == "2.0":
        req.authorizer = {"lambda": context}
    else:
        req.authorizer = {"lambda": _stringified_context_lenient(context),
                          "principalId": output.get("principalId")}


def _stringified_context_lenient(context: dict) -> dict:
    try:
        return _stringified_context(context)
    except MalformedPolicy:
        return {k: str(v) for k, v in context.items()}
