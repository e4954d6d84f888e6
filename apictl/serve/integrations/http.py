"""HTTP and HTTP_PROXY integrations (REST), and HTTP_PROXY routes of HTTP APIs, sent with aiohttp
(gateway-runtime.md 11.1, 11.3, 11.4, 11.8, 20). Stage variables and ``{name}`` placeholders fill the
URI; a timeout is ``INTEGRATION_TIMEOUT`` (REST 504, HTTP 503)."""
from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from ..definition import render_stage_variables
from ..gateway_errors import REST_INTEGRATION_ERROR, GatewayFailure
from ..mapping import http_request_resolver, http_response_resolver, http_value
from ..request import DROPPED_HEADERS, GatewayRequest
from ..response import REMAPPED_BACKEND, Response, remap
from .transform import build_request, build_response

PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.\-]+)\+?\}")
NOT_FORWARDED = DROPPED_HEADERS | {"host", "content-encoding", "via"}
HTTP_RESERVED = ("access-control-", "apigw-", "x-amz-", "x-amzn-")
HTTP_RESERVED_NAMES = {"authorization", "connection", "content-encoding", "content-length", "content-location",
                       "forwarded", "keep-alive", "origin", "proxy-authenticate", "proxy-authorization", "te",
                       "trailers", "transfer-encoding", "upgrade", "x-forwarded-for", "x-forwarded-host",
                       "x-forwarded-proto", "via"}


def _fill(uri: str, values: dict[str, str]) -> str:
    def replace(m: re.Match) -> str:
        value = values.get(m.group(1))
        return value if value is not None else ""

    return PLACEHOLDER.sub(replace, uri)


def _valid_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


async def send(gw: Any, method: str, url: str, headers: list[tuple[str, str]], body: bytes,
               timeout_ms: int) -> tuple[int, list[tuple[str, str]], bytes]:
    import aiohttp
    import yarl

    session = await gw.http_session()
    try:
        async with asyncio.timeout(timeout_ms / 1000):
            async with session.request(method, yarl.URL(url, encoded=True), headers=headers, data=body or None,
                                       allow_redirects=False) as resp:
                payload = await resp.read()
                out_headers = [(k, v) for k, v in resp.headers.items() if k.lower() != "content-encoding"]
                return resp.status, out_headers, payload
    except TimeoutError:
        raise GatewayFailure("INTEGRATION_TIMEOUT", log=f"{method} {url}: no answer within {timeout_ms} ms") from None
    except (aiohttp.ClientError, OSError, ValueError) as exc:
        raise GatewayFailure("INTEGRATION_FAILURE", log=f"{method} {url}: {type(exc).__name__}: {exc}") from None


def _integration_method(integration: dict, req: GatewayRequest) -> str:
    method = str(integration.get("httpMethod", "ANY")).upper()
    return req.method if method == "ANY" else method


def _merge_query(url: str, extra: list[tuple[str, str]]) -> str:
    if not extra:
        return url
    parts = urlsplit(url)
    added = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in extra)
    query = f"{parts.query}&{added}" if parts.query else added
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


async def invoke_rest(gw: Any, req: GatewayRequest, integration: dict, ctx: dict, proxy: bool) -> Response:
    definition = gw.definition
    if proxy:  # parameter mappings apply, templates do not
        request = build_request(gw, req, {**integration, "requestTemplates": None,
                                          "passthroughBehavior": "WHEN_NO_MATCH"}, ctx)
    else:
        request = build_request(gw, req, integration, ctx)
    values = dict(req.path_parameters) if proxy else {}
    values.update(request.path)
    url = _fill(render_stage_variables(str(integration.get("uri", "")), definition.variables), values)
    if proxy:
        client_query = [(k, v) for k, v in req.query]
        url = _merge_query(url, client_query + request.query)
    else:
        url = _merge_query(url, request.query)
    if not _valid_url(url):
        raise GatewayFailure("API_CONFIGURATION_ERROR", fixed=REST_INTEGRATION_ERROR, log=f"invalid integration URI {url!r}")
    method = _integration_method(integration, req)
    if proxy:
        headers = [(n, v) for n, v in req.headers if n.lower() not in NOT_FORWARDED]
    else:
        headers = [("Accept", "application/json"), ("User-Agent", f"AmazonAPIGateway_{definition.api_id}")]
        if req.header("content-type") and method not in ("GET", "HEAD", "OPTIONS"):
            headers.append(("Content-Type", req.header("content-type") or ""))
    headers += [("X-Amzn-Apigateway-Api-Id", definition.api_id), ("X-Amzn-Trace-Id", req.trace_header)]
    for name, value in request.headers.items():
        headers = [(n, v) for n, v in headers if n.lower() != name.lower()] + [(name, value)]
    status, resp_headers, body = await send(gw, method, url, headers, request.body, req.method_def.timeout_ms)
    req.integration_status = str(status)
    if proxy:
        return Response(status, remap(resp_headers, REMAPPED_BACKEND), body, trace=False)
    return build_response(gw, req, integration, str(status), status, resp_headers, body, request, ctx, trace=True)


async def invoke_http_api(gw: Any, req: GatewayRequest, integration: dict, ctx: dict) -> Response:
    """HTTP API ``HTTP_PROXY``: request/response parameter mapping, full path on ``$default``."""
    definition = gw.definition
    method_def = req.method_def
    resolve = http_request_resolver(req, ctx, definition.variables)
    uri = render_stage_variables(str(integration.get("uri", "")), definition.variables)
    values = {k: v for k, v in req.path_parameters.items()}
    url = _fill(uri, values)
    path_override = None
    headers = [(n, v) for n, v in req.headers if n.lower() not in NOT_FORWARDED]
    query = list(req.query)
    for key, expr in (integration.get("requestParameters") or {}).items():
        action, _, target = str(key).partition(":")
        value = http_value(str(expr), resolve)
        if target == "path" and action == "overwrite":
            path_override = value
            continue
        kind, _, name = target.partition(".")
        if kind == "header":
            lower = name.lower()
            if lower.startswith(HTTP_RESERVED) or lower in HTTP_RESERVED_NAMES:
                continue
            if action == "remove":
                headers = [(n, v) for n, v in headers if n.lower() != lower]
            elif action == "overwrite":
                headers = [(n, v) for n, v in headers if n.lower() != lower] + [(name, value)]
            elif action == "append":
                existing = [v for n, v in headers if n.lower() == lower]
                headers = [(n, v) for n, v in headers if n.lower() != lower]
                headers.append((name, ",".join([*existing, value]) if existing else value))
        elif kind == "querystring":
            if action == "remove":
                query = [(k, v) for k, v in query if k != name]
            elif action == "overwrite":
                query = [(k, v) for k, v in query if k != name] + [(name, value)]
            elif action == "append":
                query.append((name, value))
    parts = urlsplit(url)
    path = parts.path
    if path_override is not None:
        path = path_override if path_override.startswith("/") else "/" + path_override
    elif method_def.resource_path == "$default":
        path = parts.path.rstrip("/") + req.stage_path
    encoded_query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query)
    if parts.query:
        encoded_query = f"{parts.query}&{encoded_query}" if encoded_query else parts.query
    url = urlunsplit((parts.scheme, parts.netloc, path, encoded_query, ""))
    if not _valid_url(url):
        raise GatewayFailure("API_CONFIGURATION_ERROR", log=f"invalid integration URI {url!r}")
    headers.append(("X-Amzn-Trace-Id", req.trace_header))
    method = _integration_method(integration, req)
    status, resp_headers, body = await send(gw, method, url, headers, req.body, method_def.timeout_ms)
    req.integration_status = str(status)
    mapping = (integration.get("responseParameters") or {}).get(str(status))
    if isinstance(mapping, dict):
        resolve_out = http_response_resolver(resp_headers, body, ctx, definition.variables)
        for key, expr in mapping.items():
            action, _, target = str(key).partition(":")
            value = http_value(str(expr), resolve_out)
            if target == "statuscode" and action == "overwrite":
                try:
                    status = int(value)
                except ValueError:
                    pass
                continue
            kind, _, name = target.partition(".")
            if kind != "header":
                continue
            lower = name.lower()
            if action == "remove":
                resp_headers = [(n, v) for n, v in resp_headers if n.lower() != lower]
            elif action == "overwrite":
                resp_headers = [(n, v) for n, v in resp_headers if n.lower() != lower] + [(name, value)]
            elif action == "append":
                resp_headers.append((name, value))
    resp_headers = [(n, v) for n, v in resp_headers
                    if n.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server")]
    return Response(status, resp_headers, body)
