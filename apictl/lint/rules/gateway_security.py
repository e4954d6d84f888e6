"""Security: requirements name existing schemes, schemes are what each API type can import,
authorizers are complete for their type (section 1.5), and the API key source fits."""
from __future__ import annotations

from ...lazy_re import lazy_compile
from ...model.api import AUTHORIZER
from ..gateway import rationale, static_text
from ..registry import Rule, check, declare, retire
from .gateway_integrations import FUNCTION_ARN, LAMBDA_URI, P, shape

retire("apigw-root-security-ignored", rationale(
    "2.1 item 20", "the known-issues page still says REST import ignores root-level security, but AWS's behaviour "
    "has changed: import applies a root `security` requirement to every operation without its own (the method "
    "gets the authorizer, as CUSTOM or COGNITO_USER_POOLS). apictl follows the behaviour; the rule is retired"))

declare(
    Rule("apigw-security-scheme-undefined", "error", "A security requirement names a scheme that is not defined",
         "Define the scheme under components.securitySchemes (securityDefinitions in 2.0) or fix the name.",
         "gateway", example="security: [{CognitoAuth: []}]   # no securitySchemes.CognitoAuth",
         rationale=rationale("1.5, 1.22", "the authorizer cannot be attached; API Gateway rejects the import")),
    Rule("apigw-security-scheme-unsupported", "warning", "A REST API security scheme that is not of type apiKey",
         "Use type: apiKey with x-amazon-apigateway-authorizer (Lambda or Cognito) or x-amazon-apigateway-authtype: "
         "awsSigv4; OAuth 2 and HTTP schemes need a Lambda authorizer.", "gateway",
         example="components:\n  securitySchemes:\n    bearer: {type: http, scheme: bearer}",
         rationale=rationale("2.1 item 4", "REST import only understands apiKey schemes; the others protect nothing")),
    Rule("apigw-http-multiple-security", "error", "An HTTP API operation has more than one security requirement",
         "Keep one: IAM, a Lambda authorizer or a JWT authorizer.", "gateway",
         example="security: [{jwt: []}, {sigv4: []}]   # an HTTP API",
         rationale=rationale("1.5, 2.4", "HTTP API import fails on several alternative requirements")),
    Rule("apigw-authorizer-invalid", "error", "An authorizer is incomplete or inconsistent for its type",
         "token/request: authorizerUri (Lambda invocation URI); cognito_user_pools: providerARNs; jwt: "
         "jwtConfiguration.issuer and identitySource; HTTP request: authorizerPayloadFormatVersion; "
         "enableSimpleResponses needs payload format 2.0.", "gateway",
         example="x-amazon-apigateway-authorizer:\n  type: token\n  authorizerResultTtlInSeconds: 300   # no authorizerUri",
         rationale=rationale("1.5, 3.4, 1.22 item 6", "API Gateway rejects the authorizer. identitySource: '' on "
                             "a Lambda (token or request) authorizer is accepted and means no identity source, "
                             "though the documentation describes only non-empty values")),
    Rule("apigw-authorizer-identity-mismatch", "warning", "A REST authorizer reads its identity from another "
         "parameter than its security scheme declares", "Make identitySource name the scheme's parameter "
         "(`in: header, name: X` is method.request.header.X; `in: query` is method.request.querystring.X), or fix "
         "the scheme.", "gateway",
         example="Auth:\n  type: apiKey\n  in: header\n  name: Authorization\n  x-amazon-apigateway-authorizer:\n"
                 "    type: token\n    identitySource: method.request.header.X-Token",
         rationale=rationale("1.5, 3.4", "API Gateway reads the identitySource; clients and SDKs send the "
                             "parameter the scheme declares, so every call is refused with 401 (a request "
                             "authorizer with several sources, or a scheme named 'Unused' as in AWS's examples, "
                             "declares none)")),
    Rule("apigw-api-key-source", "warning", "API keys are configured in a way API Gateway will not use",
         "AUTHORIZER needs a Lambda authorizer that returns usageIdentifierKey; HTTP APIs have no API keys.",
         "gateway", example="x-amazon-apigateway-api-key-source: AUTHORIZER   # and no Lambda authorizer",
         rationale=rationale("1.3, 5.3, 5.5", "no key is ever read, so usage plans never match a caller")),
)

NAME = r"[A-Za-z0-9._$-]+"
REST_SINGLE_HEADER = lazy_compile(rf"^method\.request\.header\.{NAME}$")
REST_REQUEST_SOURCE = lazy_compile(rf"^(method\.request\.(header|querystring)\.{NAME}|stageVariables\.[A-Za-z0-9_]+"
                                   r"|context\.[A-Za-z0-9_.]+)$")
HTTP_REQUEST_SOURCE = lazy_compile(rf"^(\$request\.(header|querystring)\.{NAME}|\$stageVariables\.[A-Za-z0-9_]+"
                                   r"|\$context\.[A-Za-z0-9_.]+)$")
HTTP_JWT_SOURCE = lazy_compile(rf"^\$request\.(header|querystring)\.{NAME}$")
REST_NAMED_SOURCE = lazy_compile(rf"^method\.request\.(header|querystring)\.({NAME})$")
LAMBDA_AUTHORIZERS = ("token", "request")


def _requirements(api):
    """(document, pointer, requirement list, operation or None) for the root and each operation."""
    root = api.data.get("security")
    if isinstance(root, list):
        yield api.document, ("security",), root, None
    for op in api.operations:
        if op.security is not None:
            yield op.document, op.pointer + ("security",), op.security, op


@check("apigw-security-scheme-undefined", "apigw-http-multiple-security")
def check_requirements(ctx):
    api = ctx.api
    if not api.targets_gateway:
        return
    for doc, pointer, requirements, op in _requirements(api):
        for i, requirement in enumerate(requirements):
            if not isinstance(requirement, dict):
                continue
            for name in requirement:
                if name not in api.security_schemes:
                    yield ctx.finding("apigw-security-scheme-undefined",
                                      f"security requirement names '{name}', which is not a defined security scheme",
                                      pointer + (i, name), doc)
        if op is not None and api.api_type == "http":
            schemes = [n for r in requirements if isinstance(r, dict) for n in r]
            if len(schemes) > 1:
                yield ctx.finding("apigw-http-multiple-security",
                                  f"{op.label} has {len(schemes)} security requirements ({', '.join(schemes)}); HTTP APIs "
                                  "take one", pointer, doc)


@check("apigw-authorizer-identity-mismatch")
def check_identity_sources(ctx):
    api = ctx.api
    if not api.targets_gateway or api.api_type != "rest":
        return
    for scheme in api.security_schemes.values():
        auth = scheme.authorizer
        kind = str((auth or {}).get("type", "")).lower()
        source = static_text(auth.get("identitySource"), ctx.options.params) if auth else None
        if kind not in ("token", "request", "cognito_user_pools") or not isinstance(source, str) or "${" in source:
            continue
        parts = [p.strip() for p in source.split(",") if p.strip()]
        m = REST_NAMED_SOURCE.match(parts[0]) if len(parts) == 1 else None
        declared_in, declared_name = scheme.node.get("in"), scheme.node.get("name")
        if m is None or not isinstance(declared_name, str) or declared_name.lower() == "unused":
            continue
        location, name = ("header" if m.group(1) == "header" else "query"), m.group(2)
        same = name.lower() == declared_name.lower() if location == "header" else name == declared_name
        if location != declared_in or not same:
            yield ctx.finding("apigw-authorizer-identity-mismatch",
                              f"authorizer '{scheme.name}' reads {parts[0]}, but its scheme declares {declared_in} "
                              f"parameter '{declared_name}'", scheme.pointer + (AUTHORIZER, "identitySource"),
                              scheme.document)


@check("apigw-security-scheme-unsupported", "apigw-authorizer-invalid")
def check_schemes(ctx):
    api = ctx.api
    if not api.targets_gateway:
        return
    http = api.api_type == "http"
    for scheme in api.security_schemes.values():
        if not http and scheme.type not in (None, "apiKey"):
            yield ctx.finding("apigw-security-scheme-unsupported",
                              f"security scheme '{scheme.name}' has type {scheme.type}; REST import understands apiKey "
                              "only", scheme.pointer + ("type",), scheme.document)
        auth = scheme.authorizer
        if auth is None:
            continue
        for rel, message in _authorizer_problems(scheme, auth, http, ctx.options.params):
            yield ctx.finding("apigw-authorizer-invalid", f"authorizer '{scheme.name}': {message}",
                              scheme.pointer + ("x-amazon-apigateway-authorizer",) + rel, scheme.document)


def _authorizer_problems(scheme, auth: dict, http: bool, params: dict):
    kind = str(auth.get("type", "")).lower()
    # identitySource "" is accepted and means none (AWS's own Lambda authorizer exports write it)
    has_source = auth.get("identitySource") not in (None, "") and not (
        isinstance(auth.get("identitySource"), str) and not auth["identitySource"].strip())
    allowed = ("request", "jwt") if http else ("token", "request", "cognito_user_pools")
    if kind not in allowed:
        if kind in ("token", "request", "cognito_user_pools", "jwt"):
            yield ("type",), f"type {auth['type']} does not exist in {'HTTP' if http else 'REST'} APIs " \
                             f"({', '.join(allowed)})"
        return
    if kind in LAMBDA_AUTHORIZERS:
        if "authorizerUri" not in auth:
            yield (), f"a {kind} authorizer needs authorizerUri (the Lambda invocation URI)"
        else:
            uri = static_text(auth["authorizerUri"], params)
            if uri is not None and shape(uri) != P:
                m = LAMBDA_URI.match(shape(uri))
                bare = http and FUNCTION_ARN.match(shape(uri)) and shape(uri).startswith("arn:")
                if not bare and (not m or not FUNCTION_ARN.match(m.group("fn"))):
                    yield ("authorizerUri",), f"'{uri}' is not a Lambda invocation URI arn:aws:apigateway:{{region}}:" \
                                              "lambda:path/2015-03-31/functions/{function ARN}/invocations"
    if kind == "cognito_user_pools" and "providerARNs" not in auth:
        yield (), "a cognito_user_pools authorizer needs providerARNs"
    if kind == "jwt":
        config = auth.get("jwtConfiguration")
        oidc = scheme.type == "openIdConnect" and bool(scheme.node.get("openIdConnectUrl"))
        if not isinstance(config, dict):
            yield (), "a jwt authorizer needs jwtConfiguration (issuer, audience)"
        elif "issuer" not in config and not oidc:
            yield ("jwtConfiguration",), "jwtConfiguration needs issuer (or an openIdConnect scheme with " \
                                         "openIdConnectUrl)"
        if not has_source:
            yield (), "a jwt authorizer needs identitySource (e.g. $request.header.Authorization)"
    if http and kind == "request":
        if "authorizerPayloadFormatVersion" not in auth:
            yield (), "an HTTP API Lambda authorizer needs authorizerPayloadFormatVersion ('1.0' or '2.0')"
        if auth.get("enableSimpleResponses") is True and not str(auth.get("authorizerPayloadFormatVersion", "")) \
                .startswith("2"):
            yield ("enableSimpleResponses",), "enableSimpleResponses needs authorizerPayloadFormatVersion '2.0'"
    ttl = auth.get("authorizerResultTtlInSeconds")
    caching = (isinstance(ttl, int) and ttl > 0) or (isinstance(ttl, str) and ttl.isdigit() and int(ttl) > 0)
    if kind == "request" and not http and caching and not has_source:
        yield (), "a request authorizer with caching (authorizerResultTtlInSeconds > 0) needs identitySource"
    if not http and kind == "token" and (scheme.type != "apiKey" or scheme.node.get("in") != "header"):
        yield (), "a token authorizer reads one header: its scheme must be type: apiKey, in: header, name: <header>"
    source = static_text(auth.get("identitySource"), params)
    if isinstance(source, str) and source.strip() and "${" not in source:
        yield from _identity_source_problems(kind, http, source)


def _identity_source_problems(kind: str, http: bool, source: str):
    parts = [p.strip() for p in source.split(",")]
    if http:
        pattern = HTTP_JWT_SOURCE if kind == "jwt" else HTTP_REQUEST_SOURCE
        if kind == "jwt" and len(parts) != 1:
            yield ("identitySource",), "a jwt authorizer takes exactly one identity source"
    elif kind in ("token", "cognito_user_pools"):
        pattern = REST_SINGLE_HEADER
        if len(parts) != 1:
            yield ("identitySource",), f"a {kind} authorizer takes exactly one header (method.request.header.NAME)"
    else:
        pattern = REST_REQUEST_SOURCE
    for part in parts:
        if not pattern.match(part):
            yield ("identitySource",), f"'{part}' is not a valid identity source here (section 3.4)"


@check("apigw-api-key-source")
def check_api_keys(ctx):
    api = ctx.api
    if not api.targets_gateway:
        return
    source = api.data.get("x-amazon-apigateway-api-key-source")
    lambda_authorizers = [s for s in api.security_schemes.values()
                          if str((s.authorizer or {}).get("type", "")).lower() in LAMBDA_AUTHORIZERS]
    if source == "AUTHORIZER" and not lambda_authorizers:
        yield ctx.finding("apigw-api-key-source", "api-key-source AUTHORIZER needs a Lambda (token or request) "
                          "authorizer that returns usageIdentifierKey; there is none",
                          ("x-amazon-apigateway-api-key-source",))
    if api.api_type != "http":
        return
    for scheme in api.security_schemes.values():
        if scheme.type == "apiKey" and scheme.authorizer is None and "x-amazon-apigateway-authtype" not in scheme.node:
            yield ctx.finding("apigw-api-key-source", f"security scheme '{scheme.name}' is an API key, but HTTP APIs "
                              "have no API keys or usage plans (use a Lambda or JWT authorizer)", scheme.pointer,
                              scheme.document)
