"""Integrations: required fields, URI formats (section 4), timeouts, streaming, HTTP API subtypes and
parameter-mapping expressions (section 3) that must name declared method request parameters."""
from __future__ import annotations

import re

from ...lazy_re import lazy_compile
from ...model.api import INTEGRATION, Integration
from ..gateway import PLACEHOLDER, rationale, static_text
from ..gateway_names import context_problem
from ..registry import Rule, check, declare

declare(
    Rule("apigw-integration-field-missing", "error", "An integration lacks a field its type requires",
         "Add the field: uri and httpMethod for every REST type but mock, connectionId with VPC_LINK, "
         "payloadFormatVersion on HTTP APIs.", "gateway",
         example="x-amazon-apigateway-integration:\n  type: aws_proxy\n  httpMethod: POST   # uri is missing",
         rationale=rationale("1.14, 1.22 items 1, 3 and 7", "API Gateway rejects the import")),
    Rule("apigw-integration-uri-invalid", "error", "An integration URI does not have the shape its type needs",
         "Lambda: arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations; "
         "AWS service: arn:aws:apigateway:{region}:{service}:action/{Action} or :path/{path}; HTTP: an absolute "
         "http(s) URL on port 80, 443 or above 1024.", "gateway",
         example="x-amazon-apigateway-integration:\n  type: aws_proxy\n  httpMethod: POST\n"
                 "  uri: arn:aws:lambda:eu-west-1:123456789012:function:f   # REST needs the invocation URI",
         rationale=rationale("4.1-4.4, 1.22 item 4", "a malformed URI is rejected on import or fails every call")),
    Rule("apigw-lambda-http-method", "error", "A Lambda integration's httpMethod is not POST",
         "Set httpMethod: POST (it is the method API Gateway uses to call Lambda, not your route's method).",
         "gateway",
         example="x-amazon-apigateway-integration:\n  type: aws_proxy\n  httpMethod: GET\n"
                 "  uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:"
                 "123456789012:function:f/invocations",
         rationale=rationale("4.1, 1.22 item 2", "Lambda's Invoke action only answers POST; every call fails")),
    Rule("apigw-integration-timeout-range", "error", "timeoutInMillis is outside what API Gateway accepts",
         "Use 50-29000 ms (REST) or 50-30000 ms (HTTP).", "gateway",
         example="x-amazon-apigateway-integration: {type: aws_proxy, timeoutInMillis: 45000}   # an HTTP API",
         rationale=rationale("1.14, 7.2, 7.3", "HTTP APIs cap at 30 s; REST rejects values over the raised maximum")),
    Rule("apigw-integration-timeout-quota", "warning", "A REST timeout above 29 s needs a Service Quotas increase",
         "Ask for quota L-E5AE38E3 (Regional and private APIs only), or stay at 29000 ms or below.", "gateway",
         example="x-amazon-apigateway-integration: {type: aws_proxy, timeoutInMillis: 60000}",
         rationale=rationale("7.2", "without the increase (and on edge-optimized APIs) the import fails")),
    Rule("apigw-response-streaming", "error", "Response streaming settings do not fit together",
         "STREAM needs a REST http_proxy/aws_proxy integration, and for Lambda the 2021-11-15 "
         ".../response-streaming-invocations URI; that URI needs STREAM.", "gateway",
         example="x-amazon-apigateway-integration:\n  type: aws\n  responseTransferMode: STREAM",
         rationale=rationale("1.14, 4.1, 1.22 item 5", "API Gateway does not support the combination")),
    Rule("apigw-payload-format-version", "error", "payloadFormatVersion 2.0 on an integration that is not Lambda",
         "Use payloadFormatVersion '1.0' for HTTP_PROXY and AWS service integrations.", "gateway",
         example="x-amazon-apigateway-integration: {type: HTTP_PROXY, payloadFormatVersion: '2.0', uri: 'https://x'}",
         rationale=rationale("4.5, 1.22 item 7", "only Lambda proxy integrations understand format 2.0")),
    Rule("apigw-integration-subtype", "error", "An AWS service integration (integrationSubtype) is incomplete",
         "Use type AWS_PROXY, a credentials role, and every required request parameter of the subtype.",
         "gateway",
         example="x-amazon-apigateway-integration:\n  type: AWS_PROXY\n  integrationSubtype: SQS-SendMessage\n"
                 "  requestParameters: {MessageBody: $request.body}   # QueueUrl missing",
         rationale=rationale("4.5, 1.22 item 8", "API Gateway rejects the integration")),
    Rule("apigw-mapping-expression-invalid", "error", "A parameter-mapping entry is not a valid mapping expression",
         "REST: integration.request.{path|querystring|header}.NAME = method.request.{...}.NAME, "
         "stageVariables.NAME, context.VAR or a 'quoted' value; HTTP: {append|overwrite|remove}:{header|"
         "querystring}.NAME or overwrite:path.", "gateway",
         example="requestParameters:\n  integration.request.header.X-Id: method.request.header.X-Id   # fine\n"
                 "  integration.request.header.X-Env: prod   # static values need quotes: \"'prod'\"",
         rationale=rationale("3.1, 3.2, 3.5", "API Gateway rejects the import ('Invalid mapping expression')")),
    Rule("apigw-mapping-parameter-undeclared", "error", "A mapping uses a method request parameter the operation "
         "does not declare", "Declare the parameter on the operation (in: path|query|header).", "gateway",
         example="parameters: []\nx-amazon-apigateway-integration:\n  requestParameters:\n"
                 "    integration.request.header.origin: method.request.header.origin",
         rationale=rationale("1.14.2, 3.1, 1.22 item 10",
                             "method request parameters must be declared before use; the import is rejected")),
    Rule("apigw-integration-missing", "error", "A REST operation has no x-amazon-apigateway-integration",
         "Add an x-amazon-apigateway-integration (type mock for a placeholder), a SAM function `Api` event for "
         "the route, or remove the operation.", "gateway",
         example="paths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}   # no integration",
         rationale=rationale("1.14", "REST import accepts a method without an integration, but every deployment "
                             "of the API then fails with 'No integration defined for method' (SAM adds the "
                             "integrations of the function events that name the route, so those count)")),
)

NAME = r"[A-Za-z0-9._$-]+"
REST_REQUEST_KEY = lazy_compile(rf"^integration\.request\.(path|querystring|header)\.{NAME}$")
REST_REQUEST_VALUE = lazy_compile(
    rf"^(method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.{NAME}"
    rf"|method\.request\.body(\..+)?|\$?stageVariables\.[A-Za-z0-9_]+|\$?context\.[A-Za-z0-9_.]+|'.*')$", re.S)
REST_RESPONSE_KEY = lazy_compile(rf"^method\.response\.header\.{NAME}$")
REST_RESPONSE_VALUE = lazy_compile(
    rf"^(integration\.response\.(header|multivalueheader)\.{NAME}|integration\.response\.body(\..+)?"
    rf"|\$?stageVariables\.[A-Za-z0-9_]+|\$?context\.[A-Za-z0-9_.]+|'.*')$", re.S)
CACHE_KEY = lazy_compile(rf"^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.{NAME}$")
HTTP_REQUEST_KEY = lazy_compile(r"^((append|overwrite|remove):(header|querystring)\.[^\s]+|overwrite:path)$")
HTTP_SOURCE = lazy_compile(r"\$\{?(request|response|context|stageVariables)\.([A-Za-z0-9_]+)([A-Za-z0-9_.$-]*)")
METHOD_REQUEST = lazy_compile(rf"^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.({NAME})$")
LOCATIONS = {"path": "path", "querystring": "query", "multivaluequerystring": "query", "header": "header",
             "multivalueheader": "header"}

P = "\x00"  # stands for one ${...} placeholder (Fn::Sub variable, Terraform variable, stage variable)
PARTITION, REGION, ACCOUNT = rf"(aws[a-z-]*|{P})", rf"([a-z0-9-]+|{P})", rf"(\d{{12}}|{P})"
LAMBDA_URI = lazy_compile(rf"^arn:{PARTITION}:apigateway:{REGION}:lambda:path/+(2015-03-31|2021-11-15)/functions/"
                          rf"(?P<fn>.+)/(?P<action>invocations|response-streaming-invocations)$")
FUNCTION_ARN = lazy_compile(rf"^(arn:{PARTITION}:lambda:{REGION}:{ACCOUNT}:function:([A-Za-z0-9_-]|{P})+"
                            rf"(:([A-Za-z0-9_$-]|{P})+)?|[^/]*{P}[^/]*)$")
SERVICE_URI = lazy_compile(rf"^arn:{PARTITION}:apigateway:{REGION}:([a-z0-9.-]+|{P}):((path|action)/.*|{P}.*)$", re.S)
URL = lazy_compile(rf"^https?://(?:[^@/\s]*@)?(\[[^\]]+\]|[^:/?#\s]+)(?::(\d+|{P}))?([/?#].*)?$", re.S)
HTTP_PRIVATE_TARGET = lazy_compile(rf"^arn:{PARTITION}:(elasticloadbalancing|servicediscovery):.+|^{P}$")

SUBTYPE_PARAMETERS = {
    "EventBridge-PutEvents": (("Detail", "DetailType", "Source"),
                              ("Time", "EventBusName", "Resources", "Region", "TraceHeader")),
    "SQS-SendMessage": (("QueueUrl", "MessageBody"), ("DelaySeconds", "MessageAttributes", "MessageDeduplicationId",
                                                      "MessageGroupId", "MessageSystemAttributes", "Region")),
    "SQS-ReceiveMessage": (("QueueUrl",), ("AttributeNames", "MaxNumberOfMessages", "MessageAttributeNames",
                                           "ReceiveRequestAttemptId", "VisibilityTimeout", "WaitTimeSeconds", "Region")),
    "SQS-DeleteMessage": (("ReceiptHandle", "QueueUrl"), ("Region",)),
    "SQS-PurgeQueue": (("QueueUrl",), ("Region",)),
    "AppConfig-GetConfiguration": (("Application", "Environment", "Configuration", "ClientId"),
                                   ("ClientConfigurationVersion", "Region")),
    "Kinesis-PutRecord": (("StreamName", "Data", "PartitionKey"), ("SequenceNumberForOrdering", "ExplicitHashKey",
                                                                    "Region")),
    "StepFunctions-StartExecution": (("StateMachineArn",), ("Name", "Input", "Region")),
    "StepFunctions-StartSyncExecution": (("StateMachineArn",), ("Name", "Input", "Region", "TraceHeader")),
    "StepFunctions-StopExecution": (("ExecutionArn",), ("Cause", "Error", "Region")),
}


def shape(text: str) -> str:
    return PLACEHOLDER.sub(P, text)


def _integrations(ctx):
    return ctx.api.integrations() if ctx.api.targets_gateway else []


@check("apigw-integration-field-missing", "apigw-integration-uri-invalid", "apigw-lambda-http-method",
       "apigw-response-streaming", "apigw-payload-format-version")
def check_integration_target(ctx):
    http = ctx.api.api_type == "http"
    for integ in _integrations(ctx):
        node, kind = integ.node, integ.type
        if not kind:
            continue  # the extension schema reports a missing type
        find = _finder(ctx, integ)
        missing = []
        if node.get("connectionType") == "VPC_LINK" and "connectionId" not in node:
            missing.append("connectionId (connectionType is VPC_LINK)")
        if http:
            if "payloadFormatVersion" not in node:
                missing.append("payloadFormatVersion (required on HTTP APIs)")
            if kind in ("aws_proxy", "http_proxy") and "uri" not in node and "integrationSubtype" not in node:
                missing.append("uri")
        elif kind != "mock":
            missing += [f for f in ("uri", "httpMethod") if f not in node]
        for name in missing:
            yield find("apigw-integration-field-missing", f"integration of type {node['type']} needs {name}", ())
        uri = static_text(node.get("uri"), ctx.options.params)
        lambda_match = None
        if uri is not None and "uri" in node:
            lambda_match, problem = _check_uri(uri, kind, http, node)
            if problem:
                yield find("apigw-integration-uri-invalid", f"uri '{uri}': {problem}", ("uri",))
        method = node.get("httpMethod")
        if lambda_match and isinstance(method, str) and method.upper() != "POST":
            yield find("apigw-lambda-http-method", f"Lambda integrations are called with POST, not {method}",
                       ("httpMethod",))
        yield from _streaming(find, node, kind, http, lambda_match)
        version = str(node.get("payloadFormatVersion", ""))
        if http and version.startswith("2") and (kind != "aws_proxy" or "integrationSubtype" in node):
            yield find("apigw-payload-format-version",
                       "payloadFormatVersion 2.0 works only with Lambda proxy (AWS_PROXY) integrations",
                       ("payloadFormatVersion",))


def _finder(ctx, integ: Integration, op=None):
    """Findings about the integration; with ``op``, about its use by that operation (a shared integration
    is used by several)."""
    label = integ.label if op is None or op is integ.operation else f"{op.label} (integration '{integ.name}')"

    def find(rule: str, message: str, rel: tuple):
        return ctx.finding(rule, f"{label}: {message}", integ.pointer + rel, integ.document)

    return find


def _check_uri(uri: str, kind: str, http: bool, node: dict) -> tuple[re.Match | None, str]:
    """(the Lambda URI match if it is one, the problem or '')."""
    text = shape(uri)
    if text == P:
        return None, ""
    if kind in ("aws", "aws_proxy"):
        if ":lambda:path/" in text:
            m = LAMBDA_URI.match(text)
            if not m:
                return None, ("not a Lambda invocation URI arn:aws:apigateway:{region}:lambda:path/2015-03-31/"
                              "functions/{function ARN}/invocations")
            if not FUNCTION_ARN.match(m.group("fn")):
                return m, f"'{m.group('fn')}' is not a Lambda function ARN arn:aws:lambda:{{region}}:{{account}}:" \
                          "function:{name}[:{alias}]"
            return m, ""
        if http and kind == "aws_proxy" and text.startswith("arn:") and ":lambda:" in text:
            return (None, "") if FUNCTION_ARN.match(text) else (None, "not a Lambda function ARN")
        if text.startswith("arn:") and ":apigateway:" not in text and not http:
            return None, "REST AWS integrations need an arn:aws:apigateway:{region}:{service}:... URI " \
                         "(for Lambda: the .../functions/{function ARN}/invocations form)"
        if not SERVICE_URI.match(text):
            return None, "not an AWS integration URI arn:aws:apigateway:{region}:{service}:{action|path}/..."
        return None, ""
    if kind in ("http", "http_proxy"):
        if http and node.get("connectionType") == "VPC_LINK":
            if HTTP_PRIVATE_TARGET.match(text):
                return None, ""
            return None, "a private HTTP API integration needs the ARN of an ALB/NLB listener or Cloud Map service"
        m = URL.match(text)
        if not m and text.startswith(P):
            return None, ""  # scheme and host come from a variable
        if not m:
            return None, "not an absolute http:// or https:// URL"
        port = m.group(2)
        if not http and port and port != P and int(port) not in (80, 443) and int(port) <= 1024:
            return None, f"port {port}: REST APIs reach only ports 80, 443 and above 1024"
    return None, ""


def _streaming(find, node: dict, kind: str, http: bool, lambda_match):
    mode = node.get("responseTransferMode")
    streaming_uri = bool(lambda_match and lambda_match.group("action") == "response-streaming-invocations")
    if mode == "STREAM":
        if http or kind not in ("http_proxy", "aws_proxy"):
            yield find("apigw-response-streaming", "responseTransferMode STREAM needs a REST http_proxy or aws_proxy "
                       "integration", ("responseTransferMode",))
        elif lambda_match and not streaming_uri:
            yield find("apigw-response-streaming", "streaming from Lambda needs the .../2021-11-15/functions/"
                       "{function ARN}/response-streaming-invocations URI", ("uri",))
    elif streaming_uri:
        yield find("apigw-response-streaming", "the response-streaming-invocations URI needs responseTransferMode: "
                   "STREAM", ("uri",))


@check("apigw-integration-timeout-range", "apigw-integration-timeout-quota")
def check_timeouts(ctx):
    http = ctx.api.api_type == "http"
    for integ in _integrations(ctx):
        value = integ.node.get("timeoutInMillis")
        if isinstance(value, bool) or not isinstance(value, int):
            continue  # the schema reports non-integers
        find = _finder(ctx, integ)
        streaming = integ.node.get("responseTransferMode") == "STREAM"
        ceiling = 30000 if http else (900000 if streaming else 300000)
        if value < 50 or value > ceiling:
            limit = "50-30000 ms on HTTP APIs" if http else f"50-{ceiling} ms even with a raised quota"
            yield find("apigw-integration-timeout-range", f"timeoutInMillis {value} is outside {limit}",
                       ("timeoutInMillis",))
        elif not http and value > 29000:
            yield find("apigw-integration-timeout-quota", f"timeoutInMillis {value} is above the default 29000 ms "
                       "maximum (needs quota L-E5AE38E3; Regional/private APIs only)", ("timeoutInMillis",))


@check("apigw-integration-subtype")
def check_subtypes(ctx):
    for integ in _integrations(ctx):
        subtype = integ.node.get("integrationSubtype")
        if not isinstance(subtype, str) or subtype not in SUBTYPE_PARAMETERS:
            continue
        find = _finder(ctx, integ)
        if integ.type != "aws_proxy":
            yield find("apigw-integration-subtype", f"integrationSubtype {subtype} needs type AWS_PROXY", ("type",))
        if "credentials" not in integ.node:
            yield find("apigw-integration-subtype", f"{subtype} needs credentials (an IAM role API Gateway assumes)",
                       ("integrationSubtype",))
        params = integ.node.get("requestParameters")
        params = params if isinstance(params, dict) else {}
        required, optional = SUBTYPE_PARAMETERS[subtype]
        absent = [p for p in required if p not in params]
        if absent:
            yield find("apigw-integration-subtype", f"{subtype} needs request parameter(s) {', '.join(absent)}",
                       ("requestParameters",) if "requestParameters" in integ.node else ("integrationSubtype",))
        for key in params:
            if key not in required and key not in optional:
                yield find("apigw-integration-subtype", f"{subtype} has no parameter '{key}' (it takes "
                           f"{', '.join(required + optional)})", ("requestParameters", key))


@check("apigw-mapping-expression-invalid", "apigw-mapping-parameter-undeclared")
def check_mappings(ctx):
    http = ctx.api.api_type == "http"
    params = ctx.options.params
    for integ in _integrations(ctx):
        find = _finder(ctx, integ)
        node = integ.node
        uses = [(_finder(ctx, integ, op), _declared(op)) for op in integ.operations]
        request = node.get("requestParameters")
        if isinstance(request, dict) and "integrationSubtype" not in node:
            for key, raw in request.items():
                value = static_text(raw, params)
                where = ("requestParameters", key)
                if http:
                    yield from _http_mapping(find, str(key), value, where)
                    continue
                if not REST_REQUEST_KEY.match(str(key)):
                    yield find("apigw-mapping-expression-invalid", f"'{key}' is not a target integration.request."
                               "{path|querystring|header}.NAME", where)
                if value is None:
                    continue
                if not REST_REQUEST_VALUE.match(shape(value)):
                    yield find("apigw-mapping-expression-invalid", f"'{value}' is not a mapping source (method.request."
                               "*, stageVariables.*, context.* or a 'quoted' static value)", where)
                else:
                    yield from _context(find, value, where)
                    for use, declared in uses:
                        yield from _undeclared(use, value, declared, where)
        cache_keys = node.get("cacheKeyParameters")
        if isinstance(cache_keys, list) and not http:
            for i, key in enumerate(cache_keys):
                if isinstance(key, str):
                    if not CACHE_KEY.match(key):
                        yield find("apigw-mapping-expression-invalid", f"cache key '{key}' is not method.request."
                                   "{path|querystring|header}.NAME", ("cacheKeyParameters", i))
                    else:
                        for use, declared in uses:
                            yield from _undeclared(use, key, declared, ("cacheKeyParameters", i))


def _http_mapping(find, key: str, value: str | None, where: tuple):
    if not HTTP_REQUEST_KEY.match(key):
        yield find("apigw-mapping-expression-invalid", f"'{key}' is not an HTTP API mapping key "
                   "({append|overwrite|remove}:{header|querystring}.NAME or overwrite:path)", where)
    if value is None:
        return
    for m in HTTP_SOURCE.finditer(value):
        source, member = m.group(1), m.group(2)
        if source == "request" and member not in ("header", "querystring", "path", "body"):
            yield find("apigw-mapping-expression-invalid", f"'$request.{member}' is not a request source (header, "
                       "querystring, path, body)", where)
        elif source == "context":
            problem = context_problem([member] + [p for p in m.group(3).split(".") if p])
            if problem:
                yield find("apigw-mapping-expression-invalid", problem, where)


def _context(find, value: str, where: tuple):
    bare = value.lstrip("$")
    if bare.startswith("context."):
        problem = context_problem(bare.split(".")[1:])
        if problem:
            yield find("apigw-mapping-expression-invalid", problem, where)


def _declared(op) -> set[tuple[str, str]]:
    out = set()
    for p in op.parameters:
        name = p.name.rstrip("+")
        out.add((p.location, name.lower() if p.location == "header" else name))
    return out


def _undeclared(find, value: str, declared: set, where: tuple):
    m = METHOD_REQUEST.match(value)
    if not m:
        return
    location = LOCATIONS[m.group(1)]
    name = m.group(2).rstrip("+")
    key = (location, name.lower() if location == "header" else name)
    if key not in declared:
        yield find("apigw-mapping-parameter-undeclared",
                   f"'{value}' names {location} parameter '{name}', which the operation does not declare", where)


@check("apigw-integration-missing")
def check_missing_integrations(ctx):
    api = ctx.api
    if not api.targets_gateway or api.api_type != "rest":
        return
    routes = ctx.source.embedded.event_routes if ctx.source.embedded else set()
    for op in api.operations:
        if INTEGRATION in op.node or (op.path, op.method) in routes or (op.path, "any") in routes:
            continue
        yield ctx.finding("apigw-integration-missing", f"{op.label} has no {INTEGRATION}: the import succeeds, but "
                          "deploying the API fails with 'No integration defined for method'", op.pointer, op.document)
