"""What ``apictl serve`` runs: the API model and one stage, turned into routes, integrations and
authorizers, with every part serve cannot run listed (with its position) before it starts.

Built once per (re)load from the existing model (``apictl.model``), the stage (``apictl.stages``) and
the ``serve:`` settings; request handling only reads it.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from ..model.api import AUTHTYPE, INTEGRATION, Api, Operation
from ..model.messages import request_body, responses, security_requirements
from ..source.document import Document
from .gateway_errors import HTTP_DEFAULT_TIMEOUT_MS, REST_DEFAULT_TIMEOUT_MS
from .handlers import HandlerRegistry
from .settings import ServeSettings

STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")
LAMBDA_URI = re.compile(r"functions/(?P<arn>.+?)/invocations$")
FUNCTION_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:(?P<region>[^:]*):(?P<account>[^:]*):function:(?P<name>[^:/]+)"
                          r"(?::(?P<qualifier>[^:/]+))?$")
AWS_SERVICE_URI = re.compile(r"^arn:aws[a-z-]*:apigateway:(?P<region>[^:]*):(?P<service>[^:]+):"
                             r"(?P<kind>path|action)/(?P<rest>.*)$")
REST_TYPES = ("mock", "http", "http_proxy", "aws", "aws_proxy")
HTTP_TYPES = ("aws_proxy", "http_proxy")
DEFAULT_ACCOUNT = "123456789012"


@dataclass
class Problem:
    """Something in the definition serve cannot run (one line at start-up, exit 2)."""

    message: str
    document: Document | None = None
    pointer: tuple = ()

    def one_line(self) -> str:
        if self.document is None:
            return f"apictl: error: {self.message}"
        line, col = self.document.position(self.pointer)
        return f"{self.document.display}:{line}:{col}: error: {self.message}"


@dataclass
class LambdaTarget:
    """A Lambda function named in an integration or authorizer URI (stage variables already applied)."""

    name: str  # function name (no qualifier)
    arn: str
    handler_key: str  # the name the handler is registered under


@dataclass
class Authorizer:
    name: str  # the security scheme name
    type: str  # token | request | cognito_user_pools | jwt | iam
    node: dict
    header: str = "Authorization"  # TOKEN / Cognito identity header
    identity_sources: list[str] = field(default_factory=list)
    validation_regex: str | None = None
    ttl: int = 300
    function: LambdaTarget | None = None
    payload_version: str = "1.0"  # HTTP API Lambda authorizers
    simple_responses: bool = False
    issuer: str | None = None
    audiences: list[str] = field(default_factory=list)
    jwks: str | None = None  # file or URL
    id: str = ""


@dataclass
class Method:
    """A REST method or an HTTP API route."""

    operation: Operation
    resource_path: str  # "/products/{productId}"; HTTP: the route path or "$default"
    http_method: str  # GET ... or ANY
    integration: dict
    integration_at: tuple[Document, tuple]
    type: str  # mock | http | http_proxy | aws | aws_proxy
    authorizer: Authorizer | None = None
    scopes: list[str] = field(default_factory=list)
    api_key_required: bool = False
    validate_body: bool = False
    validate_params: bool = False
    required_params: list[str] = field(default_factory=list)  # method.request.header.X ...
    body_models: dict[str, Any] = field(default_factory=dict)  # media type -> schema node
    response_headers: dict[str, set[str]] = field(default_factory=dict)  # status -> declared header names (lower)
    lambda_target: LambdaTarget | None = None
    resource_id: str = ""
    timeout_ms: int = REST_DEFAULT_TIMEOUT_MS

    @property
    def route_key(self) -> str:
        if self.resource_path == "$default":
            return "$default"
        return f"{self.http_method} {self.resource_path}"


@dataclass
class Definition:
    api: Api
    api_type: str  # rest | http
    stage: str
    variables: dict[str, str]
    settings: ServeSettings
    stage_settings: dict
    methods: list[Method] = field(default_factory=list)
    authorizers: dict[str, Authorizer] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    api_id: str = ""
    region: str = "us-east-1"
    account_id: str = DEFAULT_ACCOUNT
    binary_media_types: list[str] = field(default_factory=list)
    gateway_responses: dict[str, dict] = field(default_factory=dict)
    api_key_source: str = "HEADER"
    cors: dict | None = None
    deployment_id: str = ""

    @property
    def is_rest(self) -> bool:
        return self.api_type == "rest"


def render_stage_variables(text: str, variables: dict[str, str]) -> str:
    return STAGE_VARIABLE.sub(lambda m: variables.get(m.group(1), ""), text)


def short_id(*parts: str, length: int = 10) -> str:
    digest = hashlib.sha256("\0".join(parts).encode()).digest()
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(alphabet[b % len(alphabet)] for b in digest[:length])


def static_value(value: Any, definition: "Definition") -> Any:
    """A CloudFormation intrinsic in a URI (``Fn::Sub``, ``Ref``) as the string it deploys to: ``--param``
    values and the pseudo parameters first; then ``${Fn.Arn}`` of an unknown resource becomes the ARN of a
    Lambda function named after the resource (the name to give ``--lambda``) and ``${Name}`` its name."""
    from ..source.intrinsics import is_intrinsic, substitute

    if not is_intrinsic(value):
        return value
    params = {"AWS::Region": definition.region, "AWS::AccountId": definition.account_id, "AWS::Partition": "aws",
              "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": "local", **definition.settings.params}
    resolved = substitute(value, params)
    if isinstance(resolved, str):
        return resolved
    key, arg = next(iter(value.items()))
    if key == "Ref" and isinstance(arg, str):
        return arg
    template = arg if isinstance(arg, str) else arg[0] if isinstance(arg, list) and arg and isinstance(arg[0], str) else None
    if key != "Fn::Sub" or template is None:
        return value

    def replace(m: re.Match) -> str:
        name = m.group(1).strip()
        if name in params:
            return params[name]
        if name.endswith(".Arn"):
            return f"arn:aws:lambda:{definition.region}:{definition.account_id}:function:{name[:-4]}"
        return name.split(".", 1)[0]

    return re.sub(r"\$\{([^}!]+)\}", replace, template)


def lambda_target(uri: Any, variables: dict[str, str], handlers: HandlerRegistry) -> LambdaTarget | None:
    """The function an integration/authorizer URI invokes, or None when the URI names none."""
    if not isinstance(uri, str):
        return None
    raw_match = LAMBDA_URI.search(uri)
    raw_arn = raw_match.group("arn") if raw_match else uri
    rendered = render_stage_variables(raw_arn, variables)
    m = FUNCTION_ARN.match(rendered)
    if m:
        name, arn = m.group("name"), rendered
        qualified = f"{name}:{m.group('qualifier')}" if m.group("qualifier") else name
    elif raw_match is None and not uri.startswith("arn:"):
        name = qualified = arn = rendered
    else:
        return None
    raw_name_match = FUNCTION_ARN.match(raw_arn.replace("${", "").replace("}", ""))
    candidates = [qualified, name, arn]
    if raw_name_match:
        candidates.append(raw_arn.split(":function:", 1)[-1].split(":")[0])
    key = next((c for c in candidates if c in handlers), name)
    return LambdaTarget(name=name, arn=arn, handler_key=key)


def build_definition(api: Api, stage: str, stage_settings: dict, settings: ServeSettings) -> Definition:
    variables = dict(stage_settings.get("variables") or {})
    d = Definition(api=api, api_type=api.api_type, stage=stage, variables=variables, settings=settings,
                   stage_settings=stage_settings)
    d.api_id = short_id(api.title or api.document.display)
    d.deployment_id = short_id(api.document.text, length=6)
    d.region = settings.region or _region_from_uris(api) or "us-east-1"
    data = api.data
    bmt = data.get("x-amazon-apigateway-binary-media-types")
    d.binary_media_types = [str(t) for t in bmt] if isinstance(bmt, list) else []
    grs = data.get("x-amazon-apigateway-gateway-responses")
    d.gateway_responses = {str(k): v for k, v in grs.items() if isinstance(v, dict)} if isinstance(grs, dict) else {}
    source = data.get("x-amazon-apigateway-api-key-source")
    d.api_key_source = str(source).upper() if isinstance(source, str) else "HEADER"
    cors = data.get("x-amazon-apigateway-cors")
    d.cors = cors if isinstance(cors, dict) and not d.is_rest else None
    validators = data.get("x-amazon-apigateway-request-validators")
    validators = validators if isinstance(validators, dict) else {}
    default_validator = data.get("x-amazon-apigateway-request-validator")
    for op in api.operations:
        method = _method(d, op, validators, default_validator)
        if method is not None:
            d.methods.append(method)
    return d


def _region_from_uris(api: Api) -> str | None:
    for op in api.operations:
        uri = (op.integration or {}).get("uri")
        if isinstance(uri, str):
            m = re.match(r"^arn:aws[a-z-]*:apigateway:([a-z0-9-]+):", uri)
            if m:
                return m.group(1)
    return None


def _method(d: Definition, op: Operation, validators: dict, default_validator: Any) -> Method | None:
    api = d.api
    raw = op.node.get(INTEGRATION)
    if raw is None:
        d.problems.append(Problem(f"{op.label}: no x-amazon-apigateway-integration, so serve cannot answer it",
                                  op.document, op.pointer))
        return None
    doc, ptr, node = api.deref(op.document, raw, op.pointer + (INTEGRATION,))
    if not isinstance(node, dict):
        d.problems.append(Problem(f"{op.label}: the integration is not an object", op.document,
                                  op.pointer + (INTEGRATION,)))
        return None
    if "uri" in node and not isinstance(node["uri"], str):
        node = {**node, "uri": static_value(node["uri"], d)}
    kind = str(node.get("type", "")).lower()
    allowed = REST_TYPES if d.is_rest else HTTP_TYPES
    path = "$default" if (not d.is_rest and op.path == "/$default") else op.path
    http_method = op.http_method
    method = Method(operation=op, resource_path=path, http_method=http_method, integration=node,
                    integration_at=(doc, ptr), type=kind,
                    resource_id=short_id(op.path, length=6),
                    timeout_ms=_timeout(node, d.is_rest))
    if kind not in allowed:
        api_kind = "REST" if d.is_rest else "HTTP"
        d.problems.append(Problem(f"{op.label}: integration type '{node.get('type')}' is not supported by "
                                  f"{api_kind} APIs in serve (supported: {', '.join(t.upper() for t in allowed)})",
                                  doc, ptr + ("type",) if "type" in node else ptr))
        return None
    if node.get("connectionType", "INTERNET") == "VPC_LINK" and not str(node.get("uri", "")).startswith("http"):
        d.problems.append(Problem(f"{op.label}: a private integration to '{node.get('uri')}' cannot be reached "
                                  "locally (give it an http(s) uri)", doc, ptr))
        return None
    _integration_target(d, method, op, node, doc, ptr)
    _security(d, method, op)
    _validation(d, method, op, validators, default_validator)
    for status, resp in responses(api, op).items():
        method.response_headers[status] = set(resp.headers)
    return method


def _timeout(node: dict, rest: bool) -> int:
    value = node.get("timeoutInMillis")
    default = REST_DEFAULT_TIMEOUT_MS if rest else HTTP_DEFAULT_TIMEOUT_MS
    try:
        return max(50, int(value)) if value is not None else default
    except (TypeError, ValueError):
        return default


def _integration_target(d: Definition, method: Method, op: Operation, node: dict, doc: Document, ptr: tuple) -> None:
    uri = node.get("uri")
    kind = method.type
    is_lambda = isinstance(uri, str) and (":lambda:path/" in uri or uri.startswith("arn:aws:lambda:")
                                          or (kind == "aws_proxy" and "integrationSubtype" not in node))
    if kind in ("aws_proxy", "aws") and is_lambda:
        target = lambda_target(uri, d.variables, d.settings.handlers)
        if target is None:
            d.problems.append(Problem(f"{op.label}: cannot read the Lambda function from uri '{uri}'", doc,
                                      ptr + ("uri",)))
            return
        if target.handler_key not in d.settings.handlers:
            d.problems.append(Problem(
                f"{op.label}: Lambda function '{target.name}' has no handler; give one with "
                f"--lambda {target.name}=module:function (or --lambda {target.name}=-- command)", doc, ptr + ("uri",)))
            return
        method.lambda_target = target
        return
    if kind == "aws_proxy":  # HTTP API AWS service integration (integrationSubtype)
        if not isinstance(node.get("integrationSubtype"), str):
            d.problems.append(Problem(f"{op.label}: AWS_PROXY integration without a Lambda uri or integrationSubtype",
                                      doc, ptr))
        return
    if kind == "aws":
        if not isinstance(uri, str) or not AWS_SERVICE_URI.match(uri):
            d.problems.append(Problem(f"{op.label}: AWS integration uri '{uri}' is neither a Lambda function nor "
                                      "arn:aws:apigateway:REGION:SERVICE:path|action/...", doc, ptr + ("uri",)))
        return
    if kind in ("http", "http_proxy"):
        if not isinstance(uri, str) or not uri.startswith(("http://", "https://", "${stageVariables.")):
            d.problems.append(Problem(f"{op.label}: {kind.upper()} integration needs an http(s) uri, not '{uri}'",
                                      doc, ptr + ("uri",) if "uri" in node else ptr))


def _security(d: Definition, method: Method, op: Operation) -> None:
    api = d.api
    if d.is_rest and "security" not in op.node:
        alternatives: list[dict[str, list[str]]] = []  # REST import ignores root-level security
    else:
        alternatives, _ = security_requirements(api, op)
    auth_type = op.node.get("x-amazon-apigateway-auth")
    if isinstance(auth_type, dict) and str(auth_type.get("type", "")).upper() == "AWS_IAM":
        method.authorizer = _iam(d)
    for alternative in alternatives[:1]:  # API Gateway applies one requirement (the first)
        for scheme_name, scopes in alternative.items():
            scheme = api.security_schemes.get(scheme_name)
            if scheme is None:
                continue
            node = scheme.node
            authtype = str(node.get(AUTHTYPE, "")).lower()
            if authtype == "awssigv4":
                method.authorizer = _iam(d)
            elif scheme.authorizer is not None:
                method.authorizer = _authorizer(d, scheme_name, scheme.node, scheme.document, scheme.pointer)
                method.scopes = list(scopes)
            elif node.get("type") == "apiKey" and str(node.get("name", "")).lower() == "x-api-key" and d.is_rest:
                method.api_key_required = True
            elif scopes and not d.is_rest and method.authorizer is not None:
                method.scopes = list(scopes)
        if not d.is_rest and method.authorizer is not None and not method.scopes:
            method.scopes = [s for scopes in alternative.values() for s in scopes]


def _iam(d: Definition) -> Authorizer:
    if "$iam" not in d.authorizers:
        d.authorizers["$iam"] = Authorizer(name="$iam", type="iam", node={}, id="iam")
    return d.authorizers["$iam"]


def _authorizer(d: Definition, name: str, scheme: dict, doc: Document, ptr: tuple) -> Authorizer | None:
    if name in d.authorizers:
        return d.authorizers[name]
    node = scheme.get("x-amazon-apigateway-authorizer") or {}
    if "authorizerUri" in node and not isinstance(node["authorizerUri"], str):
        node = {**node, "authorizerUri": static_value(node["authorizerUri"], d)}
    at = ptr + ("x-amazon-apigateway-authorizer",)
    kind = str(node.get("type", "")).lower()
    auth = Authorizer(name=name, type=kind, node=node, id=short_id(name, length=6))
    d.authorizers[name] = auth
    ttl = node.get("authorizerResultTtlInSeconds")
    try:
        auth.ttl = int(ttl) if ttl is not None else (300 if d.is_rest or kind != "request" else 0)
    except (TypeError, ValueError):
        auth.ttl = 300
    sources = node.get("identitySource")
    if isinstance(sources, str):
        auth.identity_sources = [s.strip() for s in sources.split(",") if s.strip()]
    elif isinstance(sources, list):
        auth.identity_sources = [str(s).strip() for s in sources]
    if kind in ("token", "cognito_user_pools"):
        header = scheme.get("name") if scheme.get("in") == "header" else None
        if auth.identity_sources and auth.identity_sources[0].startswith("method.request.header."):
            header = auth.identity_sources[0][len("method.request.header."):]
        auth.header = str(header or "Authorization")
        regex = node.get("identityValidationExpression")
        auth.validation_regex = regex if isinstance(regex, str) and regex else None
    if kind in ("token", "request"):
        target = lambda_target(node.get("authorizerUri"), d.variables, d.settings.handlers)
        if target is None:
            d.problems.append(Problem(f"authorizer '{name}': cannot read the Lambda function from authorizerUri",
                                      doc, at))
        elif target.handler_key not in d.settings.handlers:
            d.problems.append(Problem(f"authorizer '{name}': Lambda function '{target.name}' has no handler; give one "
                                      f"with --lambda {target.name}=module:function", doc, at + ("authorizerUri",)))
        else:
            auth.function = target
        auth.payload_version = str(node.get("authorizerPayloadFormatVersion", "1.0"))
        auth.simple_responses = node.get("enableSimpleResponses") is True
        if kind == "request" and not auth.identity_sources and scheme.get("in") in ("header", "query") and \
                scheme.get("name") and str(scheme.get("name")) != "Unused" and d.is_rest:
            where = "header" if scheme["in"] == "header" else "querystring"
            auth.identity_sources = [f"method.request.{where}.{scheme['name']}"]
        if kind == "request" and not d.is_rest and not auth.identity_sources and auth.ttl:
            auth.ttl = 0
    elif kind == "cognito_user_pools":
        arns = node.get("providerARNs") or []
        issuers = []
        for arn in arns if isinstance(arns, list) else []:
            m = re.match(r"^arn:aws[a-z-]*:cognito-idp:([^:]+):[^:]*:userpool/(.+)$", str(arn))
            if m:
                issuers.append(f"https://cognito-idp.{m.group(1)}.amazonaws.com/{m.group(2)}")
        auth.issuer = issuers[0] if issuers else None
        auth.jwks = _jwks_for(d, [*issuers, *(str(a) for a in arns if isinstance(arns, list)), name])
        if auth.jwks is None:
            d.problems.append(Problem(f"authorizer '{name}': no JWKS to verify Cognito tokens; give one with "
                                      f"--jwks {name}=FILE|URL (or for the user pool's issuer)", doc, at))
    elif kind == "jwt":
        config = node.get("jwtConfiguration") or {}
        auth.issuer = str(config.get("issuer")) if config.get("issuer") else None
        audience = config.get("audience") or []
        auth.audiences = [str(a) for a in audience] if isinstance(audience, list) else [str(audience)]
        auth.jwks = _jwks_for(d, [auth.issuer or "", name])
        if auth.jwks is None and auth.issuer and re.match(r"^https?://(127\.\d+\.\d+\.\d+|localhost)(:\d+)?(/|$)",
                                                          auth.issuer):
            auth.jwks = auth.issuer.rstrip("/") + "/.well-known/jwks.json"
        if auth.jwks is None:
            d.problems.append(Problem(f"authorizer '{name}': no JWKS for issuer '{auth.issuer}'; give one with "
                                      f"--jwks {name}=FILE|URL", doc, at))
        if not auth.identity_sources:
            auth.identity_sources = ["$request.header.Authorization"]
    else:
        d.problems.append(Problem(f"authorizer '{name}': type '{node.get('type')}' is not supported", doc, at))
    return auth


def _jwks_for(d: Definition, keys: list[str]) -> str | None:
    for key in keys:
        if key and key in d.settings.jwks:
            return d.settings.jwks[key]
    return None


def _validation(d: Definition, method: Method, op: Operation, validators: dict, default_validator: Any) -> None:
    if not d.is_rest:
        return
    name = op.node.get("x-amazon-apigateway-request-validator", default_validator)
    validator = validators.get(name) if isinstance(name, str) else None
    if not isinstance(validator, dict):
        return
    method.validate_body = validator.get("validateRequestBody") is True
    method.validate_params = validator.get("validateRequestParameters") is True
    api = d.api
    for p in op.parameters:
        if p.required and p.location in ("header", "query", "path"):
            where = {"query": "querystring"}.get(p.location, p.location)
            method.required_params.append(f"method.request.{where}.{p.name}")
    body = request_body(api, op)
    if body is not None:
        for media, mt in body.content.items():
            if mt.schema is not None:
                method.body_models[media.lower()] = mt.schema[2]
