"""Import rules (section 2): what REST and HTTP API import reject (errors) or silently drop
(warnings): versions, path segments, greedy paths, models, external references, size, quotas."""
from __future__ import annotations

from typing import Any, Iterator

from ...lazy_re import lazy_compile
from ...model.api import Api, Operation
from ...model.schemas import iter_subschemas
from ...source.document import Document
from ..gateway import builtin_model_ref, rationale
from ..registry import Rule, check, declare

declare(
    Rule("apigw-openapi-version-unsupported", "error", "API Gateway cannot import this OpenAPI version",
         "REST APIs import OpenAPI 2.0 and 3.0; HTTP APIs only 3.0 (write openapi: 3.0.3).", "gateway",
         example="openapi: 3.1.0", rationale=rationale("2.1, 2.4", "the import fails")),
    Rule("apigw-path-segment-invalid", "error", "A REST path segment has characters API Gateway does not allow",
         "Use letters, digits and _ - . , : in segments; a {parameter} must be a whole segment.", "gateway",
         example="paths: {/files/{name}.json: {}}", rationale=rationale("2.1 item 1, 1.2", "the import fails. "
                                                                        "HTTP APIs are not checked: their path "
                                                                        "/$default is the documented default route")),
    Rule("apigw-greedy-path-not-last", "error", "A greedy path variable {name+} has segments after it",
         "Make {proxy+} the last segment; a greedy resource cannot have children.", "gateway",
         example="paths: {/{proxy+}/child: {}}", rationale=rationale("2.2", "the import fails")),
    Rule("apigw-model-name-invalid", "error", "A schema name that is not alphanumeric cannot become a REST model",
         "Rename the schema to letters and digits only (e.g. Pet_Input -> PetInput) and update its $refs.",
         "gateway", example="components: {schemas: {pet-input: {type: object}}}",
         rationale=rationale("2.1 item 2, 2.5", "model names must be alphanumeric; the import fails")),
    Rule("apigw-external-ref", "error", "A $ref points into another file, which API Gateway import cannot follow",
         "Bundle the spec into one file before importing (inline the referenced definitions).", "gateway",
         example="schema: {$ref: 'models.yaml#/Pet'}", rationale=rationale("2.1 item 15", "the import fails")),
    Rule("apigw-builtin-model-ref", "warning", "A $ref to API Gateway's built-in Empty or Error model, which the "
         "document does not define", "Define the schema under components.schemas (definitions in 2.0), e.g. "
         "Empty: {type: object, title: Empty Schema}, so that other tools can resolve it too.", "gateway",
         example="schema: {$ref: '#/components/schemas/Empty'}   # and no components.schemas.Empty",
         rationale=rationale("2.5", "every REST API has the models Empty and Error, and import resolves a $ref to "
                             "them (AWS's samples rely on it), so API Gateway accepts the definition; as OpenAPI "
                             "the $ref does not resolve, and SDK generators, mocks and other linters fail on it")),
    Rule("apigw-response-ref-unsupported", "error", "A response is a $ref to the 2.0 root responses section",
         "Inline the response (or its schema) in the operation.", "gateway",
         example="responses: {'500': {$ref: '#/responses/UnexpectedError'}}",
         rationale=rationale("2.1 item 16", "REST import does not support root-level response references")),
    Rule("apigw-response-schema-primitive", "warning", "A method response schema is an inline primitive type",
         "Give the response an object schema, or $ref a named schema of that primitive type.", "gateway",
         example="responses: {'200': {content: {application/json: {schema: {type: string}}}}}",
         rationale=rationale("2.1 item 19", "the known-issues page says REST import rejects primitive method response "
                             "schemas; AWS's own streaming sample uses one, so this is a warning, not an error")),
    Rule("apigw-model-keyword-ignored", "warning", "A validated request body relies on a schema keyword REST "
         "models do not support", "Drop nullable from request properties (omit the property instead of sending "
         "null), and use integer types instead of number formats int32/int64/decimal.", "gateway",
         example="x-amazon-apigateway-request-validators: {all: {validateRequestBody: true}}\n"
                 "...requestBody schema: {type: object, properties: {note: {type: string, nullable: true}}}",
         rationale=rationale("2.1 items 6, 9, 17, 18", "models are JSON Schema draft 4 and the keyword is dropped: "
                             "API Gateway answers 400 to bodies the spec allows (null values) or imports a different "
                             "model. Keywords whose loss only makes the gateway less strict (minItems, maxItems, "
                             "exclusiveMinimum, pattern...) are not reported: the backend checks them anyway")),
    Rule("apigw-definition-too-large", "error", "The definition is larger than the 6 MB import limit",
         "Split the API, or move documentation out of the definition.", "gateway",
         example="# a 7 MB openapi.yaml", rationale=rationale("2.3, 7.2", "import and put reject larger files")),
    Rule("apigw-resource-quota", "warning", "More resources (REST) or routes (HTTP) than the default quota of 300",
         "Ask for a quota increase, or split the API.", "gateway", example="# 301 distinct paths",
         rationale=rationale("2.2, 7.2, 7.3", "the import fails once the quota is reached")),
    Rule("apigw-policy-too-large", "warning", "The resource policy is longer than the default quota of 8192 "
         "characters", "Shorten the policy (fewer statements, wildcards), or ask for a quota increase.", "gateway",
         example="x-amazon-apigateway-policy: {Version: '2012-10-17', Statement: [...]}   # 9,000 characters",
         rationale=rationale("1.17, 7.2", "the import is rejected while the policy is over the quota (counted "
                             "here as compact JSON, the least it can take)")),
    Rule("apigw-model-too-large", "error", "A schema that becomes a REST model is larger than 400 KB",
         "Split the schema into smaller named schemas that $ref each other.", "gateway",
         example="components: {schemas: {Catalog: {...}}}   # 410 KB of JSON", rationale=rationale(
             "2.5, 7.2", "a model schema is at most 400 KB (a fixed quota); the import fails")),
    Rule("apigw-reserved-path", "warning", "A root-level /ping or /sping path, which API Gateway reserves",
         "Rename the resource (e.g. /health), or nest it under another segment.", "gateway",
         example="paths: {/ping: {get: {...}}}",
         rationale=rationale("2.1", "API Gateway uses /ping and /sping for its health check: behind a custom domain "
                             "the route never gets the request")),
)

SEGMENT = lazy_compile(r"^([A-Za-z0-9_\-.,:]+|\{[A-Za-z0-9_\-.]+\+?\})$")
MODEL_NAME = lazy_compile(r"^[A-Za-z0-9]+$")
MAX_DEFINITION_BYTES = 6 * 1024 * 1024
RESOURCE_QUOTA = 300
MAX_POLICY_CHARS = 8192
MAX_MODEL_BYTES = 400 * 1024
RESERVED_PATHS = ("/ping", "/sping")
PRIMITIVES = ("string", "integer", "number", "boolean")


@check("apigw-openapi-version-unsupported", "apigw-definition-too-large", "apigw-resource-quota",
       "apigw-policy-too-large", "apigw-model-too-large")
def check_document(ctx):
    api = ctx.api
    if not api.targets_gateway:
        return
    key = "swagger" if api.is_swagger else "openapi"
    if api.major == "3.1" or (api.is_swagger and api.api_type == "http"):
        accepts = "OpenAPI 3.0" if api.api_type == "http" else "OpenAPI 2.0 and 3.0"
        yield ctx.finding("apigw-openapi-version-unsupported",
                          f"{api.api_type.upper()} API import accepts {accepts}, not {api.version}", (key,))
    if not api.document.base_pointer:
        size = len(api.document.text.encode("utf-8"))
        if size > MAX_DEFINITION_BYTES:
            yield ctx.finding("apigw-definition-too-large", f"the definition is {size:,} bytes; API Gateway imports "
                              f"at most {MAX_DEFINITION_BYTES:,}", ())
    count, what = _resource_count(api)
    if count > RESOURCE_QUOTA:
        yield ctx.finding("apigw-resource-quota", f"{count} {what}; the default quota is {RESOURCE_QUOTA}", ("paths",))
    if api.api_type != "rest":
        return
    policy = api.data.get("x-amazon-apigateway-policy")
    if isinstance(policy, (dict, list)) and len(_compact(policy)) > MAX_POLICY_CHARS:
        yield ctx.finding("apigw-policy-too-large", f"the resource policy is {len(_compact(policy)):,} characters "
                          f"as compact JSON; the default quota is {MAX_POLICY_CHARS:,}", ("x-amazon-apigateway-policy",))
    for name, schema in api.schemas().items():
        size = len(_compact(schema).encode("utf-8")) if isinstance(schema, dict) else 0
        if size > MAX_MODEL_BYTES:
            yield ctx.finding("apigw-model-too-large", f"schema '{name}' is {size:,} bytes as compact JSON; a REST "
                              f"model is at most {MAX_MODEL_BYTES:,}", api.schemas_pointer + (name,))


def _compact(value) -> str:
    import json

    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def _resource_count(api: Api) -> tuple[int, str]:
    if api.api_type == "http":
        return len(api.operations), "routes"
    resources = set()
    for path in api.paths:
        segments = [s for s in str(path).split("/") if s]
        for i in range(1, len(segments) + 1):
            resources.add("/".join(segments[:i]))
    return len(resources), "resources (every path prefix is one)"


@check("apigw-path-segment-invalid", "apigw-greedy-path-not-last", "apigw-reserved-path")
def check_paths(ctx):
    api = ctx.api
    if not api.targets_gateway:
        return
    for path in api.paths:
        path = str(path)
        pointer = ("paths", path)
        if path.rstrip("/") in RESERVED_PATHS:
            yield ctx.finding("apigw-reserved-path", f"path '{path}' is reserved for API Gateway's health check; behind "
                              "a custom domain this route does not get the request", pointer)
        segments = [s for s in path.split("/") if s]
        for i, segment in enumerate(segments):
            if segment.startswith("{") and segment.endswith("+}") and i < len(segments) - 1:
                yield ctx.finding("apigw-greedy-path-not-last",
                                  f"path '{path}': greedy {segment} must be the last segment", pointer)
                break
        if api.api_type != "rest":
            continue
        bad = [s for s in segments if not SEGMENT.match(s)]
        if segments == ["$default"]:
            yield ctx.finding("apigw-path-segment-invalid", "path '/$default' is the HTTP API default route; REST APIs "
                              "have no default route (use /{proxy+} with x-amazon-apigateway-any-method)", pointer)
        elif bad:
            inner = any("{" in s for s in bad)
            why = "a {parameter} must be a whole segment" if inner else "only letters, digits and _ - . , : are allowed"
            yield ctx.finding("apigw-path-segment-invalid", f"path '{path}': segment '{bad[0]}': {why}", pointer)


@check("apigw-model-name-invalid", "apigw-external-ref", "apigw-response-ref-unsupported",
       "apigw-response-schema-primitive", "apigw-builtin-model-ref")
def check_models(ctx):
    api = ctx.api
    if not api.targets_gateway or api.api_type != "rest":
        return
    for pointer, ref in api.document.refs:
        if builtin_model_ref(api, api.document, ref) and api.workspace.resolve(api.document, ref) is None:
            yield ctx.finding("apigw-builtin-model-ref", f"$ref '{ref}' names API Gateway's built-in model, which "
                              "this document does not define: API Gateway resolves it, other tools cannot",
                              pointer + ("$ref",))
    for name in api.schemas():
        if not MODEL_NAME.match(str(name)):
            yield ctx.finding("apigw-model-name-invalid", f"schema name '{name}' is not alphanumeric",
                              api.schemas_pointer + (name,))
    for doc, pointer, ref in api.workspace.all_refs():
        if doc is api.document and not ref.startswith("#"):
            yield ctx.finding("apigw-external-ref", f"$ref '{ref}' points into another file", pointer + ("$ref",), doc)
    for op in api.operations:
        responses = op.node.get("responses")
        if not isinstance(responses, dict):
            continue
        for code, response in responses.items():
            pointer = op.pointer + ("responses", code)
            ref = response.get("$ref") if isinstance(response, dict) else None
            if api.is_swagger and isinstance(ref, str) and ref.startswith("#/responses/"):
                yield ctx.finding("apigw-response-ref-unsupported", f"{op.label}: response {code} is a $ref to "
                                  f"'{ref}'", pointer + ("$ref",), op.document)
                continue
            doc, ptr, node = api.deref(op.document, response, pointer)
            for schema_ptr, schema in _response_schemas(api, node, ptr):
                if isinstance(schema, dict) and "$ref" not in schema and schema.get("type") in PRIMITIVES:
                    yield ctx.finding("apigw-response-schema-primitive", f"{op.label}: response {code} has an inline "
                                      f"{schema['type']} schema", schema_ptr, doc)


def _response_schemas(api: Api, node: Any, pointer: tuple) -> Iterator[tuple[tuple, Any]]:
    if not isinstance(node, dict):
        return
    if api.is_swagger:
        if "schema" in node:
            yield pointer + ("schema",), node["schema"]
        return
    content = node.get("content")
    if isinstance(content, dict):
        for media, media_node in content.items():
            if isinstance(media_node, dict) and "schema" in media_node:
                yield pointer + ("content", media, "schema"), media_node["schema"]


@check("apigw-model-keyword-ignored")
def check_validated_bodies(ctx):
    api = ctx.api
    if not api.targets_gateway or api.api_type != "rest":
        return
    seen: set[tuple[int, tuple, str]] = set()
    for op in api.operations:
        if not _validates_body(api, op):
            continue
        for doc, pointer, schema in api.request_body_schemas(op):
            for sdoc, sptr, node in _reachable(api, doc, pointer, schema):
                for keyword, why in _ignored_keywords(node):
                    key = (id(sdoc), sptr, keyword)
                    if key in seen:
                        continue
                    seen.add(key)
                    yield ctx.finding("apigw-model-keyword-ignored", f"{op.label} validates its body, but {why}",
                                      sptr + (keyword,), sdoc)


def _validates_body(api: Api, op: Operation) -> bool:
    validators = api.data.get("x-amazon-apigateway-request-validators")
    name = op.node.get("x-amazon-apigateway-request-validator", api.data.get("x-amazon-apigateway-request-validator"))
    if not isinstance(validators, dict) or not isinstance(name, str):
        return False
    validator = validators.get(name)
    return isinstance(validator, dict) and validator.get("validateRequestBody") is True


def _reachable(api: Api, doc: Document, pointer: tuple, schema: Any) -> Iterator[tuple[Document, tuple, dict]]:
    """Every schema object reachable from ``schema``, following $refs, each once."""
    stack = [(doc, pointer, schema)]
    visited: set[tuple[int, tuple]] = set()
    while stack:
        doc, pointer, node = stack.pop()
        doc, pointer, node = api.deref(doc, node, pointer)
        if not isinstance(node, dict) or (id(doc), pointer) in visited:
            continue
        visited.add((id(doc), pointer))
        yield doc, pointer, node
        stack.extend((doc, sub_ptr, sub) for sub_ptr, sub in iter_subschemas(node, pointer))


def _ignored_keywords(schema: dict) -> Iterator[tuple[str, str]]:
    if schema.get("nullable") is True:
        yield "nullable", "nullable is not supported: API Gateway answers 400 to null here"
    fmt = schema.get("format")
    if schema.get("type") == "number" and fmt in ("int32", "int64", "decimal"):
        yield "format", f"format {fmt} on a number is not supported"
