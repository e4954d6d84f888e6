"""API Gateway extensions: each value against its JSON Schema (apictl/lint/schemas/), each one in a
place API Gateway reads it, and each one (and each integration/authorizer field) understood by the
API type being linted."""
from __future__ import annotations

from ...model.api import (EXTENSION_PREFIX, HTTP_ONLY_AUTHORIZER_FIELDS, HTTP_ONLY_INTEGRATION_FIELDS,
                          REST_ONLY_AUTHORIZER_FIELDS, REST_ONLY_INTEGRATION_FIELDS)
from ...source.intrinsics import if_branches
from ..gateway import extension_index, extension_keys, extension_sites, extension_validator, rationale, \
    resolve_intrinsics
from ..registry import Rule, check, declare
from .structure import _inside_intrinsic, _real_pointer, _short_message

declare(
    Rule("apigw-extension-invalid", "error", "An x-amazon-apigateway-* value has the wrong shape or value",
         "Give the extension the type and values API Gateway documents (its JSON Schema is in apictl/lint/schemas/).", "gateway",
         example="x-amazon-apigateway-api-key-source: QUERY   # HEADER or AUTHORIZER",
         rationale=rationale("1", "API Gateway rejects the import when an extension value cannot be read")),
    Rule("apigw-extension-unknown-field", "warning", "An x-amazon-apigateway-* object has a field API Gateway does "
         "not know", "Fix the spelling of the field (names are case-sensitive) or remove it.", "gateway",
         example="x-amazon-apigateway-integration:\n  type: aws_proxy\n  httpMethod: POST\n  URI: arn:...",
         rationale=rationale("1.14, 1.9", "unknown fields are not read, so the setting you meant is silently missing. "
                             "The fields API Gateway's own export writes are known even where the documentation "
                             "lists fewer: x-amazon-apigateway-documentation createdDate and description are "
                             "accepted on import, also with failOnWarnings")),
    Rule("apigw-extension-unknown", "warning", "An x-amazon-apigateway-* key that is not an API Gateway extension",
         "Fix the spelling (e.g. x-amazon-apigateway-integration, -authorizer, -request-validator).", "gateway",
         example="x-amazon-apigateway-intergration: {type: mock}",
         rationale=rationale("1", "API Gateway ignores extensions it does not know")),
    Rule("apigw-extension-misplaced", "warning", "An extension sits where API Gateway does not read it",
         "Move it to its documented place (root, path item, operation, security scheme, components, a servers "
         "entry or a tags entry).", "gateway",
         example="paths:\n  /a:\n    x-amazon-apigateway-integration: {type: mock}   # belongs in an operation",
         rationale=rationale("1.1", "an extension outside its placement is ignored on import")),
    Rule("apigw-extension-wrong-api-type", "warning", "A REST-only extension in an HTTP API, or the reverse",
         "Remove it, or lint with the right --api-type.", "gateway",
         example="# an HTTP API\nx-amazon-apigateway-request-validators: {all: {validateRequestBody: true}}",
         rationale=rationale("1.1, 1.22 item 13", "the other API type ignores the extension: it has no effect")),
    Rule("apigw-field-wrong-api-type", "warning", "An integration or authorizer field (or type) the API type "
         "does not support", "Use the fields of your API type (REST: passthroughBehavior, requestTemplates, "
         "responses...; HTTP: payloadFormatVersion, integrationSubtype...).", "gateway",
         example="# an HTTP API\nx-amazon-apigateway-integration: {type: aws_proxy, passthroughBehavior: when_no_match}",
         rationale=rationale("1.14, 2.4", "HTTP API import warns about and drops REST-only fields and integration "
                             "types other than AWS_PROXY/HTTP_PROXY; REST import ignores HTTP-only fields")),
)


@check("apigw-extension-invalid", "apigw-extension-unknown-field", "apigw-extension-unknown",
       "apigw-extension-misplaced", "apigw-extension-wrong-api-type")
def check_extensions(ctx):
    api = ctx.api
    if not api.targets_gateway:
        return
    index = extension_index()
    sites = extension_sites(api)
    placed = {(id(s.document), s.pointer): s.placement for s in sites}
    for site in sites:
        for finding in _site_findings(ctx, site, index):
            finding.message = site.where(finding.message)
            yield finding
    # keys nowhere near a place API Gateway reads
    for container, key in extension_keys(api.document):
        if (id(api.document), container) in placed:
            continue
        info = index.get(key)
        if info is None:
            yield ctx.finding("apigw-extension-unknown", f"'{key}' is not an API Gateway extension", container + (key,))
        else:
            yield ctx.finding("apigw-extension-misplaced", _misplaced(key, "", info, api.major), container + (key,))


def _site_findings(ctx, site, index):
    api = ctx.api
    for key, value in site.node.items():
        if not isinstance(key, str) or not key.startswith(EXTENSION_PREFIX):
            continue
        pointer = site.pointer + (key,)
        info = index.get(key)
        if info is None:
            yield ctx.finding("apigw-extension-unknown", f"'{key}' is not an API Gateway extension",
                              pointer, site.document)
            continue
        if site.placement not in info.placements(api.major):
            yield ctx.finding("apigw-extension-misplaced", _misplaced(key, site.placement, info, api.major),
                              pointer, site.document)
            continue
        if api.api_type not in info.api_types:
            yield ctx.finding("apigw-extension-wrong-api-type",
                              f"{key} is read by {' and '.join(t.upper() for t in info.api_types)} APIs only; "
                              f"this {api.api_type.upper()} API ignores it", pointer, site.document)
        for branch_pointer, branch_value, _ in if_branches(value, pointer):  # each value CloudFormation may give
            yield from _validate(ctx, key, branch_value, branch_pointer, site.document)


def _misplaced(key: str, placement: str, info, major: str) -> str:
    where = " or ".join(_article(p.replace("-", " ")) for p in info.placements(major))
    here = f" not in {_article(placement.replace('-', ' '))}" if placement else " here"
    return f"{key} is read in {where} (section {info.section}),{here}; API Gateway ignores it"


def _article(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _validate(ctx, key: str, value, pointer: tuple, document):
    if isinstance(value, dict) and "$ref" in value:
        return  # followed and checked where it points (HTTP integrations under components)
    value = resolve_intrinsics(value, ctx.options.params)
    validator = extension_validator(key)
    for error in validator.iter_errors(value):
        rel = _real_pointer(value, error.instance_path)
        if _inside_intrinsic(value, rel):
            continue
        kind = type(error.kind).__name__
        field = ".".join(str(s) for s in rel)
        where = f"{key}.{field}" if field else key
        if kind == "AdditionalProperties":
            for name in getattr(error.kind, "unexpected", None) or _unexpected(error.message):
                yield ctx.finding("apigw-extension-unknown-field", f"{where}: unknown field '{name}'",
                                  pointer + rel + (name,), document)
            continue
        yield ctx.finding("apigw-extension-invalid", f"{where}: {_short_message(error.message)}",
                          pointer + rel, document)


def _unexpected(message: str) -> list[str]:
    inside = message[message.find("(") + 1: message.rfind(")")]
    return [part.strip().strip("'") for part in inside.replace(" was unexpected", "").replace(
        " were unexpected", "").split(",") if part.strip()]


@check("apigw-field-wrong-api-type")
def check_field_applicability(ctx):
    api = ctx.api
    if not api.targets_gateway:
        return
    http = api.api_type == "http"
    for integration in api.integrations():
        node = integration.node
        wrong = REST_ONLY_INTEGRATION_FIELDS if http else HTTP_ONLY_INTEGRATION_FIELDS
        for name in wrong:
            if name in node:
                yield ctx.finding("apigw-field-wrong-api-type",
                                  f"{integration.label}: integration field {name} is {'REST' if http else 'HTTP'}-only; "
                                  f"this {api.api_type.upper()} API ignores it",
                                  integration.pointer + (name,), integration.document)
        if http and integration.type in ("aws", "http", "mock"):
            yield ctx.finding("apigw-field-wrong-api-type",
                              f"{integration.label}: HTTP APIs support only AWS_PROXY and HTTP_PROXY integrations, "
                              f"not {node.get('type')} (import warning; the route gets no integration)",
                              integration.pointer + ("type",), integration.document)
    for scheme in api.security_schemes.values():
        auth = scheme.authorizer
        if auth is None:
            continue
        ptr = scheme.pointer + ("x-amazon-apigateway-authorizer",)
        for name in (REST_ONLY_AUTHORIZER_FIELDS if http else HTTP_ONLY_AUTHORIZER_FIELDS):
            if name in auth:
                yield ctx.finding("apigw-field-wrong-api-type",
                                  f"authorizer '{scheme.name}': {name} is {'REST' if http else 'HTTP'}-only",
                                  ptr + (name,), scheme.document)


declare(
    Rule("apigw-request-validator-undefined", "error", "x-amazon-apigateway-request-validator names a validator "
         "that is not defined", "Define it under the root x-amazon-apigateway-request-validators, or fix the name.",
         "gateway", example="x-amazon-apigateway-request-validators: {all: {validateRequestBody: true}}\n"
                            "paths: {/a: {post: {x-amazon-apigateway-request-validator: body}}}",
         rationale=rationale("1.18, 1.22 item 11", "API Gateway rejects the import")),
    Rule("apigw-endpoint-access-mode-required", "error", "An enhanced security policy without an endpoint access mode",
         "Add x-amazon-apigateway-endpoint-access-mode: BASIC (or STRICT) next to a SecurityPolicy_* policy; "
         "remove the mode with a legacy TLS_1_0/TLS_1_2 policy.", "gateway",
         example="x-amazon-apigateway-security-policy: SecurityPolicy_TLS13_1_3_2025_09",
         rationale=rationale("1.10, 1.19, 1.22 item 12", "API Gateway rejects the combination")),
)

VALIDATOR = "x-amazon-apigateway-request-validator"


@check("apigw-request-validator-undefined")
def check_request_validators(ctx):
    api = ctx.api
    if not api.targets_gateway:
        return
    defined = api.data.get(VALIDATOR + "s")
    names = set(defined) if isinstance(defined, dict) else set()
    uses = [(api.document, (VALIDATOR,), api.data.get(VALIDATOR))]
    uses += [(op.document, op.pointer + (VALIDATOR,), op.node.get(VALIDATOR)) for op in api.operations]
    for doc, pointer, name in uses:
        if isinstance(name, str) and name not in names:
            known = f"defined: {', '.join(sorted(names))}" if names else "none is defined"
            yield ctx.finding("apigw-request-validator-undefined", f"request validator '{name}' is not defined ({known})",
                              pointer, doc)


@check("apigw-endpoint-access-mode-required")
def check_access_mode(ctx):
    data = ctx.api.data
    policy = data.get("x-amazon-apigateway-security-policy")
    mode = "x-amazon-apigateway-endpoint-access-mode"
    if isinstance(policy, str) and policy.startswith("SecurityPolicy_") and not data.get(mode):
        yield ctx.finding("apigw-endpoint-access-mode-required", f"security policy {policy} needs {mode} (BASIC or "
                          "STRICT)", ("x-amazon-apigateway-security-policy",))
    elif isinstance(policy, str) and policy in ("TLS_1_0", "TLS_1_2") and data.get(mode):
        yield ctx.finding("apigw-endpoint-access-mode-required", f"{mode} is only available with SecurityPolicy_* "
                          f"policies, not {policy}", (mode,))
