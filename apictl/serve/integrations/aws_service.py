"""AWS service integrations: REST ``AWS`` (``arn:aws:apigateway:REGION:SERVICE:action/X`` or ``path/...``)
and HTTP API ``integrationSubtype`` routes (SQS, SNS, DynamoDB, Step Functions, EventBridge, S3,
Kinesis...), sent with SigV4 to ``--aws-endpoint`` (e.g. moto_server) or to the real account."""
from __future__ import annotations

import base64
import json
import os
from typing import Any
from urllib.parse import quote, urlencode

from ..definition import AWS_SERVICE_URI, render_stage_variables
from ..gateway_errors import GatewayFailure
from ..mapping import http_request_resolver, http_value
from ..request import GatewayRequest
from ..response import Response
from ..sigv4 import sign
from .http import _fill, send
from .transform import build_request, build_response

# JSON-protocol services: X-Amz-Target prefix and JSON version. Everything else speaks the query protocol.
JSON_SERVICES = {
    "dynamodb": ("DynamoDB_20120810", "1.0"), "kinesis": ("Kinesis_20131202", "1.1"),
    "states": ("AWSStepFunctions", "1.0"), "events": ("AWSEvents", "1.1"), "firehose": ("Firehose_20150804", "1.1"),
    "logs": ("Logs_20140328", "1.1"), "lambda": ("", ""), "secretsmanager": ("secretsmanager", "1.1"),
    "ssm": ("AmazonSSM", "1.1"), "kms": ("TrentService", "1.1"), "sqs-json": ("AmazonSQS", "1.0"),
}
QUERY_VERSIONS = {"sqs": "2012-11-05", "sns": "2010-03-31", "sts": "2011-06-15", "ses": "2010-12-01",
                  "cloudwatch": "2010-08-01", "monitoring": "2010-08-01"}
SIGNING_NAMES = {"monitoring": "monitoring", "states": "states", "events": "events"}


def _credentials() -> tuple[str, str, str | None]:
    return (os.environ.get("AWS_ACCESS_KEY_ID", "testing"), os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
            os.environ.get("AWS_SESSION_TOKEN"))


def _endpoint(gw: Any, service: str, region: str) -> str:
    configured = gw.definition.settings.aws_endpoint
    if configured:
        return configured.rstrip("/")
    host = {"s3": f"s3.{region}.amazonaws.com"}.get(service, f"{service}.{region}.amazonaws.com")
    return f"https://{host}"


async def call_service(gw: Any, service: str, region: str, method: str, path: str, query: list[tuple[str, str]],
                       headers: dict[str, str], body: bytes, timeout_ms: int) -> tuple[int, list[tuple[str, str]], bytes]:
    url = _endpoint(gw, service, region) + (path if path.startswith("/") else "/" + path)
    if query:
        url += "?" + "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in query)
    access, secret, token = _credentials()
    signed = sign(method, url, headers, body, service=SIGNING_NAMES.get(service, service), region=region,
                  access_key=access, secret_key=secret, session_token=token)
    return await send(gw, method, url, list(signed.items()), body, timeout_ms)


async def invoke_rest(gw: Any, req: GatewayRequest, integration: dict, ctx: dict) -> Response:
    definition = gw.definition
    request = build_request(gw, req, integration, ctx, aws=True)
    uri = render_stage_variables(str(integration.get("uri", "")), definition.variables)
    m = AWS_SERVICE_URI.match(uri)
    if m is None:
        raise GatewayFailure("API_CONFIGURATION_ERROR", log=f"cannot read the AWS service from uri {uri!r}")
    region = m.group("region") or definition.region
    service = m.group("service").split(".")[-1]
    method = str(integration.get("httpMethod", "POST")).upper()
    headers = {k: v for k, v in request.headers.items()}
    query = list(request.query)
    body = request.body
    rest = _fill(m.group("rest"), request.path)
    if m.group("kind") == "action":
        action, _, params = rest.partition("&")
        extra = [tuple(p.split("=", 1)) if "=" in p else (p, "") for p in params.split("&") if p]
        if service in JSON_SERVICES:
            prefix, version = JSON_SERVICES[service]
            headers.setdefault("X-Amz-Target", f"{prefix}.{action}")
            headers.setdefault("Content-Type", f"application/x-amz-json-{version}")
            path = "/"
            query += extra
        else:
            form = [("Action", action), ("Version", QUERY_VERSIONS.get(service, "")), *extra, *query]
            text = body.decode("utf-8", errors="replace").strip()
            if text and "=" in text and not text.startswith("{"):
                body = (urlencode(form) + "&" + text).encode()
            else:
                body = urlencode(form).encode()
            query = []
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
            path, method = "/", "POST"
    else:
        path = "/" + rest.lstrip("/") if service == "s3" else "/" + rest
        if service in QUERY_VERSIONS and not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = "application/x-www-form-urlencoded"
    status, resp_headers, payload = await call_service(gw, service, region, method, path, query, headers, body,
                                                       req.method_def.timeout_ms)
    req.integration_status = str(status)
    return build_response(gw, req, integration, str(status), status, resp_headers, payload, request, ctx, trace=True)


async def invoke_subtype(gw: Any, req: GatewayRequest, integration: dict, ctx: dict) -> Response:
    """HTTP API AWS_PROXY with ``integrationSubtype`` (payload format 1.0): the parameters map becomes
    the service action's input; the service's answer goes back as is."""
    definition = gw.definition
    subtype = str(integration.get("integrationSubtype"))
    resolve = http_request_resolver(req, ctx, definition.variables)
    params = {str(k): http_value(str(v), resolve) for k, v in (integration.get("requestParameters") or {}).items()}
    region = params.pop("Region", None) or definition.region
    service_name, _, action = subtype.partition("-")
    service = {"SQS": "sqs", "EventBridge": "events", "Kinesis": "kinesis", "StepFunctions": "states",
               "AppConfig": "appconfig"}.get(service_name)
    if service is None:
        raise GatewayFailure("API_CONFIGURATION_ERROR", log=f"integrationSubtype {subtype} is not supported")
    headers: dict[str, str] = {}
    if service == "sqs":
        body = urlencode([("Action", action), ("Version", QUERY_VERSIONS["sqs"]), *params.items()]).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
    elif service == "events":
        entry = {k: v for k, v in params.items()}
        if "Resources" in entry:
            entry["Resources"] = [r.strip() for r in entry["Resources"].split(",") if r.strip()]
        body = json.dumps({"Entries": [entry]}).encode()
    elif service == "kinesis":
        payload = dict(params)
        if "Data" in payload:
            payload["Data"] = base64.b64encode(payload["Data"].encode()).decode()
        body = json.dumps(payload).encode()
    elif service == "states":
        payload = {k[0].lower() + k[1:]: v for k, v in params.items()}
        body = json.dumps(payload).encode()
    else:
        body = json.dumps(params).encode()
    if service in JSON_SERVICES:
        prefix, version = JSON_SERVICES[service]
        headers["X-Amz-Target"] = f"{prefix}.{action}"
        headers["Content-Type"] = f"application/x-amz-json-{version}"
    status, resp_headers, payload_bytes = await call_service(gw, service, region, "POST", "/", [], headers, body,
                                                             req.method_def.timeout_ms)
    req.integration_status = str(status)
    keep = [(n, v) for n, v in resp_headers if n.lower() == "content-type"]
    return Response(status, keep or [("Content-Type", "application/json")], payload_bytes)
