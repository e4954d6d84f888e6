"""Which OpenAPI object sits at a place in a document: the grammar of OpenAPI 2.0 and 3.x as a table.

A ``$ref`` stands for the object its place expects (a parameter in a ``parameters`` list, a schema under
``properties``...), so the node it names is checked as that kind of object, wherever it lives. CloudFormation
``Fn::If`` branches stand for the node they sit in, so they are transparent here.
"""
from __future__ import annotations

# kind -> {key: child kind}; "*" matches any key or list index (a map or list of that kind); "[]" a list item
_COMMON_SCHEMA = {
    "properties": {"*": "schema"}, "items": "schema", "additionalProperties": "schema", "not": "schema",
    "allOf": {"*": "schema"},
}
_GRAMMAR_3 = {
    "document": {"paths": "paths", "components": "components", "webhooks": {"*": "path-item"}},
    "paths": {"*": "path-item"},
    "path-item": {"parameters": {"*": "parameter"}, **{m: "operation" for m in (
        "get", "put", "post", "delete", "options", "head", "patch", "trace", "x-amazon-apigateway-any-method")}},
    "operation": {"parameters": {"*": "parameter"}, "requestBody": "request-body", "responses": "responses",
                  "callbacks": {"*": "callback"}},
    "callback": {"*": "path-item"},
    "responses": {"*": "response"},
    "response": {"headers": {"*": "header"}, "content": {"*": "media-type"}, "links": {"*": "link"}},
    "request-body": {"content": {"*": "media-type"}},
    "media-type": {"schema": "schema", "examples": {"*": "example"}, "encoding": {"*": "encoding"}},
    "encoding": {"headers": {"*": "header"}},
    "parameter": {"schema": "schema", "content": {"*": "media-type"}, "examples": {"*": "example"}},
    "header": {"schema": "schema", "content": {"*": "media-type"}, "examples": {"*": "example"}},
    "components": {"schemas": {"*": "schema"}, "responses": {"*": "response"}, "parameters": {"*": "parameter"},
                   "examples": {"*": "example"}, "requestBodies": {"*": "request-body"}, "headers": {"*": "header"},
                   "securitySchemes": {"*": "security-scheme"}, "links": {"*": "link"},
                   "callbacks": {"*": "callback"}, "pathItems": {"*": "path-item"}},
    "schema": {**_COMMON_SCHEMA, "oneOf": {"*": "schema"}, "anyOf": {"*": "schema"},
               "patternProperties": {"*": "schema"}, "prefixItems": {"*": "schema"}, "$defs": {"*": "schema"},
               "dependentSchemas": {"*": "schema"}, "contains": "schema", "propertyNames": "schema", "if": "schema",
               "then": "schema", "else": "schema", "unevaluatedItems": "schema", "unevaluatedProperties": "schema"},
}
_GRAMMAR_2 = {
    "document": {"paths": "paths", "definitions": {"*": "schema"}, "parameters": {"*": "parameter"},
                 "responses": {"*": "response"}, "securityDefinitions": {"*": "security-scheme"}},
    "paths": {"*": "path-item"},
    "path-item": {"parameters": {"*": "parameter"}, **{m: "operation" for m in (
        "get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method")}},
    "operation": {"parameters": {"*": "parameter"}, "responses": "responses"},
    "responses": {"*": "response"},
    "response": {"schema": "schema", "headers": {"*": "header"}},
    "parameter": {"schema": "schema"},
    "schema": {**_COMMON_SCHEMA, "items": "schema"},
}

# kind -> the definition of the official JSON Schema (openapi-spec-validator's copies) that describes it
DEFINITIONS = {
    "2.0": {"path-item": "pathItem", "operation": "operation", "parameter": "parameter", "responses": "responses",
            "response": "response", "header": "header", "schema": "schema"},
    "3.0": {"path-item": "PathItem", "operation": "Operation", "parameter": "Parameter", "responses": "Responses",
            "response": "Response", "request-body": "RequestBody", "media-type": "MediaType", "header": "Header",
            "example": "Example", "link": "Link", "callback": "Callback", "schema": "Schema",
            "security-scheme": "SecurityScheme", "encoding": "Encoding"},
    "3.1": {"path-item": "path-item", "operation": "operation", "parameter": "parameter", "responses": "responses",
            "response": "response", "request-body": "request-body", "media-type": "media-type", "header": "header",
            "example": "example", "link": "link", "callback": "callbacks", "security-scheme": "security-scheme",
            "encoding": "encoding"},
}
DEFINITIONS["3.2"] = DEFINITIONS["3.1"]

# how a finding names the kind
NAMES = {"path-item": "path item", "request-body": "request body", "media-type": "media type",
         "security-scheme": "security scheme"}


def kind_at(major: str, start: str, pointer: tuple) -> str | None:
    """The kind of object at ``pointer`` below an object of kind ``start`` ("document" for the root); "map:K"
    for a map (or list) of objects of kind K (``content``, ``parameters``...); None when the place is not an
    OpenAPI object this table knows (an extension's value, an example, a schema keyword's value...)."""
    grammar = _GRAMMAR_2 if major == "2.0" else _GRAMMAR_3
    kind: str | None = start
    pending = None  # a map/list of kinds waiting for its key or index
    if start.startswith("map:"):
        kind, pending = None, start[4:]
    skip = 0
    for i, seg in enumerate(pointer):
        if skip:
            skip -= 1
            continue
        if seg == "Fn::If" and i + 1 < len(pointer) and pointer[i + 1] in (1, 2):
            skip = 1  # a branch stands for the node it sits in
            continue
        if pending is not None:
            kind, pending = pending, None
            continue
        children = grammar.get(kind or "")
        step = children.get(seg) if children and isinstance(seg, str) else None
        if step is None and children and "*" in children and not (isinstance(seg, str) and seg.startswith("x-")):
            step = children["*"]
        if step is None:
            return None
        if isinstance(step, dict):
            pending = step["*"]
            kind = None
        else:
            kind = step
    return f"map:{pending}" if pending is not None else kind


def kind_name(kind: str) -> str:
    return NAMES.get(kind, kind)
