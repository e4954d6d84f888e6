"""Writes the fixture pairs in this folder: ``<check-id>/base.yaml``, ``revision.yaml``,
``expected.txt`` (the exact ids ``apictl diff`` must report) and, for checks that need a diff option
(a deprecation policy), ``options.txt``. Run it after adding a case:

    python tests/diff_fixtures/generate.py

Schema keyword cases are written once (a base and a revision schema) and placed at every site that
has a check for them (request body/property/parameter, response body/property/header); the other
cases edit a tiny spec with a small function.
"""
from __future__ import annotations

import copy
import shutil
import sys
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from ruamel.yaml import YAML  # noqa: E402

from apictl.diff.checks import CHECKS, load_all_checks  # noqa: E402
from apictl.diff.checks.schema import SITES  # noqa: E402

S = {"type": "string"}
I = {"type": "integer"}
B = {"type": "boolean"}
ARR = {"type": "array", "items": S}
OBJ = {"type": "object"}

# kind -> (base schema, revision schema)
KEYWORD_CASES: dict[str, tuple[dict, dict]] = {
    "type-changed": (I, B),  # string to integer specialises a parameter (parameters are strings on the wire)
    "type-generalized": (I, {"type": "number"}),
    "type-specialized": ({"type": "number"}, I),
    "list-of-types-widened": ({"type": ["string", "integer"]}, {"type": ["string", "integer", "boolean"]}),
    "list-of-types-narrowed": ({"type": ["string", "integer", "boolean"]}, {"type": ["string", "integer"]}),
    "became-nullable": (S, {"type": ["string", "null"]}),
    "became-not-nullable": ({"type": "string", "nullable": True}, S),
    "became-enum": (S, {"type": "string", "enum": ["a", "b"]}),
    "enum-value-removed": ({"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["a"]}),
    "enum-value-added": ({"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["a", "b"]}),
    "x-extensible-enum-value-removed": ({"type": "string", "x-extensible-enum": ["a", "b"]},
                                        {"type": "string", "x-extensible-enum": ["a"]}),
    "x-extensible-enum-value-added": ({"type": "string", "x-extensible-enum": ["a"]},
                                      {"type": "string", "x-extensible-enum": ["a", "b"]}),
    "const-added": (S, {"type": "string", "const": "a"}),
    "const-removed": ({"type": "string", "const": "a"}, S),
    "const-changed": ({"type": "string", "const": "a"}, {"type": "string", "const": "b"}),
    "pattern-added": (S, {"type": "string", "pattern": "^a+$"}),
    "pattern-removed": ({"type": "string", "pattern": "^a+$"}, S),
    "pattern-changed": ({"type": "string", "pattern": "^a+$"}, {"type": "string", "pattern": "^b+$"}),
    "pattern-generalized": ({"type": "string", "pattern": "^a+$"}, {"type": "string", "pattern": ".*"}),
    "default-value-added": (S, {"type": "string", "default": "a"}),
    "default-value-removed": ({"type": "string", "default": "a"}, S),
    "default-value-changed": ({"type": "string", "default": "a"}, {"type": "string", "default": "b"}),
    "deprecated": (S, {"type": "string", "deprecated": True}),
    "reactivated": ({"type": "string", "deprecated": True}, S),
    "stability-decreased": ({"type": "string", "x-stability-level": "stable"}, {"type": "string", "x-stability-level": "beta"}),
    "stability-increased": ({"type": "string", "x-stability-level": "alpha"}, {"type": "string", "x-stability-level": "beta"}),
    "discriminator-added": ({**OBJ}, {**OBJ, "discriminator": {"propertyName": "kind"}}),
    "discriminator-removed": ({**OBJ, "discriminator": {"propertyName": "kind"}}, {**OBJ}),
    "discriminator-property-name-changed": ({**OBJ, "discriminator": {"propertyName": "kind"}},
                                            {**OBJ, "discriminator": {"propertyName": "type"}}),
    "discriminator-mapping-added": ({**OBJ, "discriminator": {"propertyName": "k"}},
                                    {**OBJ, "discriminator": {"propertyName": "k", "mapping": {"a": "#/x"}}}),
    "discriminator-mapping-deleted": ({**OBJ, "discriminator": {"propertyName": "k", "mapping": {"a": "#/x"}}},
                                      {**OBJ, "discriminator": {"propertyName": "k"}}),
    "discriminator-mapping-changed": ({**OBJ, "discriminator": {"propertyName": "k", "mapping": {"a": "#/x"}}},
                                      {**OBJ, "discriminator": {"propertyName": "k", "mapping": {"a": "#/y"}}}),
    "prefix-items-added": (ARR, {**ARR, "prefixItems": [S]}),
    "prefix-items-removed": ({**ARR, "prefixItems": [S]}, ARR),
    "content-media-type-changed": ({"type": "string", "contentMediaType": "image/png"},
                                   {"type": "string", "contentMediaType": "image/gif"}),
    "content-encoding-changed": ({"type": "string", "contentEncoding": "base64"},
                                 {"type": "string", "contentEncoding": "base32"}),
    "dependent-required-added": (OBJ, {**OBJ, "dependentRequired": {"a": ["b"]}}),
    "dependent-required-removed": ({**OBJ, "dependentRequired": {"a": ["b"]}}, OBJ),
    "dependent-required-changed": ({**OBJ, "dependentRequired": {"a": ["b"]}}, {**OBJ, "dependentRequired": {"a": ["c"]}}),
    "dependent-schema-added": (OBJ, {**OBJ, "dependentSchemas": {"a": OBJ}}),
    "dependent-schema-removed": ({**OBJ, "dependentSchemas": {"a": OBJ}}, OBJ),
    "pattern-property-added": (OBJ, {**OBJ, "patternProperties": {"^x-": S}}),
    "pattern-property-removed": ({**OBJ, "patternProperties": {"^x-": S}}, OBJ),
    "all-of-added": ({"allOf": [{"title": "A", "type": "object"}]},
                     {"allOf": [{"title": "A", "type": "object"}, {"title": "B", "minProperties": 1}]}),
    "all-of-removed": ({"allOf": [{"title": "A", "type": "object"}, {"title": "B", "minProperties": 1}]},
                       {"allOf": [{"title": "A", "type": "object"}]}),
    "all-of-added-annotation-only": ({"allOf": [{"title": "A", "type": "object"}]},
                                     {"allOf": [{"title": "A", "type": "object"}, {"title": "B", "description": "d"}]}),
    "all-of-removed-annotation-only": ({"allOf": [{"title": "A", "type": "object"}, {"title": "B", "description": "d"}]},
                                       {"allOf": [{"title": "A", "type": "object"}]}),
    "any-of-added": ({"anyOf": [{"title": "A", **S}]}, {"anyOf": [{"title": "A", **S}, {"title": "B", **I}]}),
    "any-of-removed": ({"anyOf": [{"title": "A", **S}, {"title": "B", **I}]}, {"anyOf": [{"title": "A", **S}]}),
    "one-of-added": ({"oneOf": [{"title": "A", **S}]}, {"oneOf": [{"title": "A", **S}, {"title": "B", **I}]}),
    "one-of-removed": ({"oneOf": [{"title": "A", **S}, {"title": "B", **I}]}, {"oneOf": [{"title": "A", **S}]}),
    "wrapped-in-one-of": ({**OBJ, "required": ["name"], "properties": {"name": S}},
                          {"oneOf": [{**OBJ, "required": ["name"], "properties": {"name": S}},
                                     {**OBJ, "required": ["serial"], "properties": {"serial": S}}]}),
}
for _kw, _frag, _extra in (("if", "if", {}), ("then", "then", {}), ("else", "else", {}), ("contains", "contains", ARR),
                           ("propertyNames", "property-names", OBJ), ("unevaluatedItems", "unevaluated-items", ARR),
                           ("unevaluatedProperties", "unevaluated-properties", OBJ),
                           ("contentSchema", "content-schema", S)):
    _base = dict(_extra) or dict(OBJ)
    KEYWORD_CASES[f"{_frag}-added"] = (_base, {**_base, _kw: {"minLength": 1} if _kw != "contains" else S})
    KEYWORD_CASES[f"{_frag}-removed"] = ({**_base, _kw: {"minLength": 1} if _kw != "contains" else S}, _base)
for _kw, _frag, _t in (("maximum", "max", I), ("minimum", "min", I), ("maxLength", "max-length", S),
                       ("minLength", "min-length", S), ("maxItems", "max-items", ARR), ("minItems", "min-items", ARR),
                       ("exclusiveMaximum", "exclusive-max", I), ("exclusiveMinimum", "exclusive-min", I),
                       ("maxContains", "max-contains", {**ARR, "contains": S}),
                       ("minContains", "min-contains", {**ARR, "contains": S})):
    KEYWORD_CASES[f"{_frag}-increased"] = ({**_t, _kw: 5}, {**_t, _kw: 10})
    KEYWORD_CASES[f"{_frag}-decreased"] = ({**_t, _kw: 10}, {**_t, _kw: 5})
    KEYWORD_CASES[f"{_frag}-set"] = (_t, {**_t, _kw: 5})
    KEYWORD_CASES[f"{_frag}-unset"] = ({**_t, _kw: 5}, _t)


def spec() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Fixture", "version": "1.0.0"},
        "paths": {"/items": {"post": {
            "operationId": "createItem",
            "parameters": [{"name": "q", "in": "query", "schema": dict(S)},
                           {"name": "X-Obj", "in": "header", "schema": {"type": "object", "properties": {"p": dict(S)}}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": dict(OBJ)}}},
            "responses": {"200": {"description": "ok", "headers": {"X-Rate": {"schema": dict(S)}},
                                  "content": {"application/json": {"schema": dict(OBJ)}}}},
        }}},
    }


def place(site: tuple[str, str], schema: dict) -> dict:
    s = spec()
    op = s["paths"]["/items"]["post"]
    direction, where = site
    schema = copy.deepcopy(schema)
    if direction == "request" and where == "body":
        op["requestBody"]["content"]["application/json"]["schema"] = schema
    elif direction == "request" and where == "property":
        op["requestBody"]["content"]["application/json"]["schema"] = {**OBJ, "properties": {"p": schema}}
    elif where == "parameter":
        op["parameters"][0]["schema"] = schema
    elif where == "parameter-property":
        op["parameters"][1]["schema"]["properties"]["p"] = schema
    elif where == "body":
        op["responses"]["200"]["content"]["application/json"]["schema"] = schema
    elif where == "property":
        op["responses"]["200"]["content"]["application/json"]["schema"] = {**OBJ, "properties": {"p": schema}}
    elif where == "header":
        op["responses"]["200"]["headers"]["X-Rate"]["schema"] = schema
    return s


def op(s: dict) -> dict:
    return s["paths"]["/items"]["post"]


Edit = Callable[[dict], Any]
# id -> (edit of the base spec, edit of the revision spec, other ids the same edit reports)
CASES: dict[str, tuple[Edit | None, Edit | None, tuple[str, ...]]] = {}
OPTIONS: dict[str, str] = {}  # id -> the diff options its pair needs (options.txt)
POLICY = "--deprecation-days-stable 30"
PAST, FUTURE = "2000-01-01", "9999-12-31"


def case(check_id: str, rev: Edit | None = None, base: Edit | None = None, also: tuple[str, ...] = (),
         options: str = "") -> None:
    CASES[check_id] = (base, rev, also)
    if options:
        OPTIONS[check_id] = options


def _props(s: dict, where: str) -> dict:
    if where == "request":
        schema = op(s)["requestBody"]["content"]["application/json"]["schema"]
    else:
        schema = op(s)["responses"]["200"]["content"]["application/json"]["schema"]
    schema.setdefault("properties", {})
    return schema


def _add_prop(where: str, name: str, required: bool = False, **extra: Any) -> Edit:
    def edit(s: dict) -> None:
        schema = _props(s, where)
        schema["properties"][name] = {**S, **extra}
        if required:
            schema.setdefault("required", []).append(name)
    return edit


def _both(*edits: Edit) -> Edit:
    def edit(s: dict) -> None:
        for e in edits:
            e(s)
    return edit


# -- properties ---------------------------------------------------------------------------------
case("new-required-request-property", _add_prop("request", "n", True))
case("new-required-request-property-with-default", _add_prop("request", "n", True, default="x"))
case("new-optional-request-property", _add_prop("request", "n"))
case("request-property-removed", base=_add_prop("request", "n"))
case("request-property-became-required", _add_prop("request", "n", True), _add_prop("request", "n"))
case("request-property-became-required-with-default", _add_prop("request", "n", True, default="x"),
     _add_prop("request", "n", default="x"))
case("request-property-became-optional", _add_prop("request", "n"), _add_prop("request", "n", True))
case("response-required-property-added", _add_prop("response", "n", True))
case("response-optional-property-added", _add_prop("response", "n"))
case("response-required-write-only-property-added", _add_prop("response", "n", True, writeOnly=True))
case("response-optional-write-only-property-added", _add_prop("response", "n", writeOnly=True))
case("response-required-property-removed", base=_add_prop("response", "n", True))
case("response-optional-property-removed", base=_add_prop("response", "n"))
case("response-required-write-only-property-removed", base=_add_prop("response", "n", True, writeOnly=True))
case("response-optional-write-only-property-removed", base=_add_prop("response", "n", writeOnly=True))
case("response-property-became-optional", _add_prop("response", "n"), _add_prop("response", "n", True))
case("response-write-only-property-became-optional", _add_prop("response", "n", writeOnly=True),
     _add_prop("response", "n", True, writeOnly=True))
case("response-property-became-required", _add_prop("response", "n", True), _add_prop("response", "n"))
case("response-write-only-property-became-required", _add_prop("response", "n", True, writeOnly=True),
     _add_prop("response", "n", writeOnly=True))
for _d in ("request", "response"):
    for _r in ("required", "optional"):
        for _flip, _kw, _now in (("read-only", "readOnly", True), ("not-read-only", "readOnly", False),
                                 ("write-only", "writeOnly", True), ("not-write-only", "writeOnly", False)):
            case(f"{_d}-{_r}-property-became-{_flip}", _add_prop(_d, "n", _r == "required", **{_kw: _now}),
                 _add_prop(_d, "n", _r == "required", **{_kw: not _now}))
case("request-read-only-property-enum-value-removed", _add_prop("request", "n", readOnly=True, enum=["a"]),
     _add_prop("request", "n", readOnly=True, enum=["a", "b"]))
for _frag, _kw, _old, _new, _t in (("max", "maximum", 10, 5, "integer"), ("exclusive-max", "exclusiveMaximum", 10, 5, "integer"),
                                   ("max-length", "maxLength", 10, 5, "string"), ("min", "minimum", 5, 10, "integer"),
                                   ("exclusive-min", "exclusiveMinimum", 5, 10, "integer")):
    case(f"request-read-only-property-{_frag}-{'decreased' if _old > _new else 'increased'}",
         _add_prop("request", "n", readOnly=True, type=_t, **{_kw: _new}),
         _add_prop("request", "n", readOnly=True, type=_t, **{_kw: _old}))
case("response-write-only-property-enum-value-added", _add_prop("response", "n", writeOnly=True, enum=["a", "b"]),
     _add_prop("response", "n", writeOnly=True, enum=["a"]))
for _d in ("request", "response"):  # deprecation of a property, with and without a policy
    case(f"{_d}-property-deprecated-with-sunset", _add_prop(_d, "n", deprecated=True, **{"x-sunset": FUTURE}),
         _add_prop(_d, "n"))
    case(f"{_d}-property-deprecated-sunset-missing", _add_prop(_d, "n", deprecated=True), _add_prop(_d, "n"),
         options=POLICY)
    case(f"{_d}-property-deprecated-sunset-invalid", _add_prop(_d, "n", deprecated=True, **{"x-sunset": "soon"}),
         _add_prop(_d, "n"))
    case(f"{_d}-property-sunset-date-too-small", _add_prop(_d, "n", deprecated=True, **{"x-sunset": PAST}),
         _add_prop(_d, "n"), options=POLICY)


def _header_prop(required: bool = False, **extra: Any) -> Edit:
    def edit(s: dict) -> None:
        schema = op(s)["parameters"][1]["schema"]
        schema["properties"]["n"] = {**S, **extra}
        if required:
            schema.setdefault("required", []).append("n")
    return edit


case("new-required-request-header-property", _header_prop(True))
case("request-header-property-became-required", _header_prop(True), _header_prop())
case("request-header-property-became-enum", _header_prop(enum=["a"]), _header_prop())


def _query_object(required: bool = False, **extra: Any) -> Edit:
    """An object-typed query parameter (deepObject): its properties are not a header's."""
    def edit(s: dict) -> None:
        param = op(s)["parameters"][0]
        param.update(style="deepObject", explode=True)
        param["schema"] = {"type": "object", "properties": {"p": dict(S), "n": {**S, **extra}}}
        if required:
            param["schema"]["required"] = ["n"]
    return edit


def _query_object_without_n(s: dict) -> None:
    _query_object()(s)
    del op(s)["parameters"][0]["schema"]["properties"]["n"]


case("new-required-request-parameter-property", _query_object(True), _query_object_without_n)
case("request-parameter-property-became-required", _query_object(True), _query_object())
case("request-parameter-property-became-enum", _query_object(enum=["a"]), _query_object())

# -- endpoints ----------------------------------------------------------------------------------
GET = {"operationId": "listItems", "responses": {"200": {"description": "ok"}}}


def _add_get(**extra: Any) -> Edit:
    return lambda s: s["paths"]["/items"].update(get={**copy.deepcopy(GET), **extra})


def _add_path(path: str = "/other", **extra: Any) -> Edit:
    return lambda s: s["paths"].update({path: {"get": {**copy.deepcopy(GET), "operationId": "other", **extra}}})


def _set(*keys: Any, value: Any) -> Edit:
    def edit(s: dict) -> None:
        node = s
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = copy.deepcopy(value)
    return edit


def _drop(*keys: Any) -> Edit:
    def edit(s: dict) -> None:
        node = s
        for k in keys[:-1]:
            node = node[k]
        del node[keys[-1]]
    return edit


POST = ("paths", "/items", "post")
case("endpoint-added", _add_get())
case("api-path-removed-without-deprecation", base=_add_path())
case("api-path-removed-with-deprecation", base=_add_path(deprecated=True))
case("api-path-removed-before-sunset", base=_add_path(deprecated=True, **{"x-sunset": "9999-01-01"}))
case("api-path-sunset-parse", base=_add_path(deprecated=True, **{"x-sunset": "soon"}))
case("api-removed-without-deprecation", base=_add_get())
case("api-removed-with-deprecation", base=_add_get(deprecated=True))
case("api-removed-before-sunset", base=_add_get(deprecated=True, **{"x-sunset": "9999-01-01"}))
case("endpoint-deprecated", _set(*POST, "deprecated", value=True))
case("endpoint-deprecated-with-sunset", _both(_set(*POST, "deprecated", value=True), _set(*POST, "x-sunset", value="2030-01-01")))
case("endpoint-reactivated", base=_set(*POST, "deprecated", value=True))
case("sunset-deleted", _set(*POST, "deprecated", value=True),
     _both(_set(*POST, "deprecated", value=True), _set(*POST, "x-sunset", value="2030-01-01")))
case("api-sunset-date-changed-too-small", _both(_set(*POST, "deprecated", value=True), _set(*POST, "x-sunset", value="2029-01-01")),
     _both(_set(*POST, "deprecated", value=True), _set(*POST, "x-sunset", value="2030-01-01")),
     options="--deprecation-days-stable 36500")
case("api-deprecated-sunset-missing", _set(*POST, "deprecated", value=True), options=POLICY)
case("api-deprecated-sunset-parse", _both(_set(*POST, "deprecated", value=True), _set(*POST, "x-sunset", value="next spring")))
case("api-sunset-date-too-small", _both(_set(*POST, "deprecated", value=True), _set(*POST, "x-sunset", value=PAST)),
     options=POLICY)
case("api-invalid-stability-level", _set(*POST, "x-stability-level", value="ga"),
     _set(*POST, "x-stability-level", value="stable"))
case("api-operation-id-removed", _drop(*POST, "operationId"))
case("api-operation-id-added", base=_drop(*POST, "operationId"))
case("api-tag-removed", base=_set(*POST, "tags", value=["items"]))
case("api-tag-added", _set(*POST, "tags", value=["items"]))
case("api-stability-decreased", _set(*POST, "x-stability-level", value="beta"), _set(*POST, "x-stability-level", value="stable"))
case("api-stability-increased", _set(*POST, "x-stability-level", value="stable"), _set(*POST, "x-stability-level", value="beta"))
case("webhook-added", _set("webhooks", value={"itemCreated": {"post": {"responses": {"200": {"description": "ok"}}}}}))
case("webhook-removed", base=_set("webhooks", value={"itemCreated": {"post": {"responses": {"200": {"description": "ok"}}}}}))
case("api-schema-removed", base=_set("components", value={"schemas": {"Unused": OBJ}}))

# -- parameters ---------------------------------------------------------------------------------
PARAMS = POST + ("parameters",)


def _add_param(required: bool = False, where: tuple = PARAMS, **extra: Any) -> Edit:
    def edit(s: dict) -> None:
        node = s
        for k in where:
            node = node.setdefault(k, []) if k == "parameters" else node[k]
        node.append({"name": "n", "in": "query", "required": required, "schema": dict(S), **extra})
    return edit


case("new-required-request-parameter", _add_param(True))
case("new-optional-request-parameter", _add_param())
def _templated(declared: bool) -> Edit:
    def edit(s: dict) -> None:
        s["paths"]["/items/{id}"] = s["paths"].pop("/items")
        if declared:
            s["paths"]["/items/{id}"]["post"]["parameters"].append(
                {"name": "id", "in": "path", "required": True, "schema": dict(S)})
    return edit


case("new-request-path-parameter", _templated(True), _templated(False))
case("new-required-request-default-parameter-to-existing-path", _add_param(True, where=("paths", "/items", "parameters")))
case("new-optional-request-default-parameter-to-existing-path", _add_param(where=("paths", "/items", "parameters")))
case("request-parameter-removed", base=_add_param())
case("request-parameter-removed-with-deprecation", base=_add_param(deprecated=True))
case("request-parameter-removed-before-sunset", base=_add_param(deprecated=True, **{"x-sunset": "9999-01-01"}))
case("request-parameter-sunset-parse", base=_add_param(deprecated=True, **{"x-sunset": "soon"}))
case("request-parameter-became-required", _add_param(True), _add_param())
case("request-parameter-became-optional", _add_param(), _add_param(True))
case("request-parameter-deprecated", _add_param(deprecated=True), _add_param())
case("request-parameter-reactivated", _add_param(), _add_param(deprecated=True))
case("request-parameter-sunset-deleted", _add_param(deprecated=True), _add_param(deprecated=True, **{"x-sunset": "2030-01-01"}))
case("request-parameter-deprecated-sunset-missing", _add_param(deprecated=True), _add_param(), options=POLICY)
case("request-parameter-sunset-date-too-small", _add_param(deprecated=True, **{"x-sunset": PAST}), _add_param(),
     options=POLICY)
case("request-parameter-sunset-date-changed-too-small", _add_param(deprecated=True, **{"x-sunset": PAST}),
     _add_param(deprecated=True, **{"x-sunset": "2000-06-01"}))

# -- request bodies -----------------------------------------------------------------------------
BODY = POST + ("requestBody",)
case("request-body-added-required", base=_drop(*BODY))
case("request-body-added-optional", _set(*BODY, "required", value=False), _drop(*BODY))
case("request-body-removed", _drop(*BODY))
case("request-body-became-required", base=_set(*BODY, "required", value=False))
case("request-body-became-optional", _set(*BODY, "required", value=False))
case("request-body-media-type-added", _set(*BODY, "content", "application/xml", value={"schema": OBJ}))
case("request-body-media-type-removed", base=_set(*BODY, "content", "application/xml", value={"schema": OBJ}))
case("request-body-media-type-schema-added", base=_set(*BODY, "content", "application/json", value={}))
case("request-body-media-type-schema-removed", _set(*BODY, "content", "application/json", value={}))

# -- responses ----------------------------------------------------------------------------------
RESP = POST + ("responses",)
case("response-success-status-removed", base=_set(*RESP, "201", value={"description": "created"}))
case("response-success-status-added", _set(*RESP, "201", value={"description": "created"}))
case("response-non-success-status-removed", base=_set(*RESP, "404", value={"description": "nope"}))
case("response-non-success-status-added", _set(*RESP, "404", value={"description": "nope"}))
case("response-media-type-removed", base=_set(*RESP, "200", "content", "application/xml", value={"schema": OBJ}))
case("response-media-type-added", _set(*RESP, "200", "content", "application/xml", value={"schema": OBJ}))
case("response-body-media-type-schema-added", base=_set(*RESP, "200", "content", "application/json", value={}))
case("response-body-media-type-schema-removed", _set(*RESP, "200", "content", "application/json", value={}))
case("required-response-header-removed", base=_set(*RESP, "200", "headers", "X-Req", value={"required": True, "schema": S}))
case("optional-response-header-removed", _drop(*RESP, "200", "headers", "X-Rate"))
case("response-header-added", _set(*RESP, "200", "headers", "X-New", value={"schema": S}))
case("response-header-became-optional", _set(*RESP, "200", "headers", "X-Rate", "required", value=False),
     _set(*RESP, "200", "headers", "X-Rate", "required", value=True))

# -- security -----------------------------------------------------------------------------------
SCHEMES = {"Key": {"type": "apiKey", "name": "x-api-key", "in": "header"},
           "OAuth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a/token",
                                                                       "scopes": {"read": "r", "write": "w"}}}}}
with_schemes = _set("components", value={"securitySchemes": SCHEMES})
case("api-security-added", _both(with_schemes, _set(*POST, "security", value=[{"OAuth": ["read"]}])), with_schemes)
case("api-security-removed", with_schemes, _both(with_schemes, _set(*POST, "security", value=[{"OAuth": ["read"]}])))
case("api-security-scope-added", _both(with_schemes, _set(*POST, "security", value=[{"OAuth": ["read", "write"]}])),
     _both(with_schemes, _set(*POST, "security", value=[{"OAuth": ["read"]}])))
case("api-security-scope-removed", _both(with_schemes, _set(*POST, "security", value=[{"OAuth": ["read"]}])),
     _both(with_schemes, _set(*POST, "security", value=[{"OAuth": ["read", "write"]}])))
case("api-global-security-added", _both(with_schemes, _set("security", value=[{"OAuth": []}])), with_schemes)
case("api-global-security-removed", with_schemes, _both(with_schemes, _set("security", value=[{"OAuth": []}])))
case("api-global-security-scope-added", _both(with_schemes, _set("security", value=[{"OAuth": ["read"]}])),
     _both(with_schemes, _set("security", value=[{"OAuth": []}])))
case("api-global-security-scope-removed", _both(with_schemes, _set("security", value=[{"OAuth": []}])),
     _both(with_schemes, _set("security", value=[{"OAuth": ["read"]}])))
case("api-security-component-added", with_schemes)
case("api-security-component-removed", base=with_schemes)
FLOW = ("components", "securitySchemes", "OAuth", "flows", "clientCredentials")
case("api-security-component-type-changed", _both(with_schemes, _set("components", "securitySchemes", "Key", "type", value="http"),
                                                  _set("components", "securitySchemes", "Key", "scheme", value="bearer")), with_schemes)
case("api-security-component-oauth-token-url-changed", _both(with_schemes, _set(*FLOW, "tokenUrl", value="https://b/token")),
     with_schemes)
case("api-security-component-oauth-url-changed", _both(with_schemes, _set("components", "securitySchemes", "OAuth", "flows",
                                                                          value={"implicit": {"authorizationUrl": "https://b",
                                                                                              "scopes": {}}})),
     _both(with_schemes, _set("components", "securitySchemes", "OAuth", "flows",
                              value={"implicit": {"authorizationUrl": "https://a", "scopes": {}}})))
case("api-security-component-oauth-scope-added", _both(with_schemes, _set(*FLOW, "scopes", "admin", value="a")), with_schemes)
case("api-security-component-oauth-scope-removed", with_schemes, _both(with_schemes, _set(*FLOW, "scopes", "admin", value="a")))

# -- API Gateway --------------------------------------------------------------------------------
GW_SCHEMES = {
    "Cognito": {"type": "apiKey", "name": "Authorization", "in": "header",
                "x-amazon-apigateway-authtype": "cognito_user_pools",
                "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": ["arn:aws:cognito-idp:eu-west-1:1:userpool/a"]}},
    "Lambda": {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "custom",
               "x-amazon-apigateway-authorizer": {"type": "request", "identitySource": "method.request.header.Authorization",
                                                  "authorizerUri": "arn:aws:apigateway:eu-west-1:lambda:path/f/invocations"}},
    "ApiKey": {"type": "apiKey", "name": "x-api-key", "in": "header"},
}
gw = _set("components", value={"securitySchemes": GW_SCHEMES})


def secured(*alts: dict) -> Edit:
    return _both(gw, _set(*POST, "security", value=list(alts)))


INTEGRATION = {"type": "aws_proxy", "httpMethod": "POST", "uri": "arn:aws:apigateway:eu-west-1:lambda:path/a/invocations",
               "timeoutInMillis": 10000, "passthroughBehavior": "when_no_match"}


def integration(**changes: Any) -> Edit:
    return _set(*POST, "x-amazon-apigateway-integration", value={**INTEGRATION, **changes})


case("api-authorizer-removed", secured(), secured({"Cognito": []}), also=("api-security-removed",))
case("api-authorizer-added", secured({"Cognito": []}), gw, also=("api-security-added",))
case("api-authorizer-weakened", secured({"Cognito": []}, {"Lambda": []}), secured({"Cognito": []}),
     also=("api-security-added",))
case("api-authorizer-changed", secured({"Lambda": []}), secured({"Cognito": []}),
     also=("api-security-added", "api-security-removed"))
case("authorizer-identity-source-changed", _both(gw, _set("components", "securitySchemes", "Lambda", "x-amazon-apigateway-authorizer",
                                                          "identitySource", value="method.request.header.X-Token")), gw)
case("authorizer-definition-changed", _both(gw, _set("components", "securitySchemes", "Lambda", "x-amazon-apigateway-authorizer",
                                                     "authorizerUri", value="arn:aws:apigateway:eu-west-1:lambda:path/g/invocations")), gw)
case("api-key-requirement-dropped", secured(), secured({"ApiKey": []}), also=("api-security-removed",))
case("api-key-requirement-added", secured({"ApiKey": []}), gw, also=("api-security-added",))
case("api-key-source-changed", _set("x-amazon-apigateway-api-key-source", value="AUTHORIZER"),
     _set("x-amazon-apigateway-api-key-source", value="HEADER"))
case("integration-removed", base=integration())
case("integration-added", integration())
case("integration-type-changed", integration(type="http_proxy"), integration())
case("integration-target-changed", integration(uri="arn:aws:apigateway:eu-west-1:lambda:path/b/invocations"), integration())
case("integration-timeout-decreased", integration(timeoutInMillis=5000), integration())
case("integration-timeout-increased", integration(timeoutInMillis=20000), integration())
case("integration-payload-format-version-changed", integration(payloadFormatVersion="2.0"), integration(payloadFormatVersion="1.0"))
case("integration-passthrough-narrowed", integration(passthroughBehavior="never"), integration())
VALIDATORS = {"all": {"validateRequestBody": True, "validateRequestParameters": True}}
case("request-validator-removed", _set("x-amazon-apigateway-request-validators", value=VALIDATORS),
     _both(_set("x-amazon-apigateway-request-validators", value=VALIDATORS), _set(*POST, "x-amazon-apigateway-request-validator", value="all")))
case("request-validator-added", _both(_set("x-amazon-apigateway-request-validators", value=VALIDATORS),
                                      _set("x-amazon-apigateway-request-validator", value="all")),
     _set("x-amazon-apigateway-request-validators", value=VALIDATORS))
CORS = {"allowOrigins": ["https://a.example", "https://b.example"], "allowMethods": ["GET", "POST"],
        "allowHeaders": ["content-type", "authorization"], "allowCredentials": True}
case("cors-removed", base=_set("x-amazon-apigateway-cors", value=CORS))
case("cors-origin-removed", _set("x-amazon-apigateway-cors", value={**CORS, "allowOrigins": ["https://a.example"]}),
     _set("x-amazon-apigateway-cors", value=CORS))
case("cors-method-removed", _set("x-amazon-apigateway-cors", value={**CORS, "allowMethods": ["GET"]}),
     _set("x-amazon-apigateway-cors", value=CORS))
case("cors-header-removed", _set("x-amazon-apigateway-cors", value={**CORS, "allowHeaders": ["content-type"]}),
     _set("x-amazon-apigateway-cors", value=CORS))
case("cors-credentials-disabled", _set("x-amazon-apigateway-cors", value={**CORS, "allowCredentials": False}),
     _set("x-amazon-apigateway-cors", value=CORS))
case("cors-widened", _set("x-amazon-apigateway-cors", value={**CORS, "allowMethods": ["GET", "POST", "PUT"]}),
     _set("x-amazon-apigateway-cors", value=CORS))
case("binary-media-type-removed", _set("x-amazon-apigateway-binary-media-types", value=["image/png"]),
     _set("x-amazon-apigateway-binary-media-types", value=["image/png", "image/jpeg"]))
case("binary-media-type-added", _set("x-amazon-apigateway-binary-media-types", value=["image/png", "image/jpeg"]),
     _set("x-amazon-apigateway-binary-media-types", value=["image/png"]))


def schema_cases() -> None:
    load_all_checks()
    from apictl.diff.checks.schema import RENAMES

    for (direction, where), kinds in SITES.items():
        for kind in kinds:
            check_id = RENAMES.get(f"{direction}-{where}-{kind}", f"{direction}-{where}-{kind}")
            if kind not in KEYWORD_CASES:
                raise SystemExit(f"no keyword case for {kind}")
            base, rev = KEYWORD_CASES[kind]
            CASES[check_id] = (lambda s, b=base, site=(direction, where): s.update(place(site, b)),
                               lambda s, r=rev, site=(direction, where): s.update(place(site, r)), ())


def main() -> None:
    schema_cases()
    yaml = YAML()
    yaml.default_flow_style = None
    yaml.width = 120
    for folder in HERE.iterdir():
        if folder.is_dir() and (folder / "expected.txt").exists():
            shutil.rmtree(folder)
    for check_id, (base_edit, rev_edit, also) in sorted(CASES.items()):
        if check_id not in CHECKS:
            raise SystemExit(f"unknown check id {check_id}")
        folder = HERE / check_id
        folder.mkdir()
        for name, edit in (("base.yaml", base_edit), ("revision.yaml", rev_edit)):
            s = spec()
            if edit:
                edit(s)
            with open(folder / name, "w", encoding="utf-8") as fh:
                yaml.dump(s, fh)
        (folder / "expected.txt").write_text("\n".join(sorted({check_id, *also})) + "\n", encoding="utf-8")
        if check_id in OPTIONS:
            (folder / "options.txt").write_text(OPTIONS[check_id] + "\n", encoding="utf-8")
    print(f"{len(CASES)} fixture pairs written; {len(set(CHECKS) - set(CASES))} checks without one")


if __name__ == "__main__":
    main()
