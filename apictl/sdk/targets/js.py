"""JavaScript target: an ESM npm package (fetch, Node 20+ and browsers) with hand-written-style ``.d.ts`` typings.

Wire names stay as they are (object keys are always quoted string literals in the typings); only method names,
parameter keys and type names are mangled. Dates stay ISO strings, so date-only values never shift time zone.
"""
from __future__ import annotations

import re
from typing import Any

from ...source.errors import InputError
from ..generate import Output, Target
from ..model import Model, Property, SdkApi, TypeRef
from ..naming import JS_KEYWORDS, LanguageNaming, identifier, js_str

RUNTIME_NAMES = frozenset({
    "Client", "ClientOptions", "RequestOptions", "ApiResponse", "ApiError", "ClientError", "ServerError", "SdkError",
    "ApiConnectionError", "ApiTimeoutError", "AwsCredentials", "Array", "Record", "Promise", "Date", "Blob",
    "Uint8Array", "ArrayBuffer", "Error", "Object", "String", "Number", "Boolean", "Symbol", "Map", "Set", "Headers",
    "Response", "Request", "FormData", "AbortSignal", "URL", "Partial", "Readonly", "Required", "Pick", "Omit",
    "Function", "JSON", "Math", "Body", "BinaryBody", "Credentials", "TokenSource", "Scheme", "Call", "Query",
})
CLIENT_MEMBERS = frozenset({"constructor", "baseUrl", "apiKey", "token", "username", "password", "awsCredentials",
                            "awsRegion", "headers", "timeout", "maxRetries", "fetch", "toString", "valueOf",
                            "hasOwnProperty", "then"})
PARAM_KEYS = frozenset({"body", "contentType"})

NAMING = LanguageNaming(
    keywords=JS_KEYWORDS, member_case="camel", param_case="camel", enum_case="upper_snake",
    type_reserved=RUNTIME_NAMES, member_reserved=CLIENT_MEMBERS, param_reserved=PARAM_KEYS,
    operation_suffixes=("Raw",),
)
_NPM_NAME = re.compile(r"(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*\Z")
_SCALARS = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean", "date": "string",
            "datetime": "string", "any": "unknown", "null": "null"}


def ts_type(t: TypeRef, *, output: bool = False) -> str:
    """The TypeScript spelling; binary is ``BinaryBody`` going out and ``Uint8Array`` coming back."""
    if t.kind == "array" and t.items is not None:
        text = f"Array<{ts_type(t.items, output=output)}>"
    elif t.kind == "map" and t.values is not None:  # an index signature, not Record<>: it may refer to itself
        text = f"{{ [key: string]: {ts_type(t.values, output=output)} }}"
    elif t.kind == "model" and t.model is not None:
        text = t.model.name
    elif t.kind == "binary":
        text = "Uint8Array" if output else "BinaryBody"
    else:
        text = _SCALARS.get(t.kind, "unknown")
    if t.nullable and text not in ("unknown", "null"):
        text += " | null"
    return text


def property_type(prop: Property, model: Model) -> str:
    """A property's type in an interface; a discriminator property is exactly the tags that select this model, so
    ``if (x.type === "message")`` narrows a union."""
    tags = model.discriminator_values.get(str(prop.wire_name))
    if tags:
        return " | ".join(js_str(tag) for tag in tags)
    return ts_type(prop.type)


def undeclared_discriminators(model: Model) -> list[tuple[str, list]]:
    """Discriminator properties a variant does not declare itself (the tag is always on the wire, so the interface
    names it, for narrowing)."""
    declared = {str(p.wire_name) for p in model.all_properties}
    return [(name, tags) for name, tags in model.discriminator_values.items() if name not in declared]


def non_object_bases(model: Model) -> list[TypeRef]:
    """``allOf`` members that are not plain objects (unions, enums...): the model is their intersection with its
    properties, so no base is dropped."""
    return [b for b in model.bases if b.model is not None and b.model.kind != "object"]


def enum_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return js_str(value)


def example(t: TypeRef | None, depth: int = 0) -> str:
    """A JS expression of type ``t`` for README examples."""
    if t is None:
        return "undefined"
    if t.kind == "model" and t.model is not None:
        m: Model = t.model
        if m.kind == "enum":
            return enum_literal(m.values[0].value)
        if m.kind == "union":
            return example(m.variants[0], depth) if m.variants else "null"
        if depth > 2:
            return "{}"
        items = [f"{js_str(p.wire_name)}: {example(p.type, depth + 1)}" for p in m.all_properties
                 if p.required and not p.read_only]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    if t.kind == "array":
        return f"[{example(t.items, depth + 1)}]" if t.items and depth < 3 else "[]"
    return {"string": '"string"', "integer": "1", "number": "1.5", "boolean": "true", "binary": "new Uint8Array([1, 2])",
            "date": '"2024-01-31"', "datetime": '"2024-01-31T12:00:00Z"', "map": "{}", "null": "null"}.get(t.kind,
                                                                                                         "null")


class JsTarget(Target):
    lang = "js"
    template_dir = "js"
    naming = NAMING

    def __init__(self) -> None:
        self.filters = {"ts_type": ts_type, "ts_out_type": lambda t: ts_type(t, output=True),
                        "js_example": example, "enum_literal": enum_literal, "property_type": property_type,
                        "non_object_bases": non_object_bases,
                        "undeclared_discriminators": undeclared_discriminators}

    def settings(self, sdk: SdkApi, name: str | None) -> dict[str, Any]:
        if name is not None:
            if not _NPM_NAME.match(name) or len(name) > 214:
                raise InputError(f"--name '{name}' is not an npm package name (lower case, digits, - . _, "
                                 "optionally @scope/)")
            package = name
        else:
            package = identifier(sdk.title, "snake", fallback="api").replace("_", "-") + "-client"
        version = str(sdk.version)
        if not re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?", version):
            version = "0.0.0"
        return {"package": package, "version": version}

    def type_name(self, t: TypeRef) -> str:
        return ts_type(t)

    def outputs(self, sdk: SdkApi, settings: dict[str, Any]) -> list[Output]:
        return [Output(name, name + ".j2") for name in
                ("package.json", "README.md", "index.js", "index.d.ts", "runtime.js", "sigv4.js", "client.js")]


TARGET = JsTarget()
