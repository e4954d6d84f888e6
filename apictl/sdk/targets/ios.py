"""iOS target: a Swift package (Foundation only) with an async/await URLSession client and Codable models.

Models are value types (``struct``/``enum``) marked ``Sendable``: objects with ``allOf`` flattened, enums with an
``unknown`` case for values the spec does not list, ``oneOf``/``anyOf`` as indirect enums with associated values
(discriminator first, then the first variant that decodes, then ``unknown(JSONValue)``). Object properties that
would make a struct contain itself are stored behind a heap box (:func:`mobile_support.boxed_properties`).
The runtime (transport with retries/timeouts/auth, SigV4 with a pure-Swift SHA-256, dates, JSONValue) is rendered
from sdk_templates/ios/ like everything else.
"""
from __future__ import annotations

import re
from typing import Any

from ...source.errors import InputError
from ..generate import GenerationError, Output, Target
from ..model import Model, Operation, SdkApi, TypeRef
from ..naming import SWIFT_KEYWORDS, LanguageNaming, identifier, swift_str
from . import mobile_support as ms

RUNTIME_TYPES = frozenset("""
Client Configuration Transport PreparedRequest RequestOptions ApiResponse ApiError HTTPError AwsCredentials AuthScheme
AuthSchemes JSONValue DateOnly Indirect NoContent ExplicitNulls WireValues FormField DynamicCodingKey Coding SigV4 SHA256Digest FormEncoding
TaskBox Data Date URL URLRequest URLSession URLComponents URLQueryItem URLError HTTPURLResponse URLResponse JSONEncoder
JSONDecoder JSONSerialization Decoder Encoder CodingKey CodingKeys Hashable Equatable Int64 Int32 Int8 Int16 UInt UInt8
UInt16 UInt32 UInt64 Float Float64 Array Dictionary Set Optional Result Character Substring TimeInterval Task Never Void
UUID Decimal Calendar TimeZone DateComponents Locale NSLock NSNull NSNumber NSError CustomStringConvertible
LosslessStringConvertible RawRepresentable CaseIterable Comparable Identifiable AnyHashable CharacterSet
CheckedContinuation UnsafeContinuation Foundation FoundationNetworking XCTest XCTestCase Swift Sequence Collection
StaticString KeyedDecodingContainer KeyedEncodingContainer SingleValueDecodingContainer DecodingError EncodingError
URLSessionDataTask URLSessionTask Range Mirror AnyObject DispatchQueue ProcessInfo DateFormatter Double Bool Int String
Tests
""".split())
NAMING = LanguageNaming(
    keywords=SWIFT_KEYWORDS, member_case="camel", param_case="camel", enum_case="camel",
    type_reserved=RUNTIME_TYPES,
    member_reserved=frozenset({"configuration", "transport", "init", "deinit"}),
    param_reserved=frozenset({"options", "contentType", "body", "self"}),
    # members of the protocols the models conform to (Codable, Hashable, ExplicitNulls) and of the model structs
    property_reserved=frozenset({"additionalProperties", "explicitNulls", "hashValue", "hash", "rawValue",
                                 "stringValue", "intValue", "encode", "init"}),
    enum_reserved=frozenset({"unknown", "rawValue", "knownCases", "description", "isKnown", "hashValue", "hash",
                             "encode", "init"}),
    operation_suffixes=("WithResponse",),
)
_SCALARS = {"string": "String", "integer": "Int", "number": "Double", "boolean": "Bool", "date": "DateOnly",
            "datetime": "Date", "binary": "Data", "any": "JSONValue", "null": "JSONValue"}
_VERSION = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\Z")


def swift_type(t: TypeRef) -> str:
    if t.kind == "array" and t.items is not None:
        text = f"[{swift_type(t.items)}]"
    elif t.kind == "map" and t.values is not None:
        text = f"[String: {swift_type(t.values)}]"
    elif t.kind == "model" and t.model is not None:
        text = t.model.name
    else:
        text = _SCALARS.get(t.kind, "JSONValue")
    return text + "?" if t.nullable or t.kind == "null" else text


def optional_type(t: TypeRef) -> str:
    """The type of an optional slot (property, parameter): one ``?`` whether or not the type is nullable."""
    text = swift_type(t)
    return text if text.endswith("?") else text + "?"


def literal(value: Any) -> str:
    """A Swift literal for an enum value or default (str, int, float, bool)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text if any(c in text for c in ".e") else text + ".0"
    if isinstance(value, str):
        return swift_str(value)
    raise GenerationError(f"cannot write {type(value).__name__} as a Swift literal")


def enum_raw_type(model: Model) -> str:
    return {"string": "String", "integer": "Int", "number": "Double", "boolean": "Bool"}[model.value_type]


def example(t: TypeRef | None, depth: int = 0) -> str:
    """A short Swift expression of type ``t`` for README examples."""
    if t is None:
        return "nil"
    if t.kind == "model" and t.model is not None:
        m = t.model
        if m.kind == "enum":
            return "." + m.values[0].name
        if m.kind == "union":
            cases = ms.union_cases(m, "camel", NAMING.enum_reserved | SWIFT_KEYWORDS)
            return f".{cases[0].name}({example(cases[0].type, depth + 1)})" if cases else ".unknown(.null)"
        if depth > 3:
            return f"try JSONDecoder().decode({m.name}.self, from: Data(\"{{}}\".utf8))"
        args = [f"{p.name}: {example(p.type, depth + 1)}" for p in m.all_properties if p.required]
        return f"{m.name}(" + ", ".join(args) + ")"
    if t.kind == "array":
        return f"[{example(t.items, depth + 1)}]" if t.items is not None and depth < 4 else "[]"
    if t.kind == "map":
        return "[:]"
    return {"string": '"string"', "integer": "1", "number": "1.5", "boolean": "true", "binary": "Data()",
            "date": "DateOnly(year: 2024, month: 1, day: 31)", "datetime": "Date()"}.get(t.kind, ".null")


class SwiftTarget(Target):
    lang = "ios"
    template_dir = "ios"
    naming = NAMING

    def __init__(self) -> None:
        self.filters = {"swift_type": swift_type, "optional_type": optional_type, "swift_literal": literal,
                        "swift_example": example, "raw_type": enum_raw_type}

    def settings(self, sdk: SdkApi, name: str | None) -> dict[str, Any]:
        if name is not None:
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) or name in SWIFT_KEYWORDS or name in RUNTIME_TYPES:
                raise InputError(f"--name '{name}' is not a Swift module name (letters, digits and _, "
                                 "starting with a letter, not a keyword)")
            module = name
        else:
            module = identifier(sdk.title, "pascal", SWIFT_KEYWORDS | RUNTIME_TYPES, fallback="Api", suffix="Kit")
        version = str(sdk.version)
        return {"module": module, "version": version if _VERSION.match(version) else "0.0.0",
                "base_url": ms.base_url(sdk), "boxed": ms.boxed_properties(sdk)}

    def type_name(self, t: TypeRef) -> str:
        return swift_type(t)

    def outputs(self, sdk: SdkApi, settings: dict[str, Any]) -> list[Output]:
        module = settings["module"]
        src = f"Sources/{module}"
        outputs = [
            Output("Package.swift", "Package.swift.j2"),
            Output("README.md", "README.md.j2", context={"ops": [self.operation_view(op) for op in sdk.operations]}),
            Output(f"{src}/Client.swift", "Client.swift.j2",
                   context={"ops": [self.operation_view(op) for op in sdk.operations]}),
            Output(f"Tests/{module}Tests/RuntimeTests.swift", "RuntimeTests.swift.j2"),
        ]
        for runtime in ("Transport", "Errors", "Coding", "JSONValue", "DateOnly", "SigV4", "SHA256"):
            outputs.append(Output(f"{src}/Runtime/{runtime}.swift", f"runtime/{runtime}.swift.j2"))
        for model in sdk.models:
            outputs.append(Output(f"{src}/Models/{model.name}.swift", "Model.swift.j2",
                                  context={"model": model, **self.model_view(model, settings)}))
        return outputs

    # -- views: the per-model / per-operation facts templates print -------------------------------------------------
    def model_view(self, model: Model, settings: dict[str, Any]) -> dict[str, Any]:
        if model.kind == "union":
            return {"cases": ms.union_cases(model, "camel", NAMING.enum_reserved | SWIFT_KEYWORDS)}
        if model.kind != "object":
            return {}
        props = []
        for p in model.all_properties:
            optional = not p.required or p.type.nullable
            base = swift_type(p.type)
            props.append({"p": p, "type": optional_type(p.type) if optional else base,
                          "base": base[:-1] if base.endswith("?") else base,
                          "optional": optional, "boxed": (id(model), str(p.wire_name)) in settings["boxed"],
                          "nullable_optional": p.type.nullable and not p.required})
        return {"props": props}

    def operation_view(self, op: Operation) -> dict[str, Any]:
        params = []
        for p in ms.ordered_params(op):
            params.append({"p": p, "type": swift_type(p.type) if p.required else optional_type(p.type),
                           "optional": not p.required or p.type.nullable})
        body = op.body
        body_type = None
        if body is not None:
            body_type = swift_type(body.type) if body.kind in ("json", "form", "multipart") else \
                ("String" if body.kind == "text" else "Data")
            if not body.required:
                body_type = body_type if body_type.endswith("?") else body_type + "?"
        kind = op.result_kind
        result = (swift_type(op.result) if op.result else "JSONValue") if kind == "json" else \
            {"binary": "Data", "text": "String"}.get(kind, "NoContent")
        errors = [(r.status, swift_type(r.type)) for r in op.errors
                  if r.content is not None and r.content.kind == "json" and r.type is not None]
        content_choice = body is not None and len(body.choices) > 1
        return {"op": op, "params": params, "path": ms.path_parts(op), "body_type": body_type, "result": result,
                "content_choice": content_choice, "errors": errors, "example_args": self.example_args(op, params)}

    def example_args(self, op: Operation, params: list[dict[str, Any]]) -> str:
        args = [f"{v['p'].name}: {example(v['p'].type)}" for v in params if v["p"].location == "path"]
        if op.body is not None and op.body.required:
            body = example(op.body.type) if op.body.kind in ("json", "form", "multipart") else \
                ('"text"' if op.body.kind == "text" else "Data()")
            args.append(f"body: {body}")
        args += [f"{v['p'].name}: {example(v['p'].type)}" for v in params
                 if v["p"].location != "path" and v["p"].required]
        return ", ".join(args)

    def check(self, files: dict[str, str], sdk: SdkApi, settings: dict[str, Any]) -> None:
        """Every model file must declare exactly the type it is named after; no file may hold a raw newline inside
        a string literal (cheap structural checks; the e2e tests compile the package)."""
        for model in sdk.models:
            text = files[f"Sources/{settings['module']}/Models/{model.name}.swift"]
            declared = re.findall(r"^public (?:indirect )?(?:struct|enum) ([A-Za-z_][A-Za-z0-9_]*)", text, re.M)
            if declared != [model.name]:
                raise GenerationError(f"Models/{model.name}.swift declares {declared}, expected {model.name}")


TARGET = SwiftTarget()
