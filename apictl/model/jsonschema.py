"""OpenAPI schema objects as plain JSON Schema, to validate instance values (examples, defaults).

OpenAPI 2.0/3.0 schemas are a draft-4 dialect plus ``nullable``/``x-nullable``; OpenAPI 3.1
schemas are JSON Schema 2020-12 already. ``$ref``s stay as they are and resolve against a wrapper
that carries the document's ``definitions``/``components``.
"""
from __future__ import annotations

from typing import Any

def non_json_value(value: Any) -> str | None:
    """How ``value`` fails to be a JSON value (NaN, infinity, an integer too long to convert), else None.

    jsonschema-rs sees such values as ``null``; messages about them are rewritten with this."""
    if isinstance(value, float) and value != value:
        return "NaN (not a JSON number)"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "infinity (not a JSON number)"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 14_000:
        return "an integer with more than 4,300 digits"
    return None


def explain_message(message: str, value: Any) -> str:
    """'null is not of type "number"' about a NaN -> 'NaN (not a JSON number) is not of type "number"'."""
    described = non_json_value(value)
    if described and message.startswith("null "):
        return described + message[4:]
    return message


_DROP = {"discriminator", "xml", "externalDocs", "example", "deprecated", "readOnly", "writeOnly"}


def convert(schema: Any, major: str, _memo: dict | None = None) -> Any:
    """A JSON-Schema copy of an OpenAPI schema (3.1 is returned as is)."""
    if major == "3.1":
        return schema
    memo = {} if _memo is None else _memo
    return _convert(schema, memo)


def _convert(node: Any, memo: dict) -> Any:
    if isinstance(node, list):
        return [_convert(v, memo) for v in node]
    if not isinstance(node, dict):
        return node
    key = id(node)
    if key in memo:
        return memo[key]
    out: dict = {}
    memo[key] = out
    for k, v in node.items():
        if k in _DROP or (isinstance(k, str) and k.startswith("x-") and k != "x-nullable"):
            continue
        if k in ("properties", "patternProperties", "definitions") and isinstance(v, dict):
            out[k] = {name: _convert(s, memo) for name, s in v.items()}
        elif k in ("items", "additionalProperties", "not", "allOf", "oneOf", "anyOf"):
            out[k] = _convert(v, memo)
        elif k == "x-nullable":
            continue
        else:
            out[k] = v
    if node.get("nullable") is True or node.get("x-nullable") is True:
        out.pop("nullable", None)
        t = out.get("type")
        if isinstance(t, str):
            out["type"] = [t, "null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        if "type" not in out and any(k in out for k in ("allOf", "oneOf", "anyOf", "$ref")):
            out = {"anyOf": [{"type": "null"}, out]}
            memo[key] = out
    else:
        out.pop("nullable", None)
    return out


def has_ref(node: Any, _seen: set | None = None) -> bool:
    seen = set() if _seen is None else _seen
    if isinstance(node, dict):
        if id(node) in seen:
            return False
        seen.add(id(node))
        if "$ref" in node:
            return True
        return any(has_ref(v, seen) for v in node.values())
    if isinstance(node, list):
        return any(has_ref(v, seen) for v in node)
    return False


class InstanceValidator:
    """Validates values against schema nodes of one document; compiled validators are cached."""

    def __init__(self, data: dict, major: str):
        self.data = data
        self.major = major
        self._memo: dict = {}
        self._defs: dict | None = None
        self._cache: dict[int, Any] = {}

    def _definitions(self) -> dict:
        if self._defs is None:
            defs: dict = {}
            if isinstance(self.data.get("definitions"), dict):
                defs["definitions"] = convert(self.data["definitions"], self.major, self._memo)
            comps = self.data.get("components")
            if isinstance(comps, dict) and isinstance(comps.get("schemas"), dict):
                defs["components"] = {"schemas": convert(comps["schemas"], self.major, self._memo)}
            if self.major == "3.1" and isinstance(self.data.get("$defs"), dict):
                defs["$defs"] = self.data["$defs"]
            self._defs = defs
        return self._defs

    def errors(self, schema: dict, value: Any, drop: tuple = ()) -> list[str] | None:
        """Error messages, [] when valid, None when the schema cannot be compiled (e.g. external refs)."""
        import jsonschema_rs

        key = (id(schema), drop)
        validator = self._cache.get(key)
        if validator is None:
            converted = convert(schema, self.major, self._memo)
            if drop:
                converted = {k: v for k, v in converted.items() if k not in drop}
            if has_ref(converted):
                converted = {**self._definitions(), **converted}
            cls = jsonschema_rs.Draft202012Validator if self.major == "3.1" else jsonschema_rs.Draft4Validator
            try:
                validator = cls(converted, validate_formats=False)
            except (jsonschema_rs.ValidationError, ValueError, TypeError, Exception):  # noqa: BLE001 - bad schema is reported elsewhere
                validator = False
            self._cache[key] = validator
        if validator is False:
            return None
        try:
            return [_explain_error(e, value) for e in validator.iter_errors(value)]
        except Exception:  # noqa: BLE001 - values the validator cannot represent
            return None


def _explain_error(error: Any, value: Any) -> str:
    """The message, with non-JSON values (seen as null by jsonschema-rs) named for what they are."""
    if not error.message.startswith("null "):
        return error.message
    return explain_message(error.message, value_at(value, error.instance_path))


def value_at(node: Any, path: Any) -> Any:
    for seg in path:
        if isinstance(node, dict):
            node = node.get(str(seg))
        elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
            node = node[seg]
        else:
            return None
    return node
