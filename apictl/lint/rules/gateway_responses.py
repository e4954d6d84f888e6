"""What integrations answer: REST integration responses map to a status code the method declares and set
only headers its method response declares; HTTP API response parameter mappings are keyed by a status code
and use response sources (sections 1.14.4, 1.14.6, 3.2, 3.5)."""
from __future__ import annotations

from ...lazy_re import lazy_compile
from ...model.messages import responses as method_responses
from ..gateway import rationale, static_text
from ..gateway_names import context_problem
from ..registry import Rule, check, declare
from .gateway_integrations import NAME, REST_RESPONSE_KEY, REST_RESPONSE_VALUE, _context, _finder, shape

declare(
    Rule("apigw-integration-response-status-undeclared", "error", "An integration response maps to a status code "
         "the operation does not declare", "Add that status code to the operation's responses, or map to one it has.",
         "gateway",
         example="responses: {'200': {description: ok}}\nx-amazon-apigateway-integration:\n  responses:\n"
                 "    '4\\d{2}': {statusCode: '400'}",
         rationale=rationale("1.14.4, 1.22 item 9", "an integration response needs a method response with the "
                             "same status code; the import is rejected")),
    Rule("apigw-response-header-undeclared", "error", "An integration response sets a method response header "
         "that the method response does not declare", "Declare the header under the operation's response "
         "`headers` for that status code (or drop the mapping).", "gateway",
         example="responses: {'200': {description: ok}}   # no headers\nx-amazon-apigateway-integration:\n"
                 "  responses:\n    default:\n      statusCode: '200'\n      responseParameters:\n"
                 "        method.response.header.Access-Control-Allow-Origin: \"'*'\"",
         rationale=rationale("1.14.6, 3.2", "import creates a method response parameter for each declared response "
                             "header only; mapping to any other is rejected with 'Invalid mapping expression "
                             "parameter specified'")),
)

HTTP_STATUS = lazy_compile(r"^[2-5]\d\d$")
HTTP_RESPONSE_KEY = lazy_compile(r"^((append|overwrite|remove):header\.[^\s]+|overwrite:statuscode)$")
HTTP_RESPONSE_SOURCE = lazy_compile(r"\$\{?(request|response|context|stageVariables)\.([A-Za-z0-9_]+)([A-Za-z0-9_.$-]*)")
METHOD_RESPONSE_HEADER = lazy_compile(rf"^method\.response\.header\.({NAME})$")


@check("apigw-integration-response-status-undeclared", "apigw-response-header-undeclared",
       "apigw-mapping-expression-invalid")
def check_integration_responses(ctx):
    api = ctx.api
    if not api.targets_gateway:
        return
    http = api.api_type == "http"
    for integ in api.integrations():
        find = _finder(ctx, integ)
        if http:
            mapping = integ.node.get("responseParameters")
            if isinstance(mapping, dict):
                yield from _http_response_parameters(find, mapping, ctx.options.params)
            continue
        responses = integ.node.get("responses")
        if isinstance(responses, dict):
            yield from _rest_response_mappings(ctx, find, responses)
            for op in integ.operations:
                yield from _rest_method_responses(_finder(ctx, integ, op), method_responses(ctx.api, op), responses)


def _rest_method_responses(find, declared: dict, responses: dict):
    """Each integration response maps to a status the operation declares, and sets only its declared headers."""
    for pattern, response in responses.items():
        if not isinstance(response, dict) or response.get("statusCode") is None:
            continue
        code = response["statusCode"]
        target = declared.get(str(code)) or declared.get("default")
        if target is None:
            if declared:
                yield find("apigw-integration-response-status-undeclared",
                           f"integration response '{pattern}' maps to status {code}, which the operation does not "
                           f"declare (it has {', '.join(sorted(declared))})", ("responses", pattern, "statusCode"))
            continue
        mapping = response.get("responseParameters")
        for key in (mapping if isinstance(mapping, dict) else ()):
            m = METHOD_RESPONSE_HEADER.match(str(key))
            if m and m.group(1).lower() not in target.headers:
                yield find("apigw-response-header-undeclared",
                           f"integration response '{pattern}' sets header {m.group(1)}, which response {target.status} "
                           "does not declare in its headers", ("responses", pattern, "responseParameters", key))


def _rest_response_mappings(ctx, find, responses: dict):
    for pattern, response in responses.items():
        mapping = response.get("responseParameters") if isinstance(response, dict) else None
        if not isinstance(mapping, dict):
            continue
        for key, raw in mapping.items():
            where = ("responses", pattern, "responseParameters", key)
            if not REST_RESPONSE_KEY.match(str(key)):
                yield find("apigw-mapping-expression-invalid", f"'{key}' is not a target method.response.header.NAME",
                           where)
            value = static_text(raw, ctx.options.params)
            if value is not None and not REST_RESPONSE_VALUE.match(shape(value)):
                yield find("apigw-mapping-expression-invalid", f"'{value}' is not a response mapping source "
                           "(integration.response.*, stageVariables.*, context.* or a 'quoted' static value)", where)
            elif value is not None:
                yield from _context(find, value, where)


def _http_response_parameters(find, mapping: dict, params: dict):
    """HTTP APIs: ``responseParameters: {"404": {"overwrite:statuscode": "500", "append:header.x": "$context.x"}}``."""
    for status, entries in mapping.items():
        where = ("responseParameters", status)
        if not HTTP_STATUS.match(str(status)):
            yield find("apigw-mapping-expression-invalid", f"response parameters are keyed by the backend status "
                       f"code (200-599), not '{status}'", where)
            continue
        if not isinstance(entries, dict):
            continue
        for key, raw in entries.items():
            if not HTTP_RESPONSE_KEY.match(str(key)):
                yield find("apigw-mapping-expression-invalid", f"'{key}' is not an HTTP API response mapping key "
                           "({append|overwrite|remove}:header.NAME or overwrite:statuscode)", where + (key,))
            value = static_text(raw, params)
            if value is None:
                continue
            if str(key) == "overwrite:statuscode" and "$" not in value and not HTTP_STATUS.match(value.strip()):
                yield find("apigw-mapping-expression-invalid", f"overwrite:statuscode needs a status code 200-599, "
                           f"not '{value}'", where + (key,))
            for m in HTTP_RESPONSE_SOURCE.finditer(value):
                source, member = m.group(1), m.group(2)
                if source == "request":
                    yield find("apigw-mapping-expression-invalid", f"'$request.{member}' is not available in a "
                               "response mapping ($response.header, $response.body, $context, $stageVariables)",
                               where + (key,))
                elif source == "response" and member not in ("header", "body"):
                    yield find("apigw-mapping-expression-invalid", f"'$response.{member}' is not a response source "
                               "(header, body)", where + (key,))
                elif source == "context":
                    problem = context_problem([member] + [p for p in m.group(3).split(".") if p])
                    if problem:
                        yield find("apigw-mapping-expression-invalid", problem, where + (key,))
