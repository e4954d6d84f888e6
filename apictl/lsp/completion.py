"""Completion of API Gateway extensions from their JSON Schemas (apictl/lint/schemas/, the same data
the lint rules check against): extension names where API Gateway reads them, the fields of an
extension object at any depth, and enum (and boolean) values."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterable

from ..lint.gateway import extension_index, load_schema
from ..model.api import ANY_METHOD, EXTENSION_PREFIX, HTTP_METHODS
from ..source.templates import BODY_PROPERTY
from .cursor import Cursor

_TEMPLATE_BODIES = set(BODY_PROPERTY.values())


@dataclass
class Choice:
    label: str
    insert: str  # replaces the typed word
    kind: str  # "extension" | "field" | "value"
    detail: str = ""
    documentation: str = ""


def complete(cursor: Cursor, oas2: bool, json_like: bool) -> list[Choice]:
    path = _body_path(cursor.path)
    if path is None:
        return []
    inside = _inside_extension(path)
    if cursor.in_key:
        if inside is None:
            return _extension_names(_placement(path), oas2, cursor, json_like)
        name, rest = inside
        return _fields(name, rest, cursor, json_like)
    if inside is None:
        if cursor.key and cursor.key.startswith(EXTENSION_PREFIX) and cursor.key in extension_index():
            return _values([load_schema(extension_index()[cursor.key].schema_file)], cursor, json_like)
        return []
    name, rest = inside
    return _values(schemas_at(load_schema(extension_index()[name].schema_file), rest + (cursor.key,)), cursor,
                   json_like)


def _body_path(path: tuple) -> tuple | None:
    """The path inside the OpenAPI document: a template's API body starts below Resources/X/Properties/Body."""
    if len(path) >= 4 and path[0] == "Resources" and path[2] == "Properties" and path[3] in _TEMPLATE_BODIES:
        return path[4:]
    if path[:1] == ("Resources",):
        return None
    return path


def _inside_extension(path: tuple) -> tuple[str, tuple] | None:
    """(extension name, path below it) when the path enters an extension value (any-method is an operation)."""
    for i, seg in enumerate(path):
        if isinstance(seg, str) and seg.startswith(EXTENSION_PREFIX) and seg != ANY_METHOD:
            return (seg, path[i + 1:]) if seg in extension_index() else None
    return None


def _placement(path: tuple) -> str | None:
    if path == ():
        return "root"
    if path == ("components",):
        return "components"
    if len(path) == 2 and path[0] == "paths":
        return "path-item"
    if len(path) == 3 and path[0] == "paths" and (path[2] in HTTP_METHODS or path[2] == ANY_METHOD):
        return "operation"
    if len(path) == 3 and path[:2] == ("components", "securitySchemes") or len(path) == 2 and \
            path[0] == "securityDefinitions":
        return "security-scheme"
    if len(path) == 2 and path[0] in ("servers", "tags") and isinstance(path[1], int):
        return "servers-entry" if path[0] == "servers" else "tags-entry"
    return None


def _extension_names(placement: str | None, oas2: bool, cursor: Cursor, json_like: bool) -> list[Choice]:
    if placement is None:
        return []
    out = []
    for name, info in sorted(extension_index().items()):
        if placement not in info.placements("2.0" if oas2 else "3"):
            continue
        schema = load_schema(info.schema_file)
        out.append(Choice(name, _key_text(name, cursor, json_like), "extension",
                          f"API Gateway: {' and '.join(t.upper() for t in info.api_types)} APIs",
                          _describe(schema, f"reference section {info.section}")))
    return out


def _fields(name: str, rest: tuple, cursor: Cursor, json_like: bool) -> list[Choice]:
    out: dict[str, Choice] = {}
    for schema in schemas_at(load_schema(extension_index()[name].schema_file), rest):
        for field, sub in (schema.get("properties") or {}).items():
            out.setdefault(field, Choice(field, _key_text(field, cursor, json_like), "field", _type_of(sub),
                                         _describe(sub, f"{name} field")))
    return [out[k] for k in sorted(out)]


def _values(schemas: list[dict], cursor: Cursor, json_like: bool) -> list[Choice]:
    seen: dict[str, Choice] = {}
    for schema in schemas:
        values = list(schema.get("enum") or [])
        if "const" in schema:
            values.append(schema["const"])
        if schema.get("type") == "boolean":
            values += [True, False]
        for value in values:
            text = _value_text(value, json_like)
            label = value if isinstance(value, str) else json.dumps(value)
            if label not in seen:
                seen[label] = Choice(label, text, "value", _type_of(schema))
    return list(seen.values())


# -- schemas -------------------------------------------------------------------------------------------
def schemas_at(schema: dict, path: Iterable) -> list[dict]:
    """Every subschema that may describe the node at ``path`` below ``schema`` (unions kept apart)."""
    current = _expand(schema, schema)
    for seg in path:
        nxt: list[dict] = []
        for s in current:
            nxt += [x for sub in _children(s, seg) for x in _expand(sub, schema)]
        current = nxt
        if not current:
            break
    return current


def _expand(schema: Any, root: dict) -> list[dict]:
    if not isinstance(schema, dict):
        return []
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        return _expand(target, root)
    out = [schema]
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key) or []:
            out += _expand(sub, root)
    return out


def _children(schema: dict, seg: Any) -> list[Any]:
    if isinstance(seg, int):
        items = schema.get("items")
        return [items] if isinstance(items, dict) else []
    props = schema.get("properties") or {}
    if seg in props:
        return [props[seg]]
    found = [sub for pattern, sub in (schema.get("patternProperties") or {}).items() if re.search(pattern, str(seg))]
    if found:
        return found
    extra = schema.get("additionalProperties")
    return [extra] if isinstance(extra, dict) else []


def _type_of(schema: dict) -> str:
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"][:8]) + (" ..." if len(schema["enum"]) > 8 else "")
    kind = schema.get("type")
    return kind if isinstance(kind, str) else ""


def _describe(schema: dict, fallback: str) -> str:
    return str(schema.get("description") or schema.get("title") or fallback)


# -- text to insert ------------------------------------------------------------------------------------
_YAML_NON_STRING = re.compile(r"(?i)[-+]?(\d[\d_]*)?(\.\d*)?(e[-+]?\d+)?|true|false|yes|no|on|off|null|~|\.inf|\.nan")


def _key_text(name: str, cursor: Cursor, json_like: bool) -> str:
    if json_like or cursor.quoted:
        return json.dumps(name) + ": "
    return name + ": "


def _value_text(value: Any, json_like: bool) -> str:
    if json_like or not isinstance(value, str):
        return json.dumps(value)
    if value == "" or _YAML_NON_STRING.fullmatch(value) or value[0] in "!&*{}[]|>'\"%@`#,?:-" or ": " in value:
        return "'" + value.replace("'", "''") + "'"
    return value
