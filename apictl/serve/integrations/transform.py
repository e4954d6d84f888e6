"""REST non-proxy integrations (MOCK, HTTP, AWS): the integration request (parameter mapping, template
selection with passthrough, content handling, rendering, overrides) and the integration response
(selection by pattern, response parameters, template by ``Accept``, overrides) — gateway-runtime.md 11-13."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..content import convert_request_body, convert_response_body, first_accept
from ..gateway_errors import REST_INTEGRATION_ERROR, GatewayFailure
from ..mapping import rest_request_value, rest_response_value
from ..request import GatewayRequest
from ..response import REMAPPED_MAPPED, Response
from ..vtl import Input, TemplateFailure, VtlMap, input_params, render, template_context

# Mapping these integration request headers fails the request (11.4).
FORBIDDEN_MAPPED = {"content-length", "transfer-encoding"}
FORBIDDEN_MAPPED_AWS = {"authorization", "connection", "content-length", "expect", "proxy-authenticate", "te",
                        "transfer-encoding"}
SILENTLY_DROPPED = {"connection", "proxy-authenticate", "te", "via", "expect"}


@dataclass
class IntegrationRequest:
    body: bytes
    path: dict[str, str] = field(default_factory=dict)  # integration.request.path.*
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # name -> value (mapped)
    context: VtlMap | None = None  # the template's $context (overrides live here)
    templated: bool = False


def _media(value: str | None) -> str:
    return (value or "application/json").split(";", 1)[0].strip().lower()


def _lower_keys(templates: Any) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in templates.items()} if isinstance(templates, dict) else {}


def build_request(gw: Any, req: GatewayRequest, integration: dict, ctx: dict, *, aws: bool = False) -> IntegrationRequest:
    definition = gw.definition
    out = IntegrationRequest(body=req.body)
    for key, expr in (integration.get("requestParameters") or {}).items():
        key = str(key)
        value = rest_request_value(str(expr), req, ctx, definition.variables)
        if value is None:
            continue
        if key.startswith("integration.request.path."):
            out.path[key[len("integration.request.path."):]] = value if isinstance(value, str) else ",".join(value)
        elif key.startswith("integration.request.querystring."):
            name = key[len("integration.request.querystring."):]
            for v in (value if isinstance(value, list) else [value]):
                out.query.append((name, v))
        elif key.startswith("integration.request.header."):
            name = key[len("integration.request.header."):]
            lower = name.lower()
            if lower in (FORBIDDEN_MAPPED_AWS if aws else FORBIDDEN_MAPPED):
                raise GatewayFailure("API_CONFIGURATION_ERROR", fixed=REST_INTEGRATION_ERROR,
                                     log=f"mapping the {name} header is not allowed")
            if lower in SILENTLY_DROPPED and not aws:
                continue
            out.headers[name] = value if isinstance(value, str) else ",".join(value)
    body = convert_request_body(req.body, req.content_type, definition.binary_media_types,
                                integration.get("contentHandling"))
    templates = _lower_keys(integration.get("requestTemplates"))
    behaviour = str(integration.get("passthroughBehavior", "WHEN_NO_MATCH")).upper()
    media = _media(req.header("content-type"))
    template = templates.get(media)
    out.context = template_context(ctx)
    if template is None:
        if (templates and behaviour in ("WHEN_NO_TEMPLATES", "NEVER")) or (not templates and behaviour == "NEVER"):
            raise GatewayFailure("UNSUPPORTED_MEDIA_TYPE")
        out.body = body
        return out
    out.templated = True
    params = input_params(req.path_parameters, req.query_last(), req.headers)
    text = body.decode("utf-8", errors="replace")
    out.body = render_or_fail(str(template or ""), Input(text, params), out.context, definition.variables).encode()
    overrides = out.context.get("requestOverride") or {}
    for name, value in (overrides.get("header") or {}).items():
        out.headers[str(name)] = str(value)
    for name, value in (overrides.get("path") or {}).items():
        out.path[str(name)] = str(value)
    for name, value in (overrides.get("querystring") or {}).items():
        out.query = [(k, v) for k, v in out.query if k != name] + [(str(name), str(value))]
    return out


def render_or_fail(template: str, input: Input, context: VtlMap, variables: dict[str, str]) -> str:
    try:
        return render(template, input=input, context=context, stage_variables=variables)
    except TemplateFailure as exc:
        raise GatewayFailure("API_CONFIGURATION_ERROR", fixed=REST_INTEGRATION_ERROR,
                             log=f"mapping template error: {exc}") from None


def select_response(integration: dict, selection_value: str) -> dict:
    """The integration response whose selectionPattern matches the whole value (first defined wins),
    else the default one; none → 500 (API_CONFIGURATION_ERROR)."""
    responses = integration.get("responses")
    responses = responses if isinstance(responses, dict) else {}
    default = None
    for pattern, response in responses.items():
        if not isinstance(response, dict):
            continue
        if str(pattern) == "default" or str(pattern) == "":
            default = default or response
            continue
        try:
            if re.fullmatch(str(pattern), selection_value):
                return response
        except re.error:
            continue
    if default is None:
        raise GatewayFailure("API_CONFIGURATION_ERROR", log=f"no integration response matches '{selection_value}'")
    return default


def build_response(gw: Any, req: GatewayRequest, integration: dict, selection_value: str, status_hint: int,
                   headers: list[tuple[str, str]], body: bytes, request: IntegrationRequest, ctx: dict,
                   *, trace: bool) -> Response:
    definition = gw.definition
    chosen = select_response(integration, selection_value)
    try:
        status = int(str(chosen.get("statusCode", status_hint)))
    except ValueError:
        raise GatewayFailure("API_CONFIGURATION_ERROR", log=f"statusCode '{chosen.get('statusCode')}' is not a number")
    out_headers: list[tuple[str, str]] = []
    for key, expr in (chosen.get("responseParameters") or {}).items():
        key = str(key)
        if not key.startswith("method.response.header."):
            continue
        value = rest_response_value(str(expr), headers, body, ctx, definition.variables)
        if value is not None:
            name = key[len("method.response.header."):]
            out_headers.append((f"x-amzn-Remapped-{name}" if name.lower() in REMAPPED_MAPPED else name, value))
    backend_type = next((v for n, v in headers if n.lower() == "content-type"), None)
    payload = convert_response_body(body, backend_type, req.header("accept"), definition.binary_media_types,
                                    chosen.get("contentHandling"))
    templates = chosen.get("responseTemplates")
    context = request.context if request.context is not None else template_context(ctx)
    if isinstance(templates, dict) and templates:
        lowered = _lower_keys(templates)
        accept = first_accept(req.header("accept"))
        template = lowered.get(accept or "application/json")
        if template is None:
            template = next(iter(lowered.values()))
        if template:
            params = input_params(req.path_parameters, req.query_last(), req.headers)
            text = payload.decode("utf-8", errors="replace")
            payload = render_or_fail(str(template), Input(text, params), context, definition.variables).encode()
    override = context.get("responseOverride") or {}
    override_status = override.get("status")
    try:
        if override_status is not None and 100 <= int(str(override_status)) <= 599:
            status = int(str(override_status))
    except ValueError:
        pass
    for name, value in (override.get("header") or {}).items():
        out_headers = [(n, v) for n, v in out_headers if n.lower() != str(name).lower()]
        out_headers.append((str(name), str(value)))
    if not any(n.lower() == "content-type" for n, _ in out_headers):
        out_headers.append(("Content-Type", "application/json"))
    return Response(status, out_headers, payload, trace=trace)
