"""Where schema objects live in OpenAPI 2.0/3.x documents, and a walk over all of them."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from ..source.document import Document
    from .api import Api

SUBSCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs", "dependentSchemas")
SUBSCHEMA_LISTS = ("allOf", "oneOf", "anyOf", "prefixItems")
SUBSCHEMA_SINGLE = ("items", "additionalProperties", "not", "if", "then", "else", "contains",
                    "propertyNames", "unevaluatedItems", "unevaluatedProperties", "additionalItems")


_KIND = {**{k: "map" for k in SUBSCHEMA_MAPS}, **{k: "list" for k in SUBSCHEMA_LISTS},
         **{k: "single" for k in SUBSCHEMA_SINGLE}}


def iter_subschemas(schema: dict, pointer: tuple) -> Iterator[tuple[tuple, dict]]:
    kind_of = _KIND.get
    for key, value in schema.items():
        kind = kind_of(key)
        if kind is None:
            continue
        if type(value) is dict:
            if kind == "single":
                yield pointer + (key,), value
            elif kind == "map":
                for name, v in value.items():
                    if type(v) is dict:
                        yield pointer + (key, name), v
        elif type(value) is list and kind != "map":
            for i, v in enumerate(value):
                if type(v) is dict:
                    yield pointer + (key, i), v


def _schema_roots(api: "Api") -> Iterator[tuple[tuple, Any]]:
    data = api.data
    if api.is_swagger:
        for name, s in (data.get("definitions") or {}).items() if isinstance(data.get("definitions"), dict) else ():
            yield ("definitions", name), s
    else:
        comps = data.get("components") if isinstance(data.get("components"), dict) else {}
        schemas = comps.get("schemas")
        if isinstance(schemas, dict):
            for name, s in schemas.items():
                yield ("components", "schemas", name), s
        for section in ("parameters", "headers"):
            group = comps.get(section)
            if isinstance(group, dict):
                for name, p in group.items():
                    if isinstance(p, dict):
                        yield from _parameter_schemas(p, ("components", section, name), False)
        for section in ("requestBodies", "responses"):
            group = comps.get(section)
            if isinstance(group, dict):
                for name, body in group.items():
                    if isinstance(body, dict):
                        yield from _content_schemas(body, ("components", section, name))
    paths = data.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        base = ("paths", path)
        yield from _parameter_list(item.get("parameters"), base + ("parameters",), api.is_swagger)
        for method, op in item.items():
            if not isinstance(op, dict) or method in ("parameters", "servers", "summary", "description", "$ref"):
                continue
            ob = base + (method,)
            yield from _parameter_list(op.get("parameters"), ob + ("parameters",), api.is_swagger)
            body = op.get("requestBody")
            if isinstance(body, dict):
                yield from _content_schemas(body, ob + ("requestBody",))
            responses = op.get("responses")
            if isinstance(responses, dict):
                for code, resp in responses.items():
                    if not isinstance(resp, dict):
                        continue
                    rb = ob + ("responses", code)
                    if api.is_swagger and isinstance(resp.get("schema"), dict):
                        yield rb + ("schema",), resp["schema"]
                    yield from _content_schemas(resp, rb)
                    headers = resp.get("headers")
                    if isinstance(headers, dict):
                        for hname, h in headers.items():
                            if isinstance(h, dict):
                                yield from _parameter_schemas(h, rb + ("headers", hname), api.is_swagger)


def _parameter_list(params: Any, pointer: tuple, swagger: bool) -> Iterator[tuple[tuple, Any]]:
    if isinstance(params, list):
        for i, p in enumerate(params):
            if isinstance(p, dict):
                yield from _parameter_schemas(p, pointer + (i,), swagger)


def _parameter_schemas(param: dict, pointer: tuple, swagger: bool) -> Iterator[tuple[tuple, Any]]:
    if isinstance(param.get("schema"), dict):
        yield pointer + ("schema",), param["schema"]
    elif swagger and "$ref" not in param and "type" in param:
        yield pointer, param  # OAS 2 non-body parameters are schema-like themselves
    yield from _content_schemas(param, pointer)


def _content_schemas(owner: dict, pointer: tuple) -> Iterator[tuple[tuple, Any]]:
    content = owner.get("content")
    if isinstance(content, dict):
        for media, mt in content.items():
            if isinstance(mt, dict) and isinstance(mt.get("schema"), dict):
                yield pointer + ("content", media, "schema"), mt["schema"]


def iter_schema_nodes(api: "Api", holders: set[int] | None = None) -> Iterator[tuple["Document", tuple, dict]]:
    """Every schema object written inline in the root document (refs are not followed).

    ``holders``: ids of the containers that hold or contain what the caller looks for (source.parse.value_holders);
    then only the schemas among them are walked, and those whose owner (the node holding their ``schema`` key)
    is one, instead of every schema of the document."""
    doc = api.document
    wanted = _wanted(holders, doc) if holders is not None else None
    stack = [(p, s) for p, s in _schema_roots(api) if isinstance(s, dict) and (wanted is None or wanted(p, s, None))]
    stack.reverse()
    seen: set[int] = set()
    while stack:
        pointer, schema = stack.pop()
        if id(schema) in seen:
            continue
        seen.add(id(schema))
        yield doc, pointer, schema
        children = [(p, s) for p, s in iter_subschemas(schema, pointer) if wanted is None or wanted(p, s, schema)]
        stack.extend(reversed(children))


def _wanted(holders: set[int], doc: "Document"):
    def wanted(pointer: tuple, schema: dict, parent: dict | None) -> bool:
        if id(schema) in holders:
            return True
        if pointer[-1] != "schema":
            return False
        owner = doc.get(pointer[:-1]) if parent is None else parent.get(pointer[-2])
        return id(owner) in holders

    return wanted
