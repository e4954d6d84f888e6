"""API Gateway-aware checks: what the ``x-amazon-apigateway-*`` extensions change for callers.

Contravariance applies here too: anything that makes the gateway reject requests it used to
accept (an authorizer or API key now required, validation switched on, CORS narrowed, a binary type
no longer passed through) breaks clients (ERR); anything that lets more through (an authorizer or a
validator removed) breaks the API's own guarantees (authorizer: ERR, validator/API key: WARN).
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from ..model.api import AUTHORIZER, AUTHTYPE, Api, Operation
from ..model.messages import security_requirements
from .checks import ERR, INFO, WARN, Change, declare
from .context import DiffContext, OperationPair, path_key
from .words import setting, show

declare("gateway", [
    ("api-authorizer-removed", ERR, "An operation that required an authorizer (IAM, Cognito, Lambda, JWT) no longer does"),
    ("api-authorizer-weakened", ERR, "An operation accepts more callers: scopes removed or another way in added"),
    ("api-authorizer-added", ERR, "An operation that was open now requires an authorizer (callers get 401/403)"),
    ("api-authorizer-changed", WARN, "An operation is protected by a different authorizer"),
    ("authorizer-identity-source-changed", ERR, "An authorizer reads its credentials from other headers/parameters"),
    ("authorizer-definition-changed", WARN, "An authorizer's type, function, user pools or issuer/audience changed"),
    ("api-key-requirement-dropped", WARN, "An operation no longer requires an API key (usage plans stop applying)"),
    ("api-key-requirement-added", ERR, "An operation now requires an API key (callers without one get 403)"),
    ("api-key-source-changed", ERR, "x-amazon-apigateway-api-key-source changed (where callers send the key)"),
    ("integration-removed", ERR, "An operation lost its x-amazon-apigateway-integration"),
    ("integration-added", INFO, "An operation gained an x-amazon-apigateway-integration"),
    ("integration-type-changed", WARN, "The integration type changed (e.g. aws_proxy to http_proxy)"),
    ("integration-target-changed", WARN, "The integration calls another backend (uri, httpMethod, connection)"),
    ("integration-timeout-decreased", WARN, "The integration timeout decreased (slow calls now fail with 504)"),
    ("integration-timeout-increased", INFO, "The integration timeout increased"),
    ("integration-payload-format-version-changed", WARN, "The Lambda event format (payloadFormatVersion) changed"),
    ("integration-passthrough-narrowed", ERR, "passthroughBehavior now rejects content types it used to pass (415)"),
    ("request-validator-removed", WARN, "Request body or parameter validation was switched off for an operation"),
    ("request-validator-added", ERR, "Request body or parameter validation was switched on (invalid requests get 400)"),
    ("cors-removed", ERR, "CORS is no longer configured (browsers block cross-origin calls)"),
    ("cors-origin-removed", ERR, "An allowed CORS origin was removed"),
    ("cors-method-removed", ERR, "An allowed CORS method was removed"),
    ("cors-header-removed", ERR, "An allowed CORS request header was removed"),
    ("cors-credentials-disabled", ERR, "CORS no longer allows credentials"),
    ("cors-widened", INFO, "CORS allows more origins, methods or headers"),
    ("binary-media-type-removed", ERR, "A binary media type was removed (such bodies are now mangled as text)"),
    ("binary-media-type-added", INFO, "A binary media type was added"),
    ("stage-variable-removed-while-referenced", ERR, "A stage variable the API references was removed from the stage"),
    ("stage-variable-undefined-in-target", ERR, "The promoted API references a stage variable the target stage lacks"),
])

AUTHORIZER_KINDS = ("iam", "cognito", "lambda", "jwt")
PASSTHROUGH_RANK = {"never": 0, "when_no_templates": 1, "when_no_match": 2}
STAGE_VARIABLE = re.compile(r"stageVariables\.([A-Za-z0-9_]+)")


def scheme_kind(api: Api, name: str) -> str:
    scheme = api.security_schemes.get(name)
    if scheme is None:
        return "other"
    auth = scheme.authorizer or {}
    auth_type = str(auth.get("type", "")).lower()
    if auth_type == "cognito_user_pools":
        return "cognito"
    if auth_type in ("token", "request"):
        return "lambda"
    if auth_type == "jwt":
        return "jwt"
    if str(scheme.node.get(AUTHTYPE, "")).lower() == "awssigv4":
        return "iam"
    if scheme.type == "apiKey" and not auth:
        return "api-key"
    return "other"


def _operation_auth(api: Api, op: Operation) -> tuple[list[dict[str, list[str]]], bool, bool]:
    """(alternatives restricted to authorizers, every alternative has an authorizer, API key required)."""
    alternatives, _ = security_requirements(api, op)
    iam = isinstance(op.node.get("x-amazon-apigateway-auth"), dict) and \
        str(op.node["x-amazon-apigateway-auth"].get("type", "")).upper() == "AWS_IAM"
    auth_alts = [{k: v for k, v in alt.items() if scheme_kind(api, k) in AUTHORIZER_KINDS} for alt in alternatives]
    if iam:
        auth_alts = [{**alt, "AWS_IAM": []} for alt in auth_alts] or [{"AWS_IAM": []}]
    authorized = bool(auth_alts) and all(auth_alts)
    api_key = (bool(alternatives) and all(any(scheme_kind(api, k) == "api-key" for k in alt) for alt in alternatives)) \
        or op.node.get("x-amazon-apigateway-api-key-required") is True
    return auth_alts, authorized, api_key


def _auth_checks(ctx: DiffContext, pair: OperationPair) -> Iterator[Change]:
    old_alts, old_auth, old_key = _operation_auth(ctx.base, pair.base)
    new_alts, new_auth, new_key = _operation_auth(ctx.rev, pair.rev)
    at, label = (pair.rev.document, pair.rev.pointer), pair.label

    def names(alts: list[dict]) -> str:
        return " or ".join(" + ".join(sorted(a)) for a in alts if a) or "none"

    if old_auth and not new_auth:
        yield Change("api-authorizer-removed", f"authorizer removed (was {names(old_alts)}, now {names(new_alts)})",
                     at, label)
    elif new_auth and not old_auth:
        yield Change("api-authorizer-added", f"authorizer now required: {names(new_alts)}", at, label)
    elif old_auth and new_auth:
        old_sets = [frozenset(a) for a in old_alts]
        new_sets = [frozenset(a) for a in new_alts]
        extra = [s for s in new_sets if not any(o <= s for o in old_sets)]
        if extra and all(any(o <= n for n in new_sets) for o in old_sets):  # the old ways in, plus new ones
            yield Change("api-authorizer-weakened", f"another way in: {names([dict.fromkeys(s) for s in extra])} "
                                                    f"(was {names(old_alts)})", at, label)
        elif set(old_sets) != set(new_sets):
            yield Change("api-authorizer-changed", f"authorizer changed from {names(old_alts)} to {names(new_alts)}",
                         at, label)
        else:
            for alt in old_alts:
                for scheme, scopes in alt.items():
                    now = next((a[scheme] for a in new_alts if scheme in a), [])
                    dropped = sorted(set(scopes) - set(now))
                    if dropped:
                        yield Change("api-authorizer-weakened", f"authorizer '{scheme}' no longer requires scope(s) "
                                                                f"{', '.join(dropped)}", at, label)
    if old_key and not new_key:
        yield Change("api-key-requirement-dropped", "API key no longer required", at, label)
    elif new_key and not old_key:
        yield Change("api-key-requirement-added", "API key now required", at, label)


def _authorizer_definitions(ctx: DiffContext) -> Iterator[Change]:
    old, new = ctx.base.security_schemes, ctx.rev.security_schemes
    for name in sorted(old.keys() & new.keys()):
        a, b = old[name].authorizer, new[name].authorizer
        if not a or not b:
            continue
        at = (new[name].document, new[name].pointer + (AUTHORIZER,))
        if _norm_sources(a.get("identitySource")) != _norm_sources(b.get("identitySource")):
            yield Change("authorizer-identity-source-changed", f"authorizer '{name}': identitySource changed from "
                                                               f"{setting(a.get('identitySource'))} to {setting(b.get('identitySource'))}", at)
        changed = [k for k in ("type", "authorizerUri", "providerARNs", "jwtConfiguration", "authorizerPayloadFormatVersion",
                               "enableSimpleResponses") if a.get(k) != b.get(k)]
        if changed:
            yield Change("authorizer-definition-changed", f"authorizer '{name}': {', '.join(changed)} changed", at)


def _norm_sources(value: Any) -> list[str]:
    if isinstance(value, str):
        return sorted(s.strip().lower() for s in value.split(",") if s.strip())
    if isinstance(value, list):
        return sorted(str(s).strip().lower() for s in value)
    return []


def _integration_checks(pair: OperationPair) -> Iterator[Change]:
    a, b = pair.base.integration, pair.rev.integration
    label = pair.label
    if a and not b:
        yield Change("integration-removed", "integration removed", (pair.base.document, pair.base.pointer), label)
        return
    if b and not a:
        yield Change("integration-added", "integration added", (pair.rev.document, pair.rev.pointer), label)
        return
    if not a or not b:
        return
    at = (pair.rev.document, pair.rev.pointer + ("x-amazon-apigateway-integration",))
    if str(a.get("type", "")).lower() != str(b.get("type", "")).lower():
        yield Change("integration-type-changed", f"integration type changed from {setting(a.get('type'))} to "
                                                 f"{setting(b.get('type'))}",
                     at, label)
    targets = [k for k in ("uri", "httpMethod", "connectionType", "connectionId", "integrationSubtype")
               if a.get(k) != b.get(k)]
    if targets:
        yield Change("integration-target-changed", "integration " + ", ".join(
            f"{k} changed from {setting(a.get(k))} to {setting(b.get(k))}" for k in targets), at, label)
    old_t, new_t = _timeout(a), _timeout(b)
    if new_t < old_t:
        yield Change("integration-timeout-decreased", f"integration timeout decreased from {old_t} to {new_t} ms",
                     at, label)
    elif new_t > old_t:
        yield Change("integration-timeout-increased", f"integration timeout increased from {old_t} to {new_t} ms",
                     at, label)
    if a.get("payloadFormatVersion") != b.get("payloadFormatVersion") and "payloadFormatVersion" in a | b:
        yield Change("integration-payload-format-version-changed",
                     f"payloadFormatVersion changed from {setting(a.get('payloadFormatVersion'))} to "
                     f"{setting(b.get('payloadFormatVersion'))}", at, label)
    old_p = PASSTHROUGH_RANK.get(str(a.get("passthroughBehavior", "when_no_match")).lower(), 2)
    new_p = PASSTHROUGH_RANK.get(str(b.get("passthroughBehavior", "when_no_match")).lower(), 2)
    if new_p < old_p:
        yield Change("integration-passthrough-narrowed", f"passthroughBehavior changed from "
                                                         f"{show(a.get('passthroughBehavior', 'when_no_match'))} to "
                                                         f"{show(b.get('passthroughBehavior', 'when_no_match'))}", at, label)


def _timeout(integration: dict) -> int:
    value = integration.get("timeoutInMillis", 29000)
    return value if isinstance(value, int) and not isinstance(value, bool) else 29000


def _validation(api: Api, op: Operation) -> tuple[bool, bool]:
    """(body validated, parameters validated) for ``op`` under its effective request validator."""
    name = op.node.get("x-amazon-apigateway-request-validator", api.data.get("x-amazon-apigateway-request-validator"))
    validators = api.data.get("x-amazon-apigateway-request-validators")
    if not isinstance(name, str) or not isinstance(validators, dict) or not isinstance(validators.get(name), dict):
        return False, False
    v = validators[name]
    return v.get("validateRequestBody") is True, v.get("validateRequestParameters") is True


def _validator_checks(ctx: DiffContext, pair: OperationPair) -> Iterator[Change]:
    old, new = _validation(ctx.base, pair.base), _validation(ctx.rev, pair.rev)
    at = (pair.rev.document, pair.rev.pointer)
    for index, what in ((0, "body"), (1, "parameter")):
        if old[index] and not new[index]:
            yield Change("request-validator-removed", f"request {what} validation switched off", at, pair.label)
        elif new[index] and not old[index]:
            yield Change("request-validator-added", f"request {what} validation switched on", at, pair.label)


def cors_policies(api: Api) -> dict[str, tuple[dict[str, set[str]], tuple]]:
    """path key ('*' for an HTTP API's root policy) -> ({origins, methods, headers, credentials}, pointer)."""
    out: dict[str, tuple[dict[str, set[str]], tuple]] = {}
    root = api.data.get("x-amazon-apigateway-cors")
    if isinstance(root, dict):
        def values(key: str) -> set[str]:
            raw = root.get(key)
            return {str(v).lower() if key != "allowOrigins" else str(v) for v in raw} if isinstance(raw, list) else set()
        out["*"] = ({"origins": values("allowOrigins"), "methods": {m.upper() for m in values("allowMethods")},
                     "headers": values("allowHeaders"),
                     "credentials": {"true"} if root.get("allowCredentials") is True else set()},
                    ("x-amazon-apigateway-cors",))
    for op in api.operations:
        if op.method != "options" or not op.integration:
            continue
        responses = op.integration.get("responses")
        if not isinstance(responses, dict):
            continue
        params: dict[str, Any] = {}
        for resp in responses.values():
            if isinstance(resp, dict) and isinstance(resp.get("responseParameters"), dict):
                params.update(resp["responseParameters"])

        def header(name: str) -> set[str]:
            value = params.get(f"method.response.header.{name}")
            if not isinstance(value, str):
                return set()
            return {v.strip() for v in value.strip("'").split(",") if v.strip()}
        if any(k.startswith("method.response.header.Access-Control-") for k in params):
            out[path_key(op.path)] = ({"origins": header("Access-Control-Allow-Origin"),
                                       "methods": {m.upper() for m in header("Access-Control-Allow-Methods")},
                                       "headers": {h.lower() for h in header("Access-Control-Allow-Headers")},
                                       "credentials": {"true"} if "true" in header("Access-Control-Allow-Credentials")
                                       else set()}, op.pointer)
    return out


def _cors_checks(ctx: DiffContext) -> Iterator[Change]:
    old, new = cors_policies(ctx.base), cors_policies(ctx.rev)
    for key in sorted(old):
        where = "the API" if key == "*" else f"path {key}"
        policy, pointer = old[key]
        if key not in new:
            yield Change("cors-removed", f"CORS removed from {where}", (ctx.base.document, pointer))
            continue
        now, now_ptr = new[key]
        at = (ctx.rev.document, now_ptr)
        widened = []
        for part, check_id in (("origins", "cors-origin-removed"), ("methods", "cors-method-removed"),
                               ("headers", "cors-header-removed")):
            lost = sorted(policy[part] - now[part])
            if lost and "*" not in now[part]:
                yield Change(check_id, f"CORS on {where}: {part} {', '.join(lost)} no longer allowed", at)
            if now[part] - policy[part]:
                widened.append(f"{part} {', '.join(sorted(now[part] - policy[part]))}")
        if policy["credentials"] and not now["credentials"]:
            yield Change("cors-credentials-disabled", f"CORS on {where}: credentials no longer allowed", at)
        if widened:
            yield Change("cors-widened", f"CORS on {where} now also allows " + "; ".join(widened), at)


def _binary_checks(ctx: DiffContext) -> Iterator[Change]:
    key = "x-amazon-apigateway-binary-media-types"

    def types(api: Api) -> list[str]:
        raw = api.data.get(key)
        return [str(t) for t in raw] if isinstance(raw, list) else []
    old, new = types(ctx.base), types(ctx.rev)
    for t in sorted(set(old) - set(new)):
        yield Change("binary-media-type-removed", f"binary media type '{t}' removed",
                     (ctx.base.document, (key, old.index(t))))
    for t in sorted(set(new) - set(old)):
        yield Change("binary-media-type-added", f"binary media type '{t}' added", (ctx.rev.document, (key, new.index(t))))
    old_src, new_src = (api.data.get("x-amazon-apigateway-api-key-source") for api in (ctx.base, ctx.rev))
    old_src, new_src = (v if isinstance(v, str) else None for v in (old_src, new_src))  # (another type: validate's)
    if old_src != new_src and (old_src or new_src) and {old_src, new_src} != {None, "HEADER"}:
        yield Change("api-key-source-changed", f"API key source changed from {old_src or 'HEADER'} to "
                                               f"{new_src or 'HEADER'}", (ctx.rev.document, ()))


def stage_variable_references(api: Api) -> dict[str, tuple]:
    """Stage variables the spec uses (integrations, authorizers) -> pointer of the first use."""
    found: dict[str, tuple] = {}

    def scan(node: Any, pointer: tuple) -> None:
        if isinstance(node, str):
            for name in STAGE_VARIABLE.findall(node):
                found.setdefault(name, pointer)
        elif isinstance(node, dict):
            for k, v in node.items():
                scan(v, pointer + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                scan(v, pointer + (i,))
    for op in api.operations:
        if op.integration:
            scan(op.integration, op.pointer + ("x-amazon-apigateway-integration",))
    for scheme in api.security_schemes.values():
        if scheme.authorizer:
            scan(scheme.authorizer, scheme.pointer + (AUTHORIZER,))
    return found


def _stage_variable_checks(ctx: DiffContext) -> Iterator[Change]:
    sides = ctx.stages
    if sides is None:
        return
    used = stage_variable_references(ctx.rev)
    old_vars = sides.base.variables if sides.base else {}
    new_vars = sides.rev.variables if sides.rev else {}
    for name in sorted(used):
        at = (ctx.rev.document, used[name])
        if not sides.promotion and sides.base and sides.rev and name in old_vars and name not in new_vars:
            yield Change("stage-variable-removed-while-referenced",
                         f"stage variable '{name}' removed from stage {sides.rev.name} but the API uses it", at)
        if sides.promotion and name not in old_vars:
            yield Change("stage-variable-undefined-in-target",
                         f"the API promoted from stage {sides.rev.name} uses stage variable '{name}', which stage "
                         f"{sides.base.name} does not define", at)


def run(ctx: DiffContext) -> Iterator[Change]:
    for pair in ctx.pairs:
        yield from _auth_checks(ctx, pair)
        yield from _integration_checks(pair)
        yield from _validator_checks(ctx, pair)
    yield from _authorizer_definitions(ctx)
    yield from _cors_checks(ctx)
    yield from _binary_checks(ctx)
    yield from _stage_variable_checks(ctx)
