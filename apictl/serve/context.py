"""``$context``: one table of the values API Gateway exposes to mapping templates, parameter mappings,
gateway responses, access logs and (as ``requestContext``) Lambda events (gateway-runtime.md 9.2, 13.4, 19)."""
from __future__ import annotations

from typing import Any

from .request import GatewayRequest

IDENTITY_KEYS = ("accessKey", "accountId", "caller", "cognitoAuthenticationProvider", "cognitoAuthenticationType",
                 "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId", "sourceIp", "user", "userAgent",
                 "userArn")


def identity(req: GatewayRequest) -> dict[str, Any]:
    out: dict[str, Any] = {key: None for key in IDENTITY_KEYS}
    out["sourceIp"] = req.source_ip
    out["userAgent"] = req.user_agent
    out.update(req.identity)
    return out


def base_context(req: GatewayRequest, definition: Any) -> dict[str, Any]:
    """The ``$context`` map (REST and HTTP) for a routed request."""
    method = req.method_def
    host = req.host
    ctx: dict[str, Any] = {
        "accountId": definition.account_id,
        "apiId": definition.api_id,
        "deploymentId": definition.deployment_id,
        "domainName": host,
        "domainPrefix": host.split(".", 1)[0].split(":", 1)[0],
        "extendedRequestId": req.extended_request_id,
        "httpMethod": req.method,
        "identity": identity(req),
        "path": req.context_path,
        "protocol": req.protocol,
        "requestId": req.request_id,
        "requestTime": req.request_time,
        "requestTimeEpoch": req.request_time_epoch,
        "resourceId": method.resource_id if method else None,
        "resourcePath": method.resource_path if method else None,
        "stage": definition.stage,
        "routeKey": method.route_key if method else None,
        "authorizer": dict(req.authorizer or {}),
        "error": {},
    }
    if req.authorizer_claims is not None:
        ctx["authorizer"]["claims"] = req.authorizer_claims
    if req.identity.get("apiKey") is not None:
        ctx["identity"]["apiKey"] = req.identity["apiKey"]
        ctx["identity"]["apiKeyId"] = req.identity.get("apiKeyId")
    return ctx


def log_context(req: GatewayRequest, definition: Any, latency_ms: int) -> dict[str, Any]:
    """``$context`` plus the access-log-only variables."""
    ctx = base_context(req, definition)
    ctx.update({
        "status": req.status,
        "responseLength": req.response_length,
        "responseLatency": latency_ms,
        "integrationLatency": req.integration_latency,
        "integrationStatus": req.integration_status,
        "integration": {"status": req.integration_status, "latency": req.integration_latency,
                        "integrationStatus": req.integration_status, "error": req.error_message or None,
                        "requestId": None},
        "integrationErrorMessage": req.error_message or None,
        "xrayTraceId": req.trace_header.split(";", 1)[0][5:] if req.trace_header.startswith("Root=") else None,
        "authorizer": {**ctx["authorizer"], "error": req.authorizer_error or None},
    })
    if req.error_type:
        ctx["error"] = {"message": req.error_message, "messageString": _json_string(req.error_message),
                        "responseType": req.error_type}
    return ctx


def _json_string(value: str | None) -> str:
    import json

    return json.dumps(value)


def lookup(ctx: dict[str, Any], dotted: str) -> Any:
    node: Any = ctx
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node
